import base64
import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import engine

_logger = logging.getLogger(__name__)

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
    l10n_nl_scan_text = fields.Text(string="Document text", copy=False, readonly=True)
    l10n_nl_scan_result = fields.Json(string="Recognition result", copy=False, readonly=True)
    l10n_nl_scan_filled = fields.Json(string="Values filled by recognition", copy=False, readonly=True)
    l10n_nl_scan_error = fields.Char(string="Recognition error", copy=False, readonly=True)
    l10n_nl_scan_confidence_html = fields.Html(
        string="Recognised fields", compute="_compute_l10n_nl_scan_confidence_html",
        sanitize=False,
    )

    @api.depends("l10n_nl_scan_result")
    def _compute_l10n_nl_scan_confidence_html(self):
        for record in self:
            result = record.l10n_nl_scan_result or {}
            rows = Markup()
            for name, meta in sorted((result.get("fields") or {}).items()):
                value = result.get(name)
                rows += Markup(
                    "<tr><td>%s</td><td>%s</td><td class='text-end'>%s%%</td><td class='text-end'>%s</td></tr>"
                ) % (name, "" if value is None else value,
                     round((meta.get("confidence") or 0) * 100),
                     (meta.get("page") or 0) + 1)
            record.l10n_nl_scan_confidence_html = rows and (
                Markup("<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
                       "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead>"
                       "<tbody>%s</tbody></table>")
                % (_("Field"), _("Value"), _("Confidence"), _("Page"), rows)
            )

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

    def _l10n_nl_scan_recognize_attachment(self, attachment, company, partner=None):
        """Run the engine on one attachment; reading errors come back as a
        result with an 'error' key, never as an exception."""
        data = base64.b64decode(attachment.datas or b"")
        context = self._l10n_nl_scan_context(company, partner)
        return engine.recognize(data, attachment.name or "", context)

    def _l10n_nl_scan_log_error(self, message):
        self.message_post(body=Markup("<p>%s</p><p>%s</p>") % (
            _("Scan en herken could not read the document."), message))

    def _l10n_nl_scan_raise_if_missing(self, attachment):
        if not attachment:
            raise UserError(_("There is no attached document to recognise."))
