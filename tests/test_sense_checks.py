"""Sense checks and page furniture: what must never be a claim or a speaker (sentences written for these tests)."""

from __future__ import annotations

from conftest import claim_rows
from newsclaims.assemble import claims_from_doc


def test_discourse_marker_is_not_a_cue(nlp) -> None:
    assert claims_from_doc(nlp("That said, the new bridge may still open in the spring.")) == []


def test_it_goes_without_saying_is_no_report(nlp) -> None:
    text = "It goes without saying that the new bridge will cost more than the old one."
    assert claims_from_doc(nlp(text)) == []


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


def _cues(nlp, text: str) -> list[str]:
    return [c.cue.text for c in claims_from_doc(nlp(text)) if c.cue is not None]


def test_section_label_in_title_case_is_not_a_speaker(nlp) -> None:
    text = (
        "The shop has a sale this week.\n"
        "New Release: Harbour Switch Lite Ocean Edition with Bonus Case (Only at Walmart) for $199\n"
        "It ships in May."
    )
    assert ":" not in _cues(nlp, text)


def test_generic_reader_is_not_a_speaker(nlp) -> None:
    assert claims_from_doc(nlp("If you want a quiet weekend, the island is the place to go.")) == []
    assert claims_from_doc(nlp("The ferry suits those of you who plan to stay on the island.")) == []
    assert claims_from_doc(nlp("If you're hoping the fares will drop in May... you will wait a long time.")) == []
    # Inside a quotation "you" is the quoted speaker's, and the quotation is still claimed.
    (claim,) = claims_from_doc(nlp('"If you want a quiet weekend, go to the island," the mayor said.'))
    assert claim.speaker is not None and claim.speaker.text == "the mayor"


def test_display_senses_make_no_claim(nlp) -> None:
    assert claims_from_doc(nlp("The new ferries highlight the harbour festival.")) == []
    assert claims_from_doc(nlp("New ferries and electric buses highlight Harbour Week\nThe story begins.")) == []
    assert claims_from_doc(nlp("The bridge's design shows its strength in the wind.")) == []
    # A source that can be read or heard still reports with a noun object.
    assert _cues(nlp, "The survey shows a sharp rise in rents.") == ["shows"]
    assert _cues(nlp, "The mayor highlighted the risks of the plan.") == ["highlighted"]


def test_find_out_makes_no_claim(nlp) -> None:
    assert claims_from_doc(nlp("The clerk went to find out how old the ledger was.")) == []
    assert _cues(nlp, "The inspectors found that the wall was too low.") == ["found"]


def test_naming_status_giving_and_authorship_make_no_claim(nlp) -> None:
    assert claims_from_doc(nlp("They built a ferry they call the Gull.")) == []
    assert claims_from_doc(nlp("The council declared a state of emergency on Monday.")) == []
    assert claims_from_doc(nlp("The court granted the family asylum.")) == []
    assert claims_from_doc(nlp("She wrote a book about the harbour.")) == []
    assert _cues(nlp, "The mayor declared that the wall was safe.") == ["declared"]


def test_physical_senses_make_no_claim(nlp) -> None:
    assert claims_from_doc(nlp("The guard aimed a rifle at the boat.")) == []
    assert claims_from_doc(nlp("The man threatened the clerk with a knife.")) == []
    assert _cues(nlp, "The union threatened to strike in May.") == ["threatened"]
    assert _cues(nlp, "The council aims to rebuild the wall.") == ["aims"]


def test_more_discourse_markers_and_sourceless_thoughts(nlp) -> None:
    assert claims_from_doc(nlp("Granted, the wall is old.")) == []
    assert claims_from_doc(nlp("Needless to say, the wall did not hold.")) == []
    assert claims_from_doc(nlp("The sea level is essential to understanding why the wall failed.")) == []
    assert claims_from_doc(nlp("Walking along the harbour makes me want to buy a boat.")) == []


def test_object_of_a_prompting_verb_is_the_speaker(nlp) -> None:
    (claim,) = claims_from_doc(nlp("The storm prompted some residents to argue that the wall was too low."))
    assert claim.speaker is not None and claim.speaker.text == "some residents"
    (claim,) = claims_from_doc(nlp("The cuts led the ferry company to announce it would close the route."))
    assert claim.speaker is not None and claim.speaker.text == "the ferry company"


def test_reader_prompts_and_shortcodes_are_furniture(nlp) -> None:
    text = (
        "The mayor opened the bridge on Monday.\n\n"
        "[button link='/send' type='big'] Send us what you said at the opening[/button]\n\n"
        "Tell us what YOU think...\n\n"
        "You may also like what the council said about tolls"
    )
    assert claims_from_doc(nlp(text)) == []


def test_quotation_inside_the_clause_before_a_cue_is_not_that_cues(nlp) -> None:
    text = 'The mayor later said the plan was "a disaster for the town," adding "we will fight it in court."'
    added = [c for c in claims_from_doc(nlp(text)) if c.cue is not None and c.cue.text == "adding"]
    assert [c.content.text for c in added] == ['"we will fight it in court."']


def test_fronted_phrase_is_not_the_content_of_a_cue_followed_by_that(nlp) -> None:
    # The abbreviation ends the parsed sentence after "that while the ID."; the phrase before the
    # speaker is not what was said.
    text = "Whatever the name, the council says that while the ID. HARBOUR BRIDGE may only be a plan today, it is real."
    assert [c.content.text for c in claims_from_doc(nlp(text)) if c.content.text.startswith("Whatever")] == []


def test_negated_cue_with_an_open_question_makes_no_claim(nlp) -> None:
    assert claims_from_doc(nlp("The ferry company did not say when the new route will open.")) == []
    assert _cues(nlp, "The ferry company did not say that the route would close.") == ["say"]


def test_clause_content_runs_on_through_the_quotation_it_opens(nlp) -> None:
    (claim,) = claims_from_doc(nlp('The captain said that the crew "cannot sail in this weather. We tried it once."'))
    assert claim.content.text == 'that the crew "cannot sail in this weather. We tried it once."'


def test_bracketed_party_label_stays_whole_in_the_speaker(nlp) -> None:
    (claim,) = claims_from_doc(nlp("Governor Jo Smith (R) said that the bridge would close."))
    assert claim.speaker is not None and claim.speaker.text == "Governor Jo Smith (R)"


def test_name_and_colon_list_entry_is_not_a_turn_of_speech(nlp) -> None:
    text = (
        "Police arrested Jo Ortiz and Sam Lund on Monday, a spokesman for the harbour police said.\n"
        "Jo Ortiz: Possession of a stolen boat, held on $5,000 bail pending a hearing.\n"
        "Sam Lund: Theft of a marine engine, held on $2,000 bail pending a hearing."
    )
    assert ":" not in _cues(nlp, text)


def test_see_more_and_summary_labels_are_furniture(nlp) -> None:
    text = (
        "The mayor opened the bridge on Monday.\n"
        "SEE MORE: Harbour protests: the union says tolls are too high\n"
        "Summary: The council voted to cut the tolls by half in May."
    )
    assert [c for c in claims_from_doc(nlp(text)) if c.content.start > 40] == []


def test_complement_content_runs_on_through_the_quotation_it_opens(nlp) -> None:
    text = "The mayor is defending the launch of a campaign with the slogan “Cross it, we’re on it.”"
    (claim,) = claims_from_doc(nlp(text))
    assert claim.content.text.endswith("we’re on it.”")


def test_show_with_a_noun_object_needs_a_record_for_its_subject(nlp) -> None:
    text = "With its new lamp, the Harbour Studio creates an illusion and shows the subjective way our eyes read light."
    assert claims_from_doc(nlp(text)) == []
    assert claims_from_doc(nlp("The mayor showed no respect for the council.")) == []
    assert _cues(nlp, "Video of the crossing shows him with his hands in the air.") == ["shows"]


def test_a_name_with_the_is_no_person(nlp) -> None:
    (claim,) = claims_from_doc(nlp("The Harbour Evening Leader reported that the port lost $3 million."))
    assert claim.speaker is not None and claim.speaker.kind == "organization"


def test_noun_a_reporting_participle_hangs_on_is_the_speaker(nlp) -> None:
    text = "One video featured a series of fishermen — including both men and women — declaring, “We will not sell.”"
    (claim,) = claims_from_doc(nlp(text))
    assert claim.speaker is not None and claim.speaker.text == "a series of fishermen"
    text = "The harbour’s parent company, Sea Holdings, announced on Sept. 30 that it was withdrawing its filing."
    (claim,) = claims_from_doc(nlp(text))
    assert claim.speaker is not None and claim.speaker.text.endswith("Sea Holdings")
    assert claims_from_doc(nlp("The plan announced on Monday will cut the fares.")) == []


def test_it_is_alleged_takes_the_clause_after_it(nlp) -> None:
    text = "His memory of the dinner was clear – on the same day it is alleged he met the dealer in the harbour."
    (claim,) = claims_from_doc(nlp(text))
    assert claim.content.text == "he met the dealer in the harbour"


def test_sense_word_lists_come_from_the_rules(nlp, tmp_path) -> None:
    # The lists are rule data: a folder that adds a display verb and an evidence noun changes the checks.
    from newsclaims.pipeline import get_nlp

    text = "The boats feature the harbour. The drawing features the crowd."
    assert [c.speaker.text for c in claims_from_doc(nlp(text)) if c.speaker] == []
    (tmp_path / "cues.yaml").write_text(
        "cues:\n  - lemmas: [feature]\n    category: report\n    takes_object: true\n"
        "senses:\n  display: [feature]\n  exhibit: [feature]\n",
        encoding="utf-8",
    )
    (tmp_path / "speakers.yaml").write_text("evidence_nouns: [drawing]\n", encoding="utf-8")
    speakers = [c.speaker.text for c in claims_from_doc(get_nlp(rules_dir=tmp_path)(text)) if c.speaker]
    assert speakers == ["The drawing"]


def test_a_thing_that_emphasizes_displays(nlp) -> None:
    # "emphasize" displays as readily as it reports: a person or a record speaks, a product does not.
    assert claims_from_doc(nlp("The new sets emphasize playability over display.")) == []
    (claim,) = claims_from_doc(nlp("The minister emphasized the need for calm."))
    assert claim.speaker is not None and claim.speaker.text == "The minister"


def test_rules_added_after_first_use_reach_the_sense_checks() -> None:
    # The sense words are derived once per rule set: adding rules later must not leave them stale.
    from newsclaims.pipeline import build_nlp

    nlp = build_nlp()
    text = "The boats feature the harbour."
    feature = {"lemmas": ["feature"], "category": "report", "takes_object": True}
    nlp.get_pipe("newsclaims_cues").add_rules({"cues": [feature]})
    assert [c.speaker.text for c in claims_from_doc(nlp(text)) if c.speaker] == ["The boats"]
    nlp.get_pipe("newsclaims_cues").add_rules({"cues": [], "senses": {"display": ["feature"]}})
    assert claims_from_doc(nlp(text)) == []


def test_reminds_me_of_is_a_likeness(nlp) -> None:
    assert claims_from_doc(nlp("The new song reminds us of the summers we spent by the lake.")) == []
    reminder = claims_from_doc(nlp("The clerk reminded voters of the deadline for postal ballots."))
    assert [c.cue.lemma for c in reminder if c.cue] == ["remind"]


def test_find_as_a_search_or_a_guess(nlp) -> None:
    assert claims_from_doc(nlp("The club could not find anyone to coach the youth team this year.")) == []
    assert claims_from_doc(nlp("Historians will find the letters a rich source of detail.")) == []
    view = claims_from_doc(nlp("The inspectors found that the bridge was safe."))
    assert [c.cue.lemma for c in view if c.cue] == ["find"]


def test_refer_with_an_object_passes_it_on(nlp) -> None:
    assert claims_from_doc(nlp("The clinic referred the patient to a specialist in the city.")) == []


def test_naming_verbs_come_from_the_rules(nlp, tmp_path) -> None:
    from newsclaims.pipeline import get_nlp

    text = "He toured the old prison, dubbed the Harbour Hilton by sailors held there during the war."
    assert [c.cue.lemma for c in claims_from_doc(nlp(text)) if c.cue] == ["dub"]
    (tmp_path / "cues.yaml").write_text("cues: []\nsenses:\n  naming: [dub]\n", encoding="utf-8")
    assert claims_from_doc(get_nlp(rules_dir=tmp_path)(text)) == []


def test_adverbial_clause_before_a_verb_is_not_its_content(nlp) -> None:
    # A concession before the subject, or a cue inside a "when" clause, is no trailing credit.
    for text in (
        "Though most of the marchers stayed calm, a small group of fans responded with anger.",
        "The clip was cut to show the mayor dodging a question on the budget, when, in fact, she answered it.",
    ):
        assert [c for c in claims_from_doc(nlp(text)) if c.cue is not None and c.cue.lemma == "respond"] == []
        assert all(not c.content.text.startswith(("Though", "The clip")) for c in claims_from_doc(nlp(text)))


def test_time_phrase_is_not_an_object_content(nlp) -> None:
    # "over the coming six weeks" says when, not what: no claim, and no date at the end of an object content.
    assert claims_from_doc(nlp("Her pension continued to fall over the coming six weeks.")) == []
    claims = claims_from_doc(nlp("The senator endorsed the governor's tax plan on Thursday."))
    assert [c.content.text for c in claims] == ["the governor's tax plan"]


def test_see_holds_a_view_only_as_see_x_as_y(nlp) -> None:
    from newsclaims.assemble import claims_from_doc

    [claim] = claims_from_doc(nlp("Many Democrats regard the deal as a mistake."))
    assert claim.speaker is not None and claim.speaker.text == "Many Democrats"
    assert (claim.cue.text, claim.content.text) == ("regard", "the deal as a mistake")
    assert not claims_from_doc(nlp("She saw the film twice."))


def test_offer_reports_only_words_or_a_promise(nlp) -> None:
    found = claim_rows(nlp, "The senator offered few specifics about the ferry plan.")
    assert [(cue, content) for _, cue, content, _ in found] == [("offered", "few specifics about the ferry plan")]
    assert [c for _, c, _, _ in claim_rows(nlp, "The mayor offered to cover the cost of the repairs.")] == ["offered"]
    for text in ("The shop offered a discount to students.", "The firm offered him a job at the port."):
        assert claim_rows(nlp, text) == []
    # Nothing offered, or a promise no one who speaks could make.
    for text in (
        "The skipper did not offer an answer when asked about the fine.",
        "The new platforms offered to offer the best of both worlds.",
    ):
        assert claim_rows(nlp, text) == []


def test_seek_with_an_object_is_no_stated_aim(nlp) -> None:
    assert claim_rows(nlp, "The mayor is seeking the party's nomination for governor.") == []
    found = claim_rows(nlp, "The mayor sought to calm the ferry crews after the strike.")
    assert [(cue, content) for _, cue, content, _ in found] == [("sought", "to calm the ferry crews after the strike")]
