"""Drawing a generated invoice as a PDF (reportlab) and as a scan (Pillow)."""

import io
import random

from PIL import Image, ImageFilter

from .fixtures import _group, _money, format_date, totals


def render_pdf(spec):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    labels = {**__import__(f"{__package__}.fixtures", fromlist=["LABELS"]).LABELS[spec.lang], **spec.labels}
    layout_seed = spec.seed if spec.layout_seed is None else spec.layout_seed
    rng = random.Random(layout_seed * 7 + 1)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    sign = "€" if rng.random() < 0.6 else ""
    money = lambda v: _money(-v if spec.credit else v, spec.lang, sign)  # noqa: E731
    s = spec.supplier
    # letterhead
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(40, height - 60, s["name"])
    pdf.setFont("Helvetica", 9)
    pdf.drawString(40, height - 76, f"{s['street']}, {s['city']}")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawRightString(width - 40, height - 60, labels["credit"] if spec.credit else labels["title"])
    # customer block with distractors
    pdf.setFont("Helvetica", 10)
    y = height - 130
    for text in (
        labels["customer"] + ":",
        spec.customer["name"],
        spec.customer["street"],
        spec.customer["city"],
        f"{labels['customer_vat']}: {spec.customer['vat']}",
    ):
        pdf.drawString(40, y, text)
        y -= 14
    # header fields
    # an invoice may print no due date, order or packing slip at all
    fields = (
        ("number", spec.number),
        ("date", format_date(spec, spec.date)),
        ("due", spec.due and format_date(spec, spec.due)),
        ("po", spec.po),
        ("slip", spec.slip),
    )
    head = [(labels[key], value) for key, value in fields if value]
    if spec.layout == "table":
        y = height - 230
        xs = [40 + i * 105 for i in range(len(head))]
        pdf.setFont("Helvetica-Bold", 9)
        for x, (label, _v) in zip(xs, head):
            pdf.drawString(x, y, label)
        pdf.setFont("Helvetica", 9)
        for x, (_l, value) in zip(xs, head):
            pdf.drawString(x, y - 13, value)
        y -= 50
    else:
        y = height - 130
        x_label = 330 if spec.layout == "columns" else 40
        if spec.layout == "labels":
            y = height - 220
        for label, value in head:
            pdf.drawString(x_label, y, f"{label}:")
            pdf.drawString(x_label + 110, y, value)
            y -= 14
        y = min(y, height - 230) - 20
    # lines
    pdf.setFont("Helvetica-Bold", 9)
    for x, text in (
        (40, labels["desc"]),
        (300, labels["qty"]),
        (360, labels["price"]),
        (440, "%"),
        (555, labels["amount"]),
    ):
        (pdf.drawRightString if x == 555 else pdf.drawString)(x, y, text)
    pdf.setFont("Helvetica", 9)
    y -= 16
    for desc, qty, price, rate in spec.lines:
        pdf.drawString(40, y, desc)
        pdf.drawString(300, y, str(qty))
        pdf.drawString(360, y, money(price))
        pdf.drawString(440, y, f"{rate}%")
        pdf.drawRightString(555, y, money(qty * price))
        y -= 14
    if spec.long:
        _footer(pdf, spec, labels, width)
        pdf.showPage()
        pdf.setFont("Helvetica", 9)
        y = height - 80
    bases, taxes, untaxed, _tax, total = totals(spec)
    y -= 20
    rows = [(labels["untaxed"], money(untaxed))]
    for rate in sorted(bases, reverse=True):
        rows.append((labels["tax"].format(rate=rate) + f" over {money(bases[rate])}", money(taxes[rate])))
    rows.append((labels["total"], money(total)))
    for label, value in rows:
        pdf.setFont("Helvetica-Bold" if label == labels["total"] else "Helvetica", 9)
        pdf.drawString(300, y, label)
        pdf.drawRightString(555, y, value)
        y -= 14
    y -= 20
    pdf.setFont("Helvetica", 9)
    if spec.reference:
        pdf.drawString(40, y, f"{labels['ref']}: {spec.reference}")
        y -= 14
    if rng.random() < 0.4:
        pdf.drawString(40, y, f"{labels['customer_iban']} {_group(spec.customer['iban'], True)}.")
    _footer(pdf, spec, labels, width)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _footer(pdf, spec, labels, width):
    s = spec.supplier
    rng = random.Random(spec.seed if spec.layout_seed is None else spec.layout_seed)
    parts = [s["name"], f"{labels['iban']} {_group(s['iban'], rng.random() < 0.7)}"]
    if s["kvk"]:
        parts.append(f"{labels['kvk']} {s['kvk']}")
    vat = s["vat"] if rng.random() < 0.7 else f"{s['vat'][:2]} {s['vat'][2:]}"
    parts.append(f"{labels['vat']} {vat}")
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(width / 2, 40, "  |  ".join(parts))
    pdf.drawCentredString(width / 2, 28, f"{labels['pay']} {_group(s['iban'], True)}")


def rasterize(pdf_bytes, dpi=300, page=0):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def scan_pages(pdf_bytes, seed, **options):
    """Every page of the PDF degraded as ``scan`` does, for multi-page TIFFs and PDFs."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    count = len(document)
    document.close()
    return [scan(pdf_bytes, seed + page, page=page, **options) for page in range(count)]


def scan(pdf_bytes, seed, rotate=None, skew=None, noise=None, blur=None, dpi=300, page=0):
    """A degraded image of one page: how a scanner or a phone would deliver it."""
    rng = random.Random(seed)
    image = rasterize(pdf_bytes, dpi, page)
    skew = rng.uniform(-2.0, 2.0) if skew is None else skew
    if skew:
        image = image.rotate(skew, expand=True, fillcolor=255, resample=Image.BICUBIC)
    if blur if blur is not None else rng.random() < 0.5:
        image = image.filter(ImageFilter.GaussianBlur(0.8))
    if noise if noise is not None else rng.random() < 0.5:
        # Seeded speckle (Image.effect_noise uses an unseeded generator).
        speckle = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
        noisy = speckle.point(lambda v: 255 if v > 12 else 0)
        image = Image.composite(image, Image.new("L", image.size, 140), noisy)
    rotate = rng.choice([0, 0, 0, 90, 180, 270]) if rotate is None else rotate
    if rotate:
        image = image.rotate(rotate, expand=True)
    return image


def image_bytes(image, fmt="PNG", quality=45):
    """PNG, JPEG, TIFF or an image-only PDF; a list of images gives a
    multi-page TIFF or PDF."""
    buffer = io.BytesIO()
    if isinstance(image, list):
        image[0].save(buffer, format=fmt, save_all=True, append_images=image[1:], resolution=300)
    elif fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=quality)
    else:
        image.save(buffer, format=fmt, resolution=300)
    return buffer.getvalue()


def batch(specs, separator=None, scanned=False, seed=0):
    """One file holding several invoices, as a stack of paper is scanned in
    one go: the invoices of ``specs`` one after the other, with a blank page
    (``separator="blank"``) or a page carrying ``separator`` as text between
    them, as an image-only PDF when ``scanned`` (a sheet feeder: upright,
    slightly skewed). (bytes, [[page numbers of each invoice], ...])."""
    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if separator != "blank":
        pdf.setFont("Helvetica-Bold", 28)
        pdf.drawCentredString(A4[0] / 2, A4[1] / 2, separator or "")
    pdf.showPage()
    pdf.save()
    parts = [pypdfium2.PdfDocument(render_pdf(spec)) for spec in specs]
    sheet = pypdfium2.PdfDocument(buffer.getvalue())
    stack, pages = pypdfium2.PdfDocument.new(), []
    for index, part in enumerate(parts):
        if index and separator:
            stack.import_pages(sheet)
        pages.append(list(range(len(stack), len(stack) + len(part))))
        stack.import_pages(part)
    output = io.BytesIO()
    stack.save(output)
    data = output.getvalue()
    if scanned:
        rng = random.Random(seed)
        data = image_bytes(
            [
                scan(data, seed + page, page=page, rotate=0, noise=False, skew=rng.uniform(-1, 1))
                for page in range(len(stack))
            ],
            fmt="PDF",
        )
    return data, pages
