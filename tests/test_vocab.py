"""The generated currency vocabulary: in sync with its source, and read as money."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import generate_vocab  # noqa: E402


@pytest.mark.parametrize("filename", sorted(generate_vocab.GENERATED))
def test_committed_vocabularies_match_the_generator(filename: str) -> None:
    import importlib.metadata

    library, make = generate_vocab.GENERATED[filename]
    if importlib.util.find_spec(library) is None:
        pytest.skip(f"{library} is a dev-time input only")
    if importlib.metadata.version(library) != generate_vocab.PINS[library]:
        pytest.skip(f"the generator is pinned to {library}=={generate_vocab.PINS[library]}")
    committed = (ROOT / "rules" / filename).read_text(encoding="utf-8")
    assert committed == make(), f"run `make vocab` and commit rules/{filename}"


def test_hand_kept_words_win_over_generated_ones() -> None:
    from newsclaims.rules import load_ruleset

    rules = load_ruleset()
    # "nm" is generated for nanometre, but figures.yaml gives it to the nautical mile.
    assert "nm" in rules.units.units["nanometre"]
    assert "nm" not in rules.figures.units["nanometre"] and "nm" in rules.figures.units["nautical mile"]
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


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("Each tablet holds 500 milligrams of the drug.", "500 milligrams", 500.0, "milligram"),
        ("The safe limit is 10 µg a day.", "10 µg a day", 10.0, "microgram per day"),
        ("Add 250 millilitres of water.", "250 millilitres", 250.0, "millilitre"),
        ("The chips are made on a 3 nanometre process.", "3 nanometre", 3.0, "nanometre"),
        ("Emissions reached 37 gigatonnes last year.", "37 gigatonnes", 37.0, "gigatonne"),
        ("The bomb had a yield of 50 megatons.", "50 megatons", 50.0, "megaton"),
        ("The furnace is rated at 40,000 British thermal units.", "40,000 British thermal units", 40_000.0,
         "british thermal unit"),
        ("The archive holds 2 petabytes of footage.", "2 petabytes", 2.0, "petabyte"),
    ],
)
def test_units_from_the_generated_vocabulary(nlp, sentence: str, text: str, value: float, unit: str) -> None:
    from newsclaims.assemble import figures_from_doc

    found = [(f.text, f.kind, f.value, f.unit) for f in figures_from_doc(nlp(sentence)) if not f.derived]
    assert (text, "quantity", value, unit) in found
