"""Speaker resolution and classification, on sentences written for these tests."""

from __future__ import annotations

import pytest

from newsclaims.assemble import claims_from_doc


def _speakers(nlp, text: str) -> list[tuple[str, str | None]]:
    return [
        (c.speaker.text, c.speaker.resolved.text if c.speaker.resolved else None)
        for c in claims_from_doc(nlp(text))
        if c.speaker is not None
    ]


@pytest.mark.parametrize(
    ("text", "mention", "resolved"),
    [
        ("Maria Lopez said the plan would fail. She said the council had ignored the warnings.", "She", "Maria Lopez"),
        (
            "A senior official said the talks had stalled. The official said no date had been set.",
            "The official",
            "A senior official",
        ),
        ("Local officials said the road was unsafe. They said repairs would take a year.", "They", "Local officials"),
        ("The ministry said exports rose. It said imports fell.", "It", "The ministry"),
        (
            "President Ana Ortiz signed the bill on Monday. The president said it would cut costs.",
            "The president",
            "President Ana Ortiz",
        ),
        ("Acme Corp. said profits rose. The company said it would hire more staff.", "The company", "Acme Corp."),
    ],
)
def test_resolution(nlp, text: str, mention: str, resolved: str) -> None:
    assert (mention, resolved) in _speakers(nlp, text)


def test_gender_carries_along_a_chain(nlp) -> None:
    text = (
        "Anna Berg said the vote was fair. She said the count was checked. "
        "John Smith said the vote was not fair. He said ballots were lost. "
        "She added that the result would stand."
    )
    found = _speakers(nlp, text)
    assert found[-1] == ("She", "Anna Berg")
    assert ("He", "John Smith") in found


def test_first_person_and_passing_names_are_not_antecedents(nlp) -> None:
    text = (
        'Tom Reed said the bridge was safe. "I said we would fix it," he said. '
        "Critics praised Mary Jones for her report. He said the repairs were finished."
    )
    found = _speakers(nlp, text)
    assert found[-1] == ("He", "Tom Reed")


def test_kind_named_and_anonymous(nlp) -> None:
    doc = nlp(
        "A senior official, speaking on condition of anonymity, said the talks had stalled. "
        "The official said no date had been set. Acme Corp. said profits rose."
    )
    speakers = [c.speaker for c in claims_from_doc(doc)]
    first, second, company = speakers
    assert (first.kind, first.named, first.anonymous) == ("person", False, True)
    # Anonymity and identity carry over to the later mention.
    assert second.anonymous and second.id == first.id
    assert (company.kind, company.named, company.anonymous) == ("organization", True, False)


def test_unlisted_agent_noun_is_a_person_and_pronouns_reach_it(nlp) -> None:
    from newsclaims.assemble import claims_from_doc

    doc = nlp("A council engineer said the bridge was safe.\n\nShe said repairs would take a year.")
    first, second = claims_from_doc(doc)
    assert (first.speaker.kind, first.speaker.anonymous) == ("person", True)
    assert second.speaker.resolved is not None and second.speaker.resolved.text == "A council engineer"
    assert second.speaker.anonymous


@pytest.mark.parametrize(
    ("text", "anonymous"),
    [
        ("The harbour town's mayor said the ferry would run again.", False),
        ("The chief executive of Brightwater said sales had doubled.", False),
        ("The head of the regulator said the fine was fair.", False),
        ("A senior diplomat said the talks had stalled.", True),
        ("Diplomats said the talks had stalled.", True),
        ("The regulator's official said the fine was fair.", True),  # a role many hold
        ("The official said the fine was fair.", True),  # a reference back, not a role of one
        ("The town's mayor, speaking on condition of anonymity, said the ferry was late.", True),
    ],
)
def test_a_role_of_one_person_is_not_anonymous(nlp, text: str, anonymous: bool) -> None:
    (claim,) = claims_from_doc(nlp(text))
    assert claim.speaker is not None
    assert claim.speaker.anonymous is anonymous
    assert not (claim.speaker.anonymous and claim.speaker.named)


def test_subject_of_another_clause_in_the_same_sentence(nlp) -> None:
    text = (
        "Prosecutor Anna Berg said the case was strong. "
        "When Tom Reed was arrested, he told officers that he had acted alone."
    )
    assert ("he", "Tom Reed") in _speakers(nlp, text)


def test_name_inside_the_quotation_is_not_the_speaker(nlp) -> None:
    text = 'Anna Berg said the count was fair. "Tom Reed will not win the seat," she said.'
    assert ("she", "Anna Berg") in _speakers(nlp, text)


def test_sentence_index_agrees_with_token_sent(nlp) -> None:
    from spacy.tokens import Doc

    from newsclaims.doctext import sentence_bounds

    doc = nlp("The mayor spoke first. Then officials, who declined to be named, said the plan would fail!\n\nIt did.")
    assert [sentence_bounds(doc, t.i) for t in doc] == [(t.sent.start, t.sent.end) for t in doc]
    # Without sentence boundaries spaCy's own error, from token.sent.
    bare = Doc(nlp.vocab, words=["no", "parse"])
    with pytest.raises(ValueError):
        sentence_bounds(bare, 0)


def test_expletive_it_frame_has_no_speaker(nlp) -> None:
    # "It is fair to say that ...": the writer's frame; "it" is no one, so the claim has no speaker.
    from newsclaims.assemble import claims_from_doc

    text = "The mayor opened the new bridge on Monday. It is fair to say that the council has failed the drivers."
    claims = [c for c in claims_from_doc(nlp(text)) if c.cue is not None and c.cue.lemma == "say"]
    assert [(c.speaker, c.content.text) for c in claims] == [(None, "that the council has failed the drivers")]
    # With a curly apostrophe too ("it’s"), which the lemmatizer does not read as "be".
    curly = "The mayor opened the new bridge on Monday, and it’s safe to assume that the tolls will rise."
    claims = [c for c in claims_from_doc(nlp(curly)) if c.cue is not None and c.cue.lemma == "assume"]
    assert [c.speaker for c in claims] == [None]


def test_plural_description_is_not_one_organisation(nlp) -> None:
    text = (
        "Zenith Aerospace won the last contract on Monday. "
        "The companies said they hoped to widen their routes to carry freight."
    )
    assert ("The companies", None) in _speakers(nlp, text)


def test_name_named_again_keeps_its_pronoun_gender(nlp) -> None:
    # "Lena Hart" was a "she": a later "he" skips her name, even where it is the nearest subject.
    text = (
        "Lena Hart said the label had blocked her. She said she wanted to play her old songs. "
        "Her manager Tom Reilly has worked with many bands, some of whom Lena Hart has had feuds with. "
        "He has denied being unfair to her."
    )
    assert ("He", "Lena Hart") not in _speakers(nlp, text)


def test_name_with_plural_verb_is_a_they(nlp) -> None:
    # British usage: "Harbour Lines have denied it" makes the firm a "they".
    text = (
        "Two senators, Jane Roe and Ann Poe, joined the row. They criticised the label's owners. "
        "Harbour Lines have twice denied doing anything improper. "
        '"At no point did we block her," they said in a statement.'
    )
    assert ("they", "Harbour Lines") in _speakers(nlp, text)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("In the new survey, 26% say they are conservative.", "26%"),
        ("A third of independents, 33%, said they would back the plan.", "A third of independents, 33%"),
    ],
)
def test_percent_sign_stays_in_the_speaker(nlp, text: str, speaker: str) -> None:
    # spaCy counts "%" as punctuation; here it is the head noun of the speaker phrase.
    assert [s for s, _ in _speakers(nlp, text)] == [speaker]
