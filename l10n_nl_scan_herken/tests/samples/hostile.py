"""Hostile inputs for the robustness tests, written in a few KB each: what
a careless or malicious sender could mail to the invoice mailbox."""

import io
import random
import struct
import zipfile
import zlib
from email.message import EmailMessage

from PIL import Image

from .ubl import ubl_document

GIB = 1024 * 1024 * 1024


def _bomb_stream(size, chunk=1 << 24):
    """``size`` zero bytes, compressed twice with Flate: a PDF stream with
    the filter chain [/FlateDecode /FlateDecode] that unpacks to ``size``."""
    once = zlib.compressobj(9)
    block = bytes(chunk)
    parts = [once.compress(block) for _i in range(size // chunk)]
    parts.append(once.flush())
    return zlib.compress(b"".join(parts), 9)


def _pdf(objects, root=1):
    """A PDF from numbered object bodies (bytes), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def content_bomb_pdf(size=int(1.5 * GIB)):
    """One page whose content stream unpacks to ``size`` bytes."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(b"/Filter [/FlateDecode /FlateDecode]", _bomb_stream(size)),
        ]
    )


def embedded_bomb_pdf(size=int(1.5 * GIB), name=b"factur-x.xml"):
    """A one-page PDF with an embedded ``factur-x.xml`` that unpacks to
    ``size`` bytes."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(" + name + b") 5 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(b"", b"BT /F1 12 Tf 72 720 Td (Factuur) Tj ET"),
            b"<< /Type /Filespec /F (" + name + b") /UF (" + name + b") /EF << /F 6 0 R >> >>",
            _stream(
                b"/Type /EmbeddedFile /Subtype /text#2Fxml /Filter [/FlateDecode /FlateDecode]", _bomb_stream(size)
            ),
        ]
    )


def giant_page_pdf(inches=100):
    """A page of ``inches`` square with one tiny image stretched over it: a
    reader that renders it at 300 dpi needs gigabytes."""
    points = inches * 72
    pixel = zlib.compress(b"\x80")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>" % (points, points),
            _stream(b"", b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (points, points)),
            _stream(
                b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode",
                pixel,
            ),
        ]
    )


def text_flood_pdf(count=300_000):
    """A page of ``count`` one-letter text operators, compressed twice: a
    few KB that keep a text extractor busy for many seconds, without ever
    looking at a clock."""
    content = b"BT /F1 1 Tf " + b"(a) Tj " * count + b"ET"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>"
            ),
            _stream(b"/Filter [/FlateDecode /FlateDecode]", zlib.compress(zlib.compress(content, 9), 9)),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def javascript_pdf(text=b"Factuurnummer 2026-0042"):
    """A PDF that asks to run JavaScript when opened: read as any PDF."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 6 0 R >> >> >>"
            ),
            _stream(b"", b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"),
            b"<< /S /JavaScript /JS (app.alert('hallo'); while(true){}) >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def encrypted_pdf():
    """A PDF protected with a user password (RC4, revision 2)."""
    from PyPDF2 import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("geheim", "eigenaar")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_named_pdf():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("factuur.pdf", b"%PDF-1.4 not really")
    return out.getvalue()


def png(width, height, noise=False, seed=1):
    """A grayscale PNG; a huge blank one is a few hundred KB, noise is
    ``width * height`` bytes."""
    if noise:
        rng = random.Random(seed)
        image = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    else:
        image = Image.new("L", (width, height), 255)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=9)
    return out.getvalue()


def png_header_only(width, height):
    """A PNG that claims ``width`` x ``height`` pixels in its header but
    holds one row: a decoder that trusts the header allocates it all."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(min(width, 4096))))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg():
    out = io.BytesIO()
    Image.new("L", (800, 600), 200).save(out, "JPEG")
    return out.getvalue()[:700]


def noise_tiff(pages, size=(400, 300), seed=1):
    rng = random.Random(seed)
    frames = [Image.frombytes("L", size, rng.randbytes(size[0] * size[1])) for _i in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def xml_bomb():
    """Billion laughs."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY l0 "ha">{entities}]>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&l9;</Invoice>'
    ).encode()


def ubl_with_lines(count, number="BIG-1"):
    lines = tuple((f"ART-{i}", f"Artikel {i}", 1, "1.00", 21) for i in range(count))
    return ubl_document(number=number, lines=lines)


def ubl_with_amount(text, number="NAN-1"):
    """A UBL invoice whose total states ``text`` (NaN, 1e999, Infinity)."""
    xml = ubl_document(number=number)
    return xml.replace(
        b'<cbc:TaxInclusiveAmount currencyID="EUR">121.00<',
        b'<cbc:TaxInclusiveAmount currencyID="EUR">' + text.encode() + b"<",
    )


def nested_forward_mail(depth, attachment=None):
    """The raw bytes of a mail forwarded ``depth`` times, each forward
    wrapping the previous as a message/rfc822 part; the innermost carries
    ``attachment`` (name, PDF bytes). Written by hand: Python's own mail
    generator gives up on such depths before any reader does."""
    inner = EmailMessage()
    inner["Subject"] = "Factuur"
    inner["From"] = "leverancier@example.com"
    inner.set_content("Zie bijlage.")
    if attachment:
        inner.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    raw = bytes(inner)
    for level in range(depth):
        boundary = f"fwd{level}".encode()
        raw = (
            b"From: boekhouder@example.com\r\nSubject: Fwd: %d\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="%s"\r\n\r\n--%s\r\n'
            b"Content-Type: text/plain\r\n\r\nDoorgestuurd.\r\n--%s\r\n"
            b"Content-Type: message/rfc822\r\n\r\n"
            % (level, boundary, boundary, boundary)
            + raw
            + b"\r\n--%s--\r\n" % boundary
        )
    return raw
