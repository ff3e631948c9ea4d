import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine.reading.files import SUPPORTED_MIMETYPES
from .account_edi_common import IMPORT_FLAG

_logger = logging.getLogger(__name__)

UBL_ROOTS = (
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
)


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "l10n_nl_scan_herken.recognition.mixin"]

    l10n_nl_scan_packing_slip = fields.Char(string="Packing slip", copy=False, index="trigram", tracking=True)
    l10n_nl_scan_iban = fields.Char(string="Recognised IBAN", copy=False, index=True, readonly=True)
    l10n_nl_scan_kvk = fields.Char(string="Recognised KvK", copy=False, index=True, readonly=True)
    l10n_nl_scan_vat = fields.Char(string="Recognised VAT number", copy=False, readonly=True)
    l10n_nl_scan_iban_unknown = fields.Boolean(
        string="Unknown IBAN",
        compute="_compute_l10n_nl_scan_iban_unknown",
        help="The document names an IBAN that is not one of the supplier's bank accounts.",
    )
    l10n_nl_scan_missing_taxes = fields.Char(
        string="VAT rates without tax",
        compute="_compute_l10n_nl_scan_missing_taxes",
        help="VAT rates on the document this company has no purchase tax for.",
    )
    l10n_nl_scan_warning_count = fields.Integer(string="Warnings", compute="_compute_l10n_nl_scan_checks")
    l10n_nl_scan_warning_text = fields.Char(string="Warning", compute="_compute_l10n_nl_scan_checks")
    l10n_nl_scan_has_warning = fields.Boolean(
        string="Has warnings", compute="_compute_l10n_nl_scan_checks", search="_search_l10n_nl_scan_has_warning"
    )
    l10n_nl_scan_supplier_display = fields.Char(
        string="Supplier",
        compute="_compute_l10n_nl_scan_supplier_display",
        help="The supplier, or the name read on the document while no supplier is set.",
    )
    l10n_nl_scan_received = fields.Datetime(
        string="Received",
        compute="_compute_l10n_nl_scan_received",
        store=True,
        help="When the mail with the document arrived; for an upload, when it was uploaded.",
    )
    l10n_nl_scan_warning_html = fields.Html(
        string="Scan warnings", compute="_compute_l10n_nl_scan_checks", sanitize=False
    )
    l10n_nl_scan_checklist_html = fields.Html(
        string="Automatic approval", compute="_compute_l10n_nl_scan_checks", sanitize=False
    )
    l10n_nl_scan_message_id = fields.Char(string="Mail Message-ID", copy=False, index=True, readonly=True)
    l10n_nl_scan_mail_id = fields.Many2one(
        "l10n_nl_scan_herken.received_mail",
        string="Received mail",
        copy=False,
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
    l10n_nl_scan_attempts = fields.Integer(string="Recognition attempts", copy=False, readonly=True)
    l10n_nl_scan_lease = fields.Datetime(string="Claimed for recognition until", copy=False, readonly=True)
    l10n_nl_scan_has_pages = fields.Boolean(
        string="Document pages kept",
        compute="_compute_l10n_nl_scan_has_pages",
        help="Whether the review screen can draw the document with the places of the recognised values.",
    )
    l10n_nl_scan_einvoice_view = fields.Boolean(
        string="E-invoice shown as a page",
        compute="_compute_l10n_nl_scan_einvoice_view",
        help="An XML e-invoice without a PDF beside it: the bill shows a rendering of the XML.",
    )
    l10n_nl_scan_booking_template_id = fields.Many2one(
        "l10n_nl_scan_herken.booking_template",
        string="Booking template used",
        copy=False,
        readonly=True,
        check_company=True,
        help="Assigned by an automation rule; it wins over the supplier's template.",
    )
    l10n_nl_scan_part_of_id = fields.Many2one(
        "account.move",
        string="Split from",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The bill that holds the original batch scan this bill's invoice was cut from.",
    )
    l10n_nl_scan_keep_whole = fields.Boolean(
        string="Kept whole",
        copy=False,
        readonly=True,
        help="The bookkeeper merged or split this bill's document by hand: it is not split automatically again.",
    )
    l10n_nl_scan_picked = fields.Json(
        string="Values picked on the document",
        copy=False,
        help="The fields the bookkeeper filled by clicking on the document: what was clicked, and where.",
    )
    l10n_nl_scan_unmapped_codes = fields.Char(
        string="Codes without template entry",
        compute="_compute_l10n_nl_scan_unmapped_codes",
        help="Supplier product codes on this e-invoice that its supplier's e-invoice template does not map yet.",
    )

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
                move.id
                and move.l10n_nl_scan_source in ("ubl", "cii")
                and not move._l10n_nl_scan_document()
                and move._l10n_nl_scan_xml_attachment()
            )

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

    # ---- Queue (the door; the queue is models/scan_queue.py) ---------------

    @api.model
    def _cron_l10n_nl_scan_recognize(self, batch_size=20, companies=None):
        """Recognise queued bills (see l10n_nl_scan_herken.queue)."""
        return self.env["l10n_nl_scan_herken.queue"]._recognize(batch_size, companies)

    def _l10n_nl_scan_window(self, model, name=None, res_id=None, target="new", context=None):
        """The action opening one record's form (a wizard, or a bill)."""
        action = {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": target,
            "views": [(False, "form")],
            "context": context or {},
        }
        return action | ({"name": name} if name else {}) | ({"res_id": res_id} if res_id else {})

    def action_l10n_nl_scan_split(self):
        self.ensure_one()
        return self._l10n_nl_scan_window(
            "l10n_nl_scan_herken.split_wizard", _("Split document"), context={"default_move_id": self.id}
        )

    def action_l10n_nl_scan_merge(self):
        """Merge the documents of the selected draft bills into the first one's."""
        first = self.env["l10n_nl_scan_herken.intake"]._merge(self)
        return self._l10n_nl_scan_window(self._name, res_id=first.id, target="current")

    def action_l10n_nl_scan_test_rules(self):
        """Each automation rule in order, whether it holds for this bill and
        what does not; nothing is changed."""
        self.ensure_one()
        wizard = self.env["l10n_nl_scan_herken.rule_test"].create({"move_id": self.id})
        return self._l10n_nl_scan_window(wizard._name, _("Test rules"), res_id=wizard.id)

    # ---- E-invoice templates from booked bills -----------------------------

    @api.depends("partner_id", "invoice_line_ids.l10n_nl_scan_product_code")
    def _compute_l10n_nl_scan_unmapped_codes(self):
        templates = self.env["l10n_nl_scan_herken.einvoice_template_line"]
        for move in self:
            lines = templates._unmapped_lines(move) if move.is_purchase_document() else []
            move.l10n_nl_scan_unmapped_codes = (
                ", ".join(dict.fromkeys(lines.mapped("l10n_nl_scan_product_code"))) if lines else False
            )

    def action_l10n_nl_scan_add_to_template(self):
        """The offer on a bill with unmapped codes: remember how the user
        booked those lines, so the supplier's next e-invoice books itself."""
        self.ensure_one()
        self.env["l10n_nl_scan_herken.einvoice_template_line"]._add_from_bill(self)
        return True

    # ---- Upload and chatter door (core's EDI decoder hook) ------------------

    def _get_edi_decoder(self, file_data, new=False):
        # EXTENDS 'account': PDFs and images without an e-invoice inside are
        # recognised by scan en herken when the company uses it.
        decoder = super()._get_edi_decoder(file_data, new=new)
        company = self.company_id or self.env.company
        if (
            decoder
            and file_data["type"] == "xml"
            and not self.env.context.get(IMPORT_FLAG)
            and company.l10n_nl_scan_enabled
            and self.is_purchase_document(include_receipts=True)
        ):
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
        invoice.message_post(
            body=_(
                "Scan en herken is switched off for %(company)s: %(file)s was attached without being read. Switch it on "
                "under Settings → Accounting → Scan en herken.",
                company=invoice.company_id.name,
                file=file_data["attachment"].name,
            )
        )
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
            self.env["l10n_nl_scan_herken.queue"]._recognize_now(invoice)
        return True

    def action_l10n_nl_scan_fetch_now(self):
        """The 'fetch now' button of To process: read the mailboxes of the
        current companies, recognise what is waiting, and say what happened."""
        return self.env["fetchmail.server"]._l10n_nl_scan_fetch_now(self.env.companies)

    # ---- Recognition on the bill ------------------------------------------

    def action_l10n_nl_scan_recognize(self):
        """Recognise again: re-read the main attachment and fill in what the
        user has not changed since the last recognition."""
        for move in self:
            if move.state != "draft" or not move.is_purchase_document(include_receipts=True):
                raise UserError(_("Only draft vendor bills can be recognised again."))
            if not (move._l10n_nl_scan_document() or move._l10n_nl_scan_xml_attachment() or move.l10n_nl_scan_text):
                move._l10n_nl_scan_raise_if_missing(False)
            self.env["l10n_nl_scan_herken.queue"]._recognize_now(move)
        return True

    def action_post(self):
        """Confirm from the form or the list (Odoo's buttons turn abnormal-bill
        detection on) asks first when a bill still has scan en herken
        warnings, in Odoo's own "Confirm Entries" dialog, which lists them.
        Posting from code (approval rules, imports) is not asked."""
        if not self.env.context.get("disable_abnormal_invoice_detection", True) and self.filtered(
            "l10n_nl_scan_warning_count"
        ):
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
        for move in posted.filtered(
            lambda m: m.l10n_nl_scan_state == "done" and m.partner_id and m.is_purchase_document(include_receipts=True)
        ):
            try:
                with self.env.cr.savepoint():
                    learning._learn(move)
            except Exception:  # pylint: disable=broad-except
                _logger.exception("Scan en herken could not learn from bill %s", move.id)
        return posted

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
                move.l10n_nl_scan_iban
                and move.partner_id
                and not banks._l10n_nl_scan_known(move.partner_id, move.company_id, [move.l10n_nl_scan_iban])
            )

    def action_l10n_nl_scan_accept_iban(self):
        """A manager accepts the document's IBAN as the supplier's account
        (after checking it with the supplier): it becomes a bank account of
        the supplier and the bill's payee, and the chatter records who
        accepted which IBAN when."""
        self.ensure_one()
        return self.env["l10n_nl_scan_herken.approval"]._accept_iban(self)

    @api.depends("l10n_nl_scan_result", "l10n_nl_scan_source", "state")
    def _compute_l10n_nl_scan_missing_taxes(self):
        taxes = self.env["l10n_nl_scan_herken.purchase_taxes"]
        for move in self:
            missing = taxes._missing_rates_of(move) if move.state == "draft" else []
            move.l10n_nl_scan_missing_taxes = ", ".join(f"{rate:g}%" for rate in missing) or False

    def action_l10n_nl_scan_create_taxes(self):
        """A manager creates the purchase taxes of the document's VAT rates
        the company lacks (only rates an EU country charges, one tax per
        rate), and the bill is read again with them."""
        self.ensure_one()
        return self.env["l10n_nl_scan_herken.purchase_taxes"]._create_missing(self)

    @api.depends("partner_id", "l10n_nl_scan_result")
    def _compute_l10n_nl_scan_supplier_display(self):
        for move in self:
            move.l10n_nl_scan_supplier_display = (
                move.partner_id.display_name or (move.l10n_nl_scan_result or {}).get("supplier_name") or ""
            )

    @api.depends("l10n_nl_scan_mail_id.date", "create_date")
    def _compute_l10n_nl_scan_received(self):
        for move in self:
            move.l10n_nl_scan_received = move.l10n_nl_scan_mail_id.date or move.create_date

    @api.depends(
        "l10n_nl_scan_state",
        "l10n_nl_scan_result",
        "partner_id",
        "ref",
        "amount_total",
        "invoice_date",
        "l10n_nl_scan_iban",
        "l10n_nl_scan_iban_unknown",
        "l10n_nl_scan_error",
    )
    def _compute_l10n_nl_scan_checks(self):
        approval = self.env["l10n_nl_scan_herken.approval"]
        for move in self:
            move.update(approval._check_values(move))

    def action_l10n_nl_scan_create_supplier(self):
        """Create the supplier from what the document says (only on request):
        name, street, postcode, city, country, VAT, KvK and IBAN. When the
        name read is not certain, a new supplier form opens with the rest
        filled in and the name left for the user, so the addressee's name is
        never made a supplier."""
        self.ensure_one()
        return self.env["l10n_nl_scan_herken.supplier_matcher"]._create_supplier(self)
