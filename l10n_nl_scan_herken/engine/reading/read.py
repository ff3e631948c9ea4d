"""Bytes to a Document: the text layer of PDFs through pdfplumber, OCR for
pages without one and for images. At most ``max_pages`` pages are read."""

import io
import logging
import math
import re

from PIL import Image, ImageSequence, UnidentifiedImageError

from ..errors import DocumentError
from .document import Document, Page, Word, group_lines
from .files import IMAGE_MIMETYPES, MAX_FILE_SIZE, MIME_PDF, sniff_mimetype
from .ocr import OCR_DPI, OCR_MAX_PIXELS, ocr_page

_logger = logging.getLogger(__name__)

# A page whose text layer has fewer characters than this, but an image, is a scan.
MIN_TEXT_CHARS = 40
# ... and one that is mostly an image with less text than this is a scan with a typed footer.
MAX_FOOTER_CHARS = 400
# A 300 dpi A3 page fits, and so does a 50-megapixel phone photo. Larger
# images are refused by their header, before any pixel is decoded (Pillow's
# own guard, global to the process, is left as the host has it).
MAX_IMAGE_PIXELS = 60_000_000


def read_document(data, context):
    if not data:
        raise DocumentError("file_empty")
    if len(data) > MAX_FILE_SIZE:
        raise DocumentError("file_too_large")
    mimetype = sniff_mimetype(data)
    if mimetype == MIME_PDF:
        return read_pdf(data, context)
    if mimetype in IMAGE_MIMETYPES:
        return read_image(data, context)
    if mimetype == "application/zip":
        raise DocumentError("zip_archive")
    raise DocumentError("not_pdf_or_image")


def read_image(data, context):
    document = Document()
    try:
        image = Image.open(io.BytesIO(data))
        count = getattr(image, "n_frames", 1)
        for number, frame in zip(range(context.max_pages), ImageSequence.Iterator(image)):
            _check_pixels(frame)
            if not _time_for_page(document, number, count, context):
                break
            # A one-frame PNG or JPEG goes to Tesseract as it came when nothing needs changing.
            source = data if count == 1 and image.format in ("PNG", "JPEG") else None
            document.pages.append(
                ocr_page(frame if count == 1 else frame.copy(), number, context.time_left, source=source)
            )
    except Image.DecompressionBombError as exc:
        raise DocumentError("image_too_large", megapixels=MAX_IMAGE_PIXELS // 1_000_000) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if document.pages:  # a damaged later frame: the pages read stand
            document.notes.append(("image_page_unreadable", {"page": len(document.pages) + 1}))
            return document
        raise DocumentError("image_unreadable", detail=str(exc)) from exc
    if count > context.max_pages:
        document.notes.append(("pages_limited", {"read": context.max_pages, "count": count}))
    return document


# A till receipt is long and narrow, but not this much: Tesseract refuses
# such strips anyway, with a message nobody understands.
MAX_ASPECT = 25


def _check_pixels(image):
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise DocumentError(
            "image_too_large_size", size=f"{width} x {height}", megapixels=MAX_IMAGE_PIXELS // 1_000_000
        )
    if max(width, height) > MAX_ASPECT * max(min(width, height), 1):
        raise DocumentError("image_too_narrow", size=f"{width} x {height}")


def _time_for_page(document, number, count, context):
    """Whether the document's budget leaves time for another page; when it
    runs out after some pages, those stand and a note says what was left."""
    try:
        context.time_left()
    except DocumentError:
        if not document.pages:
            raise
        document.notes.append(
            ("pages_budget", {"seconds": context.budget(), "first": number + 1, "last": min(count, context.max_pages)})
        )
        return False
    return True


def read_pdf(data, context):
    # Imported here: an image's reader process need not pay pdfminer's import.
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError("pdf_password") from exc
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError, AssertionError) as exc:
        raise DocumentError("pdf_damaged") from exc
    document = Document()
    with pdf:
        try:
            pages = pdf.pages
        except MemoryError:
            raise
        except Exception as exc:  # pdfminer raises many types on broken page trees
            raise DocumentError("pdf_damaged") from exc
        if not pages:
            raise DocumentError("pdf_no_pages")
        if len(pages) > context.max_pages:
            document.notes.append(("pages_limited", {"read": context.max_pages, "count": len(pages)}))
        for number, page in enumerate(pages[: context.max_pages]):
            if not _time_for_page(document, number, len(pages), context):
                break
            document.pages.append(_read_pdf_page(data, page, number, context))
    return document


def _read_pdf_page(data, page, number, context):
    try:
        raw = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    except MemoryError:
        raise
    except Exception as exc:  # a broken content stream: OCR may still read the page
        _logger.info("Text layer of page %s unreadable: %s", number + 1, exc)
        raw = []
    words = [Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in raw]
    chars = sum(len(w.text) for w in words)
    if chars and garbled(words):
        # A Type3 or subset font without a usable encoding: the page looks
        # right but its text layer is symbols; OCR reads what is drawn.
        _logger.info("Text layer of page %s is garbled; reading the page with OCR.", number + 1)
        return _ocr_pdf_page(data, page, number, [], context)
    if (chars < MIN_TEXT_CHARS and _has_images(page)) or (chars < MAX_FOOTER_CHARS and _image_coverage(page) > 0.5):
        return _ocr_pdf_page(data, page, number, words, context)
    result = Page(number=number, width=float(page.width), height=float(page.height))
    result.lines = group_lines(words, number)
    return result


_CID_RE = re.compile(r"\(cid:\d+\)")
_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûüAEIOUYÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")


def garbled(words):
    """Whether a text layer is not text: pdfminer's "(cid:N)" for glyphs
    without a code, mostly symbols and control characters, or letters that
    make no words (most longer words without a vowel)."""
    text = " ".join(w.text for w in words)
    if len(_CID_RE.findall(text)) >= 3:
        return True
    visible = [ch for ch in text if not ch.isspace()]
    readable = sum(ch.isalnum() or ch in ".,:;-/()€$£%#@&+'\"*_" for ch in visible)
    if (visible and readable / len(visible) < 0.75) or sum(
        not ch.isprintable() or "\ue000" <= ch <= "\uf8ff" for ch in visible
    ) > len(visible) * 0.1:
        return True
    long_words = [w.text for w in words if len(w.text) >= 4 and w.text.isalpha()]
    if len(long_words) >= 10:
        without_vowel = sum(not (set(word) & _VOWELS) for word in long_words)
        return without_vowel > len(long_words) / 2
    return False


def _image_coverage(page):
    """Share of the page covered by its largest image: a scanned page with a
    typed footer or stamp still needs OCR."""
    try:
        images = page.images
    except Exception:
        return 0.0
    area = float(page.width * page.height) or 1.0
    return max((abs((i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) / area for i in images), default=0.0)


def _has_images(page):
    try:
        return bool(page.images)
    except Exception:  # a broken image dictionary still means there is an image
        return True


def _ocr_pdf_page(data, page, number, text_words, context):
    """Render the page with pdfium (already a pdfplumber dependency) at
    OCR_DPI, or less for a page larger than legal size, and OCR it;
    text-layer words (a typed footer on a scan) are kept where OCR found
    nothing."""
    import pypdfium2

    dpi = render_dpi(float(page.width), float(page.height))
    pdf = pypdfium2.PdfDocument(data)
    try:
        bitmap = pdf[number].render(scale=dpi / 72.0)
        image = bitmap.to_pil()
    finally:
        pdf.close()
    result = ocr_page(image, number, context.time_left, dpi=dpi)
    if text_words and result.width and abs(result.width - float(page.width)) < 2:
        ocr_words = [w for line in result.lines for w in line.words]
        extra = [w for w in text_words if not any(_overlaps(w, o) for o in ocr_words)]
        if extra:
            result.lines = group_lines(ocr_words + extra, number)
    return result


def render_dpi(width_pt, height_pt):
    """OCR_DPI, lowered so that the rendered page stays under OCR_MAX_PIXELS
    (a 100-inch page would otherwise take gigabytes)."""
    area = max(width_pt, 1.0) * max(height_pt, 1.0) / (72.0 * 72.0)
    return min(float(OCR_DPI), math.sqrt(OCR_MAX_PIXELS / area))


def _overlaps(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom
