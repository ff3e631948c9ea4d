from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ScanHerkenCommon


@tagged("post_install", "-at_install")
class TestSupplierMasks(ScanHerkenCommon):
    """A supplier's masks read the fields its layout hides from generic
    recognition; patterns are checked on save and cannot hold a worker."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.dutch_supplier("Documenta Leveringen B.V.")

    def odd_bill(self, seed=311):
        spec = self.supplier_spec(seed, self.supplier, lang="nl", credit=False)
        spec.labels = {"number": "Documentcode"}  # a label zero-configuration recognition does not know
        return spec, self.make_bill_with_pdf(spec)

    def mask(self, field, pattern):
        return self.env["l10n_nl_scan_herken.mask"].create({
            "partner_id": self.supplier.id, "company_id": self.company.id, "field": field, "pattern": pattern})

    def test_mask_reads_what_generic_recognition_misses(self):
        spec, bill = self.odd_bill()
        bill.action_l10n_nl_scan_recognize()
        self.assertNotEqual(bill.ref, spec.number)
        self.mask("invoice_number", r"Documentcode .*?Pakbonnummer (\S+)")
        spec, bill = self.odd_bill()
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertEqual(bill.ref, spec.number)
        self.assertEqual(bill.l10n_nl_scan_result["fields"]["invoice_number"]["how"], "mask")
        self.assertEqual(bill.l10n_nl_scan_result["fields"]["invoice_number"]["confidence"], 1.0)
        self.assertIn("Read by the supplier's masks: Invoice number", bill.message_ids[0].body)
        self.assertAlmostEqual(bill.amount_total, spec.expected["amount_total"])

    def test_patterns_are_checked_on_save(self):
        with self.assertRaisesRegex(ValidationError, "no group"):
            self.mask("invoice_number", r"Documentcode \S+")
        with self.assertRaisesRegex(ValidationError, "not a valid regular expression"):
            self.mask("invoice_number", r"Documentcode (\S+")
        self.assertTrue(self.mask("amount_total", "Totaal te betalen:? € ?(#num2#)"))

    def test_catastrophic_pattern_is_stopped_with_a_note(self):
        self.mask("invoice_number", r"((.|.)+)+\d{30}")  # exponential backtracking on any text
        spec, bill = self.odd_bill(312)
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.l10n_nl_scan_state, "done")
        self.assertAlmostEqual(bill.amount_total, spec.expected["amount_total"])  # the rest is read as always
        warnings = " ".join(bill.l10n_nl_scan_result["warnings"])
        self.assertIn("Mask for invoice_number", warnings)

    def test_users_read_masks_managers_write_them(self):
        mask = self.mask("invoice_number", r"Factuurnummer (\d+)")
        user = self.env["res.users"].create({
            "name": "Boekhouder", "login": "boekhouder", "company_id": self.company.id,
            "company_ids": [(6, 0, self.company.ids)],
            "groups_id": [(6, 0, self.env.ref("account.group_account_invoice").ids)]})
        self.assertEqual(mask.with_user(user).pattern, r"Factuurnummer (\d+)")
        with self.assertRaises(AccessError):
            mask.with_user(user).pattern = r"Nummer (\d+)"
        other = self.setup_other_company()["company"]
        self.assertFalse(self.env["l10n_nl_scan_herken.mask"]._for_supplier(self.supplier, other))
