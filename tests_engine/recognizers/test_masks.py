"""Supplier masks (MFS-ERP's definition): first group is the value, tokens
expand, white space folds, a mask wins, a catastrophic pattern stops."""

import datetime
import time

import pytest
from scan_engine import RecognitionContext, recognize
from scan_engine.recognizers.masks import TIMEOUT, MaskError, apply_masks, check, run
from scan_engine.testing.fixtures import make_spec
from scan_engine.testing.render import render_pdf

TEXT = """FACTUUR
  Factuurnummer   20231234
Datum 03.11.2026
Factuurdatum : 4-11-2026      Vervaldatum 4/12/26
Totaal 1.234,56 259,26 1.493,82
1.493,82 259,26 Euro"""


def test_mfs_erp_examples_give_their_values():
    found, errors = apply_masks(TEXT, [
        ("invoice_number", r"Factuurnummer (\d+)"),
        ("invoice_date", r"(\d\d\.\d\d\.\d{4})"),
        ("amount_total", "#num2# #num2# (#num2#)"),
        ("amount_untaxed", "(#num2#) #num2# Euro"),
        ("due_date", "Vervaldatum (#dmyy#)"),
    ])
    assert errors == []
    assert found["invoice_number"].value == "20231234"  # across the line's run of spaces
    assert found["invoice_date"].value == "2026-11-03"
    assert str(found["amount_total"].value) == "1493.82"
    assert str(found["amount_untaxed"].value) == "1493.82"
    assert found["due_date"].value == "2026-12-04"
    assert all(f.confidence == 1.0 for f in found.values())
    found, _errors = apply_masks(TEXT, [("invoice_date", "Factuurdatum ?: (#dmyyyy#)")])
    assert found["invoice_date"].value == "2026-11-04"


def test_first_mask_that_finds_a_value_wins_and_unknown_fields_are_ignored():
    found, _errors = apply_masks(TEXT, [("invoice_number", r"Bonnummer (\d+)"),
                                        ("invoice_number", r"Factuurnummer (\d+)"),
                                        ("invoice_number", r"(\d+)"), ("colour", r"(\w+)")])
    assert found == {"invoice_number": found["invoice_number"]}
    assert found["invoice_number"].value == "20231234"


def test_patterns_are_checked_on_save():
    assert check(r"Factuurnummer (\d+)").groups == 1
    with pytest.raises(MaskError, match="no group"):
        check(r"Factuurnummer \d+")
    with pytest.raises(MaskError, match="not a valid regular expression"):
        check(r"Factuurnummer (\d+")


def test_catastrophic_pattern_returns_within_a_second_with_a_message():
    started = time.monotonic()
    match, error = run(r"((a|a)+)+$", "a" * 30 + "b")
    assert time.monotonic() - started < TIMEOUT + 2  # the limit, not the machine's speed, ends it
    assert match is None and "took longer than 1 s" in error
    found, errors = apply_masks("a" * 30 + "b", [("invoice_number", r"((a|a)+)+$")])
    assert found == {} and errors[0][0] == "invoice_number"


def test_mask_wins_over_generic_recognition_on_a_layout_it_gets_wrong():
    today = datetime.date(2026, 11, 24)
    spec = make_spec(311, today=today, lang="nl", credit=False)  # a table: labels on one row, values below
    spec.long = False
    spec.labels = {"number": "Documentcode"}  # zero-configuration recognition does not know this label
    pdf = render_pdf(spec)
    assert recognize(pdf, "f.pdf", RecognitionContext(today=today)).value("invoice_number") != spec.number
    context = RecognitionContext(today=today, masks=[["invoice_number", r"Documentcode .*?Pakbonnummer (\S+)"],
                                                     ["amount_total", r"Totaal te betalen:? € ?(#num2#)"]])
    recognition = recognize(pdf, "f.pdf", context)
    assert recognition.value("invoice_number") == spec.number
    assert recognition.fields["invoice_number"].how == "mask"
    assert recognition.to_dict()["fields"]["invoice_number"]["how"] == "mask"
    # The review screen marks where a mask read its value: the number's own word.
    word = next(w for line in recognition.document.lines for w in line.words if w.text == spec.number)
    assert recognition.fields["invoice_number"].bbox == [round(v, 1) for v in (word.x0, word.top, word.x1, word.bottom)]
    assert recognition.value("amount_total") == spec.expected["amount_total"]
    broken = RecognitionContext(today=today, masks=[["invoice_number", r"Documentcode ("]])
    recognition = recognize(pdf, "f.pdf", broken)
    assert any(code == "mask" and "invoice_number" in text for code, text in recognition.warnings)
    assert recognition.value("amount_total") == spec.expected["amount_total"]  # the rest is read as always
