from odoo import fields, models


class L10nNlScanBookingTemplate(models.Model):
    """How a supplier's invoices are booked when scan en herken makes the
    lines: ledger account, purchase taxes, analytic distribution and label."""

    _name = "l10n_nl_scan_herken.booking_template"
    _inherit = ["analytic.mixin"]
    _description = "Booking template"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    account_id = fields.Many2one(
        "account.account",
        check_company=True,
        domain="[('deprecated', '=', False), ('account_type', 'not in', ('asset_receivable', 'liability_payable'))]",
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="Purchase taxes",
        check_company=True,
        domain="[('type_tax_use', '=', 'purchase')]",
        help="Used when the document shows no VAT rate that matches a purchase tax.",
    )
    label = fields.Char(help="Line description; empty: the supplier's last one, else its name.")
