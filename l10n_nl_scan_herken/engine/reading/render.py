"""A page of a document as a picture for the review screen, drawn in the
frame the reader's word positions use (the same upright turn, the same
cut-out), so boxes drawn over it land on the words."""

import io
import math

from PIL import Image, ImageOps, ImageSequence

from ..errors import DocumentError
from .files import IMAGE_MIMETYPES, MIME_PDF, sniff_mimetype

# Wide enough for a sharp A4 page beside the bill on a 4K screen, small
# enough to arrive at once: about 130 dpi for A4.
PAGE_WIDTH = 1100


def render_page(data, number, turn=0, crop=None, skew=None, width=PAGE_WIDTH):
    """(mimetype, bytes) of page ``number`` scaled to ``width`` pixels:
    PNG for PDF pages (sharp text, compresses well), JPEG for scans and
    photos (a tenth of the size)."""
    mimetype = sniff_mimetype(data)
    if mimetype == MIME_PDF:
        image, kind = _pdf_page(data, number, width), "PNG"
    elif mimetype in IMAGE_MIMETYPES:
        image, kind = _image_page(data, number), "JPEG"
    else:
        raise DocumentError("not_pdf_or_image")
    if crop:
        left, top, right, bottom = crop
        image = image.crop(
            (
                round(left * image.width),
                round(top * image.height),
                round(right * image.width),
                round(bottom * image.height),
            )
        )
    if turn:
        image = image.rotate(-turn, expand=True, fillcolor="white")
    if skew:  # level the picture as the reader levelled the words
        angle, x, y = skew
        image = image.rotate(
            math.degrees(angle), center=(x * image.width, y * image.height), resample=Image.BICUBIC, fillcolor="white"
        )
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))), Image.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=80)
        return "image/jpeg", out.getvalue()
    image.save(out, "PNG", optimize=False)
    return "image/png", out.getvalue()


def _pdf_page(data, number, width):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        if not 0 <= number < len(pdf):
            raise DocumentError("no_page", page=number + 1)
        page = pdf[number]
        scale = min(width / max(page.get_width(), 1.0), 300 / 72.0)
        return page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def _image_page(data, number):
    from .ocr import grayscale  # pylint: disable=import-outside-toplevel
    from .read import _check_pixels  # pylint: disable=import-outside-toplevel

    image = Image.open(io.BytesIO(data))
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        if index == number:
            _check_pixels(frame)
            if frame.mode == "RGB":  # a photo keeps its colours
                return ImageOps.exif_transpose(frame)
            return grayscale(frame.copy())
    raise DocumentError("no_page", page=number + 1)
