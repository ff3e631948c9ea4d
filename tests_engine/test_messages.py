"""The engine speaks codes with parameters (messages.py): every code words
with its parameters, and every error and warning the engine makes names a
code it has, with exactly that code's parameters."""

import ast
import re

import pytest
from engine_loader import ENGINE
from scan_engine.errors import BudgetExceeded, DocumentError
from scan_engine.messages import MASK_CODES, MESSAGES, template, text
from scan_engine.recognizers.masks import MaskError, check
from scan_engine.result import Recognition

ERRORS = {"DocumentError", "BudgetExceeded", "MaskError"}


def names(code, field=False):
    """The parameters of ``code``'s template."""
    return set(re.findall(r"%\((\w+)\)s", template(code, {"field"} if field else ())))


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_words_with_its_parameters(code):
    params = {name: f"<{name}>" for name in names(code)}
    sentence = text(code, **params)
    assert all(value in sentence for value in params.values())
    assert "%" not in re.sub(r"%\(\w+\)s", "", MESSAGES[code]), "a stray % in the template"
    assert sentence[0].isupper()
    if code in MASK_CODES:
        assert text(code, field="invoice_number", **params) == f"Mask for invoice_number: {sentence}"


def test_an_error_is_its_code_its_parameters_and_its_english_sentence():
    error = DocumentError("image_too_large", megapixels=60)
    assert (error.code, error.params) == ("image_too_large", {"megapixels": 60})
    assert str(error) == "The image is too large to read (at most 60 megapixels)."
    assert str(DocumentError("pdf_no_pages")) == "The PDF has no pages."
    assert isinstance(BudgetExceeded("timeout", seconds=30), DocumentError)
    with pytest.raises(MaskError) as refused:
        check(r"Factuurnummer (\d+")
    assert refused.value.code == "mask_invalid" and isinstance(refused.value, ValueError)
    assert str(refused.value) == f"The pattern is not a valid regular expression: {refused.value.params['detail']}."
    # A code the engine does not have is a note worded by its caller.
    assert text("einvoice", text="Gelezen door Odoo.") == "Gelezen door Odoo."


def test_codes_cross_the_sandbox_and_the_command_line_reads_english():
    recognition = Recognition(file="f.pdf")
    recognition.warn("pages_limited", read=10, count=14)
    recognition.warn("mask_timeout", field="invoice_number", seconds=1)
    again = Recognition.from_state(recognition.to_state())
    assert again.warnings == [
        ("pages_limited", {"read": 10, "count": 14}),
        ("mask_timeout", {"field": "invoice_number", "seconds": 1}),
    ]
    assert again.to_dict()["warnings"][0] == "Only the first 10 of 14 pages were read."
    assert again.to_dict()["warnings"][1].startswith("Mask for invoice_number: The pattern took longer than 1 s")
    failed = Recognition(file="f.pdf").fail("ocr_failed", detail="Error opening data")
    failed = Recognition.from_state(failed.to_state())
    assert (failed.error_code, failed.error_params) == ("ocr_failed", {"detail": "Error opening data"})
    assert failed.to_dict() == {"file": "f.pdf", "error": "OCR failed: Error opening data"}


def _calls():
    """(where, code node, keyword names or None when ``**`` passes them on)
    of every error made, recognition.fail/warn called and note appended in
    the engine's source."""
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(ENGINE)}:{node.lineno}"
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in ERRORS | {"fail", "warn"} and node.args:
                keywords = [k.arg for k in node.keywords]
                yield where, node.args[0], None if None in keywords else set(keywords)
            elif name == "append" and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "notes":
                code, params = node.args[0].elts
                yield where, code, {key.value for key in params.keys}


def test_every_error_and_warning_of_the_engine_names_a_known_code():
    seen = set()
    for where, code, keywords in _calls():
        if isinstance(code, ast.Attribute) and code.attr == "code":
            continue  # a caught error's code, passed on with its parameters
        if isinstance(code, ast.Name) and where.startswith("sandbox/__init__.py"):
            continue  # the child's answer: timeout, memory or crash, with limit_params
        assert isinstance(code, ast.Constant) and isinstance(code.value, str), f"{where}: not a literal code"
        assert code.value in MESSAGES, f"{where}: unknown code {code.value!r}"
        if keywords is not None:
            assert keywords == names(code.value), f"{where}: parameters of {code.value}"
        seen.add(code.value)
    # Said through a variable: the sandbox's limits, the budget of a document.
    assert set(MESSAGES) - seen <= {"memory", "crash"}, set(MESSAGES) - seen
