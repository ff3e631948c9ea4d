import logging
import os
from decimal import Decimal

from markupsafe import Markup

from odoo import _, _lt, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date, formatLang

from ..engine.reading.files import SUPPORTED_MIMETYPES
from ..tools import markup

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


# The one map between what the engine reads and the bill, from which every
# other view of it derives (the bill's header, the review screen's boxes,
# masks and what they learn at posting, the labels):
# (engine key, bill field it fills, bill field that holds it once posted,
#  what a click on the page gives, a supplier mask may read it, label).
FIELD_MAP = [
    ("document_type", None, None, None, False, _lt("Document type")),
    ("supplier_name", "partner_id", None, None, False, _lt("Supplier")),
    ("supplier_street", None, None, None, False, _lt("Street")),
    ("supplier_zip", None, None, None, False, _lt("Postcode")),
    ("supplier_city", None, None, None, False, _lt("City")),
    ("supplier_country", None, None, None, False, _lt("Country")),
    ("supplier_vat", "partner_id", None, None, False, _lt("VAT number")),
    ("supplier_kvk", "partner_id", None, None, False, _lt("KvK number")),
    ("supplier_iban", "partner_id", None, None, False, _lt("IBAN")),
    ("invoice_number", "ref", "ref", "text", True, _lt("Invoice number")),
    ("invoice_date", "invoice_date", "invoice_date", "date", True, _lt("Invoice date")),
    ("due_date", "invoice_date_due", "invoice_date_due", "date", True, _lt("Due date")),
    ("currency", "currency_id", None, None, False, _lt("Currency")),
    ("amount_untaxed", "tax_totals", "amount_untaxed", None, True, _lt("Total excl. VAT")),
    ("amount_tax", "tax_totals", "amount_tax", None, True, _lt("VAT amount")),
    ("amount_total", "tax_totals", "amount_total", None, True, _lt("Total incl. VAT")),
    ("tax_lines", None, None, None, False, _lt("VAT lines")),
    ("payment_reference", "payment_reference", "payment_reference", "text", True, _lt("Payment reference")),
    ("purchase_order", "invoice_origin", "invoice_origin", "text", True, _lt("Purchase order")),
    ("packing_slip", "l10n_nl_scan_packing_slip", "l10n_nl_scan_packing_slip", "text", True, _lt("Packing slip")),
]
# The header fields recognition fills in, as (bill field, engine key): not
# the supplier (matched, not read) nor the totals (the lines make them).
HEADER_FIELDS = [
    (target, key)
    for key, target, _posted, _click, _mask, _label in FIELD_MAP
    if target and target not in ("partner_id", "tax_totals")
]
# What the review screen marks and fills: (engine key, bill field, kind of value a click gives).
MARKED_FIELDS = [(key, target, click) for key, target, _posted, click, _mask, _label in FIELD_MAP if target]
# Where each mask field's posted value is on a bill.
POSTED_FIELDS = {key: posted for key, _target, posted, _click, mask, _label in FIELD_MAP if mask}
# The mask fields with their labels, as a selection.
MASK_FIELD_SELECTION = [(key, label._source) for key, _t, _p, _c, mask, label in FIELD_MAP if mask]

# What scan en herken itself writes while it reads a document: users may not
# write these (a view's readonly does not stop RPC), or a user could make
# the queue read any file (the words kept, the document read) or fake a
# recognition. Scan en herken writes them through _l10n_nl_scan_write.
PROTECTED_FIELDS = frozenset(
    {
        "l10n_nl_scan_state",
        "l10n_nl_scan_source",
        "l10n_nl_scan_score",
        "l10n_nl_scan_text",
        "l10n_nl_scan_read_by_scan",
        "l10n_nl_scan_filename",
        "l10n_nl_scan_file_extension",
        "l10n_nl_scan_result",
        "l10n_nl_scan_filled",
        "l10n_nl_scan_error",
        "l10n_nl_scan_layout",
        "l10n_nl_scan_layout_attachment_id",
        "l10n_nl_scan_iban",
        "l10n_nl_scan_kvk",
        "l10n_nl_scan_vat",
        "l10n_nl_scan_message_id",
        "l10n_nl_scan_mail_id",
        "l10n_nl_scan_attempts",
        "l10n_nl_scan_lease",
        "l10n_nl_scan_part_of_id",
        "l10n_nl_scan_keep_whole",
        "l10n_nl_scan_booking_template_id",
    }
)


def _storable(value):
    """``value`` as PostgreSQL stores it: a text a document carries may hold
    NUL characters (a glyph that maps to no character), which PostgreSQL
    refuses in text and JSON alike; they are dropped, in nested values too."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_storable(item) for item in value)
    return value


class L10nNlScanRecognitionMixin(models.AbstractModel):
    """What scan en herken keeps on a record it recognised: the engine's result,
    the values it filled in (so a second run leaves user edits alone) and the
    document text that rules and search use."""

    _name = "l10n_nl_scan_herken.recognition.mixin"
    _description = "Scan en herken recognition"

    l10n_nl_scan_state = fields.Selection(SCAN_STATES, string="Scan state", copy=False, index=True, readonly=True)
    l10n_nl_scan_source = fields.Selection(SCAN_SOURCES, string="Recognition method", copy=False, readonly=True)
    l10n_nl_scan_score = fields.Integer(
        string="Recognition score",
        copy=False,
        readonly=True,
        help="0-100: how sure scan en herken is of the fields it filled in.",
    )
    l10n_nl_scan_text = fields.Text(
        string="Document text",
        copy=False,
        readonly=True,
        help="The text read: the first ten pages of the document, or the mail's text when there was no attachment.",
    )
    l10n_nl_scan_read_by_scan = fields.Boolean(
        string="Read by scan en herken",
        compute="_compute_l10n_nl_scan_read_by_scan",
        store=True,
        help="Read from a PDF, a picture or a mail's text; not an e-invoice read from its XML.",
    )
    l10n_nl_scan_filename = fields.Char(string="File name", copy=False, readonly=True)
    l10n_nl_scan_file_extension = fields.Char(
        string="File extension", copy=False, readonly=True, help="The read file's extension, such as .pdf or .xml."
    )
    l10n_nl_scan_result = fields.Json(string="Recognition result", copy=False, readonly=True)
    l10n_nl_scan_filled = fields.Json(string="Values filled by recognition", copy=False, readonly=True)
    l10n_nl_scan_error = fields.Char(string="Recognition error", copy=False, readonly=True)
    # The words with their places as read, for the review screen and for a
    # second recognition without a second OCR; large, so never prefetched.
    l10n_nl_scan_layout = fields.Json(string="Document words", copy=False, readonly=True, prefetch=False)
    l10n_nl_scan_layout_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Document read",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The file whose words are kept: the review screen draws its pages.",
    )
    l10n_nl_scan_confidence_html = fields.Html(
        string="Recognised fields",
        compute="_compute_l10n_nl_scan_confidence_html",
        sanitize=False,
    )

    def _l10n_nl_scan_write(self, values):
        """Write ``values``; the technical fields among them as superuser,
        since only scan en herken's own steps may set them (see
        PROTECTED_FIELDS); the rest with the caller's rights."""
        values = _storable(values)
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
            raise AccessError(
                _("Only scan en herken itself may set these fields: %(fields)s.", fields=", ".join(sorted(names)))
            )

    @api.depends("l10n_nl_scan_source")
    def _compute_l10n_nl_scan_read_by_scan(self):
        for record in self:
            record.l10n_nl_scan_read_by_scan = record.l10n_nl_scan_source in ("pdf_text", "ocr", "mail_text")

    @api.model
    def _l10n_nl_scan_file_values(self, filename, text):
        """What automation rules see of the file read: its name, extension
        and the text of its first ten pages."""
        extension = os.path.splitext(filename or "")[1].lower()
        return {
            "l10n_nl_scan_filename": filename or False,
            "l10n_nl_scan_file_extension": extension or False,
            "l10n_nl_scan_text": "\f".join((text or "").split("\f")[:MAX_TEXT_PAGES]) or False,
        }

    def _l10n_nl_scan_field_labels(self):
        """The recognised fields in the reader's words, in the table's order."""
        return {key: self.env._(label) for key, _t, _p, _c, _m, label in FIELD_MAP}

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
            currency = (
                self.env["res.currency"].search([("name", "=", result.get("currency"))], limit=1)
                or record.company_id.currency_id
            )
            meta_of = result.get("fields") or {}
            rows = Markup()
            for key, label in labels.items():
                meta = meta_of.get(key)
                if not meta:
                    continue
                confidence = Markup("<td class='text-end'>%s %%</td><td class='text-end'>%s</td>") % (
                    round((meta.get("confidence") or 0) * 100),
                    (meta.get("page") or 0) + 1,
                )
                if key == "tax_lines":
                    for line in result.get(key) or []:
                        rows += Markup("<tr><td>%s</td><td>%s</td>%s</tr>") % (
                            _("VAT %(rate)s %%", rate=formatLang(self.env, line.get("rate") or 0, digits=0)),
                            _(
                                "%(amount)s VAT on %(base)s",
                                amount=formatLang(self.env, line.get("amount") or 0, currency_obj=currency),
                                base=formatLang(self.env, line.get("base") or 0, currency_obj=currency),
                            ),
                            confidence,
                        )
                    continue
                rows += Markup("<tr><td>%s</td><td>%s</td>%s</tr>") % (
                    label,
                    record._l10n_nl_scan_format_value(key, result.get(key), currency),
                    confidence,
                )
            record.l10n_nl_scan_confidence_html = rows and markup.table(
                [_("Field"), _("Value"), (_("Confidence"), "text-end"), (_("Page"), "text-end")],
                rows,
                "o_l10n_nl_scan_fields",
            )

    def _l10n_nl_scan_company_lang(self, company=None):
        """These records in the company's language: what the cron, the
        mailbox and the import command write is read by its bookkeepers."""
        company = company or self.company_id
        # In the bill's company too: its settings, rules and taxes, never the user's current company.
        return self.with_company(company).with_context(lang=company.partner_id.lang or self.env.lang)

    # ---- The bill's small helpers, for every stage ------------------------

    def _l10n_nl_scan_document(self):
        """The attachment to recognise: the preview's main attachment when it
        is a document the engine reads, else the newest such attachment."""
        self.ensure_one()
        main = self.message_main_attachment_id
        # Only a file of this bill: the main attachment is writable by users, who could point it at any
        # attachment (another company's document) for the queue to read. sudo: compares its owner only.
        if (
            main
            and main.sudo().res_model == self._name
            and main.sudo().res_id == self.id
            and main.sudo().mimetype in SUPPORTED_MIMETYPES
        ):
            return main
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("mimetype", "in", list(SUPPORTED_MIMETYPES)),
            ],
            order="id desc",
            limit=1,
        )

    def _l10n_nl_scan_xml_attachment(self):
        # The mail gateway may store an XML file as text/plain: its name counts too.
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                "|",
                ("mimetype", "in", ["application/xml", "text/xml"]),
                ("name", "=ilike", "%.xml"),
            ],
            limit=1,
        )

    def _l10n_nl_scan_fail(self, message):
        self._l10n_nl_scan_write(
            {"l10n_nl_scan_state": "failed", "l10n_nl_scan_error": message, "l10n_nl_scan_lease": False}
        )
        self._l10n_nl_scan_log_error(message)

    def _l10n_nl_scan_commit(self):
        """Commit per document: the queue's promise (a crash loses at most the
        document in hand) needs it, as core's crons do; never inside tests."""
        if self._can_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _l10n_nl_scan_post_list(self, title, items):
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>") % (title, Markup().join(Markup("<li>%s</li>") % item for item in items))
        )

    def _l10n_nl_scan_log_error(self, message):
        self.message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (_("Scan en herken could not read the document."), message)
        )

    def _l10n_nl_scan_raise_if_missing(self, attachment):
        if not attachment:
            raise UserError(_("There is no attached document to recognise."))
