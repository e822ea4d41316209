"""Sense checks and page furniture: what must never be a claim or a speaker (sentences written for these tests)."""

from __future__ import annotations

from newsclaims.assemble import claims_from_doc


def test_discourse_marker_is_not_a_cue(nlp) -> None:
    assert claims_from_doc(nlp("That said, the new bridge may still open in the spring.")) == []


def test_capitals_label_is_not_a_speaker(nlp) -> None:
    text = (
        "The mayor opened the bridge on Monday.\n\n"
        "SEE ALSO: Bridge tolls rise again for drivers in the city\n\n"
        "VIDEO: The mayor talks about the tolls and the traffic"
    )
    assert [c for c in claims_from_doc(nlp(text)) if c.cue is not None and c.cue.text == ":"] == []


def test_transcript_turns_are_speakers(nlp) -> None:
    text = (
        "HOST: Will you accept the result of the vote tonight?\n\n"
        "SMITH: I will look at it when the count is finished.\n\n"
        "HOST: So you will not say it now, before the count?"
    )
    speakers = [c.speaker.text for c in claims_from_doc(nlp(text)) if c.speaker]
    assert speakers.count("HOST") == 2 and "SMITH" in speakers


def test_headline_name_and_colon(nlp) -> None:
    text = "Ortiz: The bridge will reopen before the winter.\n\nThe mayor spoke on Monday at the town hall."
    claims = claims_from_doc(nlp(text))
    assert claims and claims[0].speaker is not None and claims[0].speaker.text == "Ortiz"
    assert claims[0].content.text == "The bridge will reopen before the winter"


def test_headline_claim_ends_at_its_line(nlp) -> None:
    text = "Lakeland warns Eastport over plans for a new dam\nLakeland Daily\n\nThe story begins here."
    for claim in claims_from_doc(nlp(text)):
        assert "\n" not in claim.content.text


def test_first_person_outside_quotes_is_the_author(nlp) -> None:
    (claim,) = claims_from_doc(nlp("I think the council made a mistake with the bridge."))
    assert claim.speaker is not None and claim.speaker.kind == "author"
    assert claim.confidence < 0.5


def test_first_person_inside_a_quotation_is_the_quoted_speaker(nlp) -> None:
    (claim,) = claims_from_doc(nlp('"I think the council made a mistake," Ortiz said.'))
    assert claim.speaker is not None and claim.speaker.text == "Ortiz"
