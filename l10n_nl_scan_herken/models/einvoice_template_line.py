from odoo import _, api, fields, models
from odoo.exceptions import UserError


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
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, index=True, ondelete="cascade", check_company=True
    )
    product_code = fields.Char(required=True, help="The supplier's article number as its e-invoices carry it.")
    account_id = fields.Many2one(
        "account.account",
        required=True,
        check_company=True,
        domain="[('deprecated', '=', False), ('account_type', 'not in', ('asset_receivable', 'liability_payable'))]",
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="Purchase taxes",
        check_company=True,
        domain="[('type_tax_use', '=', 'purchase')]",
        help="Empty: the taxes of the e-invoice line stay.",
    )

    _sql_constraints = [
        (
            "unique_code",
            "unique(company_id, partner_id, product_code)",
            "This product code is already in the supplier's e-invoice template.",
        )
    ]

    @api.model
    def _mapping(self, company, partner, codes):
        lines = self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("product_code", "in", [c for c in codes if c]),
            ]
        )
        return {line.product_code: line for line in lines}

    @api.model
    def _apply_to(self, move):
        """Book each e-invoice line by the supplier's template; returns the
        codes (or, for a line without one, its label) that have no entry."""
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product").sorted("sequence")
        mapping = (
            self._mapping(move.company_id, move.partner_id, lines.mapped("l10n_nl_scan_product_code"))
            if move.partner_id
            else {}
        )
        missing, updates = [], []
        for line in lines:
            entry = mapping.get(line.l10n_nl_scan_product_code)
            if not entry:
                missing.append(line.l10n_nl_scan_product_code or line.name or "?")
                continue
            values = {"account_id": entry.account_id.id}
            if entry.tax_ids:
                values["tax_ids"] = [fields.Command.set(entry.tax_ids.ids)]
            if entry.analytic_distribution:
                values["analytic_distribution"] = entry.analytic_distribution
            updates.append(fields.Command.update(line.id, values))
        if updates:
            with move._get_edi_creation() as editing:
                editing.invoice_line_ids = updates
        return list(dict.fromkeys(missing)) or ([] if lines else ["?"])

    @api.model
    def _unmapped_lines(self, move):
        """The bill's lines whose supplier code has no template entry yet."""
        lines = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.l10n_nl_scan_product_code
        )
        if not lines or not move.partner_id:
            return lines.browse()
        mapping = self._mapping(move.company_id, move.partner_id, lines.mapped("l10n_nl_scan_product_code"))
        return lines.filtered(lambda line: line.l10n_nl_scan_product_code not in mapping)

    @api.model
    def _add_from(self, move):
        """Template entries from the bill's lines as the user booked them;
        returns the new entries."""
        values, seen = [], set()
        for line in self._unmapped_lines(move):
            code = line.l10n_nl_scan_product_code
            if code in seen or not line.account_id:
                continue
            seen.add(code)
            values.append(
                {
                    "company_id": move.company_id.id,
                    "partner_id": move.partner_id.commercial_partner_id.id,
                    "product_code": code,
                    "account_id": line.account_id.id,
                    "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                    "analytic_distribution": line.analytic_distribution,
                }
            )
        return self.create(values)

    @api.model
    def _add_from_bill(self, move):
        """The offer on a bill with unmapped codes: remember how the user
        booked those lines, so the supplier's next e-invoice books itself."""
        added = self._add_from(move)
        if not added:
            raise UserError(_("Choose an account on the lines with a supplier product code first."))
        move.invalidate_recordset(["l10n_nl_scan_unmapped_codes"])
        move._l10n_nl_scan_post_list(
            _("Added to the e-invoice template of %(supplier)s:", supplier=move.partner_id.commercial_partner_id.name),
            [f"{entry.product_code} \u2192 {entry.account_id.display_name}" for entry in added],
        )
        return added
