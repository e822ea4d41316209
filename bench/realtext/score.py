"""Score newsclaims figures on the real-text dev set (bench/realtext/figures_gold.jsonl).

Usage:  PYTHONPATH=src /work/main/.venv/bin/python bench/realtext/score.py [--shared ../shared]
            [--errors] [--no-ner] [--json]

Each sentence is extracted as a standalone text. A gold and a predicted figure *match* when
their kinds are equal and their character spans overlap (typed detection); pairs are made one
to one, largest overlap first. Reported:
- typed P/R/F1 overall and per kind, plus untyped (any kind) and exact-span counts;
- normalisation accuracy over matched figures: value, low and high equal within 1e-6 relative
  and the unit equal; qualifier accuracy over matched figures;
- false positives on the 60 negative sentences (no figure-like token at all) and on the
  candidate sentences that have no gold figure (their digits are years, ages, names...);
- misses by form (spelled counts, points, glued scales, compounds...), classified from the gold
  span and its context by ``form_of``; the same classes as bench/FIGURES.md;
- spaCy NER alone (MONEY/PERCENT/CARDINAL/QUANTITY entities of the model newsclaims reports
  using), detection only, as a reference line.
``--errors`` lists every miss, false positive and wrong normalisation with the sentence text
(on the terminal only: the texts must not be committed).

Only the public API is used (``newsclaims.pipeline.extract_articles`` with
``newsclaims.inputs.Article``, falling back to ``newsclaims.extract``) and figures are read by
attribute name, so the script survives refactoring of the package's internals.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build import Sentence, load_sentences
from common import DEFAULT_SHARED

KINDS = ("money", "percent", "number", "quantity")
NER_KIND = {"MONEY": "money", "PERCENT": "percent", "CARDINAL": "number", "QUANTITY": "quantity"}


@dataclass
class Pred:
    """A predicted figure, reduced to what is scored."""

    start: int
    end: int
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str = "="


def _pred(f: Any) -> Pred:
    return Pred(f.start, f.end, f.kind, getattr(f, "value", None), getattr(f, "low", None),
                getattr(f, "high", None), getattr(f, "unit", None), getattr(f, "qualifier", "=") or "=")


def _derived(f: Any) -> bool:
    # Derived amounts (e.g. 70% of $900m) are computed, not written in the text: never scored.
    # Both spellings are accepted so a rename of the marker does not silently score them.
    return bool(getattr(f, "derived", False) or getattr(f, "derived_from", None))


def newsclaims_figures(texts: list[str]) -> tuple[list[list[Pred]], str | None]:
    """Figures newsclaims finds in each text, and the spaCy model label it reports."""
    try:
        from newsclaims.inputs import Article
        from newsclaims.pipeline import extract_articles

        results: Iterable[Any] = extract_articles([Article(text=t) for t in texts])
    except ImportError:
        import newsclaims

        results = (newsclaims.extract(t) for t in texts)
    out: list[list[Pred]] = []
    model: str | None = None
    for res in results:
        model = model or getattr(getattr(res, "generator", None), "model", None)
        out.append([_pred(f) for f in res.figures if not _derived(f)])
    return out, model


def ner_figures(texts: list[str], model_label: str | None) -> list[list[Pred]]:
    """spaCy NER alone: number-like entities of the same model, mapped to figure kinds."""
    import spacy

    # The generator label is "<package>-<version>"; the package name is what spacy.load takes.
    name = model_label.rsplit("-", 1)[0] if model_label else "en_core_web_sm"
    nlp = spacy.load(name)
    return [[Pred(e.start_char, e.end_char, NER_KIND[e.label_]) for e in doc.ents if e.label_ in NER_KIND]
            for doc in nlp.pipe(texts)]


def _overlap(a: Any, b: Any) -> int:
    return max(0, min(a["end"] if isinstance(a, dict) else a.end, b.end) - max(
        a["start"] if isinstance(a, dict) else a.start, b.start))


def pair(gold: list[dict[str, Any]], pred: list[Pred], typed: bool = True) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs with overlapping spans, largest overlap first."""
    cands = sorted(
        ((_overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if _overlap(g, p) > 0 and (not typed or g["kind"] == p.kind)),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def normalised(g: dict[str, Any], p: Pred) -> bool:
    return all(_same(getattr(p, k), g[k]) for k in ("value", "low", "high")) and p.unit == g["unit"]


_SCALE_GLUED = re.compile(r"\d(?:million|billion|trillion|bn|mn|m|k)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def form_of(g: dict[str, Any], text: str) -> str:
    """The surface form class of a gold figure, for the miss breakdown (checked in this order)."""
    span = g["text"]
    after = text[g["end"] :].lstrip()
    if g["unit"] in ("percentage_point", "point") and "-point" in span.replace("percentage-point", "-point"):
        return "N-point compound ('a 16-point victory')"
    if g["unit"] in ("percentage_point", "point") and "percentage point" not in span:
        return "points (poll/rate/sport)"
    if _SCALE_GLUED.search(span):
        return "glued scale ('$112million')"
    if g["kind"] == "quantity" and re.search(r"[\"”’']", span):
        return "inch/foot marks (22\", 5'2\")"
    if re.search(r"[\u00bc-\u00be\u2150-\u215e]", span):
        return "fraction glyph ('½ cup')"
    if g["kind"] == "quantity" and re.search(r"\w-[a-z]", span):
        return "hyphenated unit compound ('a 45-degree tilt')"
    if g["kind"] == "quantity" and re.search(r"\d[a-z]", span, re.IGNORECASE):
        return "glued unit ('60fps')"
    if g["kind"] == "quantity" and g["unit"] in ("cup", "teaspoon", "tablespoon", "ounce"):
        return "kitchen unit ('1 tsp')"
    if g["kind"] == "quantity":
        return "quantity, other unit"
    if g["kind"] == "percent" and not _DIGIT.search(span) and "percent" not in span.lower():
        return "fraction ('a third', 'half')"
    if g["kind"] == "number" and text[g["end"] : g["end"] + 1] == "-":
        return "counting compound ('a 99-county', 'ten-part')"
    if g["kind"] == "number" and re.match(r"times\b", after):
        return "multiplier ('54 times')"
    if g["kind"] == "number" and not _DIGIT.search(span):
        if "dozen" in span.lower():
            return "spelled count: dozen"
        if " " in span or "-" in span:
            return "spelled count: with qualifier ('at least four')"
        if re.match(r"of\b", after):
            return "spelled count: 'N of the <plural>'"
        return "spelled count: before its noun ('five employees')"
    if g["low"] is not None:
        return "range"
    return "other"


def score(sentences: list[Sentence], preds: list[list[Pred]], *, normalise: bool = True) -> dict[str, Any]:
    """Counts and ratios for one system over the dev set."""
    tp: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    untyped = exact = norm_ok = qual_ok = 0
    neg_fp = neg_fp_sents = nogold_fp = nogold_fp_sents = nogold_sents = 0
    forms: Counter[str] = Counter()
    wrong_kind: Counter[str] = Counter()
    errors: list[str] = []
    for s, pred in zip(sentences, preds, strict=True):
        gold = s.figures
        for g in gold:
            gold_n[g["kind"]] += 1
        for p in pred:
            pred_n[p.kind] += 1
        if not gold:
            if s.negative:
                neg_fp += len(pred)
                neg_fp_sents += bool(pred)
            else:
                nogold_sents += 1
                nogold_fp += len(pred)
                nogold_fp_sents += bool(pred)
        pairs = pair(gold, pred)
        any_pairs = dict(pair(gold, pred, typed=False))
        untyped += len(any_pairs)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            tp[g["kind"]] += 1
            exact += (g["start"], g["end"]) == (p.start, p.end)
            ok_n, ok_q = normalised(g, p), p.qualifier == g["qualifier"]
            norm_ok += ok_n
            qual_ok += ok_q
            if normalise and not (ok_n and ok_q):
                errors.append(f"NORM  [{s.source} {s.doc}] {g['text']!r}: got value={p.value} low={p.low} "
                              f"high={p.high} unit={p.unit} q={p.qualifier}; want value={g['value']} "
                              f"low={g['low']} high={g['high']} unit={g['unit']} q={g['qualifier']}")
        for gi, g in enumerate(gold):
            if gi in matched_g:
                continue
            pi = any_pairs.get(gi)
            if pi is not None:
                other = pred[pi]
                wrong_kind[f"{g['kind']} read as {other.kind}"] += 1
            forms[form_of(g, s.text)] += 1
            got = f"; got {s.text[other.start:other.end]!r} as {other.kind}" if pi is not None else ""
            errors.append(f"MISS  [{s.source} {s.doc}] {g['text']!r} ({g['kind']}, {form_of(g, s.text)}){got}"
                          f"\n      in: {s.text}")
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                tag = "NEG-FP" if s.negative else "FP"
                errors.append(f"{tag:<5} [{s.source} {s.doc}] {s.text[p.start:p.end]!r} as {p.kind} "
                              f"(value={p.value} unit={p.unit})\n      in: {s.text}")
    matched = sum(tp.values())
    return {
        "per_kind": {k: _prf(tp[k], pred_n[k], gold_n[k]) for k in KINDS},
        "all": _prf(matched, sum(pred_n.values()), sum(gold_n.values())),
        "untyped": _prf(untyped, sum(pred_n.values()), sum(gold_n.values())),
        "exact_span": exact,
        "matched": matched,
        "normalisation": norm_ok / matched if matched else 0.0,
        "qualifier": qual_ok / matched if matched else 0.0,
        "negatives": {"sentences": sum(s.negative for s in sentences), "fp": neg_fp, "fp_sentences": neg_fp_sents},
        "no_gold_candidates": {"sentences": nogold_sents, "fp": nogold_fp, "fp_sentences": nogold_fp_sents},
        "misses_by_form": dict(forms.most_common()),
        "misses_with_wrong_kind": dict(wrong_kind.most_common()),
        "errors": errors,
    }


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float | int]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": npred, "gold": ngold, "p": p, "r": r, "f1": f}


def _line(name: str, m: dict[str, float | int]) -> str:
    return (f"{name:<10} gold {m['gold']:>3}  pred {m['pred']:>3}  tp {m['tp']:>3}  "
            f"P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}")


def report(name: str, res: dict[str, Any], *, full: bool) -> Iterator[str]:
    yield f"== {name}"
    yield _line("typed", res["all"])
    if full:
        for k in KINDS:
            yield "  " + _line(k, res["per_kind"][k])
    yield _line("untyped", res["untyped"])
    if not full:
        return
    yield f"exact spans among {res['matched']} matched: {res['exact_span']}"
    yield f"normalisation accuracy (value/low/high/unit), {res['matched']} matched: {res['normalisation']:.3f}"
    yield f"qualifier accuracy, {res['matched']} matched: {res['qualifier']:.3f}"
    neg, ng = res["negatives"], res["no_gold_candidates"]
    yield f"false positives on {neg['sentences']} negatives: {neg['fp']} in {neg['fp_sentences']} sentences"
    yield (f"false positives on {ng['sentences']} candidate sentences with no gold: {ng['fp']} in "
           f"{ng['fp_sentences']} sentences")
    yield "misses by form: " + ", ".join(f"{k} {v}" for k, v in res["misses_by_form"].items())
    if res["misses_with_wrong_kind"]:
        yield "  of which found with the wrong kind: " + ", ".join(
            f"{k} {v}" for k, v in res["misses_with_wrong_kind"].items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding polnear/ and html-news/")
    ap.add_argument("--errors", action="store_true", help="list every miss, false positive and wrong normalisation")
    ap.add_argument("--no-ner", action="store_true", help="skip the spaCy NER reference line")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON (errors excluded)")
    args = ap.parse_args()
    sentences = load_sentences(args.shared)
    texts = [s.text for s in sentences]
    preds, model = newsclaims_figures(texts)
    res = score(sentences, preds)
    ner = None if args.no_ner else score(sentences, ner_figures(texts, model), normalise=False)
    if args.json:
        out = {"model": model, "newsclaims": res, "spacy_ner": ner}
        for r in (res, ner):
            if r:
                r.pop("errors")
        print(json.dumps(out, indent=1))
        return
    gold = sum(len(s.figures) for s in sentences)
    print(f"{len(sentences)} sentences, {gold} gold figures; model {model}")
    print("\n".join(report("newsclaims", res, full=True)))
    for source in sorted({s.source for s in sentences}):
        keep = [i for i, s in enumerate(sentences) if s.source == source]
        sub = score([sentences[i] for i in keep], [preds[i] for i in keep], normalise=False)
        print(f"{source}: " + _line("typed", sub["all"]))
    if ner:
        print("\n".join(report("spaCy NER alone (detection only)", ner, full=False)))
    if args.errors:
        print("\n".join(res["errors"]))


if __name__ == "__main__":
    main()
