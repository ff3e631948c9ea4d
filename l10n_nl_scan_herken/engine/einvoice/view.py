"""An XML e-invoice (UBL, CII, ZUGFeRD 1) as plain data for its rendering
(the QWeb template ``l10n_nl_scan_herken.einvoice_view``), so the
bookkeeper reads the invoice instead of its XML. Values stay as the XML
prints them (strings; dates as ISO strings); nothing is computed. Parsed
and refused exactly as read.py does, whose paths it shares."""

from datetime import date
from decimal import Decimal, InvalidOperation

from .cii import _cii_view
from .read import (
    MAX_EINVOICE_LINES,
    NAMESPACES,
    PARTY,
    PATHS,
    amount_text,
    declared_credit_note,
    first_text,
    iso_date,
    line_code,
    local_path,
    parse_einvoice,
)
from .ubl import UBL_VIEW
from .xml_safety import MAX_XML_BYTES

PARTY_KEYS = (
    "name",
    "legal_name",
    "street_lines",
    "postcode",
    "city",
    "country_code",
    "vat",
    "company_id",
    "company_id_scheme",
    "contact",
    "email",
    "phone",
    "electronic_address",
)
LINE_KEYS = (
    "id",
    "code",
    "name",
    "description",
    "note",
    "quantity",
    "unit_code",
    "unit_price",
    "price_base_quantity",
    "vat_rate",
    "vat_category",
    "amount",
)
TOTAL_KEYS = (
    "line_total",
    "allowance_total",
    "charge_total",
    "untaxed",
    "vat",
    "total",
    "prepaid",
    "rounding",
    "payable",
)


# What the view reads beyond read.py's header paths, per syntax: relative to
# the root, and under "party", "line", "subtotal", "allowance" relative to
# such an element.
def _local(paths):
    """``paths`` (nested) made namespace-free, for ZUGFeRD 1."""
    return {key: _local(path) if isinstance(path, dict) else local_path(path) for key, path in paths.items()}


_CII = "./rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTrade"
_ZF1 = "./rsm:SpecifiedSupplyChainTradeTransaction/ram:ApplicableSupplyChainTrade"
VIEW_PATHS = {
    "ubl": UBL_VIEW,
    "cii": _cii_view(
        "./rsm:SupplyChainTradeTransaction",
        "./rsm:ExchangedDocument",
        f"{_CII}Agreement",
        f"{_CII}Delivery",
        f"{_CII}Settlement",
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
        "ram:SpecifiedTradeSettlementLineMonetarySummation",
        "ram:RateApplicablePercent",
        "ram:IssuerAssignedID",
    ),
    "zugferd1": _local(
        _cii_view(
            "./rsm:SpecifiedSupplyChainTradeTransaction",
            "./rsm:HeaderExchangedDocument",
            f"{_ZF1}Agreement",
            f"{_ZF1}Delivery",
            f"{_ZF1}Settlement",
            "ram:SpecifiedTradeSettlementMonetarySummation",
            "ram:SpecifiedTradeSettlementMonetarySummation",
            "ram:ApplicablePercent",
            "ram:ID",
        )
    ),
}
PARTY_PATHS = {"ubl": PARTY["ubl"], "cii": PARTY["cii"], "zugferd1": _local(PARTY["cii"])}


def invoice_view(data: bytes, max_bytes=MAX_XML_BYTES) -> dict:
    """The e-invoice ``data`` as plain data for display; raises DocumentError
    (with read.py's message) for a hostile, malformed or non-e-invoice file.

    {"syntax": "ubl" | "cii" | "zugferd1", "document_kind": "invoice" | "credit_note", "type_code",
     "number", "issue_date", "due_date", "delivery_date", "period_start", "period_end", "currency",
     "buyer_reference", "order_reference", "payment_reference", "contract_reference",
     "despatch_reference", "invoice_reference" (the invoice a credit note corrects),
     "seller": {PARTY_KEYS..., "ibans": [str]}, "buyer": {PARTY_KEYS...},
     "lines": [{LINE_KEYS...}] (at most MAX_EINVOICE_LINES), "line_count", "lines_truncated",
     "allowance_charges": [{"charge": bool, "reason", "amount", "vat_rate"}],
     "vat_breakdown": [{"rate", "category", "base", "vat", "exemption_reason"}],
     "totals": {TOTAL_KEYS...}, "notes": [str], "payment_terms": str | None}

    Every value is a string as printed (None when absent), except dates (ISO
    strings), ``street_lines``, ``ibans`` and ``notes`` (lists), the counts
    and flags. The kind is what the document calls itself: a negative
    invoice stays an invoice here."""
    root, kind = parse_einvoice(data, max_bytes)
    paths, view = PATHS[kind], VIEW_PATHS[kind]
    currency = first_text(root, paths["currency"]) or _amounts_currency(root, kind)
    lines = root.xpath(view["lines"], namespaces=NAMESPACES)
    seller = _party(root, view["seller"], kind)
    seller["ibans"] = list(dict.fromkeys(_texts(root, view["bank_accounts"])))
    return {
        "syntax": kind,
        "document_kind": "credit_note" if declared_credit_note(root, kind) else "invoice",
        "type_code": first_text(root, paths["type_code"]),
        "number": first_text(root, paths["invoice_number"]),
        "issue_date": _iso_date(root, paths["invoice_date"]),
        "due_date": _iso_date(root, paths["due_date"]),
        "delivery_date": _iso_date(root, view["delivery_date"]),
        "period_start": _iso_date(root, view["period_start"]),
        "period_end": _iso_date(root, view["period_end"]),
        "currency": currency,
        "buyer_reference": first_text(root, view["buyer_reference"]),
        "order_reference": first_text(root, paths["purchase_order"]),
        "payment_reference": first_text(root, paths["payment_reference"]),
        "contract_reference": first_text(root, view["contract_reference"]),
        "despatch_reference": first_text(root, paths["packing_slip"]),
        "invoice_reference": first_text(root, view["invoice_reference"]),
        "seller": seller,
        "buyer": _party(root, view["buyer"], kind),
        "lines": [_line(node, view["line"]) for node in lines[:MAX_EINVOICE_LINES]],
        "line_count": len(lines),
        "lines_truncated": len(lines) > MAX_EINVOICE_LINES,
        "allowance_charges": [
            _allowance_charge(node, view["allowance"])
            for node in root.xpath(view["allowance_charges"], namespaces=NAMESPACES)
        ],
        "vat_breakdown": _vat_breakdown(root, kind, currency),
        "totals": _totals(root, kind, currency),
        "notes": _texts(root, view["notes"]),
        "payment_terms": "\n".join(_texts(root, view["payment_terms"])) or None,
    }


def _iso_date(root, path):
    """The date at ``path`` as an ISO string, None when it is no date
    (Odoo's test files print ``___ignore___``)."""
    iso = iso_date(first_text(root, path))
    try:
        return date.fromisoformat(iso).isoformat() if iso else None
    except ValueError:
        return None


def _amounts_currency(root, kind):
    """UBL 2.0 states no document currency: the one its amount to pay is in."""
    payable = _first(root, VIEW_PATHS[kind]["totals"]["payable"])
    return (payable.get("currencyID") or None) if payable is not None else None


def _first(node, path):
    found = node.xpath(path, namespaces=NAMESPACES)
    return found[0] if found else None


def _texts(node, path):
    """Every non-empty text at ``path``, stripped, in document order."""
    return [
        found.text.strip() for found in node.xpath(path, namespaces=NAMESPACES) if found.text and found.text.strip()
    ]


def _party(root, path, kind):
    node = _first(root, path)
    if node is None:
        return {key: [] if key == "street_lines" else None for key in PARTY_KEYS}
    paths, own = VIEW_PATHS[kind]["party"], PARTY_PATHS[kind]
    party = {
        key: first_text(node, paths[key])
        for key in ("legal_name", "postcode", "city", "country_code", "contact", "email", "phone", "electronic_address")
    }
    party["name"] = first_text(node, own["name"])
    party["vat"] = first_text(node, own["vat"])
    street = _texts(node, paths["street_lines"])
    number = first_text(node, paths["building_number"]) if "building_number" in paths else None
    if number:
        street = [f"{street[0]} {number}", *street[1:]] if street else [number]
    party["street_lines"] = street
    # The legal registration (KvK in NL), else a KvK number stated anywhere
    # in the party (an endpoint or identification of scheme 0106).
    company = _first(node, paths["company_id"])
    if company is None or not (company.text or "").strip():
        company = _first(node, own["kvk"])
    text = company.text.strip() if company is not None and company.text else ""
    party["company_id"] = text or None
    party["company_id_scheme"] = company.get("schemeID") if text else None
    return {key: party[key] for key in PARTY_KEYS}


def _line(node, paths):
    line = {key: first_text(node, path) for key, path in paths.items()}
    line["code"] = line_code(node)
    if _is_one(line["price_base_quantity"]):
        line["price_base_quantity"] = None  # a price per 1 unit says nothing more
    quantity = _first(node, paths["quantity"])
    line["unit_code"] = quantity.get("unitCode") if quantity is not None else None
    return {key: line[key] for key in LINE_KEYS}


def _is_one(text):
    try:
        return text is not None and Decimal(text) == 1
    except InvalidOperation:
        return False


def _allowance_charge(node, paths):
    indicator = first_text(node, paths["charge"])
    return {
        "charge": (indicator or "").lower() == "true",
        "reason": first_text(node, paths["reason"]),
        "amount": first_text(node, paths["amount"]),
        "vat_rate": first_text(node, paths["vat_rate"]),
    }


def _vat_breakdown(root, kind, currency):
    """The VAT breakdown in the invoice's currency (a UBL may repeat its VAT
    total in the accounting currency)."""
    paths, own = PATHS[kind], VIEW_PATHS[kind]["subtotal"]
    breakdown = []
    for node in root.xpath(paths["tax_subtotals"], namespaces=NAMESPACES):
        vat = _first(node, paths["tax_amount"])
        if currency and vat is not None and vat.get("currencyID") not in (None, currency):
            continue
        breakdown.append(
            {
                "rate": first_text(node, paths["tax_rate"]),
                "category": first_text(node, own["category"]),
                "base": first_text(node, paths["tax_base"]),
                "vat": first_text(node, paths["tax_amount"]),
                "exemption_reason": first_text(node, own["exemption_reason"]),
            }
        )
    return breakdown


def _totals(root, kind, currency):
    paths = dict(
        VIEW_PATHS[kind]["totals"],
        untaxed=PATHS[kind]["amount_untaxed"],
        vat=PATHS[kind]["amount_tax"],
        total=PATHS[kind]["amount_total"],
    )
    return {key: amount_text(root, paths[key], currency) for key in TOTAL_KEYS}
