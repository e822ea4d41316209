"""Attribution constructions, one sentence each (written for these tests)."""

from __future__ import annotations

import pytest

from conftest import claim_rows as _claims
from newsclaims.assemble import claims_from_doc


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # speaker before the cue
        ("The mayor said the bridge would reopen in May.", "The mayor", "said", "the bridge would reopen in May"),
        # speaker after the cue, sentence-final
        ("The bridge will reopen in May, the mayor said.", "the mayor", "said", "The bridge will reopen in May"),
        # inverted "said X" after a quotation
        (
            '"The bridge will reopen in May," said Mayor Ana Ortiz.',
            "Mayor Ana Ortiz",
            "said",
            '"The bridge will reopen in May,"',
        ),
        # "X told Y that"
        (
            "Ortiz told the council that the bridge would reopen in May.",
            "Ortiz",
            "told",
            "that the bridge would reopen in May",
        ),
        # "X said in a statement / interview"
        (
            "The company said in a statement that profits had doubled.",
            "The company",
            "said in a statement",
            "that profits had doubled",
        ),
        (
            'The senator said in an interview, "We have the votes."',
            "The senator",
            "said in an interview",
            '"We have the votes."',
        ),
        # passive with an agent
        (
            "It was reported by the local paper that the factory would close.",
            "the local paper",
            "reported",
            "that the factory would close",
        ),
        # "according to X"
        (
            "The factory will close next year, according to the union.",
            "the union",
            "according to",
            "The factory will close next year",
        ),
        # nominal cues
        ("Her view is that the factory will close next year.", "Her", "view", "that the factory will close next year"),
        (
            "The union's claim that the factory will close was denied.",
            "The union",
            "claim",
            "that the factory will close",
        ),
        # a document as the speaker
        (
            "The statement said the factory would close next year.",
            "The statement",
            "said",
            "the factory would close next year",
        ),
        # an adverbial "saying" shares the main verb's subject
        ("Ortiz tweeted on Monday, saying the bridge was safe.", "Ortiz", "saying", "the bridge was safe"),
        # judgement verbs take their object as content
        ("The union called the plan a disaster.", "The union", "called", "the plan a disaster"),
        ("Ortiz criticized the council for the delay.", "Ortiz", "criticized", "the council for the delay"),
        ("The governor attacked the council over the delay.", "The governor", "attacked", "the council over the delay"),
        ("The mayor likened the tunnel to a sieve.", "The mayor", "likened", "the tunnel to a sieve"),
    ],
)
def test_construction(nlp, text: str, speaker: str, cue: str, content: str) -> None:
    assert any(s == speaker and c == cue and body == content for s, c, body, _ in _claims(nlp, text)), _claims(
        nlp, text
    )


def test_parenthetical_said_mid_sentence(nlp) -> None:
    text = "The bridge, the mayor said, will reopen in May after repairs."
    [(speaker, cue, content, _)] = _claims(nlp, text)
    assert (speaker, cue) == ("the mayor", "said")
    # The claim is discontinuous; its single span covers both halves around the aside.
    assert content.startswith("The bridge") and content.endswith("after repairs")


def test_colon_quote(nlp) -> None:
    assert _claims(nlp, 'Ortiz: "The bridge will reopen in May."') == [
        ("Ortiz", ":", '"The bridge will reopen in May."', "direct")
    ]


def test_transcript_turns(nlp) -> None:
    text = (
        "The interview went as follows.\n\n"
        '"HOST: Will the bridge reopen in May as the city promised?\n\n'
        '"ORTIZ: Yes, the crews are ahead of schedule and the money is there."'
    )
    found = {(s, c) for s, c, _, _ in _claims(nlp, text)}
    assert ("ORTIZ", ":") in found


def test_page_labels_are_not_speakers(nlp) -> None:
    assert _claims(nlp, "Correction: An earlier version of this story gave the wrong date for the vote.") == []


def test_colon_after_cue_takes_next_paragraph(nlp) -> None:
    text = "The mayor added:\n\nThe bridge will reopen in May and tolls will stay the same."
    assert _claims(nlp, text) == [
        ("The mayor", "added", "The bridge will reopen in May and tolls will stay the same", "indirect")
    ]


def test_dash_credit(nlp) -> None:
    assert _claims(nlp, '"The plan is a disaster for workers." ― Maria Lopez') == [
        ("Maria Lopez", "―", '"The plan is a disaster for workers."', "direct")
    ]


def test_dash_credit_glued_to_the_closing_mark(nlp) -> None:
    # "…”― Name": the bar typed right after the closing mark is still split off and credits the quotation.
    assert _claims(nlp, "“The plan is a disaster for every worker in town.”― Maria Lopez") == [
        ("Maria Lopez", "―", "“The plan is a disaster for every worker in town.”", "direct")
    ]


def test_second_quote_without_cue_joins_the_first(nlp) -> None:
    text = 'The mayor was blunt. "The bridge will reopen in May," she said. "Nobody should worry about it."'
    [(speaker, cue, content, kind)] = _claims(nlp, text)
    assert (speaker, cue, kind) == ("she", "said", "direct")
    assert content.startswith('"The bridge') and content.endswith('worry about it."')


def test_quote_spanning_paragraphs_keeps_the_outer_speaker(nlp) -> None:
    text = (
        '"The repairs are going well and the crews are ahead of schedule.\n\n'
        '"We expect the bridge to reopen in May," Ortiz said.'
    )
    [(speaker, cue, content, kind)] = _claims(nlp, text)
    # "expect" inside the quotation is the quoted speaker's own word, not a second claim.
    assert (speaker, cue, kind) == ("Ortiz", "said", "direct")
    assert content.startswith('"The repairs') and content.endswith('in May,"')


def test_cue_in_headline(nlp) -> None:
    text = "Mayor Says Bridge Will Reopen In May\n\nThe bridge has been closed since March."
    [(speaker, cue, content, _)] = _claims(nlp, text)
    assert (speaker, cue) == ("Mayor", "Says")
    assert content.startswith("Bridge Will Reopen")


def test_confidence_reflects_evidence(nlp) -> None:
    doc = nlp(
        'The mayor said, "The bridge will reopen in May." The union called the plan a disaster. It is expected to rain.'
    )
    by_cue = {c.cue.text: c.confidence for c in claims_from_doc(doc)}
    # A quotation with an explicit speaker beats an object read as content; no speaker, no claim.
    assert by_cue["said"] > by_cue["called"]
    assert "expected" not in by_cue


def test_nested_reported_speech_stays_in_the_outer_claim(nlp) -> None:
    found = _claims(nlp, "The aide said the governor hopes that the bill will pass.")
    assert [(s, c) for s, c, _, _ in found] == [("The aide", "said")]


def test_thought_inside_a_quotation_is_not_a_claim(nlp) -> None:
    found = _claims(nlp, 'The coach was calm. "I think we will win the cup this year," Ortiz said.')
    assert [(s, c) for s, c, _, _ in found] == [("Ortiz", "said")]


def test_follow_on_quote_after_a_long_credit(nlp) -> None:
    text = (
        '"The bridge is safe," said Ana Ortiz, the mayor of the city and a former engineer. '
        '"I want to assure everyone that we checked every cable."'
    )
    [(speaker, cue, content, _)] = _claims(nlp, text)
    assert speaker.startswith("Ana Ortiz") and cue == "said"
    assert content.endswith('every cable."')


def test_follow_on_quote_after_a_participle_report(nlp) -> None:
    # The participle ("recalling ...") reports on its own, yet hangs on the credit's verb: the
    # quotation after the sentence still continues the first one.
    text = (
        '"We came close to a deal," Ortiz said in Madrid, recalling a 2007 bill that failed in the Senate. '
        '"The mayor and I voted for it, and the council voted against it."'
    )
    found = {cue: content for _, cue, content, _ in _claims(nlp, text)}
    assert found["said"].startswith('"We came close') and found["said"].endswith('voted against it."')
    assert found["recalling"] == "a 2007 bill that failed in the Senate"


def test_content_opening_a_story_starts_after_its_dateline(nlp) -> None:
    found = _claims(nlp, "LISBON ― The new bridge will be late by a year, city officials said on Monday.")
    assert ("city officials", "said", "The new bridge will be late by a year", "indirect") in found


def test_a_cue_inside_the_quoted_words_does_not_cut_the_content(nlp) -> None:
    text = "Hicks said she expects the council “to keep fixing the roads and defending the budget as we see fit.”"
    [(speaker, cue, content, _)] = _claims(nlp, text)
    assert (speaker, cue) == ("Hicks", "said")
    assert content.endswith("as we see fit.”")


def test_a_phrasal_preposition_belongs_to_the_cue(nlp) -> None:
    found = _claims(nlp, "The union called for a recount of the vote.")
    assert ("The union", "called for", "a recount of the vote", "indirect") in found
    # Before an object, the preposition is a hearer or a time, and the content keeps it.
    [(_, _, content, _)] = _claims(nlp, "Ortiz described for the jury the details of the fight.")
    assert content == "for the jury the details of the fight"


def test_a_finding_credited_to_the_poll_it_is_in(nlp) -> None:
    found = _claims(nlp, "In a Harbour Times poll released Monday, the mayor led her rival by 12 points.")
    assert ("a Harbour Times poll released Monday", "In", "the mayor led her rival by 12 points", "indirect") in found
    # A statement's "in" is the writer's account of an act, and a cue's own phrase is that cue's.
    assert _claims(nlp, "In a statement released Monday, the council closed the old bridge for good.") == []


def test_speaker_keeps_credentials(nlp) -> None:
    [(speaker, _, _, _)] = _claims(
        nlp, "Jo Smith, a fellow at the institute who ran the agency, said the plan would fail."
    )
    assert speaker == "Jo Smith, a fellow at the institute who ran the agency"


def test_clause_after_fronted_which(nlp) -> None:
    found = _claims(nlp, "He returned the donations, which he said were tied to favours from lobbyists.")
    assert ("he", "said", "were tied to favours from lobbyists", "indirect") in found


def test_clause_after_fronted_that(nlp) -> None:
    # The tagger reads this "that" as a conjunction, yet it is the relative clause's subject.
    found = _claims(nlp, "He ran a charity in Khartoum that prosecutors said was suspected of funding terrorism.")
    assert ("prosecutors", "said", "was suspected of funding terrorism", "indirect") in found


def test_gloss_after_a_dash_is_the_writers(nlp) -> None:
    found = _claims(nlp, "The mayor said she was pleased with the plan — a small win for the council.")
    assert ("The mayor", "said", "she was pleased with the plan", "indirect") in found


def test_participle_clause_after_a_comma_is_no_content() -> None:
    # The parse the rule is for, built by hand: "…, leading police to question it" hung on the cue as
    # a clausal complement is the result of the claim of responsibility, not what was claimed.
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from newsclaims.components.attribution import _participle_result

    vocab = English().vocab  # its lexeme attributes say which words are punctuation

    words = ["No", "group", "claimed", "responsibility", ",", "leading", "police", "to", "question", "it", "."]
    heads = [1, 2, 2, 2, 8, 6, 8, 8, 2, 8, 2]
    deps = ["det", "nsubj", "ROOT", "dobj", "punct", "amod", "nsubj", "aux", "ccomp", "dobj", "punct"]
    tags = ["DT", "NN", "VBD", "NN", ",", "VBG", "NNS", "TO", "VB", "PRP", "."]
    doc = Doc(vocab, words=words, heads=heads, deps=deps, tags=tags)
    assert _participle_result(doc[8])
    said = Doc(vocab, words=["He", "said", "police", "left", "."], heads=[1, 1, 3, 1, 1],
               deps=["nsubj", "ROOT", "nsubj", "ccomp", "punct"], tags=["PRP", "VBD", "NNS", "VBD", "."])
    assert not _participle_result(said[3])


def test_dash_gloss_needs_a_spaced_dash() -> None:
    # Built by hand: an apposition after a dash ends the content, but not after a hyphen inside a word.
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from newsclaims.components.attribution import _dash_gloss_cut

    words = ["She", "said", "he", "met", "the", "Smith", "-", "Jones", "family", "."]
    heads = [1, 1, 3, 1, 5, 3, 5, 8, 5, 1]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "det", "dobj", "punct", "compound", "appos", "punct"]
    vocab = English().vocab
    spaced = Doc(vocab, words=words, heads=heads, deps=deps, spaces=[True] * 8 + [False, False])
    glued = Doc(vocab, words=words, heads=heads, deps=deps, spaces=[True] * 5 + [False, False, True, False, False])
    assert _dash_gloss_cut(spaced, 2, 9) == 6
    assert _dash_gloss_cut(glued, 2, 9) == 9
