import base64
import email
import email.policy
import logging
import os

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..engine import sandbox
from ..engine.reading.files import sniff_mimetype
from ..engine.reading.mail import classify, group_documents

_logger = logging.getLogger(__name__)


class L10nNlScanIntake(models.AbstractModel):
    """Every door (mailbox, upload, command line) hands files here: they
    become draft vendor bills queued for recognition. Nothing is recognised
    here, so fetching mail stays fast and one bad document cannot stop it."""

    _name = "l10n_nl_scan_herken.intake"
    _description = "Scan en herken intake"

    # ---- Mail --------------------------------------------------------------

    @api.model
    def _intake_mail(self, raw, journal, server=None):
        """One received mail -> its draft bills (the existing set when the
        same mail was taken in before). The mail's key is inserted first and
        is unique per company, so a second fetch racing for the same mail
        fails here instead of making a second set of bills. Never raises for
        a strange mail: the original .eml is then kept on a bill with a note."""
        company = journal.company_id
        try:
            message = email.message_from_bytes(raw, policy=email.policy.SMTP)
            headers = {name: str(message.get(name) or "").strip() for name in ("Message-Id", "Subject", "From")}
        except Exception:  # nested past Python's limits, broken headers: the mail is kept below all the same
            message, headers = None, {}
        # sudo: received mails are written by scan en herken only, keyed by the mail's own bytes in the journal's company.
        Mail = self.env["l10n_nl_scan_herken.received_mail"].sudo()
        key = Mail._message_key(headers.get("Message-Id"), raw)
        taken = self._taken(key, company)
        if taken is not None:
            return taken
        mail = Mail.create(
            {
                "company_id": company.id,
                "message_key": key,
                "server_id": server and server.id,
                "subject": (headers.get("Subject") or "")[:500],
                "email_from": (headers.get("From") or "")[:500],
            }
        )
        try:
            with self.env.cr.savepoint():
                if message is None:
                    raise ValueError("the mail cannot be parsed")
                parsed = self.env["mail.thread"].message_parse(message)
                mail.date = self._mail_date(parsed)
                return self._bills_from_parsed(parsed, journal, mail)
        except Exception as exc:  # a mail Odoo's parser (or Python's) gives up on is still kept, whole
            _logger.warning("Unreadable mail %s: %s", key, exc)
            bill = self._create_bill(journal, [], mail)
            self._attach(bill, [("original_email.eml", raw, "message/rfc822")])
            bill._l10n_nl_scan_fail(_("The mail could not be read; the original is attached."))
            return bill

    def _taken(self, key, company):
        """The bills of a mail taken in before (possibly none left: the user
        deleted them), or None for a new mail."""
        # sudo: a lookup by the key computed from the mail's own bytes, in the journal's company.
        mail = (
            self.env["l10n_nl_scan_herken.received_mail"]
            .sudo()
            .search([("message_key", "=", key), ("company_id", "=", company.id)], limit=1)
        )
        if mail:
            return mail.bill_ids.sudo(False)
        bills = self.env["account.move"].search(
            [  # taken in before received mails were kept
                ("l10n_nl_scan_message_id", "=", key),
                ("company_id", "=", company.id),
            ]
        )
        return bills or None

    @api.model
    def _mail_date(self, parsed):
        try:
            return fields.Datetime.to_datetime(parsed.get("date")) or fields.Datetime.now()
        except ValueError:
            return fields.Datetime.now()

    def _bills_from_parsed(self, parsed, journal, mail):
        company = journal.company_id
        files = classify(parsed.get("attachments") or [], parsed.get("body") or "")
        groups = group_documents(files.documents, company.l10n_nl_scan_bill_per_file, self._pdf_text_reader())
        bills = self.env["account.move"]
        body_text = html2plaintext(parsed.get("body") or "").strip()
        for group in groups or [[]]:
            bill = self._create_bill(journal, group, mail)
            if not group:
                bill._l10n_nl_scan_write(
                    {"l10n_nl_scan_text": "\n".join(filter(None, [parsed.get("subject"), body_text]))}
                )
            bills |= bill
        if files.others:
            first = bills[:1]
            self._attach(first, [(f.name, f.data, f.mimetype) for f in files.others], set_main=False)
            first.message_post(
                body=_(
                    "These attachments are not invoices scan en herken reads and were attached as they are: %(names)s",
                    names=", ".join(f.name for f in files.others),
                )
            )
        for bill in bills:
            self._post_mail(bill, parsed)
        return bills

    def _pdf_text_reader(self):
        """A PDF's text for pairing it with its XML, read in a reader child."""
        pool = self.env["l10n_nl_scan_herken.reader"]._pool()
        return lambda data: sandbox.pdf_text(data, pool=pool)

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
        pairs, grouped as the company's settings say. An empty file still
        becomes a bill with a note, so the user sees it arrived."""
        bills = self.env["account.move"]
        for name, _data in [f for f in files if not f[1]]:
            bill = self._intake_unreadable(journal, name, _("the file is empty (0 bytes)"))
            # The (empty) original under its own name: the bill shows what arrived.
            self._attach(bill, [(name, b"", "application/octet-stream")], set_main=False)
            bills |= bill
        files = [f for f in files if f[1]]
        documents = classify([(name, data, {}) for name, data in files])
        groups = group_documents(
            documents.documents, journal.company_id.l10n_nl_scan_bill_per_file, self._pdf_text_reader()
        )
        for group in groups:
            bills |= self._create_bill(journal, group)
        for other in documents.others:
            bill = self._create_bill(journal, [])
            self._attach(bill, [(other.name, other.data, other.mimetype)])
            note = (
                _("%(name)s is a ZIP archive: unpack it and send the invoices in it.", name=other.name)
                if sniff_mimetype(other.data) == "application/zip"
                else _("This file is not a PDF, image or XML invoice.")
            )
            bill._l10n_nl_scan_fail(note)
            bills |= bill
        return bills

    @api.model
    def _intake_unreadable(self, journal, name, reason):
        """A draft bill that says a file arrived but could not be taken."""
        bill = self._create_bill(journal, [])
        bill._l10n_nl_scan_fail(_("The file %(name)s could not be read: %(reason)s.", name=name, reason=reason))
        return bill

    def _create_bill(self, journal, files, mail=None):
        bill = (
            self.env["account.move"]
            .with_company(journal.company_id)
            .create(
                {
                    "move_type": "in_invoice",
                    "journal_id": journal.id,
                    "company_id": journal.company_id.id,
                }
            )
        )
        bill._l10n_nl_scan_write(
            {
                "l10n_nl_scan_state": "queued",
                "l10n_nl_scan_message_id": mail.message_key if mail else False,
                "l10n_nl_scan_mail_id": mail.id if mail else False,
            }
        )
        if files:
            self._attach(bill, [(f.name, f.data, f.mimetype) for f in files])
        return bill

    def _attach(self, bill, files, set_main=True):
        """Attachments stored as received: Odoo would shrink images to 1920
        pixels, which costs OCR accuracy."""
        attachments = (
            self.env["ir.attachment"]
            .with_context(image_no_postprocess=True)
            .create(
                [
                    {
                        "name": name,
                        "datas": base64.b64encode(data),
                        "mimetype": mimetype or "application/octet-stream",
                        "res_model": "account.move",
                        "res_id": bill.id,
                    }
                    for name, data, mimetype in files
                ]
            )
        )
        if set_main and attachments:
            visual = attachments.filtered(lambda a: a.mimetype != "application/xml")[:1]
            bill.message_main_attachment_id = visual or attachments[:1]
        return attachments

    # ---- Batches: split and merge ----------------------------------------------

    @api.model
    def _split(self, move, original, result, manual=False):
        """One bill per invoice of a batch: this bill takes the first, new
        bills (same journal, same mail) the others; each gets a PDF of its
        own pages as its document and is recognised from the words already
        read. The original stays attached to this bill."""
        pool = self.env["l10n_nl_scan_herken.reader"]._pool()
        files = [sandbox.cut_pages(original.raw or b"", part["pages"], pool=pool) for part in result.parts]
        if not all(files):
            self.env["l10n_nl_scan_herken.bill_builder"]._fill_bill(move, result)
            move.message_post(
                body=_(
                    "The file holds %(count)s invoices but could not be cut into them; it is booked as one bill.",
                    count=len(result.parts),
                )
            )
            return move
        builder, stem = self.env["l10n_nl_scan_herken.bill_builder"], os.path.splitext(original.name or "scan")[0]
        bills = move
        for index, (part, data) in enumerate(zip(result.parts, files)):
            bill = move if index == 0 else self._create_bill(move.journal_id, [], move.l10n_nl_scan_mail_id)
            if index:
                bill._l10n_nl_scan_write({"l10n_nl_scan_part_of_id": move.id})
                bills |= bill
            self._attach(bill, [(f"{stem}-{index + 1}.pdf", data, "application/pdf")])
            pages = _page_ranges(part["pages"])
            if manual:
                bill.message_post(
                    body=_("Split from %(file)s by hand: pages %(pages)s.", file=original.name, pages=pages)
                )
            else:
                bill.message_post(
                    body=_(
                        "Invoice %(index)s of %(count)s in %(file)s: pages %(pages)s. The original file is kept on "
                        "%(bill)s.",
                        index=index + 1,
                        count=len(result.parts),
                        file=original.name,
                        pages=pages,
                        bill=move.display_name if index else _("this bill"),
                    )
                )
            builder._fill_bill(bill, part["recognition"])
        return bills

    @api.model
    def _merge(self, bills):
        """The documents of these draft bills merged into the first one's,
        recognised again; the others' files move to it, the other bills are
        removed. Returns the bill kept."""
        bills = bills.sorted("id")
        if len(bills) < 2 or bills.filtered(lambda bill: bill.state != "draft" or not bill._l10n_nl_scan_document()):
            raise UserError(_("Select two or more draft bills that each have a document to merge."))
        first, others = bills[0], bills[1:]
        documents = [bill._l10n_nl_scan_document() for bill in bills]
        data = sandbox.join_files(
            [document.raw or b"" for document in documents], pool=self.env["l10n_nl_scan_herken.reader"]._pool()
        )
        if data is None:
            raise UserError(_("The documents could not be merged; they may be damaged."))
        names = ", ".join(others.mapped("display_name"))
        self.env["ir.attachment"].search([("res_model", "=", bills._name), ("res_id", "in", others.ids)]).write(
            {"res_id": first.id}
        )
        others.unlink()
        self._attach(first, [(_("merged.pdf"), data, "application/pdf")])
        first._l10n_nl_scan_write({"l10n_nl_scan_keep_whole": True, "l10n_nl_scan_part_of_id": False})
        first.message_post(body=_("Documents merged from %(bills)s; their files are attached here.", bills=names))
        self.env["l10n_nl_scan_herken.queue"]._recognize_now(first)
        return first


def _page_ranges(pages):
    """File page numbers (from 0) as a reader counts them: "3-4, 7"."""
    ranges = []
    for number in pages:
        if ranges and ranges[-1][1] == number:
            ranges[-1][1] = number + 1
        else:
            ranges.append([number + 1, number + 1])
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in ranges)
