import base64
import email
import email.policy
import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import html2plaintext

from ..engine.mail_documents import classify, group_documents
from ..engine.testing.fixtures import make_spec
from ..engine.testing.render import image_bytes, render_pdf, scan

_logger = logging.getLogger(__name__)


class L10nNlScanIntake(models.AbstractModel):
    """Every door (mailbox, upload, command line) hands files here: they
    become draft vendor bills queued for recognition. Nothing is recognised
    here, so fetching mail stays fast and one bad document cannot stop it."""

    _name = "l10n_nl_scan_herken.intake"
    _description = "Scan en herken intake"

    # ---- Mail --------------------------------------------------------------

    @api.model
    def _intake_mail(self, raw, journal):
        """One received mail -> its draft bills (an existing set when the same
        Message-ID was taken in before). Never raises for a strange mail: the
        original .eml is then kept on a bill with a note."""
        message = email.message_from_bytes(raw, policy=email.policy.SMTP)
        message_id = (message.get("Message-Id") or "").strip()
        existing = self._existing_bills(message_id, journal.company_id)
        if existing:
            return existing
        try:
            parsed = self.env["mail.thread"].message_parse(message)
        except Exception as exc:  # a mail Odoo's parser rejects is still kept
            _logger.warning("Unparsable mail %s: %s", message_id, exc)
            bill = self._create_bill(journal, [], message_id)
            self._attach(bill, [("original_email.eml", raw, "message/rfc822")])
            bill.write({"l10n_nl_scan_state": "failed",
                        "l10n_nl_scan_error": _("The mail could not be read; the original is attached.")})
            bill.message_post(body=_("The mail could not be read; the original is attached."))
            return bill
        return self._bills_from_parsed(parsed, journal, message_id)

    def _existing_bills(self, message_id, company):
        if not message_id:
            return self.env["account.move"]
        return self.env["account.move"].search([
            ("l10n_nl_scan_message_id", "=", message_id), ("company_id", "=", company.id)])

    def _bills_from_parsed(self, parsed, journal, message_id):
        company = journal.company_id
        files = classify(parsed.get("attachments") or [], parsed.get("body") or "")
        groups = group_documents(files.documents, company.l10n_nl_scan_bill_per_file)
        bills = self.env["account.move"]
        body_text = html2plaintext(parsed.get("body") or "").strip()
        for group in groups or [[]]:
            bill = self._create_bill(journal, group, message_id)
            if not group:
                bill.l10n_nl_scan_text = "\n".join(filter(None, [parsed.get("subject"), body_text]))
            bills |= bill
        if files.others:
            first = bills[:1]
            self._attach(first, [(f.name, f.data, f.mimetype) for f in files.others], set_main=False)
            first.message_post(body=_(
                "These attachments are not invoices scan en herken reads and were attached as they are: %(names)s",
                names=", ".join(f.name for f in files.others)))
        for bill in bills:
            self._post_mail(bill, parsed)
        return bills

    def _post_mail(self, bill, parsed):
        """The mail itself in the bill's chatter, as it arrived."""
        bill.message_post(
            body=Markup(parsed.get("body") or ""),
            subject=parsed.get("subject"),
            email_from=parsed.get("email_from") or parsed.get("from"),
            message_type="email",
            subtype_xmlid="mail.mt_note",
        )

    # ---- Files -------------------------------------------------------------

    @api.model
    def _intake_files(self, journal, files):
        """Files from the upload button or the command line: (name, data)
        pairs, grouped as the company's settings say."""
        documents = classify([(name, data, {}) for name, data in files])
        groups = group_documents(documents.documents, journal.company_id.l10n_nl_scan_bill_per_file)
        bills = self.env["account.move"]
        for group in groups:
            bills |= self._create_bill(journal, group, False)
        for other in documents.others:
            bill = self._create_bill(journal, [], False)
            self._attach(bill, [(other.name, other.data, other.mimetype)])
            bill.write({"l10n_nl_scan_state": "failed",
                        "l10n_nl_scan_error": _("This file is not a PDF, image or XML invoice.")})
            bills |= bill
        return bills

    def _create_bill(self, journal, files, message_id):
        move_type = "in_invoice"
        bill = self.env["account.move"].with_company(journal.company_id).create({
            "move_type": move_type,
            "journal_id": journal.id,
            "company_id": journal.company_id.id,
            "l10n_nl_scan_state": "queued",
            "l10n_nl_scan_message_id": message_id or False,
        })
        if files:
            self._attach(bill, [(f.name, f.data, f.mimetype) for f in files])
        return bill

    def _attach(self, bill, files, set_main=True):
        """Attachments stored as received: Odoo would shrink images to 1920
        pixels, which costs OCR accuracy."""
        attachments = self.env["ir.attachment"].with_context(image_no_postprocess=True).create([{
            "name": name, "datas": base64.b64encode(data), "mimetype": mimetype or "application/octet-stream",
            "res_model": "account.move", "res_id": bill.id,
        } for name, data, mimetype in files])
        if set_main and attachments:
            visual = attachments.filtered(lambda a: a.mimetype != "application/xml")[:1]
            bill.message_main_attachment_id = visual or attachments[:1]
        return attachments

    # ---- Demo data ---------------------------------------------------------

    @api.model
    def _create_demo_bills(self, partner_ids):
        """Demo: two invoices per demo supplier (a text PDF and a scan),
        generated for that supplier, recognised and waiting in To process."""
        company = self.env.company
        company.l10n_nl_scan_enabled = True
        journal = self.env["account.journal"].search([
            *self.env["account.journal"]._check_company_domain(company), ("type", "=", "purchase")], limit=1)
        today = fields.Date.context_today(self)
        for index, partner in enumerate(self.env["res.partner"].browse(partner_ids)):
            for variant in ("pdf", "scan"):
                spec = make_spec(100 + index * 2 + (variant == "scan"), today=today,
                                 lang="be" if partner.country_id.code == "BE" else "nl")
                spec.supplier.update(name=partner.name, vat=partner.vat, kvk=partner.company_registry,
                                     iban=partner.bank_ids[:1].acc_number.replace(" ", ""))
                pdf = render_pdf(spec)
                files = [(f"{spec.number}.pdf", pdf)]
                if variant == "scan":
                    files = [(f"scan-{spec.number}.png",
                              image_bytes(scan(pdf, spec.seed, rotate=0, noise=False), "PNG"))]
                self._intake_files(journal, files).action_l10n_nl_scan_recognize()
