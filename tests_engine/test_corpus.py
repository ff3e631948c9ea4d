"""The shared public corpus: real PDFs with expected values (invoice2data)
and its deliberate bad inputs. Skips when ../shared/corpus is absent."""

import csv
import json

from engine_loader import corpus_dir
from scan_engine import recognize

MAPPING = {
    "invoice_number": "invoice_number",
    "date": "invoice_date",
    "amount": "amount_total",
    "amount_untaxed": "amount_untaxed",
    "amount_tax": "amount_tax",
    "currency": "currency",
}


def test_not_an_invoice_is_an_error(context):
    folder = corpus_dir("3_pdf_ground_truth")
    with open(folder / "MANIFEST.tsv", newline="") as manifest:
        bad = [
            row["file"]
            for row in csv.DictReader(manifest, delimiter="\t")
            if row["expected_validity"].startswith("NOT AN INVOICE") and row["file"].endswith(".pdf")
        ]
    assert bad
    for name in bad:
        result = recognize((folder / name).read_bytes(), name, context).to_dict()
        assert "error" in result, name


def test_invoice2data_pdfs(context):
    """Field accuracy on real third-party layouts (English, French, Dutch);
    the floor is today's level, the benchmark prints the figure."""
    folder = corpus_dir("3_pdf_ground_truth") / "invoice2data"
    right = total = 0
    for expected_file in sorted(folder.glob("*.json")):
        pdf = expected_file.with_suffix(".pdf")
        if not pdf.exists():
            continue
        expected = json.loads(expected_file.read_text())
        expected = expected[0] if isinstance(expected, list) else expected
        got = recognize(pdf.read_bytes(), pdf.name, context).to_dict()
        for theirs, ours in MAPPING.items():
            if theirs in expected:
                value = str(expected[theirs])[:10] if theirs == "date" else expected[theirs]
                total += 1
                right += got.get(ours) == value or (isinstance(value, (int, float)) and got.get(ours) == float(value))
    assert total >= 30
    assert right / total >= 0.65, f"{right}/{total}"
