"""Hostile documents at the mailbox and upload doors end as drafts with the
original and a note; one fetch per mailbox; each mail taken once."""

import base64
import time
from unittest.mock import patch

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.fetchmail_server import FETCH_LOCK, FetchmailServer
from .common import ScanHerkenCommon, ScanHerkenMailboxCommon
from .mails import invoice_mail, pdf, png, xml
from .samples import hostile

# What each hostile file must end with (a part of the note on the bill).
HOSTILE = [
    ("bomb.pdf", hostile.content_bomb_pdf, "application/pdf", "more than 1024 MiB of memory"),
    ("facturx-bomb.pdf", hostile.embedded_bomb_pdf, "application/pdf", "more than 1024 MiB of memory"),
    ("groot.pdf", hostile.giant_page_pdf, "application/pdf", "No text could be read"),
    ("geheim.pdf", hostile.encrypted_pdf, "application/pdf", "protected with a password"),
    ("archief.pdf", hostile.zip_named_pdf, "application/pdf", "ZIP archive"),
    ("reus.png", lambda: hostile.png_header_only(30000, 30000), "image/png", "too large to read"),
    ("kapot.jpg", hostile.truncated_jpeg, "image/jpeg", "The image cannot be read"),
]


@tagged("post_install", "-at_install")
class TestHostileDocuments(ScanHerkenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.files = {name: maker() for name, maker, _mime, _note in HOSTILE}

    def assert_kept_with_note(self, bill, name, note):
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.l10n_nl_scan_state, "failed", name)
        self.assertIn(note, bill.l10n_nl_scan_error, name)
        self.assertIn(note, bill.message_ids.mapped("body")[0] + "".join(bill.message_ids.mapped("body")))
        attachment = bill.message_main_attachment_id
        self.assertEqual(attachment.name, name)
        self.assertEqual(attachment.raw, self.files[name], "the original is kept as it arrived")

    def test_every_hostile_file_through_the_upload_door(self):
        """The vendor bills' Upload button: core's decoder hook, recognised
        at once while the user waits, each within its budget."""
        for name, _maker, mimetype, note in HOSTILE:
            with self.subTest(name):
                attachment = self.env["ir.attachment"].create(
                    {"name": name, "raw": self.files[name], "mimetype": mimetype}
                )
                started = time.monotonic()
                bill = self.journal.with_context(default_move_type="in_invoice")._create_document_from_attachment(
                    attachment.ids
                )
                self.assertLess(time.monotonic() - started, 35)
                self.assert_kept_with_note(bill, name, note)

    def test_every_hostile_file_through_the_queue(self):
        """Files of the import command and the mailbox: queued, then read by
        the pool, several at once."""
        intake = self.env["l10n_nl_scan_herken.intake"]
        bills = intake._intake_files(self.journal, list(self.files.items()))
        self.assertEqual(len(bills), len(HOSTILE))
        self.env["account.move"]._cron_l10n_nl_scan_recognize(batch_size=50)
        for bill in bills:
            name = bill.message_main_attachment_id.name
            self.assert_kept_with_note(bill, name, next(n for f, _m, _t, n in HOSTILE if f == name))

    def test_time_budget_is_the_company_setting(self):
        self.company.l10n_nl_scan_time_budget = 5
        data = hostile.text_flood_pdf()
        bill = self.make_bill_with_pdf(data=data, name="vloed.pdf")
        started = time.monotonic()
        bill.action_l10n_nl_scan_recognize()
        self.assertLess(time.monotonic() - started, 12)
        self.assertEqual(bill.l10n_nl_scan_state, "failed")
        self.assertIn("Reading stopped after 5 seconds", bill.l10n_nl_scan_error)

    def test_empty_file_becomes_a_bill_with_a_note(self):
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [("leeg.pdf", b"")])
        self.assertEqual(len(bills), 1)
        self.assertEqual(bills.l10n_nl_scan_state, "failed")
        self.assertIn("leeg.pdf", bills.l10n_nl_scan_error)
        self.assertIn("empty", bills.l10n_nl_scan_error)
        original = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", bills.id)])
        self.assertEqual((original.name, original.file_size), ("leeg.pdf", 0), "the empty original is kept")

    def test_absurd_amounts_in_an_einvoice_are_refused_with_a_sentence(self):
        for text in ("NaN", "1e999", "Infinity"):
            with self.subTest(text):
                bill = self.make_bill_with_pdf(
                    data=hostile.ubl_with_amount(text), name="factuur.xml", mimetype="application/xml"
                )
                bill.action_l10n_nl_scan_recognize()
                self.assertEqual(bill.l10n_nl_scan_state, "failed")
                self.assertIn(f"TaxInclusiveAmount = {text}", bill.l10n_nl_scan_error)
                self.assertFalse(bill.invoice_line_ids)

    def test_large_einvoice_is_made_from_its_header(self):
        bill = self.make_bill_with_pdf(
            data=hostile.ubl_with_lines(10_000), name="groot.xml", mimetype="application/xml"
        )
        started = time.monotonic()
        bill.action_l10n_nl_scan_recognize()
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual(bill.l10n_nl_scan_state, "done")
        self.assertEqual(bill.ref, "BIG-1")
        self.assertAlmostEqual(bill.amount_untaxed, 10_000.0)
        self.assertAlmostEqual(bill.amount_total, 12_100.0)
        self.assertTrue(any("more than 500 lines" in body for body in bill.message_ids.mapped("body")))

    def test_core_never_unpacks_an_embedded_bomb(self):
        """Core's own PDF decoder (upload, alias, chatter) gets the bomb as a
        plain file: its PyPDF2 would unpack it in the Odoo process."""
        attachment = self.env["ir.attachment"].create(
            {"name": "facturx-bomb.pdf", "raw": self.files["facturx-bomb.pdf"], "mimetype": "application/pdf"}
        )
        with patch("odoo.tools.pdf.OdooPdfFileReader.getAttachments") as unpack:
            files = attachment._unwrap_edi_attachments()
        unpack.assert_not_called()
        self.assertEqual([f["type"] for f in files], ["binary"])


@tagged("post_install", "-at_install")
class TestMailboxOnce(ScanHerkenMailboxCommon):
    def bills(self):
        return self.env["account.move"].search([("l10n_nl_scan_mail_id", "!=", False)], order="id")

    def test_second_fetch_while_one_runs_says_so(self):
        self.dovecot.append(invoice_mail([pdf("f.pdf", b"%PDF-1.4 kapot")]))
        with self.registry.cursor() as other:  # another worker, mid-fetch of this mailbox
            other.execute("SELECT pg_advisory_lock(%s, %s)", (FETCH_LOCK, self.server.id))
            action = self.env["account.move"].action_l10n_nl_scan_fetch_now()
            self.assertIn("already being fetched", action["params"]["message"])
            self.assertEqual(action["params"]["type"], "warning")
            self.assertFalse(self.bills())
            self.assertEqual(self.dovecot.count("INBOX"), 1)
            other.execute("SELECT pg_advisory_unlock(%s, %s)", (FETCH_LOCK, self.server.id))
        action = self.env["account.move"].action_l10n_nl_scan_fetch_now()
        self.assertIn("1 mail(s) fetched", action["params"]["message"])
        self.assertEqual(len(self.bills()), 1)

    def test_fetch_now_without_mailbox_says_so(self):
        self.server.l10n_nl_scan_journal_id = False
        action = self.env["account.move"].action_l10n_nl_scan_fetch_now()
        self.assertIn("No vendor-bills mailbox", action["params"]["message"])
        self.assertEqual(action["params"]["type"], "warning")

    def test_message_key_is_unique_per_company_in_the_database(self):
        Mail = self.env["l10n_nl_scan_herken.received_mail"].sudo()  # only the intake creates them
        Mail.create({"company_id": self.company.id, "message_key": "<a@example.com>"})
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            Mail.create({"company_id": self.company.id, "message_key": "<a@example.com>"})
        other = self.setup_other_company()["company"]
        Mail.create({"company_id": other.id, "message_key": "<a@example.com>"})

    def test_mail_without_message_id_is_taken_once(self):
        mail = invoice_mail([pdf("f.pdf", b"%PDF-1.4 kapot")])
        del mail["Message-ID"]
        self.dovecot.append(mail)
        self.server.fetch_mail()
        self.dovecot.append(mail)  # the same mail again: a crash before it left the inbox
        self.server.fetch_mail()
        bills = self.bills()
        self.assertEqual(len(bills), 1)
        self.assertTrue(bills.l10n_nl_scan_mail_id.message_key.startswith("sha256:"))
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        self.assertEqual(self.dovecot.count("Afgerond"), 1, "found in the done folder, it is not moved again")

    def test_each_mail_leaves_the_inbox_right_after_its_bills(self):
        """A crash in the middle of a fetch (here: the third move) leaves the
        first two mails in Afgerond already; the next fetch takes the rest
        and makes no second bill of the one whose bills were stored."""
        for index in range(4):
            self.dovecot.append(invoice_mail([pdf(f"f{index}.pdf", b"%PDF-1.4 kapot")], subject=f"Factuur {index}"))
        original, calls = FetchmailServer._l10n_nl_scan_move, []

        def crash_on_third(server, imap, uid, folder):
            calls.append(uid)
            if len(calls) == 3:
                raise ConnectionResetError("connection lost")
            return original(server, imap, uid, folder)

        with (
            patch.object(FetchmailServer, "_l10n_nl_scan_move", crash_on_third),
            mute_logger("odoo.addons.l10n_nl_scan_herken.models.fetchmail_server"),
        ):
            self.server._l10n_nl_scan_fetch(raise_exception=False)
        self.assertEqual(self.dovecot.count("Afgerond"), 2)
        self.assertEqual(len(self.bills()), 3)
        self.server.fetch_mail()
        self.assertEqual(len(self.bills()), 4)
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        self.assertEqual(self.dovecot.count("Afgerond"), 4)

    def test_hostile_attachments_by_mail(self):
        data = hostile.content_bomb_pdf()
        nested = hostile.nested_forward_mail(120, ("genest.pdf", b"%PDF-1.4 kapot"))
        self.dovecot.append(invoice_mail([pdf("bom.pdf", data), png("leeg.png", b"")]))
        self.dovecot.append(nested)
        self.dovecot.append(invoice_mail([xml("bom.xml", hostile.xml_bomb())]))
        self.server.fetch_mail()
        self.env["account.move"]._cron_l10n_nl_scan_recognize(batch_size=50)
        bills = self.bills()
        self.assertEqual(self.dovecot.count("INBOX"), 0)
        bomb = bills.filtered(lambda b: b.message_main_attachment_id.name == "bom.pdf")
        self.assertEqual(base64.b64decode(bomb.message_main_attachment_id.datas), data)
        self.assertIn("more than 1024 MiB", bomb.l10n_nl_scan_error)
        self.assertIn("leeg.png", bomb.attachment_ids.mapped("name"), "an empty part is kept, not dropped")
        self.assertEqual(len(bills.l10n_nl_scan_mail_id), 3, "every mail made a bill")
        self.assertFalse(bills.filtered(lambda b: b.l10n_nl_scan_state in ("queued", "processing")))


@tagged("post_install", "-at_install")
class TestAliasDoor(ScanHerkenCommon):
    def test_hostile_files_through_the_journal_alias(self):
        """The journal's mail alias runs core's decoders in the gateway: the
        embedded-file bomb is proved in a child first, and each file ends
        queued, then failed with its note, never taking the gateway down."""
        journal = self.company_data["default_journal_purchase"]
        for name, maker, note in (
            ("facturx-bomb.pdf", hostile.embedded_bomb_pdf, "more than 1024 MiB"),
            ("archief.pdf", hostile.zip_named_pdf, "ZIP archive"),
        ):
            with self.subTest(name):
                data = maker()
                mail = invoice_mail([pdf(name, data)], subject=f"Alias {name}")
                with patch("odoo.tools.pdf.OdooPdfFileReader.getAttachments") as unpack:
                    self.env["mail.thread"].message_process(
                        "account.move",
                        mail.as_string(),
                        custom_values={"move_type": "in_invoice", "journal_id": journal.id},
                    )
                    if name == "facturx-bomb.pdf":
                        unpack.assert_not_called()
                bill = self.env["account.move"].search([("message_main_attachment_id.name", "=", name)])
                self.assertEqual(len(bill), 1)
                self.env["account.move"]._cron_l10n_nl_scan_recognize()
                self.assertEqual(bill.l10n_nl_scan_state, "failed")
                self.assertIn(note, bill.l10n_nl_scan_error)
                self.assertEqual(bill.message_main_attachment_id.raw, data)


@tagged("post_install", "-at_install")
class TestCompanyLanguage(ScanHerkenCommon):
    def test_queue_notes_are_in_the_company_language(self):
        """The cron runs without a user language: its notes on a Dutch
        company's bills are Dutch all the same."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["l10n_nl_scan_herken"], ["nl_NL"])
        self.company.partner_id.lang = "nl_NL"
        bill = self.make_bill_with_pdf(data=b"%PDF-1.4 kapot", name="kapot.pdf")
        bill._l10n_nl_scan_write(
            {
                "l10n_nl_scan_state": "processing",
                "l10n_nl_scan_attempts": 3,
                "l10n_nl_scan_lease": "2000-01-01 00:00:00",
            }
        )
        self.env["account.move"].with_context(lang="en_US")._cron_l10n_nl_scan_recognize()
        self.assertEqual(bill.l10n_nl_scan_state, "failed")
        self.assertIn("keer afgebroken", bill.l10n_nl_scan_error)
        self.assertIn("Scan en herken kon het document niet lezen.", bill.message_ids[0].body)
