"""Invoice date and due date.

Day-month order: a firm context order (supplier, command line) wins; else a
numeric date in the document that reads only one way decides; else the
company default. The invoice date should lie at most six months back (a
month ahead is allowed for pre-dated invoices) and in the previous, current or
next year; a date outside that window, labelled or not, is still returned,
with low confidence, so the bill shows it and its warning."""

import datetime
import re

from ..result import Field
from .finders import label_hits, words_in
from .values import find_dates, learn_date_order

# Payment terms in days: "binnen 30 dagen", "within 14 days", "innerhalb von
# 14 Tagen", "30 Tage netto", "sous 30 jours", "Net 30".
TERM_RE = re.compile(
    r"(?<![a-zà-ü])(?:binnen|within|in|net|netto|innerhalb(?:\s*von)?|sous|dans\s*(?:les\s*)?|[àa])\s*(\d{1,3})\s*"
    r"(?:dagen|days|jours|tagen?|d\b)"
    r"|(?<![\d.,])(\d{1,3})\s*(?:dagen|days|tage|jours)\s*(?:netto|net|ohne\s*abzug|na\s*factuurdatum|after\s*invoice)"
    r"|(?<![a-z])net\s?(7|10|14|15|20|21|28|30|45|60|90)(?![\d.,])",
    re.IGNORECASE,
)
NET_AFTER_RE = re.compile(
    r"ohne\s*(?:jeden\s*)?abzug|rein\s*netto|netto\s*kasse|without\s*(?:discount|deduction)|zonder\s*korting"
    r"|sans\s*escompte|(?<![a-z])net(?:to)?\s*(?:\.|$)",
    re.IGNORECASE,
)
FOLLOWING_MONTH_RE = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\s*(?:day\s*)?of\s*(?:the\s*)?(?:month\s*following|following\s*month|next\s*month)"
    r"|(\d{1,2})(?:e|ste|de)?\s*(?:dag\s*)?van\s*de\s*(?:volgende\s*maand|maand\s*volgend)"
    r"|(\d{1,2})\.?\s*(?:des|im)\s*(?:folgemonats|folgenden\s*monats)",
    re.IGNORECASE,
)
# Payable at once: the due date is the invoice date.
AT_ONCE_RE = re.compile(
    r"(?:zahlbar|f[äa]llig)\s*sofort|sofort\s*(?:f[äa]llig|zahlbar|ohne\s*abzug|(?:rein\s*)?netto)"
    r"|zahlungsbedingung(?:en)?\s*:?\s*sofort|payable\s*immediately"
    r"|due\s*(?:on|upon)\s*receipt|per\s*direct\s*(?:te\s*)?(?:betalen|voldoen)|[àa]\s*r[ée]ception",
    re.IGNORECASE,
)


def date_order(doc_text, context):
    return date_order_with_source(doc_text, context)[0]


def date_order_with_source(doc_text, context):
    """('dmy'|'mdy', where it came from: 'context', 'document' or 'default')."""
    if context.date_order in ("dmy", "mdy"):
        return context.date_order, "context"
    learned = learn_date_order(doc_text)
    if learned:
        return learned, "document"
    return context.default_date_order or "dmy", "default"


def in_window(date, today):
    return (
        today - datetime.timedelta(days=183) <= date <= today + datetime.timedelta(days=31)
        and today.year - 1 <= date.year <= today.year + 1
    )


def _dates_for_label(page, line, match, order):
    """Dates right of the label on its line, else in its column below."""
    after = [d for d in find_dates(line.text, order) if d[1] >= match.end()]
    if after and after[0][1] - match.end() < 30:
        return [(after[0], line, 0.95)]
    label_words = words_in(line, match.start(), match.end())
    if not label_words:
        return []
    x0, x1 = label_words[0].x0, label_words[-1].x1
    for below in page.lines:
        if below.top <= line.bottom - 1 or below.top > line.bottom + max(line.height, 6) * 4:
            continue
        column_start = None
        pos = 0
        for word in below.words:
            if word.x1 > x0 - 15 and word.x0 < x1 + 30:
                column_start = pos
                break
            pos += len(word.text) + 1
        if column_start is None:
            continue
        found = [d for d in find_dates(below.text, order) if d[1] >= column_start]
        if found and found[0][1] - column_start < 4:
            return [(found[0], below, 0.9)]
        return []
    return []


def _labelled(doc, pattern, order):
    results = []
    for page in doc.pages:
        for line, match in label_hits(page.lines, pattern):
            results.extend(_dates_for_label(page, line, match, order))
    return results


def _field(candidate, confidence):
    (date, start, end, _ambiguous), line, _conf = candidate
    words = words_in(line, start, end)
    return Field(date.isoformat(), confidence * (0.6 + 0.4 * line.conf(words)), line.page, line.bbox(words))


def recognize_dates(doc, context, patterns):
    order = date_order(doc.text, context)
    today = context.today
    found = {}
    due = _labelled(doc, patterns["due_date"], order)
    due_dates = {c[0][0] for c in due}
    strong = _labelled(doc, patterns["invoice_date"], order)
    weak = [c for c in _labelled(doc, patterns["invoice_date_weak"], order) if c[0][0] not in due_dates]
    invoice = None
    for candidates, base in ((strong, 1.0), (weak, 0.75)):
        inside = [c for c in candidates if in_window(c[0][0], today)]
        if inside:
            invoice = _field(inside[0], inside[0][2] * base)
            break
        if candidates and invoice is None:
            invoice = _field(candidates[0], candidates[0][2] * base * 0.5)
    if invoice is None:
        invoice = _first_unlabelled(doc, order, today, due_dates)
    if invoice:
        if _ambiguous_without_order(invoice, doc, context):
            invoice.confidence *= 0.7
        found["invoice_date"] = invoice
    due = due or _net_dates(doc, order)
    if due:
        later = [c for c in due if not invoice or c[0][0].isoformat() >= invoice.value]
        if later:
            found["due_date"] = _field(later[0], later[0][2])
    elif invoice:
        following = _following_month(doc.text, datetime.date.fromisoformat(invoice.value))
        days = _term_days(doc.text)
        if following:
            found["due_date"] = Field(following.isoformat(), 0.6, invoice.page, None)
        elif days is not None:
            date = datetime.date.fromisoformat(invoice.value) + datetime.timedelta(days=days)
            found["due_date"] = Field(date.isoformat(), 0.6, invoice.page, None)
    return found


def _net_dates(doc, order):
    """Discount terms name the due date after it: "bis zum 29.09.2018
    ohne Abzug", "tot 15-04-2024 netto": the last date before the phrase."""
    found = []
    for line in doc.lines:
        net = NET_AFTER_RE.search(line.text)
        if net:
            dates = [d for d in find_dates(line.text, order) if d[2] <= net.start()]
            if dates:
                found.append((dates[-1], line, 0.8))
    return found


def _following_month(text, invoice_date):
    """ "20th of the month following invoice", "de 20e van de volgende maand",
    "zum 15. des Folgemonats": that day of the next month."""
    match = FOLLOWING_MONTH_RE.search(text)
    if not match:
        return None
    day = int(next(group for group in match.groups() if group))
    year, month = divmod(invoice_date.year * 12 + invoice_date.month, 12)
    for candidate in (day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, min(candidate, day))
        except ValueError:
            continue
    return None


def _term_days(text):
    """Days from the invoice date to the due date the terms state, or None."""
    term = TERM_RE.search(text)
    if term:
        return int(next(group for group in term.groups() if group))
    return 0 if AT_ONCE_RE.search(text) else None


def _first_unlabelled(doc, order, today, excluded):
    """The first date in the window; else, as for labelled dates, the first
    plausible one (not in the future, at most twenty years back) with low
    confidence, so a receipt's stamp is shown, with its warning, rather than
    nothing."""
    fallback = None
    for line in doc.lines:
        for date in find_dates(line.text, order):
            if date[0] in excluded:
                continue
            if in_window(date[0], today):
                return _field((date, line, 0.4), 0.4)
            if fallback is None and today - datetime.timedelta(days=7305) <= date[0] <= today:
                fallback = (date, line)
    return _field((*fallback, 0.4), 0.2) if fallback else None


def _ambiguous_without_order(field, doc, context):
    """True when the chosen date could be read the other way round and
    nothing (context or document) fixed the order."""
    if context.date_order or learn_date_order(doc.text):
        return False
    date = datetime.date.fromisoformat(field.value)
    return date.day <= 12 and date.month != date.day
