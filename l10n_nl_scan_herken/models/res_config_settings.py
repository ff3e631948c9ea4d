from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_nl_scan_enabled = fields.Boolean(
        related="company_id.l10n_nl_scan_enabled", readonly=False
    )
    l10n_nl_scan_recognize_amounts = fields.Boolean(
        related="company_id.l10n_nl_scan_recognize_amounts", readonly=False
    )
    l10n_nl_scan_bill_per_file = fields.Boolean(
        related="company_id.l10n_nl_scan_bill_per_file", readonly=False
    )
    l10n_nl_scan_merge_lines = fields.Boolean(
        related="company_id.l10n_nl_scan_merge_lines", readonly=False
    )
    l10n_nl_scan_date_order = fields.Selection(
        related="company_id.l10n_nl_scan_date_order", readonly=False
    )
    l10n_nl_scan_einvoice_validation = fields.Boolean(
        related="company_id.l10n_nl_scan_einvoice_validation", readonly=False
    )
    l10n_nl_scan_max_rules = fields.Integer(
        related="company_id.l10n_nl_scan_max_rules", readonly=False
    )

    def action_l10n_nl_scan_own_identifiers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "l10n_nl_scan_herken.own_identifier_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["context"] = {"default_company_id": self.company_id.id}
        return action
