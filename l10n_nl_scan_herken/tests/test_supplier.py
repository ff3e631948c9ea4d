import datetime
import random
from decimal import Decimal

from odoo import Command
from odoo.tests import tagged

from ..engine.samples.fixtures import _iban, _nl_vat, expected_values
from ..engine.samples.render import render_pdf
from .common import ScanHerkenCommon


@tagged("post_install", "-at_install")
class TestSupplier(ScanHerkenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(5)
        cls.iban, cls.vat, cls.other_iban = _iban(rng, "NL"), _nl_vat(rng), _iban(rng, "NL")
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Jansen Installatietechniek B.V.",
                "is_company": True,
                "vat": cls.vat,
                "company_registry": "30123456",
                "bank_ids": [(0, 0, {"acc_number": cls.iban})],
            }
        )

    def recognise(self, spec, **kwargs):
        bill = self.make_bill_with_pdf(spec, **kwargs)
        bill.action_l10n_nl_scan_recognize()
        return bill

    def spec_without(self, seed, *drop, **kwargs):
        """An invoice of the supplier on which only some identifiers are printed."""
        spec = self.supplier_spec(seed, self.supplier, lang="nl", credit=False, **kwargs)
        for key in drop:
            spec.supplier[key] = {"iban": self.other_iban, "vat": _nl_vat(random.Random(seed)), "kvk": "99999999"}[key]
        return spec

    def test_match_by_iban_kvk_and_vat(self):
        bill = self.recognise(self.supplier_spec(40, self.supplier, lang="nl", credit=False))
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertIn("Supplier recognised by IBAN", bill.message_ids[0].body)
        self.assertEqual(bill.l10n_nl_scan_warning_count, 0, bill.l10n_nl_scan_warning_html)

    def test_checklist_icons_render_once_each(self):
        """A self-closing <i/> is an open tag in HTML: the browser nested each
        icon into the next line's (one tick, two ticks, three ticks)."""
        bill = self.recognise(self.supplier_spec(40, self.supplier, lang="nl", credit=False))
        html = str(bill.l10n_nl_scan_checklist_html)
        items = html.count("<li>")
        self.assertGreater(items, 2)
        self.assertEqual(html.count("<i "), items)
        self.assertEqual(html.count("</i>"), items)
        self.assertNotIn("/>", html)

    def test_match_by_one_identifier_each(self):
        for seed, keep in ((41, "iban"), (42, "kvk"), (43, "vat")):
            drop = [k for k in ("iban", "kvk", "vat") if k != keep]
            bill = self.recognise(self.spec_without(seed, *drop))
            self.assertEqual(bill.partner_id, self.supplier, keep)

    def test_own_company_is_never_the_supplier(self):
        self.company.partner_id.bank_ids = [(0, 0, {"acc_number": self.other_iban})]
        spec = self.spec_without(44, "iban", "kvk", "vat")
        spec.supplier["iban"] = self.other_iban
        bill = self.recognise(spec)
        self.assertFalse(bill.partner_id)

    def test_identifier_of_two_suppliers_proposes_nobody(self):
        self.env["res.partner"].create({"name": "Tweeling B.V.", "bank_ids": [(0, 0, {"acc_number": self.other_iban})]})
        self.env["res.partner"].create(
            {"name": "Tweeling 2 B.V.", "bank_ids": [(0, 0, {"acc_number": self.other_iban.replace("NL", "nl")})]}
        )
        bill = self.recognise(self.spec_without(45, "iban", "kvk", "vat"))
        self.assertFalse(bill.partner_id)
        self.assertIn("several suppliers", bill.message_ids[0].body)

    def test_history_decides(self):
        history = self.init_invoice("in_invoice", partner=self.supplier, amounts=[10], invoice_date="2026-11-01")
        history.sudo().l10n_nl_scan_iban = self.other_iban
        history.action_post()
        bill = self.recognise(self.spec_without(46, "iban", "kvk", "vat"))
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertIn("earlier validated bills", bill.message_ids[0].body)

    def test_unknown_supplier_and_create_button(self):
        spec = self.spec(47, lang="nl", credit=False)
        spec.long = False
        bill = self.recognise(spec)
        self.assertFalse(bill.partner_id)
        self.assertIn("No supplier was recognised.", bill.l10n_nl_scan_warning_html)
        bill.action_l10n_nl_scan_create_supplier()
        zip_code, city = spec.supplier["city"].split(" ", 2)[:2], spec.supplier["city"].rsplit(" ", 1)[1]
        self.assertRecordValues(
            bill.partner_id,
            [
                {
                    "name": spec.supplier["name"],
                    "vat": spec.supplier["vat"],
                    "company_registry": spec.supplier["kvk"],
                    "supplier_rank": 1,
                    "street": spec.supplier["street"],
                    "zip": " ".join(zip_code),
                    "city": city,
                    "country_id": self.env.ref("base.nl").id,
                }
            ],
        )
        self.assertEqual(bill.partner_id.bank_ids.sanitized_acc_number, spec.supplier["iban"])

    def test_create_supplier_leaves_an_uncertain_name_to_the_user(self):
        """A name read with low confidence (no legal form, no letterhead) is
        never made a supplier: a new supplier form opens with the address,
        VAT and IBAN filled in and the name empty."""
        bill = self.env["account.move"].create({"move_type": "in_invoice"})
        bill.sudo().l10n_nl_scan_result = {
            "supplier_name": "Klant Holding",
            "supplier_vat": "NL000099998B57",
            "supplier_street": "Kerkstraat 1",
            "supplier_zip": "1234 AB",
            "supplier_city": "Utrecht",
            "supplier_country": "NL",
            "fields": {"supplier_name": {"confidence": 0.3}},
        }
        action = bill.action_l10n_nl_scan_create_supplier()
        self.assertFalse(bill.partner_id)
        self.assertEqual(action["target"], "new")
        self.assertNotIn("default_name", action["context"])
        self.assertEqual(action["context"]["default_street"], "Kerkstraat 1")
        self.assertEqual(action["context"]["default_country_id"], self.env.ref("base.nl").id)
        self.assertEqual(action["context"]["default_vat"], "NL000099998B57")

    def test_lines_per_rate_with_dutch_taxes_and_document_totals(self):
        spec = self.supplier_spec(48, self.supplier, lang="nl", credit=False)
        spec.lines = [("Kabel", 3, Decimal("33.33"), 21), ("Lunch", 7, Decimal("14.29"), 9)]
        spec.expected = expected_values(spec)
        bill = self.recognise(spec)
        lines = bill.invoice_line_ids.sorted(lambda line: -line.tax_ids.amount)
        self.assertEqual(lines.mapped("price_unit"), [99.99, 100.03])
        self.assertEqual(lines.tax_ids.mapped("amount"), [21.0, 9.0])
        self.assertTrue(all(tax.type_tax_use == "purchase" for tax in lines.tax_ids))
        self.assertAlmostEqual(bill.amount_total, spec.expected["amount_total"])
        self.assertAlmostEqual(bill.amount_tax, spec.expected["amount_tax"])
        self.assertEqual(lines[0].account_id, bill.journal_id.default_account_id)

    def test_zero_rate_does_not_touch_the_other_lines(self):
        """A 0 % rate has no tax line: correcting its VAT once changed the
        first line without tax (the product line) by the other rate's VAT."""
        tax21 = self.company_data["default_tax_purchase"]
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": "2026-11-02",
                "invoice_line_ids": [
                    Command.create({"name": "Vrijgesteld", "price_unit": 5.0, "tax_ids": []}),
                    Command.create({"name": "Klein", "price_unit": 0.1, "tax_ids": [tax21.id]}),
                ],
            }
        )
        result = {"tax_lines": [{"rate": 0.0, "base": 5.0, "amount": 0.0}, {"rate": 21.0, "base": 0.1, "amount": 0.03}]}
        with bill._get_edi_creation() as move:
            self.env["l10n_nl_scan_herken.bill_builder"]._correct_taxes(move, result)
        self.assertRecordValues(bill, [{"amount_untaxed": 5.1, "amount_tax": 0.03, "amount_total": 5.13}])

    def test_vat_without_a_base_still_sets_the_rounding(self):
        """Three lines of 3,35 with 0,70 VAT each: the document states 10,05
        and 2,10 VAT, Odoo computes 21 % of 10,05 = 2,11. Without a base per
        rate the stated VAT used to be ignored and the bill was a cent off."""
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.supplier.id, "invoice_date": "2026-11-02"}
        )
        result = {"amount_untaxed": 10.05, "amount_tax": 2.10, "amount_total": 12.15, "currency": "EUR"}
        self.env["l10n_nl_scan_herken.bill_builder"]._book(bill, result)
        self.assertRecordValues(bill, [{"amount_untaxed": 10.05, "amount_tax": 2.10, "amount_total": 12.15}])

    def test_booking_template_and_proposals(self):
        account = self.company_data["default_account_expense"].copy({"code": "4999", "name": "Onderhoud"})
        template = self.env["l10n_nl_scan_herken.booking_template"].create(
            {"name": "Onderhoud", "account_id": account.id, "label": "Onderhoud installaties"}
        )
        term = self.env.ref("account.account_payment_term_30days")
        self.supplier.with_company(self.company).write(
            {"l10n_nl_scan_booking_template_id": template.id, "property_supplier_payment_term_id": term.id}
        )
        bill = self.recognise(self.supplier_spec(49, self.supplier, lang="nl", credit=False))
        self.assertEqual(bill.invoice_line_ids.account_id, account)
        self.assertEqual(set(bill.invoice_line_ids.mapped("name")), {"Onderhoud installaties"})

    def test_description_from_last_validated_bill(self):
        last = self.init_invoice("in_invoice", partner=self.supplier, amounts=[10], invoice_date="2026-11-01")
        last.invoice_line_ids.name = "Maandelijks onderhoud"
        last.action_post()
        bill = self.recognise(self.supplier_spec(50, self.supplier, lang="nl", credit=False))
        self.assertEqual(set(bill.invoice_line_ids.mapped("name")), {"Maandelijks onderhoud"})

    def test_without_recognise_amounts_no_lines(self):
        self.company.l10n_nl_scan_recognize_amounts = False
        bill = self.recognise(self.supplier_spec(51, self.supplier, lang="nl", credit=False))
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertFalse(bill.invoice_line_ids)

    def test_duplicate_and_unknown_iban_warnings(self):
        spec = self.supplier_spec(52, self.supplier, lang="nl", credit=False)
        first = self.recognise(spec)
        first.action_post()
        second = self.recognise(spec)
        self.assertIn("already used on another bill", second.l10n_nl_scan_warning_html)
        spec2 = self.spec_without(53, "iban")
        bill = self.recognise(spec2)
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertIn("is not a known account of", bill.l10n_nl_scan_warning_html)

    def test_date_outside_window_warns(self):
        spec = self.supplier_spec(54, self.supplier, lang="nl", credit=False)
        spec.date = datetime.date.today() - datetime.timedelta(days=400)
        spec.due = spec.date + datetime.timedelta(days=30)
        bill = self.recognise(spec)
        self.assertIn("more than six months old", bill.l10n_nl_scan_warning_html)

    def test_warnings_show_amounts_and_dates_as_the_reader_writes_them(self):
        """A Dutch reader sees "€ 1.234,56" and "03-11-2025" in a warning, not
        1234.56 and 2025-11-03."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["l10n_nl_scan_herken"], ["nl_NL"])
        spec = self.supplier_spec(57, self.supplier, lang="nl", credit=False)
        spec.date = datetime.date.today() - datetime.timedelta(days=400)
        spec.due = spec.date + datetime.timedelta(days=30)
        bill = self.recognise(spec)
        bill.invoice_line_ids[0].price_unit += 1000  # the bill's total no longer the document's
        dutch = bill.with_context(lang="nl_NL")
        html = str(dutch.l10n_nl_scan_warning_html)
        self.assertIn(spec.date.strftime("%d-%m-%Y"), html)
        total = f"{bill.amount_total:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        self.assertIn(total, html)
        self.assertIn("€", html)

    def test_to_process_list_fields_and_filters(self):
        """The list shows the warning itself, the recognised name while no
        supplier is set, and the mail's date as Received; the filters find
        bills with warnings, without supplier, with a low score or failed."""
        spec = self.supplier_spec(58, self.supplier, lang="nl", credit=False)
        spec.date = datetime.date.today() - datetime.timedelta(days=400)
        spec.due = spec.date + datetime.timedelta(days=30)
        warned = self.recognise(spec)
        clean = self.recognise(self.supplier_spec(59, self.supplier, lang="nl", credit=False))
        self.assertIn("more than six months old", warned.l10n_nl_scan_warning_text)
        self.assertFalse(clean.l10n_nl_scan_warning_text)
        moves = self.env["account.move"]
        self.assertEqual(
            moves.search([("l10n_nl_scan_has_warning", "=", True), ("id", "in", (warned | clean).ids)]), warned
        )
        self.assertEqual(
            moves.search([("l10n_nl_scan_has_warning", "=", False), ("id", "in", (warned | clean).ids)]), clean
        )
        self.assertEqual(clean.l10n_nl_scan_supplier_display, self.supplier.display_name)
        clean.partner_id = False
        self.assertEqual(clean.l10n_nl_scan_supplier_display, clean.l10n_nl_scan_result["supplier_name"])
        self.assertNotIn("Created by", clean.l10n_nl_scan_supplier_display)
        mail = (
            self.env["l10n_nl_scan_herken.received_mail"]
            .sudo()
            .create(
                {"company_id": self.company.id, "message_key": "<list-test@example.com>", "date": "2026-11-02 08:15:00"}
            )
        )
        warned.sudo().l10n_nl_scan_mail_id = mail
        self.assertEqual(warned.l10n_nl_scan_received, datetime.datetime(2026, 11, 2, 8, 15))
        self.assertEqual(clean.l10n_nl_scan_received, clean.create_date)
        failed = self.make_bill_with_pdf(data=b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated")
        failed.action_l10n_nl_scan_recognize()
        self.assertIn(failed, moves.search([("l10n_nl_scan_state", "=", "failed")]))
        self.assertEqual(failed.l10n_nl_scan_warning_text, "The PDF is damaged and cannot be read.")

    def test_confirm_with_open_warnings_asks_first(self):
        """Confirm on the form (Odoo's button context) opens Odoo's "Confirm
        Entries" dialog listing the bill's warnings; the bill stays a draft
        until the dialog is confirmed. Posting from code is not asked, and a
        bill without warnings is posted at once."""
        spec = self.supplier_spec(55, self.supplier, lang="nl", credit=False)
        spec.date = datetime.date.today() - datetime.timedelta(days=400)
        spec.due = spec.date + datetime.timedelta(days=30)
        bill = self.recognise(spec)
        self.assertTrue(bill.l10n_nl_scan_warning_count)
        button = bill.with_context(validate_analytic=True, disable_abnormal_invoice_detection=False)
        action = button.action_post()
        self.assertEqual(action["res_model"], "validate.account.move")
        self.assertEqual(bill.state, "draft")
        wizard = self.env["validate.account.move"].browse(action["res_id"])
        self.assertIn("more than six months old", wizard.l10n_nl_scan_warning_html)
        self.assertIn(self.supplier.name, wizard.l10n_nl_scan_warning_html)
        wizard.validate_move()
        self.assertEqual(bill.state, "posted")

        clean = self.recognise(self.supplier_spec(56, self.supplier, lang="nl", credit=False))
        self.assertFalse(clean.l10n_nl_scan_warning_count, clean.l10n_nl_scan_warning_html)
        self.assertFalse(clean.with_context(disable_abnormal_invoice_detection=False).action_post())
        self.assertEqual(clean.state, "posted")

    def test_mailed_invoice_of_known_supplier_then_duplicate(self):
        from .mails import invoice_mail, pdf

        journal = self.company_data["default_journal_purchase"]
        spec = self.supplier_spec(55, self.supplier, lang="nl", credit=False)
        bills = self.env["account.move"]
        for _i in range(2):
            self.env["mail.thread"].message_process(
                "account.move",
                invoice_mail([pdf("f.pdf", render_pdf(spec))]).as_string(),
                custom_values={"move_type": "in_invoice", "journal_id": journal.id},
            )
            self.env["account.move"]._cron_l10n_nl_scan_recognize()
            bills = self.env["account.move"].search([("l10n_nl_scan_state", "=", "done")], order="id")
            if len(bills) == 1:
                self.assertRecordValues(
                    bills,
                    [
                        {
                            "partner_id": self.supplier.id,
                            "ref": spec.expected["invoice_number"],
                            "invoice_date": datetime.date.fromisoformat(spec.expected["invoice_date"]),
                            "invoice_date_due": datetime.date.fromisoformat(spec.expected["due_date"]),
                            "payment_reference": spec.expected["payment_reference"] or False,
                            "amount_total": spec.expected["amount_total"],
                            "amount_tax": spec.expected["amount_tax"],
                            "l10n_nl_scan_warning_count": 0,
                        }
                    ],
                )
                self.assertEqual(len(bills.invoice_line_ids), len(spec.expected["tax_lines"]))
        self.assertEqual(len(bills), 2)
        self.assertIn("already used on another bill", bills[1].l10n_nl_scan_warning_html)

    def test_purchase_order_is_linked(self):
        if "purchase.order" not in self.env:
            self.skipTest("The purchase app is not installed in this database.")
        product = self.env["product.product"].create(
            {"name": "Onderhoud", "purchase_method": "purchase", "standard_price": 100.0}
        )
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.supplier.id,
                "company_id": self.company.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_qty": 2, "price_unit": 100.0})],
            }
        )
        order.button_confirm()
        spec = self.supplier_spec(56, self.supplier, lang="nl", credit=False)
        spec.po = order.name
        spec.expected["purchase_order"] = order.name
        bill = self.recognise(spec)
        self.assertEqual(bill.invoice_origin, order.name)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)

    def small_pdf(self, lines):
        import io

        from reportlab.pdfgen import canvas

        out = io.BytesIO()
        pdf = canvas.Canvas(out)
        for index, text in enumerate(lines):
            pdf.drawString(60, 780 - 16 * index, text)
        pdf.showPage()
        pdf.save()
        return out.getvalue()

    def test_supplier_date_notation_explicit_and_learned(self):
        today = datetime.date.today()
        month_first = f"{today.month:02d}/01/{today.year}"  # the 1st of this month, written month-first
        lines = [
            "FACTUUR",
            "Factuurnummer: US-1",
            f"Factuurdatum: {month_first}",
            "Totaal te betalen 121,00",
            f"IBAN {self.iban}",
        ]
        if today.month == 1:
            self.skipTest("January: month-first and day-first read the same.")
        bill = self.make_bill_with_pdf(data=self.small_pdf(lines))
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.invoice_date.month, 1)  # the company's day-month order
        self.supplier.l10n_nl_scan_date_order = "mdy"
        bill = self.make_bill_with_pdf(data=self.small_pdf(lines))
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.invoice_date, today.replace(day=1))
        # Learned: no setting, but validated bills of this supplier showed month-first dates.
        self.supplier.l10n_nl_scan_date_order = "company"
        evidence = self.make_bill_with_pdf(
            data=self.small_pdf(
                [
                    "FACTUUR",
                    "Factuurnummer: US-0",
                    f"Factuurdatum: {today.month:02d}/25/{today.year}",
                    "Totaal te betalen 10,00",
                    f"IBAN {self.iban}",
                ]
            )
        )
        evidence.action_l10n_nl_scan_recognize()
        self.assertEqual(evidence.l10n_nl_scan_result["date_order_source"], "document")
        evidence.invoice_line_ids = (
            [(0, 0, {"name": "x", "price_unit": 10, "quantity": 1})]
            if not evidence.invoice_line_ids
            else evidence.invoice_line_ids
        )
        evidence.action_post()
        lines[1] = "Factuurnummer: US-2"
        bill = self.make_bill_with_pdf(data=self.small_pdf(lines))
        bill.action_l10n_nl_scan_recognize()
        self.assertEqual(bill.invoice_date, today.replace(day=1))
