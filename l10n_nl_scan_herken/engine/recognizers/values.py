"""Parsing amounts and dates as Dutch, Flemish, English, French and German
invoices write them."""

import datetime
import re
from decimal import Decimal, InvalidOperation

CURRENCY_SIGNS = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "EUR": "EUR",
    "USD": "USD",
    "GBP": "GBP",
    "CHF": "CHF",
    "SEK": "SEK",
    "DKK": "DKK",
    "NOK": "NOK",
    "PLN": "PLN",
}

AMOUNT_RE = re.compile(
    r"(?<![\w.,/])(?P<neg>[-−–]\s?)?(?:(?P<cur>€|EUR|USD|GBP|CHF|\$|£)\s?)?(?P<neg2>[-−–]\s?)?"
    r"(?P<num>\d{1,3}(?:[.,'’\u00a0 ]\d{3})+[.,]\d{2}|\d+[.,]\d{2}|\d+,-{1,2}|\d+(?=\s?(?:€|EUR)\b))"
    r"(?![\d%]|\s%|[.,/-]\d)(?P<neg3>-(?!\d))?(?:\s?(?P<cur2>€|EUR)\b)?"
)
PERCENT_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")

MONTHS = {}
for _num, _names in enumerate(
    [
        "januari jan january janvier januar jänner",
        "februari feb february février fevrier februar",
        "maart mrt mar march mars märz maerz",
        "april apr avril",
        "mei may mai",
        "juni jun june juin",
        "juli jul july juillet",
        "augustus aug august août aout",
        "september sep sept septembre",
        "oktober okt oct october octobre",
        "november nov novembre",
        "december dec décembre decembre dezember dez",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _num
# A month name misspelt or misread after its first three letters ("Januray",
# "Febuary", "Septmber") is still that month.
_MONTH_PREFIXES = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
    "dez": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True)) + rf"|(?:{'|'.join(_MONTH_PREFIXES)})[a-zäéû]{{2,7}}"

DATE_NUMERIC_RE = re.compile(r"(?<![\d.,/-])(\d{1,2})\s?([-./])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d])")
# OCR reads a dot-matrix date's first dot as a comma: "04, 04. 2020".
DATE_OCR_COMMA_RE = re.compile(r"(?<![\d.,/-])(\d{1,2}),\s?(\d{1,2})\.\s?(\d{4})(?!\d)")
DATE_ISO_RE = re.compile(r"(?<![\d.,/-])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
DATE_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:e|st|nd|rd|th|er)?\.?[\s-]*({_MONTH_ALT})\.?,?[\s-]*(\d{{4}}|'?\d{{2}})(?!\d)",
    re.IGNORECASE,
)
DATE_MONTH_DAY_RE = re.compile(
    rf"(?<![a-z])({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)


def parse_amount(match):
    """A Decimal from an AMOUNT_RE match; the last separator followed by
    two digits is the decimal one, whatever the notation."""
    num = match.group("num")
    if num.endswith("-"):
        value = num.rstrip("-").rstrip(",")
    elif len(num) > 3 and num[-3] in ".,":
        value = re.sub(r"[^\d]", "", num[:-3]) + "." + num[-2:]
    else:
        value = re.sub(r"[^\d]", "", num)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    if match.group("neg") or match.group("neg2") or match.group("neg3"):
        amount = -amount
    return amount


def find_amounts(text):
    """(amount, start, end, currency) for every amount in a text."""
    found = []
    for match in AMOUNT_RE.finditer(text):
        amount = parse_amount(match)
        if amount is None:
            continue
        currency = CURRENCY_SIGNS.get(match.group("cur") or match.group("cur2") or "")
        found.append((amount, match.start(), match.end(), currency))
    return found


def _month(name):
    name = name.lower()
    return MONTHS.get(name) or _MONTH_PREFIXES[name[:3]]


def _year(text):
    year = int(text.lstrip("'"))
    return year + 2000 if year < 100 else year


def _make_date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def find_dates(text, order="dmy"):
    """(date, start, end, ambiguous) for every date in a text; ``ambiguous``
    says that day and month could be swapped (both <= 12 and different)."""
    found = []
    taken = []
    for match in DATE_ISO_RE.finditer(text):
        date = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if date:
            found.append((date, match.start(), match.end(), False))
            taken.append((match.start(), match.end()))
    for match in DATE_NUMERIC_RE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        first, second, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
        day, month = (first, second) if order == "dmy" else (second, first)
        date = _make_date(year, month, day)
        if not date:
            date = _make_date(year, day, month)
            if not date:
                continue
        ambiguous = first <= 12 and second <= 12 and first != second
        found.append((date, match.start(), match.end(), ambiguous))
    for match in DATE_OCR_COMMA_RE.finditer(text):
        date = _make_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if date and not any(s <= match.start() < e for s, e in taken):
            found.append((date, match.start(), match.end(), False))
    for match in DATE_DAY_MONTH_RE.finditer(text):
        date = _make_date(_year(match.group(3)), _month(match.group(2)), int(match.group(1)))
        if date:
            found.append((date, match.start(), match.end(), False))
    for match in DATE_MONTH_DAY_RE.finditer(text):
        date = _make_date(_year(match.group(3)), _month(match.group(1)), int(match.group(2)))
        if date:
            found.append((date, match.start(), match.end(), False))
    found.sort(key=lambda item: item[1])
    return found


def learn_date_order(text):
    """'dmy' or 'mdy' when a numeric date in the text can only be read one way."""
    votes = {"dmy": 0, "mdy": 0}
    for match in DATE_NUMERIC_RE.finditer(text):
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            votes["dmy"] += 1
        elif second > 12 >= first:
            votes["mdy"] += 1
    if votes["dmy"] == votes["mdy"]:
        return None
    return max(votes, key=votes.get)


def parse_percent(text):
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
