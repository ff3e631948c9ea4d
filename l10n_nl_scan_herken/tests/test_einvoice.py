import datetime
import re

from odoo.tests import tagged

from .common import ScanHerkenCommon
from .mails import invoice_mail, xml
from .samples.ubl import cii_document, ubl_document, ubl_invoice


def without_lines(cii):
    """A CII document cut to its header and VAT breakdown (a minimum profile)."""
    return re.sub(
        rb"<ram:IncludedSupplyChainTradeLineItem>.*?</ram:IncludedSupplyChainTradeLineItem>", b"", cii, flags=re.DOTALL
    )


@tagged("post_install", "-at_install")
class TestEInvoiceTemplates(ScanHerkenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Jansen B.V.", "vat": "NL000099998B57", "is_company": True}
        )
        cls.account = cls.company_data["default_account_expense"].copy({"code": "4888", "name": "Onderhoud"})
        cls.journal = cls.company_data["default_journal_purchase"]

    def mail_ubl(self, number, code):
        date = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        mail = invoice_mail([xml(f"{number}.xml", ubl_invoice(number=number, code=code, date=date))])
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_mail(bytes(mail), self.journal)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        return bill

    def map(self, code):
        return self.env["l10n_nl_scan_herken.einvoice_template_line"].create(
            {"partner_id": self.supplier.id, "product_code": code, "account_id": self.account.id}
        )

    def test_complete_template_posts_without_a_click(self):
        self.map("ART-1")
        bill = self.mail_ubl("UBL-100", "ART-1")
        self.assertRecordValues(
            bill,
            [
                {
                    "state": "posted",
                    "partner_id": self.supplier.id,
                    "ref": "UBL-100",
                    "amount_total": 121.0,
                    "l10n_nl_scan_source": "ubl",
                }
            ],
        )
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

    def test_offer_adds_booked_codes_to_the_template(self):
        bill = self.mail_ubl("UBL-103", "ART-7")
        self.assertEqual(bill.l10n_nl_scan_unmapped_codes, "ART-7")
        self.assertEqual(bill.invoice_line_ids.l10n_nl_scan_product_code, "ART-7")
        bill.invoice_line_ids.account_id = self.account  # the user books the line
        bill.action_l10n_nl_scan_add_to_template()
        entry = self.env["l10n_nl_scan_herken.einvoice_template_line"].search([("partner_id", "=", self.supplier.id)])
        self.assertRecordValues(entry, [{"product_code": "ART-7", "account_id": self.account.id}])
        self.assertFalse(bill.l10n_nl_scan_unmapped_codes)
        self.assertIn("ART-7", bill.message_ids[0].body)
        # The supplier's next e-invoice with that code books and posts itself.
        self.assertEqual(self.mail_ubl("UBL-104", "ART-7").state, "posted")


@tagged("post_install", "-at_install")
class TestEInvoiceImportFixes(ScanHerkenCommon):
    """Each way Odoo 18's own UBL/CII import loses or changes amounts,
    through our path: the bill equals the XML."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.company_data["default_journal_purchase"]

    def import_xml(self, data, name="invoice.xml", decoded=True):
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [(name, data)])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(bills.l10n_nl_scan_state, "done", bills.l10n_nl_scan_error)
        if decoded:  # Odoo's decoder made the lines, not the fallback from the header
            self.assertTrue(all(bills.invoice_line_ids.mapped("l10n_nl_scan_product_code")))
        return bills

    def assertTotals(self, bill, untaxed, tax):
        self.assertRecordValues(bill, [{"amount_untaxed": untaxed, "amount_tax": tax, "amount_total": untaxed + tax}])

    def test_unit_price_with_more_decimals_than_odoo_keeps(self):
        bill = self.import_xml(ubl_document(lines=[("A", "Schroef", 100, "0.125", 21), ("B", "Moer", 3, "0.3333", 21)]))
        self.assertTotals(bill, 13.50, 2.84)  # Odoo alone: 13.00 + 1.00 = 14.00

    def test_vat_as_the_xml_states_it(self):
        lines = [("A", "Regel", 1, "0.05", 21)] * 3  # 3 x 0.01 per line; the supplier rounds per document
        self.assertTotals(self.import_xml(ubl_document(lines=lines, tax_amounts={21: "0.04"})), 0.15, 0.04)
        lines = [("A", "Regel", 1, "0.05", 19)] * 3  # Odoo corrects UBL's VAT only, never CII's
        self.assertTotals(
            self.with_tax_created(self.import_xml(cii_document(lines=lines, tax_amounts={19: "0.03"}))), 0.15, 0.03
        )

    def test_payable_rounding_is_no_extra_line(self):
        bill = self.import_xml(ubl_document(lines=[("A", "Regel", 1, "10.03", 21)], rounding="-0.01"))
        self.assertEqual(len(bill.invoice_line_ids), 1)
        self.assertTotals(bill, 10.03, 2.11)
        self.assertIn("rounds the amount to pay", " ".join(bill.message_ids.mapped("body")))

    def test_old_belgian_scheme_does_not_lose_the_bill(self):
        bill = self.import_xml(
            ubl_document(supplier="Brouwerij Janssens BV", vat="BE0477472701", endpoint=("BE:CBE", "0477472701"))
        )
        self.assertEqual(bill.partner_id.name, "Brouwerij Janssens BV")
        self.assertEqual(bill.ref, "UBL-2026-7")
        self.assertTotals(bill, 100.0, 21.0)

    def test_supplier_named_after_the_party_not_its_contact(self):
        bill = self.import_xml(
            ubl_document(supplier="Van Dijk Installatie B.V.", vat="NL000099998B57", party_name=False)
        )
        self.assertEqual(bill.partner_id.name, "Van Dijk Installatie B.V.")

    def with_tax_created(self, bill):
        """A manager creates the missing VAT tax from the bill, as the warning offers."""
        if not bill.l10n_nl_scan_missing_taxes:
            return bill
        manager = self.company_user(f"taxman{bill.id}", "account.group_account_manager")
        bill.with_user(manager).action_l10n_nl_scan_create_taxes()
        return bill

    def test_foreign_vat_rate_gets_a_non_deductible_tax(self):
        taxes = self.env["account.tax"].search_count([])
        bill = self.import_xml(cii_document(lines=[("W-1", "Wartung", 2, "50.00", 19)]))
        self.assertEqual(self.env["account.tax"].search_count([]), taxes, "the queue creates no tax")
        self.assertEqual(bill.l10n_nl_scan_missing_taxes, "19%")
        self.assertIn("no purchase tax of 19%", bill.l10n_nl_scan_warning_text)
        self.with_tax_created(bill)
        self.assertFalse(bill.l10n_nl_scan_missing_taxes)
        self.assertTotals(bill, 100.0, 19.0)
        tax = bill.invoice_line_ids.tax_ids
        self.assertEqual((tax.amount, tax.type_tax_use), (19.0, "purchase"))
        self.assertFalse(tax.invoice_repartition_line_ids.account_id, "the VAT is booked as cost")
        self.assertEqual(self.import_xml(cii_document(number="CII-8")).invoice_line_ids.tax_ids, tax, "made once")

    def test_non_deductible_taxes_have_their_own_tax_group(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["l10n_nl_scan_herken"], ["nl_NL"])
        bill = self.with_tax_created(self.import_xml(cii_document(lines=[("W-1", "Wartung", 2, "50.00", 19)])))
        group = bill.invoice_line_ids.tax_ids.tax_group_id
        self.assertRecordValues(
            group,
            [
                {
                    "name": "VAT not deductible",
                    "company_id": self.company.id,
                    "country_id": self.company.account_fiscal_country_id.id,
                }
            ],
        )
        self.assertEqual(group.with_context(lang="nl_NL").name, "Btw niet aftrekbaar")
        subtotals = bill.tax_totals["subtotals"]
        self.assertEqual(
            [(g["group_name"], g["tax_amount_currency"]) for s in subtotals for g in s["tax_groups"]],
            [("VAT not deductible", 19.0)],
        )
        other = self.with_tax_created(
            self.import_xml(ubl_document(number="UBL-25", lines=[("A", "Service", 1, "100.00", 25)]))
        )
        self.assertEqual(other.invoice_line_ids.tax_ids.tax_group_id, group, "one group per company and country")

    def test_negative_invoice_becomes_a_vendor_refund(self):
        cases = [
            ("UBL 380", ubl_document(number="NEG-1", lines=[("A", "Retour", 2, "-50.00", 21)]), 21.0),
            ("CII 380", cii_document(number="NEG-3", lines=[("A", "Retoure", 2, "-50.00", 19)]), 19.0),
            ("CII 384", cii_document(number="NEG-4", type_code="384", lines=[("A", "Retoure", 2, "-50.00", 19)]), 19.0),
        ]
        cases.insert(
            1,
            (
                "UBL 384",
                cases[0][1].replace(b"InvoiceTypeCode>380<", b"InvoiceTypeCode>384<").replace(b"NEG-1", b"NEG-2"),
                21.0,
            ),
        )
        for label, data, tax in cases:
            with self.subTest(label):
                bill = self.with_tax_created(self.import_xml(data))
                self.assertEqual(
                    (bill.move_type, bill.l10n_nl_scan_result["document_type"]), ("in_refund", "credit_note")
                )
                self.assertTotals(bill, 100.0, tax)
                self.assertEqual(bill.invoice_line_ids.mapped("price_subtotal"), [100.0])
                self.assertNotIn("differs", " ".join(bill.l10n_nl_scan_result["warnings"]))

    def test_negative_invoice_without_lines_becomes_a_vendor_refund(self):
        bill = self.import_xml(without_lines(cii_document(lines=[("A", "Retoure", 2, "-50.00", 19)])), decoded=False)
        self.with_tax_created(bill)
        self.assertEqual(bill.move_type, "in_refund")
        self.assertTotals(bill, 100.0, 19.0)
        self.assertEqual(bill.invoice_line_ids.mapped("price_subtotal"), [100.0])

    def test_vat_from_the_breakdown_when_the_cii_states_no_vat_total(self):
        minimum = without_lines(cii_document(lines=[("A", "Export", 1, "100.00", 0)]))
        bill = self.import_xml(
            re.sub(rb"<ram:TaxTotalAmount[^>]*>[^<]*</ram:TaxTotalAmount>", b"", minimum), decoded=False
        )
        self.assertEqual(bill.l10n_nl_scan_result["amount_tax"], 0.0)
        self.assertTotals(bill, 100.0, 0.0)

    def test_supplier_vat_is_the_vat_registration_not_the_tax_number(self):
        tax_number = (
            b'<ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>'
        )
        cii = cii_document(supplier="Lieferant GmbH", vat="DE811200006").replace(
            b"<ram:SpecifiedTaxRegistration>", tax_number + b"<ram:SpecifiedTaxRegistration>", 1
        )
        bill = self.import_xml(cii)
        # Odoo's own check takes a Steuernummer for a German VAT number: it must not get that far.
        self.assertRecordValues(bill.partner_id, [{"name": "Lieferant GmbH", "vat": "DE811200006"}])
        fc = (
            b"<cac:PartyTaxScheme><cbc:CompanyID>202/114/50301</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID>"
            b"</cac:TaxScheme></cac:PartyTaxScheme>"
        )
        ubl = ubl_document(supplier="Verkäufer GmbH", vat="DE136695976").replace(
            b"<cac:PartyTaxScheme>", fc + b"<cac:PartyTaxScheme>", 1
        )
        bill = self.import_xml(ubl)
        self.assertRecordValues(bill.partner_id, [{"name": "Verkäufer GmbH", "vat": "DE136695976"}])
        self.assertEqual(bill.l10n_nl_scan_result["supplier_vat"], "DE136695976")
        # Only a tax number: the supplier is still created (as Odoo did), without VAT number.
        only_fc = cii_document(number="CII-FC", supplier="Kleinunternehmer GmbH", vat="DE811200014").replace(
            b'schemeID="VA">DE811200014', b'schemeID="FC">201/113/40209'
        )
        bill = self.import_xml(only_fc)
        self.assertRecordValues(bill.partner_id, [{"name": "Kleinunternehmer GmbH", "vat": False}])
        self.assertIn("created without a VAT number", " ".join(bill.message_ids.mapped("body")))

    def test_corrected_and_self_billed_cii_are_read(self):
        for code in ("384", "389"):
            bill = self.with_tax_created(self.import_xml(cii_document(number=f"CII-{code}", type_code=code)))
            self.assertEqual((bill.move_type, bill.ref, len(bill.invoice_line_ids)), ("in_invoice", f"CII-{code}", 1))
            self.assertTotals(bill, 100.0, 19.0)

    def test_upload_and_alias_take_the_same_path(self):
        data = ubl_document(lines=[("A", "Schroef", 100, "0.125", 21)])
        attachment = self.env["ir.attachment"].create(
            {"name": "upload.xml", "raw": data, "mimetype": "application/xml"}
        )
        bill = self.journal.with_context(default_move_type="in_invoice")._create_document_from_attachment(
            attachment.ids
        )
        self.assertRecordValues(
            bill,
            [{"l10n_nl_scan_state": "done", "l10n_nl_scan_source": "ubl", "amount_untaxed": 12.5, "amount_tax": 2.63}],
        )
        mail = invoice_mail(
            [xml("alias.xml", ubl_document(number="ALIAS-1", lines=[("A", "Schroef", 100, "0.125", 21)]))]
        )
        self.env["mail.thread"].message_process(
            "account.move", mail.as_string(), custom_values={"move_type": "in_invoice", "journal_id": self.journal.id}
        )
        bill = self.env["account.move"].search([("l10n_nl_scan_state", "=", "queued")])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(bill.l10n_nl_scan_error, False, bill.attachment_ids.mapped("mimetype"))
        self.assertRecordValues(bill, [{"l10n_nl_scan_state": "done", "ref": "ALIAS-1", "amount_untaxed": 12.5}])

    def test_decoder_failure_falls_back_to_the_header(self):
        data = ubl_document(lines=[("A", "Regel", 1, "100.00", 21)]).replace(
            b'<cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount>', b""
        )
        data = data.replace(
            b'<cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>\n    <cbc:TaxExclusiveAmount',
            b"<cbc:TaxExclusiveAmount",
        )
        bill = self.import_xml(
            data.replace(
                b'<cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount><cac:Item>', b"<cac:Item>"
            ),
            decoded=False,
        )
        self.assertTotals(bill, 100.0, 21.0)
        self.assertIn("Odoo's e-invoice reader stopped", " ".join(bill.l10n_nl_scan_result["warnings"]))

    def test_merge_lines_keeps_unmapped_codes_apart(self):
        supplier = self.env["res.partner"].create(
            {"name": "Bakker B.V.", "vat": "NL000099998B57", "is_company": True, "l10n_nl_scan_merge_lines": "yes"}
        )
        account = self.company_data["default_account_expense"]
        for code in ("A", "B"):
            self.env["l10n_nl_scan_herken.einvoice_template_line"].create(
                {"partner_id": supplier.id, "product_code": code, "account_id": account.id}
            )
        lines = [("A", "Brood", 3, "2.15", 9), ("B", "Koek", 2, "1.99", 9), ("C", "Taart", 1, "12.50", 9)]
        bill = self.import_xml(ubl_document(supplier="Bakker B.V.", lines=lines), decoded=False)
        self.assertEqual(bill.partner_id, supplier)
        self.assertEqual(sorted(bill.invoice_line_ids.mapped("price_subtotal")), [10.43, 12.5])
        self.assertEqual(bill.l10n_nl_scan_unmapped_codes, "C")
        self.assertTotals(bill, 22.93, 2.06)
