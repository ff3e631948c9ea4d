"""Reading: mixed PDFs, page limits, multi-page images."""

import io
from decimal import Decimal

import pytest
from scan_engine import recognize
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import image_bytes, rasterize, render_pdf


def mixed_pdf(spec):
    """A scanned first page (an image without its footer) with the footer
    typed as text on top, as scanning software that stamps pages makes it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = rasterize(render_pdf(spec), 200)
    width, height = image.size
    image = image.crop((0, 0, width, int(height * 0.9)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    page_w, page_h = A4
    pdf.drawImage(ImageReader(image), 0, page_h * 0.1, page_w, page_h * 0.9)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(40, 40, f"{spec.supplier['name']} | IBAN {spec.supplier['iban']} | Btw-nr {spec.supplier['vat']}")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_mixed_pdf_reads_scan_and_text_footer(context):
    spec = make_spec(61, lang="nl", credit=False)
    spec.long = False
    result = recognize(mixed_pdf(spec), "mixed.pdf", context).to_dict()
    assert result["source"] == "ocr"
    assert result["supplier_iban"] == spec.supplier["iban"]  # from the text footer
    assert result["invoice_number"] == spec.expected["invoice_number"]  # from the scan
    assert result["amount_total"] == spec.expected["amount_total"]


def test_only_ten_pages_are_read(context):
    from PyPDF2 import PdfReader, PdfWriter

    spec = make_spec(62, credit=False)
    page = PdfReader(io.BytesIO(render_pdf(spec))).pages[0]
    writer = PdfWriter()
    for _i in range(12):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    result = recognize(out.getvalue(), "long.pdf", context)
    assert result.text.count("\f") == 9
    assert result.to_dict()["warnings"] == ["Only the first 10 of 12 pages were read."]


def test_multi_page_tiff_pages_in_order(context):
    spec = make_spec(63, credit=False)
    images = [rasterize(render_pdf(spec), 300)] * 2
    result = recognize(image_bytes(images, "TIFF"), "two.tiff", context)
    assert result.source == "ocr"
    assert result.text.count("\f") == 1
    assert result.value("invoice_number") == spec.expected["invoice_number"]


def receipt_on_board(background=70):
    """A till receipt (a narrow text PDF rasterized at 300 dpi) laid at the
    right edge of a dark A4 board, as a flatbed scan of a receipt is made."""
    from PIL import Image
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(80 * mm, 150 * mm))
    pdf.setFont("Courier", 10)
    rows = [
        "DROGERIEMARKT PADERBORN",
        "USt-IdNr. DE136695976",
        "20.11.2026 14:17",
        "",
        "SEIFE              1,85 A",
        "ZAHNBUERSTE        3,40 A",
        "",
        "SUMME EUR          5,25",
        "MwSt A 19%  Netto 4,41  MwSt 0,84",
        "",
        "Bon Nr.: 3226  Kasse 2",
        "VIELEN DANK",
    ]
    for index, row in enumerate(rows):
        pdf.drawString(5 * mm, 140 * mm - index * 12, row)
    pdf.showPage()
    pdf.save()
    receipt = rasterize(out.getvalue(), 300).convert("L")
    board = Image.new("L", (2480, 3508), background)
    left = 2480 - receipt.width - 40
    board.paste(receipt, (left, 200))
    return board, (left, 200, left + receipt.width, 200 + receipt.height)


def test_receipt_on_a_dark_board_is_cut_out_and_read(context):
    from scan_engine.reading.images import paper_box

    board, where = receipt_on_board()
    box = paper_box(board)
    assert box is not None
    assert all(abs(a - b) < 60 for a, b in zip(box, where))  # a margin of a few pixels is kept
    result = recognize(image_bytes(board.convert("RGB"), "JPEG", 90), "bon.jpg", context)
    assert result.value("amount_total") == Decimal("5.25")
    assert result.value("invoice_date") == "2026-11-20"
    assert result.value("invoice_number") == "3226"
    # Positions stay those of the whole scan: the total lies on the receipt, at the board's right edge.
    x0, _top, x1, _bottom = result.fields["invoice_date"].bbox
    page_width = result.document.pages[0].width
    assert where[0] / 2480 - 0.02 < x0 / page_width < x1 / page_width <= 1


def test_a_full_page_scan_is_not_cut():
    from scan_engine.reading.images import paper_box

    board, _where = receipt_on_board(background=250)
    assert paper_box(board) is None


def scan_with_text_layer(spec, garbage):
    """A scanned invoice page whose invisible text layer is ``garbage``, as
    a Type3 font without a usable encoding leaves it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    page_w, page_h = A4
    pdf.drawImage(ImageReader(rasterize(render_pdf(spec), 200)), 0, 0, page_w, page_h)
    text = pdf.beginText()
    text.setTextRenderMode(3)  # invisible, as an OCR layer or a glyph-only font
    text.setFont("Helvetica", 10)
    for row in range(40):
        text.setTextOrigin(40, page_h - 60 - row * 18)
        text.textOut(garbage[row % len(garbage)])
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize(
    "garbage",
    [
        ["¤¦§¨ ©«¬®¯ °±´¶·¸ »¼½¾×÷ ¤§¨©"],  # symbols for letters
        ["Jwdrkq Pxstmn Bcdfgh Klmnpq Rstvwx Zbcdfg"],  # letters that make no words
    ],
)
def test_garbled_text_layer_is_read_with_ocr(context, garbage):
    spec = make_spec(64, lang="nl", credit=False)
    spec.long = False
    result = recognize(scan_with_text_layer(spec, garbage), "garbled.pdf", context)
    assert result.source == "ocr"
    assert result.value("invoice_number") == spec.expected["invoice_number"]
    assert result.to_dict()["amount_total"] == spec.expected["amount_total"]


def test_a_real_text_layer_is_not_garbled():
    from scan_engine.reading.document import document_from_text
    from scan_engine.reading.read import garbled

    text = "Factuur 2026-0042\nGmbH HRB 12345 BTW NL000099998B57\nTotaal te betalen € 121,00\nStraße Köln"
    assert not garbled(document_from_text(text).lines[0].words + document_from_text(text).lines[2].words)
    assert garbled(document_from_text("(cid:12)(cid:4)(cid:33) (cid:7)").lines[0].words)


@pytest.fixture
def tesseract_runs(monkeypatch):
    """The arguments of every Tesseract run: the real Tesseract, counted."""
    from scan_engine.reading import ocr

    runs = []
    real_run = ocr._run_tesseract

    def counted(*args, **kwargs):
        runs.append(args[1])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(ocr, "_run_tesseract", counted)
    return runs


def test_speckled_scan_is_cleaned_before_its_one_reading(context, tesseract_runs):
    """A scan strewn with dots threw Tesseract's layout off; it was read a
    second time after a median filter. Now the dots are found first (a
    hundredth of an OCR run) and the page is read once."""
    from scan_engine.reading import ocr
    from scan_engine.reading.images import speckled
    from scan_engine.samples.render import scan

    spec = make_spec(9103, credit=False)
    image = scan(render_pdf(spec), 9103, rotate=0)
    assert speckled(ocr.prepare_image(image))
    result = recognize(image_bytes(image), "speckled.png", context)
    assert len(tesseract_runs) == 1
    assert result.value("invoice_number") == spec.expected["invoice_number"]
    assert result.to_dict()["amount_total"] == spec.expected["amount_total"]


def test_clean_scan_is_not_speckled():
    from scan_engine.reading import ocr
    from scan_engine.reading.images import speckled

    assert not speckled(ocr.prepare_image(rasterize(render_pdf(make_spec(8000, credit=False)), 300)))


def test_phone_photo_turned_by_its_exif_tag_is_read_upright_at_once(context, tesseract_runs):
    """A phone stores a portrait photo sideways with an EXIF orientation
    tag; it is turned upright before the first reading, not found sideways
    by a failed reading and a retry."""
    from PIL import Image

    spec = make_spec(65, lang="nl", credit=False)
    spec.long = False
    upright = rasterize(render_pdf(spec), 200).convert("RGB")
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # as the sensor saw it
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view"
    out = io.BytesIO()
    sideways.save(out, format="JPEG", quality=90, exif=exif)
    result = recognize(out.getvalue(), "IMG_0001.jpg", context)
    assert len(tesseract_runs) == 1
    assert result.value("invoice_number") == spec.expected["invoice_number"]
    assert result.to_dict()["amount_total"] == spec.expected["amount_total"]
