from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine.sandbox import default_size


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_nl_scan_enabled = fields.Boolean(related="company_id.l10n_nl_scan_enabled", readonly=False)
    l10n_nl_scan_recognize_amounts = fields.Boolean(related="company_id.l10n_nl_scan_recognize_amounts", readonly=False)
    l10n_nl_scan_bill_per_file = fields.Boolean(related="company_id.l10n_nl_scan_bill_per_file", readonly=False)
    l10n_nl_scan_merge_lines = fields.Boolean(related="company_id.l10n_nl_scan_merge_lines", readonly=False)
    l10n_nl_scan_date_order = fields.Selection(related="company_id.l10n_nl_scan_date_order", readonly=False)
    l10n_nl_scan_einvoice_validation = fields.Boolean(
        related="company_id.l10n_nl_scan_einvoice_validation", readonly=False
    )
    l10n_nl_scan_max_rules = fields.Integer(related="company_id.l10n_nl_scan_max_rules", readonly=False)
    l10n_nl_scan_split = fields.Selection(related="company_id.l10n_nl_scan_split", readonly=False)
    l10n_nl_scan_separator_text = fields.Char(related="company_id.l10n_nl_scan_separator_text", readonly=False)
    l10n_nl_scan_time_budget = fields.Integer(related="company_id.l10n_nl_scan_time_budget", readonly=False)
    # Server-wide: the reader processes belong to each Odoo process, not to a company.
    l10n_nl_scan_reader_processes = fields.Integer(
        string="Documents read at once",
        config_parameter="l10n_nl_scan_herken.reader_processes",
        default=lambda self: default_size(),
    )
    l10n_nl_scan_reader_memory = fields.Integer(
        string="Memory per document (MiB)",
        config_parameter="l10n_nl_scan_herken.reader_memory_mb",
        default=1024,
    )

    l10n_nl_scan_mailbox_ids = fields.Many2many(
        "fetchmail.server", string="Vendor bills mailboxes", compute="_compute_l10n_nl_scan_mailbox_ids"
    )

    @api.depends("company_id")
    def _compute_l10n_nl_scan_mailbox_ids(self):
        servers = self.env["fetchmail.server"].sudo().with_context(active_test=False)
        for settings in self:
            settings.l10n_nl_scan_mailbox_ids = servers.search(
                [("l10n_nl_scan_journal_id.company_id", "=", settings.company_id.id)]
            )

    @api.constrains("l10n_nl_scan_reader_processes", "l10n_nl_scan_reader_memory")
    def _check_l10n_nl_scan_readers(self):
        for settings in self:
            if not 1 <= settings.l10n_nl_scan_reader_processes <= 64:
                raise ValidationError(_("Documents read at once must be between 1 and 64."))
            if not 256 <= settings.l10n_nl_scan_reader_memory <= 16384:
                raise ValidationError(_("The memory per document must be between 256 and 16384 MiB."))

    def action_l10n_nl_scan_own_identifiers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_nl_scan_herken.own_identifier_action")
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["context"] = {"default_company_id": self.company_id.id}
        return action

    def action_l10n_nl_scan_mailboxes(self):
        """The company's vendor-bills mailboxes, reachable without developer mode."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Vendor bills mailboxes"),
            "res_model": "fetchmail.server",
            "view_mode": "list,form",
            "domain": [("l10n_nl_scan_journal_id.company_id", "=", self.company_id.id)],
            "context": self._l10n_nl_scan_mailbox_defaults(),
        }

    def action_l10n_nl_scan_add_mailbox(self):
        """A new mailbox whose mail becomes bills in the company's purchase journal."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New vendor bills mailbox"),
            "res_model": "fetchmail.server",
            "view_mode": "form",
            "target": "current",
            "context": self._l10n_nl_scan_mailbox_defaults(),
        }

    def _l10n_nl_scan_mailbox_defaults(self):
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "purchase")], limit=1
        )
        return {
            "default_l10n_nl_scan_journal_id": journal.id,
            "default_server_type": "imap",
            "default_is_ssl": True,
            "default_port": 993,
        }
