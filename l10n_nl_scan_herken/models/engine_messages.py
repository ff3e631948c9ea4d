"""The engine's sentences (plain English: it has no Odoo) in the reader's
language: each known sentence is matched and said again through Odoo's
translation, with its numbers and names kept; an unknown one stays as it is."""

import re


def _patterns(env):
    """(pattern, sentence) pairs; the sentence takes the pattern's named groups."""
    return [
        (r"The file is empty\.", env._("The file is empty.")),
        (r"The file is larger than 50 MB\.", env._("The file is larger than 50 MB.")),
        (r"This is a ZIP archive, not a PDF or an image: unpack it and send the invoices in it\.",
         env._("This is a ZIP archive, not a PDF or an image: unpack it and send the invoices in it.")),
        (r"This is not a PDF or an image \(PNG, JPEG, TIFF\)\.", env._("This is not a PDF or an image (PNG, JPEG, TIFF).")),
        (r"The image is too large to read(?P<detail> \(.*\))?\.", env._("The image is too large to read%(detail)s.")),
        (r"The image cannot be read: (?P<detail>.*)", env._("The image cannot be read: %(detail)s")),
        (r"The image is (?P<size>\d+ x \d+) pixels: too narrow to be a page of an invoice\.",
         env._("The image is %(size)s pixels: too narrow to be a page of an invoice.")),
        (r"The PDF is protected with a password\.", env._("The PDF is protected with a password.")),
        (r"The PDF is damaged and cannot be read\.", env._("The PDF is damaged and cannot be read.")),
        (r"The PDF has no pages\.", env._("The PDF has no pages.")),
        (r"Tesseract OCR is not installed on the server\.", env._("Tesseract OCR is not installed on the server.")),
        (r"OCR took longer than (?P<seconds>\S+) seconds and was stopped\.",
         env._("OCR took longer than %(seconds)s seconds and was stopped.")),
        (r"OCR failed: (?P<detail>.*)", env._("OCR failed: %(detail)s")),
        (r"No invoice data found in this document: no invoice date or amount could be recognised\.",
         env._("No invoice data found in this document: no invoice date or amount could be recognised.")),
        (r"No text could be read from this scan\.", env._("No text could be read from this scan.")),
        (r"The mail has no attachment and no text\.", env._("The mail has no attachment and no text.")),
        (r"The file could not be read \((?P<detail>.*)\)\.", env._("The file could not be read (%(detail)s).")),
        (r"The XML file is larger than (?P<size>\d+) MB\.", env._("The XML file is larger than %(size)s MB.")),
        (r"The XML file declares a DOCTYPE \(entities\); it was not read for safety\.",
         env._("The XML file declares a DOCTYPE (entities); it was not read for safety.")),
        (r"The XML file is not well-formed: (?P<detail>.*)", env._("The XML file is not well-formed: %(detail)s")),
        (r"The XML file is empty\.", env._("The XML file is empty.")),
        (r"This XML file is not a UBL or CII e-invoice\.", env._("This XML file is not a UBL or CII e-invoice.")),
        (r"The files embedded in this PDF unpack to more than 10 MB each or 20 MB together\.",
         env._("The files embedded in this PDF unpack to more than 10 MB each or 20 MB together.")),
        (r"The e-invoice states (?P<name>\S+) = (?P<text>.*), which is not a usable amount; it was not read\.",
         env._("The e-invoice states %(name)s = %(text)s, which is not a usable amount; it was not read.")),
        ((r"The e-invoice has (?P<count>\d+) lines; above (?P<limit>\d+) lines the bill is made from its header "
         r"and VAT breakdown\."),
         env._("The e-invoice has %(count)s lines; above %(limit)s lines the bill is made from its header and VAT "
           "breakdown.")),
        (r"Page (?P<page>\d+) of the image could not be read\.", env._("Page %(page)s of the image could not be read.")),
        (r"Only the first (?P<read>\d+) of (?P<count>\d+) pages were read\.",
         env._("Only the first %(read)s of %(count)s pages were read.")),
        ((r"Reading stopped after (?P<seconds>\S+) s, the time budget per document\. Pages (?P<first>\d+) to "
         r"(?P<last>\d+) were not read\."),
         env._("Reading stopped after %(seconds)s seconds, the time allowed per document. Pages %(first)s to %(last)s "
           "were not read.")),
        ((r"Mask for (?P<field>\w+): The pattern took longer than (?P<seconds>\S+) s on this document and was "
         r"stopped; simplify it \(nested repetitions such as \(a\+\)\+ make it slow\)\."),
         env._("The mask for %(field)s took longer than %(seconds)s seconds on this document and was stopped; "
               "simplify it (nested repetitions such as (a+)+ make it slow).")),
        (r"Mask for (?P<field>\w+): The pattern is not a valid regular expression: (?P<detail>.*)",
         env._("The mask for %(field)s is not a valid regular expression: %(detail)s")),
    ]


def translate(env, message):
    """``message`` in the language of ``env`` when it is one the engine says."""
    if not message or (env.lang or "en_US") == "en_US":
        return message
    for pattern, sentence in _patterns(env):
        match = re.fullmatch(pattern, message.strip(), re.DOTALL)
        if match:
            return sentence % {key: value or "" for key, value in match.groupdict().items()}
    return message
