"""Bad input gives one clear sentence per file and never hangs."""

import io

import pytest
from scan_engine import recognize
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import render_pdf
from scan_samples import hostile


def blank_pdf():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(100, 700, "Hartelijk dank voor uw bezoek aan onze website.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize(
    "maker, message",
    [
        (lambda: b"", "The file is empty."),
        (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated", "The PDF is damaged and cannot be read."),
        (lambda: render_pdf(make_spec(4))[:400], "The PDF is damaged and cannot be read."),
        (hostile.encrypted_pdf, "The PDF is protected with a password."),
        (lambda: b"Gewoon een tekstbestand", "This is not a PDF or an image (PNG, JPEG, TIFF)."),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, None),
        (blank_pdf, "No invoice data found in this document: no invoice date or amount could be recognised."),
    ],
)
def test_bad_files(context, maker, message):
    result = recognize(maker(), "bad", context).to_dict()
    assert set(result) == {"file", "error"}
    if message:
        assert result["error"] == message
    else:
        assert result["error"].startswith("The image cannot be read")
