"""Bytes to a Document: the text layer of PDFs through pdfplumber, OCR for
pages without one and for images. At most ``max_pages`` pages are read."""

import io
import logging

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from PIL import Image, ImageSequence, UnidentifiedImageError

from .document import Document, Page, Word, group_lines
from .errors import DocumentError
from .files import IMAGE_MIMETYPES, MAX_FILE_SIZE, MIME_PDF, sniff_mimetype
from .ocr import OCR_DPI, ocr_page

_logger = logging.getLogger(__name__)

# A page whose text layer has fewer characters than this, but an image, is a scan.
MIN_TEXT_CHARS = 40
# ... and one that is mostly an image with less text than this is a scan with a typed footer.
MAX_FOOTER_CHARS = 400
# Pillow's decompression-bomb guard, set explicitly: a 300 dpi A3 page fits.
Image.MAX_IMAGE_PIXELS = 60_000_000


def read_document(data, context):
    if not data:
        raise DocumentError("The file is empty.")
    if len(data) > MAX_FILE_SIZE:
        raise DocumentError("The file is larger than 50 MB.")
    mimetype = sniff_mimetype(data)
    if mimetype == MIME_PDF:
        return read_pdf(data, context)
    if mimetype in IMAGE_MIMETYPES:
        return read_image(data, context)
    raise DocumentError("This is not a PDF or an image (PNG, JPEG, TIFF).")


def read_image(data, context):
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.copy() for _i, frame in zip(range(context.max_pages), ImageSequence.Iterator(image))]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DocumentError(f"The image cannot be read: {exc}") from exc
    document = Document()
    for number, frame in enumerate(frames):
        document.pages.append(ocr_page(frame, number, context.ocr_timeout))
    return document


def read_pdf(data, context):
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError("The PDF is protected with a password.") from exc
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError, AssertionError) as exc:
        raise DocumentError("The PDF is damaged and cannot be read.") from exc
    document = Document()
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # pdfminer raises many types on broken page trees
            raise DocumentError("The PDF is damaged and cannot be read.") from exc
        if not pages:
            raise DocumentError("The PDF has no pages.")
        if len(pages) > context.max_pages:
            document.notes.append(f"Only the first {context.max_pages} of {len(pages)} pages were read.")
        for number, page in enumerate(pages[: context.max_pages]):
            document.pages.append(_read_pdf_page(data, page, number, context))
    return document


def _read_pdf_page(data, page, number, context):
    try:
        raw = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    except Exception as exc:  # a broken content stream: OCR may still read the page
        _logger.info("Text layer of page %s unreadable: %s", number + 1, exc)
        raw = []
    words = [Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in raw]
    chars = sum(len(w.text) for w in words)
    if (chars < MIN_TEXT_CHARS and _has_images(page)) or (
            chars < MAX_FOOTER_CHARS and _image_coverage(page) > 0.5):
        return _ocr_pdf_page(data, page, number, words, context)
    result = Page(number=number, width=float(page.width), height=float(page.height))
    result.lines = group_lines(words, number)
    return result


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
    """Render the page at OCR_DPI with pdfium (already a pdfplumber
    dependency) and OCR it; text-layer words (a typed footer on a scan) are
    kept where OCR found nothing."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        bitmap = pdf[number].render(scale=OCR_DPI / 72.0)
        image = bitmap.to_pil()
    finally:
        pdf.close()
    result = ocr_page(image, number, context.ocr_timeout)
    if text_words and result.width and abs(result.width - float(page.width)) < 2:
        ocr_words = [w for line in result.lines for w in line.words]
        extra = [w for w in text_words if not any(_overlaps(w, o) for o in ocr_words)]
        if extra:
            result.lines = group_lines(ocr_words + extra, number)
    return result


def _overlaps(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom
