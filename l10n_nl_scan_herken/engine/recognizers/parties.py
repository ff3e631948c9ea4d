"""Who sent the invoice: IBAN, VAT number, KVK number and name. The own
company's identifiers never count; numbers printed as the customer's
('uw btw-nummer', 'customer VAT') only count when nothing else is there."""

import re

from ..result import Field
from .finders import find_labelled, words_in
from .identifiers import normalize_identifier, valid_iban, valid_vat

IBAN_RE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\s?[0-9OQDILSZBG]{2}(?:[ .]?[A-Z0-9]){10,32})")
VAT_COUNTRIES = "ATU|EU|AT|BE|BG|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI"
VAT_RE = re.compile(rf"(?<![A-Z0-9])({VAT_COUNTRIES})[\s.\-]?(\d[0-9A-Z\s.\-]{{1,18}})")
VAT_LABEL_RE = re.compile(
    r"b\.?t\.?w\.?\s*-?\s*(?:nummer|nr\.?|id|identificatienummer)?|vat\s*(?:number|no\.?|nr\.?|id|reg\.?)?|ondernemings\s*-?\s*(?:nummer|nr\.?)|omzetbelastingnummer|tva|ust-?id(?:nr\.?)?",
    re.IGNORECASE,
)
LOCAL_VAT_RE = re.compile(r"(0\d{3}[.\s]?\d{3}[.\s]?\d{3}|\d{9}\s?B\s?\d{2})(?![\dA-Z])", re.IGNORECASE)
KVK_VALUE_RE = re.compile(r"(\d(?:[\s.]?\d){7})(?![\d])")
LEGAL_FORM_RE = re.compile(
    r"(?<![a-z])(?:b\.\s?v\.?|bv|n\.\s?v\.?|nv|v\.o\.f\.?|vof|c\.v\.|cv|bvba|sprl|srl|comm\.?\s?v|"
    r"gmbh|ag|ltd\.?|limited|llc|inc\.?|s\.a\.r\.l\.|sarl|s\.a\.|sa|vzw|stichting|holding|group|groep)(?![a-z])",
    re.IGNORECASE,
)
LABEL_WORDS_RE = re.compile(
    r"factuur|invoice|creditnota|credit note|datum|date|nummer|number|pagina|page|rechnung|facture"
    r"|tel|fax|e-?mail|www\.|http|iban|bic|btw|vat|kvk|postbus|@|totaal|total|summe|gesamt|bedrag|betrag|amount"
    r"|kasse|quittung|beleg|receipt|bon(?:nr|\s*nr|:)",
    re.IGNORECASE,
)


def _context_before(line, start, chars=40):
    return line.text[max(0, start - chars) : start]


def _classify(line, start, patterns):
    """0 = customer's, 1 = neutral, 2 = in a bank/identity context."""
    before = _context_before(line, start)
    if patterns["customer_context"].search(before):
        return 0
    return 2 if patterns["bank_context"].search(line.text) else 1


def find_ibans(text):
    """(iban, start, end) for each valid IBAN in a line of text."""
    yield from _valid_matches(IBAN_RE, text, lambda m: _read_iban(re.sub(r"[^A-Z0-9]", "", m.group(1))))


def _valid_matches(pattern, text, read):
    """(value, start, end) of the matches whose ``read`` gives a value; a
    match may start inside a rejected one, never inside an accepted one."""
    consumed = 0
    for match in _overlapping(pattern, text.upper()):
        value = None if match.start() < consumed else read(match)
        if value:
            consumed = match.end()
            yield value, match.start(), match.end()


def _overlapping(pattern, text):
    """Matches that may start inside a rejected one: in "overmaken op IBAN
    NL91..." or "BTW NL...B01 IBAN NL..." the first try starts at a word
    ("OP IBAN ...") that only looks like a country code; the real number
    starts later and must still be found."""
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if not match:
            return
        yield match
        pos = match.start() + 1


def _pick(candidates):
    """Best class first, then reading order; customer numbers are a last resort."""
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[1] > 0, c[1], -c[2]))
    return best


def recognize_iban(doc, context, patterns):
    candidates = []
    order = 0
    for line in doc.lines:
        for iban, start, end in find_ibans(line.text):
            if context.is_own("iban", normalize_identifier("iban", iban)):
                continue
            order += 1
            candidates.append((iban, _classify(line, start, patterns), order, line, words_in(line, start, end)))
    best = _pick(candidates)
    if not best:
        return {}
    iban, klass, _order, line, words = best
    confidence = (0.95 if klass == 2 else 0.8 if klass == 1 else 0.3) * (0.6 + 0.4 * line.conf(words))
    return {"supplier_iban": Field(iban, confidence, line.page, line.bbox(words))}


_OCR_DIGITS = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "Z": "2", "B": "8", "G": "6"})


def _ocr_variants(compacted):
    """The text as read, then with OCR letter-for-digit slips mended where an
    IBAN must have digits: the check digits, then the whole account part
    (numeric in BE, DE, FR ...), then all but a four-letter bank code (NL, GB).
    The mod-97 check rejects any wrong mend."""
    yield compacted
    head = compacted[:2] + compacted[2:4].translate(_OCR_DIGITS)
    yield head + compacted[4:]
    yield head + compacted[4:].translate(_OCR_DIGITS)
    yield head + compacted[4:8] + compacted[8:].translate(_OCR_DIGITS)


def _read_iban(compacted):
    for variant in _ocr_variants(compacted):
        for length in range(min(len(variant), 34), 14, -1):
            iban = valid_iban(variant[:length])
            if iban:
                return iban
    return None


def recognize_vat(doc, context, patterns):
    candidates = []
    order = 0
    for line in doc.lines:
        for vat, start, end in _valid_matches(VAT_RE, line.text, lambda m: _first_valid_vat(m.group(1), m.group(2))):
            order += 1
            candidates.append((vat, line, start, end, order))
        upper = line.text.upper()
        label = VAT_LABEL_RE.search(line.text)
        if label:
            for match in LOCAL_VAT_RE.finditer(upper, label.end()):
                digits = re.sub(r"[\s.]", "", match.group(1))
                country = "BE" if digits.startswith("0") and len(digits) == 10 else "NL"
                vat = valid_vat(country + digits)
                if vat:
                    order += 1
                    candidates.append((vat, line, match.start(), match.end(), order))
    scored = []
    for vat, line, start, end, order_ in candidates:
        if context.is_own("vat", normalize_identifier("vat", vat)):
            continue
        scored.append((vat, _classify(line, start, patterns), order_, line, words_in(line, start, end)))
    best = _pick(scored)
    if not best:
        return {}
    vat, klass, _order, line, words = best
    confidence = (0.95 if klass else 0.3) * (0.6 + 0.4 * line.conf(words))
    return {"supplier_vat": Field(vat, confidence, line.page, line.bbox(words))}


def _first_valid_vat(country, rest):
    compacted = re.sub(r"[\s.\-]", "", rest)
    for length in range(min(len(compacted), 14), 1, -1):
        vat = valid_vat(country + compacted[:length])
        if vat:
            return normalize_identifier("vat", vat)
    return None


def recognize_kvk(doc, context, patterns):
    def accept(value):
        return not context.is_own("kvk", normalize_identifier("kvk", value))

    candidates = find_labelled(doc, patterns["kvk"], KVK_VALUE_RE, accept)
    scored = []
    for order, (value, confidence, line, words) in enumerate(candidates):
        start = line.text.find(words[0].text) if words else 0
        klass = _classify(line, start, patterns)
        scored.append((normalize_identifier("kvk", value), klass, order, line, words, confidence))
    best = _pick([c[:5] for c in scored])
    if not best:
        return {}
    kvk, klass, order, line, words = best
    confidence = scored[order][5] * (1 if klass else 0.3) * (0.6 + 0.4 * line.conf(words))
    return {"supplier_kvk": Field(kvk, confidence, line.page, line.bbox(words))}


def recognize_supplier_name(doc, context, patterns):
    """The letterhead: a large line near the top of page 1, or a line with a
    legal form (B.V., NV, GmbH ...); best effort, honest confidence."""
    if not doc.pages:
        return {}
    page = doc.pages[0]
    own = [name.lower() for name in context.own_names if name]
    customer_rows = _customer_block_lines(page, patterns)
    heights = sorted((line.height for line in page.lines), reverse=True)
    tall = heights[min(2, len(heights) - 1)] if heights else 0
    best, best_score = None, 0.0
    for line in doc.lines:
        text = _clean_name(_first_segment(line))
        if len(text) < 3 or id(line) in customer_rows or SENTENCE_RE.search(text):
            continue
        if any(name in text.lower() for name in own):
            continue
        digits = sum(ch.isdigit() for ch in text)
        if digits > len(text) * 0.25:
            continue
        score = 0.0
        if LEGAL_FORM_RE.search(text):
            score += 0.5
        if line.page == 0 and line.top < page.height * 0.3:
            score += 0.25
            if line.height >= tall:
                score += 0.25
        if LABEL_WORDS_RE.search(text):
            score -= 0.4
        if score > best_score:
            best, best_score = (text, line), score
    if not best or best_score < 0.45:
        return {}
    text, line = best
    # The box holds the name's words, not the title or address beside it.
    words = line.words[: max(1, len(text.split()))]
    return {"supplier_name": Field(text, min(best_score, 0.9) * (0.6 + 0.4 * line.conf()), line.page, line.bbox(words))}


# "Kerkstraat 12", "Industrieweg 194a", "Postbus 3101" (a PO box is an address too).
STREET_RE = re.compile(
    r"^(?P<street>(?:[A-Za-zÀ-ÿ'’][A-Za-zÀ-ÿ'’.\-]*\s){0,4}[A-Za-zÀ-ÿ'’.\-]{3,}\s?\d{1,5}"
    r"(?:\s?[A-Za-z]{1,2}\b|\s?[-/]\s?\d{1,4}[A-Za-z]?)?)$"
)
# "5611 AZ Eindhoven" (NL), "2000 Antwerpen" (BE), "33098 Paderborn" (DE), "NL-5232 BR 's-Hertogenbosch".
ZIP_CITY_RE = re.compile(
    r"^(?:(?P<cc>NL|BE|DE|AT|FR|LU|B|D|A|F|L)\s?-\s?)?(?P<zip>\d{4}\s?[A-Z]{2}|\d{4,5})\s+"
    r"(?P<city>[A-Za-zÀ-ÿ'’][A-Za-zÀ-ÿ'’.\- ]{1,39})$"
)
ZIP_COUNTRY = {"B": "BE", "D": "DE", "A": "AT", "F": "FR", "L": "LU"}
ADDRESS_SPLIT_RE = re.compile(r"\s*(?:,|\||·|•|\s-\s|\s{2,})\s*")


def recognize_supplier_address(doc, fields):
    """Street, postcode, city and country of the supplier: on the lines
    under the letterhead's name (or beside it, split at commas and bars, as
    footers print them); the country from a Dutch postcode, a country
    prefix, else the supplier's VAT number or IBAN. Nothing when the name
    was not found: the addressee's address must not be proposed."""
    name = fields.get("supplier_name")
    if not name or not doc.pages:
        return {}
    lines = [line for line in doc.lines if line.page == name.page]
    start = next((i for i, line in enumerate(lines) if line.text.startswith(name.value)), None)
    if start is None:
        return {}
    found = {}
    first = lines[start]
    rest = first.text[len(name.value) :]
    for line_text, line in [(rest, first)] + [(line.text, line) for line in lines[start + 1 : start + 5]]:
        if line is not first and abs(line.x0 - first.x0) > 40:
            continue
        for segment in ADDRESS_SPLIT_RE.split(line_text.strip()):
            zip_city = ZIP_CITY_RE.match(segment)
            if zip_city and "supplier_zip" not in found:
                found["supplier_zip"] = Field(zip_city["zip"], 0.7, line.page, line.bbox())
                found["supplier_city"] = Field(zip_city["city"].strip(" .,"), 0.7, line.page, line.bbox())
                country = zip_city["cc"]
                if country:
                    found["supplier_country"] = Field(ZIP_COUNTRY.get(country, country), 0.8, line.page)
                elif re.fullmatch(r"\d{4}\s?[A-Z]{2}", zip_city["zip"]):
                    found["supplier_country"] = Field("NL", 0.8, line.page)
                continue
            street = STREET_RE.match(segment)
            if street and "supplier_street" not in found and "supplier_zip" not in found:
                found["supplier_street"] = Field(street["street"], 0.7, line.page, line.bbox())
        if "supplier_zip" in found:
            break
    if found and "supplier_country" not in found:
        for key in ("supplier_vat", "supplier_iban"):
            if fields.get(key) and fields[key].value[:2].isalpha():
                code = fields[key].value[:2].upper()
                found["supplier_country"] = Field("GR" if code == "EL" else code, 0.6, name.page)
                break
    return found


def _first_segment(line):
    """The words up to the first wide gap: a letterhead shares its line with
    'FACTUUR' or an address column."""
    words = line.words[:1]
    for previous, word in zip(line.words, line.words[1:]):
        if word.x0 - previous.x1 > max(previous.height, 6) * 1.5:
            break
        words.append(word)
    return " ".join(w.text for w in words)


def _clean_name(text):
    text = re.split(r"\s[|·•–]\s|\s{2,}|,\s*(?=\d)", text)[0]
    # The document's title printed beside the letterhead ("Claes Elektro NV   FACTUUR").
    text = re.sub(
        r"\s+(?:tax\s+)?(?:factuur|invoice|rechnung|facture|creditnota|credit\s+note|gutschrift)$",
        "",
        text,
        flags=re.IGNORECASE,
    )
    return text.strip(" -|·•,:")


ADDRESSEE_RE = re.compile(
    r"\s*(?:factuuradres|afleveradres|factuur\s*aan|factuurontvanger|aan|bill\s*to|ship\s*to|sold\s*to|deliver\s*to"
    r"|invoice\s*to|klant|customer|geadresseerde|to|rechnungs?\s*-?\s*(?:empf[äa]nger|adresse|anschrift)"
    r"|liefer\s*-?\s*(?:adresse|anschrift)|empf[äa]nger|kunde|destinataire|factur[ée]\s*[àa]|adresse\s*de\s*facturation"
    r"|livr[ée]\s*[àa])\b\s*:?",
    re.IGNORECASE,
)
# A salutation alone on its line heads the address window: "Firma", "Herrn", "À".
ADDRESSEE_ALONE_RE = re.compile(
    r"\s*(?:firma|herrn?|frau|an|[àa]|m\.|mme|mevrouw|de\s*heer|dhr\.?|mevr\.?)\s*:?\s*$", re.IGNORECASE
)
# A sentence is no name: a mail body's "Hierbij ontvangt u de factuur van ...".
SENTENCE_RE = re.compile(r"(?:\S+\s+){7,}\S|[,;!?]\s|[a-z]{2,}[.!?]$")


def _customer_block_lines(page, patterns):
    """Lines of the addressee block: the label line ('Factuuradres', 'Bill
    to', 'Aan') and the four lines under it."""
    block = set()
    for index, line in enumerate(page.lines):
        if ADDRESSEE_RE.match(line.text) or ADDRESSEE_ALONE_RE.match(line.text):
            block.add(id(line))
            for below in page.lines[index + 1 : index + 5]:
                if below.x0 < line.x1 + 5 and below.x1 > line.x0 - 5:
                    block.add(id(below))
    return block
