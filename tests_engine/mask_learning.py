"""How right a supplier's second invoice arrives after the bookkeeper
corrected the first: generated suppliers whose labels zero-configuration
recognition does not know (``UNUSUAL_LABELS``), their first invoice read,
every wrong header value corrected and learned as a mask (as the addon does
at posting), then their next invoice (same layout, other values) read with
those masks. Only suppliers whose first invoice had a wrong field count.

    $ODOO_PYTHON tests_engine/mask_learning.py [layouts] [--scan]

prints the fields right on first and second invoices.
"""

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_loader import TODAY, load

FIELDS = [
    "invoice_number",
    "invoice_date",
    "due_date",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "payment_reference",
    "purchase_order",
    "packing_slip",
]


def _read(spec, scan, masks=()):
    engine = load()
    from scan_engine.samples.render import image_bytes, render_pdf, scan_pages

    data, name = render_pdf(spec), "invoice.pdf"
    if scan:
        data, name = image_bytes(scan_pages(data, spec.seed)[0]), "invoice.png"
    context = engine.RecognitionContext(
        today=TODAY,
        own_names=[spec.customer["name"]],
        own_identifiers={"vat": [spec.customer["vat"]]},
        masks=list(masks),
    )
    return engine.recognize(data, name, context)


def _wrong(recognition, spec):
    from scan_engine.recognizers.mask_learning import empty, same_value

    got = recognition.to_dict()
    return [
        key
        for key in FIELDS
        if not (
            (empty(got.get(key)) and empty(spec.expected.get(key)))
            or same_value(key, got.get(key), spec.expected.get(key))
        )
    ]


def measure(layouts=30, scan=False):
    """{'layouts', 'first_right', 'second_right', 'fields', 'misses': [...]}"""
    load()
    from scan_engine.recognizers.mask_learning import learn_mask
    from scan_engine.samples.fixtures import UNUSUAL_LABELS, make_spec, next_invoice

    totals = {"layouts": 0, "first_right": 0, "second_right": 0, "fields": 0, "misses": []}
    for seed in range(layouts):
        spec = make_spec(seed)
        spec.labels = UNUSUAL_LABELS[seed % len(UNUSUAL_LABELS)]
        first = _read(spec, scan)
        wrong = _wrong(first, spec)
        if not wrong:
            continue
        masks = []
        for key in wrong:
            pattern = learn_mask(first.document, key, spec.expected.get(key), first.date_order or "dmy")
            if pattern:
                masks.append((key, pattern))
        second_spec = next_invoice(spec, 10_000 + seed)
        still_wrong = _wrong(_read(second_spec, scan, masks), second_spec)
        totals["layouts"] += 1
        totals["fields"] += len(FIELDS)
        totals["first_right"] += len(FIELDS) - len(wrong)
        totals["second_right"] += len(FIELDS) - len(still_wrong)
        totals["misses"] += [(seed, key, dict(masks).get(key)) for key in still_wrong]
    return totals


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    result = measure(int(arguments[0]) if arguments else 30, scan="--scan" in sys.argv)
    fields = result["fields"] or 1
    print(
        f"{result['layouts']} supplier layouts that zero-configuration recognition gets wrong "
        f"({'scans' if '--scan' in sys.argv else 'text PDFs'})"
    )
    print(f"first invoice, zero-configuration: {result['first_right'] / fields:.1%} of fields right")
    print(f"second invoice, after learning:    {result['second_right'] / fields:.1%} of fields right")
    for miss in result["misses"]:
        print("  still wrong:", *miss)
