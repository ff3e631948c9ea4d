import base64

from odoo.tests import HttpCase, tagged

from ..engine.samples.render import image_bytes, render_pdf, scan
from ..tools import engine_messages
from .common import ScanHerkenCommon
from .samples.ubl import ubl_invoice


@tagged("post_install", "-at_install", "is_tour")
class TestReviewScreen(ScanHerkenCommon, HttpCase):
    """The bookkeeper's review in a real browser (Debian's chromium, headless):
    upload a scan, see the boxes, fix a field by clicking its value on the
    page, confirm; in Dutch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"].search(
            [("name", "in", ["base", "web", "account", "l10n_nl_scan_herken"])]
        )._update_translations(["nl_NL"])
        cls.env.user.lang = "nl_NL"
        cls.company.partner_id.lang = "nl_NL"
        cls.supplier = cls.dutch_supplier("Documenta Leveringen B.V.")

    def test_upload_box_fix_by_click_and_confirm(self):
        spec = self.supplier_spec(311, self.supplier, lang="nl", credit=False)
        spec.labels = {"number": "Documentcode"}  # a label zero-configuration recognition does not know
        picture = image_bytes(scan(render_pdf(spec), 5, rotate=0, noise=False, skew=0), "PNG")
        self.env["ir.attachment"].create(
            {"name": "review-tour-scan.png", "datas": base64.b64encode(picture), "public": True}
        )
        self.start_tour(
            "/odoo/action-account.action_move_in_invoice_type",
            "l10n_nl_scan_herken_review",
            login=self.env.user.login,
            timeout=300,
        )
        bill = self.env["account.move"].search([("partner_id", "=", self.supplier.id)])
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.ref, spec.number)
        self.assertEqual(bill.invoice_date.isoformat(), spec.expected["invoice_date"])
        self.assertAlmostEqual(bill.amount_total, spec.expected["amount_total"])
        # The click is kept for learning: which words filled the field.
        self.assertEqual(bill.l10n_nl_scan_picked["ref"]["text"], spec.number)
        self.assertEqual(bill.l10n_nl_scan_picked["ref"]["page"], 0)
        self.assertTrue(bill.l10n_nl_scan_picked["ref"]["bbox"])

    def test_page_is_drawn_for_readers_of_the_bill_only(self):
        spec = self.supplier_spec(312, self.supplier, lang="nl", credit=False)
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        data = bill.l10n_nl_scan_viewer_data()
        self.assertEqual(len(data["pages"]), 1)
        marks = {mark["key"]: mark for mark in data["marks"]}
        self.assertEqual(marks["invoice_number"]["field"], "ref")
        self.assertEqual(marks["invoice_number"]["value"], spec.number)
        self.assertEqual(data["kinds"]["invoice_date"], "date")
        self.assertEqual(data["kinds"]["line.price_unit"], "amount")
        self.authenticate(self.env.user.login, self.env.user.login)
        response = self.url_open(data["pages"][0]["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertEqual(self.url_open(f"/l10n_nl_scan_herken/page/{bill.id}/7").status_code, 404)
        # A user of another company cannot see the page.
        other = self.setup_other_company()["company"]
        outsider = self.env["res.users"].create(
            {
                "name": "Buitenstaander",
                "login": "buitenstaander",
                "password": "buitenstaander",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [(6, 0, self.env.ref("account.group_account_invoice").ids)],
            }
        )
        self.authenticate(outsider.login, "buitenstaander")
        self.assertNotEqual(self.url_open(data["pages"][0]["url"]).status_code, 200)

    def test_pick_reads_the_clicked_value_as_the_field_wants(self):
        spec = self.supplier_spec(313, self.supplier, lang="nl", credit=False)
        bill = self.make_bill_with_pdf(spec)
        bill.action_l10n_nl_scan_recognize()
        page = bill.l10n_nl_scan_viewer_data()["pages"][0]
        total = f"{spec.expected['amount_total']:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        word = next(w for w in page["words"] if w[0] == total)
        self.assertAlmostEqual(
            bill.l10n_nl_scan_pick(0, word[5], word[6], "amount")["value"], spec.expected["amount_total"]
        )
        self.assertIsNone(bill.l10n_nl_scan_pick(0, word[5], word[6], "date"))

    def test_cron_writes_the_chatter_in_the_company_language(self):
        """The queue runs as a user who reads English; a Dutch company's
        bookkeepers read its chatter, the recognition method's label too."""
        spec = self.supplier_spec(314, self.supplier, lang="nl", credit=False)
        bill = self.make_bill_with_pdf(spec)
        self.env.user.lang = "en_US"
        self.env["account.move"].with_context(lang="en_US")._cron_l10n_nl_scan_recognize()
        body = bill.message_ids[0].body
        self.assertIn("Herkend door scan en herken (PDF-tekst, score", body)
        self.assertIn("Leverancier herkend op", str(bill.message_ids.mapped("body")))

    def test_scan_tab_shows_a_readable_table(self):
        spec = self.supplier_spec(315, self.supplier, lang="nl", credit=False)
        bill = self.make_bill_with_pdf(spec).with_context(lang="nl_NL")
        bill.action_l10n_nl_scan_recognize()
        table = str(bill.l10n_nl_scan_confidence_html)
        self.assertIn("<td>Factuurnummer</td>", table)
        self.assertNotIn("invoice_number", table)
        total = f"{spec.expected['amount_total']:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        self.assertIn(total, table)  # Dutch notation
        day = spec.expected["invoice_date"].split("-")
        self.assertIn(f"{day[2]}-{day[1]}-{day[0]}", table)
        for line in spec.expected["tax_lines"]:
            self.assertIn(f"<td>Btw {line['rate']:g} %</td>", table)  # one row per VAT rate

    def import_xml(self, data):
        journal = self.company_data["default_journal_purchase"]
        bill = self.env["l10n_nl_scan_herken.intake"]._intake_files(journal, [("factuur.xml", data)])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(bill.l10n_nl_scan_state, "done", bill.l10n_nl_scan_error)
        return bill

    def test_xml_only_einvoice_is_shown_as_an_invoice(self):
        bill = self.import_xml(ubl_invoice(number="UBL-VIEW-1", supplier="Weergave Leveringen B.V."))
        self.assertTrue(bill.l10n_nl_scan_einvoice_view)
        self.authenticate(self.env.user.login, self.env.user.login)
        response = self.url_open(f"/l10n_nl_scan_herken/einvoice/{bill.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("default-src 'none'", response.headers["Content-Security-Policy"])  # no script runs
        page = response.text
        self.assertIn("Weergave Leveringen B.V.", page)
        self.assertIn("UBL-VIEW-1", page)
        self.assertIn("Factuurnummer", page)  # in the reader's language
        self.assertIn("02-11-2026", page)  # the date as a Dutch reader writes it
        self.assertNotIn("<script", page)

    def test_einvoice_with_a_pdf_shows_its_pdf(self):
        pdf = base64.b64encode(render_pdf(self.spec(316, lang="nl", credit=False))).decode()
        xml = (
            ubl_invoice(number="UBL-VIEW-2")
            .decode()
            .replace(
                "<cac:AccountingSupplierParty>",
                "<cac:AdditionalDocumentReference><cbc:ID>UBL-VIEW-2.pdf</cbc:ID><cac:Attachment>"
                f'<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="UBL-VIEW-2.pdf">{pdf}'
                "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
                "<cac:AccountingSupplierParty>",
                1,
            )
            .encode()
        )
        bill = self.import_xml(xml)
        self.assertEqual(bill.message_main_attachment_id.mimetype, "application/pdf")
        self.assertFalse(bill.l10n_nl_scan_einvoice_view)

    def test_engine_sentences_reach_the_bill_in_dutch(self):
        bill = self.make_bill_with_pdf(data=b"geen factuur", name="factuur.pdf").with_context(lang="nl_NL")
        self.env["l10n_nl_scan_herken.queue"]._recognize_now(bill)
        self.assertEqual(bill.l10n_nl_scan_state, "failed")
        self.assertEqual(bill.l10n_nl_scan_error, "Dit is geen pdf of afbeelding (PNG, JPEG, TIFF).")
        self.assertIn("Dit is geen pdf of afbeelding", bill.message_ids[0].body)
        nl = self.env(context={"lang": "nl_NL"})
        self.assertEqual(
            engine_messages.translate(nl, "pages_limited", {"read": 10, "count": 14}),
            "Alleen de eerste 10 van 14 pagina's zijn gelezen.",
        )
        self.assertEqual(
            engine_messages.translate(nl, "pages_budget", {"seconds": 30, "first": 4, "last": 10}),
            "Het lezen stopte na 30 s, de tijd per document. Pagina 4 tot en met 10 zijn niet gelezen.",
        )
        self.assertEqual(
            engine_messages.translate(nl, "image_too_large", {"megapixels": 60}),
            "De afbeelding is te groot om te lezen (hoogstens 60 megapixels).",
        )
        # A foreign detail stays as the library wrote it.
        self.assertEqual(
            engine_messages.translate(nl, "xml_malformed", {"detail": "Start tag expected, line 1"}),
            "Het XML-bestand is niet goed gevormd: Start tag expected, line 1",
        )
        # A mask's warning names the field by its label; in English too.
        warning = ("mask_timeout", {"field": "invoice_number", "seconds": 1})
        self.assertTrue(
            engine_messages.warning_text(nl, warning).startswith(
                "Masker voor Factuurnummer: het patroon duurde langer dan 1 s"
            )
        )
        self.assertTrue(
            engine_messages.warning_text(self.env(context={"lang": "en_US"}), warning).startswith(
                "Mask for Invoice number: The pattern took longer than 1 s"
            )
        )
        # A note the Odoo layer worded itself, or a code newer than the table, as the engine says it.
        self.assertEqual(
            engine_messages.warning_text(nl, ("einvoice", {"text": "Gelezen door Odoo."})), "Gelezen door Odoo."
        )
        self.assertEqual(engine_messages.translate(nl, "never_said", {}), "never_said")
        # A bill stored before codes keeps its English sentences.
        stored = {"warnings": ["Only the first 10 of 14 pages were read."]}
        self.assertEqual(engine_messages.result_warnings(nl, stored), stored["warnings"])
