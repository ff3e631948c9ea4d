"""E-invoices in the shared corpus (UBL, CII, Factur-X PDFs): the engine's
header reading agrees with the corpus' extracted values."""

import csv
import json

from engine_loader import corpus_dir
from scan_engine import recognize
from scan_engine.testing.ubl import XXE, ubl_invoice

TOTAL_KEYS = ("TaxInclusiveAmount", "GrandTotalAmount")


def rows(folder):
    with open(folder / "MANIFEST.tsv", newline="") as manifest:
        return list(csv.DictReader(manifest, delimiter="\t"))


def expected_of(meta):
    if meta.get("embedded_xml"):
        meta = next(iter(meta["embedded_xml"].values()))
    date = meta.get("issue_date") or ""
    date = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 else date
    total = next((meta.get("totals", {}).get(k) for k in TOTAL_KEYS if meta.get("totals", {}).get(k) is not None), None)
    return meta.get("number"), date, meta.get("currency"), total


def test_corpus_headers():
    checked = right = 0
    misses = []
    for set_name in ("1_ubl", "2_cii_facturx_zugferd_xrechnung"):
        folder = corpus_dir(set_name)
        extracted = json.loads((folder / "extracted_fields.json").read_text())
        for row in rows(folder):
            meta = extracted.get(row["file"])
            if row["expected_validity"] != "valid" or not meta or not row["file"].endswith((".xml", ".pdf")):
                continue
            number, date, currency, total = expected_of(meta)
            if not number:
                continue
            got = recognize((folder / row["file"]).read_bytes(), row["file"]).to_dict()
            checked += 1
            ok = (got.get("invoice_number") == number and got.get("invoice_date") == date
                  and got.get("currency") == currency
                  and (total is None or abs(abs(got.get("amount_total") or 0) - abs(total)) < 0.005))
            right += ok
            if not ok:
                misses.append((row["file"], got.get("error") or (got.get("invoice_number"), got.get("invoice_date"),
                                                                  got.get("amount_total")), (number, date, total)))
    assert checked >= 100
    assert right / checked >= 0.95, (right, checked, misses[:10])


def test_every_corpus_file_gives_a_result_or_an_error():
    for set_name in ("1_ubl", "2_cii_facturx_zugferd_xrechnung"):
        folder = corpus_dir(set_name)
        for row in rows(folder):
            if row["file"].endswith(".xml"):
                result = recognize((folder / row["file"]).read_bytes(), row["file"]).to_dict()
                assert "error" in result or result["source"] in ("ubl", "cii"), row["file"]


def test_own_ubl_and_hostile_xml():
    result = recognize(ubl_invoice(number="UBL-9"), "f.xml").to_dict()
    assert (result["source"], result["invoice_number"], result["amount_total"], result["amount_tax"]) == (
        "ubl", "UBL-9", 121.0, 21.0)
    assert result["tax_lines"] == [{"rate": 21.0, "base": 100.0, "amount": 21.0}]
    assert "DOCTYPE" in recognize(XXE, "x.xml").to_dict()["error"]
