"""Load the engine as the plain package ``scan_engine``: its tests must not
need Odoo, and importing it through the addon would."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "l10n_nl_scan_herken" / "engine"
# Test-only generators (hand-written e-invoices, hostile files), loaded as ``scan_samples``.
SAMPLES = ROOT / "l10n_nl_scan_herken" / "tests" / "samples"


def _load_package(name, folder):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def load():
    _load_package("scan_samples", SAMPLES)
    return _load_package("scan_engine", ENGINE)


CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = __import__("datetime").date(2026, 11, 24)


def corpus_dir(name):
    import pytest

    path = CORPUS / name
    if not path.is_dir():
        pytest.skip(f"The shared corpus is absent ({path}): corpus tests need ../shared/corpus beside the repository.")
    return path
