"""Supplier masks as MFS-ERP defines them: a regular expression per field
whose first group is the value, matched against the document text with
every run of white space (line ends too) folded to one space. Tokens:
``#num2#`` an amount with two decimals (thousands separator or not),
``#dmyyyy#`` / ``#dmyy#`` a date of one- or two-digit day and month and a
four- or two-digit year, separated by ``.``, ``-`` or ``/``.

Patterns are written by users: they run through the ``regex`` package with
a time limit, so a catastrophic one ends within its second with a message
instead of holding a worker. The limit covers matching, not compiling, and
compiling happens in the Odoo process (saving a mask, Test masks): a short
pattern can unroll into millions of items there (23 characters of
``((a{100}){100}){200}(x)`` take half a gigabyte at once). So a pattern's
length and the size its counted repetitions unroll to are checked first,
by reading the pattern as ``regex`` will, before it is ever compiled."""

import re
from decimal import Decimal

import regex

from ..messages import Message, number
from ..result import Field
from .values import find_amounts, find_dates

TIMEOUT = 1.0
# Far above any mask written or learned (a label, a few tokens, a value),
# far below what costs memory: an item unrolled takes some 300 bytes.
MAX_LENGTH = 500
MAX_SIZE = 1000
TOKENS = {
    "#num2#": r"(?:\d{1,3}(?:[.,'\u00a0 ]\d{3})+|\d+)[.,]\d{2}",
    "#dmyyyy#": r"\d{1,2}[./-]\d{1,2}[./-]\d{4}",
    "#dmyy#": r"\d{1,2}[./-]\d{1,2}[./-]\d{2}",
}
# The fields a mask may fill, with the kind of value it reads.
MASK_FIELDS = {
    "invoice_number": "text",
    "invoice_date": "date",
    "due_date": "date",
    "amount_untaxed": "amount",
    "amount_tax": "amount",
    "amount_total": "amount",
    "payment_reference": "text",
    "purchase_order": "text",
    "packing_slip": "text",
}


class MaskError(Message, ValueError):
    """A pattern that cannot be used: a code with parameters (messages.py),
    whose ``str()`` is the sentence for its author in English."""


def expand(pattern):
    """The pattern with MFS-ERP's tokens written out (their own groups are
    non-capturing, so the author's first group stays the value)."""
    for token, expression in TOKENS.items():
        pattern = pattern.replace(token, expression)
    return pattern


def fold(text):
    return re.sub(r"\s+", " ", text or "").strip()


def check(pattern):
    """The compiled pattern, or MaskError saying why it cannot be used: a
    pattern too long, or repeating too much, is refused before ``regex``
    compiles it (compiling is where it would take the memory)."""
    expanded = expand(pattern)
    if len(expanded) > MAX_LENGTH:
        raise MaskError("mask_too_long", length=len(expanded), limit=MAX_LENGTH)
    if size(expanded) > MAX_SIZE:
        raise MaskError("mask_too_large", limit=MAX_SIZE)
    try:
        compiled = regex.compile(expanded, regex.IGNORECASE | regex.V0)
    except regex.error as exc:
        raise MaskError("mask_invalid", detail=str(exc)) from exc
    if compiled.groups < 1:
        raise MaskError("mask_no_group")
    return compiled


# How ``regex`` (version 0, not verbose) reads the parts of a pattern that
# decide what a count repeats. A count: {m}, {m,}, {,n}, {m,n} (other braces
# are a literal or a fuzzy constraint, which repeat nothing). Inline flags,
# which are no item: a count after them repeats the item before them.
# Verbose mode and version 1 change how the rest reads (white space and #
# comments, nested sets), so they are refused rather than read. A POSIX
# class inside a set, whose "]" does not end the set.
_COUNT = re.compile(r"\{([0-9]*)(?:(,)([0-9]*))?\}")
_FLAG = r"(?:[abefiLmprsuwx]|V[01])"
_INLINE_FLAGS = re.compile(rf"\(\?({_FLAG}*)(?:-{_FLAG}+)?([:)])")
_POSIX_CLASS = re.compile(r"\[:\^?[A-Za-z0-9 &_.-]*+(?:[:=](?= *[A-Za-z0-9&_./-])[A-Za-z0-9 &_./-]*+)?:\]")


def size(pattern):
    """How many items ``pattern`` unrolls to when compiled, read as ``regex``
    reads it without compiling it: a character, an escape or a set is one
    item; a count repeats the item or group before it, {m,n} n times and
    {m,} m times (``*``, ``+`` and ``?`` add nothing), and counts of nested
    groups multiply. A comment or inline flags are no item."""
    groups = [[0, 0]]  # per open group: [its items so far, items of its last element, 0 when none to repeat]
    position = 0
    while position < len(pattern):
        char, group = pattern[position], groups[-1]
        count = _COUNT.match(pattern, position) if char == "{" else None
        if count and not (count[1] or count[2]):
            count = None  # "{}" is a literal
        if char in "*+?" or count:
            times = int(count[3] or count[1] or 0) if count else 1
            group[0] += group[1] * (max(times, 1) - 1)
            group[1] = 0  # a lazy "?" or possessive "+" after a count repeats nothing more
            position = count.end() if count else position + 1
            continue
        if char == "|":
            group[1] = 0
            position += 1
            continue
        if char == "(":
            position = _open(pattern, position, groups)
            continue
        item = 1
        if char == "\\":
            position += 2
        elif char == "[":
            position = _set_end(pattern, position + 1)
        elif char == ")" and len(groups) > 1:
            item = max(groups.pop()[0], 1)
            group = groups[-1]
            position += 1
        else:
            position += 1
        group[0] += item
        group[1] = item
    return max(sum(group[0] for group in groups), 1)


def _open(pattern, position, groups):
    """Past the "(" at ``position`` (and its flags): a comment or inline
    flags are skipped (no item), anything else opens a group in ``groups``."""
    if pattern.startswith("(?#", position):
        position += 3
        while position < len(pattern) and pattern[position] != ")":
            position += 2 if pattern[position] == "\\" else 1
        return position + 1
    flags = _INLINE_FLAGS.match(pattern, position)
    if flags and ("x" in flags[1] or "V1" in flags[1]):
        raise MaskError("mask_verbose")
    if flags and flags[2] == ")":
        return flags.end()
    groups.append([0, 0])
    return flags.end() if flags else position + 1


def _set_end(pattern, position):
    """Past the set whose "[" is just before ``position``: its first member
    may be "]", an escaped "]" does not end it, nor does a POSIX class's."""
    position += pattern.startswith("^", position)
    first = True
    while position < len(pattern):
        posix = _POSIX_CLASS.match(pattern, position)
        if pattern[position] == "\\":
            position += 2
        elif posix:
            position = posix.end()
        elif pattern[position] == "]" and not first:
            return position + 1
        else:
            position += 1
        first = False
    return position


def run(pattern, text, timeout=TIMEOUT):
    """(match or None, MaskError or None) of one pattern on folded text."""
    try:
        compiled = check(pattern)
        return compiled.search(text, timeout=timeout), None
    except MaskError as exc:
        return None, exc
    except TimeoutError:
        return None, MaskError("mask_timeout", seconds=number(timeout))


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
    """({field: Field}, [(field, MaskError)]) from ``masks``, a list of
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
    return page_number, [
        round(min(w.x0 for w in words), 1),
        round(min(w.top for w in words), 1),
        round(max(w.x1 for w in words), 1),
        round(max(w.bottom for w in words), 1),
    ]
