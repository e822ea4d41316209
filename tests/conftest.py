"""Shared fixtures: one full pipeline per test session (loading spaCy takes about a second)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    """The full newsclaims pipeline with the built-in rules."""
    from newsclaims.pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def ruleset():
    from newsclaims.rules import load_ruleset

    return load_ruleset()
