import base64
import io
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import convert_file, mute_logger

from ..engine.samples.render import image_bytes, render_pdf, scan
from .common import ScanHerkenCommon, ScanHerkenMailboxCommon
from .mails import invoice_mail, pdf, png, xml


def tiny_png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestMailbox(ScanHerkenMailboxCommon):
    def fetch(self, server=None):
        (server or self.server).fetch_mail()
        return self.env["account.move"].search([("l10n_nl_scan_message_id", "!=", False)], order="id")

    def pdf_of(self, seed, **kwargs):
        return render_pdf(self.spec(seed, **kwargs))

    def test_one_bill_per_attachment_and_mail_moves(self):
        mail = invoice_mail([pdf("f1.pdf", self.pdf_of(1)), pdf("f2.pdf", self.pdf_of(2))], subject="Twee facturen")
        self.dovecot.append(mail)
        bills = self.fetch()
        self.assertEqual(len(bills), 2)
        self.assertRecordValues(
            bills,
            [
                {
                    "move_type": "in_invoice",
                    "state": "draft",
                    "journal_id": self.journal.id,
                    "l10n_nl_scan_state": "queued",
                }
            ]
            * 2,
        )
        self.assertEqual(bills.l10n_nl_scan_mail_id.message_id, mail["Message-ID"])
        self.assertEqual(bills.message_main_attachment_id.mapped("name"), ["f1.pdf", "f2.pdf"])
        for bill in bills:
            self.assertTrue(bill.message_ids.filtered(lambda m: m.subject == "Twee facturen"))
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        self.assertEqual(self.dovecot.count("Afgerond"), 1)

    def test_one_bill_with_all_files_when_setting_off(self):
        self.company.l10n_nl_scan_bill_per_file = False
        self.dovecot.append(invoice_mail([pdf("a.pdf", self.pdf_of(3)), pdf("b.pdf", self.pdf_of(4))]))
        bills = self.fetch()
        self.assertEqual(len(bills), 1)
        attachments = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", bills.id)])
        self.assertEqual(sorted(attachments.mapped("name")), ["a.pdf", "b.pdf"])

    def test_mail_without_attachment_becomes_bill_from_body(self):
        body = (
            "Factuurnummer: MAIL-2026-7\nFactuurdatum: 02-11-2026\n"
            "Totaal excl. btw 100,00\nBTW 21% 21,00\nTotaal te betalen 121,00\nIBAN NL91 ABNA 0417 1643 00"
        )
        self.dovecot.append(invoice_mail(body=body, subject="Factuur zonder bijlage"))
        bill = self.fetch()
        self.assertEqual(len(bill), 1)
        self.assertIn("MAIL-2026-7", bill.l10n_nl_scan_text)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertRecordValues(
            bill, [{"l10n_nl_scan_state": "done", "l10n_nl_scan_source": "mail_text", "ref": "MAIL-2026-7"}]
        )
        self.assertEqual(bill.l10n_nl_scan_result["amount_total"], 121.0)

    def test_signature_images_are_not_invoices(self):
        html = '<p>Zie bijlage</p><p><img src="cid:logo"/></p>'
        mail = invoice_mail([pdf("factuur.pdf", self.pdf_of(5))], html=html, inline_images=[("logo", tiny_png())])
        self.dovecot.append(mail)
        bills = self.fetch()
        self.assertEqual(len(bills), 1)
        self.assertEqual(bills.message_main_attachment_id.name, "factuur.pdf")
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", "account.move"), ("res_id", "=", bills.id)])
            .mapped("name")
        )
        self.assertNotIn("logo.png", names)

    def test_forwarded_mail_is_opened(self):
        inner = invoice_mail([pdf("doorgestuurd.pdf", self.pdf_of(6))], subject="Origineel")
        self.dovecot.append(invoice_mail(subject="Fwd: factuur", forwarded=inner, sender="collega@example.com"))
        bills = self.fetch()
        self.assertEqual(bills.message_main_attachment_id.mapped("name"), ["doorgestuurd.pdf"])

    def test_scan_images_and_tiff_each_a_bill(self):
        image = scan(render_pdf(self.spec(7)), 7, rotate=0, noise=False)
        self.dovecot.append(
            invoice_mail(
                [png("scan.png", image_bytes(image, "PNG")), ("scan.tiff", image_bytes(image, "TIFF"), "image", "tiff")]
            )
        )
        bills = self.fetch()
        self.assertEqual(bills.message_main_attachment_id.mapped("mimetype"), ["image/png", "image/tiff"])
        # Stored as received: Odoo would otherwise shrink images to 1920 pixels.
        stored = base64.b64decode(bills[0].message_main_attachment_id.datas)
        self.assertEqual(stored, image_bytes(image, "PNG"))

    def test_pdf_and_xml_make_one_bill(self):
        ubl = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
        self.dovecot.append(invoice_mail([pdf("F1.pdf", self.pdf_of(8)), xml("F1.xml", ubl)]))
        bills = self.fetch()
        self.assertEqual(len(bills), 1)
        self.assertEqual(bills.message_main_attachment_id.name, "F1.pdf")
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", "account.move"), ("res_id", "=", bills.id)])
            .mapped("name")
        )
        self.assertEqual(sorted(names), ["F1.pdf", "F1.xml"])

    def test_unknown_attachment_is_kept_with_a_note(self):
        self.dovecot.append(
            invoice_mail(
                [pdf("f.pdf", self.pdf_of(9)), ("voorwaarden.docx", b"PK\x03\x04 word", "application", "octet-stream")]
            )
        )
        bill = self.fetch()
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", "account.move"), ("res_id", "=", bill.id)])
            .mapped("name")
        )
        self.assertIn("voorwaarden.docx", names)
        self.assertTrue(bill.message_ids.filtered(lambda m: "voorwaarden.docx" in (m.body or "")))

    def test_same_message_twice_makes_one_bill(self):
        mail = invoice_mail([pdf("f.pdf", self.pdf_of(10))], message_id="<dubbel@example.com>")
        self.dovecot.append(mail)
        self.dovecot.append(mail)
        bills = self.fetch()
        self.assertEqual(len(bills), 1)
        self.dovecot.append(mail)
        self.assertEqual(self.fetch(), bills)
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        # The done folder holds the mail once: a copy found there already is only removed from the inbox (as
        # after a fetch killed mid-move, when the server finishes the move while the next fetch sees the mail).
        self.assertEqual(self.dovecot.count("Afgerond"), 1)

    def reuse_notes(self, bill):
        return bill.message_ids.filtered(lambda m: m.message_type != "email" and "Factuur april" in (m.body or ""))

    def test_other_mail_with_a_used_message_id_is_its_own_bill(self):
        """The attack: a second, different mail carrying a Message-ID already
        taken in. It becomes its own bill with a note naming the first mail,
        instead of going to Afgerond as 'already read'."""
        first = invoice_mail(
            [pdf("echt.pdf", self.pdf_of(21))], subject="Factuur april", message_id="<zelfde@example.com>"
        )
        second = invoice_mail(
            [pdf("ander.pdf", self.pdf_of(22))], subject="Factuur mei", message_id="<zelfde@example.com>"
        )
        self.dovecot.append(first)
        self.dovecot.append(second)
        bills = self.fetch()
        self.assertEqual(bills.message_main_attachment_id.mapped("name"), ["echt.pdf", "ander.pdf"])
        self.assertEqual(bills.l10n_nl_scan_mail_id.mapped("message_id"), ["<zelfde@example.com>"] * 2)
        self.assertFalse(self.reuse_notes(bills[0]))
        note = self.reuse_notes(bills[1])
        self.assertEqual(len(note), 1)
        self.assertIn("zelfde@example.com", note.body)
        self.assertEqual(bills[1].l10n_nl_scan_mail_id.earlier_mail_id, bills[0].l10n_nl_scan_mail_id)
        self.assertEqual(self.dovecot.count("Afgerond"), 2)

        # Each is still the same mail when it comes again: the second as it was, the first relayed on another
        # path (one more Received: header, the lines ending in CRLF).
        relayed = b"Received: from relay.example.net by mx.example.com; Mon, 2 Nov 2026 10:00:00 +0100\r\n" + bytes(
            first
        ).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        self.dovecot.append(second)
        self.dovecot.append(relayed)
        self.assertEqual(self.fetch(), bills)
        self.assertEqual(len(self.reuse_notes(bills[1])), 1)
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        self.assertEqual(self.dovecot.count("Afgerond"), 2, "each mail once in the done folder")

    def test_mails_taken_before_content_hashes_are_not_taken_again(self):
        """Before this version a mail's key was its bare Message-ID. Such a
        mail read again after the upgrade (still in the inbox after a crash)
        makes no second bill; another mail with its Message-ID does."""
        Mail = self.env["l10n_nl_scan_herken.received_mail"].sudo()
        old = invoice_mail([pdf("oud.pdf", self.pdf_of(23))], subject="Factuur april", message_id="<oud@example.com>")
        Mail.create(
            {
                "company_id": self.company.id,
                "message_key": old["Message-ID"],
                "subject": "Factuur april",
                "email_from": old["From"],
            }
        )
        older = invoice_mail([pdf("ouder.pdf", self.pdf_of(24))], message_id="<ouder@example.com>")
        # From before received mails were kept: only the bill knew the Message-ID.
        self.env["account.move"].sudo().create(
            {"move_type": "in_invoice", "journal_id": self.journal.id, "l10n_nl_scan_message_id": older["Message-ID"]}
        )
        self.dovecot.append(old)
        self.dovecot.append(older)
        mailed = self.env["account.move"].search([("l10n_nl_scan_mail_id", "!=", False)])
        self.fetch()
        self.assertFalse(mailed.search([("l10n_nl_scan_mail_id", "!=", False)]))
        self.assertEqual(self.dovecot.count("Afgerond"), 2)

        other = invoice_mail([pdf("nieuw.pdf", self.pdf_of(25))], subject="Factuur mei", message_id="<oud@example.com>")
        self.dovecot.append(other)
        self.fetch()
        bill = mailed.search([("l10n_nl_scan_mail_id", "!=", False)])
        self.assertEqual(bill.message_main_attachment_id.name, "nieuw.pdf")
        self.assertEqual(len(self.reuse_notes(bill)), 1)
        self.assertEqual(self.dovecot.count("INBOX"), 0)

    def test_branch_user_does_not_read_the_parent_company_mail(self):
        """A user of a branch only: the parent's received mails (subjects,
        senders, bills) are not theirs to read."""
        self.dovecot.append(invoice_mail([pdf("a.pdf", self.pdf_of(26))], subject="Post van het hoofdkantoor"))
        parent_mail = self.fetch().l10n_nl_scan_mail_id
        branch = self.env["res.company"].create({"name": "Filiaal Zuid", "parent_id": self.company.id})
        Mail = self.env["l10n_nl_scan_herken.received_mail"]
        Mail.sudo().create(
            {"company_id": branch.id, "message_key": "<filiaal@example.com>", "subject": "Post van het filiaal"}
        )

        def user(login, company):
            return new_test_user(
                self.env,
                login=login,
                groups="account.group_account_invoice",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        branch_user, parent_user = user("filiaal", branch), user("hoofdkantoor", self.company)
        self.assertEqual(Mail.with_user(branch_user).search([]).mapped("subject"), ["Post van het filiaal"])
        with self.assertRaises(AccessError):
            parent_mail.with_user(branch_user).read(["subject"])
        self.assertEqual(Mail.with_user(parent_user).search([]), parent_mail)

    def test_upgrade_applies_the_branch_rule(self):
        """The rule is noupdate: a database installed with parent_of gets the
        new domain when the module is updated."""
        rule = self.env.ref("l10n_nl_scan_herken.received_mail_company_rule")
        rule.domain_force = "[('company_id', 'parent_of', company_ids)]"
        convert_file(self.env, "l10n_nl_scan_herken", "security/scan_security.xml", {}, mode="update")
        self.assertEqual(rule.domain_force, "[('company_id', 'in', company_ids)]")

    def test_custom_folder_is_created(self):
        self.server.l10n_nl_scan_done_folder = "Verwerkt"
        self.dovecot.append(invoice_mail([pdf("f.pdf", self.pdf_of(11))]))
        self.fetch()
        self.assertEqual(self.dovecot.count("Verwerkt"), 1)

    def test_pop3_mailbox(self):
        pop = self.server.copy({"name": "POP", "server_type": "pop", "port": self.dovecot.pop_port, "state": "done"})
        self.dovecot.append(invoice_mail([pdf("pop.pdf", self.pdf_of(12))]))
        bills = self.fetch(pop)
        self.assertEqual(bills.message_main_attachment_id.name, "pop.pdf")
        self.assertEqual(self.dovecot.count("INBOX"), 0)

    def test_queue_recognises_and_keeps_failures(self):
        spec = self.spec(13, lang="nl", credit=False)
        self.dovecot.append(invoice_mail([pdf("goed.pdf", render_pdf(spec)), pdf("kapot.pdf", b"%PDF-1.4 stuk")]))
        good, bad = self.fetch()
        processed = self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(processed, 2)
        self.assertRecordValues(
            good | bad,
            [
                {"l10n_nl_scan_state": "done", "ref": spec.expected["invoice_number"]},
                {"l10n_nl_scan_state": "failed", "ref": False},
            ],
        )
        self.assertEqual(bad.l10n_nl_scan_error, "The PDF is damaged and cannot be read.")
        self.assertEqual(bad.message_main_attachment_id.name, "kapot.pdf")

    def test_gives_up_after_repeated_crashes(self):
        self.dovecot.append(invoice_mail([pdf("f.pdf", self.pdf_of(14))]))
        bill = self.fetch()
        bill.sudo().l10n_nl_scan_attempts = 3  # three workers died on it before (sudo: a queue field)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(bill.l10n_nl_scan_state, "failed")
        self.assertIn("stopped 3 times", bill.l10n_nl_scan_error)

    def test_fetch_now_button(self):
        spec = self.spec(15, credit=False)
        self.dovecot.append(invoice_mail([pdf("nu.pdf", render_pdf(spec))]))
        self.env["account.move"].action_l10n_nl_scan_fetch_now()
        bill = self.env["account.move"].search([("l10n_nl_scan_message_id", "!=", False)])
        self.assertRecordValues(bill, [{"l10n_nl_scan_state": "done", "ref": spec.expected["invoice_number"]}])

    def test_failure_mid_fetch_loses_and_doubles_nothing(self):
        for seed in (16, 17, 18):
            self.dovecot.append(invoice_mail([pdf(f"{seed}.pdf", self.pdf_of(seed))], message_id=f"<m{seed}@x>"))
        intake = type(self.env["l10n_nl_scan_herken.intake"])
        original = intake._intake_mail
        calls = []

        def flaky(this, raw, journal, server=None):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("worker fell over")
            return original(this, raw, journal, server)

        with (
            patch.object(intake, "_intake_mail", flaky),
            mute_logger("odoo.addons.l10n_nl_scan_herken.models.fetchmail_server"),
        ):
            first = self.fetch()
        self.assertEqual(len(first), 2)
        self.assertEqual(self.dovecot.count("INBOX"), 1)  # the failed mail waits for the next run
        second = self.fetch()
        self.assertEqual(len(second), 3)
        self.assertEqual(sorted(second.l10n_nl_scan_mail_id.mapped("message_id")), ["<m16@x>", "<m17@x>", "<m18@x>"])
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        self.assertEqual(self.dovecot.count("Afgerond"), 3)


@tagged("post_install", "-at_install")
class TestMailAlias(ScanHerkenCommon):
    def test_journal_alias_queues_each_document(self):
        journal = self.company_data["default_journal_purchase"]
        spec = self.spec(19, credit=False)
        mail = invoice_mail([pdf("alias.pdf", render_pdf(spec))], subject="Via alias")
        self.env["mail.thread"].message_process(
            "account.move", mail.as_string(), custom_values={"move_type": "in_invoice", "journal_id": journal.id}
        )
        bill = self.env["account.move"].search([("l10n_nl_scan_state", "=", "queued")])
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.message_main_attachment_id.name, "alias.pdf")
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertRecordValues(bill, [{"l10n_nl_scan_state": "done", "ref": spec.expected["invoice_number"]}])


@tagged("post_install", "-at_install")
class TestEInvoiceSafety(ScanHerkenCommon):
    def bill_with(self, files):
        journal = self.company_data["default_journal_purchase"]
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(journal, files)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        return bills

    def test_pdf_and_ubl_pair_reads_the_xml(self):
        from .samples.ubl import ubl_invoice

        bill = self.bill_with([("F9.pdf", self.pdf_of_other()), ("F9.xml", ubl_invoice(number="UBL-77"))])
        self.assertEqual(len(bill), 1)
        self.assertRecordValues(
            bill, [{"l10n_nl_scan_state": "done", "l10n_nl_scan_source": "ubl", "ref": "UBL-77", "amount_total": 121.0}]
        )
        self.assertEqual(bill.message_main_attachment_id.name, "F9.pdf")

    def pdf_of_other(self):
        return render_pdf(self.spec(20, credit=False))

    def test_hostile_xml_is_kept_with_a_note(self):
        from .samples.ubl import BOMB, XXE

        for name, data in (("xxe.xml", XXE), ("bomb.xml", BOMB)):
            bill = self.bill_with([(name, data)])
            self.assertRecordValues(bill, [{"l10n_nl_scan_state": "failed", "state": "draft"}])
            self.assertIn("DOCTYPE", bill.l10n_nl_scan_error)
            self.assertNotIn("root:", bill.ref or "")
        attachment = self.env["ir.attachment"].create({"name": "xxe.xml", "raw": XXE, "mimetype": "application/xml"})
        self.assertEqual(attachment._unwrap_edi_attachments(), [])
