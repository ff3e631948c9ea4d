"""The engine on real documents (``../shared/corpus/4_real_documents``):
per field, at least as many right as the floor. Raise a floor when a
general improvement lifts it; never special-case a document."""

import pytest
from real_corpus import FIELDS, documents, overall, read_all, report, score

# Right answers over the whole set (40 documents), measured 2026-11-25.
FLOORS = {
    "document_type": 40,
    "currency": 37,
    "invoice_number": 25,
    "invoice_date": 30,
    "due_date": 39,
    "amount_untaxed": 20,
    "amount_tax": 21,
    "amount_total": 28,
    "supplier_vat": 24,
    "supplier_iban": 40,
    "supplier_kvk": 40,
    "payment_reference": 40,
    "purchase_order": 40,
}


def test_real_documents_stay_above_their_floors():
    if not documents():
        pytest.skip(
            "The shared corpus is absent (../shared/corpus/4_real_documents): corpus tests need it beside "
            "the repository."
        )
    table = score(read_all())
    print(report(table))
    below = {
        field: (table["all"][field][0], FLOORS[field]) for field in FIELDS if table["all"][field][0] < FLOORS[field]
    }
    assert not below, f"fields below their floor (right, floor): {below}\n{report(table)}"
    right, scored = overall(table)
    assert right >= sum(FLOORS.values())
