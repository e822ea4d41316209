"""The generated currency vocabulary: in sync with its source, and read as money."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import generate_currencies  # noqa: E402


@pytest.mark.skipif(importlib.util.find_spec("babel") is None, reason="Babel is a dev-time input only")
def test_committed_currencies_match_the_generator() -> None:
    import babel

    if babel.__version__ != generate_currencies.BABEL_VERSION:
        pytest.skip(f"the generator is pinned to Babel {generate_currencies.BABEL_VERSION}")
    committed = (ROOT / "rules" / "currencies.yaml").read_text(encoding="utf-8")
    assert committed == generate_currencies.generate(), "run `make vocab` and commit rules/currencies.yaml"


def test_hand_kept_words_win_over_generated_ones() -> None:
    from newsclaims.rules import load_ruleset

    rules = load_ruleset()
    assert rules.currencies.names["danish kroner"] == "DKK"
    # "dollars" alone is a news form CLDR has no entry for; the hand-kept figures.yaml supplies it.
    assert rules.figures.currency_words["dollars"] == "USD"
    assert rules.figures.currency_words["danish kroner"] == "DKK"


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("The fine was 500 Danish kroner.", "500 Danish kroner", 500.0, "DKK"),
        ("Tickets cost 2,000 Japanese yen each.", "2,000 Japanese yen", 2000.0, "JPY"),
        ("The bill came to 40 Swiss francs.", "40 Swiss francs", 40.0, "CHF"),
        ("She was paid 9,000 Indian rupees a month.", "9,000 Indian rupees", 9000.0, "INR"),
        ("The chip costs NT$300 in Taipei.", "NT$300", 300.0, "TWD"),
        ("A loaf cost 3 million German marks in 1923.", "3 million German marks", 3_000_000.0, "DEM"),
    ],
)
def test_currencies_named_after_a_nation(nlp, sentence: str, text: str, value: float, unit: str) -> None:
    from newsclaims.assemble import figures_from_doc

    found = [(f.text, f.kind, f.value, f.unit) for f in figures_from_doc(nlp(sentence)) if not f.derived]
    assert (text, "money", value, unit) in found
