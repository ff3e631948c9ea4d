from markupsafe import Markup

from odoo import _, api, fields, models

from ..engine.reading.document import Document, document_from_text
from ..engine.recognizers.mask_learning import empty, learn_mask, mask_value, same_value
from ..engine.recognizers.masks import MASK_FIELDS
from .recognition_mixin import POSTED_FIELDS

assert set(POSTED_FIELDS) == set(MASK_FIELDS)
# Learned masks come after the ones a user wrote: a written mask wins.
LEARNED_SEQUENCE = 20
CHECKED_BILLS = 10


class L10nNlScanMaskLearning(models.AbstractModel):
    """Masks from the bookkeeper's corrections: at posting, each header value
    the bookkeeper changed from what was read is looked up in the kept
    document and what identifies it becomes a learned mask of the supplier;
    a learned mask that gave something else than what was posted is
    corrected, or switched off when nothing identifies the value."""

    _name = "l10n_nl_scan_herken.mask_learning"
    _description = "Scan en herken: learning masks from corrections"

    @api.model
    def _document(self, move):
        """The words read from the bill's document (no second OCR), or the
        mail text it was read from; None for an e-invoice."""
        layout = move.l10n_nl_scan_layout
        if layout and layout.get("pages"):
            return Document.from_state(layout)
        if move.l10n_nl_scan_source == "mail_text" and move.l10n_nl_scan_text:
            return document_from_text(move.l10n_nl_scan_text)
        return None

    @api.model
    def _posted_values(self, move):
        values = {}
        for key, field_name in POSTED_FIELDS.items():
            value = move[field_name]
            values[key] = fields.Date.to_string(value) if MASK_FIELDS[key] == "date" and value else value
        return values

    @api.model
    def _date_order(self, move):
        return (move.l10n_nl_scan_result or {}).get("date_order") or move.partner_id._l10n_nl_scan_date_order(
            move.company_id
        )

    @api.model
    def _learn(self, move):
        """Learn from one posted bill; the chatter says what changed."""
        document = self._document(move)
        partner = move.partner_id.commercial_partner_id
        if document is None or not partner:
            return
        masks = (
            self.env["l10n_nl_scan_herken.mask"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", partner.id), ("company_id", "in", move.company_id.parent_ids.ids)])
        )
        read = move.l10n_nl_scan_result or {}
        posted = self._posted_values(move)
        said = []
        for key, value in posted.items():
            if key == "due_date" and empty(read.get(key)) and value == posted["invoice_date"]:
                continue  # a due date Odoo filled in (the invoice date), not the bookkeeper
            said += self._learn_field(
                move, document, masks.filtered(lambda mask, key=key: mask.field == key), key, value
            )
        if said:
            move.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    _(
                        "Scan en herken learned from your corrections, for %(supplier)s's next invoices:",
                        supplier=partner.display_name,
                    ),
                    Markup().join(Markup("<li>%s</li>") % line for line in said),
                )
            )

    @api.model
    def _learn_field(self, move, document, masks, key, value):
        """What changed in the masks of one field (sentences for the chatter):
        nothing when it was read right; a written mask that was wrong is
        only named; a learned one is corrected, or switched off when nothing
        on the document identifies the booked value; else a mask is learned."""
        order, read = self._date_order(move), (move.l10n_nl_scan_result or {}).get(key)
        label = move._l10n_nl_scan_field_labels().get(key, key)

        def shown(value_read):
            return move._l10n_nl_scan_format_value(key, value_read, move.currency_id)

        giving = [(mask, mask_value(document.text, key, mask.pattern, order)[0]) for mask in masks if mask.active]
        giving = [(mask, found) for mask, found in giving if not empty(found)]
        if same_value(key, giving[0][1] if giving else read, value):
            return []
        if empty(value):
            # The bookkeeper cleared what a learned mask read: the document has no such value.
            learned = [(mask, found) for mask, found in giving if mask.origin == "learned"]
            masks.browse([mask.id for mask, _found in learned]).active = False
            return [
                _(
                    "Switched off the learned mask for %(field)s (%(pattern)s): it read %(found)s where you "
                    "booked nothing.",
                    field=label,
                    pattern=mask.pattern,
                    found=shown(found),
                )
                for mask, found in learned
            ]
        if giving and giving[0][0].origin == "manual":
            return [
                _(
                    "Your mask for %(field)s (%(pattern)s) gave %(found)s where you booked %(value)s; it is "
                    "left as you wrote it: check it on the supplier.",
                    field=label,
                    pattern=giving[0][0].pattern,
                    found=shown(giving[0][1]),
                    value=shown(value),
                )
            ]
        wrong = [(mask, found) for mask, found in giving if mask.origin == "learned"]
        pick = (move.l10n_nl_scan_picked or {}).get(POSTED_FIELDS[key]) or {}
        near = (pick["page"], pick["bbox"]) if pick.get("bbox") and same_value(key, pick.get("value"), value) else None
        pattern = learn_mask(document, key, value, order, near)
        if not pattern:
            masks.browse([mask.id for mask, _found in wrong]).active = False
            return [
                _(
                    "Switched off the learned mask for %(field)s (%(pattern)s): it gave %(found)s where you booked "
                    "%(value)s, and nothing on this document identifies the value.",
                    field=label,
                    pattern=mask.pattern,
                    found=shown(found),
                    value=shown(value),
                )
                for mask, found in wrong
            ]
        values = {"pattern": pattern, "active": True, "move_id": move.id}
        if wrong:
            masks.browse([mask.id for mask, _found in wrong[1:]]).active = False
            wrong[0][0].write(values)
            return [
                _(
                    "Corrected the learned mask for %(field)s to %(pattern)s: it read something else than the "
                    "%(value)s you booked.",
                    field=label,
                    pattern=pattern,
                    value=shown(value),
                )
            ]
        same = masks.filtered(lambda mask: mask.pattern == pattern)[:1]
        if same:
            same.write(values)
        else:
            masks.create(
                {
                    "partner_id": move.partner_id.commercial_partner_id.id,
                    "company_id": move.company_id.id,
                    "field": key,
                    "pattern": pattern,
                    "origin": "learned",
                    "sequence": LEARNED_SEQUENCE,
                    "move_id": move.id,
                }
            )
        return [_("Learned %(field)s: %(pattern)s", field=label, pattern=pattern)]

    @api.model
    def _check(self, partner, company):
        """[(bill, field, booked, masks give, pattern, error)] where the
        supplier's active masks now read something else than was booked on
        its last posted bills, from the kept words (no second OCR); the
        number of bills checked."""
        masks = self.env["l10n_nl_scan_herken.mask"]._for_supplier(partner, company)
        bills = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "posted"),
                ("l10n_nl_scan_state", "=", "done"),
                ("l10n_nl_scan_source", "in", ["pdf_text", "ocr", "mail_text"]),
            ],
            order="date desc, id desc",
            limit=CHECKED_BILLS,
        )
        rows, checked = [], 0
        for bill in bills:
            document = self._document(bill)
            if document is None:
                continue
            checked += 1
            posted, order, text = self._posted_values(bill), self._date_order(bill), document.text
            for key in dict.fromkeys(field for field, _pattern in masks):
                found = error = None
                for pattern in (pattern for field, pattern in masks if field == key):
                    found, error = mask_value(text, key, pattern, order)
                    if error or not empty(found):
                        break
                if error or (not empty(found) and not same_value(key, found, posted[key])):
                    rows.append((bill, key, posted[key], found, pattern, error))
        return rows, checked
