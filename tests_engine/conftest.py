"""Shared fixtures of the engine's plain tests (no Odoo needed)."""

import pytest
from engine_loader import TODAY, load

load()


@pytest.fixture
def context():
    from scan_engine import RecognitionContext

    return RecognitionContext(today=TODAY)
