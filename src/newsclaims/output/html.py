"""The HTML report: each article with speakers, cues, contents and figures highlighted by displaCy's span
renderer, beside its claims grouped by speaker; one self-contained page (inline CSS, nothing fetched).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from newsclaims.models import Claim, DocumentResult
from newsclaims.output.labels import cue_category, cue_text, document_name, figure_label, speaker_label
from newsclaims.output.safe_text import for_terminal

# One colour per kind of span; the legend and the tests rely on them being distinct.
COLORS = {"SPEAKER": "#7aecec", "CUE": "#feca74", "CONTENT": "#c9b8ff", "FIGURE": "#ff8197"}

# displaCy puts a space after every token outside a span; a token that has none in the article
# ends with this marker, and the marker and that space are removed from the rendered markup.
_GLUE = "\ue000"
_WORD = re.compile(r"\S+")

# displaCy's span templates with class names added (for the stylesheet and tests) and without the
# white space between tokens, which the tokens carry themselves.
_TEMPLATES = {
    "span": '<span class="nc-token" style="font-weight: bold; display: inline-block; position: relative; '
    'white-space: pre; height: {total_height}px;">{text}{span_slices}{span_starts}</span>',
    "slice": '<span class="nc-slice" style="background: {bg}; top: {top_offset}px; height: 4px; left: -1px; '
    'width: calc(100% + 2px); position: absolute;"></span>',
    "start": '<span class="nc-start" style="background: {bg}; top: {top_offset}px; height: 4px; '
    "border-top-left-radius: 3px; border-bottom-left-radius: 3px; left: -1px; width: calc(100% + 2px); "
    'position: absolute;"><span class="nc-label" style="background: {bg}; z-index: 10; color: #000; '
    "top: -0.5em; padding: 2px 3px; position: absolute; font-size: 0.6em; font-weight: bold; line-height: 1; "
    'border-radius: 3px; white-space: nowrap;">{label}{kb_link}</span></span>',
}

CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 0; color: #222;
       background: #fafafa; }
header, main { max-width: 1280px; margin: 0 auto; padding: 1rem 2rem; }
header h1 { margin: 0.2rem 0; font-size: 1.5rem; }
.meta, .generator { color: #666; font-size: 0.85rem; }
nav.toc ol { columns: 2; font-size: 0.95rem; }
section.document { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 1.5rem 0;
                   padding: 1rem 1.5rem; }
section.document h2 { margin-top: 0.3rem; font-size: 1.2rem; word-break: break-all; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 2rem; }
.article .spans { margin-bottom: 0.6rem; }
.article .nc-token { font-weight: 600 !important; }
.legend span { display: inline-block; padding: 1px 6px; margin-right: 6px; border-radius: 3px; font-size: 0.8rem; }
aside h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
aside .kind { color: #666; font-weight: normal; font-size: 0.85rem; }
aside ol { margin: 0; padding-left: 1.4rem; }
aside li { margin: 0.35rem 0; font-size: 0.92rem; }
aside li:target { background: #fff5cc; }
.cue { background: #feca74; border-radius: 3px; padding: 0 3px; }
.fig { background: #ff8197; border-radius: 3px; padding: 0 3px; font-size: 0.85rem; white-space: nowrap; }
.badge { background: #eee; border-radius: 3px; padding: 0 4px; font-size: 0.75rem; color: #555; }
.empty { color: #888; font-style: italic; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
"""


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    label: str
    link: str = ""


def _spans(result: DocumentResult, doc_no: int) -> list[_Span]:
    """Every highlight of one document: shared mentions and figures once, claims numbered as in the side list."""
    by_key: dict[tuple[int, int, str], list[str]] = {}
    links: dict[tuple[int, int, str], str] = {}
    for n, claim in enumerate(result.claims, 1):
        parts = [(claim.content, "CONTENT")] + ([(claim.cue, "CUE")] if claim.cue is not None else [])
        if claim.speaker is not None:
            parts.append((claim.speaker, "SPEAKER"))
        for ev, kind in parts:
            key = (ev.start, ev.end, kind)
            by_key.setdefault(key, []).append(str(n))
            links.setdefault(key, f"#{_claim_anchor(doc_no, claim)}")
    spans = [
        _Span(s, e, kind, f"{kind} {','.join(nums)}", links[(s, e, kind)]) for (s, e, kind), nums in by_key.items()
    ]
    spans += [_Span(f.start, f.end, "FIGURE", f"FIGURE {figure_label(f)}") for f in result.figures if not f.derived]
    return spans


def _paragraph_doc(text: str, p_start: int, p_end: int, spans: list[_Span]) -> dict:
    """displaCy's manual span input for one paragraph: tokens cut at white space and at every span edge."""
    inside = [s for s in spans if s.start < p_end and s.end > p_start]
    cuts = {max(s.start, p_start) for s in inside} | {min(s.end, p_end) for s in inside}
    pieces: list[tuple[int, int, bool]] = []  # start, end, followed by white space
    for word in _WORD.finditer(text, p_start, p_end):
        edges = [word.start(), *sorted(c for c in cuts if word.start() < c < word.end()), word.end()]
        for a, b in itertools.pairwise(edges):
            pieces.append((a, b, b == word.end()))
    starts = [a for a, _, _ in pieces]
    covered = [False] * len(pieces)
    doc_spans = []
    for s in inside:
        first = next((i for i, a in enumerate(starts) if a >= s.start), len(pieces))
        last = next((i for i, a in enumerate(starts) if a >= s.end), len(pieces))
        if first >= last:
            continue
        for i in range(first, last):
            covered[i] = True
        span = {"start_token": first, "end_token": last, "label": s.label}
        if s.link:
            span.update(kb_id="↗", kb_url=s.link)
        doc_spans.append(span)
    tokens = []
    for (a, b, spaced), in_span in zip(pieces, covered, strict=True):
        piece = text[a:b]
        # Span tokens get their own trailing space; displaCy adds one after every other token.
        tokens.append(piece + (" " if spaced else "") if in_span else piece + ("" if spaced else _GLUE))
    return {"text": text[p_start:p_end], "tokens": tokens, "spans": doc_spans}


def render_article(result: DocumentResult, doc_no: int = 1) -> str:
    """The article text as displaCy span markup, one block per paragraph."""
    from spacy import displacy

    from newsclaims.text import paragraph_bounds

    text = result.text or ""
    spans = _spans(result, doc_no)
    paragraphs = [_paragraph_doc(text, a, b, spans) for a, b in paragraph_bounds(text)]
    if not paragraphs:
        return '<p class="empty">Empty article.</p>'
    colors = {s.label: COLORS[s.kind] for s in spans}
    options = {"colors": colors, "template": _TEMPLATES, "top_offset": 30, "span_label_offset": 14}
    markup = displacy.render(paragraphs, style="span", manual=True, options=options, jupyter=False)
    return markup.replace(_GLUE + " ", "").replace(_GLUE, "")


def _claim_anchor(doc_no: int, claim: Claim) -> str:
    return f"d{doc_no}-{claim.id}"


def _claim_item(doc_no: int, n: int, claim: Claim) -> str:
    e = html.escape
    figures = "".join(f' <span class="fig">{e(figure_label(f))}</span>' for f in claim.figures)
    mention = ""
    if claim.speaker is not None:
        mention = f'<span class="badge">{e(claim.speaker.text)}</span> '
    badge = f"{cue_category(claim) or 'follow-on'} · {claim.type} · {claim.confidence:.2f}"
    return (
        f'<li id="{e(_claim_anchor(doc_no, claim))}" value="{n}">{mention}'
        f'<span class="cue">{e(cue_text(claim))}</span> <span class="badge">{e(badge)}</span><br>'
        f"{e(claim.content.text)}{figures}</li>"
    )


def render_claims_by_speaker(result: DocumentResult, doc_no: int = 1) -> str:
    """The side list: one group per resolved speaker, then claims without one."""
    e = html.escape
    numbers = {c.id: n for n, c in enumerate(result.claims, 1)}
    by_id = {c.id: c for c in result.claims}
    parts = []
    grouped: set[str] = set()
    for summary in result.speakers:
        ids = [cid for cid in summary.claims if cid in by_id]
        if not ids:
            continue
        grouped.update(ids)
        flags = " · anonymous" if summary.anonymous else ""
        mentions = ", ".join(dict.fromkeys(m.text for m in summary.mentions))
        items = "".join(_claim_item(doc_no, numbers[cid], by_id[cid]) for cid in ids)
        parts.append(
            f'<h3>{e(summary.name)} <span class="kind">{e(summary.kind)}{flags} — {len(ids)} claim(s); '
            f"mentions: {e(mentions)}</span></h3><ol>{items}</ol>"
        )
    rest = [c for c in result.claims if c.id not in grouped]
    if rest:
        items = "".join(_claim_item(doc_no, numbers[c.id], c) for c in rest)
        names = {speaker_label(c.speaker) for c in rest}
        title = "Other speakers" if names != {"—"} else "No speaker"
        parts.append(f"<h3>{title}</h3><ol>{items}</ol>")
    return "".join(parts) or '<p class="empty">No claims found.</p>'


def _legend() -> str:
    return "".join(f'<span style="background: {c}">{k.lower()}</span>' for k, c in COLORS.items())


def render_document(result: DocumentResult, doc_no: int = 1) -> str:
    """One document's section: heading, metadata, highlighted article and side list."""
    e = html.escape
    name = document_name(result)
    meta = " · ".join(e(v) for v in (result.site, result.author, result.published) if v)
    if result.text is None:
        article = '<p class="empty">The record has no article text (extract with --include-text).</p>'
    else:
        article = render_article(result, doc_no)
    heading = e(result.title) + f' <span class="meta">{e(name)}</span>' if result.title else e(name)
    return (
        f'<section class="document" id="doc-{doc_no}"><h2>{heading}</h2>'
        f'<p class="meta">{meta + " · " if meta else ""}{len(result.claims)} claims · {len(result.figures)} figures · '
        f'{len(result.speakers)} speakers</p><p class="legend">{_legend()}</p>'
        f'<div class="columns"><div class="article">{article}</div>'
        f"<aside><h3>Claims by speaker</h3>{render_claims_by_speaker(result, doc_no)}</aside></div></section>"
    )


def render_report(results: Iterable[DocumentResult]) -> str:
    """A complete HTML page for one or more documents; a table of contents when there are several."""
    e = html.escape
    docs = list(results)
    sections = "".join(render_document(r, n) for n, r in enumerate(docs, 1))
    toc = ""
    if len(docs) > 1:
        entries = "".join(
            f'<li><a href="#doc-{n}">{e(r.title or document_name(r))}</a> — {len(r.claims)} claims</li>'
            for n, r in enumerate(docs, 1)
        )
        toc = f'<nav class="toc"><h2>Contents</h2><ol>{entries}</ol></nav>'
    gen = docs[0].generator if docs else None
    generator = f"{gen.name} {gen.version} · model {gen.model} · rules {gen.rules}" if gen else ""
    title = "newsclaims report" + (f": {docs[0].title or document_name(docs[0])}" if len(docs) == 1 else "")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{e(title)}</h1><p class="generator">{e(generator)} · {len(docs)} document(s)</p></header>'
        f"<main>{toc}{sections}</main></body></html>\n"
    )


def write_report(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """Write the page; returns the number of documents."""
    docs = list(results)
    # Control characters are invalid in HTML and act on a terminal when the page goes to stdout; a file
    # name that is not UTF-8 carries lone surrogates (surrogateescape), which no encoder writes.
    fp.write(for_terminal(render_report(docs)))
    return len(docs)
