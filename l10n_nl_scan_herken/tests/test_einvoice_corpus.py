"""Every e-invoice of the shared public corpus through the real intake and
queue: a valid one gives a bill (a refund for a credit note or a negative
invoice) whose supplier, number, dates, untaxed amount, VAT and total equal
the XML's; an invalid one ends as a draft with a note. Skips when
../shared/corpus is absent."""

import csv
import json
import os
import unittest
from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..engine.einvoice.read import CREDIT_CODES
from .common import ScanHerkenCommon

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SETS = ("1_ubl", "2_cii_facturx_zugferd_xrechnung")
BAD = ("INVALID", "DEFECTIVE", "NOT AN INVOICE", "INTERNALLY INCONSISTENT")
UNTAXED = ("TaxExclusiveAmount", "TaxBasisTotalAmount")
TAX = ("TaxTotalAmount",)
TOTAL = ("TaxInclusiveAmount", "GrandTotalAmount")


def corpus_samples():
    """(path, manifest row, extracted header) of every XML and PDF sample."""
    if not CORPUS.is_dir():
        raise unittest.SkipTest(f"The shared corpus is absent ({CORPUS}): corpus tests need ../shared/corpus.")
    for set_name in SETS:
        folder = CORPUS / set_name
        extracted = json.loads((folder / "extracted_fields.json").read_text())
        with open(folder / "MANIFEST.tsv", newline="") as manifest:
            for row in csv.DictReader(manifest, delimiter="\t"):
                if row["file"].endswith((".xml", ".pdf")) and only(row["file"]):
                    yield folder / row["file"], row, extracted.get(row["file"]) or {}


def only(name):
    """SCAN_CORPUS_ONLY=part,part narrows the corpus while investigating."""
    parts = [part for part in os.environ.get("SCAN_CORPUS_ONLY", "").split(",") if part]
    return not parts or any(part in name for part in parts)


def header_of(meta):
    """The corpus' own reading of the e-invoice (the embedded one of a PDF)."""
    if meta.get("embedded_xml"):
        meta = next(iter(meta["embedded_xml"].values()))
    return meta


def first(values, keys):
    return next((values[k] for k in keys if values.get(k) is not None), None)


def expected_tax(meta):
    currency = meta.get("currency")
    amounts = [a["amount"] for a in meta.get("tax_amounts") or [] if a.get("currency") in (None, currency)]
    return amounts[0] if amounts else first(meta.get("totals") or {}, TAX)


def inconsistencies(meta):
    """Where the XML contradicts itself, so that no bill can equal all of it
    (OASIS examples that add the payable rounding to the total, breakdowns
    whose rates no line has): the bill must then say what differs."""
    totals = meta.get("totals") or {}
    untaxed, tax, total = first(totals, UNTAXED), expected_tax(meta), first(totals, TOTAL)
    found = []
    if None not in (untaxed, tax, total) and abs(untaxed + tax - total) > 0.005:
        found.append("untaxed + VAT is not the total")
    breakdown = meta.get("tax_breakdown") or []
    if breakdown and untaxed is not None and abs(sum(b["base"] or 0 for b in breakdown) - untaxed) > 0.005:
        found.append("the VAT bases do not add up to the untaxed amount")
    lines = first(totals, ("LineExtensionAmount", "LineTotalAmount"))
    if (
        lines is not None
        and untaxed is not None
        and abs(lines - (totals.get("AllowanceTotalAmount") or 0) + (totals.get("ChargeTotalAmount") or 0) - untaxed)
        > 0.005
    ):
        found.append("the lines, allowances and charges do not add up to the untaxed amount")
    line_rates = [line.get("tax_rate") for line in meta.get("lines") or []]
    charges = totals.get("ChargeTotalAmount") or 0
    if (
        line_rates
        and None not in line_rates
        and any(
            b["rate"] not in line_rates and abs(b["base"] or 0) > charges + 0.005
            for b in breakdown
            if b.get("rate") is not None
        )
    ):
        found.append("the VAT breakdown has a rate that neither a line nor a document charge has")
    return found


def expected_move_type(meta):
    """A credit note, or an invoice whose untaxed amount (else total) is
    negative, is a vendor refund."""
    totals = meta.get("totals") or {}
    amount = first(totals, UNTAXED)
    amount = first(totals, TOTAL) if amount is None else amount
    credit = (meta.get("syntax") or "").endswith("CreditNote") or meta.get("type_code") in CREDIT_CODES
    return "in_refund" if credit or (amount or 0) < 0 else "in_invoice"


def compact(text):
    return "".join((text or "").split()).upper()


def iso(date):
    date = date or ""
    return f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 and date.isdigit() else date or False


@tagged("post_install", "-at_install")
class TestEInvoiceCorpus(ScanHerkenCommon):
    labels = {"amount_untaxed": "untaxed amount", "amount_tax": "amount of VAT", "amount_total": "total"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.samples = list(corpus_samples())
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.tax_manager = cls.company_user("corpus_tax_manager", "account.group_account_manager")

    def import_sample(self, path):
        """One sample into a bill, in a fresh state: the corpus reuses the
        same fictional suppliers under other names."""
        bills = self.env["l10n_nl_scan_herken.intake"]._intake_files(self.journal, [(path.name, path.read_bytes())])
        self.env["account.move"]._cron_l10n_nl_scan_recognize(batch_size=50)
        return bills

    def differences(self, bill, meta):
        """What of the bill differs from the corpus' reading of the XML."""
        totals = meta.get("totals") or {}
        expected = {
            "ref": meta.get("number"),
            "invoice_date": iso(meta.get("issue_date")),
            "amount_untaxed": first(totals, UNTAXED),
            "amount_tax": expected_tax(meta),
            "amount_total": first(totals, TOTAL),
        }
        if meta.get("due_date"):
            expected["invoice_date_due"] = iso(meta["due_date"])
        expected["move_type"] = expected_move_type(meta)
        found = {
            "move_type": bill.move_type,
            "ref": bill.ref,
            "invoice_date": str(bill.invoice_date or ""),
            "invoice_date_due": str(bill.invoice_date_due or ""),
            "amount_untaxed": bill.amount_untaxed,
            "amount_tax": bill.amount_tax,
            "amount_total": bill.amount_total,
        }
        wrong = {}
        for key, value in expected.items():
            if value is None:
                continue
            if key.startswith("amount"):
                if abs(abs(value) - found[key]) > 0.005:
                    wrong[key] = (found[key], value)
            elif found[key] != value:
                wrong[key] = (found[key], value)
        seller = meta.get("seller") or {}
        vats = {compact(v) for v in seller.get("vat") or []}
        names = {compact(seller.get(key)) for key in ("name", "registration_name") if seller.get(key)}
        partner = bill.partner_id
        if vats and compact(partner.vat) not in vats and compact(partner.name) not in names:
            wrong["supplier"] = (partner.display_name, seller.get("name"))
        return wrong

    def check_valid(self, path, row, meta):
        bill = self.import_sample(path)
        if bill.l10n_nl_scan_missing_taxes:
            # The queue never creates a tax: the bill names the missing rates and a manager creates them.
            self.assertIn("no purchase tax of", bill.l10n_nl_scan_warning_text or "", row["file"])
            try:
                bill.with_user(self.tax_manager).action_l10n_nl_scan_create_taxes()
            except UserError:  # a rate no EU country charges: no tax is made, the bill waits with its warning
                return [] if bill.state == "draft" else [f"{row['file']}: posted with a rate without tax"]
        problems = (
            {"state": (bill.l10n_nl_scan_state, bill.l10n_nl_scan_error)}
            if bill.l10n_nl_scan_state != "done"
            else self.differences(bill, meta)
        )
        contradictions = inconsistencies(meta)
        if contradictions and bill.l10n_nl_scan_state == "done":
            # No bill can equal all of it: the amounts that differ must be named and the bill wait.
            warnings = " ".join((bill.l10n_nl_scan_result or {}).get("warnings") or [])
            amounts = {key for key in problems if key.startswith("amount")}
            named = all(f"bill's {self.labels[key]}" in warnings for key in amounts)
            problems = {key: value for key, value in problems.items() if key not in amounts}
            if not named or bill.state != "draft":
                problems["contradiction"] = (contradictions, warnings)
        if problems and os.environ.get("SCAN_CORPUS_ONLY"):
            problems["lines"] = [
                (
                    line.display_type,
                    line.name,
                    line.quantity,
                    line.price_unit,
                    line.discount,
                    line.tax_ids.mapped("amount"),
                    line.amount_currency,
                )
                for line in bill.line_ids
            ]
            problems["chatter"] = bill.message_ids.mapped("body")
        return [f"{row['file']}: {problems}"] if problems else []

    def test_valid_samples_give_bills_equal_to_their_xml(self):
        checked, wrong = 0, []
        for path, row, meta in self.samples:
            meta = header_of(meta)
            if row["expected_validity"].startswith(BAD) or not meta.get("number"):
                continue
            savepoint = self.env.cr.savepoint()
            try:
                wrong += self.check_valid(path, row, meta)
            finally:
                savepoint.close(rollback=True)
            checked += 1
        self.assertGreaterEqual(checked, 1 if os.environ.get("SCAN_CORPUS_ONLY") else 150)
        self.assertFalse(wrong, f"{len(wrong)} of {checked} valid samples differ:\n" + "\n".join(wrong))

    def test_invalid_samples_end_as_drafts_with_a_note(self):
        checked = 0
        for path, row, _meta in self.samples:
            if not row["expected_validity"].startswith(BAD):
                continue
            bill = self.import_sample(path)
            checked += 1
            self.assertEqual(bill.state, "draft", row["file"])
            self.assertIn(bill.l10n_nl_scan_state, ("done", "failed"), row["file"])
            self.assertIn(path.name, bill.attachment_ids.mapped("name"), row["file"])
            notes = " ".join(bill.message_ids.mapped("body")).lower()
            self.assertTrue("scan en herken" in notes or "e-invoice waits" in notes, row["file"])
        self.assertGreaterEqual(checked, 1 if os.environ.get("SCAN_CORPUS_ONLY") else 150)
