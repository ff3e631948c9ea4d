from odoo import _, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_nl_scan_date_order = fields.Selection(
        [
            ("company", "Company default"),
            ("dmy", "Day-month-year"),
            ("mdy", "Month-day-year"),
        ],
        string="Date notation on invoices",
        default="company",
        required=True,
        help="How this supplier writes dates such as 03/04/2026.",
    )
    l10n_nl_scan_merge_lines = fields.Selection(
        [("company", "Company default"), ("yes", "Yes"), ("no", "No")],
        string="Merge invoice lines",
        default="company",
        required=True,
        help="Book this supplier's invoices as one line per VAT rate.",
    )

    l10n_nl_scan_mask_ids = fields.One2many(
        "l10n_nl_scan_herken.mask",
        "partner_id",
        string="Masks",
        help="Regular expressions that read this supplier's invoice fields; they win over generic recognition.",
    )
    l10n_nl_scan_booking_template_id = fields.Many2one(
        "l10n_nl_scan_herken.booking_template",
        string="Booking template",
        company_dependent=True,
        help="How scan en herken books this supplier's invoices in the current company.",
    )

    def action_l10n_nl_scan_test_masks(self):
        return self._l10n_nl_scan_mask_wizard("l10n_nl_scan_herken.mask_test", _("Test masks"))

    def action_l10n_nl_scan_check_masks(self):
        return self._l10n_nl_scan_mask_wizard("l10n_nl_scan_herken.mask_check", _("Check masks"))

    def _l10n_nl_scan_mask_wizard(self, model, title):
        self.ensure_one()
        wizard = self.env[model].create({"partner_id": self.commercial_partner_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": wizard.id,
            "name": title,
            "view_mode": "form",
            "target": "new",
        }

    def _l10n_nl_scan_date_order(self, company):
        """The supplier's own notation wins over the company's default."""
        return self._l10n_nl_scan_supplier_date_order(company) or company.l10n_nl_scan_date_order

    def _l10n_nl_scan_supplier_date_order(self, company):
        """The supplier's setting, else what its validated bills showed: the
        day-month order of their unambiguous dates (None when they never did)."""
        if not self:
            return None
        if self.l10n_nl_scan_date_order != "company":
            return self.l10n_nl_scan_date_order
        bills = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "posted"),
                ("l10n_nl_scan_state", "=", "done"),
            ],
            order="date desc, id desc",
            limit=20,
        )
        votes = [
            b.l10n_nl_scan_result.get("date_order")
            for b in bills
            if (b.l10n_nl_scan_result or {}).get("date_order_source") == "document"
        ]
        if not votes:
            return None
        return max(("dmy", "mdy"), key=votes.count)

    def _l10n_nl_scan_merge_lines(self, company):
        if self and self.l10n_nl_scan_merge_lines != "company":
            return self.l10n_nl_scan_merge_lines == "yes"
        return company.l10n_nl_scan_merge_lines
