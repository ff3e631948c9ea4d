"""The review screen's engine side: pages drawn in the frame of the word
positions, and the value under a click read as the field's kind."""

import io

import pytest
from PIL import Image
from scan_engine import recognize, sandbox
from scan_engine.review import value_at
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import image_bytes, render_pdf, scan


def _find(document, predicate):
    """(page index, line index, word index, word) of the first word that
    satisfies ``predicate``."""
    for p, page in enumerate(document.pages):
        for li, line in enumerate(page.lines):
            for w, word in enumerate(line.words):
                if predicate(word.text):
                    return p, li, w, word
    raise AssertionError("word not found")


def _ink(picture, page, bbox):
    """Mean grey of the picture under a box given in the page's frame."""
    scale = picture.width / page.width
    box = [round(v * scale) for v in bbox]
    return sum(picture.convert("L").crop(box).getdata()) / max((box[2] - box[0]) * (box[3] - box[1]), 1)


@pytest.fixture(scope="module")
def invoice():
    spec = make_spec(71, lang="nl", credit=False)
    spec.long = False
    pdf = render_pdf(spec)
    return spec, pdf


def test_click_gives_dates_amounts_and_text_parsed(invoice, context):
    spec, pdf = invoice
    recognition = recognize(pdf, "f.pdf", context)
    document = recognition.document
    number = spec.expected["invoice_number"]
    p, li, w, _word = _find(document, lambda text: text == number)
    assert value_at(document, p, li, w, "text")["value"] == number

    date = recognition.fields["invoice_date"]
    page = document.pages[date.page]
    li, line = next(
        (i, line)
        for i, line in enumerate(page.lines)
        if any(
            w.x0 >= date.bbox[0] - 1
            and w.x1 <= date.bbox[2] + 1
            and w.top >= date.bbox[1] - 1
            and w.bottom <= date.bbox[3] + 1
            for w in line.words
        )
    )
    inside = [i for i, w in enumerate(line.words) if w.x0 >= date.bbox[0] - 1 and w.x1 <= date.bbox[2] + 1]
    for w in inside:  # a date's every word, whichever part is clicked
        assert value_at(document, date.page, li, w, "date")["value"] == spec.expected["invoice_date"]

    total = spec.expected["amount_total"]
    p, li, w, _word = _find(document, lambda text: text.replace(".", "").replace(",", ".") == f"{total:.2f}")
    picked = value_at(document, p, li, w, "amount")
    assert picked["value"] == pytest.approx(total)
    word = document.pages[p].lines[li].words[w]
    assert picked["text"].endswith(word.text)  # with its currency sign, when printed apart
    assert picked["bbox"][1:] == [round(word.top, 1), round(word.x1, 1), round(word.bottom, 1)]
    # A word that holds no amount gives nothing, not a guess.
    p, li, w, _word = _find(document, lambda text: text.lower().startswith("factuur"))
    assert value_at(document, p, li, w, "amount") is None
    assert value_at(document, 9, 0, 0, "text") is None


def test_page_drawn_in_the_frame_of_the_words(invoice, context):
    spec, pdf = invoice
    document = recognize(pdf, "f.pdf", context).document
    mimetype, data = sandbox.render_page(pdf, 0)
    picture = Image.open(io.BytesIO(data))
    page = document.pages[0]
    assert mimetype == "image/png"
    assert picture.width == 1100
    assert picture.height == pytest.approx(1100 * page.height / page.width, abs=2)
    *_where, word = _find(document, lambda text: text == spec.expected["invoice_number"])
    assert _ink(picture, page, [word.x0, word.top, word.x1, word.bottom]) < 235  # the words are under the box
    assert _ink(picture, page, [word.x0, page.height - 5, word.x1, page.height - 1]) > 250


def test_sideways_scan_drawn_upright_as_read(invoice, context):
    spec, pdf = invoice
    sideways = image_bytes(scan(pdf, 3, rotate=90, skew=0, noise=False, blur=False), "PNG")
    document = recognize(sideways, "s.png", context).document
    page = document.pages[0]
    assert page.turn in (90, 270) and page.height > page.width
    mimetype, data = sandbox.render_page(sideways, 0, page.turn, page.crop)
    picture = Image.open(io.BytesIO(data))
    assert mimetype == "image/jpeg"
    assert picture.height > picture.width
    *_where, word = _find(document, lambda text: text == spec.expected["invoice_number"])
    assert _ink(picture, page, [word.x0, word.top, word.x1, word.bottom]) < 235


def test_a_file_that_is_no_document_is_not_drawn():
    assert sandbox.render_page(b"just text", 0) is None
    assert sandbox.render_page(render_pdf(make_spec(72)), 5) is None


def test_supplier_name_box_holds_the_name_only(context):
    spec = make_spec(73, lang="nl", credit=False)
    spec.long = False
    recognition = recognize(render_pdf(spec), "f.pdf", context)
    name = recognition.fields["supplier_name"]
    line = next(line for line in recognition.document.pages[0].lines if line.text.startswith(name.value))
    title = line.words[-1]  # "FACTUUR", printed at the right of the letterhead
    assert title.text == "FACTUUR"
    assert name.bbox[2] < title.x0


@pytest.mark.parametrize("skew", [2.0, -1.5])
def test_skewed_scan_drawn_level_as_its_words(invoice, context, skew):
    spec, pdf = invoice
    skewed = image_bytes(scan(pdf, 4, rotate=0, skew=skew, noise=False, blur=False), "PNG")
    document = recognize(skewed, "s.png", context).document
    page = document.pages[0]
    assert page.skew and abs(page.skew[0]) > 0.01
    _mimetype, data = sandbox.render_page(skewed, 0, page.turn, page.crop, page.skew)
    picture = Image.open(io.BytesIO(data))
    for text in (spec.expected["invoice_number"], "Omschrijving", "FACTUUR"):  # middle, left, right
        *_where, word = _find(document, lambda found, text=text: found.endswith(text))
        assert _ink(picture, page, [word.x0, word.top, word.x1, word.bottom]) < 230, text
