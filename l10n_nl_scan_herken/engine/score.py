"""The document's recognition score, 0-100.

score = 100 x (weighted mean of field confidences) x consistency

Weights: supplier identity 3 (the best of IBAN, VAT, KVK; a name alone counts
half), invoice number 2, invoice date 2, total 2, untaxed amount 1, VAT amount
1. A missing field counts as confidence 0. Consistency is 1.0 when untaxed +
VAT = total (or only a total was expected), 0.8 when the amounts are present
but do not add up. Each field's confidence already folds in how it was found
(label on the same line 0.95, under the label 0.9, a weak label about 0.6, no
label 0.3-0.4) and the OCR confidence of its words, so a clean text PDF with
every field labelled scores about 90-95 and a guess scores under 50.
"""

from decimal import Decimal

WEIGHTS = {
    "supplier": 3,
    "invoice_number": 2,
    "invoice_date": 2,
    "amount_total": 2,
    "amount_untaxed": 1,
    "amount_tax": 1,
}


def compute_score(fields):
    def conf(key):
        field = fields.get(key)
        return field.confidence if field else 0.0

    supplier = max(conf("supplier_iban"), conf("supplier_vat"), conf("supplier_kvk"), conf("supplier_name") * 0.5)
    values = {"supplier": supplier, **{k: conf(k) for k in WEIGHTS if k != "supplier"}}
    mean = sum(values[k] * w for k, w in WEIGHTS.items()) / sum(WEIGHTS.values())
    consistency = 1.0
    untaxed, tax, total = (fields.get(k) for k in ("amount_untaxed", "amount_tax", "amount_total"))
    if untaxed and tax and total:
        if abs(Decimal(str(untaxed.value)) + Decimal(str(tax.value)) - Decimal(str(total.value))) > Decimal("0.01"):
            consistency = 0.8
    return max(0, min(100, round(100 * mean * consistency)))
