"""Hostile XML is refused before any entity is expanded or file read."""

import pytest
from scan_engine.einvoice.xml_safety import parse_xml
from scan_engine.errors import DocumentError
from scan_samples.ubl import BOMB, XXE, ubl_invoice


@pytest.mark.parametrize(
    "data, message",
    [
        (XXE, "DOCTYPE"),
        (BOMB, "DOCTYPE"),
        (b"<Invoice>", "not well-formed"),
        (b"x" * (11 * 1024 * 1024), "10 MB"),
    ],
)
def test_refused(data, message):
    with pytest.raises(DocumentError, match=message):
        parse_xml(data)


def test_invoice_parses():
    assert parse_xml(ubl_invoice()).tag.endswith("Invoice")
