"""``odoo-bin scan-herken recognize``: the command-line contract of DESIGN.md."""

import json
import os
import subprocess
import sys
from pathlib import Path

from engine_loader import ROOT
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import render_pdf

CONTRACT = {
    "file",
    "source",
    "document_type",
    "supplier_name",
    "supplier_iban",
    "supplier_kvk",
    "supplier_vat",
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
    "score",
    "fields",
}


def test_recognize_command(tmp_path):
    odoo = os.environ.get("ODOO_PATH", "/opt/odoo")
    spec = make_spec(41, credit=False)
    good = tmp_path / "factuur.pdf"
    good.write_bytes(render_pdf(spec))
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    addons = f"{odoo}/addons,{odoo}/odoo/addons,{ROOT}"
    proc = subprocess.run(
        [
            sys.executable,
            f"{odoo}/odoo-bin",
            f"--addons-path={addons}",
            "scan-herken",
            "recognize",
            "--today",
            "2026-11-24",
            "--company-vat",
            spec.customer["vat"],
            str(good),
            str(bad),
            str(tmp_path / "missing.pdf"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 3
    first = lines[0]
    assert CONTRACT <= set(first)
    assert first["invoice_number"] == spec.expected["invoice_number"]
    assert first["amount_total"] == spec.expected["amount_total"]
    assert first["supplier_vat"] == spec.supplier["vat"]
    assert 0 <= first["score"] <= 100
    assert lines[1] == {"file": str(bad), "error": "The PDF is damaged and cannot be read."}
    assert lines[2]["error"].startswith("The file cannot be opened")


def test_recognize_prints_strict_json_for_hostile_files(tmp_path):
    """NaN and 1e999 in an e-invoice, a compression bomb, a ZIP named .pdf:
    every line parses as strict JSON (no NaN) and says what went wrong."""
    from scan_samples import hostile

    odoo = os.environ.get("ODOO_PATH", "/opt/odoo")
    files = {
        "nan.xml": hostile.ubl_with_amount("NaN"),
        "huge.xml": hostile.ubl_with_amount("1e999"),
        "bom.pdf": hostile.content_bomb_pdf(),
        "archief.pdf": hostile.zip_named_pdf(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    proc = subprocess.run(
        [
            sys.executable,
            f"{odoo}/odoo-bin",
            f"--addons-path={odoo}/addons,{odoo}/odoo/addons,{ROOT}",
            "scan-herken",
            "recognize",
            *(str(tmp_path / name) for name in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr

    def strict(text):
        raise ValueError(f"not JSON: {text}")

    lines = [json.loads(line, parse_constant=strict) for line in proc.stdout.splitlines()]
    errors = {Path(line["file"]).name: line["error"] for line in lines}
    assert "TaxInclusiveAmount = NaN" in errors["nan.xml"]
    assert "TaxInclusiveAmount = 1e999" in errors["huge.xml"]
    assert "more than 1024 MiB of memory" in errors["bom.pdf"]
    assert "ZIP archive" in errors["archief.pdf"]
