"""18.0.1.1.0: an automation rule without a condition now needs 'All bills'
ticked to act on every bill; rules that already had no condition keep
acting as before."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE l10n_nl_scan_herken_rule
           SET all_bills = true
         WHERE coalesce(trim(domain), '') IN ('', '[]')
    """)
