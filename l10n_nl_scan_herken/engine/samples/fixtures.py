"""Generated invoices with known values, for tests, benchmarks and demo data.

``make_spec(seed)`` draws an invoice (supplier, customer distractors, lines,
VAT, references, language, layout); ``render_pdf(spec)`` draws it with
reportlab; ``scan(pdf, seed)`` turns it into an image as a scanner or phone
would (rotation, skew, blur, noise, JPEG). ``spec.expected`` holds the values
the engine must find, in the command-line contract's keys.
"""

import datetime
import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from schwifty import IBAN
from stdnum.be import vat as be_vat
from stdnum.nl import btw as nl_btw

LABELS = {
    "nl": {
        "title": "FACTUUR",
        "credit": "CREDITNOTA",
        "number": "Factuurnummer",
        "date": "Factuurdatum",
        "due": "Vervaldatum",
        "po": "Uw ordernummer",
        "slip": "Pakbonnummer",
        "untaxed": "Totaal excl. btw",
        "tax": "BTW {rate}%",
        "total": "Totaal te betalen",
        "kvk": "KvK",
        "vat": "Btw-nr",
        "iban": "IBAN",
        "ref": "Betalingskenmerk",
        "desc": "Omschrijving",
        "qty": "Aantal",
        "price": "Prijs",
        "amount": "Bedrag",
        "customer_vat": "Uw btw-nummer",
        "customer": "Factuuradres",
        "customer_iban": "Wij incasseren van uw rekening",
        "pay": "Gelieve te betalen op",
    },
    "be": {
        "title": "FACTUUR",
        "credit": "CREDITNOTA",
        "number": "Factuurnr.",
        "date": "Datum",
        "due": "Vervaldag",
        "po": "Bestelbon",
        "slip": "Leveringsbon",
        "untaxed": "Maatstaf van heffing",
        "tax": "Btw {rate}%",
        "total": "Te betalen",
        "kvk": "RPR",
        "vat": "Ondernemingsnr. BTW",
        "iban": "IBAN",
        "ref": "Gestructureerde mededeling",
        "desc": "Omschrijving",
        "qty": "Aantal",
        "price": "Eenheidsprijs",
        "amount": "Totaal",
        "customer_vat": "Btw klant",
        "customer": "Klant",
        "customer_iban": "Uw rekening",
        "pay": "Te betalen op rekening",
    },
    "en": {
        "title": "INVOICE",
        "credit": "CREDIT NOTE",
        "number": "Invoice number",
        "date": "Invoice date",
        "due": "Due date",
        "po": "Your order no.",
        "slip": "Delivery note",
        "untaxed": "Subtotal",
        "tax": "VAT {rate}%",
        "total": "Total due",
        "kvk": "CoC",
        "vat": "VAT no.",
        "iban": "IBAN",
        "ref": "Payment reference",
        "desc": "Description",
        "qty": "Qty",
        "price": "Unit price",
        "amount": "Amount",
        "customer_vat": "Customer VAT",
        "customer": "Bill to",
        "customer_iban": "Your account",
        "pay": "Please pay to",
    },
}
SUPPLIERS = [
    "Jansen Installatietechniek",
    "De Vries Kantoorartikelen",
    "Bakker Transport",
    "Visser Schoonmaak",
    "Smit Drukwerk",
    "Mulder ICT Services",
    "Peeters Bouwmaterialen",
    "Van den Berg Catering",
    "Claes Elektro",
    "Hoekstra Advies",
    "Willems Groothandel",
    "Dekker Logistics",
]
FORMS = {"nl": ["B.V.", "BV", "V.O.F."], "be": ["BV", "NV", "BVBA"], "en": ["B.V.", "Ltd", "BV"]}
STREETS = ["Industrieweg", "Stationsstraat", "Kerkstraat", "Havenweg", "Molenlaan", "Dorpsstraat"]
CITIES = {
    "nl": ["1012 AB Amsterdam", "3511 CE Utrecht", "5611 AZ Eindhoven", "9711 LM Groningen"],
    "be": ["2000 Antwerpen", "9000 Gent", "3000 Leuven", "8000 Brugge"],
}
PRODUCTS = [
    "Onderhoud installatie",
    "Kantoorpapier A4",
    "Transport pallets",
    "Schoonmaak kantoor",
    "Drukwerk folders",
    "Licentie software",
    "Bouwmateriaal",
    "Lunch vergadering",
    "Kabel en montage",
    "Advieswerk uren",
]
NL_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CENT = Decimal("0.01")


def _money(value, lang, sign):
    text = f"{value:,.2f}"
    if lang != "en":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}" if sign else text


def _nl_vat(rng):
    while True:
        number = f"{rng.randint(10000000, 99999999):08d}"
        total = sum(int(d) * w for d, w in zip(number, range(9, 1, -1)))
        check = total % 11
        if check < 10:
            vat = f"NL{number}{check}B{rng.randint(1, 99):02d}"
            if nl_btw.is_valid(vat):
                return vat


def _be_vat(rng):
    base = rng.randint(2000000, 9999999) * 1 + 0
    body = f"0{base:07d}"[:8]
    vat = f"BE{body}{97 - int(body) % 97:02d}"
    return vat if be_vat.is_valid(vat) else _be_vat(rng)


def _nl_reference(rng):
    weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, 4, 8, 5, 10]
    body = "".join(str(rng.randint(0, 9)) for _ in range(15))
    check = 11 - sum(int(d) * w for d, w in zip(reversed(body), weights)) % 11
    check = {10: 1, 11: 0}.get(check, check)
    return f"{check}{body}"


def _ogm(rng):
    body = rng.randint(10**9, 10**10 - 1)
    digits = f"{body:010d}{(body % 97) or 97:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def _iban(rng, country):
    if country == "BE":
        return IBAN.generate(
            "BE", bank_code=f"{rng.randint(100, 999)}", account_code=f"{rng.randint(0, 10**7 - 1):07d}"
        ).compact
    bank = rng.choice(["ABNA", "INGB", "RABO", "TRIO", "KNAB"])
    return IBAN.generate("NL", bank_code=bank, account_code=f"{rng.randint(10**8, 10**10 - 1):010d}").compact


def _group(iban, grouped):
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if grouped else iban


@dataclass
class InvoiceSpec:
    seed: int
    lang: str
    layout: str
    credit: bool
    supplier: dict
    customer: dict
    number: str
    date: datetime.date
    due: datetime.date | None
    date_style: str
    lines: list
    po: str | None
    slip: str | None
    reference: str | None
    long: bool
    expected: dict = field(default_factory=dict)
    # Labels this supplier prints differently from the language's usual
    # ones: a layout zero-configuration recognition does not know.
    labels: dict = field(default_factory=dict)
    # The seed of the drawing's own choices (currency sign, IBAN and VAT
    # grouping): the same for every invoice of one supplier's layout.
    layout_seed: int | None = None


# Labels some suppliers print that zero-configuration recognition does not
# know (or not for this field): the layouts that learning must handle.
UNUSUAL_LABELS = [
    {"number": "Documentcode", "date": "Opgemaakt", "due": "Uiterlijk voldaan"},
    {"number": "Stuknr", "date": "Aangemaakt", "total": "Saldo"},
    {"number": "Volgnummer", "due": "Betalen voor", "po": "Opdracht"},
    {"number": "Boekstuk", "date": "Dd.", "slip": "Afgeleverd met"},
    {"number": "Ref.", "date": "Geleverd", "due": "Vervalt", "total": "Eindbedrag"},
    {"number": "Nota", "date": "Datum nota", "untaxed": "Netto", "po": "Project"},
]


def next_invoice(spec, seed, today=None):
    """The supplier's next invoice: same supplier, language, layout, labels
    and way of writing, other number, dates, lines and references."""
    other = make_spec(seed, today=today, lang=spec.lang, layout=spec.layout, credit=spec.credit)
    rng = random.Random(seed * 3 + 1)
    prefix = re.sub(r"\d+$", "", spec.number)
    other.supplier, other.customer, other.labels = spec.supplier, spec.customer, spec.labels
    other.date_style, other.long = spec.date_style, spec.long
    other.layout_seed = spec.seed if spec.layout_seed is None else spec.layout_seed
    other.number = f"{prefix}{rng.randint(1000, 999999)}"
    other.po = spec.po and f"PO{rng.randint(10000, 99999)}"
    other.slip = spec.slip and f"PB{rng.randint(10000, 99999)}"
    other.reference = spec.reference and (_ogm(rng) if spec.supplier["kvk"] is None else _nl_reference(rng))
    other.expected = expected_values(other)
    return other


def make_spec(seed, today=None, lang=None, layout=None, credit=None):
    rng = random.Random(seed)
    today = today or datetime.date(2026, 11, 24)
    lang = lang or rng.choice(["nl", "nl", "be", "en"])
    layout = layout or rng.choice(["labels", "table", "columns"])
    credit = rng.random() < 0.12 if credit is None else credit
    country = "BE" if lang == "be" else "NL"
    name = f"{rng.choice(SUPPLIERS)} {rng.choice(FORMS[lang])}"
    supplier = {
        "name": name,
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
        "city": rng.choice(CITIES["be" if country == "BE" else "nl"]),
        "iban": _iban(rng, country),
        "vat": _be_vat(rng) if country == "BE" else _nl_vat(rng),
        "kvk": None if country == "BE" else f"{rng.randint(10**7, 10**8 - 1)}",
    }
    customer = {
        "name": "Klant Holding B.V.",
        "street": "Keizersgracht 100",
        "city": "1015 AA Amsterdam",
        "vat": _nl_vat(rng),
        "iban": _iban(rng, "NL"),
    }
    date = today - datetime.timedelta(days=rng.randint(0, 150))
    due = date + datetime.timedelta(days=rng.choice([14, 30, 30, 60]))
    rates = [21, 9, 0] if country == "NL" else [21, 12, 6, 0]
    lines = []
    for _i in range(rng.randint(1, 6)):
        qty = rng.randint(1, 12)
        price = Decimal(rng.randint(150, 250000)) / 100
        rate = rng.choice(rates[:2]) if rng.random() < 0.85 else rng.choice(rates)
        lines.append((rng.choice(PRODUCTS), qty, price, rate))
    prefix = rng.choice(["F", "INV-", "", "2026-", "FA", "VF"])
    spec = InvoiceSpec(
        seed=seed,
        lang=lang,
        layout=layout,
        credit=credit,
        supplier=supplier,
        customer=customer,
        number=f"{prefix}{rng.randint(1000, 999999)}",
        date=date,
        due=due,
        date_style=rng.choice(["dash", "dot", "slash", "long", "iso"]),
        lines=lines,
        po=f"PO{rng.randint(10000, 99999)}" if rng.random() < 0.4 else None,
        slip=f"PB{rng.randint(10000, 99999)}" if rng.random() < 0.3 else None,
        reference=(_ogm(rng) if country == "BE" else _nl_reference(rng)) if rng.random() < 0.5 else None,
        long=rng.random() < 0.15,
    )
    spec.expected = expected_values(spec)
    return spec


def totals(spec):
    bases = {}
    for _desc, qty, price, rate in spec.lines:
        bases[rate] = bases.get(rate, Decimal(0)) + (qty * price).quantize(CENT)
    taxes = {rate: (base * rate / 100).quantize(CENT, ROUND_HALF_UP) for rate, base in bases.items()}
    untaxed = sum(bases.values())
    tax = sum(taxes.values())
    return bases, taxes, untaxed, tax, untaxed + tax


def expected_values(spec):
    bases, taxes, untaxed, tax, total = totals(spec)
    sign = -1 if spec.credit else 1
    return {
        "document_type": "credit_note" if spec.credit else "invoice",
        "supplier_iban": spec.supplier["iban"],
        "supplier_vat": spec.supplier["vat"],
        "supplier_kvk": spec.supplier["kvk"],
        "invoice_number": spec.number,
        "invoice_date": spec.date.isoformat(),
        "due_date": spec.due.isoformat() if spec.due else None,
        "currency": "EUR",
        "amount_untaxed": float(untaxed) * sign,
        "amount_tax": float(tax) * sign,
        "amount_total": float(total) * sign,
        "tax_lines": [
            {"rate": float(r), "base": float(bases[r]) * sign, "amount": float(taxes[r]) * sign}
            for r in sorted(bases, reverse=True)
        ],
        "payment_reference": spec.reference.replace(" ", "") if spec.reference else None,
        "purchase_order": spec.po,
        "packing_slip": spec.slip,
    }


def format_date(spec, date):
    style = spec.date_style
    if style == "long":
        months = EN_MONTHS if spec.lang == "en" else NL_MONTHS
        return f"{date.day} {months[date.month - 1]} {date.year}"
    if style == "iso":
        return date.isoformat()
    sep = {"dash": "-", "dot": ".", "slash": "/"}[style]
    if spec.lang == "en" and sep == "/":
        return f"{date.day:02d}/{date.month:02d}/{date.year}"
    return f"{date.day:02d}{sep}{date.month:02d}{sep}{date.year}"
