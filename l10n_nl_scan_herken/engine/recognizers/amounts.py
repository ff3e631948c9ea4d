"""Totals, VAT lines, currency and credit notes.

Every amount on the page gets a role from the words before it on its line
(or, in a totals table, from the header above it). The untaxed amount, VAT
and total are then chosen together so that untaxed + VAT = total where the
document allows it; a consistent triple is what makes the confidence high.
"""

import itertools
import re
from decimal import Decimal

from ..result import Field
from .finders import words_in
from .values import PERCENT_RE, find_amounts, parse_percent

CENT = Decimal("0.01")
KNOWN_RATES = {
    Decimal(r)
    for r in (
        "0",
        "4",
        "5",
        "5.5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "19",
        "20",
        "21",
        "22",
        "23",
        "24",
        "25",
        "27",
    )
}
ISO_CURRENCY_RE = re.compile(
    r"(?<![A-Z])(EUR|USD|GBP|CHF|SEK|DKK|NOK|PLN|CZK|HUF|JPY|CAD|AUD|NZD|SGD|HKD|MYR)(?![A-Z])"
)
# A bare "$" is the dollar of the country the document names, else the US one.
DOLLAR_COUNTRIES = [
    ("NZD", re.compile(r"\bNew Zealand\b|\bNZ\s?\$|\.co\.nz\b|\bNZ\b", re.IGNORECASE)),
    ("AUD", re.compile(r"\bAustralia\b|\bA\$|\.com\.au\b|\bABN\b|\b(?:NSW|VIC|QLD)\s\d{4}\b", re.IGNORECASE)),
    ("CAD", re.compile(r"\bCanada\b|\bC\$|\.ca\b|\bHST\b", re.IGNORECASE)),
    ("SGD", re.compile(r"\bSingapore\b|\bS\$", re.IGNORECASE)),
    ("HKD", re.compile(r"\bHong Kong\b|\bHK\$", re.IGNORECASE)),
]
# Weaker hints, read only when no country is named: cities, the New Zealand
# bank account format (02-1234-1234567-00), a "GST No." (Australia prints an ABN).
DOLLAR_HINTS = [
    (
        "NZD",
        re.compile(
            r"\b(?:Auckland|Wellington|Christchurch|Manukau|Dunedin|Tauranga|Hamilton\s+\d{4})\b"
            r"|\b\d{2}[- ]\d{4}[- ]\d{7}[- ]\d{2,3}\b|\bG\.?S\.?T\.?\s*(?:Reg\.?\s*)?(?:No|#)",
            re.IGNORECASE,
        ),
    ),
    ("AUD", re.compile(r"\b(?:Sydney|Melbourne|Brisbane|Perth|Adelaide|Canberra|Hobart)\b")),
    ("CAD", re.compile(r"\b(?:Toronto|Montr[ée]al|Vancouver|Ottawa|Calgary|Edmonton|Winnipeg)\b|\bGST/HST\b")),
]
# Malaysian ringgit, printed "RM 12.30", "RM12.30" or in a "(RM)" column head.
RINGGIT_RE = re.compile(r"\bRM\s?\d+[.,]\d{2}\b|\(RM\)")


# "includes 10% GST:", "incl. 19,00% MwSt (b)", "waarvan btw", "davon MwSt":
# the amount after such a label is the VAT a total includes, not the total.
TAX_INCLUDED_RE = re.compile(
    r"^\W*(?:incl(?:\.|usief|udes|uding)?|inkl(?:\.|usive)?|inclusive\s*of|waarvan|hiervan|davon|darin\s*enthalten"
    r"|enthaltene?|dont)\W*(?:(?:\d{1,2}(?:[.,]\d{1,2})?\s?%|de|der|the|of|aan|[A-Z]\W)\W*)*"
    r"(?:b\.?\s?t\.?\s?w|vat|taxe?s?|gst|mwst|ust|tva|iva|mehrwertsteuer|umsatzsteuer|omzetbelasting)(?![a-z])",
    re.IGNORECASE,
)


TAX_AFTER_RE = re.compile(r"\s*(?:€|EUR)?\s*(?:mwst|ust|b\.?t\.?w|vat|gst|tva)(?![a-z])", re.IGNORECASE)
INCLUDES_RE = re.compile(r"enth[äa]lt|enthalten|inkl|incl|includes?|including|waarvan|davon|dont", re.IGNORECASE)


def _role(label, patterns):
    if not re.search(r"[A-Za-z]", label):
        return None
    if TAX_INCLUDED_RE.search(label):
        return "amount_tax"
    if patterns["amount_incl"].search(label):
        return "amount_total"
    if patterns["amount_untaxed"].search(label):
        return "amount_untaxed"
    if patterns["amount_tax"].search(label):
        return "amount_tax"
    if patterns["amount_total"].search(label):
        return "amount_total"
    return None


def _header_above(page, line, words):
    """Header words above an amount in a totals table."""
    x0, x1 = words[0].x0, words[-1].x1
    for above in reversed(page.lines[: line.index]):
        if above.bottom > line.top + 1:
            continue
        if line.top - above.bottom > max(line.height, 6) * 3:
            return ""
        column = [w.text for w in above.words if w.x1 > x0 - 25 and w.x0 < x1 + 25]
        if column:
            text = " ".join(column)
            return text if not find_amounts(text) else ""
    return ""


# OCR of a till receipt's dot-matrix print often puts a space after the
# decimal separator ("48. 77", "Betrag EUR 48, 77").
OCR_DECIMAL_SPACE_RE = re.compile(r"(?<=\d)([.,]) (\d{2})(?![\d.,])")


def line_amounts(line, ocr=False):
    """The amounts of a line as find_amounts reads them, except that a space
    in a number only groups thousands when the words touch like one number:
    "10   279,61" with a column gap is a quantity and a price, not 10.279,61.
    On an OCR page, "48. 77" is 48.77 (the text keeps its length, so the
    words' places still match)."""
    text = _as_printed(line, ocr)
    found = []
    for amount, start, end, currency in find_amounts(text):
        words = words_in(line, start, end)
        # Only a number with a space inside ("10 279,61") can be two columns.
        cut = _column_gap(words) if re.search(r"\d\s+\d", text[start:end]) else None
        if cut is None:
            found.append((amount, start, end, currency))
            continue
        offset = start + len(" ".join(w.text for w in words[:cut])) + 1
        found.extend((a, s + offset, e + offset, c) for a, s, e, c in find_amounts(text[offset:end]))
    return found


def _as_printed(line, ocr):
    """The line's text, on an OCR page with "48. 77" closed up to "48.77 "
    (same length, so the words' places still match)."""
    return OCR_DECIMAL_SPACE_RE.sub(r"\1\2 ", line.text) if ocr else line.text


def _column_gap(words):
    """Index of the first digit word after a gap wider than two characters
    from the digit word before it (a currency sign or code may stand apart)."""
    digits = [(i, w) for i, w in enumerate(words) if any(ch.isdigit() for ch in w.text)]
    for (_i, left), (index, right) in itertools.pairwise(digits):
        char = (left.x1 - left.x0) / max(len(left.text), 1)
        if right.x0 - left.x1 > 2 * char + 0.5:
            return index
    return None


def collect_amounts(doc, patterns):
    """(role, amount, confidence, line, words, order) for each amount."""
    collected = []
    order = 0
    for page in doc.pages:
        for line in page.lines:
            amounts = line_amounts(line, page.source == "ocr")
            previous_end = 0
            for amount, start, end, _cur in amounts:
                order += 1
                label = line.text[previous_end:start]
                if not re.search(r"[A-Za-z]", label):
                    label = line.text[:start]
                words = words_in(line, start, end) or line.words
                role = _role(label, patterns)
                if TAX_AFTER_RE.match(line.text, end) and INCLUDES_RE.search(label):
                    role = "amount_tax"  # "Betrag enthält 3,26 € MwSt", "waarvan 2,10 btw"
                confidence = 0.9
                if role is None and not re.search(r"[A-Za-z]{2}", line.text[:start]):
                    role = _role(_header_above(page, line, words), patterns)
                    confidence = 0.8
                previous_end = end
                collected.append((role, amount, confidence, line, words, order))
    return collected


def _consistent(untaxed, tax, total):
    return abs(untaxed + tax - total) <= CENT


def choose_totals(collected):
    """The (untaxed, tax, total) candidates that add up, largest total first."""
    by_role = {"amount_total": [], "amount_untaxed": [], "amount_tax": []}
    for item in collected:
        if item[0] in by_role:
            by_role[item[0]].append(item)
    totals = sorted(by_role["amount_total"], key=lambda c: (abs(c[1]), c[5]), reverse=True)[:12]
    untaxed = sorted(by_role["amount_untaxed"], key=lambda c: -c[5])[:12]
    taxes = sorted(by_role["amount_tax"], key=lambda c: -c[5])[:12]
    for total in totals:
        for base in untaxed:
            for tax in taxes:
                if base[1] and _consistent(base[1], tax[1], total[1]):
                    return base, tax, total, True
    # The labelled total does not add up (OCR read 29.53 as 29.93): an amount
    # on another line that does (the card payment, "VISA 29,53") is the total;
    # not the gross column of a VAT table's row, which adds up for one rate.
    labelled = {c[1] for c in totals}
    others = [c for c in collected if c[0] != "amount_tax" and c[1] not in labelled]
    for base in untaxed:
        for tax in taxes:
            match = next(
                (
                    c
                    for c in others
                    if c[3] is not base[3]
                    and c[3] is not tax[3]
                    and base[1]
                    and abs(tax[1]) < abs(base[1])
                    and _consistent(base[1], tax[1], c[1])
                ),
                None,
            )
            if match:
                return base, tax, ("amount_total", match[1], 0.6, *match[3:]), True
    return (untaxed[0] if untaxed else None, taxes[0] if taxes else None, totals[0] if totals else None, False)


def _field(item, factor=1.0):
    _role_, amount, confidence, line, words, _order = item
    return Field(amount, confidence * factor * (0.6 + 0.4 * line.conf(words)), line.page, line.bbox(words))


def recognize_tax_lines(doc, patterns):
    """{rate: (base, tax, confidence)} from lines holding a VAT rate."""
    keyword_lines, item_lines = {}, {}
    for page in doc.pages:
        for line in page.lines:
            ocr = page.source == "ocr"
            percent = PERCENT_RE.search(_as_printed(line, ocr))
            if not percent:
                continue
            rate = parse_percent(percent.group(1))
            if rate not in KNOWN_RATES:
                continue
            amounts = [a for a in line_amounts(line, ocr) if not (a[1] <= percent.start() < a[2])]
            pair = _base_and_tax(rate, [a[0] for a in amounts])
            keyword = bool(patterns["amount_tax"].search(line.text))
            if not pair:
                if keyword and len(amounts) == 1 and rate == 0:
                    pair = (amounts[0][0], Decimal("0.00"))
                else:
                    continue
            target = keyword_lines if keyword else item_lines
            if keyword:
                target[rate] = pair
            else:
                base, tax = target.get(rate, (Decimal(0), Decimal(0)))
                target[rate] = (base + pair[0], tax + pair[1])
    return keyword_lines, item_lines


def _base_and_tax(rate, amounts):
    best = None
    for base in amounts:
        for tax in amounts:
            if base is tax or abs(base) < abs(tax):
                continue
            expected = base * rate / 100
            if abs(expected - tax) <= max(CENT * 2, abs(tax) * Decimal("0.002")) and (base or tax):
                if best is None or abs(base) > abs(best[0]):
                    best = (base, tax)
    return best


def recognize_currency(doc, collected):
    """The currency most amounts and codes name; a bare "$" follows the
    dollar country the document names; without any sign, "RM" amounts are
    ringgit, else amounts are euros."""
    counts, dollar_signs = {}, 0
    for line in doc.lines:
        for _amount, _s, _e, currency in find_amounts(line.text):
            if currency:
                counts[currency] = counts.get(currency, 0) + 1
        dollar_signs += line.text.count("$")
        for match in ISO_CURRENCY_RE.finditer(line.text):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    if counts:
        currency = max(counts, key=counts.get)
        if currency == "USD" and dollar_signs and "USD" not in doc.text:
            currency = next((code for code, hint in DOLLAR_COUNTRIES + DOLLAR_HINTS if hint.search(doc.text)), "USD")
        return Field(currency, 0.9 if len(counts) == 1 else 0.7, 0, None)
    if RINGGIT_RE.search(doc.text):
        return Field("MYR", 0.7, 0, None)
    if collected:
        return Field("EUR", 0.3, 0, None)
    return None


def _pick_tax_lines(keyword_lines, item_lines, tax_amount):
    for candidate in (keyword_lines, item_lines):
        if not candidate:
            continue
        total_tax = sum(tax for _base, tax in candidate.values())
        if tax_amount is None or abs(total_tax - tax_amount) <= CENT * 2:
            return candidate
    return {}


def recognize_amounts(doc, patterns):
    """Fields amount_untaxed, amount_tax, amount_total and tax_lines."""
    collected = collect_amounts(doc, patterns)
    base, tax, total, consistent = choose_totals(collected)
    found = {}
    if consistent:
        found = {"amount_untaxed": _field(base), "amount_tax": _field(tax), "amount_total": _field(total)}
    tax_lines = _pick_tax_lines(*recognize_tax_lines(doc, patterns), found["amount_tax"].value if consistent else None)
    if not consistent:
        found = _without_consistent_triple(base, tax, total, tax_lines, collected)
    if tax_lines:
        line_tax = sum(t for _b, t in tax_lines.values())
        confidence = 0.9 if "amount_tax" in found and abs(line_tax - found["amount_tax"].value) <= CENT * 2 else 0.5
        found["tax_lines"] = Field(
            [{"rate": rate, "base": b, "amount": t} for rate, (b, t) in sorted(tax_lines.items(), reverse=True)],
            confidence,
        )
    return found, collected


def _without_consistent_triple(base, tax, total, tax_lines, collected):
    found = {}
    line_base = sum((b for b, _t in tax_lines.values()), Decimal(0)) if tax_lines else None
    line_tax = sum((t for _b, t in tax_lines.values()), Decimal(0)) if tax_lines else None
    if tax_lines and (total is None or abs(line_base + line_tax - total[1]) > CENT * 2):
        # The VAT table adds up to an amount printed on the page (a "Brutto"
        # column, "Betrag EUR"): that is the total, whatever its label.
        confirmed = next((c for c in collected if abs(c[1] - (line_base + line_tax)) <= CENT), None)
        if confirmed is not None:
            return {
                "amount_untaxed": Field(line_base, 0.75, confirmed[3].page),
                "amount_tax": Field(line_tax, 0.75, confirmed[3].page),
                "amount_total": _field(("amount_total", *confirmed[1:]), 0.8),
            }
    if total is None and not (base or tax) and collected:
        largest = max(collected, key=lambda c: abs(c[1]))
        return {"amount_total": _field(largest, 0.35)}
    if total is not None:
        found["amount_total"] = _field(total, 0.85)
        total_value = total[1]
        if tax_lines and abs(line_base + line_tax - total_value) <= CENT * 2:
            found["amount_untaxed"] = Field(line_base, 0.8, total[3].page)
            found["amount_tax"] = Field(line_tax, 0.8, total[3].page)
        elif tax is not None and abs(tax[1]) < abs(total_value):
            found["amount_tax"] = _field(tax, 0.8)
            found["amount_untaxed"] = Field(total_value - tax[1], 0.55, total[3].page)
        elif base is not None and abs(base[1]) <= abs(total_value):
            found["amount_untaxed"] = _field(base, 0.8)
            found["amount_tax"] = Field(total_value - base[1], 0.55, total[3].page)
        return found
    if base is not None:
        found["amount_untaxed"] = _field(base, 0.7)
    if tax is not None:
        found["amount_tax"] = _field(tax, 0.7)
    if base is not None and tax is not None:
        found["amount_total"] = Field(base[1] + tax[1], 0.5, base[3].page)
    return found
