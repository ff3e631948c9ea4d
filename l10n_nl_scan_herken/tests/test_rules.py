import datetime
import re

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..engine.samples.render import render_pdf
from .common import ScanHerkenCommon
from .mails import invoice_mail, pdf, xml
from .samples.ubl import cii_document, ubl_invoice


@tagged("post_install", "-at_install")
class TestAutomationRules(ScanHerkenCommon):
    """Rules and mailed documents: priority order, AND/OR, case-insensitive
    text, amount and score comparisons, supplier and tag scoping, assign
    supplier before recognition, approve never on a bill with a warning,
    the rule beyond the maximum refused, and Test rules explaining."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.supplier = cls.dutch_supplier("Regel Leveringen B.V.")
        cls.other = cls.env["res.partner"].create({"name": "Energie Noord B.V.", "is_company": True})
        cls.tag = cls.env["res.partner.category"].create({"name": "Vaste lasten"})
        cls.account = cls.company_data["default_account_expense"].copy({"code": "4310", "name": "Energie"})
        cls.template = cls.env["l10n_nl_scan_herken.booking_template"].create(
            {"name": "Energie", "account_id": cls.account.id, "company_id": cls.company.id}
        )
        cls.other_template = cls.env["l10n_nl_scan_herken.booking_template"].create(
            {
                "name": "Overig",
                "account_id": cls.company_data["default_account_expense"].id,
                "company_id": cls.company.id,
            }
        )

    def rule(self, name, rule_type, domain, sequence=10, **values):
        return self.env["l10n_nl_scan_herken.rule"].create(
            {
                "name": name,
                "rule_type": rule_type,
                "domain": repr(domain),
                "sequence": sequence,
                "company_id": self.company.id,
                "all_bills": not domain,
                **values,
            }
        )

    def mailed(self, seed, name="factuur.pdf"):
        """A mailed PDF invoice of the supplier, recognised by the cron; the spec and the bill."""
        spec = self.supplier_spec(seed, self.supplier, lang="nl", layout="labels", credit=False)
        spec.po = spec.slip = None
        spec.expected.update(purchase_order=None, packing_slip=None)
        mail = invoice_mail([pdf(name, render_pdf(spec))])
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_mail(bytes(mail), self.journal)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        return spec, bill

    def test_first_rule_by_sequence_wins_and_is_named(self):
        self.rule(
            "Alles overig", "assign_booking_template", [], sequence=20, booking_template_id=self.other_template.id
        )
        self.rule(
            "Energie",
            "assign_booking_template",
            [("amount_total", ">", 0)],
            sequence=5,
            booking_template_id=self.template.id,
        )
        _spec, bill = self.mailed(501)
        self.assertEqual(bill.l10n_nl_scan_booking_template_id, self.template)
        self.assertEqual(bill.invoice_line_ids.account_id, self.account)
        self.assertIn("Booking template Energie assigned by rule Energie", bill.message_ids[0].body)

    def test_and_or_case_insensitive_text_anywhere_and_numbers(self):
        spec, bill = self.mailed(502)
        lines = bill.l10n_nl_scan_text.split("\n")
        product = spec.lines[-1][0]
        self.assertGreaterEqual(next(i for i, line in enumerate(lines) if product in line), 8)  # ninth line or later
        total = spec.expected["amount_total"]
        bill.button_cancel()
        # (text contains the product, in capitals) AND (total below X OR number equals, in lower case)
        self.rule(
            "Goedkeuren",
            "approve",
            [
                "&",
                ("l10n_nl_scan_text", "ilike", product.upper()),
                "|",
                ("amount_total", "<", total - 1),
                ("ref", "=", spec.number.lower()),
            ],
        )
        spec, bill = self.mailed(502, name="factuur-2.pdf")
        self.assertEqual(bill.state, "posted", bill.l10n_nl_scan_warning_text)
        self.assertIn("Approved by rule Goedkeuren", bill.message_ids[0].body)

    def test_amount_and_score_comparisons_decide(self):
        self.rule(
            "Klein en zeker",
            "approve",
            [("amount_total", "<=", 10.0), ("l10n_nl_scan_score", ">=", 50), ("ref", "!=", "iets anders")],
        )
        _spec, bill = self.mailed(503)
        self.assertEqual(bill.state, "draft")  # the total is above 10
        explanation = self.env["l10n_nl_scan_herken.rule_test"].create({"move_id": bill.id}).result_html
        self.assertIn("Does not hold", explanation)
        self.assertIn("Total &lt;= 10.0", explanation)
        self.assertNotIn("Recognition score", explanation)  # the score part holds
        self.assertNotIn("iets anders", explanation)  # and so does "not equal", a negated text comparison

    def test_supplier_and_tag_scoping(self):
        self.rule("Vaste lasten", "approve", [], partner_category_ids=[(6, 0, self.tag.ids)])
        _spec, bill = self.mailed(504)
        self.assertEqual(bill.state, "draft")
        self.supplier.category_id = self.tag
        _spec, bill = self.mailed(505)
        self.assertEqual(bill.state, "posted")
        self.rule(
            "Alleen Energie Noord",
            "assign_booking_template",
            [],
            partner_ids=[(6, 0, self.other.ids)],
            booking_template_id=self.template.id,
        )
        _spec, bill = self.mailed(506)
        self.assertFalse(bill.l10n_nl_scan_booking_template_id)

    def test_assign_supplier_comes_before_recognition(self):
        self.rule(
            "Energie Noord op naam",
            "assign_supplier",
            [("l10n_nl_scan_text", "ilike", "klant holding"), ("l10n_nl_scan_file_extension", "=", ".PDF")],
            assign_partner_id=self.other.id,
        )
        _spec, bill = self.mailed(507)
        self.assertEqual(bill.partner_id, self.other)  # not the supplier its VAT number names
        self.assertEqual(bill.l10n_nl_scan_filename, "factuur.pdf")
        self.assertIn("Supplier assigned by rule Energie Noord op naam", bill.message_ids[0].body)

    def test_approve_never_acts_on_a_bill_with_a_warning(self):
        self.rule("Alles goedkeuren", "approve", [])
        spec, first = self.mailed(508)
        self.assertEqual(first.state, "posted")
        # The same invoice number again: a duplicate is a warning, whatever the rule says.
        mail = invoice_mail([pdf("nogmaals.pdf", render_pdf(spec))])
        again = self.env["l10n_nl_scan_herken.intake"]._intake_mail(bytes(mail), self.journal)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(again.state, "draft")
        self.assertTrue(again.l10n_nl_scan_warning_count)
        html = self.env["l10n_nl_scan_herken.rule_test"].create({"move_id": again.id}).result_html
        self.assertIn("has warnings and is never approved", html)

    def test_approval_activity_for_the_approver(self):
        approver = self.env["res.users"].create(
            {
                "name": "Controller",
                "login": "controller",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, self.env.ref("account.group_account_manager").ids)],
            }
        )
        self.rule("Controller keurt", "approve", [], approve_action="activity", approver_id=approver.id)
        _spec, bill = self.mailed(509)
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.activity_ids.user_id, approver)
        self.assertEqual(bill.activity_ids.summary, "Approve")

    def test_rules_run_for_einvoices(self):
        self.env["res.partner"].create({"name": "Jansen B.V.", "vat": "NL000099998B57", "is_company": True})
        self.company.l10n_nl_scan_einvoice_validation = True  # no automatic e-invoice posting
        self.rule(
            "E-facturen",
            "approve",
            [("l10n_nl_scan_read_by_scan", "=", False), ("l10n_nl_scan_file_extension", "=", ".xml")],
        )
        date = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        mail = invoice_mail([xml("UBL-700.xml", ubl_invoice(number="UBL-700", code="ART-1", date=date))])
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_mail(bytes(mail), self.journal)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(bill.state, "posted", bill.l10n_nl_scan_warning_text)
        self.assertIn("Approved by rule E-facturen", bill.message_ids[0].body)

    def test_an_einvoice_read_from_its_header_is_approved_once_complete(self):
        # Odoo's decoder cannot read a CII without lines: the bill is made from its header, and only then approved.
        self.rule("Alles goedkeuren", "approve", [])
        # The 19 % VAT of the document exists, as a manager creates it once (the queue never does).
        self.env["l10n_nl_scan_herken.purchase_taxes"]._create_tax(self.company, 19.0)
        cii = re.sub(
            rb"<ram:IncludedSupplyChainTradeLineItem>.*?</ram:IncludedSupplyChainTradeLineItem>",
            b"",
            cii_document(date=(datetime.date.today() - datetime.timedelta(days=3)).strftime("%Y%m%d")),
            flags=re.DOTALL,
        )
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [("minimum.xml", cii)])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(bill.l10n_nl_scan_state, "done", bill.l10n_nl_scan_error)
        self.assertEqual(bill.state, "posted", bill.l10n_nl_scan_warning_text)
        self.assertAlmostEqual(bill.amount_total, 119.0)
        self.assertIn("Approved by rule Alles goedkeuren", bill.message_ids[0].body)

    def test_the_rule_beyond_the_maximum_is_refused(self):
        self.company.l10n_nl_scan_max_rules = 2
        self.rule("Een", "approve", [])
        second = self.rule("Twee", "approve", [], active=False)
        self.rule("Drie", "approve", [])
        with self.assertRaisesRegex(ValidationError, "at most 2 active automation rules"):
            second.active = True

    def test_managers_write_rules_users_read_them(self):
        rule = self.rule("Een", "approve", [])
        user = self.env["res.users"].create(
            {
                "name": "Boekhouder",
                "login": "boekhouder",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, self.env.ref("account.group_account_invoice").ids)],
            }
        )
        self.assertEqual(rule.with_user(user).name, "Een")
        with self.assertRaises(AccessError):
            rule.with_user(user).name = "Twee"
        other = self.setup_other_company()["company"]
        self.assertFalse(
            self.env["l10n_nl_scan_herken.rule"].with_company(other).search([("company_id", "=", other.id)])
        )
