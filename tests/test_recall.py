"""Round-2 recall constructions (issue 15), one sentence each, written for these tests."""

from __future__ import annotations

from newsclaims.assemble import claims_from_doc


def _claims(nlp, text: str) -> list[tuple[str | None, str | None, str]]:
    doc = nlp(text)
    return [
        (c.speaker.text if c.speaker else None, c.cue.text if c.cue else None, c.content.text)
        for c in claims_from_doc(doc)
    ]


def test_conjoined_second_report_is_its_own_claim(nlp) -> None:
    found = _claims(
        nlp, "The mayor says the contractor promised to finish the bridge and said the work would start soon."
    )
    contents = {cue: content for _, cue, content in found}
    assert contents["says"] == "the contractor promised to finish the bridge"
    assert "the work would start soon" in contents["said"]


def test_participle_report_splits_the_clause(nlp) -> None:
    found = _claims(
        nlp, "The senator said she did not trust the figures, arguing that the survey had missed rural towns."
    )
    contents = {cue: content for _, cue, content in found}
    assert contents["said"] == "she did not trust the figures"
    assert contents["arguing"].endswith("the survey had missed rural towns")
    assert ("The senator", "arguing") in {(s, c) for s, c, _ in found}


def test_subordinate_clause_stays_in_the_content(nlp) -> None:
    found = _claims(nlp, "The mayor said the bridge closed because the engineers warned about the cables.")
    assert [c for _, c, _ in found] == ["said"]


def test_bare_credit_sentence_takes_the_quotation_before_it(nlp) -> None:
    found = _claims(nlp, 'The crowd fell silent. "Why did nobody check the cables?" Ortiz asked.')
    assert ("Ortiz", "asked", '"Why did nobody check the cables?"') in found


def test_agreed_to_and_discussed(nlp) -> None:
    found = _claims(nlp, "The union agreed to suspend the strike for a week.")
    assert found == [("The union", "agreed", "to suspend the strike for a week")]
    found = _claims(nlp, "The ministers discussed the new port tariffs on Monday.")
    assert found and found[0][:2] == ("The ministers", "discussed") and "port tariffs" in found[0][2]


def test_speaking_takes_only_its_topic(nlp) -> None:
    found = _claims(nlp, "The bishop spoke out against the new border fence at a rally in the capital.")
    assert [(s, c) for s, c, _ in found] == [("The bishop", "spoke")]
    assert found[0][2].startswith("the new border fence")
    assert _claims(nlp, "The bishop spoke to reporters at the cathedral.") == []


def test_as_aside_credits_the_clause_it_qualifies(nlp) -> None:
    found = _claims(nlp, "As several engineers have pointed out, the old bridge cannot carry heavy trucks.")
    assert found == [("several engineers", "pointed", "the old bridge cannot carry heavy trucks")]


def test_temporal_as_is_not_a_source(nlp) -> None:
    found = _claims(nlp, "The crowd cheered loudly as she spoke about the harbour.")
    assert all(cue != "spoke" or not content.startswith("The crowd") for _, cue, content in found)


def test_passive_report_takes_subject_and_complement(nlp) -> None:
    doc = nlp("The contractor was accused of hiding the cracks in the pillars.")
    [claim] = claims_from_doc(doc)
    assert claim.speaker is None and claim.cue.text == "accused"
    assert [p.text for p in claim.content.parts] == ["The contractor", "hiding the cracks in the pillars"]


def test_speaking_on_condition_of_anonymity_is_no_topic(nlp) -> None:
    found = _claims(nlp, "A port official spoke on condition of anonymity because the talks were private.")
    assert all(cue != "spoke" for _, cue, _ in found)


def test_as_aside_on_a_report_keeps_the_quoted_claim(nlp) -> None:
    text = "“The harbour will reopen in spring,” said one port official, as the local paper reported."
    found = _claims(nlp, text)
    assert ("one port official", "said", "“The harbour will reopen in spring,”") in found
