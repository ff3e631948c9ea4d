"""Supplier masks (MFS-ERP's definition): first group is the value, tokens
expand, white space folds, a mask wins, a catastrophic pattern stops."""

import datetime
import random
import time

import pytest
import regex
from regex import _regex_core
from scan_engine import RecognitionContext, recognize
from scan_engine.recognizers.masks import MAX_SIZE, TIMEOUT, TOKENS, MaskError, apply_masks, check, expand, run, size
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import render_pdf

TEXT = """FACTUUR
  Factuurnummer   20231234
Datum 03.11.2026
Factuurdatum : 4-11-2026      Vervaldatum 4/12/26
Totaal 1.234,56 259,26 1.493,82
1.493,82 259,26 Euro"""


def test_mfs_erp_examples_give_their_values():
    found, errors = apply_masks(
        TEXT,
        [
            ("invoice_number", r"Factuurnummer (\d+)"),
            ("invoice_date", r"(\d\d\.\d\d\.\d{4})"),
            ("amount_total", "#num2# #num2# (#num2#)"),
            ("amount_untaxed", "(#num2#) #num2# Euro"),
            ("due_date", "Vervaldatum (#dmyy#)"),
        ],
    )
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
    found, _errors = apply_masks(
        TEXT,
        [
            ("invoice_number", r"Bonnummer (\d+)"),
            ("invoice_number", r"Factuurnummer (\d+)"),
            ("invoice_number", r"(\d+)"),
            ("colour", r"(\w+)"),
        ],
    )
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
    assert match is None and error.code == "mask_timeout" and "took longer than 1 s" in str(error)
    found, errors = apply_masks("a" * 30 + "b", [("invoice_number", r"((a|a)+)+$")])
    assert found == {} and errors[0][0] == "invoice_number"


def test_mask_wins_over_generic_recognition_on_a_layout_it_gets_wrong():
    today = datetime.date(2026, 11, 24)
    spec = make_spec(311, today=today, lang="nl", credit=False)  # a table: labels on one row, values below
    spec.long = False
    spec.labels = {"number": "Documentcode"}  # zero-configuration recognition does not know this label
    pdf = render_pdf(spec)
    assert recognize(pdf, "f.pdf", RecognitionContext(today=today)).value("invoice_number") != spec.number
    context = RecognitionContext(
        today=today,
        masks=[
            ["invoice_number", r"Documentcode .*?Pakbonnummer (\S+)"],
            ["amount_total", r"Totaal te betalen:? € ?(#num2#)"],
        ],
    )
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
    assert [code for code, params in recognition.warnings if params.get("field") == "invoice_number"] == [
        "mask_invalid"
    ]
    assert any(
        text.startswith("Mask for invoice_number: The pattern is not a valid regular expression: ")
        for text in recognition.to_dict()["warnings"]
    )
    assert recognition.value("amount_total") == spec.expected["amount_total"]  # the rest is read as always


@pytest.mark.parametrize(
    "pattern",
    [
        "((a{100}){100}){200}(x)",  # 23 characters, half a gigabyte when compiled
        "((a{100}){100}){10000}(x)",  # some 27 GB
        "(a{1001})",
        "((?:\\d{10}){10}(?:\\w{5,}){3}){10}",  # {m,} counts m
        "((a{10}|b{10}){10}){11}",  # alternatives add up
        "(a{40})(?i){40}",  # a count after inline flags repeats the item before them
        "(a{40})(?#note){40}",  # and so after a comment
        "([[:alpha:]({40}]{40}){40}",  # a POSIX class's "]" does not end the set
        "(\\[(a{40}){40})",  # an escaped "[" opens no set
    ],
)
def test_patterns_that_unroll_too_far_are_refused_before_compiling(pattern):
    started = time.monotonic()
    with pytest.raises(MaskError, match="repeats too much"):
        check(pattern)
    assert time.monotonic() - started < 0.1


def test_long_patterns_and_flags_that_change_the_reading_are_refused():
    with pytest.raises(MaskError, match="too long: 501 characters"):
        check("(" + "a" * 499 + ")")
    with pytest.raises(MaskError, match="too long"):
        check("(#num2#)" * 11)  # counted with the tokens written out
    for flags in ("(?x)", "(?ix:", "(?V1)"):
        with pytest.raises(MaskError, match="verbose mode"):
            check(flags + "(a{40}) {40})")  # verbose: the count would repeat the group
    assert check("(?i-s:Factuur)(?s)nr (\\d+)").groups == 1


def test_masks_written_and_learned_are_far_below_the_limits():
    for pattern in [
        r"Factuurnummer:?\s*(\d+)",
        "Totaal te betalen:? € ?(#num2#)",
        "Datum (#dmyyyy#)",
        "#num2# #num2# #num2# #num2# (#num2#)",
        r"Omschrijving Aantal Prijs (?:\S+ ){40}(-?#num2#)",
        r"Vervaldatum (\d{1,2}[./-]\d{1,2}[./-]\d{4})",
        r"[]\[:.]([^\]]{0,40})",
        r"Nr[:.] (\S+)",
    ]:
        assert check(pattern).groups >= 1
    assert all(size(expression) < 20 for expression in TOKENS.values())


def _parsed_size(pattern):
    """The items of ``regex``'s own parse tree (its private parser, for this
    test only), counted as ``size`` counts them."""
    flags = regex.IGNORECASE | regex.V0
    while True:
        source = _regex_core.Source(pattern)
        info = _regex_core.Info(flags, source.char_type, {})
        try:
            tree = _regex_core._parse_pattern(source, info)
            break
        except _regex_core._UnscopedFlagSet:
            flags = info.global_flags
    return _node_size(tree) if source.at_end() else None


def _node_size(node):
    if isinstance(node, (_regex_core.GreedyRepeat, _regex_core.LazyRepeat, _regex_core.PossessiveRepeat)):
        times = node.max_count if node.max_count is not None else node.min_count
        return _node_size(node.subpattern) * max(times, 1)
    if isinstance(node, _regex_core.SetBase):
        return 1
    children = []
    for value in vars(node).values():
        values = value if isinstance(value, (list, tuple)) else [value]
        children += [child for child in values if isinstance(child, _regex_core.RegexBase)]
    items = sum(_node_size(child) for child in children)
    return items if isinstance(node, (_regex_core.Sequence, _regex_core.Branch)) else max(items, 1)


PIECES = [
    "a",
    "b",
    "\\",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "\\d",
    "[",
    "]",
    "^",
    "-",
    ":",
    ".",
    "#",
    " ",
    "[:",
    ":]",
    "[:alpha:]",
    "[:^digit:]",
    "(",
    ")",
    "(?:",
    "(?i)",
    "(?)",
    "(?-i:",
    "(?#",
    "(?P<n>",
    "(?=",
    "(?<=",
    "(?>",
    "(?|",
    "(*SKIP)",
    "(?1)",
    "|",
    "{2}",
    "{3}",
    "{3,}",
    "{,2}",
    "{1,3}",
    "{,}",
    "{}",
    "{e<=1}",
    "*",
    "+",
    "?",
    "\\N{LATIN SMALL LETTER A}",
    "\\p{L}",
    "\\x{41}",
    "\\1",
    "\\g<1>",
    "(?P=n)",
    "(?(1)",
    "(?&n)",
    "(?R)",
    "(?V0)",
    "(?r)",
    "{e<=1:[)]}",
    "[^]",
    "[]",
    "(?<n>",
]


def test_the_scan_never_counts_less_than_regex_parses():
    """Random patterns from the pieces that decide how a pattern reads (sets,
    escapes, comments, flags, counts): whenever ``regex`` parses one, the
    scan counts at least the items its parse tree unrolls to, so no way of
    writing a count hides it from the limit."""
    rng = random.Random(20260501)
    compared = 0
    for _attempt in range(15000):
        pattern = "".join(rng.choice(PIECES) for _piece in range(rng.randint(1, 16)))
        try:
            parsed = _parsed_size(pattern)
        except (regex.error, RecursionError):
            continue
        if parsed is None:
            continue
        try:
            scanned = size(pattern)
        except MaskError:
            continue
        compared += 1
        assert scanned >= parsed, pattern
    assert compared > 1500


def test_size_counts_what_the_compiled_pattern_unrolls_to():
    assert size("((a{100}){100}){200}(x)") == 2_000_001
    assert size(expand("(#num2#)")) == 11
    assert size(r"(?:\S+ ){12}(x)") == 25
    assert size("(a{2,})(b{,3})(c*)") == 6
    assert MAX_SIZE == 1000
