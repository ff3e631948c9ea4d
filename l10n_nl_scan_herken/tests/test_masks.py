import time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ScanHerkenCommon

# 23 characters that unroll to two million items: half a gigabyte if compiled.
UNROLLING = "((a{100}){100}){200}(x)"


def rss_mb():
    """The Odoo process's resident memory, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


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
        return self.env["l10n_nl_scan_herken.mask"].create(
            {"partner_id": self.supplier.id, "company_id": self.company.id, "field": field, "pattern": pattern}
        )

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
        user = self.env["res.users"].create(
            {
                "name": "Boekhouder",
                "login": "boekhouder",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, self.env.ref("account.group_account_invoice").ids)],
            }
        )
        self.assertEqual(mask.with_user(user).pattern, r"Factuurnummer (\d+)")
        with self.assertRaises(AccessError):
            mask.with_user(user).pattern = r"Nummer (\d+)"
        other = self.setup_other_company()["company"]
        self.assertFalse(self.env["l10n_nl_scan_herken.mask"]._for_supplier(self.supplier, other))

    def test_a_pattern_that_unrolls_too_far_never_reaches_the_compiler(self):
        before = rss_mb()
        started = time.monotonic()
        with self.assertRaisesRegex(ValidationError, "repeats too much"):
            self.mask("invoice_number", UNROLLING)
        with self.assertRaisesRegex(ValidationError, "too long"):
            self.mask("invoice_number", "(" + "a" * 600 + ")")
        bill = self.env["account.move"].create({"move_type": "in_invoice", "partner_id": self.supplier.id})
        bill.sudo().l10n_nl_scan_text = "Factuurnummer 4711"
        test = self.env["l10n_nl_scan_herken.mask_test"].create(
            {
                "partner_id": self.supplier.id,
                "move_id": bill.id,
                "try_field": "invoice_number",
                "try_pattern": UNROLLING,
            }
        )
        self.assertIn("text-danger", test.result_html)
        self.assertIn("repeats too much", test.result_html)
        self.assertLess(rss_mb() - before, 100)
        self.assertLess(time.monotonic() - started, 5)
        # A mask as written on a real supplier still saves and reads.
        self.mask("invoice_number", r"Factuurnummer:?\s*(\d+)")
        test.try_pattern = "Factuurnummer (#num2#|\\d+)"
        self.assertIn("<mark title='Invoice number'>4711</mark>", test.result_html)


@tagged("post_install", "-at_install")
class TestMasksOfAnotherCompany(ScanHerkenCommon):
    """Test masks and Check masks as an accounting user of company A who
    sends the ids of company B's bill: refused, and its text never shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.dutch_supplier("Gedeelde Leverancier B.V.")  # a partner both companies see
        cls.company_b = cls.setup_other_company(name="Bedrijf B")["company"]
        cls.user_a = cls.company_user("masks_user_a")
        cls.bill_b = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create({"move_type": "in_invoice", "company_id": cls.company_b.id, "partner_id": cls.supplier.id})
        )
        cls.bill_b.sudo().l10n_nl_scan_text = "GEHEIM van bedrijf B Factuurnummer 4711"
        cls.Test = cls.env["l10n_nl_scan_herken.mask_test"].with_user(cls.user_a)
        cls.Check = cls.env["l10n_nl_scan_herken.mask_check"].with_user(cls.user_a)

    def test_test_masks_refuses_another_companys_bill(self):
        with self.assertRaises(AccessError):
            self.Test.create(
                {"partner_id": self.supplier.id, "move_id": self.bill_b.id, "company_id": self.company_b.id}
            )
        with self.assertRaises(UserError):  # the bill's company does not match, and the user cannot read it
            self.Test.create({"partner_id": self.supplier.id, "move_id": self.bill_b.id, "company_id": self.company.id})
        test = self.Test.create({"partner_id": self.supplier.id})
        with self.assertRaises(UserError):
            test.write({"move_id": self.bill_b.id})
        with self.assertRaises(AccessError):
            test.write({"company_id": self.company_b.id})
        with self.assertRaises(AccessError):
            self.Test.with_context(allowed_company_ids=[self.company.id, self.company_b.id]).create(
                {"partner_id": self.supplier.id, "move_id": self.bill_b.id, "company_id": self.company_b.id}
            )

    def test_the_form_never_shows_another_companys_bill(self):
        """The form computes the text before anything is saved: that
        computation reads the bill with the user's rights."""
        for company in (self.company, self.company_b):
            test = self.Test.new(
                {
                    "partner_id": self.supplier.id,
                    "move_id": self.bill_b.id,
                    "company_id": company.id,
                    "try_field": "invoice_number",
                    "try_pattern": r"Factuurnummer (\d+)",
                }
            )
            self.assertFalse(test.text)
            self.assertNotIn("GEHEIM", test.result_html)
            self.assertNotIn("4711", test.result_html)
        with Form(self.Test.with_context(default_partner_id=self.supplier.id)) as form:
            form.move_id = self.bill_b
            self.assertNotIn("GEHEIM", form.result_html)  # the text the masks run on is shown there
            form.move_id = self.env["account.move"]

    def test_check_masks_refuses_another_company(self):
        with self.assertRaises(AccessError):
            self.Check.create({"partner_id": self.supplier.id, "company_id": self.company_b.id})
        self.assertIn("no posted bills", self.Check.create({"partner_id": self.supplier.id}).result_html)
