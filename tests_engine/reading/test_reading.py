"""Reading: mixed PDFs, page limits, multi-page images."""

import io

from scan_engine import recognize
from scan_engine.testing.fixtures import make_spec
from scan_engine.testing.render import image_bytes, rasterize, render_pdf


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
