"""Zero-configuration accuracy over generated invoices: every field of every
document, text PDFs and degraded scans (the benchmark runs larger sets)."""

from scan_engine import recognize
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import image_bytes, render_pdf, scan, scan_pages

FIELDS = [
    "document_type",
    "supplier_iban",
    "supplier_vat",
    "supplier_kvk",
    "invoice_number",
    "invoice_date",
    "due_date",
    "currency",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "tax_lines",
    "payment_reference",
    "purchase_order",
    "packing_slip",
]


def field_accuracy(results):
    right = total = 0
    misses = []
    for seed, expected, got in results:
        for key in FIELDS:
            total += 1
            if got.get(key) == expected[key]:
                right += 1
            else:
                misses.append((seed, key, got.get(key), expected[key]))
    return right / total, misses


def test_text_pdfs_accuracy(context):
    results = []
    for seed in range(1000, 1080):
        spec = make_spec(seed)
        results.append((seed, spec.expected, recognize(render_pdf(spec), f"{seed}.pdf", context).to_dict()))
    accuracy, misses = field_accuracy(results)
    assert accuracy >= 0.98, misses[:20]
    assert all(r[2]["source"] == "pdf_text" for r in results)


def test_text_pdf_values_exact(context):
    spec = make_spec(7, lang="nl", layout="labels", credit=False)
    result = recognize(render_pdf(spec), "7.pdf", context).to_dict()
    for key in FIELDS:
        assert result[key] == spec.expected[key], key
    assert result["score"] >= 85
    assert result["fields"]["invoice_number"]["bbox"]


def test_credit_note_is_negative(context):
    spec = make_spec(11, credit=True)
    result = recognize(render_pdf(spec), "credit.pdf", context).to_dict()
    assert result["document_type"] == "credit_note"
    assert result["amount_total"] == spec.expected["amount_total"] < 0


SCANS = [
    (2001, 0, "PNG"),
    (2002, 90, "JPEG"),
    (2003, 180, "TIFF"),
    (2004, 0, "JPEG"),
    (2005, 270, "PNG"),
    (2006, 0, "PDF"),
    (2007, 0, "TIFF"),
]


def test_scans_accuracy(context):
    """Rotated, skewed, blurred, speckled and JPEG-compressed scans go
    through OCR and meet the 93% target (the benchmark runs a larger set)."""
    results = []
    for seed, rotate, fmt in SCANS:
        spec = make_spec(seed)
        if spec.long or fmt in ("TIFF", "PDF"):  # every page, as a multi-page file
            data = image_bytes(scan_pages(render_pdf(spec), seed, rotate=rotate), fmt)
        else:
            image = scan(render_pdf(spec), seed, rotate=rotate)
            data = image_bytes(image.convert("RGB") if fmt == "JPEG" else image, fmt)
        result = recognize(data, f"{seed}.{fmt.lower()}", context).to_dict()
        assert result.get("source") == "ocr", result
        results.append((seed, spec.expected, result))
    accuracy, misses = field_accuracy(results)
    assert accuracy >= 0.93, (accuracy, misses)


def test_own_identifiers_never_supplier(context):
    spec = make_spec(21, lang="nl")
    context.own_identifiers = {
        "iban": [spec.supplier["iban"]],
        "vat": [spec.supplier["vat"]],
        "kvk": [spec.supplier["kvk"]],
    }
    result = recognize(render_pdf(spec), "own.pdf", context).to_dict()
    assert result["supplier_iban"] != spec.supplier["iban"]
    assert result["supplier_vat"] != spec.supplier["vat"]
    assert result["supplier_kvk"] != spec.supplier["kvk"]


def test_customer_vat_is_not_supplier(context):
    spec = make_spec(22, lang="en")
    result = recognize(render_pdf(spec), "c.pdf", context).to_dict()
    assert result["supplier_vat"] == spec.supplier["vat"]
    assert result["supplier_vat"] != spec.customer["vat"]
