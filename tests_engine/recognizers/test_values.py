"""Table-driven tests of amount, date and reference parsing."""

import datetime
from decimal import Decimal

import pytest
from scan_engine.recognizers.references import nl_reference_valid, ogm_valid
from scan_engine.recognizers.values import find_amounts, find_dates, learn_date_order


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Totaal € 1.234,56", Decimal("1234.56")),
        ("Total $1,234.56", Decimal("1234.56")),
        ("Bedrag 1234,56", Decimal("1234.56")),
        ("Amount 1234.56 EUR", Decimal("1234.56")),
        ("Te betalen € 25,-", Decimal(25)),
        ("Credit € -12,50", Decimal("-12.50")),
        ("Credit 12,50-", Decimal("-12.50")),
        ("Totaal EUR 1 234,56", Decimal("1234.56")),
        ("Totaal 12.345.678,90", Decimal("12345678.90")),
    ],
)
def test_amounts(text, expected):
    assert find_amounts(text)[-1][0] == expected


@pytest.mark.parametrize("text", ["Datum 12.03.2026", "BTW 21%", "21,00 %", "Tel 020-1234567", "versie 1.2"])
def test_not_amounts(text):
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    "text, order, expected",
    [
        ("Factuurdatum: 03-04-2026", "dmy", datetime.date(2026, 4, 3)),
        ("Invoice date: 03/04/2026", "mdy", datetime.date(2026, 3, 4)),
        ("Datum 3.4.26", "dmy", datetime.date(2026, 4, 3)),
        ("Datum 2026-04-03", "mdy", datetime.date(2026, 4, 3)),
        ("Datum: 3 april 2026", "dmy", datetime.date(2026, 4, 3)),
        ("Datum: 3 mrt. 2026", "dmy", datetime.date(2026, 3, 3)),
        ("Date: March 4, 2026", "dmy", datetime.date(2026, 3, 4)),
        ("Date: 4 Oct 2026", "mdy", datetime.date(2026, 10, 4)),
        ("Le 12 février 2026", "dmy", datetime.date(2026, 2, 12)),
        ("Datum 25/12/2026", "mdy", datetime.date(2026, 12, 25)),
    ],
)
def test_dates(text, order, expected):
    assert find_dates(text, order)[0][0] == expected


def test_learn_date_order():
    assert learn_date_order("Datum 03-04-2026 vervalt 25-04-2026") == "dmy"
    assert learn_date_order("Date 04/25/2026") == "mdy"
    assert learn_date_order("Datum 03-04-2026") is None


@pytest.mark.parametrize(
    "digits, valid",
    [
        ("0000000000000000", True),
    ],
)
def test_nl_payment_reference_check_digit(digits, valid):
    assert nl_reference_valid(digits) is valid


def test_nl_payment_reference_generated():
    import random

    from scan_engine.samples.fixtures import _nl_reference

    rng = random.Random(1)
    for _i in range(50):
        ref = _nl_reference(rng)
        assert nl_reference_valid(ref)
        wrong = str((int(ref[0]) + 1) % 10) + ref[1:]
        assert not nl_reference_valid(wrong)


@pytest.mark.parametrize("digits, valid", [("090933755493", True), ("090933755494", False), ("000000009797", True)])
def test_ogm(digits, valid):
    assert ogm_valid(digits) is valid
