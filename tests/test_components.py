"""Unit tests for the pre-attribution components, on sentences written for these tests."""

from __future__ import annotations

import pytest

from newsclaims.components.quotes import quote_bounds
from newsclaims.spans import BOILERPLATE, CUES, PARAGRAPHS, QUOTES, RECORDS
from newsclaims.text import paragraph_bounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("Headline\n\n  Body line one.\nstill body.\n\n\n", ["Headline", "Body line one.\nstill body."]),
        # No blank line at all (text extracted from HTML): one paragraph per line.
        ("Title\nFirst paragraph.\nSecond paragraph.", ["Title", "First paragraph.", "Second paragraph."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_paragraph_bounds(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in paragraph_bounds(text)] == expected


def test_headline_is_its_own_sentence(nlp) -> None:
    doc = nlp("Minister says rates will fall\n\nThe minister said rates would fall next year.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Minister says rates will fall"
    assert next(p.text for p in doc.spans[PARAGRAPHS]) == "Minister says rates will fall"


@pytest.mark.parametrize(
    "line",
    [
        "See also  Markets rally as the central bank holds rates",
        "Read more: Why the mayor says the bridge must close",
        "Related: Ten things the minister said about housing",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Share this article",
        "Subscribe to our newsletter",
    ],
)
def test_boilerplate_lines_yield_no_claims(nlp, line: str) -> None:
    text = f"The mayor said the bridge would reopen in May.\n\n{line}\n\nThe council agreed."
    doc = nlp(text)
    assert [s.text for s in doc.spans[BOILERPLATE]] == [line]
    contents = [s.text for s in doc.spans["newsclaims_contents"]]
    assert contents == ["the bridge would reopen in May"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “it is fine,” and left.", ["“it is fine,”"]),
        ('She said "we will win this election" today.', ['"we will win this election"']),
        # A second opening mark inside an open quotation is ignored; the first closing mark ends it.
        ("“One [“Two] three,” he said.", ["“One [“Two] three,”"]),
        # Unbalanced: ends with its paragraph and does not swallow the next one.
        ("“Never closed\n\nNext paragraph, she said.", ["“Never closed"]),
        # A paragraph opening a quotation continues into the next paragraph that opens with a quote mark.
        ("“First part.\n\n“Second part,” he said.", ["“First part.\n\n“Second part,”"]),
        ("A stray ” mark.", []),
        # Two apostrophes typed for a double quote mark.
        ("''We will win,'' he said. ''Soon.''", ["''We will win,''", "''Soon.''"]),
        ("The Joneses'' house was sold.", []),
    ],
)
def test_quote_bounds(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in quote_bounds(text, paragraph_bounds(text))] == expected


def test_scare_quotes_are_fragments_and_not_claims(nlp) -> None:
    doc = nlp("The so-called “peace plan” was published on Monday.")
    assert [(q.text, q.label_) for q in doc.spans[QUOTES]] == [("“peace plan”", "fragment")]
    assert len(doc.spans["newsclaims_contents"]) == 0


@pytest.mark.parametrize(
    ("text", "cue", "category", "lemma"),
    [
        ("The minister said the plan would work.", "said", "assert", "say"),
        ("The governor told reporters the plan would work.", "told reporters", "assert", "tell"),
        ("The company said in a statement that sales rose.", "said in a statement", "assert", "say"),
        ("Growth will slow, according to the central bank.", "according to", "assert", "according to"),
        ("Analysts warned that prices could rise.", "warned", "warning", "warn"),
        ("The senator hopes that the bill passes.", "hopes", "intent", "hope"),
        ("Economists believe that inflation has peaked.", "believe", "belief", "believe"),
        ("The firm denied that it had broken the law.", "denied", "denial", "deny"),
    ],
)
def test_cues(nlp, text: str, cue: str, category: str, lemma: str) -> None:
    doc = nlp(text)
    group = doc.spans[CUES]
    found = [(s.text, s.label_, r["lemma"]) for s, r in zip(group, group.attrs[RECORDS], strict=True)]
    assert (cue, category, lemma) in found


def test_money_suffix_at_sentence_end_keeps_the_full_stop_out(nlp) -> None:
    from newsclaims.assemble import claims_from_doc

    doc = nlp("The director said they lost $40m.\n\nThe firm said it would recover.")
    claims = claims_from_doc(doc)
    assert [c.content.text for c in claims] == ["they lost $40m", "it would recover"]
    assert [f.text for f in claims[0].figures] == ["$40m"]


@pytest.mark.parametrize(
    "text",
    [
        # A paragraph that merely contains a furniture phrase is not furniture.
        "The editor said your email address will not be published without consent.",
        "Share prices fell sharply on Monday after the finance minister said the budget would be delayed again.",
        # A whole article on one line (no line breaks at all, or CR-only endings) with its comment footer.
        "The mayor said the bridge would reopen in May. Leave a Reply Your email address will not be published.",
        "The mayor said the bridge would reopen in May.\rThe council agreed.\rRequired fields are marked *",
    ],
)
def test_furniture_phrases_inside_prose_keep_their_claims(nlp, text: str) -> None:
    doc = nlp(text)
    assert list(doc.spans[BOILERPLATE]) == []
    assert len(doc.spans["newsclaims_contents"]) >= 1


def test_two_curly_single_quotes_close_a_quotation() -> None:
    from newsclaims.components.quotes import quote_bounds

    text = "“It was a mistake,’’ she said. “We will fix it.”"
    assert [text[a:b] for a, b in quote_bounds(text, [(0, len(text))])] == ["“It was a mistake,’’", "“We will fix it.”"]


def test_opening_mark_glued_to_a_stop_closes_a_quotation() -> None:
    # "“…?“ he asked": the opening mark typed for the closing one, known by where it stands.
    text = "“Will it open?“ he asked. “Not before May,” she said of the “new“ bridge."
    assert [text[a:b] for a, b in quote_bounds(text, [(0, len(text))])] == [
        "“Will it open?“",
        "“Not before May,”",
        "“new“",
    ]
