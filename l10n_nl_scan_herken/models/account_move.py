import logging
import os
from concurrent import futures
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger
from odoo.tools.misc import format_datetime

from .. import engine
from ..engine import sandbox
from ..engine.reading.files import SUPPORTED_MIMETYPES
from ..engine.recognizers.identifiers import format_iban
from . import engine_messages
from .account_edi_common import IMPORT_FLAG

_logger = logging.getLogger(__name__)

LEASE_MINUTES = 10
MAX_ATTEMPTS = 3
MANUAL_BATCH = 50
UBL_ROOTS = ("{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
             "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote")

# Header fields the engine fills in, as (bill field, engine key).
def _page_ranges(pages):
    """File page numbers (from 0) as a reader counts them: "3-4, 7"."""
    ranges = []
    for number in pages:
        if ranges and ranges[-1][1] == number:
            ranges[-1][1] = number + 1
        else:
            ranges.append([number + 1, number + 1])
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in ranges)


HEADER_FIELDS = [
    ("ref", "invoice_number"),
    ("invoice_date", "invoice_date"),
    ("invoice_date_due", "due_date"),
    ("payment_reference", "payment_reference"),
    ("invoice_origin", "purchase_order"),
    ("l10n_nl_scan_packing_slip", "packing_slip"),
    ("currency_id", "currency"),
]


# Every VAT rate an EU member state charges (standard, reduced, parking
# rates and regional ones): a tax made from a document is one of these.
EU_VAT_RATES = frozenset({2.1, 3.0, 4.0, 4.8, 5.0, 5.5, 6.0, 7.0, 8.0, 9.0, 9.5, 10.0, 11.0, 12.0, 13.0, 13.5, 14.0,
                          16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 25.5, 27.0})

# A supplier name read with at least this confidence (a letterhead with a
# legal form near the top) is used as it is; a guess is left to the user.
SURE_NAME = 0.5


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "l10n_nl_scan_herken.recognition.mixin"]

    l10n_nl_scan_packing_slip = fields.Char(
        string="Packing slip", copy=False, index="trigram", tracking=True
    )
    l10n_nl_scan_iban = fields.Char(string="Recognised IBAN", copy=False, index=True, readonly=True)
    l10n_nl_scan_kvk = fields.Char(string="Recognised KvK", copy=False, index=True, readonly=True)
    l10n_nl_scan_vat = fields.Char(string="Recognised VAT number", copy=False, readonly=True)
    l10n_nl_scan_iban_unknown = fields.Boolean(
        string="Unknown IBAN", compute="_compute_l10n_nl_scan_iban_unknown",
        help="The document names an IBAN that is not one of the supplier's bank accounts.")
    l10n_nl_scan_missing_taxes = fields.Char(
        string="VAT rates without tax", compute="_compute_l10n_nl_scan_missing_taxes",
        help="VAT rates on the document this company has no purchase tax for.")
    l10n_nl_scan_warning_count = fields.Integer(string="Warnings", compute="_compute_l10n_nl_scan_checks")
    l10n_nl_scan_warning_text = fields.Char(string="Warning", compute="_compute_l10n_nl_scan_checks")
    l10n_nl_scan_has_warning = fields.Boolean(string="Has warnings", compute="_compute_l10n_nl_scan_checks",
                                              search="_search_l10n_nl_scan_has_warning")
    l10n_nl_scan_supplier_display = fields.Char(
        string="Supplier", compute="_compute_l10n_nl_scan_supplier_display",
        help="The supplier, or the name read on the document while no supplier is set.")
    l10n_nl_scan_received = fields.Datetime(
        string="Received", compute="_compute_l10n_nl_scan_received", store=True,
        help="When the mail with the document arrived; for an upload, when it was uploaded.")
    l10n_nl_scan_warning_html = fields.Html(string="Scan warnings", compute="_compute_l10n_nl_scan_checks",
                                            sanitize=False)
    l10n_nl_scan_checklist_html = fields.Html(string="Automatic approval", compute="_compute_l10n_nl_scan_checks",
                                              sanitize=False)
    l10n_nl_scan_message_id = fields.Char(string="Mail Message-ID", copy=False, index=True, readonly=True)
    l10n_nl_scan_mail_id = fields.Many2one("l10n_nl_scan_herken.received_mail", string="Received mail", copy=False,
                                           index="btree_not_null", readonly=True, check_company=True)
    l10n_nl_scan_attempts = fields.Integer(string="Recognition attempts", copy=False, readonly=True)
    l10n_nl_scan_lease = fields.Datetime(string="Claimed for recognition until", copy=False, readonly=True)
    l10n_nl_scan_has_pages = fields.Boolean(
        string="Document pages kept", compute="_compute_l10n_nl_scan_has_pages",
        help="Whether the review screen can draw the document with the places of the recognised values.")
    l10n_nl_scan_einvoice_view = fields.Boolean(
        string="E-invoice shown as a page", compute="_compute_l10n_nl_scan_einvoice_view",
        help="An XML e-invoice without a PDF beside it: the bill shows a rendering of the XML.")
    l10n_nl_scan_booking_template_id = fields.Many2one(
        "l10n_nl_scan_herken.booking_template", string="Booking template used", copy=False, readonly=True,
        check_company=True, help="Assigned by an automation rule; it wins over the supplier's template.")
    l10n_nl_scan_part_of_id = fields.Many2one(
        "account.move", string="Split from", copy=False, readonly=True, index="btree_not_null",
        help="The bill that holds the original batch scan this bill's invoice was cut from.")
    l10n_nl_scan_keep_whole = fields.Boolean(
        string="Kept whole", copy=False, readonly=True,
        help="The bookkeeper merged or split this bill's document by hand: it is not split automatically again.")
    l10n_nl_scan_picked = fields.Json(
        string="Values picked on the document", copy=False,
        help="The fields the bookkeeper filled by clicking on the document: what was clicked, and where.")
    l10n_nl_scan_unmapped_codes = fields.Char(
        string="Codes without template entry", compute="_compute_l10n_nl_scan_unmapped_codes",
        help="Supplier product codes on this e-invoice that its supplier's e-invoice template does not map yet.")

    @api.model_create_multi
    def create(self, vals_list):
        self._l10n_nl_scan_check_protected(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_nl_scan_check_protected([vals])
        return super().write(vals)

    # ---- Review screen -----------------------------------------------------

    @api.depends("l10n_nl_scan_layout_attachment_id")
    def _compute_l10n_nl_scan_has_pages(self):
        for move in self:
            move.l10n_nl_scan_has_pages = bool(move.l10n_nl_scan_layout_attachment_id)

    @api.depends("l10n_nl_scan_source", "message_main_attachment_id")
    def _compute_l10n_nl_scan_einvoice_view(self):
        for move in self:
            move.l10n_nl_scan_einvoice_view = bool(
                move.id and move.l10n_nl_scan_source in ("ubl", "cii") and not move._l10n_nl_scan_document()
                and move._l10n_nl_scan_xml_attachment())

    def l10n_nl_scan_viewer_data(self):
        """The review screen's pages, words and marks (see the review model)."""
        self.ensure_one()
        self.check_access("read")
        return self.env["l10n_nl_scan_herken.review"]._viewer_data(self)

    def l10n_nl_scan_pick(self, page, line, word, kind):
        """The value under a click on the document, parsed as ``kind``."""
        self.ensure_one()
        self.check_access("read")
        return self.env["l10n_nl_scan_herken.review"]._pick(self, int(page), int(line), int(word), kind)

    # ---- Queue -------------------------------------------------------------

    @api.model
    def _cron_l10n_nl_scan_recognize(self, batch_size=20, companies=None):
        """Recognise queued bills: the pool's children read several documents
        at once while this thread applies each finished reading in its own
        transaction. Each bill is claimed with FOR UPDATE SKIP LOCKED and a
        lease and committed, so several workers share the queue and a crash
        loses at most the bills in hand, which are retried when their lease
        runs out."""
        pool = self._l10n_nl_scan_pool()
        in_flight = {}
        processed, exhausted = 0, False
        while True:
            while not exhausted and len(in_flight) < pool.size and processed + len(in_flight) < batch_size:
                move = self._l10n_nl_scan_claim(companies)
                if not move:
                    exhausted = True
                    break
                started = move._l10n_nl_scan_company_lang()._l10n_nl_scan_start()
                if started is None:
                    processed += 1
                else:
                    in_flight[started[1].future] = (move.id, *started)
            if not in_flight:
                break
            done, _pending = futures.wait(list(in_flight), return_when=futures.FIRST_COMPLETED)
            for future in done:
                move_id, job, reading = in_flight.pop(future)
                move = self.browse(move_id)
                move._l10n_nl_scan_company_lang()._l10n_nl_scan_process(job, reading)
                processed += 1
        if not exhausted and companies is None and self._l10n_nl_scan_claimable_count():
            self.env.ref("l10n_nl_scan_herken.ir_cron_scan_recognize")._trigger()
        return processed

    def _l10n_nl_scan_claim(self, companies=None):
        """Lock the next claimable bill. The claim is the first statement of
        its own transaction: under Odoo's REPEATABLE READ a snapshot taken
        before another worker's commit makes FOR UPDATE fail, so such a
        failure means 'look again', not an error."""
        row = None
        for _attempt in range(5):
            self._l10n_nl_scan_commit()
            self.flush_model(["l10n_nl_scan_state", "l10n_nl_scan_lease", "company_id"])
            try:
                with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                    # ``companies``: only their bills (Fetch now by a user reads only what the user may see).
                    self.env.cr.execute("""
                        SELECT id FROM account_move
                         WHERE (l10n_nl_scan_state = 'queued'
                            OR (l10n_nl_scan_state = 'processing' AND l10n_nl_scan_lease < now() at time zone 'utc'))
                           AND (%s OR company_id = ANY(%s))
                         ORDER BY id
                         LIMIT 1
                         FOR UPDATE SKIP LOCKED
                    """, [companies is None, list(companies.ids) if companies is not None else []])
                    row = self.env.cr.fetchone()
                break
            except psycopg2.errors.SerializationFailure:
                continue
        if not row:
            return self.browse()
        move = self.browse(row[0])
        move._l10n_nl_scan_write({
            "l10n_nl_scan_state": "processing",
            "l10n_nl_scan_attempts": move.l10n_nl_scan_attempts + 1,
            "l10n_nl_scan_lease": fields.Datetime.now() + timedelta(minutes=LEASE_MINUTES),
        })
        # The next claim's SQL must see this one, committed or not (tests).
        move.flush_recordset()
        self._l10n_nl_scan_commit()
        return move

    def _l10n_nl_scan_claimable_count(self):
        return self.search_count([("l10n_nl_scan_state", "=", "queued")])

    def _l10n_nl_scan_commit(self):
        """Commit per document: the queue's promise (a crash loses at most the
        document in hand) needs it, as core's crons do; never inside tests."""
        if self._can_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _l10n_nl_scan_start(self):
        """Hand a claimed bill's document to a reader child: (job, Future),
        or None when the bill is settled here already (given up after
        repeated crashes, or nothing to read)."""
        self.ensure_one()
        if self.l10n_nl_scan_attempts > MAX_ATTEMPTS:
            self._l10n_nl_scan_fail(_("Recognition was stopped %(count)s times before finishing; "
                                      "the document is kept for manual booking.", count=MAX_ATTEMPTS))
        else:
            try:
                return self._l10n_nl_scan_read()
            except Exception as exc:
                _logger.exception("Scan en herken: reading bill %s could not start", self.id)
                self._l10n_nl_scan_fail(_("Recognition failed: %(error)s", error=str(exc)))
        self._l10n_nl_scan_commit()
        return None

    def _l10n_nl_scan_process(self, job, reading):
        """Apply one finished reading; whatever happens the bill ends
        recognised or failed with a note, never silently gone."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._l10n_nl_scan_finish(job, reading.result())
        except Exception as exc:
            _logger.exception("Scan en herken: recognising bill %s failed", self.id)
            self._l10n_nl_scan_fail(_("Recognition failed: %(error)s", error=str(exc)))
        self._l10n_nl_scan_commit()
        if self._can_commit():
            # A worker's memory stays flat over thousands of documents.
            self.env.invalidate_all()

    def _l10n_nl_scan_fail(self, message):
        self._l10n_nl_scan_write({"l10n_nl_scan_state": "failed", "l10n_nl_scan_error": message,
                                  "l10n_nl_scan_lease": False})
        self._l10n_nl_scan_log_error(message)

    def _l10n_nl_scan_read(self):
        """(job, Future of its Recognition): the bill's document handed to a reader child."""
        job = self._l10n_nl_scan_job()
        return job, self._l10n_nl_scan_submit(job["op"], job["data"], job["name"], self.company_id, self.partner_id,
                                              split=self._l10n_nl_scan_split_mode() if job["op"] == "recognize"
                                              else "none")

    def _l10n_nl_scan_split_mode(self):
        """How this bill's file may be split: its mailbox's setting, else the
        company's for uploads; a bill that is itself a part is not split again."""
        if self.l10n_nl_scan_part_of_id or self.l10n_nl_scan_keep_whole:
            return "none"
        server = self.l10n_nl_scan_mail_id.server_id
        return server.l10n_nl_scan_split if server else self.company_id.l10n_nl_scan_split

    def _l10n_nl_scan_job(self):
        """What to read for this bill: its e-invoice (alone or beside its
        PDF, read as the structured data it is), else its document, else
        its mail text."""
        self.ensure_one()
        xml = self._l10n_nl_scan_xml_attachment()
        if xml:
            return {"op": "recognize_xml", "attachment": xml, "data": xml.raw or b"", "name": xml.name or ""}
        attachment = self._l10n_nl_scan_document()
        if attachment:
            return {"op": "recognize", "attachment": attachment, "data": attachment.raw or b"",
                    "name": attachment.name or ""}
        return {"op": "recognize_text", "attachment": None, "data": (self.l10n_nl_scan_text or "").encode(),
                "name": self.display_name}

    def _l10n_nl_scan_finish(self, job, result):
        """Turn a reading into the bill: e-invoices through Odoo's decoders,
        a batch scan into a bill per invoice, everything else through the
        bill builder."""
        if job["op"] == "recognize_xml" or (result.source == "facturx" and not result.error):
            return self._l10n_nl_scan_import_xml(job["attachment"], result)
        if len(result.parts) > 1 and job["attachment"]:
            return self._l10n_nl_scan_split(job["attachment"], result)
        return self._l10n_nl_scan_apply(result)

    def action_l10n_nl_scan_split(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "l10n_nl_scan_herken.split_wizard",
                "name": _("Split document"), "view_mode": "form", "views": [(False, "form")], "target": "new",
                "context": {"default_move_id": self.id}}

    def action_l10n_nl_scan_merge(self):
        """Merge the documents of the selected draft bills into the first
        one's, recognised again; the others' files move to it, the other
        bills are removed."""
        bills = self.sorted("id")
        if len(bills) < 2 or bills.filtered(lambda bill: bill.state != "draft" or not bill._l10n_nl_scan_document()):
            raise UserError(_("Select two or more draft bills that each have a document to merge."))
        first, others = bills[0], bills[1:]
        documents = [bill._l10n_nl_scan_document() for bill in bills]
        data = sandbox.join_files([document.raw or b"" for document in documents], pool=self._l10n_nl_scan_pool())
        if data is None:
            raise UserError(_("The documents could not be merged; they may be damaged."))
        names = ", ".join(others.mapped("display_name"))
        self.env["ir.attachment"].search([("res_model", "=", self._name), ("res_id", "in", others.ids)]).write(
            {"res_id": first.id})
        others.unlink()
        self.env["l10n_nl_scan_herken.intake"]._attach(first, [(_("merged.pdf"), data, "application/pdf")])
        first._l10n_nl_scan_write({"l10n_nl_scan_keep_whole": True, "l10n_nl_scan_part_of_id": False})
        first.message_post(body=_("Documents merged from %(bills)s; their files are attached here.", bills=names))
        first._l10n_nl_scan_run()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": first.id, "view_mode": "form",
                "views": [(False, "form")]}

    def _l10n_nl_scan_split(self, original, result, manual=False):
        """One bill per invoice of a batch: this bill takes the first, new
        bills (same journal, same mail) the others; each gets a PDF of its
        own pages as its document and is recognised from the words already
        read. The original stays attached to this bill."""
        pool = self._l10n_nl_scan_pool()
        files = [sandbox.cut_pages(original.raw or b"", part["pages"], pool=pool) for part in result.parts]
        if not all(files):
            self._l10n_nl_scan_apply(result)
            self.message_post(body=_("The file holds %(count)s invoices but could not be cut into them; it is "
                                     "booked as one bill.", count=len(result.parts)))
            return self
        intake, stem = self.env["l10n_nl_scan_herken.intake"], os.path.splitext(original.name or "scan")[0]
        bills = self
        for index, (part, data) in enumerate(zip(result.parts, files)):
            bill = self if index == 0 else intake._create_bill(self.journal_id, [], self.l10n_nl_scan_mail_id)
            if index:
                bill._l10n_nl_scan_write({"l10n_nl_scan_part_of_id": self.id})
                bills |= bill
            intake._attach(bill, [(f"{stem}-{index + 1}.pdf", data, "application/pdf")])
            pages = _page_ranges(part["pages"])
            if manual:
                bill.message_post(body=_("Split from %(file)s by hand: pages %(pages)s.", file=original.name,
                                         pages=pages))
            else:
                bill.message_post(body=_(
                    "Invoice %(index)s of %(count)s in %(file)s: pages %(pages)s. The original file is kept on "
                    "%(bill)s.", index=index + 1, count=len(result.parts), file=original.name, pages=pages,
                    bill=self.display_name if index else _("this bill")))
            bill._l10n_nl_scan_apply(part["recognition"])
        return bills

    def _l10n_nl_scan_run(self):
        """Recognise the bill now (upload, Recognise again): the reading still
        happens in a child, under the same budget."""
        self.ensure_one()
        job, reading = self._l10n_nl_scan_read()
        return self._l10n_nl_scan_finish(job, reading.result())

    def _l10n_nl_scan_xml_attachment(self):
        # The mail gateway may store an XML file as text/plain: its name counts too.
        return self.env["ir.attachment"].search([
            ("res_model", "=", self._name), ("res_id", "=", self.id),
            "|", ("mimetype", "in", ["application/xml", "text/xml"]), ("name", "=ilike", "%.xml")], limit=1)

    def _l10n_nl_scan_import_xml(self, attachment, reading):
        """E-invoices go through Odoo's own UBL/CII decoders (after the
        engine's safety check refused hostile files) and are then held
        against the XML; what the decoders cannot read still becomes a bill
        from the XML's header and VAT breakdown, with a note."""
        if reading.error:
            return self._l10n_nl_scan_fail(self._l10n_nl_scan_error_text(reading, self.company_id))
        importer = self.env["l10n_nl_scan_herken.einvoice_import"]
        visual = self._l10n_nl_scan_document()
        notes, decoded = importer._import(self, attachment, reading)
        # Odoo's decoder attaches the PDF an e-invoice carries: that is what the bookkeeper reads.
        visual = visual or self._l10n_nl_scan_document()
        reading.warnings.extend(("einvoice", note) for note in notes)
        if not decoded:
            self._l10n_nl_scan_apply(reading, approve=False)
            importer._fallback_supplier(self, reading)
            importer._match_taxes(self, reading)
            problems = importer._differences(self, reading)
            if problems:
                result = dict(self.l10n_nl_scan_result or {})
                self._l10n_nl_scan_write(
                    {"l10n_nl_scan_result": {**result, "warnings": (result.get("warnings") or []) + problems}})
                self._l10n_nl_scan_post_list(_("Read from the e-invoice by scan en herken:"), problems)
            self.message_main_attachment_id = visual or attachment
            self._l10n_nl_scan_guard_payee()
            self.env["l10n_nl_scan_herken.rule"]._approve(self)
            return
        self._l10n_nl_scan_write({**self._l10n_nl_scan_file_values(attachment.name, reading.text),
                                  "l10n_nl_scan_source": reading.source})
        if not self.partner_id:
            partner, how = self.env["l10n_nl_scan_herken.rule"]._assign_supplier(self)
            if partner:
                self.partner_id = partner
                self.message_post(body=how)
        missing = self.env["l10n_nl_scan_herken.einvoice_template_line"]._apply_to(self)
        importer._merge_lines(self, missing)
        importer._match_taxes(self, reading)
        problems = importer._differences(self, reading)
        reading.warnings.extend(("einvoice_total", problem) for problem in problems)
        self._l10n_nl_scan_write({
            "l10n_nl_scan_state": "done", "l10n_nl_scan_source": reading.source, "l10n_nl_scan_score": 100,
            "l10n_nl_scan_error": False, "l10n_nl_scan_lease": False,
            "l10n_nl_scan_result": reading.to_dict(),
            "l10n_nl_scan_iban": reading.value("supplier_iban"),
            "message_main_attachment_id": (visual or attachment).id})
        self._l10n_nl_scan_guard_payee()
        if reading.warnings:
            self._l10n_nl_scan_post_list(_("Read from the e-invoice by scan en herken:"),
                                         [engine_messages.translate(self.env, text) for _code, text in reading.warnings])
        self.env["l10n_nl_scan_herken.approval"]._autopost_einvoice(self, reading, missing, problems)
        self.env["l10n_nl_scan_herken.rule"]._approve(self)

    def action_l10n_nl_scan_test_rules(self):
        """Each automation rule in order, whether it holds for this bill and
        what does not; nothing is changed."""
        self.ensure_one()
        wizard = self.env["l10n_nl_scan_herken.rule_test"].create({"move_id": self.id})
        return {"type": "ir.actions.act_window", "res_model": wizard._name, "res_id": wizard.id,
                "name": _("Test rules"), "view_mode": "form", "target": "new"}

    def _l10n_nl_scan_post_list(self, title, items):
        self.message_post(body=Markup("<p>%s</p><ul>%s</ul>") % (
            title, Markup().join(Markup("<li>%s</li>") % item for item in items)))

    # ---- E-invoice templates from booked bills -----------------------------

    @api.depends("partner_id", "invoice_line_ids.l10n_nl_scan_product_code")
    def _compute_l10n_nl_scan_unmapped_codes(self):
        templates = self.env["l10n_nl_scan_herken.einvoice_template_line"]
        for move in self:
            lines = templates._unmapped_lines(move) if move.is_purchase_document() else []
            move.l10n_nl_scan_unmapped_codes = ", ".join(dict.fromkeys(lines.mapped("l10n_nl_scan_product_code"))) \
                if lines else False

    def action_l10n_nl_scan_add_to_template(self):
        """The offer on a bill with unmapped codes: remember how the user
        booked those lines, so the supplier's next e-invoice books itself."""
        self.ensure_one()
        added = self.env["l10n_nl_scan_herken.einvoice_template_line"]._add_from(self)
        if not added:
            raise UserError(_("Choose an account on the lines with a supplier product code first."))
        self.invalidate_recordset(["l10n_nl_scan_unmapped_codes"])
        self._l10n_nl_scan_post_list(
            _("Added to the e-invoice template of %(supplier)s:", supplier=self.partner_id.commercial_partner_id.name),
            [f"{entry.product_code} \u2192 {entry.account_id.display_name}" for entry in added])
        return True

    # ---- Upload and chatter door (core's EDI decoder hook) ------------------

    def _get_edi_decoder(self, file_data, new=False):
        # EXTENDS 'account': PDFs and images without an e-invoice inside are
        # recognised by scan en herken when the company uses it.
        decoder = super()._get_edi_decoder(file_data, new=new)
        company = self.company_id or self.env.company
        if (decoder and file_data["type"] == "xml" and not self.env.context.get(IMPORT_FLAG)
                and company.l10n_nl_scan_enabled and self.is_purchase_document(include_receipts=True)):
            # E-invoices from the alias and the upload button take our path
            # too, so their bills carry the XML's amounts.
            return self._l10n_nl_scan_decode
        if decoder or file_data["type"] not in ("pdf", "binary"):
            return decoder
        mimetype = file_data["attachment"].mimetype if file_data.get("attachment") else None
        if self.is_purchase_document(include_receipts=True) and mimetype in SUPPORTED_MIMETYPES:
            return self._l10n_nl_scan_decode if company.l10n_nl_scan_enabled else self._l10n_nl_scan_say_off
        return None

    def _l10n_nl_scan_say_off(self, invoice, file_data, new=False):
        """An upload in a company without scan en herken: core attaches the
        file as always, and the bill says why nothing was read."""
        invoice.message_post(body=_(
            "Scan en herken is switched off for %(company)s: %(file)s was attached without being read. Switch it on "
            "under Settings → Accounting → Scan en herken.",
            company=invoice.company_id.name, file=file_data["attachment"].name))
        return False

    @api.model
    def _get_ubl_cii_builder_from_xml_tree(self, tree):
        # EXTENDS account_edi_ubl_cii: a UBL invoice without UBLVersionID and
        # with a customization Odoo does not list (SI-UBL 1.2, OIOUBL) is
        # still UBL; Odoo left such bills empty.
        builder = super()._get_ubl_cii_builder_from_xml_tree(tree)
        if builder is None and self.env.context.get(IMPORT_FLAG) and tree.tag in UBL_ROOTS:
            builder = self.env["account.edi.xml.ubl_21"]
        return builder

    def _l10n_nl_scan_decode(self, invoice, file_data, new=False):
        """Decoder for the journal's mail alias, uploads and files dropped on
        a bill: mail is queued (the gateway must stay fast), a user who
        uploads is waiting and gets the result at once."""
        attachment = file_data["attachment"]
        if not attachment.res_id:  # an upload: core links it only after decoding
            attachment.write({"res_model": invoice._name, "res_id": invoice.id})
        invoice._l10n_nl_scan_write({"l10n_nl_scan_state": "queued", "message_main_attachment_id": attachment.id})
        if self.env.context.get("from_alias"):
            self.env.ref("l10n_nl_scan_herken.ir_cron_scan_recognize")._trigger()
        else:
            invoice._l10n_nl_scan_run()
        return True

    def action_l10n_nl_scan_fetch_now(self):
        """The 'fetch now' button of To process: read the mailboxes of the
        current companies, recognise what is waiting, and say what happened."""
        # sudo: mail servers are Settings records; an accounting user fetches the vendor-bills mailboxes of
        # the companies they work in, nothing else (what a mail brings is read as by the scheduled fetch).
        servers = self.env["fetchmail.server"].sudo().search([
            ("state", "=", "done"),
            ("l10n_nl_scan_journal_id.company_id", "in", self.env.companies.ids)])
        messages, kind = [], "success"
        if not servers:
            kind = "warning"
            messages.append(_("No vendor-bills mailbox is set up for this company: add an incoming mail server "
                              "with a purchase journal on its Scan en herken tab (Settings, Technical, Incoming "
                              "Mail Servers)."))
        for server in servers:
            fetched = server._l10n_nl_scan_fetch(raise_exception=True)
            if fetched is None:
                kind = "warning"
                messages.append(_("%(server)s is already being fetched (by the scheduled fetch or another user); "
                                  "its mail appears here shortly.", server=server.name))
            else:
                messages.append(_("%(server)s: %(count)s mail(s) fetched.", server=server.name, count=fetched[0]))
        recognised = self._cron_l10n_nl_scan_recognize(batch_size=MANUAL_BATCH, companies=self.env.companies)
        messages.append(_("%(count)s document(s) recognised.", count=recognised))
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": _("Fetch now"), "message": "\n".join(messages), "type": kind, "sticky": kind == "warning",
            "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    # ---- Recognition on the bill ------------------------------------------

    def _l10n_nl_scan_document(self):
        """The attachment to recognise: the preview's main attachment when it
        is a document the engine reads, else the newest such attachment."""
        self.ensure_one()
        main = self.message_main_attachment_id
        # Only a file of this bill: the main attachment is writable by users, who could point it at any
        # attachment (another company's document) for the queue to read. sudo: compares its owner only.
        if main and main.sudo().res_model == self._name and main.sudo().res_id == self.id \
                and main.sudo().mimetype in SUPPORTED_MIMETYPES:
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

    def action_l10n_nl_scan_recognize(self):
        """Recognise again: re-read the main attachment and fill in what the
        user has not changed since the last recognition."""
        for move in self:
            if move.state != "draft" or not move.is_purchase_document(include_receipts=True):
                raise UserError(_("Only draft vendor bills can be recognised again."))
            if not (move._l10n_nl_scan_document() or move._l10n_nl_scan_xml_attachment()
                    or move.l10n_nl_scan_text):
                move._l10n_nl_scan_raise_if_missing(False)
            move._l10n_nl_scan_run()
        return True

    def _l10n_nl_scan_apply(self, recognition, approve=True):
        """Store the engine's result and fill the header, leaving alone every
        field whose value differs from what an earlier run filled in; then
        the approve rules, unless the caller still changes the bill."""
        self.ensure_one()
        result = recognition.to_dict()
        if recognition.error:
            message = self._l10n_nl_scan_error_text(recognition, self.company_id)
            self._l10n_nl_scan_write({
                "l10n_nl_scan_lease": False,
                "l10n_nl_scan_state": "failed",
                "l10n_nl_scan_error": message,
                "l10n_nl_scan_result": result,
                "l10n_nl_scan_score": 0,
            })
            self._l10n_nl_scan_log_error(message)
            return
        # What automation rules see before the supplier is known: the file, its text, how it was read.
        self._l10n_nl_scan_write({**self._l10n_nl_scan_file_values(
            recognition.file if recognition.source != "mail_text" else None, recognition.text),
            "l10n_nl_scan_source": result.get("source"), "l10n_nl_scan_score": result.get("score") or 0})
        rules = self.env["l10n_nl_scan_herken.rule"]
        partner, how = rules._assign_supplier(self)
        if not partner:
            partner, how = self.env["l10n_nl_scan_herken.supplier_matcher"]._match(self.company_id, result)
        supplier = partner or self.partner_id
        supplier_order = supplier._l10n_nl_scan_supplier_date_order(self.company_id)
        other_order = (supplier_order and recognition.date_order_source != "context"
                       and supplier_order != recognition.date_order)
        masks = self.env["l10n_nl_scan_herken.mask"]._for_supplier(supplier, self.company_id)
        if recognition.document is not None and (other_order or masks):
            # What the supplier's settings change (the way it writes dates, its masks) is read again from
            # the words kept: no second OCR.
            context = self._l10n_nl_scan_context(self.company_id)
            if other_order:
                context.date_order = supplier_order
            context.masks = masks
            text = recognition.text
            recognition = engine.recognize_document(recognition.document, recognition.file, context)
            recognition.text = text
            result = recognition.to_dict()
        proposed = self._l10n_nl_scan_header_values(result)
        if partner:
            proposed["partner_id"] = partner.id
        previous = self.l10n_nl_scan_filled or {}
        first_run = not previous
        to_write, kept = {}, []
        for name, value in proposed.items():
            current = self._l10n_nl_scan_comparable(name)
            # On the first run defaults (today as due date) are not user edits.
            if first_run or current in (False, None, "") or current == previous.get(name):
                to_write[name] = value
            elif current != value:
                kept.append(self._fields[name].get_description(self.env)["string"])
        if (result.get("document_type") == "credit_note" and self.move_type == "in_invoice"
                and not self.invoice_line_ids):
            to_write["move_type"] = "in_refund"
        to_write.update({
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
        })
        # The words as read, for the review screen: only a PDF or image has pages to draw.
        read_file = self._l10n_nl_scan_document() if recognition.source in ("pdf_text", "ocr") else None
        to_write["l10n_nl_scan_layout"] = recognition.document.to_state() \
            if read_file and recognition.document is not None else False
        to_write["l10n_nl_scan_layout_attachment_id"] = read_file.id if read_file else False
        # A due date printed on the document wins over payment terms (as in
        # core's e-invoice import): without clearing the terms, Odoo would
        # recompute the due date from them.
        if "invoice_date_due" in to_write:
            to_write["invoice_payment_term_id"] = False
        self._l10n_nl_scan_write(to_write)
        template_note = self._l10n_nl_scan_book(result)
        self._l10n_nl_scan_guard_payee()
        self._l10n_nl_scan_post_summary(result, kept, how, template_note)
        if approve:
            rules._approve(self)

    def _l10n_nl_scan_header_values(self, result):
        values = {}
        for field_name, key in HEADER_FIELDS:
            value = result.get(key)
            if value in (None, ""):
                continue
            if field_name == "currency_id":
                currency = self.env["res.currency"].with_context(active_test=False).search(
                    [("name", "=", value)], limit=1
                )
                if not currency:
                    continue
                value = currency.id
            values[field_name] = value
        return values

    def _l10n_nl_scan_comparable(self, field_name):
        """A field's value in the form the engine proposes it (ids, ISO dates)."""
        value = self[field_name]
        field = self._fields[field_name]
        if field.type == "many2one":
            return value.id or False
        if field.type == "date":
            return value and fields.Date.to_string(value)
        return value

    def action_post(self):
        """Confirm from the form or the list (Odoo's buttons turn abnormal-bill
        detection on) asks first when a bill still has scan en herken
        warnings, in Odoo's own "Confirm Entries" dialog, which lists them.
        Posting from code (approval rules, imports) is not asked."""
        if (not self.env.context.get("disable_abnormal_invoice_detection", True)
                and self.filtered("l10n_nl_scan_warning_count")):
            wizard = self.env["validate.account.move"].create({"move_ids": [fields.Command.set(self.ids)]})
            return {
                "name": _("Confirm Entries"),
                "type": "ir.actions.act_window",
                "res_model": "validate.account.move",
                "res_id": wizard.id,
                "view_mode": "form",
                "target": "new",
            }
        return super().action_post()

    def _post(self, soft=True):
        """Posting a recognised bill teaches its supplier's masks what the
        bookkeeper corrected. Learning never stops a posting: a failure is
        logged and the bill is posted as asked."""
        posted = super()._post(soft=soft)
        learning = self.env["l10n_nl_scan_herken.mask_learning"]
        for move in posted.filtered(lambda m: m.l10n_nl_scan_state == "done" and m.partner_id
                                    and m.is_purchase_document(include_receipts=True)):
            try:
                with self.env.cr.savepoint():
                    learning._learn(move)
            except Exception:  # pylint: disable=broad-except
                _logger.exception("Scan en herken could not learn from bill %s", move.id)
        return posted

    def _l10n_nl_scan_book(self, result):
        """Proposals from the supplier, then the lines: one per VAT rate, the
        totals as on the document. Lines are only made on a bill without any.
        An assign-booking-template rule that holds for the bill so made (its
        amounts included) has the lines made again with its template; the
        sentence saying so is returned."""
        builder = self.env["l10n_nl_scan_herken.bill_builder"]
        proposals = {k: v for k, v in builder._proposals(self, self.partner_id, result).items() if not self[k]}
        if proposals:
            self.write(proposals)
        if self.invoice_origin and self.partner_id and not self.invoice_line_ids:
            # Core's hook for OCR'd bills: with the purchase app, the order's lines come onto the bill.
            self._find_and_set_purchase_orders([self.invoice_origin], self.partner_id.id,
                                               abs(result.get("amount_total") or 0.0), from_ocr=True, timeout=4)
        made = self._l10n_nl_scan_make_lines(result)
        template, note = self.env["l10n_nl_scan_herken.rule"]._booking_template(self)
        if not template or template == self.l10n_nl_scan_booking_template_id:
            return None
        self._l10n_nl_scan_write({"l10n_nl_scan_booking_template_id": template.id})
        if made:
            self.invoice_line_ids = [fields.Command.clear()]
            self._l10n_nl_scan_make_lines(result)
        return note

    def _l10n_nl_scan_make_lines(self, result):
        """Make the bill's lines from the document; whether it did."""
        builder = self.env["l10n_nl_scan_herken.bill_builder"]
        if not self.company_id.l10n_nl_scan_recognize_amounts or self.invoice_line_ids:
            return False
        line_values = builder._line_values(self, self.partner_id, result)
        if not line_values:
            return False
        with self._get_edi_creation() as move:
            move.invoice_line_ids = [fields.Command.create(values) for values in line_values]
        with self._get_edi_creation() as move:
            builder._correct_taxes(move, result)
        return True

    # ---- Warnings and the approval checklist --------------------------------

    def _search_l10n_nl_scan_has_warning(self, operator, value):
        """The warnings are worked out on reading (duplicates, the supplier's
        bank accounts change elsewhere): searched among the recognised drafts."""
        if operator not in ("=", "!="):
            raise UserError(_("Bills can only be filtered on whether they have warnings or not."))
        drafts = self.search([("state", "=", "draft"), ("l10n_nl_scan_state", "=", "done")])
        warned = drafts.filtered("l10n_nl_scan_warning_count")
        return [("id", "in" if (operator == "=") == bool(value) else "not in", warned.ids)]

    @api.depends("partner_id", "l10n_nl_scan_iban", "partner_id.commercial_partner_id.bank_ids.sanitized_acc_number")
    def _compute_l10n_nl_scan_iban_unknown(self):
        banks = self.env["res.partner.bank"]
        for move in self:
            move.l10n_nl_scan_iban_unknown = bool(
                move.l10n_nl_scan_iban and move.partner_id
                and not banks._l10n_nl_scan_known(move.partner_id, move.company_id, [move.l10n_nl_scan_iban]))

    def _l10n_nl_scan_guard_payee(self):
        """The payee is the supplier's account the document names, else its
        usual one; never an account only the document names: then there is
        no payee until a manager accepts the IBAN."""
        self.ensure_one()
        if not self.l10n_nl_scan_iban or not self.partner_id:
            return
        self.partner_bank_id = self.env["res.partner.bank"]._l10n_nl_scan_known(
            self.partner_id, self.company_id, [self.l10n_nl_scan_iban])

    def action_l10n_nl_scan_accept_iban(self):
        """A manager accepts the document's IBAN as the supplier's account
        (after checking it with the supplier): it becomes a bank account of
        the supplier and the bill's payee, and the chatter records who
        accepted which IBAN when."""
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(_("Only an accounting manager can accept a new IBAN for a supplier."))
        self.check_access("write")
        if not self.l10n_nl_scan_iban_unknown:
            raise UserError(_("This bill has no unknown IBAN to accept."))
        partner, iban = self.partner_id.commercial_partner_id, self.l10n_nl_scan_iban
        Bank = self.env["res.partner.bank"]
        other = Bank.search([("sanitized_acc_number", "=", iban), ("company_id", "in", [False, self.company_id.id])],
                            limit=1)
        if other:
            raise UserError(_("IBAN %(iban)s already belongs to %(owner)s; it cannot be accepted for %(supplier)s.",
                              iban=format_iban(iban), owner=other.partner_id.display_name, supplier=partner.name))
        # sudo: an accounting manager decides (checked above) even without the right to edit contacts;
        # the values are the checked IBAN and the bill's supplier, nothing else.
        bank = Bank.sudo().create({"acc_number": iban, "partner_id": partner.id}).sudo(False)
        self.partner_bank_id = bank
        self.message_post(body=_("IBAN %(iban)s accepted as a bank account of %(supplier)s by %(user)s on %(date)s.",
                                 iban=format_iban(iban), supplier=partner.name, user=self.env.user.name,
                                 date=format_datetime(self.env, fields.Datetime.now())))
        return True

    def _l10n_nl_scan_missing_rates(self):
        rates = [line.get("rate") for line in (self.l10n_nl_scan_result or {}).get("tax_lines") or []]
        return self.env["l10n_nl_scan_herken.einvoice_import"]._missing_rates(self.company_id, rates)

    @api.depends("l10n_nl_scan_result", "l10n_nl_scan_state")
    def _compute_l10n_nl_scan_missing_taxes(self):
        for move in self:
            move.l10n_nl_scan_missing_taxes = ", ".join(
                f"{rate:g}%" for rate in move._l10n_nl_scan_missing_rates()) if move.state == "draft" else False

    def action_l10n_nl_scan_create_taxes(self):
        """A manager creates the purchase taxes of the document's VAT rates
        the company lacks (only rates an EU country charges, one tax per
        rate), and the bill is read again with them."""
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(_("Only an accounting manager can create taxes."))
        self.check_access("write")
        missing = self._l10n_nl_scan_missing_rates()
        odd = [rate for rate in missing if rate not in EU_VAT_RATES]
        if odd:
            raise UserError(_("No EU country charges VAT of %(rates)s: check the document; such a tax is not created "
                              "from it.", rates=", ".join(f"{rate:g}%" for rate in odd)))
        importer = self.env["l10n_nl_scan_herken.einvoice_import"]
        taxes = self.env["account.tax"]
        for rate in missing:
            taxes |= importer._create_tax(self.company_id, rate)
        if taxes:
            self._l10n_nl_scan_post_list(_("Created by %(user)s for this bill:", user=self.env.user.name),
                                         taxes.mapped("name"))
        if self.state == "draft":
            self.invoice_line_ids = [fields.Command.clear()]
            self._l10n_nl_scan_run()
        return True

    @api.depends("partner_id", "l10n_nl_scan_result")
    def _compute_l10n_nl_scan_supplier_display(self):
        for move in self:
            move.l10n_nl_scan_supplier_display = (
                move.partner_id.display_name or (move.l10n_nl_scan_result or {}).get("supplier_name") or "")

    @api.depends("l10n_nl_scan_mail_id.date", "create_date")
    def _compute_l10n_nl_scan_received(self):
        for move in self:
            move.l10n_nl_scan_received = move.l10n_nl_scan_mail_id.date or move.create_date

    @api.depends("l10n_nl_scan_state", "l10n_nl_scan_result", "partner_id", "ref", "amount_total",
                 "invoice_date", "l10n_nl_scan_iban", "l10n_nl_scan_iban_unknown", "l10n_nl_scan_error")
    def _compute_l10n_nl_scan_checks(self):
        approval = self.env["l10n_nl_scan_herken.approval"]
        for move in self:
            checks = approval._checks(move) if move.l10n_nl_scan_state == "done" else []
            failing = [label for ok, label in checks if not ok]
            move.l10n_nl_scan_warning_count = len(failing)
            move.l10n_nl_scan_has_warning = bool(failing)
            move.l10n_nl_scan_warning_text = " · ".join(failing) or (
                move.l10n_nl_scan_state == "failed" and move.l10n_nl_scan_error) or False
            move.l10n_nl_scan_warning_html = failing and Markup("<ul class='mb-0'>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % label for label in failing)
            move.l10n_nl_scan_checklist_html = checks and Markup("<ul class='list-unstyled mb-0'>%s</ul>") % (
                Markup().join(Markup("<li><i class='fa %s me-1'></i>%s</li>") % (
                    "fa-check text-success" if ok else "fa-times text-danger", label) for ok, label in checks))

    def action_l10n_nl_scan_create_supplier(self):
        """Create the supplier from what the document says (only on request):
        name, street, postcode, city, country, VAT, KvK and IBAN. When the
        name read is not certain, a new supplier form opens with the rest
        filled in and the name left for the user, so the addressee's name is
        never made a supplier."""
        self.ensure_one()
        result = self.l10n_nl_scan_result or {}
        country = result.get("supplier_country") and self.env["res.country"].search(
            [("code", "=", result["supplier_country"])], limit=1)
        values = {
            "is_company": True,
            "supplier_rank": 1,
            "street": result.get("supplier_street") or False,
            "zip": result.get("supplier_zip") or False,
            "city": result.get("supplier_city") or False,
            "country_id": country.id if country else False,
            "company_registry": result.get("supplier_kvk") or False,
            "vat": result.get("supplier_vat") or False,
        }
        name_confidence = ((result.get("fields") or {}).get("supplier_name") or {}).get("confidence") or 0.0
        if not result.get("supplier_name") or name_confidence < SURE_NAME:
            context = {f"default_{key}": value for key, value in values.items() if value}
            if result.get("supplier_iban"):
                context["default_bank_ids"] = [fields.Command.create({"acc_number": result["supplier_iban"]})]
            return {"type": "ir.actions.act_window", "res_model": "res.partner", "view_mode": "form",
                    "target": "new", "name": _("New supplier"), "context": context}
        values["name"] = result["supplier_name"]
        if result.get("supplier_iban"):
            values["bank_ids"] = [fields.Command.create({"acc_number": result["supplier_iban"]})]
        partner = self.env["res.partner"].create(values)
        self.partner_id = partner
        self.message_post(body=_("Supplier %(name)s created from the document.", name=partner.display_name))
        return {"type": "ir.actions.act_window", "res_model": "res.partner", "res_id": partner.id,
                "view_mode": "form", "target": "current"}

    def _l10n_nl_scan_post_summary(self, result, kept, how=None, template_note=None):
        # The label in the reader's language ("PDF-tekst"), not the English source.
        method = dict(self._fields["l10n_nl_scan_source"]._description_selection(self.env)).get(
            result.get("source"), "")
        missing = [
            label for label, key in (
                (_("invoice number"), "invoice_number"),
                (_("invoice date"), "invoice_date"),
                (_("total"), "amount_total"),
            ) if result.get(key) is None
        ]
        items = Markup()
        if missing:
            items += Markup("<li>%s</li>") % _("Not found: %(fields)s", fields=", ".join(missing))
        if kept:
            items += Markup("<li>%s</li>") % _(
                "Kept your changes to: %(fields)s", fields=", ".join(kept))
        for note in (how, template_note):
            if note:
                items += Markup("<li>%s</li>") % note
        by_mask = [key for key, meta in (result.get("fields") or {}).items() if meta.get("how") == "mask"]
        if by_mask:
            labels = self._l10n_nl_scan_field_labels()
            items += Markup("<li>%s</li>") % _("Read by the supplier's masks: %(fields)s",
                                                fields=", ".join(labels.get(key, key) for key in by_mask))
        for warning in result.get("warnings") or []:
            items += Markup("<li>%s</li>") % engine_messages.translate(self.env, warning)
        body = Markup("<p>%s</p>") % _(
            "Recognised by scan en herken (%(method)s, score %(score)s).",
            method=method, score=result.get("score") or 0,
        )
        if items:
            body += Markup("<ul>%s</ul>") % items
        self.message_post(body=body)
