import json
import logging

from odoo import Command, _, api, models
from odoo.tools.misc import formatLang

from ..engine.einvoice.read import MAX_EINVOICE_LINES
from ..tools import engine_messages
from .account_edi_common import IMPORT_FLAG

_logger = logging.getLogger(__name__)

AMOUNTS = ("amount_untaxed", "amount_tax", "amount_total")


class L10nNlScanEinvoiceImport(models.AbstractModel):
    """An e-invoice into a bill through Odoo's own UBL/CII decoders, then
    held against the XML: VAT per rate as the XML states it, and a warning
    for any total that still differs. What the decoders cannot read at all
    falls back to the XML's header and VAT breakdown, so nothing is lost."""

    _name = "l10n_nl_scan_herken.einvoice_import"
    _description = "Scan en herken e-invoice import"

    @api.model
    def _fill_bill(self, move, attachment, reading):
        """E-invoices go through Odoo's own UBL/CII decoders (after the
        engine's safety check refused hostile files) and are then held
        against the XML; what the decoders cannot read still becomes a bill
        from the XML's header and VAT breakdown, with a note."""
        if reading.error:
            return move._l10n_nl_scan_fail(self.env["l10n_nl_scan_herken.reader"]._error_text(reading, move.company_id))
        importer = self
        visual = move._l10n_nl_scan_document()
        notes, decoded = importer._import(move, attachment, reading)
        # Odoo's decoder attaches the PDF an e-invoice carries: that is what the bookkeeper reads.
        visual = visual or move._l10n_nl_scan_document()
        for note in notes:  # worded here, in the reader's language
            reading.warn("einvoice", text=note)
        if not decoded:
            self.env["l10n_nl_scan_herken.bill_builder"]._fill_bill(move, reading, approve=False)
            importer._fallback_supplier(move, reading)
            importer._match_taxes(move, reading)
            problems = importer._differences(move, reading)
            if problems:
                result = dict(move.l10n_nl_scan_result or {})
                move._l10n_nl_scan_write(
                    {
                        "l10n_nl_scan_result": {
                            **result,
                            "warnings": (result.get("warnings") or []) + problems,
                            "warning_codes": (result.get("warning_codes") or [])
                            + [["einvoice_total", {"text": problem}] for problem in problems],
                        }
                    }
                )
                move._l10n_nl_scan_post_list(_("Read from the e-invoice by scan en herken:"), problems)
            move.message_main_attachment_id = visual or attachment
            self.env["l10n_nl_scan_herken.approval"]._guard_payee(move)
            self.env["l10n_nl_scan_herken.rule"]._approve(move)
            return
        move._l10n_nl_scan_write(
            {**move._l10n_nl_scan_file_values(attachment.name, reading.text), "l10n_nl_scan_source": reading.source}
        )
        if not move.partner_id:
            partner, how = self.env["l10n_nl_scan_herken.rule"]._assign_supplier(move)
            if partner:
                move.partner_id = partner
                move.message_post(body=how)
        missing = self.env["l10n_nl_scan_herken.einvoice_template_line"]._apply_to(move)
        importer._merge_lines(move, missing)
        importer._match_taxes(move, reading)
        problems = importer._differences(move, reading)
        for problem in problems:
            reading.warn("einvoice_total", text=problem)
        move._l10n_nl_scan_write(
            {
                "l10n_nl_scan_state": "done",
                "l10n_nl_scan_source": reading.source,
                "l10n_nl_scan_score": 100,
                "l10n_nl_scan_error": False,
                "l10n_nl_scan_lease": False,
                "l10n_nl_scan_result": {**reading.to_dict(), **engine_messages.stored_warnings(reading)},
                "l10n_nl_scan_iban": reading.value("supplier_iban"),
                "message_main_attachment_id": (visual or attachment).id,
            }
        )
        self.env["l10n_nl_scan_herken.approval"]._guard_payee(move)
        if reading.warnings:
            move._l10n_nl_scan_post_list(
                _("Read from the e-invoice by scan en herken:"),
                [engine_messages.warning_text(self.env, w) for w in reading.warnings],
            )
        self.env["l10n_nl_scan_herken.approval"]._autopost_einvoice(move, reading, missing, problems)
        self.env["l10n_nl_scan_herken.rule"]._approve(move)

    @api.model
    def _import(self, move, attachment, reading):
        """Fill ``move`` from the e-invoice in ``attachment`` (an XML, or a
        PDF with one embedded). Returns the notes for the chatter and
        whether Odoo's decoder made the bill (else the caller falls back)."""
        notes = self.env["l10n_nl_scan_herken.purchase_taxes"]._name_missing(move, reading)
        if move.invoice_line_ids:  # recognised again: the lines are the user's now
            return notes, True
        if any(code == "lines_skipped" for code, _params in reading.warnings):
            reading.warnings = [w for w in reading.warnings if w[0] != "lines_skipped"]
            notes.append(
                _(
                    "The e-invoice has more than %(count)s lines; the bill was made from its header and VAT "
                    "breakdown, so that reading it stays within its time.",
                    count=MAX_EINVOICE_LINES,
                )
            )
            return notes, False
        if not reading.lines:
            notes.append(
                _(
                    "The e-invoice has no invoice lines (a minimum profile); the bill was made from its "
                    "header and VAT breakdown."
                )
            )
            return notes, False
        error = self._decode(move, attachment)
        if error:
            notes.append(error)
            return notes, False
        if not move.partner_id:
            partner, how = self.env["l10n_nl_scan_herken.supplier_matcher"]._match(move.company_id, reading.to_dict())
            if partner:
                move.partner_id = partner
                notes.append(how)
        self._match_taxes(move, reading)
        return notes, True

    @api.model
    def _match_taxes(self, move, reading):
        """Per rate, the VAT the XML states wins over Odoo's recomputation
        (Odoo rounds per line, the supplier per rate or per document)."""
        targets = {}
        for line in reading.value("tax_lines") or []:
            targets[line["rate"]] = targets.get(line["rate"], 0.0) + abs(line["amount"])
        on_bill = set(move.line_ids.tax_line_id.mapped("amount"))
        if not targets and reading.value("amount_tax") is not None and len(on_bill) == 1:
            targets = {on_bill.pop(): abs(reading.value("amount_tax"))}
        tax_lines = [{"rate": rate, "amount": amount} for rate, amount in targets.items()]
        with move._get_edi_creation() as editing:
            self.env["l10n_nl_scan_herken.bill_builder"]._correct_taxes(
                editing, {"tax_lines": tax_lines}, tolerance=None
            )

    @api.model
    def _differences(self, move, reading):
        """Sentences for each total of the bill that differs from the XML's."""
        labels = {"amount_untaxed": _("untaxed amount"), "amount_tax": _("amount of VAT"), "amount_total": _("total")}
        sentences = []
        for key in AMOUNTS:
            expected = reading.value(key)
            if expected is not None and move.currency_id.compare_amounts(abs(expected), abs(move[key])):
                sentences.append(
                    _(
                        "The bill's %(what)s %(bill)s differs from the e-invoice's %(xml)s.",
                        what=labels[key],
                        bill=formatLang(self.env, abs(move[key]), currency_obj=move.currency_id),
                        xml=formatLang(self.env, abs(expected), currency_obj=move.currency_id),
                    )
                )
        return sentences

    @api.model
    def _fallback_supplier(self, move, reading):
        """A bill made without Odoo's decoder still gets its supplier as the
        decoder would: found, else created from name and VAT number."""
        name, vat = reading.value("supplier_name"), reading.value("supplier_vat")
        if move.partner_id or not (name and vat):
            return
        partner, _logs = (
            self.env["account.edi.common"]
            .with_context(**{IMPORT_FLAG: True})
            ._import_partner(
                move.company_id, name, None, None, vat, country_code=vat[:2] if vat[:2].isalpha() else False
            )
        )
        if partner:
            move.partner_id = partner

    @api.model
    def _merge_lines(self, move, missing):
        """One line per account, taxes and analytic distribution when the
        supplier (or the company) merges invoice lines; lines whose code the
        template lacks stay apart, so the user can book them and offer them
        to the template."""
        if not move.partner_id._l10n_nl_scan_merge_lines(move.company_id):
            return
        groups = {}
        for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product").sorted("sequence"):
            if (line.l10n_nl_scan_product_code or line.name) in missing:
                continue
            key = (
                line.account_id.id,
                tuple(sorted(line.tax_ids.ids)),
                json.dumps(line.analytic_distribution or {}, sort_keys=True),
            )
            groups.setdefault(key, []).append(line)
        commands = []
        for lines in groups.values():
            if len(lines) < 2:
                continue
            commands.append(
                Command.update(
                    lines[0].id,
                    {
                        "name": _("%(name)s and %(count)s more lines", name=lines[0].name or "", count=len(lines) - 1),
                        "quantity": 1.0,
                        "discount": 0.0,
                        "price_unit": sum(line.price_subtotal for line in lines),
                        "l10n_nl_scan_product_code": False,
                        "product_id": False,
                    },
                )
            )
            commands += [Command.delete(line.id) for line in lines[1:]]
        if commands:
            with move._get_edi_creation() as editing:
                editing.invoice_line_ids = commands

    # ---- Odoo's decoders ---------------------------------------------------

    @api.model
    def _decode(self, move, attachment):
        """Run Odoo's UBL/CII decoder on the e-invoice; returns None when it
        made the bill, else why not (the bill is then as it was)."""
        move = move.with_context(**{IMPORT_FLAG: True})
        files = attachment._unwrap_edi_attachments()
        try:
            for file_data in files:
                if file_data["type"] != "xml":
                    continue
                decoder = move._get_edi_decoder(file_data, new=False)
                if not decoder:
                    continue
                try:
                    with self.env.cr.savepoint():
                        decoder(move, file_data, False)
                except Exception as exc:  # reported on the bill, the fallback takes over
                    _logger.info("Scan en herken: Odoo's e-invoice decoder failed on %s: %s", attachment.name, exc)
                    return _(
                        "Odoo's e-invoice reader stopped (%(error)s); the bill was made from the "
                        "e-invoice's header and VAT breakdown.",
                        error=str(exc) or type(exc).__name__,
                    )
                if move.invoice_line_ids:
                    return None
                return _(
                    "Odoo's e-invoice reader found no lines in this document; the bill was made from the "
                    "e-invoice's header and VAT breakdown."
                )
        finally:
            for file_data in files:
                if file_data.get("on_close"):
                    file_data["on_close"]()
        return _(
            "Odoo has no reader for this kind of e-invoice; the bill was made from the e-invoice's header "
            "and VAT breakdown."
        )
