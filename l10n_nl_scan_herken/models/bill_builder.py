from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import float_compare, float_round

from .. import engine
from ..tools import engine_messages
from .recognition_mixin import HEADER_FIELDS


class L10nNlScanBillBuilder(models.AbstractModel):
    """From a recognised document to a bill that fits this company's master
    data: proposals from the supplier and its history, one line per VAT rate
    with the company's purchase tax of that rate, totals equal to the
    document's."""

    _name = "l10n_nl_scan_herken.bill_builder"
    _description = "Scan en herken bill builder"

    @api.model
    def _fill_bill(self, move, recognition, approve=True):
        """Store the engine's result and fill the header, leaving alone every
        field whose value differs from what an earlier run filled in; then
        the approve rules, unless the caller still changes the bill."""
        move.ensure_one()
        if recognition.error:
            return self._fail_bill(move, recognition)
        result = recognition.to_dict()
        # What automation rules see before the supplier is known: the file, its text, how it was read.
        move._l10n_nl_scan_write(
            {
                **move._l10n_nl_scan_file_values(
                    recognition.file if recognition.source != "mail_text" else None, recognition.text
                ),
                "l10n_nl_scan_source": result.get("source"),
                "l10n_nl_scan_score": result.get("score") or 0,
            }
        )
        rules = self.env["l10n_nl_scan_herken.rule"]
        partner, how = rules._assign_supplier(move)
        if not partner:
            partner, how = self.env["l10n_nl_scan_herken.supplier_matcher"]._match(move.company_id, result)
        recognition = self._reread_for_supplier(move, recognition, partner or move.partner_id)
        result = {**recognition.to_dict(), **engine_messages.stored_warnings(recognition)}
        proposed = self._header_values(move, result)
        if partner:
            proposed["partner_id"] = partner.id
        previous = move.l10n_nl_scan_filled or {}
        to_write, kept = self._unless_edited(move, proposed, previous)
        if (
            result.get("document_type") == "credit_note"
            and move.move_type == "in_invoice"
            and not move.invoice_line_ids
        ):
            to_write["move_type"] = "in_refund"
        to_write.update(
            {
                "l10n_nl_scan_iban": result.get("supplier_iban"),
                "l10n_nl_scan_kvk": result.get("supplier_kvk"),
                "l10n_nl_scan_vat": result.get("supplier_vat"),
                "l10n_nl_scan_lease": False,
                "l10n_nl_scan_state": "done",
                "l10n_nl_scan_error": False,
                "l10n_nl_scan_source": result.get("source"),
                "l10n_nl_scan_score": result.get("score") or 0,
                "l10n_nl_scan_result": result,
                "l10n_nl_scan_filled": {**previous, **proposed},
            }
        )
        # The words as read, for the review screen: only a PDF or image has pages to draw.
        read_file = move._l10n_nl_scan_document() if recognition.source in ("pdf_text", "ocr") else None
        to_write["l10n_nl_scan_layout"] = (
            recognition.document.to_state() if read_file and recognition.document is not None else False
        )
        to_write["l10n_nl_scan_layout_attachment_id"] = read_file.id if read_file else False
        # A due date printed on the document wins over payment terms (as in
        # core's e-invoice import): without clearing the terms, Odoo would
        # recompute the due date from them.
        if "invoice_date_due" in to_write:
            to_write["invoice_payment_term_id"] = False
        move._l10n_nl_scan_write(to_write)
        template_note = self._book(move, result)
        due_note = self._due_as_printed(move, result, previous)
        self.env["l10n_nl_scan_herken.approval"]._guard_payee(move)
        self._post_summary(move, result, kept, how, template_note, due_note)
        if approve:
            rules._approve(move)

    @api.model
    def _header_values(self, move, result):
        values = {}
        for field_name, key in HEADER_FIELDS:
            value = result.get(key)
            if value in (None, ""):
                continue
            if field_name == "currency_id":
                currency = (
                    self.env["res.currency"].with_context(active_test=False).search([("name", "=", value)], limit=1)
                )
                if not currency:
                    continue
                value = currency.id
            values[field_name] = value
        return values

    @api.model
    def _comparable(self, move, field_name):
        """A field's value in the form the engine proposes it (ids, ISO dates)."""
        value = move[field_name]
        field = move._fields[field_name]
        if field.type == "many2one":
            return value.id or False
        if field.type == "date":
            return value and fields.Date.to_string(value)
        return value

    @api.model
    def _book(self, move, result):
        """Proposals from the supplier, then the lines: one per VAT rate, the
        totals as on the document. Lines are only made on a bill without any.
        An assign-booking-template rule that holds for the bill so made (its
        amounts included) has the lines made again with its template; the
        sentence saying so is returned."""
        proposals = {k: v for k, v in self._proposals(move, move.partner_id, result).items() if not move[k]}
        if proposals:
            move.write(proposals)
        if move.invoice_origin and move.partner_id and not move.invoice_line_ids:
            # Core's hook for OCR'd bills: with the purchase app, the order's lines come onto the bill.
            move._find_and_set_purchase_orders(
                [move.invoice_origin],
                move.partner_id.id,
                abs(result.get("amount_total") or 0.0),
                from_ocr=True,
                timeout=4,
            )
        made = self._make_lines(move, result)
        template, note = self.env["l10n_nl_scan_herken.rule"]._booking_template(move)
        if not template or template == move.l10n_nl_scan_booking_template_id:
            return None
        move._l10n_nl_scan_write({"l10n_nl_scan_booking_template_id": template.id})
        if made:
            move.invoice_line_ids = [fields.Command.clear()]
            self._make_lines(move, result)
        return note

    @api.model
    def _make_lines(self, move, result):
        """Make the bill's lines from the document; whether it did."""
        if not move.company_id.l10n_nl_scan_recognize_amounts or move.invoice_line_ids:
            return False
        line_values = self._line_values(move, move.partner_id, result)
        if not line_values:
            return False
        with move._get_edi_creation() as editing:
            editing.invoice_line_ids = [fields.Command.create(values) for values in line_values]
        with move._get_edi_creation() as editing:
            self._correct_taxes(editing, result)
        return True

    @api.model
    def _post_summary(self, move, result, kept, how=None, template_note=None, due_note=None):
        # The label in the reader's language ("PDF-tekst"), not the English source.
        method = dict(move._fields["l10n_nl_scan_source"]._description_selection(self.env)).get(
            result.get("source"), ""
        )
        missing = [
            label
            for label, key in (
                (_("invoice number"), "invoice_number"),
                (_("invoice date"), "invoice_date"),
                (_("total"), "amount_total"),
            )
            if result.get(key) is None
        ]
        items = Markup()
        if missing:
            items += Markup("<li>%s</li>") % _("Not found: %(fields)s", fields=", ".join(missing))
        if kept:
            items += Markup("<li>%s</li>") % _("Kept your changes to: %(fields)s", fields=", ".join(kept))
        for note in (how, template_note, due_note):
            if note:
                items += Markup("<li>%s</li>") % note
        by_mask = [key for key, meta in (result.get("fields") or {}).items() if meta.get("how") == "mask"]
        if by_mask:
            labels = move._l10n_nl_scan_field_labels()
            items += Markup("<li>%s</li>") % _(
                "Read by the supplier's masks: %(fields)s", fields=", ".join(labels.get(key, key) for key in by_mask)
            )
        for warning in engine_messages.result_warnings(self.env, result):
            items += Markup("<li>%s</li>") % warning
        body = Markup("<p>%s</p>") % _(
            "Recognised by scan en herken (%(method)s, score %(score)s).",
            method=method,
            score=result.get("score") or 0,
        )
        if items:
            body += Markup("<ul>%s</ul>") % items
        move.message_post(body=body)

    @api.model
    def _due_as_printed(self, move, result, previous):
        """A document that prints no due date, from a supplier without payment
        terms, is due on its invoice date: Odoo's default (today, the day it
        was read) would have a payment run pay it at once. A due date the
        user set is kept. Returns the sentence for the summary."""
        if result.get("due_date") or move.invoice_payment_term_id or not move.invoice_date:
            return None
        filled = previous.get("invoice_date_due")
        if previous and filled and fields.Date.to_string(move.invoice_date_due) != filled:
            return None  # the bookkeeper changed it since the last run
        due = fields.Date.to_string(move.invoice_date)
        move._l10n_nl_scan_write(
            {
                "invoice_date_due": move.invoice_date,
                "l10n_nl_scan_filled": {**(move.l10n_nl_scan_filled or {}), "invoice_date_due": due},
            }
        )
        return _("No due date on the document: the bill is due on its invoice date.")

    @api.model
    def _unless_edited(self, move, proposed, previous):
        """(values to write, labels of fields kept): a proposed value is
        written unless the user changed the field since the last run."""
        to_write, kept = {}, []
        for name, value in proposed.items():
            current = self._comparable(move, name)
            # On the first run defaults (today as due date) are not user edits.
            if not previous or current in (False, None, "") or current == previous.get(name):
                to_write[name] = value
            elif current != value:
                kept.append(move._fields[name].get_description(self.env)["string"])
        return to_write, kept

    @api.model
    def _fail_bill(self, move, recognition):
        """A reading that failed: the bill keeps its original and says why."""
        message = self.env["l10n_nl_scan_herken.reader"]._error_text(recognition, move.company_id)
        move._l10n_nl_scan_write(
            {
                "l10n_nl_scan_lease": False,
                "l10n_nl_scan_state": "failed",
                "l10n_nl_scan_error": message,
                "l10n_nl_scan_result": recognition.to_dict(),
                "l10n_nl_scan_score": 0,
            }
        )
        move._l10n_nl_scan_log_error(message)

    @api.model
    def _reread_for_supplier(self, move, recognition, supplier):
        """What the supplier's settings change (the way it writes dates, its
        masks) is read again from the words kept: no second OCR."""
        supplier_order = supplier._l10n_nl_scan_supplier_date_order(move.company_id)
        other_order = (
            supplier_order and recognition.date_order_source != "context" and supplier_order != recognition.date_order
        )
        masks = self.env["l10n_nl_scan_herken.mask"]._for_supplier(supplier, move.company_id)
        if recognition.document is None or not (other_order or masks):
            return recognition
        context = self.env["l10n_nl_scan_herken.reader"]._engine_context(move.company_id)
        if other_order:
            context.date_order = supplier_order
        context.masks = masks
        text = recognition.text
        recognition = engine.recognize_document(recognition.document, recognition.file, context)
        recognition.text = text
        return recognition

    # ---- Proposals ---------------------------------------------------------

    @api.model
    def _proposals(self, move, partner, result):
        values = {}
        if partner:
            term = partner.with_company(move.company_id).property_supplier_payment_term_id
            if term and not result.get("due_date"):
                values["invoice_payment_term_id"] = term.id
            if not result.get("currency") and "property_purchase_currency_id" in partner._fields:
                currency = partner.with_company(move.company_id).property_purchase_currency_id
                if currency:
                    values["currency_id"] = currency.id
        return values

    def _last_posted_line(self, move, partner):
        if not partner:
            return self.env["account.move.line"]
        return self.env["account.move.line"].search(
            [
                ("move_id.partner_id.commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("move_id.state", "=", "posted"),
                ("move_id.company_id", "=", move.company_id.id),
                ("move_id.move_type", "in", ("in_invoice", "in_refund")),
                ("display_type", "=", "product"),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _label(self, move, partner, template):
        """The label of the supplier's last validated bill, else its name."""
        if template.label:
            return template.label
        last = self._last_posted_line(move, partner)
        return last.name or partner.name or move.ref or "/"

    def _account(self, move, partner, template):
        """Booking template, else the supplier's last validated bill, else the journal's default."""
        if template.account_id:
            return template.account_id
        last = self._last_posted_line(move, partner)
        return last.account_id or move.journal_id.default_account_id

    def _tax_for_rate(self, move, rate, partner):
        company = move.company_id
        taxes = self.env["account.tax"].search(
            [
                *self.env["account.tax"]._check_company_domain(company),
                ("type_tax_use", "=", "purchase"),
                ("amount_type", "=", "percent"),
                ("price_include", "=", False),
                ("amount", "=", rate),
                ("country_id", "=", company.account_fiscal_country_id.id),
            ],
            order="sequence, id",
        )
        # A plain domestic tax before reverse-charge or import variants.
        plain = taxes.filtered(lambda t: not any(line.factor_percent < 0 for line in t.invoice_repartition_line_ids))
        tax = (plain or taxes)[:1]
        position = move.fiscal_position_id
        if not position and partner:
            position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        return position.map_tax(tax) if position and tax else tax

    # ---- Lines -------------------------------------------------------------

    @api.model
    def _line_values(self, move, partner, result, merge=True):
        """One line per VAT rate (the document's bases), or one line for the
        untaxed amount when the document shows no rates."""
        # A template an automation rule assigned to the bill wins over the supplier's.
        template = move.l10n_nl_scan_booking_template_id or (
            partner.with_company(move.company_id).l10n_nl_scan_booking_template_id
            if partner
            else self.env["l10n_nl_scan_herken.booking_template"]
        )
        account = self._account(move, partner, template)
        label = self._label(move, partner, template)
        lines = []
        tax_lines = result.get("tax_lines") or []
        for tax_line in tax_lines:
            tax = self._tax_for_rate(move, tax_line["rate"], partner) or template.tax_ids
            lines.append(self._line(label, abs(tax_line["base"]), account, tax, template))
        if not lines and result.get("amount_untaxed") is not None:
            untaxed, tax_amount = abs(result["amount_untaxed"]), abs(result.get("amount_tax") or 0.0)
            rate = float_round(tax_amount / untaxed * 100, 0) if untaxed else 0.0
            tax = self._tax_for_rate(move, rate, partner) or template.tax_ids
            lines.append(self._line(label, untaxed, account, tax, template))
        return lines

    def _line(self, label, amount, account, taxes, template):
        values = {"name": label, "quantity": 1, "price_unit": amount, "tax_ids": [fields.Command.set(taxes.ids)]}
        if account:
            values["account_id"] = account.id
        if template.analytic_distribution:
            values["analytic_distribution"] = template.analytic_distribution
        return values

    @api.model
    def _one_rate(self, result):
        """A document that prints its VAT without a base per rate still
        states the VAT amount: as one rate's line, so that it corrects Odoo's
        rounding too (the bill was a cent off)."""
        untaxed, tax = result.get("amount_untaxed"), result.get("amount_tax")
        if not untaxed or tax is None:
            return []
        rate = float_round(abs(tax) / abs(untaxed) * 100, 0)
        return [{"rate": rate, "base": abs(untaxed), "amount": abs(tax)}]

    @api.model
    def _correct_taxes(self, move, result, tolerance=0.05):
        """Rounding as on the document: per rate, the tax amount the supplier
        states wins over Odoo's recomputation — for a scan only when they
        differ by cents (``tolerance`` per tax line), for an e-invoice always
        (``tolerance`` None)."""
        currency = move.currency_id
        for tax_line in result.get("tax_lines") or self._one_rate(result):
            lines = move.line_ids.filtered(
                lambda line, r=tax_line["rate"]: line.tax_line_id and line.tax_line_id.amount == r
            )
            if not lines:
                continue
            current = move.direction_sign * sum(lines.mapped("amount_currency"))
            wanted = -abs(tax_line["amount"]) if current < 0 else abs(tax_line["amount"])
            difference = currency.round(wanted - current)
            if currency.is_zero(difference) or (
                tolerance is not None and float_compare(abs(difference), tolerance * len(lines), 2) > 0
            ):
                continue
            lines[0].amount_currency += move.direction_sign * difference
