from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    l10n_nl_scan_product_code = fields.Char(
        string="Supplier product code",
        copy=False,
        readonly=True,
        help="The supplier's article number from the e-invoice line, the key of its e-invoice template.",
    )
