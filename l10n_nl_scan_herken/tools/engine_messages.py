"""The engine's messages in the reader's language. The engine says a code
with parameters (engine/messages.py, whose English is the command line's);
each code has here the same English template, as an ``_lt`` that i18n/nl.po
translates. A ``detail`` parameter is a foreign text (a library's message)
and stays as it is. A code not listed here (a note the Odoo layer worded
itself) is said as the engine says it."""

from odoo.tools.translate import _lt

from ..engine import messages

MESSAGES = {
    "file_empty": _lt("The file is empty."),
    "file_too_large": _lt("The file is larger than 50 MB."),
    "zip_archive": _lt("This is a ZIP archive, not a PDF or an image: unpack it and send the invoices in it."),
    "not_pdf_or_image": _lt("This is not a PDF or an image (PNG, JPEG, TIFF)."),
    "unreadable": _lt("The file could not be read (%(detail)s)."),
    "mail_empty": _lt("The mail has no attachment and no text."),
    "no_invoice": _lt("No invoice data found in this document: no invoice date or amount could be recognised."),
    "no_text": _lt("No text could be read from this scan."),
    "no_page": _lt("The document has no page %(page)s."),
    "image_too_large": _lt("The image is too large to read (at most %(megapixels)s megapixels)."),
    "image_too_large_size": _lt("The image is too large to read (%(size)s pixels; at most %(megapixels)s megapixels)."),
    "image_unreadable": _lt("The image cannot be read: %(detail)s"),
    "image_too_narrow": _lt("The image is %(size)s pixels: too narrow to be a page of an invoice."),
    "image_page_unreadable": _lt("Page %(page)s of the image could not be read."),
    "pdf_password": _lt("The PDF is protected with a password."),
    "pdf_damaged": _lt("The PDF is damaged and cannot be read."),
    "pdf_no_pages": _lt("The PDF has no pages."),
    "pages_limited": _lt("Only the first %(read)s of %(count)s pages were read."),
    "pages_budget": _lt(
        "Reading stopped after %(seconds)s s, the time budget per document. Pages %(first)s to %(last)s were not read."
    ),
    "ocr_missing": _lt("Tesseract OCR is not installed on the server."),
    "ocr_timeout": _lt("OCR took longer than %(seconds)s seconds and was stopped."),
    "ocr_failed": _lt("OCR failed: %(detail)s"),
    "timeout": _lt("Reading stopped after %(seconds)s s, the time budget per document."),
    "memory": _lt("Reading needed more than %(memory)s MiB of memory and was stopped."),
    "crash": _lt("The document reader stopped on this file (%(detail)s); the file may be damaged."),
    "xml_too_large": _lt("The XML file is larger than %(size)s MB."),
    "xml_doctype": _lt("The XML file declares a DOCTYPE (entities); it was not read for safety."),
    "xml_malformed": _lt("The XML file is not well-formed: %(detail)s"),
    "xml_empty": _lt("The XML file is empty."),
    "not_einvoice": _lt("This XML file is not a UBL or CII e-invoice."),
    "embedded_too_large": _lt("The files embedded in this PDF unpack to more than 10 MB each or 20 MB together."),
    "unusable_amount": _lt("The e-invoice states %(name)s = %(text)s, which is not a usable amount; it was not read."),
    "lines_skipped": _lt(
        "The e-invoice has %(count)s lines; above %(limit)s lines the bill is made from its header and VAT breakdown."
    ),
    # A mask's problem is said here with the field it is for (Test masks, Check masks, the bill's summary).
    "mask_too_long": _lt(
        "Mask for %(field)s: The pattern is too long: %(length)s characters with its tokens written "
        "out, where at most %(limit)s are allowed."
    ),
    "mask_too_large": _lt(
        "Mask for %(field)s: The pattern repeats too much: its counts in braces, multiplied "
        "through the groups they repeat, come to more than %(limit)s items; write + or * instead "
        "of a large count."
    ),
    "mask_invalid": _lt("Mask for %(field)s: The pattern is not a valid regular expression: %(detail)s."),
    "mask_no_group": _lt(
        "Mask for %(field)s: The pattern has no group: put the value between brackets, as in 'Factuurnummer (\\d+)'."
    ),
    "mask_verbose": _lt(
        "Mask for %(field)s: The pattern turns on verbose mode (?x) or version 1 (?V1), which masks do not support."
    ),
    "mask_timeout": _lt(
        "Mask for %(field)s: The pattern took longer than %(seconds)s s on this document and was "
        "stopped; simplify it (nested repetitions such as (a+)+ make it slow)."
    ),
}


def translate(env, code, params=None):
    """``code`` with its parameters in the language of ``env``; a code
    this table does not know in the engine's own words."""
    params = dict(params or {})
    sentence = MESSAGES.get(code)
    if sentence is None:
        return messages.text(code, **params)
    template = env._(sentence)  # translated only: the lazy sentence carries no arguments
    return template % params


def error_text(env, recognition):
    """Why a reading failed, in the reader's language."""
    if not recognition.error_code:
        return recognition.error
    return translate(env, recognition.error_code, recognition.error_params)


def warning_text(env, warning):
    """One warning, (code, params), in the reader's language; a mask's
    names its field by the field's label."""
    code, params = warning
    if code in messages.MASK_CODES and "field" in params:
        labels = dict(env["l10n_nl_scan_herken.mask"]._fields["field"]._description_selection(env))
        params = {**params, "field": labels.get(params["field"], params["field"])}
    return translate(env, code, params)


def mask_error(env, field_label, error):
    """A mask's problem (a MaskError) for the field labelled ``field_label``."""
    return translate(env, error.code, {**error.params, "field": field_label})


def stored_warnings(recognition):
    """The warnings as a bill keeps them in its result: in English
    (``warnings``, as the command line prints them) and as codes with
    parameters (``warning_codes``), to be worded again in any language."""
    return {
        "warnings": recognition.warning_texts(),
        "warning_codes": [[code, params] for code, params in recognition.warnings],
    }


def result_warnings(env, result):
    """The warnings of a bill's stored result in the reader's language; a
    result stored before codes has its English sentences only."""
    if "warning_codes" in result:
        return [warning_text(env, warning) for warning in result["warning_codes"]]
    return list(result.get("warnings") or [])
