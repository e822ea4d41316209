"""Figures of a Doc as ``Figure`` models: the figures group's spans and records, normalised and linked.

Only reads what the ``newsclaims_figures`` component wrote (``spans.FigureRecord``): no rules and
no scan here. What needs the whole document is added here: what each figure measures, its
period, and the links between neighbouring figures (``figures.relations``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsclaims.doctext import doc_text
from newsclaims.errors import ModelError
from newsclaims.figures.context import dated_clauses, measures_of, period_of
from newsclaims.figures.relations import figures_in_span, link_neighbours
from newsclaims.models import Figure
from newsclaims.spans import FIGURES, records

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["extract_figures", "figures_from_doc", "figures_in_span"]


def figures_from_doc(doc: Doc, spans_key: str = FIGURES) -> list[Figure]:
    """Every figure of ``doc`` in text order, normalised and linked.

    Offsets are characters into ``doc.text``; ``of`` and ``equivalent_of`` are indices into the
    returned list. Derived figures are not in this list (see ``figures_in_span``). A Doc without
    the figures group raises ``ModelError``.
    """
    if spans_key not in doc.spans:
        raise ModelError(
            f"this Doc has no '{spans_key}' span group: parse it with a pipeline from newsclaims.pipeline.build_nlp"
            " (or run newsclaims.figures.scan_doc on it)"
        )
    group = doc.spans[spans_key]
    found = records(group)
    if len(found) != len(group):
        raise ModelError(f"the '{spans_key}' span group has {len(group)} spans but {len(found)} figure records")
    pairs = sorted(zip(group, found, strict=True), key=lambda pair: pair[0].start)
    spans = [span for span, _ in pairs]
    inside = {i for s in spans for i in range(s.start, s.end)}
    dates = dated_clauses(doc, inside) if spans else []
    # span.text re-joins the span's tokens; the Doc's text (joined once per Doc) sliced is the same string.
    text = doc_text(doc)
    figures = [
        Figure(
            text=text[span.start_char : span.end_char][: r["end"] - r["start"]], start=r["start"], end=r["end"],
            kind=r["kind"],
            value=r["value"], low=r["low"], high=r["high"], unit=r["unit"], qualifier=r["qualifier"],
            change=r["change"], measures=measures_of(span, inside, r["change"] is not None),
            period=period_of(span, dates),
        )
        for span, r in pairs
    ]
    return link_neighbours(figures, spans)


def extract_figures(text: str, nlp: Language) -> list[Figure]:
    """Run ``nlp`` (which must contain ``newsclaims_figures``) on ``text`` and return its figures."""
    return figures_from_doc(nlp(text))
