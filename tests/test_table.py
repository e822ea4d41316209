"""The `extract` table (issue 11): full contents wrapped, empty columns dropped, stacked when narrow.

Rendered with Rich's own console at 80, 120 and 200 columns, as a terminal of each width would show it.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from newsclaims.models import DocumentResult
from newsclaims.output import render_table
from newsclaims.output.tables import STACK_BELOW, claim_content, table_caption

ARTICLE = (
    "Port strike ends\n\n"
    "The union said on Monday that dockers would return to work after a deal that raises pay by more than "
    "8% over two years and ends the dispute that closed the harbour for three weeks in the middle of winter.\n\n"
    "“We got what we came for,” said Maria Lopez, the union's regional secretary. “Nobody wanted this.”\n\n"
    "The port authority warned that clearing the backlog would take until March.\n"
)


@pytest.fixture(scope="module")
def result(nlp) -> DocumentResult:
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_articles

    return next(extract_articles([Article(text=ARTICLE, path="strike.txt")]))


def _render(result: DocumentResult, width: int, **kw: bool) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    render_table([result], console, **kw)
    return console.file.getvalue()


def _flat(text: str) -> str:
    """The rendering's words in order, borders and line breaks gone (what wrapping may not lose)."""
    return " ".join(w for w in text.replace("│", " ").replace("┃", " ").split())


@pytest.mark.parametrize("width", [80, 120, 200])
def test_every_content_is_shown_in_full_at_every_width(result: DocumentResult, width: int) -> None:
    text = _render(result, width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text.replace(" … ", "")  # only the parts' joiner, never a cut
    if width >= STACK_BELOW:
        return  # in columns, a content's lines are interleaved with its neighbours': checked below
    flat = _flat(text)
    for claim in result.claims:
        assert " ".join(claim_content(claim).split()) in flat, claim.content.text


def test_wide_table_has_number_and_confidence_and_drops_empty_columns(result: DocumentResult) -> None:
    text = _render(result, 200)
    header = next(line for line in text.splitlines() if "Speaker" in line)
    assert "#" in header and "Conf." in header and "Figures" in header
    assert f"{result.claims[0].confidence:.2f}" in text
    no_figures = result.model_copy(update={"claims": [c for c in result.claims if not c.figures]})
    header = next(line for line in _render(no_figures, 200).splitlines() if "Speaker" in line)
    assert "Figures" not in header and "Content" in header
    # Wide enough, the long content wraps over a few lines instead of being cut.
    assert "closed the harbour" in text and "winter" in text


def test_narrow_table_is_stacked_with_readable_type_and_category(result: DocumentResult) -> None:
    text = _render(result, 80)
    assert "Speaker" not in text  # no column headers: one block per claim
    assert "indi…" not in text and "asse…" not in text
    assert "· said (assert) · indirect ·" in text
    assert "figures: > 8 percent" in text


def test_truncate_cuts_each_content_to_one_line(result: DocumentResult) -> None:
    for width in (80, 200):
        text = _render(result, width, truncate=True)
        assert "winter" not in text and "…" in text


def test_parts_are_joined_and_the_frame_left_out(result: DocumentResult) -> None:
    quote = next(c for c in result.claims if len(c.content.parts) > 1)
    assert claim_content(quote) == " … ".join(p.text for p in quote.content.parts)
    assert "said Maria Lopez" not in claim_content(quote)


def test_caption_uses_title_site_and_date(result: DocumentResult) -> None:
    assert table_caption(result) == f"strike.txt — {len(result.claims)} claims"
    page = result.model_copy(update={"title": "Port strike ends", "site": "Harbour News", "published": "2024-02-01"})
    assert table_caption(page) == f"Port strike ends — Harbour News, 2024-02-01 — {len(result.claims)} claims"
    assert "strike.txt" in _render(page, 200) and "Port strike ends" in _render(page, 80)
