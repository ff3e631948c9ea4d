import datetime

from odoo.tests import Form, tagged

from ..engine.samples.fixtures import make_spec
from ..engine.samples.render import batch, render_pdf
from ..models.scan_intake import _page_ranges
from .common import ScanHerkenCommon
from .mails import invoice_mail, pdf


@tagged("post_install", "-at_install")
class TestBatchSplit(ScanHerkenCommon):
    """A 12-page scan holding five invoices of different suppliers (three of
    two pages) gives five bills with the right pages and values, at
    separator pages and automatically; a single long invoice stays whole;
    split and merge by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.company.vat = "NL854672138B01"
        cls.server = cls.env["fetchmail.server"].create(
            {
                "name": "Batches",
                "server_type": "imap",
                "server": "127.0.0.1",
                "port": 993,
                "l10n_nl_scan_journal_id": cls.journal.id,
                "l10n_nl_scan_split": "auto",
            }
        )

    def stack(self, seeds=(11, 12, 13, 14, 15), long=(12, 14, 15)):
        specs = []
        for seed in seeds:
            spec = make_spec(seed, today=datetime.date.today(), lang="nl", credit=False)
            spec.long = seed in long
            spec.customer.update(vat=self.company.vat, name=self.company.name)
            specs.append(spec)
        return specs

    def mailed(self, data, name="stapel.pdf"):
        mail = invoice_mail([pdf(name, data)])
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_mail(bytes(mail), self.journal, self.server)
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        return self.env["account.move"].search(
            [("l10n_nl_scan_mail_id", "=", bills.l10n_nl_scan_mail_id.id)], order="id"
        )

    def assert_five_bills(self, bills, specs, pages):
        self.assertEqual(len(bills), 5)
        original, parts = bills[0], bills[1:]
        self.assertEqual(parts.l10n_nl_scan_part_of_id, original)
        for bill, spec, part_pages in zip(bills, specs, pages):
            self.assertEqual(bill.ref, spec.number)
            self.assertEqual(bill.l10n_nl_scan_vat, spec.supplier["vat"])
            self.assertAlmostEqual(bill.amount_total, spec.expected["amount_total"])
            self.assertEqual(len(bill.l10n_nl_scan_layout["pages"]), len(part_pages))
            self.assertIn(f"pages {_page_ranges(part_pages)}", " ".join(bill.message_ids.mapped("body")))
        self.assertIn("stapel.pdf", original.attachment_ids.mapped("name"))  # the original is kept

    def test_a_scan_of_five_invoices_without_separators_gives_five_bills(self):
        specs = self.stack()
        data, pages = batch(specs, scanned=True, seed=7)
        self.assertEqual(sum(map(len, pages)), 8)
        self.assert_five_bills(self.mailed(data), specs, pages)

    def test_a_twelve_page_scan_with_separator_pages_gives_five_bills(self):
        self.server.l10n_nl_scan_split = "separator"
        specs = self.stack()
        data, pages = batch(specs, separator="blank", scanned=True, seed=8)
        self.assertEqual(pages[-1][-1] + 1, 12)
        self.assert_five_bills(self.mailed(data), specs, pages)

    def test_a_single_long_invoice_is_never_split(self):
        spec = self.stack(seeds=(14,), long=(14,))[0]
        bills = self.mailed(render_pdf(spec), name="lang.pdf")
        self.assertEqual(len(bills), 1)
        self.assertEqual(bills.ref, spec.number)
        self.assertEqual(len(bills.l10n_nl_scan_layout["pages"]), 2)

    def test_uploads_follow_the_company_setting(self):
        data, _pages = batch(self.stack(), separator="SCHEIDINGSBLAD")
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [("upload.pdf", data)])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(len(bills), 1)  # no split: the company's default
        self.company.write({"l10n_nl_scan_split": "separator", "l10n_nl_scan_separator_text": "scheidingsblad"})
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [("upload2.pdf", data)])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(len(self.env["account.move"].search([("l10n_nl_scan_part_of_id", "=", bills.id)])), 4)

    def test_split_and_merge_by_hand(self):
        specs = self.stack(seeds=(11, 12, 13), long=(12,))
        data, pages = batch(specs)
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [("drie.pdf", data)])
        self.env["account.move"]._cron_l10n_nl_scan_recognize()
        self.assertEqual(len(bills), 1)
        action = bills.action_l10n_nl_scan_split()  # the button on the bill
        with Form(self.env[action["res_model"]].with_context(**action["context"])) as form:
            self.assertEqual(form.page_count, 4)
            form.starts = "2, 4"
        split = self.env["account.move"].browse(form.record.action_split()["domain"][0][2])
        self.assertEqual(split.mapped("ref"), [spec.number for spec in specs])
        self.assertIn("Split from drie.pdf by hand: pages 2-3", " ".join(split[1].message_ids.mapped("body")))
        merged = self.env["account.move"].browse(split[1:].action_l10n_nl_scan_merge()["res_id"])
        self.assertEqual(merged, split[1])
        self.assertFalse(split[2].exists())
        self.assertEqual(len(merged.l10n_nl_scan_layout["pages"]), 3)
        self.assertTrue(merged.l10n_nl_scan_keep_whole)
        self.assertIn("Documents merged from", " ".join(merged.message_ids.mapped("body")))
