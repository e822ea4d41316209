"""Constructions that widen what a claim covers (sentences written for these tests)."""

from __future__ import annotations

from conftest import claim_rows as _claims
from newsclaims.assemble import claims_from_doc


def test_coordinated_that_clause_stays_in_the_content(nlp) -> None:
    found = _claims(nlp, "The mayor said the road was closed, but that the buses still ran on Sunday.")
    assert ("The mayor", "said", "the road was closed, but that the buses still ran on Sunday", "indirect") in found


def test_coordinated_act_of_the_speaker_is_not_reported(nlp) -> None:
    # No "that": the second verb is what the mayor did, or what someone else did, not what was said.
    for text in (
        "The mayor said the road was closed, and left the meeting early.",
        "The mayor said the road was closed, and the council voted to reopen it.",
    ):
        assert ("The mayor", "said", "the road was closed", "indirect") in _claims(nlp, text)


def test_credit_sentence_before_a_quotation(nlp) -> None:
    text = 'Ana Ortiz, the mayor, said in a statement on Monday. "The bridge will reopen in May."'
    [(speaker, cue, content, kind)] = _claims(nlp, text)
    assert speaker.startswith("Ana Ortiz") and cue.startswith("said")
    assert (content, kind) == ('"The bridge will reopen in May."', "direct")


def test_sentence_with_an_object_credits_no_following_quotation(nlp) -> None:
    found = _claims(nlp, 'The mayor said nothing. "We are ready," the aide added.')
    assert [(s, c) for s, c, _, _ in found] == [("the aide", "added")]


def test_polling_and_files_can_show(nlp) -> None:
    for text, subject in (
        ("Exit polling showed that the mayor won every district.", "Exit polling"),
        ("Audit files show that the council spent the money twice.", "Audit files"),
    ):
        assert [(s, c) for s, c, _, _ in _claims(nlp, text)] == [(subject, text.split()[2])]


def test_question_before_its_credit_sentence(nlp) -> None:
    text = '"Do you think I will quit?" Ortiz asked reporters during a news conference on Monday.'
    [(speaker, cue, content, kind)] = _claims(nlp, text)
    assert (speaker, content, kind) == ("Ortiz", '"Do you think I will quit?"', "direct")
    assert cue.startswith("asked")


def test_exclamation_before_a_cue_with_its_own_object_is_not_its_content(nlp) -> None:
    found = _claims(nlp, '"Eminent domain!" A new campaign ad accuses the mayor of buying votes.')
    assert all(not content.startswith('"Eminent') for _, _, content, _ in found)


def test_quotation_continues_a_reported_clause_that_quotes(nlp) -> None:
    text = 'The plan was "a good start," Ortiz said. "We will need more money next year."'
    [(speaker, cue, content, _)] = _claims(nlp, text)
    assert (speaker, cue) == ("Ortiz", "said")
    assert content.startswith("The plan was") and content.endswith('money next year."')


def test_quotation_after_a_quoting_object_stays_apart(nlp) -> None:
    text = 'Ortiz blamed the delay on "careless planners." "The bridge will open in May," the aide said.'
    found = {(s, c): content for s, c, content, _ in _claims(nlp, text)}
    assert found[("the aide", "said")] == '"The bridge will open in May,"'


def test_writer_sentence_the_parser_ran_on_ends_a_follow_on(nlp) -> None:
    text = (
        "Ortiz told investors on Monday that the deal would let the firm “pay down debt and invest in growth.” "
        "It is not easy to square cutting staff with “investing in growth.”"
    )
    claims = claims_from_doc(nlp(text))
    assert claims and all("square" not in c.content.text for c in claims)


def test_call_for_someone_to_act(nlp) -> None:
    # "for … to": a clause the parser hangs as an adverbial is what is called for.
    rows = _claims(nlp, "The council is calling for the harbour board to publish its accounts.")
    assert ("The council", "calling", "the harbour board to publish its accounts", "indirect") in rows


def test_read_and_yell_credit_their_quotations(nlp) -> None:
    assert ("The sign", "read", "“Welcome to the city of bridges and tolls.”", "direct") in _claims(
        nlp, "The sign read: “Welcome to the city of bridges and tolls.”"
    )
    rows = _claims(nlp, "A man in the crowd yelled, “Tear down the toll booths now!”")
    assert ("A man in the crowd", "yelled", "“Tear down the toll booths now!”", "direct") in rows


def test_reading_about_a_finding_is_no_claim(nlp) -> None:
    assert _claims(nlp, "After reading about the new findings, the engineer began to rethink the design.") == []


def test_a_records_finding_is_its_object(nlp) -> None:
    # "found" and "estimates" take an object content when a record is the subject, not a person.
    assert ("A recent harbour survey", "found", "90 percent support for the new tolls", "indirect") in _claims(
        nlp, "A recent harbour survey found 90 percent support for the new tolls."
    )
    # A guard: a person's "found" keeps no bare object content (the old code made none either).
    assert ("She", "found", "the talks in the capital", "indirect") not in _claims(
        nlp, "She found the talks in the capital tiring."
    )


def test_closing_mark_typed_as_an_opener_at_a_paragraph_start(nlp) -> None:
    # "”Fear. …” ― Name": some pages type the closing mark where the quotation opens.
    text = "”Honestly. I am worried that the bridge will close for good.” ― Ana Ortiz\n"
    found = _claims(nlp, text)
    assert ("Ana Ortiz", "―", "”Honestly. I am worried that the bridge will close for good.”", "direct") in found


def test_quotation_after_a_credited_clause_continues_it(nlp) -> None:
    text = (
        'The council will wait until the port talks end, Ortiz said. "Money is the real question. '
        'Nobody wants to pay for a bridge twice."'
    )
    [claim] = claims_from_doc(nlp(text))
    assert claim.speaker is not None and claim.speaker.text == "Ortiz"
    assert [p.text for p in claim.content.parts] == [
        "The council will wait until the port talks end",
        '"Money is the real question. Nobody wants to pay for a bridge twice."',
    ]


def test_object_of_a_speech_verb_is_its_content(nlp) -> None:
    assert ("The mayor", "said", "the same thing", "indirect") in _claims(nlp, "The mayor said the same thing.")
    assert ("The union", "asked for", "a recount", "indirect") in _claims(nlp, "The union asked for a recount.")


def test_prepositions_of_say_are_never_its_content(nlp) -> None:
    # "say on the stage": where, not what.
    found = _claims(nlp, "What the rivals say on the radio matters less than their records.")
    assert not any(content == "the radio" for _, _, content, _ in found)


def test_passive_report_credited_by_its_agent(nlp) -> None:
    found = _claims(nlp, "The merger was first disclosed by the Harbour Gazette.")
    assert ("the Harbour Gazette", "disclosed", "The merger", "indirect") in found


def test_possessed_speech_noun_and_its_object(nlp) -> None:
    found = _claims(nlp, "Ortiz's attacks on the port authority grew sharper during the campaign.")
    assert ("Ortiz", "attacks on", "the port authority", "indirect") in found
    # A topic is no view: "her positions on trade".
    assert not _claims(nlp, "Her positions on trade changed twice.")


def test_judgement_received_from_a_source(nlp) -> None:
    found = _claims(nlp, "The plan drew sharp criticism from unions and shipping firms.")
    assert ("unions and shipping firms", "criticism", "The plan", "indirect") in found


def test_subjectless_participle_takes_the_speaker_of_its_clause(nlp) -> None:
    found = _claims(nlp, "The mayor stopped short of calling the delay deliberate.")
    assert ("The mayor", "calling", "the delay deliberate", "indirect") in found
    found = _claims(nlp, "Ms. Ortiz is also determined to warn the council about the cost of waiting.")
    assert any(s == "Ms. Ortiz" and cue == "warn" for s, cue, _, _ in found)
    # A participle used as a modifier has no actor to climb to.
    assert not _claims(nlp, "The club plays again on Friday against defending champion Harbour City.")


def test_attitude_adjective_after_a_linking_verb(nlp) -> None:
    found = _claims(nlp, "The senator was critical of the harbour deal.")
    assert ("The senator", "critical of", "the harbour deal", "indirect") in found
    found = _claims(nlp, "Voters remain skeptical that the bridge will open on time.")
    assert ("Voters", "skeptical", "that the bridge will open on time", "indirect") in found
    # No view of anything, and no one holding one.
    assert not _claims(nlp, "He is sure of himself.")
    assert not _claims(nlp, "The market is wary of new taxes.")


def test_possessed_intention_noun_and_its_infinitive(nlp) -> None:
    found = _claims(nlp, "The mayor's promise to rebuild the pier won her votes.")
    assert ("The mayor", "promise", "to rebuild the pier", "indirect") in found


def test_closing_relative_gloss_is_the_writers(nlp) -> None:
    found = _claims(nlp, "She said the council would shut the harbour over fears of the storm, which is due Friday.")
    assert ("She", "said", "the council would shut the harbour over fears of the storm", "indirect") in found
    # Quoted words in the relative clause are still the speaker's.
    text = 'Ortiz wrote that the engineers failed to find the fault, which was "deeply frustrating," for her.'
    [(_, _, content, kind)] = _claims(nlp, text)
    assert content.endswith('"deeply frustrating," for her') and kind == "mixed"


def test_to_of_a_phrasal_verb_belongs_to_the_cue(nlp) -> None:
    found = _claims(nlp, "The analysts pointed to a slowdown in the eastern ports.")
    assert ("The analysts", "pointed to", "a slowdown in the eastern ports", "indirect") in found


def test_phrase_after_an_object_goes_with_it(nlp) -> None:
    found = _claims(nlp, "The senator has backed the ferry subsidy in the assembly.")
    assert ("The senator", "backed", "the ferry subsidy in the assembly", "indirect") in found
    # An occasion of speech or a time frames the cue instead.
    found = _claims(nlp, "The senator praised the plan in a statement on Monday.")
    assert ("The senator", "praised", "the plan", "indirect") in found


def test_adverb_of_report_credits_no_one(nlp) -> None:
    claims = claims_from_doc(nlp("The port is reportedly building a new ferry terminal."))
    [claim] = claims
    assert claim.speaker is None and claim.cue is not None and claim.cue.text == "reportedly"
    assert [p.text for p in claim.content.parts] == ["The port is", "building a new ferry terminal"]
    # A reporting verb of its own keeps its claim.
    found = _claims(nlp, "The mayor has reportedly told aides that the vote went well.")
    assert [cue for _, cue, _, _ in found] == ["told"]


def test_clause_before_a_colon_or_a_complemented_cue_is_not_its_content(nlp) -> None:
    # The parse hangs the clause before the colon on the cue; the cue's own object is what it reports.
    found = _claims(nlp, "The levy is a charge with a narrow meaning: it refers to the fee paid by ferry operators.")
    assert [(cue, content) for _, cue, content, _ in found] == [("refers to", "the fee paid by ferry operators")]
    # An act with its object after a colon is no report at all.
    assert _claims(nlp, "The storm season has begun: the port authority declared an emergency on Monday.") == []
    # A clause fronted before a plain credit, or one naming the hearer, stays the content.
    for text, cue in (
        ("The ferry plan is dead, she said.", "said"),
        ("The ferry plan is dead, the mayor told the council.", "told"),
    ):
        assert [(c, content) for _, c, content, _ in _claims(nlp, text)] == [(cue, "The ferry plan is dead")]


def test_occasion_after_an_object_frames_the_cue(nlp) -> None:
    found = _claims(nlp, "The mayor denounced the merger in a long diatribe.")
    assert ("The mayor", "denounced", "the merger", "indirect") in found


def test_participle_phrase_before_the_credit_is_not_what_was_said(nlp) -> None:
    assert _claims(nlp, "Asked about the ferry vote, the mayor said yes.") == []


def test_second_object_the_parse_hung_elsewhere_joins_the_first(nlp) -> None:
    found = _claims(nlp, "The mayor has mentioned refinancing ferry loans and forcing the port to spend more.")
    assert ("The mayor", "mentioned", "refinancing ferry loans and forcing the port to spend more", "indirect") in found
    found = _claims(nlp, "She began by stressing fair pay, and a need to lift the dock wage.")
    assert ("She", "stressing", "fair pay, and a need to lift the dock wage", "indirect") in found
    # A contrast still ends the content.
    found = _claims(nlp, "She began by stressing fair pay, but a need to lift the dock wage.")
    assert ("She", "stressing", "fair pay", "indirect") in found


def test_make_clear_and_make_the_case_frame_a_report(nlp) -> None:
    found = _claims(nlp, "The mayor made it clear that the ferry would run.")
    assert ("The mayor", "made it clear", "that the ferry would run", "indirect") in found
    assert ("The mayor", "made clear", "that the ferry would run", "indirect") in _claims(
        nlp, "The mayor made clear that the ferry would run."
    )


def test_cast_and_paint_as_depict(nlp) -> None:
    found = _claims(nlp, "The mayor cast her rival as a friend of the developers.")
    assert ("The mayor", "cast", "her rival as a friend of the developers", "indirect") in found
    # A part in a film, a ballot, a coat of paint: no view.
    for text in (
        "The studio cast the actor as the Human Torch in the reboot.",
        "Delegates cast their votes for other candidates as questions grew.",
        "The crew painted the hull in blue.",
    ):
        assert _claims(nlp, text) == []
