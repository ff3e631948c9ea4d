"""E-invoices in the shared corpus (UBL, CII, Factur-X PDFs): the engine's
header reading agrees with the corpus' extracted values."""

import csv
import json
import re

from engine_loader import corpus_dir
from scan_engine import recognize
from scan_samples.ubl import XXE, cii_document, ubl_document, ubl_invoice

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
            ok = (
                got.get("invoice_number") == number
                and got.get("invoice_date") == date
                and got.get("currency") == currency
                and (total is None or abs(abs(got.get("amount_total") or 0) - abs(total)) < 0.005)
            )
            right += ok
            if not ok:
                misses.append(
                    (
                        row["file"],
                        got.get("error")
                        or (got.get("invoice_number"), got.get("invoice_date"), got.get("amount_total")),
                        (number, date, total),
                    )
                )
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
        "ubl",
        "UBL-9",
        121.0,
        21.0,
    )
    assert result["tax_lines"] == [{"rate": 21.0, "base": 100.0, "amount": 21.0}]
    assert "DOCTYPE" in recognize(XXE, "x.xml").to_dict()["error"]


def _reading(data):
    return recognize(data, "f.xml").to_dict()


def _credit_note(data):
    """The same UBL document as a real credit note (root CreditNote, type 381)."""
    text = data.decode()
    for old, new in (
        ("<Invoice ", "<CreditNote "),
        ("</Invoice>", "</CreditNote>"),
        ("Invoice-2", "CreditNote-2"),
        ("InvoiceTypeCode>380<", "CreditNoteTypeCode>381<"),
        ("InvoiceTypeCode", "CreditNoteTypeCode"),
        ("InvoiceLine>", "CreditNoteLine>"),
        ("InvoicedQuantity", "CreditedQuantity"),
    ):
        text = text.replace(old, new)
    return text.encode()


HEADER = ("document_type", "amount_untaxed", "amount_tax", "amount_total", "tax_lines")


def test_negative_invoice_is_a_credit_note_signed_as_one():
    credit = _reading(_credit_note(ubl_document(lines=[("A", "Retour", 1, "100.00", 21)])))
    assert [credit[key] for key in HEADER] == [
        "credit_note",
        -100.0,
        -21.0,
        -121.0,
        [{"rate": 21.0, "base": -100.0, "amount": -21.0}],
    ]
    negative = ubl_document(lines=[("A", "Retour", 1, "-100.00", 21)])
    for data in (negative, negative.replace(b"InvoiceTypeCode>380<", b"InvoiceTypeCode>384<")):
        assert [_reading(data)[key] for key in HEADER] == [credit[key] for key in HEADER]
    for code in ("380", "384"):
        result = _reading(cii_document(type_code=code, lines=[("A", "Retoure", 1, "-100.00", 19)]))
        assert [result[key] for key in HEADER] == [
            "credit_note",
            -100.0,
            -19.0,
            -119.0,
            [{"rate": 19.0, "base": -100.0, "amount": -19.0}],
        ], code


def test_negative_invoice_keeps_the_sign_of_each_vat_rate():
    """A line charged at one rate inside a negative invoice stays a charge."""
    result = _reading(ubl_document(lines=[("A", "Vracht", 1, "50.00", 21), ("B", "Retour", 1, "-150.00", 9)]))
    assert [result[key] for key in HEADER] == [
        "credit_note",
        -100.0,
        -3.0,
        -103.0,
        [{"rate": 21.0, "base": 50.0, "amount": 10.5}, {"rate": 9.0, "base": -150.0, "amount": -13.5}],
    ]


def test_only_a_negative_amount_to_pay_keeps_an_invoice():
    data = ubl_document().replace(
        b'<cbc:PayableAmount currencyID="EUR">121.00<',
        b'<cbc:PrepaidAmount currencyID="EUR">200.00</cbc:PrepaidAmount><cbc:PayableAmount currencyID="EUR">-79.00<',
    )
    assert [_reading(data)[key] for key in HEADER[:4]] == ["invoice", 100.0, 21.0, 121.0]


def test_cii_vat_from_the_breakdown_without_a_vat_total():
    def without_total(data):
        return re.sub(rb"<ram:TaxTotalAmount[^>]*>[^<]*</ram:TaxTotalAmount>", b"", data)

    zero = _reading(without_total(cii_document(lines=[("A", "Export", 1, "100.00", 0)])))
    assert (zero["amount_untaxed"], zero["amount_tax"], zero["amount_total"]) == (100.0, 0.0, 100.0)
    two = _reading(without_total(cii_document(lines=[("A", "Buch", 1, "100.00", 7), ("B", "Stift", 1, "10.00", 19)])))
    assert two["amount_tax"] == 8.9


def test_seller_vat_is_the_vat_registration_never_the_tax_number():
    tax_number = (
        b'<ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>'
    )
    cii = cii_document().replace(b"<ram:SpecifiedTaxRegistration>", tax_number + b"<ram:SpecifiedTaxRegistration>", 1)
    assert _reading(cii)["supplier_vat"] == "DE123456789"
    assert _reading(cii.replace(b'schemeID="VA"', b'schemeID="FC"'))["supplier_vat"] is None

    def scheme(data, scheme_node):
        fc = (
            b"<cac:PartyTaxScheme><cbc:CompanyID>201/113/40209</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID>"
            b"</cac:TaxScheme></cac:PartyTaxScheme>"
        )
        data = data.replace(b"<cac:PartyTaxScheme>", fc + b"<cac:PartyTaxScheme>", 1)
        return data.replace(
            b"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
            scheme_node + b"</cac:PartyTaxScheme>",
            1,
        )

    ubl = ubl_document(vat="DE123456789")
    assert (
        _reading(scheme(ubl, b"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"))["supplier_vat"] == "DE123456789"
    )
    assert _reading(scheme(ubl, b"<cac:TaxScheme/>"))["supplier_vat"] == "DE123456789"
    assert _reading(scheme(ubl, b"<cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme>"))["supplier_vat"] is None


def test_german_corpus_samples_give_the_vat_number_not_the_steuernummer():
    folder = corpus_dir("1_ubl") / "zugferd_corpus_ubl"
    for name, vat in (
        ("EN16931_Einfach.ubl.xml", "DE123456789"),
        ("XRECHNUNG_Einfach.ubl.xml", "DE123456789"),
        ("not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml", "DE12345677"),
    ):
        assert recognize((folder / name).read_bytes(), name).to_dict().get("supplier_vat") == vat, name
