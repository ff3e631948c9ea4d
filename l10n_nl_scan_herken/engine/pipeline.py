"""bytes -> Document -> fields -> Recognition."""

import logging
from decimal import Decimal

from .context import RecognitionContext
from .einvoice.pdf import read_pdf_einvoice
from .einvoice.read import recognize_xml
from .errors import DocumentError
from .reading.document import Document, document_from_text
from .reading.files import MIME_PDF, sniff_mimetype
from .reading.read import read_document
from .recognizers.amounts import recognize_amounts, recognize_currency
from .recognizers.dates import date_order_with_source, recognize_dates
from .recognizers.masks import apply_masks
from .recognizers.parties import (
    recognize_iban,
    recognize_kvk,
    recognize_supplier_address,
    recognize_supplier_name,
    recognize_vat,
)
from .recognizers.patterns import get_default_patterns
from .recognizers.references import recognize_references
from .result import Field, Recognition
from .score import compute_score
from .split import part_document, split_pages

_logger = logging.getLogger(__name__)


def recognize(data, filename="", context=None):
    """Recognise one file. Never raises for bad input: a file that cannot be
    read gives a Recognition whose ``error`` says why."""
    context = context or RecognitionContext()
    recognition = Recognition(file=filename)
    mimetype = sniff_mimetype(data or b"")
    if mimetype == "application/xml":
        return recognize_xml(data, filename)
    if mimetype == MIME_PDF:
        einvoice = read_pdf_einvoice(data, filename)
        if einvoice is not None and not einvoice.error:
            return einvoice
    try:
        document = read_document(data, context)
    except DocumentError as exc:
        return recognition.fail(exc.code, **exc.params)
    except MemoryError:
        raise  # the sandbox's child reports it and starts afresh
    except Exception as exc:  # a reader library failing on hostile input
        _logger.exception("Unexpected error reading %s", filename)
        return recognition.fail("unreadable", detail=type(exc).__name__)
    recognition = _recognize_document(recognition, document, context)
    parts = split_pages(document, context.split, context.separator_text, lambda page: _page_fields(page, context))
    if len(parts) > 1:
        recognition.parts = [
            {
                "pages": [document.pages[index].number for index in part],
                "recognition": _recognize_document(Recognition(file=filename), part_document(document, part), context),
            }
            for part in parts
        ]
    return recognition


def _page_fields(page, context):
    """The values one page shows with some certainty, for finding where a
    batch's invoices begin."""
    found = recognize_fields(Document(pages=[page]), context)
    return {key: field.value for key, field in found.items() if field.confidence >= 0.5}


def recognize_text(text, name="", context=None):
    """Recognise a plain text, such as the body of a mail without attachment."""
    context = context or RecognitionContext()
    recognition = Recognition(file=name)
    if not (text or "").strip():
        return recognition.fail("mail_empty")
    return _recognize_document(recognition, document_from_text(text[:100_000]), context)


def recognize_document(document, name="", context=None):
    """Recognise an already read Document again, with another context (the
    supplier's date notation): no second OCR."""
    return _recognize_document(Recognition(file=name), document, context or RecognitionContext())


def _recognize_document(recognition, document, context):
    recognition.document = document
    recognition.date_order, recognition.date_order_source = date_order_with_source(document.text, context)
    recognition.source = document.source
    recognition.text = document.text
    recognition.warnings.extend(document.notes)
    fields = recognize_fields(document, context)
    if context.masks:
        _apply_masks(recognition, fields, context, document)
    if not any(key in fields for key in ("invoice_date", "amount_total")):
        if document.source == "ocr" and not document.text.strip():
            return recognition.fail("no_text")
        return recognition.fail("no_invoice")
    recognition.fields = fields
    recognition.score = compute_score(fields)
    return recognition


def recognize_fields(document, context, patterns=None):
    patterns = patterns or get_default_patterns()
    fields = {}
    for recognizer in (recognize_iban, recognize_vat, recognize_kvk, recognize_supplier_name):
        fields.update(recognizer(document, context, patterns))
    fields.update(recognize_supplier_address(document, fields))
    identifiers = [f.value for k, f in fields.items() if k in ("supplier_iban", "supplier_vat", "supplier_kvk")]
    for values in context.own_identifiers.values():
        identifiers.extend(values)
    fields.update(recognize_references(document, context, patterns, identifiers))
    fields.update(recognize_dates(document, context, patterns))
    amounts, collected = recognize_amounts(document, patterns)
    fields.update(amounts)
    currency = recognize_currency(document, collected)
    if currency:
        fields["currency"] = currency
    credit = _is_credit_note(document, patterns, fields)
    fields["document_type"] = Field("credit_note" if credit else "invoice", 0.9)
    _to_json_numbers(fields, credit)
    return fields


def _apply_masks(recognition, fields, context, document):
    """The supplier's masks win over generic recognition (confidence 1,
    marked ``how='mask'``); a pattern that cannot run is a warning."""
    found, errors = apply_masks(recognition.text, context.masks, recognition.date_order or "dmy", document=document)
    credit = fields.get("document_type") and fields["document_type"].value == "credit_note"
    for key, found_field in found.items():
        if isinstance(found_field.value, Decimal):
            found_field.value = float(
                (-abs(found_field.value) if credit else found_field.value).quantize(Decimal("0.01"))
            )
        found_field.how = "mask"
        fields[key] = found_field
    for key, error in errors:
        recognition.warn(error.code, field=key, **error.params)


def _is_credit_note(document, patterns, fields):
    head = "\n".join(line.text for line in document.pages[0].lines[:25]) if document.pages else ""
    total = fields.get("amount_total")
    return bool(patterns["credit_note"].search(head)) or bool(total and total.value < 0)


def _to_json_numbers(fields, credit):
    """Decimals become floats (JSON); credit notes carry negative amounts."""

    def convert(value):
        value = Decimal(value)
        if credit:
            value = -abs(value)
        return float(value.quantize(Decimal("0.01")))

    for key in ("amount_untaxed", "amount_tax", "amount_total"):
        if key in fields:
            fields[key].value = convert(fields[key].value)
    if "tax_lines" in fields:
        fields["tax_lines"].value = [
            {"rate": float(line["rate"]), "base": convert(line["base"]), "amount": convert(line["amount"])}
            for line in fields["tax_lines"].value
        ]
