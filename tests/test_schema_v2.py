"""Schema 2 constructions: content parts, follow-on quotation paragraphs, speaker name and description.

Sentences written for these tests.
"""

from __future__ import annotations

from newsclaims.assemble import claims_from_doc, speakers_from_claims


def test_split_quote_has_two_parts_without_the_frame(nlp) -> None:
    text = '"We lost a lot of money," the harbour master said. "The ships went elsewhere."'
    (claim,) = claims_from_doc(nlp(text))
    assert [p.text for p in claim.content.parts] == ['"We lost a lot of money,"', '"The ships went elsewhere."']
    assert claim.content.start == claim.content.parts[0].start
    assert claim.content.end == claim.content.parts[-1].end


def test_quote_pair_around_its_cue_has_two_parts(nlp) -> None:
    text = '"We lost," said the coach, "and we lost badly."'
    (claim,) = claims_from_doc(nlp(text))
    assert [p.text for p in claim.content.parts] == ['"We lost,"', '"and we lost badly."']


def test_unquoted_words_before_an_aside_open_the_quoted_sentence(nlp) -> None:
    text = 'The ferry was late again. No new timetable, the harbour master said, "will fix what is broken."'
    (claim,) = claims_from_doc(nlp(text))
    assert [p.text for p in claim.content.parts] == ["No new timetable", '"will fix what is broken."']
    assert claim.type == "mixed" and claim.speaker.text == "the harbour master"


def test_an_opening_participle_before_an_aside_is_the_frame(nlp) -> None:
    text = 'The ferry was late again. Asked about the delay, the harbour master said, "The ships will go elsewhere."'
    claims = claims_from_doc(nlp(text))
    said = next(c for c in claims if c.cue.text == "said")
    assert [p.text for p in said.content.parts] == ['"The ships will go elsewhere."']


def test_parts_round_trip_offsets(nlp) -> None:
    text = "The new ferry, the minister said, would be late by a year."
    for claim in claims_from_doc(nlp(text)):
        assert text[claim.content.start : claim.content.end] == claim.content.text
        for part in claim.content.parts:
            assert text[part.start : part.end] == part.text
        assert all("said" not in p.text for p in claim.content.parts)


def test_contiguous_content_is_one_part(nlp) -> None:
    (claim,) = claims_from_doc(nlp("The mayor said the bridge would reopen in May."))
    assert [p.text for p in claim.content.parts] == [claim.content.text]


FOLLOW_ON = (
    'Mayor Ana Ortiz said on Monday: "The bridge will reopen in May."\n\n'
    '"We have waited long enough for this and the city deserves it."\n\n'
    '"Nobody will pay a toll to cross it."\n\n'
    "The council has not voted on the budget yet.\n\n"
    '"This quotation follows prose and belongs to nobody in particular."'
)


def test_follow_on_paragraphs_continue_the_speaker(nlp) -> None:
    claims = claims_from_doc(nlp(FOLLOW_ON))
    first, *follow = claims
    assert first.cue is not None and first.continues is None
    assert [c.content.text for c in follow] == [
        '"We have waited long enough for this and the city deserves it."',
        '"Nobody will pay a toll to cross it."',
    ]
    for c in follow:
        assert c.type == "direct" and c.cue is None and c.continues == first.id
        assert c.speaker is not None and c.speaker.id == first.speaker.id
        assert c.confidence < first.confidence


def test_follow_on_stops_at_a_new_cue(nlp) -> None:
    text = (
        '"The bridge will reopen in May," Ortiz said.\n\n'
        '"It will not," the council leader replied.\n\n'
        '"We have no money left for the repairs this year."'
    )
    claims = claims_from_doc(nlp(text))
    last = claims[-1]
    assert last.continues == claims[1].id
    assert last.speaker is not None and last.speaker.id == claims[1].speaker.id


def test_a_quoted_label_is_no_follow_on(nlp) -> None:
    text = '"The bridge will reopen in May," Ortiz said.\n\n"Related:"\n\n"We have no money left for the repairs."'
    claims = claims_from_doc(nlp(text))
    assert [c.content.text for c in claims] == ['"The bridge will reopen in May,"']


def test_speaker_name_without_apposition(nlp) -> None:
    text = "Jo Smith, a senior researcher at Lakeside University, said the lake was shrinking."
    (claim,) = claims_from_doc(nlp(text))
    assert claim.speaker is not None
    assert claim.speaker.name == "Jo Smith"
    assert claim.speaker.description is not None
    assert claim.speaker.description.text == "a senior researcher at Lakeside University"


def test_speaker_name_after_a_role(nlp) -> None:
    (claim,) = claims_from_doc(nlp("The authority's director, Jo Smith, said the port would expand."))
    assert claim.speaker is not None
    assert claim.speaker.name == "Jo Smith"
    assert claim.speaker.description is not None and claim.speaker.description.text == "The authority's director"


def test_group_named_by_a_prepositional_phrase_keeps_it(nlp) -> None:
    (claim,) = claims_from_doc(nlp("Analysts at Northgate Bank said growth would slow next year."))
    assert claim.speaker is not None and claim.speaker.name == "Analysts at Northgate Bank"
    assert claim.speaker.description is None


def test_pronoun_takes_the_resolved_name(nlp) -> None:
    text = "Jo Smith, a senior researcher at the institute, said the lake was shrinking. She said fish were dying."
    claims = claims_from_doc(nlp(text))
    assert [c.speaker.name for c in claims if c.speaker] == ["Jo Smith", "Jo Smith"]
    (summary,) = speakers_from_claims(claims)
    assert summary.name == "Jo Smith" and summary.description == "a senior researcher at the institute"


def test_named_is_never_anonymous(nlp) -> None:
    text = "Ana Ortiz, who spoke on condition of anonymity, said the talks had stalled."
    for claim in claims_from_doc(nlp(text)):
        assert claim.speaker is not None
        assert not (claim.speaker.named and claim.speaker.anonymous)


def test_name_hung_on_a_mistagged_cue_stays_in_the_speaker(nlp) -> None:
    # The parser reads "estimate" as a noun and hangs "Northgate Bank" on it.
    (claim,) = claims_from_doc(nlp("Analysts at Northgate Bank estimate that exports will recover slowly."))
    assert claim.speaker is not None and claim.speaker.text == "Analysts at Northgate Bank"
