"""Batch scans: one file, several invoices, each its own part with its own
pages; a single multi-page invoice is never split."""

import datetime

import pytest
from scan_engine import RecognitionContext, recognize
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import batch, render_pdf
from scan_engine.split import cut_pages, split_pages

TODAY = datetime.date(2026, 11, 24)
CUSTOMER_VAT = "NL854672138B01"


def stack(seeds=(11, 12, 13, 14, 15), long=(12, 14)):
    """Five invoices of different suppliers, two of them two pages long."""
    specs = []
    for seed in seeds:
        spec = make_spec(seed, today=TODAY, lang="nl", credit=False)
        spec.long = seed in long
        spec.customer["vat"] = CUSTOMER_VAT
        specs.append(spec)
    return specs


def context(mode, separator_text=""):
    return RecognitionContext(
        today=TODAY,
        own_identifiers={"vat": [CUSTOMER_VAT]},
        own_names=["Klant Holding B.V."],
        split=mode,
        separator_text=separator_text,
        max_pages=40,
    )


@pytest.mark.parametrize(
    ("mode", "separator"), [("separator", "blank"), ("separator", "SCHEIDINGSBLAD"), ("auto", "blank"), ("auto", None)]
)
def test_a_stack_of_five_invoices_gives_five_parts(mode, separator):
    specs = stack()
    data, pages = batch(specs, separator=separator)
    recognition = recognize(data, "stapel.pdf", context(mode, "scheidingsblad" if separator != "blank" else ""))
    assert [part["pages"] for part in recognition.parts] == pages
    for part, spec in zip(recognition.parts, specs):
        got = part["recognition"].to_dict()
        assert got["invoice_number"] == spec.number
        assert got["supplier_vat"] == spec.supplier["vat"]
        assert got["amount_total"] == spec.expected["amount_total"]
        assert {field["page"] for field in got["fields"].values()} <= set(range(len(part["pages"])))


def test_a_single_long_invoice_is_never_split():
    spec = stack(seeds=(12,), long=(12,))[0]
    for mode in ("separator", "auto"):
        assert recognize(render_pdf(spec), "lang.pdf", context(mode)).parts == []


def test_no_split_unless_asked():
    data, _pages = batch(stack(), separator="blank")
    assert recognize(data, "stapel.pdf", context("none")).parts == []


def test_page_markers_decide():
    from scan_engine.reading.document import Document, document_from_text

    texts = ["Factuur F-1 Pagina 1 van 2", "Vervolg Pagina 2 van 2 Totaal 10,00", "Factuur F-2 Pagina 1 van 1"]
    document = Document(pages=[document_from_text(text).pages[0] for text in texts])
    assert split_pages(document, "auto", page_fields=lambda page: {}) == [[0, 1], [2]]
    assert split_pages(document, "separator") == [[0, 1, 2]]


def test_a_part_is_cut_as_its_own_pdf():
    import pypdfium2

    data, pages = batch(stack(), separator="blank")
    part = cut_pages(data, pages[1])
    assert len(pypdfium2.PdfDocument(part)) == len(pages[1])


def test_files_are_joined_into_one_pdf():
    import pypdfium2
    from scan_engine.samples.render import image_bytes, scan
    from scan_engine.split import join_files

    first, second = render_pdf(stack(seeds=(12,), long=(12,))[0]), render_pdf(stack(seeds=(13,), long=())[0])
    picture = image_bytes(scan(second, 1, rotate=0, noise=False, dpi=100))
    assert len(pypdfium2.PdfDocument(join_files([first, second, picture]))) == 4
