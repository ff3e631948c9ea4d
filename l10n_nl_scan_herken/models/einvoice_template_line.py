from odoo import api, fields, models


class L10nNlScanEinvoiceTemplateLine(models.Model):
    """One entry of a supplier's e-invoice template: the supplier's product
    code and where a line with that code is booked. An e-invoice whose every
    line code is mapped can be posted without a human touch."""

    _name = "l10n_nl_scan_herken.einvoice_template_line"
    _inherit = ["analytic.mixin"]
    _description = "E-invoice template line"
    _order = "partner_id, product_code, id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Supplier", required=True, index=True, ondelete="cascade",
                                 check_company=True)
    product_code = fields.Char(required=True, help="The supplier's article number as its e-invoices carry it.")
    account_id = fields.Many2one(
        "account.account", required=True, check_company=True,
        domain="[('deprecated', '=', False), ('account_type', 'not in', ('asset_receivable', 'liability_payable'))]",
    )
    tax_ids = fields.Many2many("account.tax", string="Purchase taxes", check_company=True,
                               domain="[('type_tax_use', '=', 'purchase')]",
                               help="Empty: the taxes of the e-invoice line stay.")

    _sql_constraints = [(
        "unique_code", "unique(company_id, partner_id, product_code)",
        "This product code is already in the supplier's e-invoice template.",
    )]

    @api.model
    def _mapping(self, company, partner, codes):
        lines = self.search([("company_id", "=", company.id),
                             ("partner_id", "=", partner.commercial_partner_id.id),
                             ("product_code", "in", [c for c in codes if c])])
        return {line.product_code: line for line in lines}
