from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from ..engine.samples.fixtures import totals


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """The demo data as `scripts/setup.sh` installs it: the tests run without
    demo data, so the demo file is loaded here, as the install loads it
    (records and then _create_demo_bills). It makes its own Dutch company
    and loads the l10n_nl chart itself, which is what is checked, so the
    usual test company (setup_country('nl')) is not needed."""

    def test_demo_bills_complete_in_dutch_company(self):
        convert_file(self.env, "l10n_nl_scan_herken", "demo/demo_data.xml", {}, mode="init", noupdate=True)
        company = self.env.ref("l10n_nl_scan_herken.demo_company")
        self.assertRecordValues(
            company,
            [
                {
                    "country_id": self.env.ref("base.nl").id,
                    "currency_id": self.env.ref("base.EUR").id,
                    "chart_template": "nl",
                    "l10n_nl_scan_enabled": True,
                }
            ],
        )
        self.assertEqual(company.partner_id.lang, "nl_NL")
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, company)
        self.assertIn(company, admin.company_ids)
        self.assertEqual(admin.lang, "nl_NL")

        suppliers = self.env["res.partner"].browse(
            [self.env.ref(f"l10n_nl_scan_herken.demo_supplier_{name}").id for name in ("jansen", "devries", "peeters")]
        )
        intake = self.env["l10n_nl_scan_herken.intake"]
        documents = {
            spec.number: (partner, variant, spec)
            for partner, variant, spec in intake._demo_documents(company, suppliers)
        }
        bills = self.env["account.move"].search([("company_id", "=", company.id)])
        self.assertEqual(len(documents), 6)
        self.assertEqual(len(bills), 6)
        self.assertEqual(sorted(bills.mapped("ref")), sorted(documents))

        chart = self.env["account.chart.template"].with_company(company)
        purchase_journal = chart.ref("purchase")
        domestic = {21: chart.ref("btw_21_buy"), 9: chart.ref("btw_9_buy")}
        reverse_charge = chart.ref("btw_I_21")  # 21% EX EU: a Belgian supplier's 0 % invoice
        for bill in bills:
            partner, variant, spec = documents[bill.ref]
            bases, taxes, untaxed, tax, total = totals(spec)
            with self.subTest(document=bill.ref, supplier=partner.name):
                self.assertFalse(spec.credit)
                self.assertRecordValues(
                    bill,
                    [
                        {
                            "move_type": "in_invoice",
                            "journal_id": purchase_journal.id,
                            "partner_id": partner.id,
                            "currency_id": company.currency_id.id,
                            "amount_untaxed": float(untaxed),
                            "amount_tax": float(tax),
                            "amount_total": float(total),
                            "l10n_nl_scan_state": "done",
                            "l10n_nl_scan_source": "pdf_text" if variant == "pdf" else "ocr",
                            "l10n_nl_scan_has_warning": False,
                            "l10n_nl_scan_warning_text": False,
                        }
                    ],
                )
                self.assertGreater(bill.amount_total, 0)
                expected_taxes = (
                    reverse_charge
                    if set(bases) == {0}
                    else self.env["account.tax"].union(*(domestic[rate] for rate in bases))
                )
                self.assertEqual(bill.invoice_line_ids.tax_ids, expected_taxes)
                tax_lines = bill.line_ids.filtered("tax_line_id")
                self.assertTrue(tax_lines)
                self.assertEqual(tax_lines.tax_line_id, expected_taxes)
                self.assertTrue(
                    all(
                        t.type_tax_use == "purchase" and t.company_id == company and t.country_id.code == "NL"
                        for t in tax_lines.tax_line_id
                    )
                )
                for rate, amount in taxes.items():
                    if rate:  # the VAT per rate as the document prints it
                        booked = sum(
                            tax_lines.filtered(lambda line, r=rate: line.tax_line_id == domestic[r]).mapped("balance")
                        )
                        self.assertAlmostEqual(booked, float(amount), places=2)
        # A text PDF and a scan of each supplier.
        self.assertEqual(len({(bill.partner_id, bill.l10n_nl_scan_source) for bill in bills}), 6)
