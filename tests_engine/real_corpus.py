"""Accuracy on the real documents of ``../shared/corpus/4_real_documents``,
scored by the rules of that folder's README: amounts to the cent, dates
exactly, identifiers without spaces and dots, upper case; a null identifier
or date is scored (the engine must stay silent), a null amount is not;
``unscored`` fields are skipped, ``accept`` lists other right answers. The
recipient's own VAT number and IBAN are given as the company's.

    $ODOO_PYTHON tests_engine/real_corpus.py      prints the table

Used by the floor test and the engine benchmark; nothing here knows any
document: every expectation comes from ``expected.json``.
"""

import csv
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_loader import CORPUS, load

FOLDER = CORPUS / "4_real_documents"
FIELDS = [
    "document_type",
    "currency",
    "invoice_number",
    "invoice_date",
    "due_date",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "supplier_vat",
    "supplier_iban",
    "supplier_kvk",
    "payment_reference",
    "purchase_order",
]
AMOUNTS = {"amount_untaxed", "amount_tax", "amount_total"}
IDENTIFIERS = {"invoice_number", "supplier_vat", "supplier_iban", "supplier_kvk", "payment_reference", "purchase_order"}
KINDS = ["text_pdf", "scanned_pdf", "photo", "receipt"]


def documents():
    """[(path, kind, labels)] of the corpus, or [] when it is absent."""
    if not (FOLDER / "expected.json").is_file():
        return []
    expected = json.loads((FOLDER / "expected.json").read_text())
    with open(FOLDER / "MANIFEST.tsv", newline="", encoding="utf-8") as manifest:
        kinds = {row["file"]: row["kind"] for row in csv.DictReader(manifest, delimiter="\t")}
    return [(FOLDER / name, kinds.get(name, "text_pdf"), labels) for name, labels in sorted(expected.items())]


def _identifier(value):
    return str(value).replace(" ", "").replace(".", "").upper() if value not in (None, "") else None


def field_right(field, got, labels):
    """Whether ``got`` is right for ``field`` by the corpus rules; None when
    the field is not scored on this document."""
    if field in (labels.get("unscored") or []):
        return None
    wanted = labels.get(field)
    accepted = [wanted, *((labels.get("accept") or {}).get(field) or [])]
    if field in AMOUNTS:
        if wanted is None:
            return None
        if field == "amount_tax" and wanted == 0 and got in (None, 0):
            return True
        return got is not None and any(a is not None and abs(float(got) - float(a)) < 0.005 for a in accepted)
    if field in IDENTIFIERS:
        return _identifier(got) in {_identifier(a) for a in accepted}
    return got in accepted


def read_all(seconds=60):
    """The engine's result (the command line's JSON object) per document,
    read in sandboxed children, several at once, as the queue reads them."""
    engine = load()
    from scan_engine import sandbox
    from scan_engine.recognizers.identifiers import normalize_identifier

    pool = sandbox.get_pool()
    pending = []
    for path, kind, labels in documents():
        # As the command line reads them: today's date, the buyer's ids as the company's own.
        own = {
            "vat": [labels["buyer_vat"]] if labels.get("buyer_vat") else [],
            "iban": [labels["buyer_iban"]] if labels.get("buyer_iban") else [],
        }
        context = engine.RecognitionContext(
            own_identifiers={k: [normalize_identifier(k, v) for v in values] for k, values in own.items()}
        )
        future = sandbox.submit_recognize(pool, path.read_bytes(), path.name, context, seconds=seconds)
        pending.append((path, kind, labels, future))
    return [(path, kind, labels, future.result().to_dict()) for path, kind, labels, future in pending]


def score(results):
    """{kind or 'all': {field: (right, scored)}}; a refused document counts
    every scored field as a miss."""
    table = {kind: {field: [0, 0] for field in FIELDS} for kind in [*KINDS, "all"]}
    for _path, kind, labels, result in results:
        for field in FIELDS:
            right = field_right(field, result.get(field), labels)
            if right is None:
                continue
            right = right and "error" not in result
            for key in (kind, "all"):
                table[key][field][0] += bool(right)
                table[key][field][1] += 1
    return table


def overall(table, kind="all"):
    right = sum(r for r, _n in table[kind].values())
    scored = sum(n for _r, n in table[kind].values())
    return right, scored


def report(table):
    lines = ["field".ljust(18) + "".join(k.rjust(14) for k in [*KINDS, "all"])]
    for field in FIELDS:
        cells = []
        for kind in [*KINDS, "all"]:
            right, scored = table[kind][field]
            cells.append((f"{right}/{scored}" if scored else "-").rjust(14))
        lines.append(field.ljust(18) + "".join(cells))
    cells = []
    for kind in [*KINDS, "all"]:
        right, scored = overall(table, kind)
        cells.append((f"{right / scored:.1%}" if scored else "-").rjust(14))
    lines.append("overall".ljust(18) + "".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    if not documents():
        raise SystemExit(f"The real-document corpus is absent ({FOLDER}).")
    print(report(score(read_all())))
