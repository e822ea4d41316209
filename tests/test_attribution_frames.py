"""Attribution frames added for PolNeAR recall: objects of report verbs, participle speakers,
appearance verbs (sentences written for these tests)."""

from __future__ import annotations

import pytest

from newsclaims.assemble import claims_from_doc


def _claims(nlp, text: str) -> list[tuple[str | None, str, str]]:
    return [
        (c.speaker.text if c.speaker else None, c.cue.text if c.cue else "", c.content.text)
        for c in claims_from_doc(nlp(text))
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("On Friday the governor announced her resignation.", "the governor", "announced", "her resignation"),
        (
            "The senator repeated his promise to cut the ferry fares.",
            "The senator",
            "repeated",
            "his promise to cut the ferry fares",
        ),
        (
            "The mayor noted the rising cost of the new bridge.",
            "The mayor",
            "noted",
            "the rising cost of the new bridge",
        ),
    ],
)
def test_object_of_a_report_verb(nlp, text: str, speaker: str, cue: str, content: str) -> None:
    assert (speaker, cue, content) in _claims(nlp, text)


def test_participle_modifying_a_noun_takes_it_as_speaker(nlp) -> None:
    claims = _claims(nlp, "The council received letters from farmers saying the new dam would flood their fields.")
    assert any(s is not None and "farmers" in s and cue == "saying" for s, cue, _ in claims)


def test_participle_after_a_preposition_takes_the_main_subject(nlp) -> None:
    claims = _claims(nlp, "After praising the volunteers, the mayor opened the new library.")
    assert ("the mayor", "praising", "the volunteers") in claims


@pytest.fixture(scope="module")
def impressions(tmp_path_factory):
    """The pipeline with appearance verbs added as a rules folder does (not built in: see rules/cues.yaml)."""
    from newsclaims.pipeline import get_nlp

    folder = tmp_path_factory.mktemp("rules")
    (folder / "cues.yaml").write_text(
        "cues:\n  - lemmas: [seem, appear]\n    category: belief\n    role: impression\n", encoding="utf-8"
    )
    return get_nlp(rules_dir=folder)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("The new toll seems to anger most of the drivers.", ["The new toll", "to anger most of the drivers"]),
        (
            "The harbour plan appeared unlikely to pass before the summer.",
            ["The harbour plan", "unlikely to pass before the summer"],
        ),
        ("It seems that the council will vote again in March.", ["that the council will vote again in March"]),
    ],
)
def test_appearance_verb_is_an_unsourced_impression(nlp, impressions, text: str, parts: list[str]) -> None:
    assert not [c for c in claims_from_doc(nlp(text)) if c.cue is not None], "not a built-in cue"
    (claim,) = claims_from_doc(impressions(text))
    assert claim.speaker is None
    assert claim.cue is not None and claim.cue.text in ("seems", "appeared")
    assert [p.text for p in claim.content.parts] == parts


@pytest.mark.parametrize(
    "text",
    ["The mayor appeared on television on Monday night.", "A new problem appeared at the bridge last week."],
)
def test_appearing_somewhere_is_not_an_impression(impressions, text: str) -> None:
    assert [c for c in claims_from_doc(impressions(text)) if c.cue is not None and c.cue.text == "appeared"] == []


def test_purpose_clause_shares_the_main_subject(nlp) -> None:
    claims = _claims(nlp, "The mayor went on the radio to praise the volunteers.")
    assert ("The mayor", "praise", "the volunteers") in claims


def test_an_object_without_a_speaker_is_no_claim(nlp) -> None:
    # Measured on PolNeAR dev: such claims cost more source and cue F1 than they gained content recall.
    assert not [c for c in claims_from_doc(nlp("There is no reason to praise the volunteers.")) if c.cue is not None]
    assert _claims(nlp, "The mayor went on to praise the volunteers.")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The senator complained about the noise from the new airport.", "the noise from the new airport"),
        ("Reporters asked about the delays at the harbour.", "the delays at the harbour"),
    ],
)
def test_what_a_speech_verb_is_about(nlp, text: str, content: str) -> None:
    assert [c.content.text for c in claims_from_doc(nlp(text))] == [content]


def test_said_on_a_day_has_no_topic(nlp) -> None:
    assert claims_from_doc(nlp("The senator spoke on Monday.")) == []


def test_quotation_opened_in_the_clause_runs_to_its_close(nlp) -> None:
    text = 'The mayor said the toll "will stay. We cannot lower it this year."'
    (claim,) = claims_from_doc(nlp(text))
    assert claim.content.text.endswith('this year."')


def test_contrast_clause_is_not_the_report(nlp) -> None:
    claims = _claims(nlp, "The survey found that rents rose in the north, while wages fell in the south.")
    assert ("The survey", "found", "that rents rose in the north") in claims


def test_that_clause_hung_on_the_phrase_noun(nlp) -> None:
    claims = _claims(nlp, "The company said in its annual report that sales had fallen in every region.")
    assert any(s == "The company" and c == "that sales had fallen in every region" for s, _, c in claims)


def test_object_content_ends_where_a_sibling_report_starts(nlp) -> None:
    claims = _claims(
        nlp, "The senator praised the volunteers for their work, noting that the storm was the worst in years."
    )
    contents = [c for _, _, c in claims]
    assert "that the storm was the worst in years" in contents
    assert all("noting" not in c for c in contents)


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # "ask" takes its object: the one asked and the request, as PolNeAR annotates them.
        ("The mayor asked the council to delay the vote on the bridge.", "the council to delay the vote on the bridge"),
        ("The mayor asked them to delay the vote on the bridge.", "to delay the vote on the bridge"),
        ("The coach told his players to stay calm after the loss.", "to stay calm after the loss"),
    ],
)
def test_infinitive_of_a_request_verb(nlp, text: str, content: str) -> None:
    assert content in [c for _, _, c in _claims(nlp, text)]


def test_purpose_clause_of_a_non_cue_verb_is_no_claim(nlp) -> None:
    assert _claims(nlp, "The mayor waited in the hall to meet the council.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The station aired a video showing the rescue of the crew.",  # a participle with only an object describes
        "The team will face the defending champions on Sunday.",
        "Residents think about the flood every winter.",  # what a belief is about is no claim
        "We worry about the cost of the new bridge.",
    ],
)
def test_descriptions_and_thoughts_about_a_topic_are_no_claims(nlp, text: str) -> None:
    assert _claims(nlp, text) == []


def test_a_participle_with_a_clause_still_reports(nlp) -> None:
    assert ("voters", "saying", "the economy was weak") in _claims(nlp, "He met voters saying the economy was weak.")


@pytest.mark.parametrize(
    "text",
    [
        '"We have found the boat!" the coastguard shouted over the radio.',
        '"Why now?" the mayor asked on Tuesday.',
    ],
)
def test_a_credit_sentence_with_adjuncts_credits_the_quotation_before_it(nlp, text: str) -> None:
    (claim,) = claims_from_doc(nlp(text))
    assert claim.type == "direct" and claim.content.text.startswith('"') and claim.content.text.endswith('"')
    assert claim.speaker is not None and claim.speaker.text in ("the coastguard", "the mayor")


def test_a_participle_after_a_preposition_of_opposition_is_no_act_of_the_subject(nlp) -> None:
    assert _claims(nlp, "Brazil will be back on the pitch on Friday against defending champion Italy.") == []
    assert ("the mayor", "praising", "the volunteers") in _claims(
        nlp, "After praising the volunteers, the mayor left the hall."
    )


def test_that_clause_verb_joined_to_the_cue(nlp) -> None:
    # The parser heads the clause with "age" and joins "reported" to "estimated": the clause's
    # verb, not a second claim of the board's.
    text = (
        "The board has also estimated that 4,000 residents age 65 and over, which is about 2 percent "
        "of the county, reported a fall in 2021."
    )
    claims = claims_from_doc(nlp(text))
    assert [c.cue.lemma for c in claims if c.cue] == ["estimate"]
    assert claims[0].content.text.endswith("reported a fall in 2021")


def test_clause_subject_read_as_a_relative_clause(nlp) -> None:
    # The parser makes "that the show aired on Sunday" a relative clause on "family",
    # leaving "was" without a subject: the content still starts at "that".
    text = "Duke Lund has reportedly told friends and family that the show aired on Sunday was a hit."
    claims = claims_from_doc(nlp(text))
    assert [c.content.text for c in claims] == ["that the show aired on Sunday was a hit"]
