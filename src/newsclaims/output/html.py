"""The HTML report: each article with its claims' speakers, cues, contents and figures highlighted, beside a
sticky, filterable claim list, a figures table and a summary; one self-contained page (inline CSS and JS,
nothing fetched). The page works without JS: links go both ways (numbered markers in the text <-> list items)
and a claim in focus (the URL target) is fully marked by CSS alone; the script only adds the filter and
focus on hover.

Highlights are plain inline spans with borders and a soft background, not displaCy's absolutely positioned
labels: inline markers flow with the text, so they cannot overlap and the line height stays normal.
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO, get_args

from newsclaims.models import Claim, CueCategory, DocumentResult, Figure
from newsclaims.output.labels import cue_category, cue_text, document_name, figure_label
from newsclaims.output.safe_text import for_terminal

# One colour per kind of span; the legend and the tests rely on them being distinct.
COLORS = {"SPEAKER": "#7aecec", "CUE": "#feca74", "CONTENT": "#c9b8ff", "FIGURE": "#ff8197"}

TYPE_HELP = {
    "direct": "quoted words",
    "indirect": "reported speech",
    "mixed": "partly quoted",
    "according_to": "'according to …'",
}
# Confidence bands shown as badge colours; the legend prints the same thresholds.
# Filter values for a claim without a resolved speaker or cue: the empty value means "all" in the form.
NO_SPEAKER, FOLLOW_ON = "(no speaker)", "follow-on"
CONFIDENCE_BANDS = ((0.8, "high", "#cdeccd"), (0.5, "medium", "#fbeec1"), (0.0, "low", "#f6cfcf"))

CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 0; color: #222;
       background: #fafafa; line-height: 1.55; }
header, main { max-width: 1280px; margin: 0 auto; padding: 0.5rem 1.5rem; box-sizing: border-box; }
header h1 { margin: 0.2rem 0; font-size: 1.4rem; overflow-wrap: anywhere; }
.meta, .generator, .summary { color: #555; font-size: 0.85rem; }
nav.toc ol { columns: 2; font-size: 0.95rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 2px 8px 2px 0; text-align: left; vertical-align: top; }
.scroll { overflow-x: auto; }
section.document { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 1.2rem 0;
                   padding: 0.8rem 1.2rem; }
section.document h2 { margin-top: 0.3rem; font-size: 1.2rem; overflow-wrap: anywhere; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 2rem; }
.article p { margin: 0 0 0.9rem; }
/* Resting highlights stay light (a coloured underline); only the claim in focus gets full colour. */
.h { border-bottom: 2px solid var(--c); --c: #ccc; --hl: #eee; }
.k-content { --c: #c9b8ff; --hl: #e4dbff; border-bottom-style: dotted; }
.k-cue { --c: #feca74; --hl: #feca74; border-bottom-style: solid; }
.k-speaker { --c: #3cc7c7; --hl: #7aecec; border-bottom-style: solid; }
.k-figure { --c: #ff8197; --hl: #ff8197; background: #ffe8ec; }
.h.on { background: var(--hl); }
a.ref { font-size: 0.68em; vertical-align: super; line-height: 0; text-decoration: none; color: #333;
        background: #eee; border: 1px solid #bbb; border-radius: 3px; padding: 0 2px; margin: 0 1px; }
a.ref:target, a.ref.on { background: #c9b8ff; border-color: #7a62d9; }
aside { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto;
        background: #fff; box-sizing: border-box; padding-bottom: 0.5rem; }
aside h3 { font-size: 0.95rem; margin: 0.8rem 0 0.2rem; }
aside .kind { color: #666; font-weight: normal; font-size: 0.8rem; }
aside ol { margin: 0; padding-left: 1.6rem; }
aside li { margin: 0.3rem 0; font-size: 0.9rem; }
aside li:target, aside li.on { background: #f1ecff; outline: 1px solid #c9b8ff; }
aside li[hidden], aside .group[hidden] { display: none; }
.filter { font-size: 0.8rem; display: flex; flex-wrap: wrap; gap: 4px 10px; padding: 4px 0;
          border-bottom: 1px solid #eee; position: sticky; top: 0; background: #fff; }
.filter[hidden] { display: none; }
.filter select { max-width: 12em; }
.cue { background: #feca74; border-radius: 3px; padding: 0 3px; }
.spk { background: #7aecec; border-radius: 3px; padding: 0 3px; }
.fig { background: #ff8197; border-radius: 3px; padding: 0 3px; font-size: 0.8rem; white-space: nowrap; }
.badge { background: #eee; border-radius: 3px; padding: 0 4px; font-size: 0.75rem; color: #444; }
.conf-high { background: #cdeccd; } .conf-medium { background: #fbeec1; } .conf-low { background: #f6cfcf; }
.back { font-size: 0.75rem; text-decoration: none; }
.legend { font-size: 0.8rem; color: #444; }
.legend dt { font-weight: 600; display: inline; } .legend dd { display: inline; margin: 0 1rem 0 0.3rem; }
.legend .sw { display: inline-block; padding: 0 6px; border-radius: 3px; margin-right: 4px; }
.empty { color: #888; font-style: italic; }
/* A followed link leaves context above its target instead of pinning it to the top edge. */
li.claim, a.ref, .h, tr { scroll-margin-top: 25vh; }
@media (max-width: 900px) {
  header, main { padding: 0.5rem 0.6rem; }
  section.document { padding: 0.6rem; }
  nav.toc ol { columns: 1; }
  .columns { grid-template-columns: 1fr; gap: 0.5rem; }
  /* On a phone the list docks at the bottom of the screen while the article scrolls past. */
  aside { top: auto; bottom: 0; max-height: 38vh; border-top: 2px solid #c9b8ff; }
}
"""

# Progressive enhancement only: shows the filter form (hidden in the markup) and marks a claim on hover.
# It reads data-* attributes and toggles classes/hidden; it never writes markup, so nothing is injected.
JS = """
(function () {
  function parts(a) { return document.querySelectorAll('.h[data-c~="' + a + '"], #t-' + a + ', li#' + a); }
  function mark(a, on) { parts(a).forEach(function (e) { e.classList.toggle('on', on); }); }
  function anchorsOf(el) {
    if (el.matches('.h')) return el.dataset.c.split(' ');
    if (el.matches('a.ref')) return [el.id.slice(2)];
    if (el.matches('li.claim')) return [el.id];
    return [];
  }
  ['mouseover', 'mouseout', 'focusin', 'focusout'].forEach(function (ev) {
    document.addEventListener(ev, function (e) {
      var el = e.target.closest && e.target.closest('.h, a.ref, li.claim');
      if (!el) return;
      var on = ev === 'mouseover' || ev === 'focusin';
      anchorsOf(el).forEach(function (a) { mark(a, on); });
    });
  });
  document.querySelectorAll('form.filter').forEach(function (form) {
    var aside = form.closest('aside');
    function apply() {
      var f = form.elements, min = parseFloat(f.confidence.value) || 0;
      aside.querySelectorAll('li.claim').forEach(function (li) {
        var d = li.dataset;
        var ok = (!f.speaker.value || d.speaker === f.speaker.value) && (!f.type.value || d.type === f.type.value)
          && (!f.category.value || d.category === f.category.value)
          && (!f.figures.checked || d.figures !== '0') && parseFloat(d.confidence) >= min;
        li.hidden = !ok;
      });
      aside.querySelectorAll('.group').forEach(function (g) {
        g.hidden = !g.querySelector('li.claim:not([hidden])');
      });
    }
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.hidden = false;
  });
})();
"""


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    anchor: str = ""  # the claim it belongs to; empty for a figure


def _claim_anchor(doc_no: int, claim: Claim) -> str:
    return f"d{doc_no}-{claim.id}"


def _figure_anchor(doc_no: int, index: int) -> str:
    return f"d{doc_no}-f{index}"


def _band(confidence: float) -> str:
    return next(name for low, name, _ in CONFIDENCE_BANDS if confidence >= low)


def _spans(result: DocumentResult, doc_no: int) -> list[_Span]:
    """Every highlight: the content's parts (not the frame that interrupts them), cue, speaker; figures."""
    spans: list[_Span] = []
    for claim in result.claims:
        anchor = _claim_anchor(doc_no, claim)
        pieces = claim.content.parts or [claim.content]
        spans += [_Span(p.start, p.end, "content", anchor) for p in pieces]
        if claim.cue is not None:
            spans.append(_Span(claim.cue.start, claim.cue.end, "cue", anchor))
        if claim.speaker is not None:
            spans.append(_Span(claim.speaker.start, claim.speaker.end, "speaker", anchor))
    spans += [_Span(f.start, f.end, "figure") for f in result.figures if not f.derived]
    return [s for s in spans if s.end > s.start]


def _marker(doc_no: int, n: int, claim: Claim) -> str:
    anchor = _claim_anchor(doc_no, claim)
    title = f"claim {n}: {claim.type}, {cue_category(claim) or 'follow-on'}, confidence {claim.confidence:.2f}"
    return f'<a class="ref" id="t-{anchor}" href="#{anchor}" title="{html.escape(title)}">{n}</a>'


def render_article(result: DocumentResult, doc_no: int = 1) -> str:
    """The article, one <p> per paragraph, cut into segments at every highlight edge.

    A segment carries a class per kind covering it and the anchors of its claims (data-c), so CSS and the
    script can mark one claim; each claim's number is an inline marker where its first span starts.
    """
    from newsclaims.text import paragraph_bounds

    e = html.escape
    text = result.text or ""
    spans = _spans(result, doc_no)
    starts: dict[int, list[str]] = {}
    for n, claim in enumerate(result.claims, 1):
        own = [s.start for s in spans if s.anchor == _claim_anchor(doc_no, claim)]
        if own:
            starts.setdefault(min(own), []).append(_marker(doc_no, n, claim))
    figure_at = {f.start: i for i, f in enumerate(result.figures) if not f.derived}
    bounds = paragraph_bounds(text)
    # A marker whose claim starts between paragraphs (white space) goes at the next paragraph's start.
    pending = sorted(starts)
    out = []
    for p_start, p_end in bounds:
        cuts = {p_start, p_end}
        for s in spans:
            cuts.update(c for c in (s.start, s.end) if p_start < c < p_end)
        edges = sorted(cuts)
        html_parts = []
        for a, b in itertools.pairwise(edges):
            # Claim starts are segment edges, so every start before b belongs before this segment.
            while pending and pending[0] < b:
                html_parts.extend(starts[pending.pop(0)])
            cover = [s for s in spans if s.start <= a and s.end >= b]
            piece = e(text[a:b])
            if not cover:
                html_parts.append(piece)
                continue
            kinds = sorted({s.kind for s in cover}, key=["content", "figure", "speaker", "cue"].index)
            anchors = sorted({s.anchor for s in cover if s.anchor})
            ident = f' id="t-{_figure_anchor(doc_no, figure_at[a])}"' if "figure" in kinds and a in figure_at else ""
            data = f' data-c="{e(" ".join(anchors))}"' if anchors else ""
            classes = " ".join(f"k-{k}" for k in kinds)
            html_parts.append(f'<span class="h {classes}"{ident}{data}>{piece}</span>')
        out.append(f"<p>{''.join(html_parts)}</p>")
    if pending:  # claims starting after the last paragraph: keep their markers so links still resolve
        out.append("<p>" + "".join(m for k in pending for m in starts[k]) + "</p>")
    return "".join(out) or '<p class="empty">Empty article.</p>'


def _speaker_names(result: DocumentResult) -> dict[str, str]:
    """Claim id -> the speaker's resolved name (its summary), for grouping and the filter."""
    names = {}
    for summary in result.speakers:
        for cid in summary.claims:
            names.setdefault(cid, summary.name)
    return names


def _claim_item(doc_no: int, n: int, claim: Claim, speaker: str) -> str:
    e = html.escape
    anchor = _claim_anchor(doc_no, claim)
    figures = "".join(f' <span class="fig">{e(figure_label(f))}</span>' for f in claim.figures)
    mention = f'<span class="spk">{e(claim.speaker.text)}</span> ' if claim.speaker is not None else ""
    category = cue_category(claim)
    cue = f'<span class="cue">{e(cue_text(claim))}</span>'
    if claim.continues:
        cue += f' <span class="badge">continues {e(claim.continues)}</span>'
    band = _band(claim.confidence)
    badges = (
        f'<span class="badge">{e(claim.type)}</span> <span class="badge">{e(category or "follow-on")}</span> '
        f'<span class="badge conf-{band}" title="confidence ({band})">{claim.confidence:.2f}</span>'
    )
    data = (
        f'data-speaker="{e(speaker or NO_SPEAKER)}" data-type="{e(claim.type)}" '
        f'data-category="{e(category or FOLLOW_ON)}" '
        f'data-figures="{len(claim.figures)}" data-confidence="{claim.confidence:.3f}"'
    )
    return (
        f'<li class="claim" id="{e(anchor)}" value="{n}" {data}>{mention}{cue} {badges} '
        f'<a class="back" href="#t-{e(anchor)}" title="show in the text">↩ text</a><br>'
        f"{e(claim.content.text)}{figures}</li>"
    )


def _options(name: str, label: str, values: Iterable[str]) -> str:
    e = html.escape
    opts = "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in sorted(set(values)))
    return f'<label>{label} <select name="{name}"><option value="">all</option>{opts}</select></label>'


def _filter(result: DocumentResult, names: dict[str, str]) -> str:
    # Hidden until the script runs: without JS a form that does nothing would only confuse.
    claims = result.claims
    return (
        '<form class="filter" hidden>'
        + _options("speaker", "speaker", (names.get(c.id) or NO_SPEAKER for c in claims))
        + _options("type", "type", (c.type for c in claims))
        + _options("category", "category", (cue_category(c) or FOLLOW_ON for c in claims))
        + '<label><input type="checkbox" name="figures"> with figures</label>'
        + '<label>confidence ≥ <input type="number" name="confidence" min="0" max="1" step="0.1" value="0" '
        'style="width: 4em"></label></form>'
    )


def render_claims_by_speaker(result: DocumentResult, doc_no: int = 1) -> str:
    """The side list: one group per resolved speaker, then claims without one."""
    e = html.escape
    numbers = {c.id: n for n, c in enumerate(result.claims, 1)}
    by_id = {c.id: c for c in result.claims}
    names = _speaker_names(result)
    parts = []
    grouped: set[str] = set()
    for summary in result.speakers:
        ids = [cid for cid in summary.claims if cid in by_id and cid not in grouped]
        if not ids:
            continue
        grouped.update(ids)
        flags = " · anonymous" if summary.anonymous else ""
        mentions = ", ".join(dict.fromkeys(m.text for m in summary.mentions))
        items = "".join(_claim_item(doc_no, numbers[cid], by_id[cid], summary.name) for cid in ids)
        parts.append(
            f'<div class="group"><h3>{e(summary.name)} <span class="kind">{e(summary.kind)}{flags} — '
            f"{len(ids)} claim(s); mentions: {e(mentions)}</span></h3><ol>{items}</ol></div>"
        )
    rest = [c for c in result.claims if c.id not in grouped]
    if rest:
        items = "".join(_claim_item(doc_no, numbers[c.id], c, names.get(c.id, "")) for c in rest)
        title = "Other speakers" if any(c.speaker is not None for c in rest) else "No speaker"
        parts.append(f'<div class="group"><h3>{title}</h3><ol>{items}</ol></div>')
    if not parts:
        return '<p class="empty">No claims found.</p>'
    return _filter(result, names) + "".join(parts)


def _figure_link(doc_no: int, figures: list[Figure], index: int | None) -> str:
    if index is None or not 0 <= index < len(figures):
        return ""
    return f'<a href="#{_figure_anchor(doc_no, index)}">{html.escape(figure_label(figures[index]))}</a>'


def render_figures(result: DocumentResult, doc_no: int = 1) -> str:
    """Every figure with its reading: value, unit, qualifier, what it measures, period, links between figures."""
    e = html.escape
    if not result.figures:
        return ""
    cited: dict[tuple[int, int], list[int]] = {}
    for n, claim in enumerate(result.claims, 1):
        for f in claim.figures:
            cited.setdefault((f.start, f.end), [])
            if n not in cited[(f.start, f.end)]:  # a claim may list the same figure twice
                cited[(f.start, f.end)].append(n)
    rows = []
    for i, f in enumerate(result.figures):
        anchor = _figure_anchor(doc_no, i)
        written = "(derived)" if f.derived else f'<a href="#t-{anchor}">{e(f.text)}</a>'
        claims = ", ".join(
            f'<a href="#d{doc_no}-{result.claims[n - 1].id}">{n}</a>' for n in cited.get((f.start, f.end), [])
        )
        change = f" ({f.change})" if f.change else ""
        cells = [
            written,
            e(figure_label(f)) + e(change),
            e(f.unit or ""),
            e(f.qualifier),
            e(f.measures or ""),
            e(f.period or ""),
            _figure_link(doc_no, result.figures, f.of),
            _figure_link(doc_no, result.figures, f.equivalent_of),
            claims,
        ]
        rows.append(f'<tr id="{anchor}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(
        f"<th>{h}</th>"
        for h in ("in text", "value", "unit", "qualifier", "measures", "period", "share of", "converts", "claims")
    )
    return (
        f'<details class="figures" open><summary>Figures ({len(result.figures)})</summary><div class="scroll">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></details>"
    )


def summary_line(claims: list[Claim]) -> str:
    """'5 claims — direct 2, indirect 3 · assert 3, warning 2 · anonymous 1 of 5 (20%)', plain text."""
    if not claims:
        return "no claims"
    types = ", ".join(f"{k} {v}" for k, v in Counter(c.type for c in claims).most_common())
    cats = ", ".join(f"{k or 'follow-on'} {v}" for k, v in Counter(cue_category(c) for c in claims).most_common())
    anonymous = sum(1 for c in claims if c.speaker is not None and c.speaker.anonymous)
    return (
        f"{len(claims)} claims — {types} · {cats} · anonymous {anonymous} of {len(claims)} "
        f"({100 * anonymous / len(claims):.0f}%)"
    )


def _legend() -> str:
    kinds = "".join(f'<span class="sw" style="background: {c}">{k.lower()}</span>' for k, c in COLORS.items())
    types = " · ".join(f"{k}: {v}" for k, v in TYPE_HELP.items())
    bands = "".join(f'<span class="sw conf-{name}">{name} ≥ {low:.1f}</span>' for low, name, _ in CONFIDENCE_BANDS)
    categories = ", ".join(get_args(CueCategory))
    return (
        '<dl class="legend"><dt>Highlights</dt><dd>' + kinds + ' <a class="ref" href="#legend">1</a> claim number '
        "(links to the list; ↩ text links back); a claim in focus is fully coloured</dd>"
        f"<dt>Type</dt><dd>{html.escape(types)}</dd>"
        f"<dt>Category</dt><dd>the cue's meaning: {categories}; follow-on continues a quotation</dd>"
        f"<dt>Confidence</dt><dd>{bands}</dd></dl>"
    )


def _focus_css(result: DocumentResult, doc_no: int) -> str:
    """Without JS, the claim that is the URL target (its list item or its marker) is fully coloured in the text."""
    rules = []
    for claim in result.claims:
        a = _claim_anchor(doc_no, claim)
        rules.append(f'main:has(#{a}:target, #t-{a}:target) .h[data-c~="{a}"]')
    return f"<style>{', '.join(rules)} {{ background: var(--hl); }}</style>" if rules else ""


def render_document(result: DocumentResult, doc_no: int = 1) -> str:
    """One document's section: heading, metadata, summary, highlighted article, side list, figures."""
    e = html.escape
    name = document_name(result)
    meta = " · ".join(e(v) for v in (result.site, result.author, result.published) if v)
    if result.text is None:
        article = '<p class="empty">The record has no article text (extract with --include-text).</p>'
    else:
        article = render_article(result, doc_no)
    heading = e(result.title) + f' <span class="meta">{e(name)}</span>' if result.title else e(name)
    return (
        f'<section class="document" id="doc-{doc_no}">{_focus_css(result, doc_no)}<h2>{heading}</h2>'
        f'<p class="meta">{meta + " · " if meta else ""}{len(result.claims)} claims · {len(result.figures)} figures · '
        f'{len(result.speakers)} speakers</p><p class="summary">{e(summary_line(result.claims))}</p>'
        f'<div class="columns"><div class="article">{article}</div>'
        f"<aside><h3>Claims by speaker</h3>{render_claims_by_speaker(result, doc_no)}</aside></div>"
        f"{render_figures(result, doc_no)}</section>"
    )


def render_speakers_across(docs: list[DocumentResult]) -> str:
    """Batch only: each speaker (by resolved name, case-folded) with the documents and claims they appear in."""
    e = html.escape
    seen: dict[str, dict] = {}
    for n, r in enumerate(docs, 1):
        for s in r.speakers:
            row = seen.setdefault(s.name.casefold(), {"name": s.name, "kind": s.kind, "docs": {}, "claims": 0})
            row["docs"][n] = row["docs"].get(n, 0) + len(s.claims)
            row["claims"] += len(s.claims)
    if not seen:
        return ""
    rows = sorted(seen.values(), key=lambda r: (-len(r["docs"]), -r["claims"], r["name"].casefold()))
    body = "".join(
        f"<tr><td>{e(r['name'])}</td><td>{e(r['kind'])}</td><td>{len(r['docs'])}</td><td>{r['claims']}</td><td>"
        + ", ".join(f'<a href="#doc-{n}">{n}</a> ({k})' for n, k in r["docs"].items())
        + "</td></tr>"
        for r in rows
    )
    # A long table would push the first article off a phone's screen: open only when short.
    opened = " open" if len(rows) <= 8 else ""
    return (
        f'<details class="speakers"{opened}><summary>Speakers across documents</summary><div class="scroll"><table>'
        "<thead><tr><th>speaker</th><th>kind</th><th>documents</th><th>claims</th><th>where (claims)</th></tr>"
        f"</thead><tbody>{body}</tbody></table></div></details>"
    )


def render_report(results: Iterable[DocumentResult]) -> str:
    """A complete HTML page for one or more documents; contents and speakers across documents when several."""
    e = html.escape
    docs = list(results)
    sections = "".join(render_document(r, n) for n, r in enumerate(docs, 1))
    toc = ""
    if len(docs) > 1:
        entries = "".join(
            f'<li><a href="#doc-{n}">{e(r.title or document_name(r))}</a> — {len(r.claims)} claims</li>'
            for n, r in enumerate(docs, 1)
        )
        toc = f'<nav class="toc"><h2>Contents</h2><ol>{entries}</ol>{render_speakers_across(docs)}</nav>'
    gen = docs[0].generator if docs else None
    generator = f"{gen.name} {gen.version} · model {gen.model} · rules {gen.rules}" if gen else ""
    title = "newsclaims report" + (f": {docs[0].title or document_name(docs[0])}" if len(docs) == 1 else "")
    total = summary_line([c for r in docs for c in r.claims])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        f'<header id="legend"><h1>{e(title)}</h1><p class="generator">{e(generator)} · {len(docs)} document(s)</p>'
        f'<p class="summary">{e(total)}</p>{_legend()}</header>'
        f"<main>{toc}{sections}</main><script>{JS}</script></body></html>\n"
    )


def write_report(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """Write the page; returns the number of documents."""
    docs = list(results)
    # Control characters are invalid in HTML and act on a terminal when the page goes to stdout; a file
    # name that is not UTF-8 carries lone surrogates (surrogateescape), which no encoder writes.
    fp.write(for_terminal(render_report(docs)))
    return len(docs)
