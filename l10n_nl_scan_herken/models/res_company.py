from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine.recognizers.identifiers import normalize_identifier

DATE_ORDERS = [("dmy", "Day-month-year"), ("mdy", "Month-day-year")]


# How a file holding several invoices is split (engine/split.py).
SPLIT_MODES = [("none", "No split"), ("separator", "At separator pages"), ("auto", "Automatic")]


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_nl_scan_enabled = fields.Boolean(string="Scan en herken")
    l10n_nl_scan_recognize_amounts = fields.Boolean(string="Recognise amounts and company", default=True)
    l10n_nl_scan_bill_per_file = fields.Boolean(string="One bill per PDF or image", default=True)
    l10n_nl_scan_merge_lines = fields.Boolean(string="Merge invoice lines")
    l10n_nl_scan_date_order = fields.Selection(DATE_ORDERS, string="Date notation", default="dmy", required=True)
    l10n_nl_scan_einvoice_validation = fields.Boolean(string="E-invoices through the validation screen")
    l10n_nl_scan_max_rules = fields.Integer(string="Maximum automation rules", default=250)
    l10n_nl_scan_split = fields.Selection(
        SPLIT_MODES,
        string="Split uploaded batch scans",
        default="none",
        required=True,
        help="Uploads and the import command: one file may hold several invoices.",
    )
    l10n_nl_scan_separator_text = fields.Char(
        string="Separator text",
        help="A page carrying this text separates two invoices in a batch scan, as a blank page does.",
    )
    l10n_nl_scan_time_budget = fields.Integer(
        string="Time per document (seconds)",
        default=30,
        help="Reading one document (OCR included) stops after this many seconds; the bill then waits "
        "with its original and a note.",
    )
    l10n_nl_scan_own_identifier_ids = fields.One2many(
        "l10n_nl_scan_herken.own_identifier", "company_id", string="Own identifiers"
    )

    @api.constrains("l10n_nl_scan_max_rules")
    def _check_l10n_nl_scan_max_rules(self):
        for company in self:
            if company.l10n_nl_scan_max_rules < 1:
                raise ValidationError(_("The maximum number of automation rules must be at least 1."))

    @api.constrains("l10n_nl_scan_time_budget")
    def _check_l10n_nl_scan_time_budget(self):
        for company in self:
            if not 5 <= company.l10n_nl_scan_time_budget <= 600:
                raise ValidationError(_("The time per document must be between 5 and 600 seconds."))

    def _l10n_nl_scan_own_identifiers(self):
        """Everything that identifies this company on a document, normalised,
        so recognition can skip it: VAT, KVK, its bank accounts and the extra
        identifiers an administrator listed."""
        self.ensure_one()
        own = {"iban": set(), "vat": set(), "kvk": set(), "other": set()}
        if self.vat:
            own["vat"].add(normalize_identifier("vat", self.vat))
        if self.company_registry:
            own["kvk"].add(normalize_identifier("kvk", self.company_registry))
        for bank in self.partner_id.bank_ids:
            own["iban"].add(normalize_identifier("iban", bank.acc_number))
        for ident in self.l10n_nl_scan_own_identifier_ids:
            own[ident.identifier_type].add(ident.normalized_value)
        return {kind: sorted(v for v in values if v) for kind, values in own.items()}
