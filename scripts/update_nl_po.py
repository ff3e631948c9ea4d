"""Refresh i18n/l10n_nl_scan_herken.pot from a database with the addon
installed and merge it into i18n/nl.po, keeping existing translations and
listing the strings that still need Dutch.

    $ODOO_PYTHON scripts/update_nl_po.py DATABASE
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "l10n_nl_scan_herken" / "i18n"


def dedupe(po):
    """One entry per msgid (Odoo's export repeats a term used both in code
    and in a model): their occurrences merged, the first translation kept."""
    first = {}
    for entry in list(po):
        kept = first.setdefault((entry.msgctxt, entry.msgid), entry)
        if kept is not entry:
            kept.occurrences += [o for o in entry.occurrences if o not in kept.occurrences]
            kept.msgstr = kept.msgstr or entry.msgstr
            po.remove(entry)


def main(database):
    import os

    odoo = os.environ.get("ODOO_PATH", "/opt/odoo")
    pot_path = I18N / "l10n_nl_scan_herken.pot"
    subprocess.run(
        [
            sys.executable,
            f"{odoo}/odoo-bin",
            f"--addons-path={odoo}/addons,{odoo}/odoo/addons,{ROOT}",
            "-d",
            database,
            f"--i18n-export={pot_path}",
            "--modules=l10n_nl_scan_herken",
            "--stop-after-init",
            "--log-level=error",
        ],
        check=True,
    )
    pot = polib.pofile(str(pot_path))
    po_path = I18N / "nl.po"
    po = polib.pofile(str(po_path))
    po.merge(pot)
    for entry in po.obsolete_entries():
        po.remove(entry)
    dedupe(po)
    po.save(str(po_path))
    missing = [entry.msgid for entry in po if not entry.msgstr]
    print("\n".join(missing) or "nl.po is complete")


if __name__ == "__main__":
    main(sys.argv[1])
