"""Figures of a parsed Doc as ``Figure`` models: values, links between figures, derived amounts.

``figures_from_doc`` reads the spans and readings left by the ``newsclaims_figures`` component
and adds what needs the whole document: what each figure measures, its time reference, which
amount a share is "of" ("70% of the $900m"), and which figure a parenthesised conversion
restates ("$900m (£723m)"). ``figures_in_span`` picks a claim's figures and adds the amounts
an analyst would compute from them (``derived=True``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsclaims.figures_link import dated_clauses, measures_of, period_of
from newsclaims.models import Figure

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsclaims.figures_parse import FigureLexicon

FIGURES_KEY = "newsclaims_figures"

# Between a share and its base: "70% of the $900m", "half of its £2bn".
_SHARE_GAP = re.compile(r"\s+of\s+(?:(?:the|a|an|its|their|his|her|our|this|that|these|those)\s+)?\Z", re.I)
# Between an amount and its conversion: "$900m (£723m)", "1,000 miles, or 1,600km,".
_EQUIVALENT_GAP = re.compile(r"\s*(?:\(|,?\s+or\s+|/\s*)\Z")
_SCALABLE = ("money", "number", "quantity")
# Both gaps above are at most a few tokens ("of the", ", or"); spaCy adds one for extra white space.
_MAX_GAP_TOKENS = 8


@lru_cache(maxsize=1)
def _default_lexicon() -> FigureLexicon:
    from newsclaims.figures_parse import FigureLexicon
    from newsclaims.rules import load_ruleset

    return FigureLexicon(load_ruleset().figures)


def _readings(doc: Doc, spans_key: str) -> dict[str, list[Any]]:
    """The component's readings by "start:end"; a Doc without them is scanned with the built-in rules."""
    data = doc.user_data.get(spans_key)
    if data is not None:
        return data
    from newsclaims.figures_scan import scan_figures

    return {f"{r.start}:{r.token_end}": r.data() for r in scan_figures(doc, _default_lexicon())}


def figures_from_doc(doc: Doc, spans_key: str = FIGURES_KEY) -> list[Figure]:
    """Every figure of ``doc`` in text order, normalised and linked.

    Offsets are characters into ``doc.text``; ``of`` and ``equivalent_of`` are indices into
    the returned list. A Doc never run through ``newsclaims_figures`` is scanned with the
    built-in rules. Derived figures are not in this list (see ``figures_in_span``).
    """
    readings = _readings(doc, spans_key)
    if spans_key in doc.spans:
        spans = sorted(doc.spans[spans_key], key=lambda s: s.start)
    else:
        spans = [s for k in readings if (s := doc.char_span(*map(int, k.split(":")))) is not None]
        for span, key in zip(spans, readings, strict=False):
            span.label_ = _kind_of(readings[key])
    inside = {i for s in spans for i in range(s.start, s.end)}
    dates = dated_clauses(doc, inside) if spans else []
    figures: list[Figure] = []
    for span in spans:
        reading = readings.get(f"{span.start_char}:{span.end_char}")
        if reading is None:  # a span someone else added to the group: keep it, unnormalised
            reading = [span.start_char, span.end_char, None, None, None, None, "=", None]
        start, end, value, low, high, unit, qualifier, change = reading
        figures.append(
            Figure(
                text=span.text[: end - start], start=start, end=end, kind=span.label_,
                value=value, low=low, high=high, unit=unit, qualifier=qualifier, change=change,
                measures=measures_of(span, inside, change is not None),
                period=period_of(span, dates),
            )
        )
    for i in range(1, len(figures)):
        prev, cur = figures[i - 1], figures[i]
        share = prev.kind == "percent" and prev.unit == "percent" and cur.kind in _SCALABLE
        equivalent = cur.kind == prev.kind and cur.kind in ("money", "quantity") and cur.unit != prev.unit
        if not (share or equivalent) or spans[i].start - spans[i - 1].end > _MAX_GAP_TOKENS:
            continue
        # doc.text joins every token: build only the gap between two neighbouring figures
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


def _kind_of(reading: list[Any]) -> str:
    unit = reading[5]
    if unit is None:
        return "number"
    if unit in ("percent", "percentage_point"):
        return "percent"
    return "money" if re.fullmatch(r"[A-Z]{3}", unit) else "quantity"


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
    return float(f"{share / 100.0 * base:.12g}")


def derived_figures(figures: list[Figure]) -> list[Figure]:
    """Amounts computed from shares of amounts ("more than 70% of $900m" -> more than $630m).

    A derived figure has the base's kind and unit, ``derived=True`` and ``of`` set to the
    base's index; its text and offsets are the share's own ("more than 70%"), the words that
    state it.
    """
    return [d for share in figures if (d := _derived(share, figures)) is not None]


def _derived(share: Figure, figures: list[Figure]) -> Figure | None:
    """The amount ``share`` states of its base figure, or None when it is no share of an amount."""
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


def figures_in_span(figures: list[Figure], start: int, end: int) -> list[Figure]:
    """The figures lying inside characters [start, end) plus the amounts derived from them.

    ``figures`` is the document's list from ``figures_from_doc``; indices in ``of`` and
    ``equivalent_of`` keep referring to it. Each derived figure follows its share figure.
    """
    out: list[Figure] = []
    for f in figures:  # called once per claim: derive only for the figures inside
        if start <= f.start and f.end <= end:
            out.append(f)
            if not f.derived and (d := _derived(f, figures)) is not None:
                out.append(d)
    return out


def extract_figures(text: str, nlp: Language) -> list[Figure]:
    """Run ``nlp`` (which must contain ``newsclaims_figures``) on ``text`` and return its figures."""
    return figures_from_doc(nlp(text))
