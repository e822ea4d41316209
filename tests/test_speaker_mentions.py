"""Speaker mentions against quotations and relative clauses (sentences written for these tests)."""

from __future__ import annotations

import pytest

from newsclaims.assemble import claims_from_doc


def _claims(nlp, text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    doc = nlp(text)
    return [
        (
            c.speaker.text if c.speaker else None,
            c.speaker.name if c.speaker else None,
            c.cue.text if c.cue else None,
            c.content.text,
        )
        for c in claims_from_doc(doc)
    ]


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("The plan was opposed by Ana Ortiz, who said that the vote would fail.", "who", "Ana Ortiz"),
        ("The council heard from engineers, who warned that the bridge was unsafe.", "who", "engineers"),
    ],
)
def test_relative_pronoun_is_the_mention_and_its_noun_the_name(nlp, text: str, mention: str, name: str) -> None:
    # ("opposed by Ana Ortiz" is a claim of its own, with the name as its speaker.)
    [(speaker, canonical, _, _)] = [c for c in _claims(nlp, text) if c[2] in ("said", "warned")]
    assert (speaker, canonical) == (mention, name)


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # the parser reads the quotation's last words as a subject of "said"
        (
            "“The bridge is safe. It is really safe,” said Ana Ortiz, the city engineer.",
            "Ana Ortiz, the city engineer",
            "“The bridge is safe. It is really safe,”",
        ),
        # an age in apposition: the parser hangs the quotation on the name
        (
            "“The ferry will sail on time,” Ana Ortiz, 52, told reporters.",
            "Ana Ortiz, 52",
            "“The ferry will sail on time,”",
        ),
        # an inverted credit read as part of the name
        ("Officials were pleased. Said Ana Ortiz: “The ferry is ready.”", "Ana Ortiz", "“The ferry is ready.”"),
    ],
)
def test_speaker_never_swallows_the_quotation(nlp, text: str, speaker: str, content: str) -> None:
    assert (speaker, content) in [(s, c) for s, _, _, c in _claims(nlp, text)]


def test_first_person_inside_a_quotation_makes_no_claim_of_its_own(nlp) -> None:
    claims = _claims(nlp, "“I want to thank the voters and I hope we win,” the mayor said.")
    assert [(s, c) for s, _, _, c in claims] == [("the mayor", "“I want to thank the voters and I hope we win,”")]


def test_noun_conjunct_hung_on_the_cue_continues_the_object(nlp) -> None:
    [(_, _, _, content)] = _claims(nlp, "The union called for higher wages, and a plan to hire more drivers.")
    # The phrasal verb's "for" is the cue's (see test_a_phrasal_preposition_belongs_to_the_cue).
    assert content == "higher wages, and a plan to hire more drivers"


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        # verbs no cue list names, with a "that" clause and a source for subject
        ("The court ruled that the ferry deal was void.", ("The court", "ruled", "that the ferry deal was void")),
        ("Inspectors found that the bridge was unsafe.", ("Inspectors", "found", "that the bridge was unsafe")),
    ],
)
def test_that_clause_of_an_unlisted_verb(nlp, text: str, claim: tuple[str, str, str]) -> None:
    assert [(s, cue, c) for s, _, cue, c in _claims(nlp, text)] == [claim]


@pytest.mark.parametrize(
    "text",
    [
        "It is all but guaranteed that the ferry will be late.",  # no source
        "The storm ensured that the ferry stayed in port.",  # a storm is no source
    ],
)
def test_that_clause_needs_a_source(nlp, text: str) -> None:
    assert _claims(nlp, text) == []


def test_quotation_paragraph_with_a_cue_inside_still_continues(nlp) -> None:
    text = '"We are ready," Ortiz said. "The money is there."\n\n"The council agrees with me on this."'
    claims = _claims(nlp, text)
    assert [(s, cue, c) for s, _, cue, c in claims][-1] == ("Ortiz", None, '"The council agrees with me on this."')
    assert all(cue != "agrees" for _, _, cue, _ in claims)


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("Jo Ortiz, who runs the ferry, said the fares would rise.", "Jo Ortiz, who runs the ferry", "Jo Ortiz"),
        (
            "A senior official, who spoke on condition of anonymity, said the talks had failed.",
            "A senior official, who spoke on condition of anonymity",
            "A senior official",
        ),
        ("A survey released last year found that most riders were satisfied.", "A survey released last year", None),
    ],
)
def test_mention_keeps_its_modifiers_and_the_name_drops_asides(nlp, text: str, mention: str, name: str | None) -> None:
    [(speaker, canonical, _, _)] = _claims(nlp, text)
    assert speaker == mention and canonical == (name or mention)


def test_dateline_is_no_part_of_the_speaker(nlp) -> None:
    [(speaker, _, _, _)] = _claims(nlp, "PORT BELL -- Mayor Ana Ortiz said the ferry would sail on Monday.")
    assert speaker == "Mayor Ana Ortiz"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "HARBOURTON, Eastland (AP) — Transport Minister Jo Ortiz on Monday said the bridge would reopen.",
            "Transport Minister Jo Ortiz",
        ),
        (
            "LISBON -- The European Rail Agency says running night trains could make it easier to cross the continent.",
            "The European Rail Agency",
        ),
    ],
)
def test_dateline_parsed_as_the_subject(nlp, text: str, speaker: str) -> None:
    claims = claims_from_doc(nlp(text))
    assert [c.speaker.text for c in claims if c.speaker] == [speaker]


def test_an_acronym_spelled_like_a_relative_pronoun_is_a_name(nlp) -> None:
    claims = claims_from_doc(nlp('The new strain is "rarely fatal", says WHO.'))
    assert [c.speaker.text for c in claims if c.speaker] == ["WHO"]
