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


def claim_rows(nlp, text: str) -> list[tuple[str | None, str, str, str]]:
    """(speaker, cue, content, type) of each claim of ``text``: the shape the attribution tests compare."""
    from newsclaims.assemble import claims_from_doc

    claims = claims_from_doc(nlp(text))
    return [(c.speaker.text if c.speaker else None, c.cue.text, c.content.text, c.type) for c in claims]
