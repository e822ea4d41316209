"""Colon introductions without a speech verb: "The minister put it in three words: “We are ready.”".

A clause whose subject is a source (a person, a group, a body) ending in a colon that opens a
quotation credits the quotation to that subject, whatever the verb ("put it", "had a message for",
"posted this"); a bare noun phrase with an owner does the same ("His answer: “No.”"). The cue is
the clause's verb (the noun of a verbless phrase). A subject that is no source ("The rules are
simple: “…”", "The sign read: “…”") credits nobody.
"""

from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from newsclaims.components.confidence import confidence
from newsclaims.components.positions import QuoteIndex, RangeIndex
from newsclaims.components.relations import Relation, speaker_phrase
from newsclaims.components.senses import SenseWords

# Entity labels that name a source outright (a place is one only as a proper noun: "Lakeland said:").
NAMED_SOURCE_ENTS = {"PERSON", "ORG", "NORP"}
# Third-person pronouns: a first person outside any quotation is the writer (see AUTHOR_CAP).
SOURCE_PRONOUNS = {"he", "she", "they"}
OWNER_PRONOUNS = {"his", "her", "their"}


def is_source(token: Token, sources: SenseWords) -> bool:
    """True when ``token`` can name a source: a third-person pronoun, a name, or a source noun."""
    if token.pos_ == "PRON":
        return token.lower_ in SOURCE_PRONOUNS or token.lower_ in OWNER_PRONOUNS
    if token.ent_type_ in NAMED_SOURCE_ENTS or (token.pos_ == "PROPN" and token.ent_type_ in ("", "GPE")):
        return True
    return token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in sources.sources


def _colon_before(doc: Doc, i: int) -> int | None:
    """The colon right before token ``i`` (spaces between allowed, no blank line), else None."""
    j = i - 1
    while j >= 0 and doc[j].is_space and "\n\n" not in doc[j].text:
        j -= 1
    return j if j >= 0 and doc[j].text == ":" else None


def _frame(doc: Doc, colon: int) -> tuple[Token, Token] | None:
    """(cue, speaker head) of the clause ending at ``colon``, else None."""
    head = doc[colon].head if doc[colon].head.i < colon else doc[colon - 1] if colon > 0 else None
    if head is None or head.i >= colon:
        return None
    while head.dep_ != "ROOT" and head.head.i < colon and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    if head.pos_ in ("VERB", "AUX"):
        if any(c.dep_ == "neg" for c in head.children):
            return None  # "She did not put it that way: ..." reports no words of hers
        subj = next((c for c in head.children if c.dep_ == "nsubj" and c.i < head.i), None)
        return (head, subj) if subj is not None else None
    if head.pos_ == "NOUN" and head.dep_ == "ROOT":
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        return (head, owner) if owner is not None else None
    return None


def _owner(doc: Doc, subj: Token, verb: Token) -> tuple[int, int]:
    """The speaker phrase of ``subj``, without the verb and without a possessive marker ("the minister's")."""
    speaker = speaker_phrase(subj, outside=verb.i)
    if speaker[0] <= verb.i < speaker[1]:
        speaker = (subj.i, subj.i + 1)
    if speaker[1] - speaker[0] > 1 and doc[speaker[1] - 1].dep_ == "case":
        speaker = (speaker[0], speaker[1] - 1)
    return speaker


def colon_introductions(
    doc: Doc, quotes: QuoteIndex, relations: list[Relation], sources: SenseWords
) -> list[Relation]:
    """Claims for quotations after a colon whose clause names a source but has no cue (see the module docstring)."""
    # Indexed by position: testing every claim for every quotation was quadratic on long inputs.
    taken = RangeIndex([r.content for r in relations])
    by_content: dict[tuple[int, int], list[Relation]] = {}
    for r in relations:
        by_content.setdefault(r.content, []).append(r)
    cues = sorted({i for r in relations for i in range(r.cue.start, r.cue.end)})
    found = []
    for q in quotes:
        if q.label_ != "quote":
            continue
        colon = _colon_before(doc, q.start)
        frame = _frame(doc, colon) if colon else None
        if frame is None:
            continue
        verb, subj = frame
        if taken.overlaps(q.start, q.end):
            # "His answer: “No.”": the noun cue found the quotation but not whose answer it was.
            for r in by_content.get((q.start, q.end), []):
                unsourced = r.speaker is None and r.cue.start == verb.i
                if unsourced and is_source(subj, sources):
                    r.speaker, r.speaker_head = _owner(doc, subj, verb), subj.i
                    r.confidence = max(r.confidence, confidence("colon_intro", speaker=True))
            continue
        sent = doc[colon].sent
        if subj.i < sent.start or bisect_left(cues, sent.start) < bisect_left(cues, colon):
            continue  # a cue of this clause already made (or declined) the claim
        if not is_source(subj, sources):
            continue
        speaker = _owner(doc, subj, verb)
        cue = Span(doc, verb.i, verb.i + 1, label="assert")
        conf = confidence("colon_intro", speaker=True)
        found.append(
            Relation((q.start, q.end), "direct", cue, verb.lemma_.lower(), speaker, subj.i, conf, "colon_intro")
        )
    return found
