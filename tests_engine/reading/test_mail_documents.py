"""Which mail attachments are invoices, and which belong together."""

from scan_engine.reading.mail import classify, group_documents
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import render_pdf
from scan_samples.ubl import ubl_invoice


def pdf_with_number(seed, number):
    spec = make_spec(seed, credit=False)
    spec.number = number
    return render_pdf(spec)


def test_pairs_by_stem_then_by_invoice_number():
    files = classify(
        [
            ("scan_001.pdf", pdf_with_number(1, "A-100"), {}),
            ("scan_002.pdf", pdf_with_number(2, "B-200"), {}),
            ("efactuur-x.xml", ubl_invoice(number="B-200"), {}),
            ("efactuur-y.xml", ubl_invoice(number="A-100"), {}),
            ("los.pdf", pdf_with_number(3, "C-300"), {}),
            ("los.xml", ubl_invoice(number="C-300"), {}),
        ]
    )
    groups = group_documents(files.documents)
    names = sorted(sorted(f.name for f in group) for group in groups)
    assert names == [["efactuur-x.xml", "scan_002.pdf"], ["efactuur-y.xml", "scan_001.pdf"], ["los.pdf", "los.xml"]]


def test_unmatched_xml_is_its_own_bill_and_setting_off_is_one_bill():
    files = classify([("a.pdf", pdf_with_number(4, "D-1"), {}), ("b.xml", ubl_invoice(number="Z-9"), {})])
    assert sorted(len(g) for g in group_documents(files.documents)) == [2]  # one PDF and one XML: one bill
    files = classify(
        [
            ("a.pdf", pdf_with_number(4, "D-1"), {}),
            ("b.pdf", pdf_with_number(5, "D-2"), {}),
            ("c.xml", ubl_invoice(number="Z-9"), {}),
        ]
    )
    assert sorted(len(g) for g in group_documents(files.documents)) == [1, 1, 1]
    assert [len(g) for g in group_documents(files.documents, one_bill_per_file=False)] == [3]


def test_signatures_and_other_files():
    files = classify(
        [("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, {"cid": "logo"}), ("voorwaarden.docx", b"PK\x03\x04", {})],
        body_html='<img src="cid:logo">',
    )
    assert [f.name for f in files.signatures] == ["logo.png"]
    assert [f.name for f in files.others] == ["voorwaarden.docx"]
    assert files.documents == []
