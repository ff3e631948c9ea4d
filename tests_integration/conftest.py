"""Tests that run real Odoo worker processes (odoo-bin) against a committed
database copy made by scripts/test.sh (SCAN_WORK_DB)."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests_engine"))
__import__("engine_loader").load()


@pytest.fixture(scope="session")
def work_db():
    name = os.environ.get("SCAN_WORK_DB")
    if not name:
        pytest.skip("SCAN_WORK_DB is not set: run these tests through scripts/test.sh.")
    return name
