import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .. import engine
from ..engine.samples.fixtures import expected_values
from ..engine.samples.render import image_bytes, render_pdf, scan
from .common import ScanHerkenCommon


@tagged("post_install", "-at_install")
class TestRecognition(ScanHerkenCommon):
    def test_values_land_on_the_bill(self):
        spec = self.spec(31, lang="nl", layout="labels", credit=False)
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        expected = spec.expected
        self.assertRecordValues(
            bill,
            [
                {
                    "ref": expected["invoice_number"],
                    "invoice_date": datetime.date.fromisoformat(expected["invoice_date"]),
                    "invoice_date_due": datetime.date.fromisoformat(expected["due_date"]),
                    "payment_reference": expected["payment_reference"] or False,
                    "invoice_origin": expected["purchase_order"] or False,
                    "l10n_nl_scan_packing_slip": expected["packing_slip"] or False,
                    "currency_id": self.env.ref("base.EUR").id,
                    "l10n_nl_scan_state": "done",
                    "l10n_nl_scan_source": "pdf_text",
                }
            ],
        )
        self.assertGreaterEqual(bill.l10n_nl_scan_score, 80)
        self.assertEqual(bill.l10n_nl_scan_result["amount_total"], expected["amount_total"])
        self.assertEqual(bill.l10n_nl_scan_result["supplier_iban"], expected["supplier_iban"])
        self.assertIn(expected["invoice_number"], bill.l10n_nl_scan_text)
        self.assertIn("Recognised by scan en herken", bill.message_ids[0].body)

    def test_no_due_date_printed_means_due_on_the_invoice_date_not_today(self):
        spec = self.spec(33, lang="nl", layout="labels", credit=False)
        spec.due = None
        spec.expected = expected_values(spec)
        bill = self.make_bill_with_pdf(spec)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        invoice_date = datetime.date.fromisoformat(spec.expected["invoice_date"])
        self.assertNotEqual(invoice_date, datetime.date.today(), "the sample's invoice date is not today")
        self.assertRecordValues(bill, [{"invoice_date": invoice_date, "invoice_date_due": invoice_date}])
        self.assertIn("No due date on the document", bill.message_ids[0].body)
        # Recognised again, a due date the bookkeeper chose is kept.
        chosen = invoice_date + datetime.timedelta(days=10)
        bill.invoice_date_due = chosen
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.invoice_date_due, chosen)

    def test_a_nul_character_in_the_documents_text_is_stored_without_it(self):
        # Some PDFs map a glyph (a hyphen) to U+0000, which PostgreSQL refuses in text and JSON.
        text = "Factuur\nFactuurnummer: 58213377\x000012\nFactuurdatum: 02-12-2026\nTotaal \u20ac 121,00\x00\n"
        recognition = engine.recognize_text(text, "nul.pdf")
        self.assertIn("\x00", recognition.text)
        bill = self.env["account.move"].create({"move_type": "in_invoice"})
        self.env["l10n_nl_scan_herken.bill_builder"]._fill_bill(bill, recognition)
        bill.flush_recordset()
        self.assertEqual(bill.l10n_nl_scan_state, "done")
        self.assertNotIn("\x00", bill.l10n_nl_scan_text)
        self.assertIn("582133770012", bill.l10n_nl_scan_text)

    def test_recognise_again_keeps_user_changes(self):
        spec = self.spec(32, lang="en", credit=False)
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        bill.ref = "CHANGED-BY-USER"
        bill.invoice_date_due = False
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.ref, "CHANGED-BY-USER")
        self.assertEqual(bill.invoice_date_due, datetime.date.fromisoformat(spec.expected["due_date"]))
        self.assertIn("Kept your changes", bill.message_ids[0].body)

    def test_credit_note_becomes_refund(self):
        spec = self.spec(33, credit=True)
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.move_type, "in_refund")
        self.assertLess(bill.l10n_nl_scan_result["amount_total"], 0)

    def test_own_iban_is_never_the_supplier(self):
        spec = self.spec(34, lang="nl")
        self.env["res.partner.bank"].create(
            {
                "acc_number": spec.supplier["iban"],
                "partner_id": self.company.partner_id.id,
            }
        )
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        self.assertNotEqual(bill.l10n_nl_scan_result["supplier_iban"], spec.supplier["iban"])

    def test_corrupt_pdf_keeps_bill_and_says_why(self):
        bill = self.make_bill_with_pdf(data=b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated")
        bill.action_l10n_nl_scan_recognize()
        self.assertRecordValues(bill, [{"state": "draft", "l10n_nl_scan_state": "failed", "l10n_nl_scan_score": 0}])
        self.assertEqual(bill.l10n_nl_scan_error, "The PDF is damaged and cannot be read.")
        self.assertIn("could not read the document", bill.message_ids[0].body)
        self.assertTrue(bill.message_main_attachment_id)

    def test_posted_bill_cannot_be_recognised_again(self):
        bill = self.init_invoice("in_invoice", amounts=[100], invoice_date="2026-01-01", post=True)
        with self.assertRaises(UserError):
            bill.action_l10n_nl_scan_recognize()

    def test_bill_without_document(self):
        bill = self.env["account.move"].create({"move_type": "in_invoice"})
        bill._l10n_nl_scan_write({"l10n_nl_scan_state": "queued"})
        with self.assertRaises(UserError):
            bill.action_l10n_nl_scan_recognize()

    def test_scanned_image_is_read_with_ocr(self):
        spec = self.spec(35, lang="nl", credit=False)
        spec.long = False
        image = scan(render_pdf(spec), 35, rotate=90, noise=False)
        bill = self.make_bill_with_pdf(data=image_bytes(image, "PNG"), name="scan.png", mimetype="image/png")
        bill.action_l10n_nl_scan_recognize()
        self.assertRecordValues(
            bill,
            [
                {
                    "l10n_nl_scan_source": "ocr",
                    "ref": spec.expected["invoice_number"],
                    "invoice_date": datetime.date.fromisoformat(spec.expected["invoice_date"]),
                }
            ],
        )
        self.assertEqual(bill.l10n_nl_scan_result["amount_total"], spec.expected["amount_total"])
        found = self.env["account.move"].search([("l10n_nl_scan_text", "ilike", spec.expected["invoice_number"])])
        self.assertEqual(found, bill)

    def test_upload_button_recognises(self):
        spec = self.spec(36, lang="en", credit=False)
        attachment = self.env["ir.attachment"].create(
            {"name": "upload.pdf", "raw": render_pdf(spec), "mimetype": "application/pdf"}
        )
        journal = self.company_data["default_journal_purchase"]
        bill = journal.with_context(default_move_type="in_invoice")._create_document_from_attachment(attachment.ids)
        self.assertRecordValues(
            bill,
            [{"l10n_nl_scan_state": "done", "ref": spec.expected["invoice_number"], "l10n_nl_scan_source": "pdf_text"}],
        )
        self.assertEqual(bill.message_main_attachment_id, attachment)

    def test_upload_without_scan_en_herken_is_core(self):
        self.company.l10n_nl_scan_enabled = False
        attachment = self.env["ir.attachment"].create(
            {"name": "upload.pdf", "raw": render_pdf(self.spec(37)), "mimetype": "application/pdf"}
        )
        journal = self.company_data["default_journal_purchase"]
        bill = journal.with_context(default_move_type="in_invoice")._create_document_from_attachment(attachment.ids)
        self.assertFalse(bill.l10n_nl_scan_state)
        notes = " ".join(bill.message_ids.mapped("body"))
        self.assertIn("Scan en herken is switched off", notes)
        self.assertIn("upload.pdf", notes)
        self.assertEqual(bill.message_main_attachment_id, attachment)
