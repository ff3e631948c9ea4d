import datetime

from odoo.tests import tagged

from ..engine.testing.ubl import ubl_invoice
from .common import ScanHerkenCommon
from .mails import invoice_mail, xml


@tagged("post_install", "-at_install")
class TestEInvoiceTemplates(ScanHerkenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "Jansen B.V.", "vat": "NL000099998B57",
                                                      "is_company": True})
        cls.account = cls.company_data["default_account_expense"].copy({"code": "4888", "name": "Onderhoud"})
        cls.journal = cls.company_data["default_journal_purchase"]

    def mail_ubl(self, number, code):
        date = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        mail = invoice_mail([xml(f"{number}.xml", ubl_invoice(number=number, code=code, date=date))])
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_mail(bytes(mail), self.journal)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        return bill

    def map(self, code):
        return self.env["l10n_nl_scan_herken.einvoice_template_line"].create({
            "partner_id": self.supplier.id, "product_code": code, "account_id": self.account.id})

    def test_complete_template_posts_without_a_click(self):
        self.map("ART-1")
        bill = self.mail_ubl("UBL-100", "ART-1")
        self.assertRecordValues(bill, [{"state": "posted", "partner_id": self.supplier.id, "ref": "UBL-100",
                                        "amount_total": 121.0, "l10n_nl_scan_source": "ubl"}])
        self.assertEqual(bill.invoice_line_ids.account_id, self.account)
        self.assertIn("Posted automatically", bill.message_ids[0].body)

    def test_unmapped_code_waits_and_is_named(self):
        self.map("ART-1")
        bill = self.mail_ubl("UBL-101", "ART-9")
        self.assertEqual(bill.state, "draft")
        self.assertIn("ART-9", bill.message_ids[0].body)

    def test_company_setting_stops_automatic_posting(self):
        self.map("ART-1")
        self.company.l10n_nl_scan_einvoice_validation = True
        bill = self.mail_ubl("UBL-102", "ART-1")
        self.assertEqual(bill.state, "draft")
        self.assertIn("waits for validation", bill.message_ids[0].body)
