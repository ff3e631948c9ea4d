"""The engine's sentences (plain English: it has no Odoo) in the reader's
language. Each sentence below is written as the engine writes it, with
%(name)s where it puts a number or name: a message that reads so is said
again through Odoo's translation with those parts kept; an unknown one
stays as it is."""

import re

from odoo.tools.translate import _lt

SENTENCES = [
    _lt("The file is empty."),
    _lt("The file is larger than 50 MB."),
    _lt("This is a ZIP archive, not a PDF or an image: unpack it and send the invoices in it."),
    _lt("This is not a PDF or an image (PNG, JPEG, TIFF)."),
    _lt("The image is too large to read%(detail)s."),
    _lt("The image cannot be read: %(detail)s"),
    _lt("The image is %(size)s pixels: too narrow to be a page of an invoice."),
    _lt("The PDF is protected with a password."),
    _lt("The PDF is damaged and cannot be read."),
    _lt("The PDF has no pages."),
    _lt("Tesseract OCR is not installed on the server."),
    _lt("OCR took longer than %(seconds)s seconds and was stopped."),
    _lt("OCR failed: %(detail)s"),
    _lt("No invoice data found in this document: no invoice date or amount could be recognised."),
    _lt("No text could be read from this scan."),
    _lt("The mail has no attachment and no text."),
    _lt("The file could not be read (%(detail)s)."),
    _lt("The XML file is larger than %(size)s MB."),
    _lt("The XML file declares a DOCTYPE (entities); it was not read for safety."),
    _lt("The XML file is not well-formed: %(detail)s"),
    _lt("The XML file is empty."),
    _lt("This XML file is not a UBL or CII e-invoice."),
    _lt("The files embedded in this PDF unpack to more than 10 MB each or 20 MB together."),
    _lt("The e-invoice states %(name)s = %(text)s, which is not a usable amount; it was not read."),
    _lt("The e-invoice has %(count)s lines; above %(limit)s lines the bill is made from its header and VAT "
        "breakdown."),
    _lt("Page %(page)s of the image could not be read."),
    _lt("Only the first %(read)s of %(count)s pages were read."),
    _lt("Reading stopped after %(seconds)s s, the time budget per document. Pages %(first)s to %(last)s were "
        "not read."),
    _lt("Mask for %(field)s: The pattern took longer than %(seconds)s s on this document and was stopped; "
        "simplify it (nested repetitions such as (a+)+ make it slow)."),
    _lt("Mask for %(field)s: The pattern is not a valid regular expression: %(detail)s"),
    _lt("Mask for %(field)s: The pattern is too long: %(length)s characters with its tokens written out, where at "
        "most %(limit)s are allowed."),
    _lt("Mask for %(field)s: The pattern repeats too much: its counts in braces, multiplied through the groups they "
        "repeat, come to more than %(limit)s items; write + or * instead of a large count."),
    _lt("Mask for %(field)s: The pattern turns on verbose mode (?x) or version 1 (?V1), which masks do not support."),
]


def _pattern(source):
    """The English sentence as a pattern: its %(name)s parts match anything."""
    parts = re.split(r"%\((\w+)\)s", source)
    return "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.*?)" for index, part in enumerate(parts))


PATTERNS = [(re.compile(_pattern(sentence._source), re.DOTALL), sentence) for sentence in SENTENCES]


def mask_error(env, field_label, error):
    """A mask's problem as the engine says it, in the reader's language."""
    return translate(env, f"Mask for {field_label}: {error}")


def translate(env, message):
    """``message`` in the language of ``env`` when it is one the engine says."""
    if not message or (env.lang or "en_US") == "en_US":
        return message
    for pattern, sentence in PATTERNS:
        match = pattern.fullmatch(message.strip())
        if match:
            return sentence._translate(env.lang) % match.groupdict()
    return message
