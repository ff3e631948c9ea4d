import base64
import datetime
import time

from odoo import fields
from odoo.tests import Form, tagged

from ..engine.samples.fixtures import UNUSUAL_LABELS, next_invoice
from ..engine.samples.render import render_pdf
from .common import ScanHerkenCommon


@tagged("post_install", "-at_install")
class TestMaskLearning(ScanHerkenCommon):
    """A supplier whose labels zero-configuration recognition does not know:
    the bookkeeper corrects the first bill and posts it, and the second
    arrives right without anyone writing a pattern; learned masks that
    disagree later are corrected or switched off; the test screen and
    Check masks show what the masks read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.dutch_supplier("Opgemaakt Leveringen B.V.")
        cls.Mask = cls.env["l10n_nl_scan_herken.mask"].with_context(active_test=False)

    def first_spec(self, seed=401):
        spec = self.supplier_spec(seed, self.supplier, lang="nl", layout="labels", credit=False)
        spec.labels = UNUSUAL_LABELS[0]  # Documentcode, Opgemaakt, Uiterlijk voldaan
        return spec

    def recognise(self, spec):
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.partner_id, self.supplier)
        return bill

    def correct_and_post(self, bill, spec):
        """As the bookkeeper does it: the wrong fields on the form, then Confirm."""
        with Form(bill) as form:
            form.ref = spec.number
            form.invoice_date = spec.date
            form.invoice_date_due = spec.due
            form.payment_reference = spec.expected["payment_reference"] or False
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def assert_right(self, bill, spec):
        expected = spec.expected
        self.assertEqual(bill.ref, expected["invoice_number"])
        self.assertEqual(fields.Date.to_string(bill.invoice_date), expected["invoice_date"])
        self.assertEqual(fields.Date.to_string(bill.invoice_date_due), expected["due_date"])
        self.assertEqual(bill.payment_reference or None, expected["payment_reference"])
        self.assertEqual(bill.invoice_origin or None, expected["purchase_order"])
        self.assertEqual(bill.l10n_nl_scan_packing_slip or None, expected["packing_slip"])
        self.assertAlmostEqual(bill.amount_untaxed, expected["amount_untaxed"])
        self.assertAlmostEqual(bill.amount_tax, expected["amount_tax"])
        self.assertAlmostEqual(bill.amount_total, expected["amount_total"])

    def test_second_invoice_arrives_right_after_correcting_the_first(self):
        spec = self.first_spec()
        bill = self.recognise(spec)
        self.assertNotEqual(bill.ref, spec.number)  # zero-configuration misses "Documentcode"
        self.assertNotEqual(fields.Date.to_string(bill.invoice_date_due), spec.expected["due_date"])
        self.correct_and_post(bill, spec)

        learned = self.Mask.search([("partner_id", "=", self.supplier.id)])
        self.assertEqual(set(learned.mapped("field")), {"invoice_number", "due_date"})
        self.assertEqual(set(learned.mapped("origin")), {"learned"})
        self.assertEqual(learned.move_id, bill)
        number = learned.filtered(lambda mask: mask.field == "invoice_number")
        self.assertTrue(number.pattern.startswith("Documentcode:"), number.pattern)
        self.assertIn("learned from your corrections", bill.message_ids[0].body)
        self.assertIn(number.pattern, bill.message_ids[0].body)

        second_spec = next_invoice(spec, 402, today=datetime.date.today())
        second = self.recognise(second_spec)
        self.assert_right(second, second_spec)
        self.assertEqual(second.l10n_nl_scan_result["fields"]["invoice_number"]["how"], "mask")
        self.assertFalse(second.l10n_nl_scan_warning_count, second.l10n_nl_scan_warning_text)

    def test_posting_a_right_bill_learns_nothing(self):
        spec = self.supplier_spec(403, self.supplier, lang="nl", layout="labels", credit=False)
        bill = self.recognise(spec)
        self.assert_right(bill, spec)
        bill.action_post()
        self.assertFalse(self.Mask.search([("partner_id", "=", self.supplier.id)]))

    def test_a_learned_mask_that_disagrees_is_corrected_or_switched_off(self):
        # Learned earlier from a layout that printed the number after the customer's VAT number.
        wrong = self.Mask.create(
            {
                "partner_id": self.supplier.id,
                "company_id": self.company.id,
                "field": "invoice_number",
                "pattern": r"Uw btw-nummer: (\S+)",
                "origin": "learned",
                "sequence": 20,
            }
        )
        spec = self.first_spec(404)
        bill = self.recognise(spec)
        self.assertEqual(bill.ref, spec.customer["vat"])  # the learned mask wins, and is wrong
        self.correct_and_post(bill, spec)
        self.assertTrue(wrong.active)
        self.assertTrue(wrong.pattern.startswith("Documentcode:"), wrong.pattern)
        self.assertIn("Corrected the learned mask for Invoice number", bill.message_ids[0].body)

        # A value the document does not print: nothing identifies it, the mask is switched off.
        spec = next_invoice(spec, 405, today=datetime.date.today())
        bill = self.recognise(spec)
        self.assertEqual(bill.ref, spec.number)
        bill.ref = "HANDMATIG-1"
        bill.action_post()
        self.assertFalse(wrong.active)
        self.assertIn("Switched off the learned mask for Invoice number", bill.message_ids[0].body)

    def test_check_masks_shows_where_masks_now_read_otherwise(self):
        spec = self.first_spec(406)
        bill = self.recognise(spec)
        self.correct_and_post(bill, spec)
        check = self.env["l10n_nl_scan_herken.mask_check"].create({"partner_id": self.supplier.id})
        self.assertIn("on all 1 bills checked", check.result_html)
        # A written mask that reads the customer's VAT number as the invoice number.
        self.Mask.create(
            {
                "partner_id": self.supplier.id,
                "company_id": self.company.id,
                "field": "invoice_number",
                "pattern": r"Uw btw-nummer: (\S+)",
                "sequence": 5,
            }
        )
        check = self.env["l10n_nl_scan_herken.mask_check"].create({"partner_id": self.supplier.id})
        self.assertIn("1 field(s) where the masks now read something else", check.result_html)
        self.assertIn(spec.customer["vat"], check.result_html)
        self.assertIn(spec.number, check.result_html)

    def test_test_screen_marks_matches_and_stops_a_catastrophic_pattern(self):
        spec = self.first_spec(407)
        bill = self.recognise(spec)
        self.Mask.create(
            {
                "partner_id": self.supplier.id,
                "company_id": self.company.id,
                "field": "invoice_number",
                "pattern": r"Documentcode:? (\S+)",
            }
        )
        with Form(self.env["l10n_nl_scan_herken.mask_test"].with_context(default_partner_id=self.supplier.id)) as form:
            form.move_id = bill
            self.assertIn(f"<mark title='Invoice number'>{spec.number}</mark>", form.result_html)
            self.assertIn("used", form.result_html)
            form.try_field = "due_date"
            form.try_pattern = r"Uiterlijk voldaan: (#dmyyyy#)"
            self.assertIn("Being tried", form.result_html)
            started = time.monotonic()
            form.try_pattern = r"((.|.)+)+\d{30}"
            self.assertLess(time.monotonic() - started, 5)
            self.assertIn("text-danger", form.result_html)
            self.assertIn("was stopped", form.result_html)

    def test_test_screen_reads_a_dropped_file(self):
        spec = self.first_spec(408)
        self.Mask.create(
            {
                "partner_id": self.supplier.id,
                "company_id": self.company.id,
                "field": "invoice_number",
                "pattern": r"Documentcode:? (\S+)",
            }
        )
        test = self.env["l10n_nl_scan_herken.mask_test"].create(
            {"partner_id": self.supplier.id, "file": base64.b64encode(render_pdf(spec)), "filename": "proef.pdf"}
        )
        self.assertIn(spec.number, test.text)
        self.assertIn(f"<mark title='Invoice number'>{spec.number}</mark>", test.result_html)
