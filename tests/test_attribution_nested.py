"""Nested attributions, colon introductions without a speech verb, headline lines and trailing
credits (issue 15; sentences written for these tests)."""

from __future__ import annotations

import pytest

from newsclaims.assemble import claims_from_doc
from newsclaims.components.confidence import CONFIDENCE
from newsclaims.spans import CONTENTS, CUES


def _claims(nlp, text: str) -> list[tuple[str | None, str, str]]:
    return [
        (c.speaker.text if c.speaker else None, c.cue.text if c.cue else "", c.content.text)
        for c in claims_from_doc(nlp(text))
    ]


def _rules(nlp, text: str) -> dict[str, tuple[str, float]]:
    """Cue text -> (rule, confidence) of each claim."""
    doc = nlp(text)
    group = doc.spans[CONTENTS]
    return {doc[r["cue"][0] : r["cue"][1]].text: (r["rule"], r["confidence"]) for r in group.attrs["records"]}


@pytest.mark.parametrize(
    ("text", "inner", "outer"),
    [
        (
            "The ferry company hid the losses for years, he said, according to the complaint.",
            ("he", "said", "The ferry company hid the losses for years"),
            ("the complaint", "according to", "The ferry company hid the losses for years, he said"),
        ),
        (
            "The harbour board knew of the flood risk, the lawsuit says, according to court papers.",
            ("the lawsuit", "says", "The harbour board knew of the flood risk"),
            ("court papers", "according to", "The harbour board knew of the flood risk, the lawsuit says"),
        ),
        (
            "According to the complaint, the manager said the ferry company hid the losses for years.",
            ("the manager", "said", "the ferry company hid the losses for years"),
            ("the complaint", "According to", "the manager said the ferry company hid the losses for years"),
        ),
    ],
)
def test_nested_attribution_keeps_both_claims(nlp, text: str, inner: tuple, outer: tuple) -> None:
    found = _claims(nlp, text)
    # The outer source's content holds the whole inner report, its speaker and cue included.
    assert inner in found
    assert outer in found


def test_reported_speech_inside_a_plain_report_stays_one_claim(nlp) -> None:
    found = _claims(nlp, "The aide said the governor hopes that the bill will pass.")
    assert [(s, c) for s, c, _ in found] == [("The aide", "said")]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("The minister put it in three words: “We are ready.”", "The minister", "put", "“We are ready.”"),
        (
            "Ortiz had a simple message for the council: “Fix the roads before winter.”",
            "Ortiz",
            "had",
            "“Fix the roads before winter.”",
        ),
        ("His answer: “No.”", "His", "answer", "“No.”"),
        (
            "She posted this on social media: “The vote was rigged and everyone knows it.”",
            "She",
            "posted",
            "“The vote was rigged and everyone knows it.”",
        ),
    ],
)
def test_colon_introduction_without_a_speech_verb(nlp, text: str, speaker: str, cue: str, content: str) -> None:
    assert (speaker, cue, content) in _claims(nlp, text)


@pytest.mark.parametrize(
    "text",
    ["The rules are simple: “No phones in class.”", "The sign on the gate read: “Closed for repairs.”"],
)
def test_colon_after_a_subject_that_is_no_source_credits_nobody(nlp, text: str) -> None:
    assert [s for s, _, _ in _claims(nlp, text) if s is not None] == []


def test_colon_introduction_has_its_own_confidence(nlp) -> None:
    rule, conf = _rules(nlp, "The minister put it in three words: “We are ready.”")["put"]
    assert rule == "colon_intro"
    assert conf == CONFIDENCE["colon_intro"][0]


@pytest.mark.parametrize(
    "text",
    [
        # the section tag on the next line
        "The United States says China supports Russia in its massive military expansion\nChina\n\n"
        "Officials said on Friday that the talks would go on.",
        # the tag run onto the headline's line when the page's lines were joined
        "The United States says China supports Russia in its massive military expansion China\n\n"
        "Officials said on Friday that the talks would go on.",
    ],
)
def test_headline_claim_ends_at_the_line(nlp, text: str) -> None:
    found = _claims(nlp, text)
    assert ("The United States", "says", "China supports Russia in its massive military expansion") in found


def test_headline_source_ends_at_the_line(nlp) -> None:
    text = "The budget will close the gap in two years, according to the minister\nPolitics\n\nThe talks go on."
    assert ("the minister", "according to", "The budget will close the gap in two years") in _claims(nlp, text)


def test_headline_ending_in_a_name_keeps_it(nlp) -> None:
    text = "The mayor says the new ferry will stop at Ortiz Point\n\nThe talks go on."
    assert ("The mayor", "says", "the new ferry will stop at Ortiz Point") in _claims(nlp, text)


def test_html_headline_with_a_section_line(nlp, tmp_path) -> None:
    from newsclaims.inputs import read_article
    from newsclaims.pipeline import extract_articles

    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><h1>The United States says China supports Russia in its massive military expansion</h1>"
        "<p>China</p><p>Officials said on Friday that the talks would go on.</p></body></html>",
        encoding="utf-8",
    )
    claims = next(extract_articles([read_article(page)])).claims
    says = [c for c in claims if c.cue is not None and c.cue.text == "says"]
    assert [c.content.text for c in says] == ["China supports Russia in its massive military expansion"]


def _credit_shape(nlp, text: str, cue_word: str) -> bool:
    """``reporting_credit`` on the sentence's cue, its subject and the clause before the comma."""
    from spacy.tokens import Span

    from newsclaims.components.relations import speaker_phrase, trim
    from newsclaims.components.trailing import reporting_credit

    doc = nlp(text)
    verb = next(t for t in doc if t.text == cue_word)
    subj = next(c for c in verb.children if c.dep_ == "nsubj")
    speaker = speaker_phrase(subj, outside=verb.i)
    sources = next(p for n, p in nlp.pipeline if n == "newsclaims_attribution")._source_nouns()
    content = trim(doc, verb.sent.start, speaker[0] - 1)
    cue = next((c for c in doc.spans[CUES] if c.start <= verb.i < c.end), Span(doc, verb.i, verb.i + 1, label="assert"))
    return reporting_credit(doc, verb, cue, content, speaker, subj, sources)


@pytest.mark.parametrize(
    ("text", "cue", "credit"),
    [
        ("The ferry will stop running in May, a senior port official told reporters on Friday.", "told", True),
        ("The ferry will stop running in May, the harbour board said on its website.", "said", True),
        # no full clause before the comma: a fronted phrase, not what was said
        ("As a young teacher in the city, she said little.", "said", False),
        # a subject that names no source
        ("The ferry stopped running in May, and the borrowing continued.", "continued", False),
        # the verb phrase goes on after the cue: narration
        ("The ferry stopped running in May, and the town continued to borrow money for years.", "continued", False),
    ],
)
def test_trailing_credit_shape(nlp, text: str, cue: str, credit: bool) -> None:
    assert _credit_shape(nlp, text, cue) is credit


def test_trailing_shapes_get_their_own_confidence(nlp) -> None:
    rule, conf = _rules(nlp, "As a young teacher, she felt for me.")["felt"]
    assert (rule, conf) == ("trailing", CONFIDENCE["trailing"][0])
    assert CONFIDENCE["trailing_credit"][0] > CONFIDENCE["trailing"][0]


def test_comma_closing_the_cue_verbs_own_adverbial_is_no_credit(nlp) -> None:
    text = "The clip was cut to show the mayor dodging a question, when, in fact, she replied at once."
    assert _credit_shape(nlp, text, "replied") is False
