"""The value under the bookkeeper's click on the review screen: the word
clicked, read as the kind of field being filled (a date or an amount is
parsed as the recognisers parse it, with the words around it on its line,
so "3 maart 2024" or "€ 1.234,56" counts whichever part was clicked)."""

import re
from decimal import Decimal, InvalidOperation

from .recognizers.values import find_amounts, find_dates

KINDS = ("text", "date", "amount")
_PLAIN_NUMBER_RE = re.compile(r"[-−]?\d+(?:[.,]\d{1,4})?")
_EDGE_PUNCTUATION = ":;,()[]{}\"'"


def value_at(document, page_index, line_index, word_index, kind, order="dmy"):
    """{'value', 'text', 'bbox'} for the word at these indices of a
    Document (its pages and lines as read), or None when the word holds no
    value of that kind. Dates come back as ISO strings, amounts as floats."""
    try:
        page = document.pages[page_index]
        line = page.lines[line_index]
        word = line.words[word_index]
    except (IndexError, TypeError):
        return None
    start = sum(len(w.text) + 1 for w in line.words[:word_index])
    end = start + len(word.text)
    text = line.text
    if kind == "date":
        found = [(date, s, e) for date, s, e, _ambiguous in find_dates(text, order) if s < end and e > start]
        if not found:
            return None
        date, s, e = found[0]
        return _picked(date.isoformat(), line, s, e)
    if kind == "amount":
        found = [(amount, s, e) for amount, s, e, _currency in find_amounts(text) if s < end and e > start]
        if found:
            amount, s, e = found[0]
            return _picked(float(amount), line, s, e)
        plain = _PLAIN_NUMBER_RE.fullmatch(word.text.strip(_EDGE_PUNCTUATION + "€$£"))
        if not plain:
            return None
        try:
            amount = Decimal(plain.group().replace("−", "-").replace(",", "."))
        except InvalidOperation:
            return None
        return _picked(float(amount), line, start, end)
    value = word.text.strip(_EDGE_PUNCTUATION)
    return _picked(value, line, start, end) if value else None


def _picked(value, line, start, end):
    """The value with the words it was read from (their text and box)."""
    words, offset = [], 0
    for word in line.words:
        if offset < end and offset + len(word.text) > start:
            words.append(word)
        offset += len(word.text) + 1
    return {"value": value, "text": " ".join(w.text for w in words), "bbox": line.bbox(words)}
