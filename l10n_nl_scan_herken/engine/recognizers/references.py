"""Invoice number, purchase order, packing slip and payment reference."""

import re

from stdnum import iso11649

from ..result import Field
from .finders import find_labelled, words_in
from .identifiers import valid_iban, valid_vat
from .parties import find_ibans
from .values import DATE_ISO_RE, DATE_NUMERIC_RE

# PDFs often draw the hyphen of "40391217-0002" as U+2010/2011 or an en dash.
HYPHENS = "\u2010\u2011\u2012\u2013"
REFERENCE_RE = re.compile(
    rf"((?=[A-Za-z0-9\-{HYPHENS}/._]*\d)[A-Za-z0-9][A-Za-z0-9\-{HYPHENS}/._]{{0,29}})(?![A-Za-z0-9])"
)
OGM_RE = re.compile(r"([+*]{3})\s?(\d{3})\s?/\s?(\d{4})\s?/\s?(\d{5})\s?\1")
NL_REFERENCE_RE = re.compile(r"(?<![\d])(\d{4}[ .]?\d{4}[ .]?\d{4}[ .]?\d{4})(?![\d])")
RF_RE = re.compile(r"(?<![A-Z0-9])(RF\d{2}(?:\s?[A-Z0-9]){1,21})", re.IGNORECASE)
LOOSE_DIGITS_RE = re.compile(r"(?<![\d])(\d[\d .]{14,22}\d)(?![\d])")
NL_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, 4, 8, 5, 10]


def _is_date(value):
    return bool(DATE_NUMERIC_RE.fullmatch(value) or DATE_ISO_RE.fullmatch(value))


def _clean_reference(value):
    return re.sub(f"[{HYPHENS}]", "-", value).strip(".-/_")


def _best_labelled(doc, pattern, accept, weak_pattern=None, exclude=None, weak_exclude=None, skip=None):
    """The best value for a label; with ``exclude``, labels that speak of
    the customer ('uw btw-nummer', 'klantnummer') do not count, and a weak
    label ('Nr.') also not when it names another number ('Steuer-Nr.');
    ``skip(line)`` drops values on lines that belong elsewhere."""
    candidates = _labelled(doc, pattern, accept, exclude, skip)
    weak = False
    if not candidates and weak_pattern is not None:
        candidates = _labelled(doc, weak_pattern, accept, weak_exclude or exclude, skip)
        weak = True
    if not candidates:
        return None
    value, confidence, line, words = max(candidates, key=lambda c: c[1])
    if weak:
        confidence *= 0.6
    return Field(_clean_reference(value), confidence * (0.6 + 0.4 * line.conf(words)), line.page, line.bbox(words))


def _labelled(doc, pattern, accept, exclude, skip):
    candidates = find_labelled(doc, pattern, REFERENCE_RE, accept, exclude)
    return [c for c in candidates if skip is None or not skip(c[2])]


def _card_slip(doc, patterns, above=1, below=3):
    """A test for lines of a card terminal's slip: a line with its words,
    the line above it or the lines under it on the same page."""
    slip = set()
    for page in doc.pages:
        hits = [i for i, line in enumerate(page.lines) if patterns["card_slip"].search(line.text)]
        for i in hits:
            slip.update(id(line) for line in page.lines[max(0, i - above) : i + below + 1])
    return lambda line: id(line) in slip


def recognize_references(doc, context, patterns, identifiers=()):
    """Identifiers already recognised (IBAN, VAT, KVK) are never an invoice
    or order number."""
    taken = {re.sub(r"\W", "", str(v)).upper() for v in identifiers if v}

    def accept(value):
        value = _clean_reference(value)
        compact = re.sub(r"\W", "", value).upper()
        return (
            len(value) >= 1
            and not _is_date(value)
            and compact not in taken
            and not valid_vat(compact)
            and not valid_iban(compact)
        )

    found = {}
    exclude = re.compile(
        f"(?:{patterns['customer_context'].pattern})|(?:{patterns['not_invoice_number'].pattern})", re.IGNORECASE
    )
    number = _best_labelled(
        doc,
        patterns["invoice_number"],
        accept,
        patterns["invoice_number_weak"],
        exclude=patterns["customer_context"],
        weak_exclude=exclude,
        skip=_card_slip(doc, patterns),
    )
    if number:
        found["invoice_number"] = number
        taken.add(re.sub(r"\W", "", number.value).upper())
    for key in ("purchase_order", "packing_slip"):
        field = _best_labelled(doc, patterns[key], accept, patterns.get(f"{key}_weak"))
        if field:
            found[key] = field
    payment = recognize_payment_reference(doc, patterns)
    if payment:
        found["payment_reference"] = payment
    return found


def nl_reference_valid(digits):
    """The Dutch betalingskenmerk: 16 digits, the first a mod-11 check digit
    over the other 15 with the Currence weights."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(reversed(digits[1:]), NL_WEIGHTS))
    check = 11 - total % 11
    check = {10: 1, 11: 0}.get(check, check)
    return check == int(digits[0])


def ogm_valid(digits):
    if len(digits) != 12:
        return False
    check = int(digits[:10]) % 97 or 97
    return check == int(digits[10:])


def _without_ibans(text):
    """The line with its IBANs blanked: an account number's digits
    ("AT40 2011 1848 8609 1200") can pass a reference's check digit."""
    for _iban, start, end in list(find_ibans(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def recognize_payment_reference(doc, patterns):
    """Structured references only: BE OGM, NL betalingskenmerk, ISO 11649 RF."""
    candidates = []
    for line in doc.lines:
        labelled = bool(patterns["payment_reference"].search(line.text))
        text = _without_ibans(line.text)
        for match in OGM_RE.finditer(text):
            digits = "".join(match.groups()[1:])
            if ogm_valid(digits):
                value = f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"
                candidates.append((value, 0.97, line, match))
        for match in RF_RE.finditer(text):
            value = re.sub(r"\s", "", match.group(1)).upper()
            if iso11649.is_valid(value):
                candidates.append((value, 0.95, line, match))
        for match in NL_REFERENCE_RE.finditer(text):
            digits = re.sub(r"\D", "", match.group(1))
            if nl_reference_valid(digits):
                candidates.append((digits, 0.95 if labelled else 0.75, line, match))
        if labelled:
            # OCR splits long digit runs anywhere: read the labelled digits whole.
            for match in LOOSE_DIGITS_RE.finditer(text):
                digits = re.sub(r"\D", "", match.group(1))
                if len(digits) == 16 and nl_reference_valid(digits):
                    candidates.append((digits, 0.9, line, match))
    if not candidates:
        return None
    value, confidence, line, match = max(candidates, key=lambda c: c[1])
    words = words_in(line, match.start(), match.end())
    return Field(value, confidence * (0.6 + 0.4 * line.conf(words)), line.page, line.bbox(words))
