"""Supplier masks as MFS-ERP defines them: a regular expression per field
whose first group is the value, matched against the document text with
every run of white space (line ends too) folded to one space. Tokens:
``#num2#`` an amount with two decimals (thousands separator or not),
``#dmyyyy#`` / ``#dmyy#`` a date of one- or two-digit day and month and a
four- or two-digit year, separated by ``.``, ``-`` or ``/``.

Patterns are written by users: they run through the ``regex`` package with
a time limit, so a catastrophic one ends within its second with a message
instead of holding a worker."""

import re
from decimal import Decimal

import regex

from ..result import Field
from .values import find_amounts, find_dates

TIMEOUT = 1.0
TOKENS = {
    "#num2#": r"(?:\d{1,3}(?:[.,'\u00a0 ]\d{3})+|\d+)[.,]\d{2}",
    "#dmyyyy#": r"\d{1,2}[./-]\d{1,2}[./-]\d{4}",
    "#dmyy#": r"\d{1,2}[./-]\d{1,2}[./-]\d{2}",
}
# The fields a mask may fill, with the kind of value it reads.
MASK_FIELDS = {
    "invoice_number": "text", "invoice_date": "date", "due_date": "date", "amount_untaxed": "amount",
    "amount_tax": "amount", "amount_total": "amount", "payment_reference": "text", "purchase_order": "text",
    "packing_slip": "text",
}


class MaskError(ValueError):
    """A pattern that cannot be used, in a sentence for its author."""


def expand(pattern):
    """The pattern with MFS-ERP's tokens written out (their own groups are
    non-capturing, so the author's first group stays the value)."""
    for token, expression in TOKENS.items():
        pattern = pattern.replace(token, expression)
    return pattern


def fold(text):
    return re.sub(r"\s+", " ", text or "").strip()


def check(pattern):
    """The compiled pattern, or MaskError saying why it cannot be used."""
    try:
        compiled = regex.compile(expand(pattern), regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        raise MaskError(f"The pattern is not a valid regular expression: {exc}.") from exc
    if compiled.groups < 1:
        raise MaskError("The pattern has no group: put the value between brackets, as in 'Factuurnummer (\\d+)'.")
    return compiled


def run(pattern, text, timeout=TIMEOUT):
    """(match or None, error or None) of one pattern on folded text."""
    try:
        compiled = check(pattern)
        return compiled.search(text, timeout=timeout), None
    except MaskError as exc:
        return None, str(exc)
    except TimeoutError:
        return None, (f"The pattern took longer than {timeout:g} s on this document and was stopped; "
                      "simplify it (nested repetitions such as (a+)+ make it slow).")


def parse(kind, text, order="dmy"):
    """A mask's raw value as the field wants it: a date, an amount, text."""
    if kind == "date":
        found = find_dates(text, order)
        return found[0][0].isoformat() if found else None
    if kind == "amount":
        found = find_amounts(text)
        if found:
            return found[0][0]
        plain = re.fullmatch(r"-?\d+(?:[.,]\d{1,2})?", text.strip())
        return Decimal(plain.group().replace(",", ".")) if plain else None
    return text.strip() or None


def apply_masks(text, masks, order="dmy", timeout=TIMEOUT, document=None):
    """({field: Field}, [(field, error)]) from ``masks``, a list of
    (field, pattern) in the order they are tried; the first mask of a field
    that gives a value wins, with confidence 1. With the ``document`` the
    text was read from, each value gets the page and box it was read at."""
    folded = fold(text)
    found, errors = {}, []
    for key, pattern in masks:
        kind = MASK_FIELDS.get(key)
        if kind is None or key in found:
            continue
        match, error = run(pattern, folded, timeout)
        if error:
            errors.append((key, error))
            continue
        if match is None:
            continue
        value = parse(kind, match.group(1) or "", order)
        if key == "payment_reference" and value:
            value = re.sub(r"\s", "", value)  # as zero-configuration recognition gives it
        if value is not None:
            page, bbox = place(document, *match.span(1)) if document is not None else (0, None)
            found[key] = Field(value, 1.0, page, bbox)
    return found, errors


def place(document, start, end):
    """(page number, box) of the words that characters start..end of the
    folded document text fall in: the first page they are on."""
    offset, words, page_number = 0, [], 0
    for page in document.pages:
        for line in page.lines:
            for word in line.words:
                length = len(fold(word.text))
                if length and offset < end and start < offset + length and (not words or page.number == page_number):
                    page_number = page.number
                    words.append(word)
                offset += length + 1 if length else 0
    if not words:
        return 0, None
    return page_number, [round(min(w.x0 for w in words), 1), round(min(w.top for w in words), 1),
                         round(max(w.x1 for w in words), 1), round(max(w.bottom for w in words), 1)]
