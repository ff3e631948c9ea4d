"""Attacks on money and confidentiality, tried as an attacker would: mail
from a stranger, RPC-level writes by users of a second company."""

import base64
import datetime
import time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..engine.samples.render import render_pdf
from .common import ScanHerkenCommon, ScanHerkenMailboxCommon
from .mails import invoice_mail, xml
from .samples.ubl import ubl_document, ubl_invoice

KNOWN_IBAN = "NL24ABNA7579902459"
STRANGER_IBAN = "NL91ABNA0417164300"


def with_iban(ubl, iban):
    """A UBL invoice whose PaymentMeans names ``iban`` as the payee account."""
    means = (
        f"<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PayeeFinancialAccount>"
        f"<cbc:ID>{iban}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>"
    )
    return ubl.replace(b"<cac:TaxTotal>", means.encode() + b"<cac:TaxTotal>", 1)


@tagged("post_install", "-at_install")
class TestPayeeIsNeverTheSendersChoice(ScanHerkenMailboxCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Jansen B.V.",
                "vat": "NL000099998B57",
                "is_company": True,
                "bank_ids": [(0, 0, {"acc_number": KNOWN_IBAN})],
            }
        )
        account = cls.company_data["default_account_expense"]
        # A complete e-invoice template and a rule approving everything: the bill would post itself.
        cls.env["l10n_nl_scan_herken.einvoice_template_line"].create(
            {"partner_id": cls.supplier.id, "product_code": "ART-1", "account_id": account.id}
        )
        cls.env["l10n_nl_scan_herken.rule"].create(
            {"name": "Alles goedkeuren", "rule_type": "approve", "all_bills": True, "company_id": cls.company.id}
        )
        cls.manager = cls.company_user("scan_manager", "account.group_account_manager")
        cls.clerk = cls.company_user("scan_clerk")

    def mailed(self, number, iban):
        date = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        ubl = with_iban(ubl_invoice(number=number, code="ART-1", date=date), iban)
        self.dovecot.append(invoice_mail([xml(f"{number}.xml", ubl)], subject=f"Factuur {number}"))
        self.server.fetch_mail()
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        return self.env["account.move"].search([("ref", "=", number)])

    def test_a_strangers_iban_by_mail_is_held_and_never_stored(self):
        bill = self.mailed("UBL-666", STRANGER_IBAN)
        self.assertRecordValues(
            bill,
            [
                {
                    "state": "draft",
                    "partner_id": self.supplier.id,
                    "partner_bank_id": False,
                    "l10n_nl_scan_iban": STRANGER_IBAN,
                    "l10n_nl_scan_iban_unknown": True,
                }
            ],
        )
        self.assertEqual(self.supplier.bank_ids.mapped("sanitized_acc_number"), [KNOWN_IBAN])
        self.assertFalse(self.env["res.partner.bank"].search([("sanitized_acc_number", "=", STRANGER_IBAN)]))
        self.assertIn(
            "IBAN NL91 ABNA 0417 1643 00 is not a known account of Jansen B.V.: check with the supplier by "
            "phone before paying.",
            bill.l10n_nl_scan_warning_text,
        )
        self.assertFalse(bill.message_ids.filtered(lambda m: "Approved by rule" in (m.body or "")))

        with self.assertRaises(AccessError):
            bill.with_user(self.clerk).action_l10n_nl_scan_accept_iban()
        bill.with_user(self.manager).action_l10n_nl_scan_accept_iban()
        account = self.env["res.partner.bank"].search([("sanitized_acc_number", "=", STRANGER_IBAN)])
        self.assertEqual(account.partner_id, self.supplier)
        self.assertRecordValues(bill, [{"partner_bank_id": account.id, "l10n_nl_scan_iban_unknown": False}])
        self.assertIn("accepted as a bank account of Jansen B.V. by", bill.message_ids[0].body)
        self.assertIn(self.manager.name, bill.message_ids[0].body)

    def test_the_suppliers_own_iban_still_posts_itself(self):
        bill = self.mailed("UBL-667", KNOWN_IBAN)
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.partner_bank_id.sanitized_acc_number, KNOWN_IBAN)


@tagged("post_install", "-at_install")
class TestScannedStrangerIban(ScanHerkenCommon):
    def test_a_scan_naming_another_iban_has_no_payee_and_a_warning(self):
        supplier = self.dutch_supplier("Bakkerij Jansen B.V.")
        spec = self.supplier_spec(3, supplier, lang="nl", layout="labels", credit=False)
        spec.supplier["iban"] = STRANGER_IBAN
        bill = self.make_bill_with_pdf(spec)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertRecordValues(
            bill, [{"partner_id": supplier.id, "partner_bank_id": False, "l10n_nl_scan_iban_unknown": True}]
        )
        self.assertEqual(supplier.bank_ids.mapped("sanitized_acc_number"), ["NL24ABNA7579902459"])


@tagged("post_install", "-at_install")
class TestOtherCompanysDocuments(ScanHerkenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Bedrijf B")["company"]
        cls.company_b.l10n_nl_scan_enabled = True
        cls.user_a = cls.company_user("user_a")
        spec = cls.spec(7, lang="nl", layout="labels", credit=False)
        cls.secret_number = spec.number
        cls.bill_b = (
            cls.env["account.move"]
            .with_company(cls.company_b)
            .create({"move_type": "in_invoice", "company_id": cls.company_b.id})
        )
        cls.attachment_b = cls.env["ir.attachment"].create(
            {
                "name": "geheim.pdf",
                "datas": base64.b64encode(render_pdf(spec)),
                "mimetype": "application/pdf",
                "res_model": "account.move",
                "res_id": cls.bill_b.id,
            }
        )

    def own_bill(self):
        return (
            self.env["account.move"]
            .with_user(self.user_a)
            .create({"move_type": "in_invoice", "company_id": self.company.id})
        )

    def test_technical_fields_cannot_be_written_through_rpc(self):
        bill = self.own_bill()
        for values in (
            {"l10n_nl_scan_state": "queued"},
            {"l10n_nl_scan_layout_attachment_id": self.attachment_b.id},
            {"l10n_nl_scan_layout": {"pages": [{"lines": []}] * 5000}},
            {"l10n_nl_scan_text": "x"},
            {"l10n_nl_scan_result": {"amount_total": 1}},
        ):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                bill.write(values)
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.user_a).create(
                {"move_type": "in_invoice", "company_id": self.company.id, "l10n_nl_scan_state": "queued"}
            )

    def test_the_queue_reads_only_the_bills_own_file(self):
        bill = self.own_bill()
        bill.write({"message_main_attachment_id": self.attachment_b.id})  # core lets a user point it anywhere
        with self.assertRaises(UserError):
            bill.action_l10n_nl_scan_recognize()
        # Queued by a legitimate door, then read by the cron as superuser: still not the other company's file.
        bill.sudo().l10n_nl_scan_state = "queued"
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        bill.invalidate_recordset()
        self.assertNotIn(self.secret_number, bill.sudo().l10n_nl_scan_text or "")
        self.assertNotEqual(bill.sudo().ref, self.secret_number)
        self.assertFalse(bill.sudo().l10n_nl_scan_layout_attachment_id)

    def test_fetch_now_by_an_accounting_user_leaves_other_companies_alone(self):
        queued_b = (
            self.env["account.move"]
            .with_company(self.company_b)
            .create({"move_type": "in_invoice", "company_id": self.company_b.id})
        )
        queued_b.sudo().l10n_nl_scan_state = "queued"
        action = self.env["account.move"].with_user(self.user_a).action_l10n_nl_scan_fetch_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(queued_b.l10n_nl_scan_state, "queued")


@tagged("post_install", "-at_install")
class TestBoundedByDesign(ScanHerkenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.company_user("rule_manager", "account.group_account_manager")
        cls.clerk = cls.company_user("rule_clerk")

    def rule(self, domain, **values):
        return (
            self.env["l10n_nl_scan_herken.rule"]
            .with_user(self.manager)
            .create(
                {"name": "Regel", "rule_type": "approve", "domain": domain, "company_id": self.company.id, **values}
            )
        )

    def test_a_condition_may_not_reach_other_records(self):
        with self.assertRaises(ValidationError):
            self.rule("[('partner_id.invoice_ids.ref', '=', 'B-2026-001')]")
        with self.assertRaises(ValidationError):
            self.rule("[('partner_id.bank_ids.acc_number', 'ilike', 'NL')]")
        self.rule("[('partner_id.name', 'ilike', 'Jansen'), ('partner_id.category_id', 'in', [1])]")

    def test_a_condition_is_a_literal_never_evaluated(self):
        started = time.monotonic()
        with self.assertRaises(ValidationError):
            self.rule("'x' * (3 * 10 ** 8)")
        with self.assertRaises(ValidationError):
            self.rule("[('ref', '=', 'x' * 10)]")
        with self.assertRaises(ValidationError):
            self.rule(repr([("ref", "=", "x")] * 400))
        self.assertLess(time.monotonic() - started, 2)

    def test_a_new_rule_does_nothing_until_told(self):
        defaults = self.env["l10n_nl_scan_herken.rule"].default_get(["rule_type", "all_bills"])
        self.assertFalse(defaults.get("rule_type"))
        with self.assertRaises(ValidationError):
            self.rule("[]")
        self.assertTrue(self.rule("[]", all_bills=True))

    def test_the_rule_name_is_text_in_the_approval_activity(self):
        self.env["l10n_nl_scan_herken.rule"].create(
            {
                "name": "<img src=x onerror=alert(1)>",
                "rule_type": "approve",
                "all_bills": True,
                "approve_action": "activity",
                "approver_id": self.manager.id,
                "company_id": self.company.id,
            }
        )
        supplier = self.dutch_supplier("Bakkerij Jansen B.V.")
        bill = self.make_bill_with_pdf(self.supplier_spec(5, supplier, lang="nl", layout="labels", credit=False))
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        activity = bill.activity_ids
        self.assertTrue(activity)
        self.assertNotIn("<img", str(activity.note))
        self.assertIn("&lt;img", str(activity.note))

    def test_one_xml_creates_no_taxes(self):
        taxes = self.env["account.tax"].with_context(active_test=False).search_count([])
        lines = [(f"A{index}", "Regel", 1, "10.00", 30 + index / 4) for index in range(150)]
        journal = self.company_data["default_journal_purchase"]
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_files(journal, [("veel.xml", ubl_document(lines=lines))])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(self.env["account.tax"].with_context(active_test=False).search_count([]), taxes)
        self.assertTrue(bill.l10n_nl_scan_missing_taxes)
        with self.assertRaises(AccessError):
            bill.with_user(self.clerk).action_l10n_nl_scan_create_taxes()
        with self.assertRaises(UserError):
            bill.with_user(self.manager).action_l10n_nl_scan_create_taxes()
        self.assertEqual(self.env["account.tax"].with_context(active_test=False).search_count([]), taxes)
