"""Normalising and validating IBAN, VAT and KVK numbers."""

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat as eu_vat

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def compact(value):
    return _NON_ALNUM.sub("", value or "").upper()


def normalize_identifier(kind, value):
    """One spelling per identifier, so own and recognised numbers compare:
    IBAN and VAT compact upper case, KVK its 8 digits."""
    value = compact(value)
    if kind == "kvk":
        digits = re.sub(r"\D", "", value)
        return digits[-8:].zfill(8) if digits else ""
    if kind == "vat" and value[:2] == "GR":
        value = "EL" + value[2:]
    return value


def valid_iban(value):
    try:
        return IBAN(value, validate_bban=True).compact
    except (SchwiftyException, ValueError):
        return None


def valid_vat(value):
    value = compact(value)
    try:
        return value if eu_vat.is_valid(value) else None
    except Exception:  # stdnum raises many kinds for odd input; invalid either way
        return None


def format_iban(value):
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
