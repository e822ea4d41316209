"""The Doc contract: every span group newsclaims writes, and the record aligned with each span.

Each component writes exactly one group, under the key its ``spans_key`` config names (the
defaults are below), and never edits a group another component wrote; a component that reads
another's group takes that key from its own config too (as negspacy's ``span_keys``). A group's
records are a list in ``group.attrs[RECORDS]``, aligned with the group's spans and made only of
msgpack-safe values, so they survive ``Doc.to_bytes`` and process boundaries. Token offsets in
records are ``[start, end)`` token indices of the same Doc. No spaCy import: renderers and
assembly can name the contract without loading the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol, TypedDict

PARAGRAPHS = "newsclaims_paragraphs"
BOILERPLATE = "newsclaims_boilerplate"
CUES = "newsclaims_cues"
QUOTES = "newsclaims_quotes"
FIGURES = "newsclaims_figures"
CONTENTS = "newsclaims_contents"
SPEAKERS = "newsclaims_speakers"

RECORDS = "records"
"""The ``attrs`` key of the list of records aligned with a group's spans."""


class CueRecord(TypedDict):
    """``doc.spans[CUES]``: one per cue span; the span's label is the cue category."""

    role: Literal["verb", "according_to", "noun", "impression", "stance", "hearsay", "layout"]
    lemma: str
    takes_object: bool  # the verb's object (not only a clause or quotation) can be the content


class FigureRecord(TypedDict):
    """``doc.spans[FIGURES]``: one per figure span; the span's label is the kind.

    ``start``/``end`` are the figure's character offsets, qualifier words included; the span covers
    whole tokens, so for a figure glued to a final period ("£15m.") the span is one character longer.
    """

    start: int
    end: int
    kind: Literal["money", "percent", "number", "quantity"]
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str
    change: str | None


class ClaimRecord(TypedDict):
    """``doc.spans[CONTENTS]``: one per claim, the span being its content; the label is the claim type.

    The span runs from the first to the last of ``parts``; a frame interrupting the content ("“A,”
    she said, “B.”") lies between two parts and is not the speaker's words.
    """

    cue: list[int] | None  # token [start, end) of the cue; None for a follow-on quotation (``continues``)
    category: str
    lemma: str
    speaker: list[int] | None  # token [start, end) of the speaker as written, None when unstated
    speaker_head: int | None
    confidence: float  # from the construction alone (see components/confidence.py)
    rule: str  # the construction that made the claim, a key of the confidence table
    parts: list[list[int]]  # token [start, end) of each piece of the content, in order
    continues: int | None  # index (in this group) of the claim a follow-on quotation continues


class SpeakerRecord(TypedDict):
    """``doc.spans[SPEAKERS]``: one per claim that has a speaker; the span is the mention as written."""

    claim: int  # index of the claim in doc.spans[CONTENTS]
    id: str  # document-local speaker id ("s1"): mentions of one resolved speaker share it
    kind: str
    named: bool
    anonymous: bool
    resolved: list[int] | None  # token [start, end) of the mention this one resolves to
    name: list[int]  # token [start, end) of the canonical name: the resolved mention without its description
    description: list[int] | None  # token [start, end) of the apposition or role phrase, where the text gives one
    confidence: float  # the claim's confidence once the speaker is known


class _Group(Protocol):
    attrs: dict[str, Any]


def records(group: _Group) -> Sequence[Any]:
    """The records aligned with a span group's spans (empty for a group written without any)."""
    return group.attrs.get(RECORDS, ())
