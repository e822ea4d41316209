"""The Doc side tables and array look-ups that replace per-token reads give what spaCy's own attributes give."""

from __future__ import annotations

import gc

from spacy.attrs import IDS
from spacy.matcher import Matcher

from newsclaims.batch.worker import in_chunk_order
from newsclaims.components.cues import CueMatcher, first_token_alternatives, pattern_anchor
from newsclaims.doctext import (
    _TEXTS,
    doc_text,
    line_breaks,
    positions_among,
    positions_of,
    sentence_bounds,
    span_chars,
    token_offsets,
)

TEXT = "HOST: Thé mayor said “naïve” plans fail.\r\n\nShe said: 3.5 percent 😀 of us.\n  End.  "


def test_text_offsets_and_breaks_match_spacy(nlp) -> None:
    doc = nlp.make_doc(TEXT)
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)  # joined once
    starts, ends = token_offsets(doc)
    assert starts == [t.idx for t in doc]
    assert ends == [t.idx + len(t) for t in doc]
    for a in range(-2, len(doc) + 2):
        for b in range(-2, len(doc) + 2):
            span = doc[a:b]
            assert span_chars(doc, a, b) == (span.start_char, span.end_char), (a, b)
    assert line_breaks(doc) == [t.i for t in doc if t.is_space and "\n" in t.text]
    assert positions_of(doc, ":") == {t.i for t in doc if t.text == ":"}
    words = frozenset({":", "of", "absent"})
    assert positions_among(doc, words) == [t.i for t in doc if t.text in words]
    assert positions_among(doc, words) is positions_among(doc, words)  # found once


def test_sentence_bounds_match_token_sent(nlp) -> None:
    doc = nlp("The mayor spoke. She said the plan fails!\n\nIt was late, he said. Fine.")
    assert [sentence_bounds(doc, t.i) for t in doc] == [(t.sent.start, t.sent.end) for t in doc]
    unparsed = nlp.make_doc("No parse here. None at all.")
    unparsed[4].is_sent_start = True
    assert sentence_bounds(unparsed, 5) == (unparsed[5].sent.start, unparsed[5].sent.end)


def test_side_table_entries_go_with_their_doc(nlp) -> None:
    doc = nlp.make_doc("A short text.")
    doc_text(doc)
    before = len(_TEXTS)
    del doc
    gc.collect()
    assert len(_TEXTS) == before - 1


def test_first_token_alternatives_match_as_the_in_set(nlp) -> None:
    pattern = [{"LOWER": {"IN": ["told", "said", "said"]}}, {"LOWER": {"IN": ["reporters", "the"]}}]
    assert len(first_token_alternatives(pattern)) == 2
    assert first_token_alternatives([{"LOWER": {"IN": ["a"]}, "OP": "?"}]) == [[{"LOWER": {"IN": ["a"]}, "OP": "?"}]]
    one, split = Matcher(nlp.vocab), Matcher(nlp.vocab)
    one.add("k", [pattern])
    split.add("k", first_token_alternatives(pattern))
    doc = nlp.make_doc("She told reporters she said the plan said reporters told the truth.")
    assert split(doc) == one(doc) != []


def test_cue_patterns_matched_at_their_first_words_as_over_the_whole_doc(nlp) -> None:
    assert pattern_anchor([{"LEMMA": "say", "POS": "VERB"}, {"LOWER": "in"}]) == ("LEMMA", "say")
    assert pattern_anchor([{"text": "In"}, {"LOWER": "the"}]) == ("ORTH", "In")
    assert pattern_anchor([{"POS": "VERB"}, {"LOWER": "in"}]) is None  # no exact value to look up
    assert pattern_anchor([{"LOWER": "in"}, {"LOWER": "the", "OP": "?"}]) is None  # variable length
    cues = nlp.get_pipe("newsclaims_cues")
    assert cues._anchored  # the built-in patterns are all anchored
    text = (
        "In the view of the board, she said in a statement that in the opinion of many the claim was "
        "weak. He told reporters in the words of his lawyer, and wrote in a letter in the view of "
        "experts that in the estimation of the court in the view of the public it said in an interview."
    )
    doc = nlp(text)
    found = cues._pattern_matches(doc)
    assert found == cues.matcher(doc)
    assert len(found) >= 6
    # Patterns of two and three tokens on one first word, the shorter one at the Doc's very end;
    # and a second word that rules a pattern out ("make sure" is no "make clear").
    for tail in ("They will make it clear and then make clear", "They make sure. They make the case"):
        end = nlp(tail)
        assert cues._pattern_matches(end) == cues.matcher(end) != []
    assert cues._anchored[(IDS["LEMMA"], nlp.vocab.strings["make"])].gate is not None
    # A pattern of variable length: the Matcher runs over the whole Doc.
    loose = CueMatcher(nlp, "loose")
    pattern = [{"LOWER": "in"}, {"IS_ALPHA": True, "OP": "+"}, {"LOWER": "of"}]
    loose.add_rules({"cues": [{"pattern": pattern, "category": "belief", "role": "according_to"}]})
    assert loose._anchored is None
    assert loose._pattern_matches(doc) == loose.matcher(doc) != []


class _Done:
    def __init__(self, value: list, cancelled: bool = False) -> None:
        self.value = value
        self._cancelled = cancelled

    def result(self) -> list:
        return self.value

    def cancelled(self) -> bool:
        return self._cancelled


def test_chunks_come_back_in_order_with_a_bounded_window() -> None:
    submitted: list[int] = []

    def submit(chunk: list) -> _Done:
        submitted.append(chunk[0])
        return _Done(chunk)

    out = []
    for outcome in in_chunk_order(([n] for n in range(50)), submit, workers=2):  # type: ignore[misc]
        # Never more than the window ahead of what has been handed back.
        assert len(submitted) - len(out) <= 16
        out.append(outcome[0])
    assert out == list(range(50)) == submitted


def test_a_chunk_cancelled_by_a_first_ctrl_c_is_skipped_in_its_turn() -> None:
    out = in_chunk_order(([n] for n in range(4)), lambda c: _Done(c, cancelled=c[0] == 2), workers=1)  # type: ignore[misc]
    assert [o[0] for o in out] == [0, 1, 3]


def test_words_in_prose_are_those_not_right_before_a_colon(nlp) -> None:
    from newsclaims.components.credits import _in_prose

    for text in ["ORTIZ: We will win.\nHOST: And Ortiz said so:", "Summary: none", ":", "", "said Ortiz"]:
        doc = nlp(text)
        assert _in_prose(doc) == {t.text for t in doc if not (t.i + 1 < len(doc) and doc[t.i + 1].text == ":")}


def test_docs_made_for_the_pipeline_keep_their_exact_text(nlp) -> None:
    from newsclaims.pipeline import make_docs

    texts = ["Tabs\tand  double spaces,\r\nCRLF lines\u00a0and no-break spaces.  ", "", "Ünïcödé — “quotes” 5bn."]
    for text, doc in zip(texts, make_docs(nlp, texts), strict=True):
        assert doc_text(doc) == text == doc.text
