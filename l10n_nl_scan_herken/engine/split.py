"""One scan, several invoices: where a batch of pages breaks into invoices.

``at separators``: a blank page, or a page carrying the separator text, ends
an invoice (the separator belongs to none). ``auto`` adds what the pages
say themselves: "page 1 of 3" starts an invoice and "page 2 of 3" continues
one; a page with another supplier's VAT number, IBAN or KvK number, or with
another invoice number, starts one; so does a page with an invoice number
after a page that closed the previous invoice with its total. A page that
says nothing new continues the invoice before it, so a single multi-page
invoice is never split."""

import copy
import io
import re

from .reading.document import Document

MODES = ("none", "separator", "auto")
PAGE_OF_RE = re.compile(
    r"\b(?:pagina|page|blad|seite|pag\.|p\.)\s*(\d{1,3})\s*(?:van|of|von|de|/)\s*(\d{1,3})\b", re.IGNORECASE
)
# A batch may hold this many pages; it is read with this many times the time of one document.
MAX_BATCH_PAGES = 40
BATCH_TIME_FACTOR = 4
_IDENTIFIERS = ("supplier_vat", "supplier_iban", "supplier_kvk")


def split_pages(document, mode, separator_text="", page_fields=None):
    """[[page index, ...], ...]: the document's pages (indexes into
    ``document.pages``) per invoice, separator pages left out. One part
    holding every page when nothing splits it. ``page_fields(page)`` gives
    the fields recognised on one page (auto mode)."""
    if mode not in ("separator", "auto") or len(document.pages) < 2:
        return [list(range(len(document.pages)))]
    parts, current, known, closed = [], [], {}, False
    for index, page in enumerate(document.pages):
        if _is_separator(page, separator_text):
            parts.append(current)
            current, known, closed = [], {}, False
            continue
        found = page_fields(page) if mode == "auto" and page_fields else {}
        if current and mode == "auto" and _starts_invoice(page, found, known, closed):
            parts.append(current)
            current, known = [], {}
        for key in (*_IDENTIFIERS, "invoice_number"):
            known[key] = known.get(key) or found.get(key)
        closed = found.get("amount_total") is not None
        current.append(index)
    parts.append(current)
    return [part for part in parts if part] or [list(range(len(document.pages)))]


def _is_separator(page, separator_text):
    text = " ".join(line.text for line in page.lines)
    if not re.search(r"\w", text):
        return True
    return bool(separator_text) and separator_text.casefold() in text.casefold()


def _starts_invoice(page, found, known, closed):
    marker = PAGE_OF_RE.search("\n".join(line.text for line in page.lines))
    if marker:
        return marker.group(1) == "1"  # "page 1 of 3" starts one, "page 2 of 3" continues it
    if any(found.get(key) and known.get(key) and found[key] != known[key] for key in _IDENTIFIERS):
        return True
    number = found.get("invoice_number")
    if number and known.get("invoice_number"):
        return number != known["invoice_number"]  # a page 2 repeating the number continues
    return bool(number and closed)


def part_document(document, pages):
    """The pages of one part as a Document of their own, numbered from 0 as
    in the file cut for it."""
    part = Document(notes=list(document.notes))
    for number, index in enumerate(pages):
        page = copy.deepcopy(document.pages[index])
        page.number = number
        for line in page.lines:
            line.page = number
        part.pages.append(page)
    return part


def cut_pages(data, pages):
    """A PDF of the given pages (file page numbers) of a PDF or a multi-page
    image: the document of one part. Runs in a reader child."""
    from PIL import Image, ImageSequence

    from .reading.files import MIME_PDF, sniff_mimetype

    output = io.BytesIO()
    if sniff_mimetype(data) == MIME_PDF:
        import pypdfium2

        source, part = pypdfium2.PdfDocument(data), pypdfium2.PdfDocument.new()
        part.import_pages(source, pages=list(pages))
        part.save(output)
        return output.getvalue()
    image = Image.open(io.BytesIO(data))
    frames = [frame.convert("RGB") for number, frame in enumerate(ImageSequence.Iterator(image)) if number in pages]
    frames[0].save(output, "PDF", save_all=True, append_images=frames[1:], resolution=300.0)
    return output.getvalue()


def join_files(files):
    """One PDF of several files (PDFs and images, all their pages, in order):
    the document of bills merged by hand. Runs in a reader child."""
    import pypdfium2
    from PIL import Image, ImageSequence

    from .reading.files import MIME_PDF, sniff_mimetype

    joined = pypdfium2.PdfDocument.new()
    for data in files:
        if sniff_mimetype(data) != MIME_PDF:
            buffer = io.BytesIO()
            frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(Image.open(io.BytesIO(data)))]
            frames[0].save(buffer, "PDF", save_all=True, append_images=frames[1:], resolution=300.0)
            data = buffer.getvalue()
        joined.import_pages(pypdfium2.PdfDocument(data))
    output = io.BytesIO()
    joined.save(output)
    return output.getvalue()
