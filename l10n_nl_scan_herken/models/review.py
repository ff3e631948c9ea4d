import re

from odoo import api, models
from odoo.tools.misc import format_date, formatLang

from ..engine import sandbox
from ..engine.reading.document import Document
from ..engine.review import KINDS, value_at
from .recognition_mixin import MARKED_FIELDS

# A click fills a date field with a date, a number field with an amount.
KIND_OF_TYPE = {"date": "date", "float": "amount", "monetary": "amount", "char": "text"}


class L10nNlScanReview(models.AbstractModel):
    """The review screen's server side: the pages of a bill's document with
    the words and the places each recognised value was read, and the value
    under the bookkeeper's click, parsed as the recognisers parse."""

    _name = "l10n_nl_scan_herken.review"
    _description = "Scan en herken review screen"

    @api.model
    def _layout(self, move):
        """The bill's stored words as a Document, or None (mail text, an
        e-invoice, a bill recognised before words were kept)."""
        layout = move.l10n_nl_scan_layout
        if not layout or not layout.get("pages"):
            return None
        return Document.from_state(layout)

    @api.model
    def _viewer_data(self, move):
        document = self._layout(move)
        if document is None:
            return {"pages": []}
        labels = move._l10n_nl_scan_field_labels()  # what was read: "Btw-nummer", not only "Leverancier"
        result = move.l10n_nl_scan_result or {}
        marks = []
        for key, target, kind in MARKED_FIELDS:
            meta = (result.get("fields") or {}).get(key)
            if not meta or not meta.get("bbox") or result.get(key) in (None, ""):
                continue
            marks.append(
                {
                    "key": key,
                    "field": target,
                    "kind": kind,
                    "label": labels.get(key, key),
                    "page": meta.get("page") or 0,
                    "bbox": meta["bbox"],
                    "confidence": meta.get("confidence") or 0.0,
                    "value": move._l10n_nl_scan_format_value(key, result.get(key), move.currency_id),
                }
            )
        unique = (move.l10n_nl_scan_layout_attachment_id.checksum or "")[:12]
        pages = []
        for index, page in enumerate(document.pages):
            pages.append(
                {
                    "index": index,
                    "number": page.number,
                    "width": page.width,
                    "height": page.height,
                    "url": f"/l10n_nl_scan_herken/page/{move.id}/{index}?unique={unique}",
                    "words": [
                        [w.text, round(w.x0, 1), round(w.top, 1), round(w.x1, 1), round(w.bottom, 1), li, wi]
                        for li, line in enumerate(page.lines)
                        for wi, w in enumerate(line.words)
                    ],
                }
            )
        return {"pages": pages, "marks": marks, "kinds": self._kinds(move)}

    @api.model
    def _kinds(self, move):
        """The fields of the bill a click can fill, with the kind of value:
        the header fields scan en herken fills, and every date, number and
        text field of the bill and its lines by its type."""
        kinds = {name: KIND_OF_TYPE[field.type] for name, field in move._fields.items() if field.type in KIND_OF_TYPE}
        kinds.update({target: kind for _key, target, kind in MARKED_FIELDS if kind})
        for name, field in move.env["account.move.line"]._fields.items():
            if field.type in KIND_OF_TYPE:
                kinds.setdefault(f"line.{name}", KIND_OF_TYPE[field.type])
        return kinds

    @api.model
    def _pick(self, move, page, line, word, kind):
        """The value of ``kind`` under a click on word ``word`` of line
        ``line`` of page ``page``, in the supplier's date notation."""
        if kind not in KINDS:
            return None
        document = self._layout(move)
        if document is None:
            return None
        result = move.l10n_nl_scan_result or {}
        order = result.get("date_order") or move.company_id.l10n_nl_scan_date_order or "dmy"
        picked = value_at(document, page, line, word, kind, order)
        if picked:
            picked["page"] = document.pages[page].number
        return picked

    @api.model
    def _page_picture(self, move, index):
        """(mimetype, bytes) of page ``index`` as read, drawn in a reader
        child (a hostile file cannot take the web worker down), or None."""
        document = self._layout(move)
        attachment = move.l10n_nl_scan_layout_attachment_id
        if document is None or not attachment or not 0 <= index < len(document.pages):
            return None
        page = document.pages[index]
        return sandbox.render_page(
            attachment.raw or b"",
            page.number,
            page.turn,
            page.crop,
            page.skew,
            pool=self.env["l10n_nl_scan_herken.reader"]._pool(),
        )

    @api.model
    def _einvoice_page(self, move):
        """The bill's XML e-invoice as a readable page (read in a reader
        child), or None when the bill has no XML or it cannot be shown."""
        attachment = move._l10n_nl_scan_xml_attachment()
        if not attachment:
            return None
        view, _error = sandbox.einvoice_view(attachment.raw or b"", pool=self.env["l10n_nl_scan_herken.reader"]._pool())
        if view is None:
            return None

        def decimals(text):
            match = re.search(r"\.(\d+)$", text.strip())
            return len(match.group(1)) if match else 0

        def number(text, least=0):
            try:
                return formatLang(self.env, float(text), digits=max(least, decimals(text)))
            except (TypeError, ValueError):
                return text

        return self.env["ir.qweb"]._render(
            "l10n_nl_scan_herken.einvoice_view",
            {
                "view": view,
                "fmt_amount": lambda text: number(text, 2),
                "fmt_number": number,
                "fmt_date": lambda iso: format_date(self.env, iso) if iso else iso,
            },
        )
