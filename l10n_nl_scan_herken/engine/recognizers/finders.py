"""Finding the value that belongs to a label: right of it on the same line,
or under it in the same column (label-over-value tables)."""

import re

_SEPARATORS = re.compile(r"[\s:;#=\-–.]*(?:(?:nr|no|nummer|number|n°)\b\.?)?[\s:;#=\-–]*", re.IGNORECASE)


def word_spans(line):
    spans, pos = [], 0
    for word in line.words:
        spans.append((pos, pos + len(word.text)))
        pos += len(word.text) + 1
    return spans


def words_in(line, start, end):
    return [w for w, (s, e) in zip(line.words, word_spans(line)) if s < end and e > start]


def label_hits(lines, pattern):
    """(line, match) for every label occurrence, in reading order."""
    for line in lines:
        for match in pattern.finditer(line.text):
            yield line, match


def value_right(line, match, value_re):
    """The value right after the label on its line: (text, words) or None."""
    text = line.text
    if match.end() < len(text) and text[match.end()].isalnum():
        return None  # the label is part of a longer word ('invoice2data')
    pos = _SEPARATORS.match(text, match.end()).end()
    found = value_re.match(text, pos)
    if not found:
        return None
    return found.group(1) if found.groups() else found.group(0), words_in(line, found.start(), found.end())


def value_below(page_lines, line, match, value_re, max_lines=3):
    """The value under the label: the first following line with a word in
    the label's column, read from that word on."""
    label_words = words_in(line, match.start(), match.end())
    if not label_words:
        return None
    x0, x1 = label_words[0].x0, label_words[-1].x1
    limit = line.bottom + max(line.height, 6) * 4
    seen = 0
    for below in page_lines:
        if below.top <= line.bottom - 1 or below is line:
            continue
        if below.top > limit or seen >= max_lines:
            break
        seen += 1
        column = [w for w in below.words if w.x1 > x0 - 15 and w.x0 < x1 + 30]
        if not column:
            continue
        start_word = column[0]
        spans = word_spans(below)
        start = spans[below.words.index(start_word)][0]
        found = value_re.match(below.text, start)
        if found:
            return (
                found.group(1) if found.groups() else found.group(0),
                words_in(below, found.start(), found.end()),
                below,
            )
        return None
    return None


def find_labelled(doc, pattern, value_re, accept=None, exclude=None):
    """Candidates (value, confidence, line, words) for a label pattern:
    same-line values first, then values below. A label whose own word or the
    word before it matches ``exclude`` is skipped."""
    candidates = []
    for page in doc.pages:
        for line, match in label_hits(page.lines, pattern):
            if exclude is not None and _excluded(line.text, match, exclude):
                continue
            right = value_right(line, match, value_re)
            if right and (accept is None or accept(right[0])):
                candidates.append((right[0], 0.95, line, right[1]))
                continue
            below = value_below(page.lines, line, match, value_re)
            if below and (accept is None or accept(below[0])):
                candidates.append((below[0], 0.9, below[2], below[1]))
    return candidates


def _excluded(text, match, exclude):
    """The label's whole token ('Steuer-Nr.', 'Kunden-Nr.'), and the word
    before it when that word says whose number it is ('Uw btw-nummer',
    'Klant nr', 'Steuer Nr.'); a neighbouring field ('Factuuradres
    Factuurnummer') does not."""
    end = text.find(" ", match.end())
    start = text.rfind(" ", 0, match.start()) + 1
    around = text[start : end if end != -1 else len(text)]
    before = text[:start].rstrip().rsplit(" ", 1)[-1].rstrip(".")  # "Klant:" is a field of its own
    if _OWNER.match(before):
        around = before + " " + around
    return bool(exclude.search(around))


_OWNER = re.compile(
    r"(?:uw|your|klant|customer|client|debiteur|afnemer|ihre?|votre|steuer|ust|kunden|telefon|tel\.?|bank"
    r"|handelsregister|filiale|kassen?|terminal|trace|beleg|artikel|auftrag|order|liefer\w*|g\.?s\.?t\.?|vat|btw"
    r"|tva|tax|abn|kvk|coc|account|konto|job|project|projekt|item|art\.?)$",
    re.IGNORECASE,
)
