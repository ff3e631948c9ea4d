"""Learning a supplier mask from a correction: where the posted value is
printed, and what identifies that place on this supplier's layout (the
label before it on its line, or the column header above it). The mask is
kept only when, run on the same document, it gives the posted value, so a
mask never starts out wrong."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from .masks import MASK_FIELDS, TOKENS, apply_masks, fold
from .values import find_amounts, find_dates

# At most this many words before the value make its label: enough to tell
# "Totaal excl. btw" from "Totaal", few enough to survive other values.
MAX_LABEL_WORDS = 5
_TOKEN_RES = {token: re.compile(expression) for token, expression in TOKENS.items()}


def _escape(text):
    """Text as a pattern, escaping only what must be: a learned pattern stays readable ("Nr.:" gives "Nr\\.:")."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def same_value(key, first, second):
    """Whether two values of a field are the same booking: dates by day,
    amounts by cent (sign aside: a credit note's amounts are printed
    positive), text without case and spaces."""
    if empty(first) or empty(second):
        return False
    kind = MASK_FIELDS[key]
    if kind == "amount":
        try:
            return abs(Decimal(str(first))).quantize(Decimal("0.01")) == abs(Decimal(str(second))).quantize(
                Decimal("0.01")
            )
        except InvalidOperation:
            return False
    if kind == "date":
        return str(first)[:10] == str(second)[:10]
    return re.sub(r"\s", "", str(first)).casefold() == re.sub(r"\s", "", str(second)).casefold()


def empty(value):
    """None, "" or False (an amount of 0 is a value)."""
    return value is None or value is False or (value == "" and isinstance(value, str))


def mask_value(text, key, pattern, order="dmy"):
    """(value or None, MaskError or None) the mask gives on a document text."""
    found, errors = apply_masks(text, [(key, pattern)], order)
    if errors:
        return None, errors[0][1]
    return (found[key].value if key in found else None), None


def learn_mask(document, key, value, order="dmy", near=None):
    """A pattern that finds ``value`` for field ``key`` on this document and
    would on the supplier's next one, or None when the value is not printed
    or nothing on its line or above it identifies it. ``near`` is
    (page number, [x0, top, x1, bottom]) of where the user clicked it, to
    prefer that place when the value is printed more than once."""
    kind = MASK_FIELDS.get(key)
    if kind is None or empty(value):
        return None
    if kind == "date" and isinstance(value, datetime.date):
        value = value.isoformat()
    text = document.text
    places = sorted(_places(document, kind, value, order), key=lambda place: not _overlaps(place, near))
    # A label on the value's own line says more than a column header (which
    # also stands over the lines of the invoice's items).
    candidates = [pattern for place in places for pattern in _label_patterns(place, kind, order)]
    candidates += [pattern for place in places for pattern in _header_patterns(document, place, kind, order)]
    return next(
        (pattern for pattern in candidates if same_value(key, mask_value(text, key, pattern, order)[0], value)), None
    )


def _places(document, kind, value, order):
    """(page, line, start, end) of every place the value is printed."""
    for page in document.pages:
        for line in page.lines:
            text = line.text
            if kind == "date":
                spans = [
                    (start, end)
                    for date, start, end, _ambiguous in find_dates(text, order)
                    if date.isoformat() == str(value)[:10]
                ]
            elif kind == "amount":
                spans = [
                    _number_span(text, start, end)
                    for amount, start, end, _currency in find_amounts(text)
                    if same_value("amount_total", amount, value)
                ]
            else:
                wanted = r"\s?".join(re.escape(char) for char in re.sub(r"\s", "", str(value)))
                spans = [match.span() for match in re.finditer(rf"(?<![^\W_]){wanted}(?![^\W_])", text, re.IGNORECASE)]
            for start, end in spans:
                yield page, line, start, end


def _number_span(text, start, end):
    """The digits of an amount, without its currency sign."""
    match = re.search(r"\d[\d.,' \u00a0]*\d", text[start:end])
    return (start + match.start(), start + match.end()) if match else (start, end)


def _overlaps(place, near):
    if not near:
        return False
    page, line, start, end = place
    box = line.bbox(_words_in(line, start, end))
    return page.number == near[0] and not (
        box[2] < near[1][0] or near[1][2] < box[0] or box[3] < near[1][1] or near[1][3] < box[1]
    )


def _words_in(line, start, end):
    """The words of a line that the characters start..end fall in."""
    words, offset = [], 0
    for word in line.words:
        if offset < end and start < offset + len(word.text):
            words.append(word)
        offset += len(word.text) + 1
    return words or line.words


def _label_patterns(place, kind, order):
    """Patterns of up to MAX_LABEL_WORDS words before the value on its line
    (a label glued to the value counts as one), shortest first; a label
    needs a word of letters that is not part of a date."""
    _page, line, start, end = place
    words, glued = _before(line.text[:start], order)
    value = _value_shape(kind, line.text[start:end])
    for count in range(min(len(words), MAX_LABEL_WORDS) + 1):
        label = words[len(words) - count :]
        if not any(named for _piece, named in (*label, glued)):
            continue
        yield " ".join(piece for piece, _named in label) + (" " if label else "") + glued[0] + value


def _before(before, order):
    """([(pattern, names something)] of the words before the value, and the
    same of the word glued to it): a date among them ("12 oktober 2026")
    is one item, by its shape, and names nothing."""
    glued = "" if not before or before.endswith(" ") else before.split(" ")[-1]
    before = before[: len(before) - len(glued)]
    items, position = [], 0
    for _date, start, end, _ambiguous in find_dates(before, order):
        items += [_word_item(word) for word in before[position:start].split()]
        items.append((_value_shape("date", before[start:end])[1:-1], False))
        position = end
    items += [_word_item(word) for word in before[position:].split()]
    return items, _word_item(glued)


def _word_item(word):
    """(pattern, names something): a word of letters names; one with digits
    in it ("PO12345") changes from invoice to invoice."""
    return _word_shape(word), bool(re.search(r"[^\W\d_]{2,}", word)) and not re.search(r"\d", word)


def _header_patterns(document, place, kind, order):
    """The pattern of a table column: the header line above the value (the
    nearest line above whose words stand over it), then as many words as
    lie between it and the value."""
    page, line, start, end = place
    words, glued = _before(line.text[:start], order)
    if kind == "amount" and any(named for _piece, named in words):
        return  # an amount under a header on a line with words is an item's, not a total
    box = line.bbox(_words_in(line, start, end))
    above = [
        other
        for other in page.lines
        if other.bottom <= line.top + 1 and any(word.x0 <= box[2] and box[0] <= word.x1 for word in other.words)
    ]
    if not above:
        return
    header = max(above, key=lambda other: other.bottom)
    titles, _glued = _before(header.text + " ", order)
    if not any(named for _piece, named in titles):
        return
    lines = page.lines
    between = sum(len(other.text.split()) for other in lines[lines.index(header) + 1 : lines.index(line)])
    between += len(line.text[:start].split()) - bool(glued[0])
    skip = rf"(?:\S+ ){{{between}}}" if between else ""
    yield (
        " ".join(piece for piece, _named in titles) + " " + skip + glued[0] + _value_shape(kind, line.text[start:end])
    )


def _word_shape(word):
    """A label word as a pattern: words of letters as written, a number or
    date in it (that changes from invoice to invoice) by its shape."""
    if not word or not re.search(r"\d", word):
        return _escape(word)
    for token, expression in _TOKEN_RES.items():
        if expression.fullmatch(word):
            return token
    return _shape(word, dates=False)


def _value_shape(kind, printed):
    """The value's group: MFS-ERP's tokens where they fit, else the printed
    value's shape (runs of digits and letters, other characters as they are)."""
    if kind == "amount":
        return "(-?#num2#)" if _TOKEN_RES["#num2#"].fullmatch(printed) else r"(-?\d[\d.,]*)"
    if kind == "date":
        for token in ("#dmyyyy#", "#dmyy#"):
            if _TOKEN_RES[token].fullmatch(printed):
                return f"({token})"
        return f"({_shape(printed, dates=True)})"
    return f"({_shape(printed, dates=False)})"


def _shape(text, dates):
    parts = []
    for run in re.findall(r"\d+|[^\W\d_]+|\s+|.", fold(text)):
        if run.isdigit():
            parts.append((r"\d{1,2}" if len(run) <= 2 else rf"\d{{{len(run)}}}") if dates else r"\d+")
        elif run.isspace():
            parts.append(" ")
        elif re.fullmatch(r"[^\W\d_]+", run):
            parts.append("[A-Z]+")
        else:
            parts.append(_escape(run))
    return "".join(parts)
