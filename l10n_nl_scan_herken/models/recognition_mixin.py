import logging
import os
from decimal import Decimal

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date, formatLang

from .. import engine
from ..engine import sandbox
from ..engine.split import BATCH_TIME_FACTOR, MAX_BATCH_PAGES
from . import engine_messages, markup

_logger = logging.getLogger(__name__)

# Rules and search see the text of this many pages.
MAX_TEXT_PAGES = 10
SCAN_STATES = [
    ("queued", "Waiting for recognition"),
    ("processing", "Being recognised"),
    ("done", "Recognised"),
    ("failed", "Recognition failed"),
]
SCAN_SOURCES = [
    ("pdf_text", "PDF text"),
    ("mail_text", "Mail text"),
    ("ocr", "OCR"),
    ("ubl", "UBL"),
    ("cii", "CII"),
    ("facturx", "Factur-X"),
]


# What scan en herken itself writes while it reads a document: users may not
# write these (a view's readonly does not stop RPC), or a user could make
# the queue read any file (the words kept, the document read) or fake a
# recognition. Scan en herken writes them through _l10n_nl_scan_write.
PROTECTED_FIELDS = frozenset({
    "l10n_nl_scan_state", "l10n_nl_scan_source", "l10n_nl_scan_score", "l10n_nl_scan_text",
    "l10n_nl_scan_read_by_scan", "l10n_nl_scan_filename", "l10n_nl_scan_file_extension", "l10n_nl_scan_result",
    "l10n_nl_scan_filled", "l10n_nl_scan_error", "l10n_nl_scan_layout", "l10n_nl_scan_layout_attachment_id",
    "l10n_nl_scan_iban", "l10n_nl_scan_kvk", "l10n_nl_scan_vat", "l10n_nl_scan_message_id", "l10n_nl_scan_mail_id",
    "l10n_nl_scan_attempts", "l10n_nl_scan_lease", "l10n_nl_scan_part_of_id", "l10n_nl_scan_keep_whole",
    "l10n_nl_scan_booking_template_id",
})


class L10nNlScanRecognitionMixin(models.AbstractModel):
    """What scan en herken keeps on a record it recognised: the engine's result,
    the values it filled in (so a second run leaves user edits alone) and the
    document text that rules and search use."""

    _name = "l10n_nl_scan_herken.recognition.mixin"
    _description = "Scan en herken recognition"

    l10n_nl_scan_state = fields.Selection(
        SCAN_STATES, string="Scan state", copy=False, index=True, readonly=True
    )
    l10n_nl_scan_source = fields.Selection(
        SCAN_SOURCES, string="Recognition method", copy=False, readonly=True
    )
    l10n_nl_scan_score = fields.Integer(
        string="Recognition score", copy=False, readonly=True,
        help="0-100: how sure scan en herken is of the fields it filled in.",
    )
    l10n_nl_scan_text = fields.Text(string="Document text", copy=False, readonly=True,
                                    help="The text read: the first ten pages of the document, or the mail's text when "
                                         "there was no attachment.")
    l10n_nl_scan_read_by_scan = fields.Boolean(
        string="Read by scan en herken", compute="_compute_l10n_nl_scan_read_by_scan", store=True,
        help="Read from a PDF, a picture or a mail's text; not an e-invoice read from its XML.")
    l10n_nl_scan_filename = fields.Char(string="File name", copy=False, readonly=True)
    l10n_nl_scan_file_extension = fields.Char(string="File extension", copy=False, readonly=True,
                                              help="The read file's extension, such as .pdf or .xml.")
    l10n_nl_scan_result = fields.Json(string="Recognition result", copy=False, readonly=True)
    l10n_nl_scan_filled = fields.Json(string="Values filled by recognition", copy=False, readonly=True)
    l10n_nl_scan_error = fields.Char(string="Recognition error", copy=False, readonly=True)
    # The words with their places as read, for the review screen and for a
    # second recognition without a second OCR; large, so never prefetched.
    l10n_nl_scan_layout = fields.Json(string="Document words", copy=False, readonly=True, prefetch=False)
    l10n_nl_scan_layout_attachment_id = fields.Many2one(
        "ir.attachment", string="Document read", copy=False, readonly=True, ondelete="set null",
        help="The file whose words are kept: the review screen draws its pages.")
    l10n_nl_scan_confidence_html = fields.Html(
        string="Recognised fields", compute="_compute_l10n_nl_scan_confidence_html",
        sanitize=False,
    )

    def _l10n_nl_scan_write(self, values):
        """Write ``values``; the technical fields among them as superuser,
        since only scan en herken's own steps may set them (see
        PROTECTED_FIELDS); the rest with the caller's rights."""
        own = {key: value for key, value in values.items() if key in PROTECTED_FIELDS}
        rest = {key: value for key, value in values.items() if key not in PROTECTED_FIELDS}
        if own:
            # sudo: values scan en herken computed itself, never taken from the caller.
            self.sudo().write(own)
        if rest:
            self.write(rest)
        return True

    def _l10n_nl_scan_check_protected(self, vals_list):
        """Refuse a user's write of scan en herken's technical fields."""
        if self.env.su:
            return
        names = PROTECTED_FIELDS.intersection(key for values in vals_list for key in values)
        if names:
            raise AccessError(_("Only scan en herken itself may set these fields: %(fields)s.",
                                fields=", ".join(sorted(names))))

    @api.depends("l10n_nl_scan_source")
    def _compute_l10n_nl_scan_read_by_scan(self):
        for record in self:
            record.l10n_nl_scan_read_by_scan = record.l10n_nl_scan_source in ("pdf_text", "ocr", "mail_text")

    @api.model
    def _l10n_nl_scan_file_values(self, filename, text):
        """What automation rules see of the file read: its name, extension
        and the text of its first ten pages."""
        extension = os.path.splitext(filename or "")[1].lower()
        return {"l10n_nl_scan_filename": filename or False, "l10n_nl_scan_file_extension": extension or False,
                "l10n_nl_scan_text": "\f".join((text or "").split("\f")[:MAX_TEXT_PAGES]) or False}

    def _l10n_nl_scan_field_labels(self):
        """The recognised fields in the reader's words, in the table's order."""
        return {
            "document_type": _("Document type"), "supplier_name": _("Supplier"),
            "supplier_street": _("Street"), "supplier_zip": _("Postcode"), "supplier_city": _("City"),
            "supplier_country": _("Country"), "supplier_vat": _("VAT number"), "supplier_kvk": _("KvK number"),
            "supplier_iban": _("IBAN"), "invoice_number": _("Invoice number"), "invoice_date": _("Invoice date"),
            "due_date": _("Due date"), "currency": _("Currency"), "amount_untaxed": _("Total excl. VAT"),
            "amount_tax": _("VAT amount"), "amount_total": _("Total incl. VAT"), "tax_lines": _("VAT lines"),
            "payment_reference": _("Payment reference"), "purchase_order": _("Purchase order"),
            "packing_slip": _("Packing slip"),
        }

    def _l10n_nl_scan_format_value(self, key, value, currency):
        """A recognised value as the reader writes it: amounts and dates in
        the language's notation, the document type in words."""
        if value is None or value == "":
            return ""
        if key in ("amount_untaxed", "amount_tax", "amount_total") and isinstance(value, (int, float, Decimal)):
            return formatLang(self.env, float(value), currency_obj=currency)
        if key in ("invoice_date", "due_date"):
            return format_date(self.env, value)
        if key == "document_type":
            return _("Credit note") if value == "credit_note" else _("Invoice")
        return str(value)

    @api.depends("l10n_nl_scan_result")
    def _compute_l10n_nl_scan_confidence_html(self):
        labels = self._l10n_nl_scan_field_labels()
        for record in self:
            result = record.l10n_nl_scan_result or {}
            currency = self.env["res.currency"].search([("name", "=", result.get("currency"))], limit=1) \
                or record.company_id.currency_id
            meta_of = result.get("fields") or {}
            rows = Markup()
            for key, label in labels.items():
                meta = meta_of.get(key)
                if not meta:
                    continue
                confidence = Markup("<td class='text-end'>%s %%</td><td class='text-end'>%s</td>") % (
                    round((meta.get("confidence") or 0) * 100), (meta.get("page") or 0) + 1)
                if key == "tax_lines":
                    for line in result.get(key) or []:
                        rows += Markup("<tr><td>%s</td><td>%s</td>%s</tr>") % (
                            _("VAT %(rate)s %%", rate=formatLang(self.env, line.get("rate") or 0, digits=0)),
                            _("%(amount)s VAT on %(base)s",
                              amount=formatLang(self.env, line.get("amount") or 0, currency_obj=currency),
                              base=formatLang(self.env, line.get("base") or 0, currency_obj=currency)),
                            confidence)
                    continue
                rows += Markup("<tr><td>%s</td><td>%s</td>%s</tr>") % (
                    label, record._l10n_nl_scan_format_value(key, result.get(key), currency), confidence)
            record.l10n_nl_scan_confidence_html = rows and markup.table(
                [_("Field"), _("Value"), (_("Confidence"), "text-end"), (_("Page"), "text-end")], rows,
                "o_l10n_nl_scan_fields")

    def _l10n_nl_scan_context(self, company, partner=None):
        """The engine's context: what the company must never be recognised as,
        and how dates are written."""
        return engine.RecognitionContext(
            own_identifiers=company._l10n_nl_scan_own_identifiers(),
            own_names=[company.name],
            date_order=partner._l10n_nl_scan_supplier_date_order(company) if partner else None,
            default_date_order=company.l10n_nl_scan_date_order,
            today=fields.Date.context_today(self),
        )

    def _l10n_nl_scan_company_lang(self, company=None):
        """These records in the company's language: what the cron, the
        mailbox and the import command write is read by its bookkeepers."""
        company = company or self.company_id
        # In the bill's company too: its settings, rules and taxes, never the user's current company.
        return self.with_company(company).with_context(lang=company.partner_id.lang or self.env.lang)

    @api.model
    def _l10n_nl_scan_pool(self):
        """This Odoo process's reader children (sized by the settings)."""
        params = self.env["ir.config_parameter"].sudo()
        size = int(params.get_param("l10n_nl_scan_herken.reader_processes") or 0) or sandbox.default_size()
        memory = int(params.get_param("l10n_nl_scan_herken.reader_memory_mb") or 1024) * 1024 * 1024
        return sandbox.get_pool(size, memory)

    def _l10n_nl_scan_submit(self, op, data, name, company, partner=None, split="none"):
        """Hand one document to a reader child; returns a Future of its
        Recognition. Reading errors, budgets broken included, come back in
        the Recognition, never as an exception. A file that may be a batch
        scan (``split``) may have more pages and time, as several documents."""
        context = self._l10n_nl_scan_context(company, partner) if op != "recognize_xml" else None
        seconds = company.l10n_nl_scan_time_budget or sandbox.DEFAULT_SECONDS
        if context is not None and split != "none":
            context.split, context.separator_text = split, company.l10n_nl_scan_separator_text or ""
            context.max_pages, seconds = MAX_BATCH_PAGES, seconds * BATCH_TIME_FACTOR
        return sandbox.submit_recognize(self._l10n_nl_scan_pool(), data, name, context, seconds=seconds, op=op)

    @api.model
    def _l10n_nl_scan_error_text(self, recognition, company):
        """The note for a reading that failed, in the reader's words; a
        budget the sandbox enforced is named with the setting that sets it."""
        code = recognition.error_code
        if code == "timeout":
            return _("Reading stopped after %(seconds)s seconds, the time allowed per document (Settings, "
                     "Scan en herken). The original is attached for manual booking.",
                     seconds=company.l10n_nl_scan_time_budget or sandbox.DEFAULT_SECONDS)
        if code == "memory":
            return _("Reading needed more than %(memory)s MiB of memory and was stopped, to protect the server. "
                     "The original is attached for manual booking.",
                     memory=self._l10n_nl_scan_pool().memory // (1024 * 1024))
        if code == "crash":
            return _("The document reader stopped on this file; it may be damaged. The original is attached "
                     "for manual booking.")
        return engine_messages.translate(self.env, recognition.error)

    def _l10n_nl_scan_log_error(self, message):
        self.message_post(body=Markup("<p>%s</p><p>%s</p>") % (
            _("Scan en herken could not read the document."), message))

    def _l10n_nl_scan_raise_if_missing(self, attachment):
        if not attachment:
            raise UserError(_("There is no attached document to recognise."))
