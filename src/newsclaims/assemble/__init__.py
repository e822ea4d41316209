"""Assembly: the only code that turns the pipeline's span groups (``spans.py``) into output models.

It imports neither the rules nor the pipeline: everything it needs is on the Doc.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from newsclaims._version import __version__
from newsclaims.assemble.figures import figures_from_doc, figures_in_span
from newsclaims.doctext import doc_text, span_chars
from newsclaims.models import (
    Claim,
    Content,
    Cue,
    DocumentResult,
    Evidence,
    Figure,
    Generator,
    Source,
    Speaker,
    SpeakerSummary,
)
from newsclaims.spans import CONTENTS, SPEAKERS, ClaimRecord, SpeakerRecord, records

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from newsclaims.inputs import Article


def _evidence(doc: Doc, start: int, end: int, text: str | None = None) -> Evidence:
    # Span.text re-joins every token; a slice of the Doc's text (read once per Doc) is the same string,
    # and the offsets come from the Doc's token array without making a Span.
    a, b = span_chars(doc, start, end)
    return Evidence(text=(doc_text(doc) if text is None else text)[a:b], start=a, end=b)


def _text(span: Span, text: str | None) -> str:
    return span.text if text is None else text[span.start_char : span.end_char]


def _slice(doc: Doc, text: str, start: int, end: int) -> str:
    """``doc[start:end].text``, as a slice of the Doc's text."""
    a, b = span_chars(doc, start, end)
    return text[a:b]


def claims_from_doc(
    doc: Doc,
    doc_figures: list[Figure] | None = None,
    *,
    contents_key: str = CONTENTS,
    speakers_key: str = SPEAKERS,
    text: str | None = None,
) -> list[Claim]:
    """Claims in text order, with figures inside each claim's content.

    ``text``: the article text the Doc was made from, if at hand (``doc.text`` re-joins every token).
    """
    if contents_key not in doc.spans:
        return []
    group = doc.spans[contents_key]
    if doc_figures is None:
        doc_figures = figures_from_doc(doc)
    speakers: dict[int, tuple[Span, SpeakerRecord]] = {}
    if speakers_key in doc.spans:
        mentions = doc.spans[speakers_key]
        speakers = {rec["claim"]: (span, rec) for span, rec in zip(mentions, records(mentions), strict=True)}
    claims = []
    rel: ClaimRecord
    starts = [f.start for f in doc_figures]
    # Text order (as figures_from_doc gives) lets each claim look up its figures by bisect.
    ordered = starts if all(a <= b for a, b in pairwise(starts)) else None
    # Iterating a span group makes a Span per item: once.
    spans = list(group)
    ids = [f"c{span.start_char}-{span.end_char}" for span in spans]
    text = doc_text(doc) if text is None else text
    for n, (span, rel) in enumerate(zip(spans, records(group), strict=True)):
        cue = None
        if rel["cue"] is not None:
            a, b = span_chars(doc, *rel["cue"])
            cue = Cue(text=text[a:b], start=a, end=b, lemma=rel["lemma"], category=rel["category"])
        speaker = None
        confidence = rel["confidence"]
        if n in speakers:
            mention, sp = speakers[n]
            speaker = Speaker(
                text=_text(mention, text),
                start=mention.start_char,
                end=mention.end_char,
                id=sp["id"],
                kind=sp["kind"],
                named=sp["named"],
                anonymous=sp["anonymous"],
                resolved=_evidence(doc, *sp["resolved"], text) if sp["resolved"] else None,
                name=_slice(doc, text, *sp["name"]) if sp.get("name") else None,
                description=_evidence(doc, *sp["description"], text) if sp.get("description") else None,
            )
            confidence = sp["confidence"]
        elif rel["speaker"] is not None:
            # A speaker the speakers component did not see (a pipeline without it): as written, unclassified.
            ev = _evidence(doc, *rel["speaker"], text)
            speaker = Speaker(**ev.model_dump(), named=False, anonymous=False)
        # Records written before schema 2 have no parts: the span is the one part.
        pieces = rel.get("parts") or [[span.start, span.end]]
        content = Content(
            text=_text(span, text),
            start=span.start_char,
            end=span.end_char,
            parts=[_evidence(doc, a, b, text) for a, b in pieces],
        )
        continues = rel.get("continues")
        claims.append(
            Claim(
                id=ids[n],
                continues=ids[continues] if continues is not None else None,
                type=span.label_,
                speaker=speaker,
                cue=cue,
                content=content,
                figures=figures_in_span(doc_figures, content.start, content.end, ordered),
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
            name = sp.name or (sp.resolved.text if sp.resolved else sp.text)
            summary = by_id[sp.id] = SpeakerSummary(
                id=sp.id,
                name=name,
                description=sp.description.text if sp.description else None,
                kind=sp.kind,
                named=sp.named,
                anonymous=sp.anonymous,
                mentions=[],
                claims=[],
            )
        seen = mentions.setdefault(sp.id, {})
        seen.setdefault((sp.start, sp.end), Evidence(text=sp.text, start=sp.start, end=sp.end))
        if sp.resolved:
            seen.setdefault((sp.resolved.start, sp.resolved.end), sp.resolved)
        summary.claims.append(claim.id)
        if summary.description is None and sp.description is not None:
            summary.description = sp.description.text
        summary.anonymous = (summary.anonymous or sp.anonymous) and not summary.named
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
    claims = claims_from_doc(doc, figures, text=article.text)
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
        warnings=list(article.warnings),
        generator=generator.model_copy(update={"generated_at": timestamp}) if timestamp else generator,
    )
