"""Quality gates: ruff and pylint-odoo (OCA's mandatory checks) stay clean."""

import subprocess
import sys

from engine_loader import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_clean():
    proc = run("ruff", "check", "l10n_nl_scan_herken", "tests_engine", "tests_integration", "benchmarks", "scripts")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_clean():
    proc = run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_generated_from_its_fragments():
    proc = subprocess.run(
        [sys.executable, "scripts/gen_readme.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pylint_odoo_clean():
    proc = run("pylint", "--rcfile=.pylintrc-mandatory", "l10n_nl_scan_herken")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
