"""Claim assembly: the only code that turns the pipeline's spans into output models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsclaims import __version__
from newsclaims.assemble.figures import figures_from_doc, figures_in_span
from newsclaims.components.attribution import CONTENTS_KEY
from newsclaims.models import (
    Claim,
    Cue,
    DocumentResult,
    Evidence,
    Figure,
    Generator,
    Source,
    Speaker,
    SpeakerSummary,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsclaims.inputs import Article


def _evidence(doc: Doc, start: int, end: int) -> Evidence:
    span = doc[start:end]
    return Evidence(text=span.text, start=span.start_char, end=span.end_char)


def claims_from_doc(doc: Doc, doc_figures: list[Figure] | None = None) -> list[Claim]:
    """Claims in text order, with figures inside each claim's content."""
    if CONTENTS_KEY not in doc.spans:
        return []
    group = doc.spans[CONTENTS_KEY]
    if doc_figures is None:
        doc_figures = figures_from_doc(doc)
    claims = []
    for span, rel in zip(group, group.attrs.get("relations", []), strict=True):
        cue_span = doc[rel["cue"][0] : rel["cue"][1]]
        cue = Cue(
            text=cue_span.text,
            start=cue_span.start_char,
            end=cue_span.end_char,
            lemma=rel["lemma"],
            category=rel["category"],
        )
        speaker = None
        if rel["speaker"] is not None:
            ev = _evidence(doc, *rel["speaker"])
            speaker = Speaker(
                **ev.model_dump(),
                id=rel.get("speaker_id"),
                kind=rel.get("kind", "unknown"),
                named=rel.get("named", False),
                anonymous=rel.get("anonymous", False),
                resolved=_evidence(doc, *rel["resolved"]) if rel.get("resolved") else None,
            )
        content = Evidence(text=span.text, start=span.start_char, end=span.end_char)
        confidence = rel["confidence"]
        if speaker is not None and speaker.kind == "unknown" and speaker.resolved is None:
            confidence -= 0.1
        claims.append(
            Claim(
                id=f"c{content.start}-{content.end}",
                type=span.label_,
                speaker=speaker,
                cue=cue,
                content=content,
                figures=figures_in_span(doc_figures, content.start, content.end),
                confidence=round(max(0.0, min(1.0, confidence)), 3),
            )
        )
    return claims


def speakers_from_claims(claims: list[Claim]) -> list[SpeakerSummary]:
    """Distinct speakers after resolution, in order of first mention."""
    by_id: dict[str, SpeakerSummary] = {}
    # Mentions keyed by offsets: a long article repeats one speaker hundreds of times.
    mentions: dict[str, dict[tuple[int, int], Evidence]] = {}
    for claim in claims:
        sp = claim.speaker
        if sp is None or sp.id is None:
            continue
        summary = by_id.get(sp.id)
        if summary is None:
            name = sp.resolved.text if sp.resolved else sp.text
            summary = by_id[sp.id] = SpeakerSummary(
                id=sp.id, name=name, kind=sp.kind, named=sp.named, anonymous=sp.anonymous, mentions=[], claims=[]
            )
        seen = mentions.setdefault(sp.id, {})
        seen.setdefault((sp.start, sp.end), Evidence(text=sp.text, start=sp.start, end=sp.end))
        if sp.resolved:
            seen.setdefault((sp.resolved.start, sp.resolved.end), sp.resolved)
        summary.claims.append(claim.id)
        summary.anonymous = summary.anonymous or sp.anonymous
    for sid, summary in by_id.items():
        summary.mentions = [mentions[sid][key] for key in sorted(mentions[sid])]
    return list(by_id.values())


def model_label(nlp: Language) -> str:
    """'name-version' of the underlying spaCy model, as recorded in the output."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"


def generator_for(nlp: Language) -> Generator:
    """What made the records: our version, the model and the rules fingerprint (read once per run:
    ``nlp.meta`` rebuilds the pipeline's label lists on every access)."""
    meta = nlp.meta
    return Generator(version=__version__, model=model_label(nlp), rules=meta.get("newsclaims_rules", ""))


def document_result(
    doc: Doc, article: Article, generator: Generator, *, include_text: bool = False, timestamp: str | None = None
) -> DocumentResult:
    """The output record for one article; ``timestamp`` (ISO 8601) is recorded only when given."""
    figures = figures_from_doc(doc)
    claims = claims_from_doc(doc, figures)
    meta = article.metadata
    return DocumentResult(
        source=Source(path=article.path, sha256=article.sha256),
        title=meta.get("title"),
        author=meta.get("author"),
        published=meta.get("published"),
        site=meta.get("site"),
        text=article.text if include_text else None,
        claims=claims,
        figures=figures,
        speakers=speakers_from_claims(claims),
        generator=generator.model_copy(update={"generated_at": timestamp}) if timestamp else generator,
    )
