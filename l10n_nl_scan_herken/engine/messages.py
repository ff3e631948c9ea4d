"""What the engine says: a code with parameters, never a sentence to parse.

``MESSAGES`` words each code in English: the command line's wording, and
what ``str()`` of a DocumentError or MaskError says. The Odoo layer words
the same codes in the reader's language (tools/engine_messages.py), with
the same English templates as its translation's source. A parameter named
``detail`` carries a foreign text (a library's own message, an exception's
name): it stays as it is inside the worded sentence.
"""

MESSAGES = {
    # The file as a whole (reading/read.py, reading/render.py, pipeline.py)
    "file_empty": "The file is empty.",
    "file_too_large": "The file is larger than 50 MB.",
    "zip_archive": "This is a ZIP archive, not a PDF or an image: unpack it and send the invoices in it.",
    "not_pdf_or_image": "This is not a PDF or an image (PNG, JPEG, TIFF).",
    "unreadable": "The file could not be read (%(detail)s).",
    "mail_empty": "The mail has no attachment and no text.",
    "no_invoice": "No invoice data found in this document: no invoice date or amount could be recognised.",
    "no_text": "No text could be read from this scan.",
    "no_page": "The document has no page %(page)s.",
    # Images
    "image_too_large": "The image is too large to read (at most %(megapixels)s megapixels).",
    "image_too_large_size": "The image is too large to read (%(size)s pixels; at most %(megapixels)s megapixels).",
    "image_unreadable": "The image cannot be read: %(detail)s",
    "image_too_narrow": "The image is %(size)s pixels: too narrow to be a page of an invoice.",
    "image_page_unreadable": "Page %(page)s of the image could not be read.",
    # PDFs
    "pdf_password": "The PDF is protected with a password.",
    "pdf_damaged": "The PDF is damaged and cannot be read.",
    "pdf_no_pages": "The PDF has no pages.",
    "pages_limited": "Only the first %(read)s of %(count)s pages were read.",
    "pages_budget": "Reading stopped after %(seconds)s s, the time budget per document. Pages %(first)s to "
    "%(last)s were not read.",
    # OCR (reading/ocr.py)
    "ocr_missing": "Tesseract OCR is not installed on the server.",
    "ocr_timeout": "OCR took longer than %(seconds)s seconds and was stopped.",
    "ocr_failed": "OCR failed: %(detail)s",
    # Budgets: the document's own (context.py) and the reader child's (sandbox/)
    "timeout": "Reading stopped after %(seconds)s s, the time budget per document.",
    "memory": "Reading needed more than %(memory)s MiB of memory and was stopped.",
    "crash": "The document reader stopped on this file (%(detail)s); the file may be damaged.",
    # E-invoices (einvoice/)
    "xml_too_large": "The XML file is larger than %(size)s MB.",
    "xml_doctype": "The XML file declares a DOCTYPE (entities); it was not read for safety.",
    "xml_malformed": "The XML file is not well-formed: %(detail)s",
    "xml_empty": "The XML file is empty.",
    "not_einvoice": "This XML file is not a UBL or CII e-invoice.",
    "embedded_too_large": "The files embedded in this PDF unpack to more than 10 MB each or 20 MB together.",
    "unusable_amount": "The e-invoice states %(name)s = %(text)s, which is not a usable amount; it was not read.",
    "lines_skipped": "The e-invoice has %(count)s lines; above %(limit)s lines the bill is made from its header "
    "and VAT breakdown.",
    # Supplier masks (recognizers/masks.py): MaskError; as a warning with the ``field`` it is for.
    "mask_too_long": "The pattern is too long: %(length)s characters with its tokens written out, where at most "
    "%(limit)s are allowed.",
    "mask_too_large": "The pattern repeats too much: its counts in braces, multiplied through the groups they "
    "repeat, come to more than %(limit)s items; write + or * instead of a large count.",
    "mask_invalid": "The pattern is not a valid regular expression: %(detail)s.",
    "mask_no_group": "The pattern has no group: put the value between brackets, as in 'Factuurnummer (\\d+)'.",
    "mask_verbose": "The pattern turns on verbose mode (?x) or version 1 (?V1), which masks do not support.",
    "mask_timeout": "The pattern took longer than %(seconds)s s on this document and was stopped; simplify it "
    "(nested repetitions such as (a+)+ make it slow).",
}

# A mask's problem said with the field it is for (a recognition's warning).
MASK_CODES = frozenset(code for code in MESSAGES if code.startswith("mask_"))
MASK_FIELD = "Mask for %(field)s: "


def template(code, params=()):
    """The English template ``code`` is worded with, given the names of its
    parameters: a mask's problem with a ``field`` starts with MASK_FIELD."""
    if code in MASK_CODES and "field" in params:
        return MASK_FIELD + MESSAGES[code]
    return MESSAGES[code]


def text(code, **params):
    """The English sentence of ``code`` with its parameters. A code not in
    MESSAGES is a note its caller worded itself (the Odoo layer's, or one
    stored before codes): its ``text`` parameter."""
    if code not in MESSAGES:
        return str(params.get("text", code))
    return template(code, params) % params


def number(value):
    """A number as a parameter, written as ``f"{value:g}"`` would write it:
    30.0 is 30, 2.50 is 2.5."""
    value = float(f"{value:g}")
    return int(value) if value.is_integer() else value


class Message:
    """A code with parameters whose ``str()`` is the English sentence; the
    base of the engine's exceptions (DocumentError, MaskError)."""

    def __init__(self, code, **params):
        self.code, self.params = code, params
        super().__init__(text(code, **params))
