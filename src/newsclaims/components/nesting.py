"""Nested attributions: a report credited, in turn, to a document ("X, he said, according to the complaint").

The according-to claim's content is the whole inner report, its speaker and cue included, as PolNeAR
annotates it ("According to the post, al Ashry said he ...": one content running over "al Ashry
said"). The inner report is a claim too, the speaker's own; ``_resolve_overlaps`` would drop it as
reported speech inside the outer content, so it is set aside before and restored after.
"""

from bisect import bisect_left

from spacy.tokens import Doc

from newsclaims.components.cues import THOUGHT_CATEGORIES
from newsclaims.components.relations import Relation, trim

# Outer constructions that credit a whole report to a further source.
OUTER_RULES = {"according_to"}
# Inner constructions: a cue verb with its own speaker (not another according-to, not a layout credit).
INNER_RULES = {
    "ccomp",
    "ccomp_quote",
    "quote",
    "quote_pair",
    "parataxis",
    "trailing",
    "trailing_credit",
    "colon",
}
# An aim, a thought or a guess inside an according-to ("X plans to visit, according to an aide") is
# what the outer source reports, not a report of its own.


def _inside(span: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


def _cut_before(doc: Doc, inner: Relation, stop: int) -> bool:
    """End ``inner``'s content (and its parts) before token ``stop``; False when too little is left."""
    start, _ = inner.content
    if stop <= start:
        return False
    new = trim(doc, start, stop)
    if new[1] - new[0] < 2:
        return False
    parts = [trim(doc, a, min(b, new[1])) for a, b in inner.pieces() if a < new[1]]
    parts = [p for p in parts if p[1] > p[0]] or [new]
    # A frame between parts ("X, the lawsuit says,") is not the speaker's words: the content ends with its last part.
    inner.content = (parts[0][0], parts[-1][1])
    inner.parts = parts if len(parts) > 1 else []
    return inner.content[1] - inner.content[0] >= 2


def nested_reports(
    doc: Doc, relations: list[Relation], records: frozenset[str]
) -> list[tuple[Relation, Relation]]:
    """(outer, inner) pairs: an inner report whose speaker and cue lie inside an according-to claim's content.

    Only a written source nests a report ("according to the complaint", "court papers"; ``records``:
    the document nouns): a complaint records what someone said, while "according to police, the
    officers ordered him out" or "according to an aide, Clinton plans to visit" is one source's
    account of events, the narration inside it no report of its own (PolNeAR marks only the outer).

    An inner content that ran on over the according-to phrase ("X, the lawsuit says, according to
    court papers" parsed as one aside) is cut to end before it: that phrase credits the report, it
    is not what the lawsuit says.
    """
    pairs = []
    outers = [
        r
        for r in relations
        if r.rule in OUTER_RULES
        and r.speaker is not None
        and r.speaker_head is not None
        and doc[r.speaker_head].lemma_.lower() in records
    ]
    # Only a claim whose cue starts inside the outer content can nest: found by bisecting cue
    # starts (every claim for every outer claim was quadratic on long inputs), kept in claim order.
    order = sorted(range(len(relations)), key=lambda n: relations[n].cue.start)
    cue_starts = [relations[n].cue.start for n in order]
    for outer in outers:
        lo, hi = bisect_left(cue_starts, outer.content[0]), bisect_left(cue_starts, outer.content[1])
        for inner in (relations[n] for n in sorted(order[lo:hi])):
            if inner is outer or inner.rule not in INNER_RULES or inner.speaker is None:
                continue
            if inner.cue.label_ in THOUGHT_CATEGORIES:
                continue
            if not (_inside(inner.speaker, outer.content) and _inside((inner.cue.start, inner.cue.end), outer.content)):
                continue
            frame = (min(outer.cue.start, outer.speaker[0]), max(outer.cue.end, outer.speaker[1]))
            overlaps = inner.content[0] < frame[1] and frame[0] < inner.content[1]
            if overlaps and not _cut_before(doc, inner, frame[0]):
                continue
            if not _inside(inner.content, outer.content):
                continue
            pairs.append((outer, inner))
    return pairs


def restore_nested(kept: list[Relation], pairs: list[tuple[Relation, Relation]]) -> list[Relation]:
    """Add back each inner report whose outer claim was kept, unless a kept claim already has its content."""
    ids = {id(r) for r in kept}
    contents = {r.content for r in kept}
    added = []
    for outer, inner in pairs:
        if id(outer) in ids and id(inner) not in ids and inner.content not in contents:
            added.append(inner)
            ids.add(id(inner))
            contents.add(inner.content)
    if not added:
        return kept
    return sorted([*kept, *added], key=lambda r: (r.content[0], r.cue.start))
