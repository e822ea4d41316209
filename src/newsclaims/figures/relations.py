"""Links between the figures of one document, and the amounts computed from them.

``link_neighbours`` says which amount a share is "of" ("70% of the $900m") and which figure a
parenthesised conversion restates ("$900m (£723m)"); ``figures_in_span`` picks a claim's figures
and adds the amounts an analyst would compute from them (``derived=True``). Pure functions over
``Figure`` models and the figures' spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsclaims.models import Figure

if TYPE_CHECKING:
    from spacy.tokens import Span

# Between a share and its base: "70% of the $900m", "half of its £2bn".
_SHARE_GAP = re.compile(r"\s+of\s+(?:(?:the|a|an|its|their|his|her|our|this|that|these|those)\s+)?\Z", re.I)
# Between an amount and its conversion: "$900m (£723m)", "1,000 miles, or 1,600km,".
_EQUIVALENT_GAP = re.compile(r"\s*(?:\(|,?\s+or\s+|/\s*)\Z")
_SCALABLE = ("money", "number", "quantity")
# Both gaps above are at most a few tokens ("of the", ", or"); spaCy adds one for extra white space.
_MAX_GAP_TOKENS = 8


def link_neighbours(figures: list[Figure], spans: Sequence[Span]) -> list[Figure]:
    """``figures`` with ``of`` and ``equivalent_of`` set between neighbours, and ``measures`` shared along them.

    ``spans[i]`` is the span of ``figures[i]``, both in text order; links are indices into ``figures``.
    """
    figures = list(figures)
    for i in range(1, len(figures)):
        prev, cur = figures[i - 1], figures[i]
        share = prev.kind == "percent" and prev.unit == "percent" and cur.kind in _SCALABLE
        equivalent = cur.kind == prev.kind and cur.kind in ("money", "quantity") and cur.unit != prev.unit
        if not (share or equivalent) or spans[i].start - spans[i - 1].end > _MAX_GAP_TOKENS:
            continue
        # doc.text joins every token: build only the gap between two neighbouring figures
        doc = spans[i].doc
        gap = doc[spans[i - 1].end - 1].whitespace_ + doc[spans[i - 1].end : spans[i].start].text_with_ws
        if share and _SHARE_GAP.match(gap):
            figures[i - 1] = prev.model_copy(update={"of": i, "measures": cur.measures or prev.measures})
        elif equivalent and _EQUIVALENT_GAP.match(gap):
            j = prev.equivalent_of if prev.equivalent_of is not None else i - 1
            figures[i] = cur.model_copy(update={"equivalent_of": j, "measures": cur.measures or prev.measures})
    # A share's base figure may have learnt what it measures only through its conversion.
    for i, f in enumerate(figures):
        if f.of is not None and f.measures is None and figures[f.of].measures:
            figures[i] = f.model_copy(update={"measures": figures[f.of].measures})
    return figures


def _combine(q1: str, q2: str) -> str:
    """Qualifier of a share of an amount: "more than 70%" of "$900m" is "more than"."""
    if q1 == "=" or q1 == q2:
        return q2
    if q2 == "=":
        return q1
    return "~"


def _or(a: float | None, b: float | None) -> float | None:
    return a if a is not None else b


def _scale(share: float | None, base: float | None) -> float | None:
    if share is None or base is None:
        return None
    return float(f"{share / 100.0 * base:.15g}")


def derived_amount(share: Figure, figures: list[Figure]) -> Figure | None:
    """The amount ``share`` states of its base figure ("more than 70% of $900m" -> more than $630m).

    None when ``share`` is no share of an amount. The result has the base's kind and unit,
    ``derived=True`` and ``of`` set to the base's index; its text and offsets are the share's
    own ("more than 70%"), the words that state it.
    """
    if share.of is None or share.kind != "percent" or share.unit != "percent":
        return None
    base = figures[share.of]
    if base.value is None and base.low is None:
        return None
    if share.value is not None and base.value is not None:
        value, low, high = _scale(share.value, base.value), None, None
    else:
        value = None
        low = _scale(_or(share.low, share.value), _or(base.low, base.value))
        high = _scale(_or(share.high, share.value), _or(base.high, base.value))
    return Figure(
        text=share.text, start=share.start, end=share.end, kind=base.kind, value=value, low=low,
        high=high, unit=base.unit, qualifier=_combine(share.qualifier, base.qualifier),
        measures=base.measures or share.measures, period=share.period or base.period,
        of=share.of, derived=True,
    )


def figures_in_span(
    figures: list[Figure], start: int, end: int, starts: Sequence[int] | None = None
) -> list[Figure]:
    """The figures lying inside characters [start, end) plus the amounts derived from them.

    ``figures`` is the document's list from ``figures_from_doc``; indices in ``of`` and
    ``equivalent_of`` keep referring to it. Each derived figure follows its share figure.
    ``starts``: the figures' start offsets when they never decrease (text order), so only the
    figures starting inside the span are looked at; assembly calls this once per claim, and a
    scan of every figure per claim made long articles quadratic.
    """
    out: list[Figure] = []
    window = figures if starts is None else figures[bisect_left(starts, start) : bisect_right(starts, end)]
    for f in window:  # called once per claim: derive only for the figures inside
        if start <= f.start and f.end <= end:
            out.append(f)
            if not f.derived and (d := derived_amount(f, figures)) is not None:
                out.append(d)
    return out
