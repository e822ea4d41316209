"""Scoring extracted claims against PolNeAR-style gold attributions (``newsclaims eval``).

Definitions (also in the README and ``newsclaims eval --help``):

- Every span (a list of character ranges) is reduced to the set of word tokens it
  touches; a leading "that" is ignored, and punctuation (quote marks) never counts.
- Gold and predicted attributions are paired one-to-one, greedily by largest
  content-token overlap.
- Content: partial credit is overlap/|predicted| for precision and overlap/|gold| for
  recall, summed over pairs and divided by all predictions / all gold; exact needs
  equal token sets; hit needs any overlap.
- Source and cue are judged on paired attributions only: precision over paired
  predictions that have the role, recall over paired gold that has it, with the same
  partial / exact / hit credit.
- A whole attribution counts when content, cue and (where gold has one) source overlap;
  its precision is over all predictions and its recall over all gold.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newsclaims.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console
    from spacy.language import Language

Ranges = list[tuple[int, int]]
ROLES = ("content", "source", "cue")
LEVELS = ("partial", "exact", "hit")
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
_WORD = re.compile(r"\w+(?:['’]\w+)*")
PRONOUNS = {"he", "she", "they", "it", "we", "him", "her", "them"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my"}


@dataclass
class Attribution:
    """One attribution as character ranges per role (a role may be empty)."""

    content: Ranges
    cue: Ranges = field(default_factory=list)
    source: Ranges = field(default_factory=list)
    confidence: float = 1.0
    resolved: Ranges = field(default_factory=list)


@dataclass
class GoldArticle:
    """An article of a gold file with its attributions."""

    id: str
    text: str
    title: str | None
    attributions: list[Attribution]


def _ranges(value: object, where: str) -> Ranges:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(type(x) is int for x in p) and 0 <= p[0] <= p[1] for p in value
    ):
        raise InputError(f"{where}: expected a list of (start, end) pairs (whole numbers, 0 <= start <= end)")
    return [(a, b) for a, b in value]


def _attribution(obj: object, where: str) -> Attribution:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected an object with content, cue and source ranges")
    confidence = obj.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise InputError(f"{where}: confidence must be a number")
    return Attribution(
        content=_ranges(obj.get("content", []), f"{where}: content"),
        cue=_ranges(obj.get("cue", []), f"{where}: cue"),
        source=_ranges(obj.get("source", []), f"{where}: source"),
        confidence=float(confidence),
    )


def _attributions(obj: dict, where: str) -> list[Attribution]:
    atts = obj.get("attributions")
    if not isinstance(atts, list):
        raise InputError(f"{where}: 'attributions' must be a list")
    return [_attribution(a, f"{where}: attribution {i}") for i, a in enumerate(atts)]


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a JSONL file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{n}: not valid JSON ({e.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path}:{n}: expected one JSON object per line")
        yield n, obj


def load_gold(path: Path) -> list[GoldArticle]:
    """Articles of a PolNeAR-format JSONL file (id, text, attributions)."""
    articles = []
    for n, obj in _json_lines(path):
        where = f"{path}:{n}"
        if not isinstance(obj.get("text"), str) or not isinstance(obj.get("attributions"), list):
            raise InputError(f"{where}: a gold line needs 'text' and 'attributions'")
        atts = _attributions(obj, where)
        articles.append(GoldArticle(str(obj.get("id", n)), obj["text"], obj.get("title"), atts))
    if not articles:
        raise InputError(f"{path}: no articles")
    return articles


def load_predictions(path: Path, gold: list[GoldArticle]) -> list[list[Attribution]]:
    """Predictions aligned to gold: PolNeAR-format lines matched by id, or newsclaims records by text hash.

    Which kind a file holds is read from its first line; newsclaims records are read by the one
    reader of our own files (``output.records.read_records``), so they are checked as records.
    """
    from newsclaims.inputs import Article
    from newsclaims.output.records import read_records

    lines = _json_lines(path)
    first = next(lines, None)
    by_key: dict[str, list[Attribution]] = {}
    if first is not None and "claims" in first[1]:
        for record in read_records(path, tolerant=False):
            by_key[record.source.sha256] = [_from_claim(c.model_dump()) for c in record.claims]
    else:
        for n, obj in itertools.chain([first] if first else [], lines):
            where = f"{path}:{n}"
            if "attributions" not in obj:
                raise InputError(f"{where}: expected a newsclaims record ('claims') or a PolNeAR line ('attributions')")
            by_key[str(obj.get("id"))] = _attributions(obj, where)
    return [by_key.get(art.id, by_key.get(Article(text=art.text).sha256, [])) for art in gold]


def _from_claim(claim: dict) -> Attribution:
    content, cue, speaker = claim["content"], claim.get("cue"), claim.get("speaker")
    # Schema 2 gives a split quotation as parts without its frame ("she said"), as gold pieces are.
    parts = content.get("parts") or [content]
    return Attribution(
        content=[(p["start"], p["end"]) for p in parts],
        cue=[(cue["start"], cue["end"])] if cue else [],
        source=[(speaker["start"], speaker["end"])] if speaker else [],
        confidence=float(claim.get("confidence", 1.0)),
        resolved=[(speaker["resolved"]["start"], speaker["resolved"]["end"])]
        if speaker and speaker.get("resolved")
        else [],
    )


class Tokens:
    """Word tokens of one text, for turning character ranges into token sets."""

    def __init__(self, text: str) -> None:
        self.spans = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _, _ in self.spans]

    def of(self, ranges: Ranges) -> frozenset[int]:
        """Indices of word tokens overlapping the ranges, without a leading "that"."""
        from bisect import bisect_right

        found: set[int] = set()
        for start, end in ranges:
            i = max(bisect_right(self.starts, start) - 1, 0)
            while i < len(self.spans) and self.spans[i][0] < end:
                if self.spans[i][1] > start:
                    found.add(i)
                i += 1
        if found and self.spans[min(found)][2] == "that":
            found.discard(min(found))
        return frozenset(found)


def pair(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs, greedily by largest content overlap."""
    candidates = sorted(
        ((len(g & p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if g & p),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


@dataclass
class Tally:
    """Summed credit and denominators for one role at every level."""

    p_credit: dict[str, float] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0.0))
    r_credit: dict[str, float] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0.0))
    n_pred: int = 0
    n_gold: int = 0

    def add(self, g: frozenset[int], p: frozenset[int]) -> None:
        overlap = len(g & p)
        if p:
            self.p_credit["partial"] += overlap / len(p)
        if g:
            self.r_credit["partial"] += overlap / len(g)
        for level, ok in (("exact", g == p and bool(g)), ("hit", overlap > 0)):
            if ok:
                self.p_credit[level] += bool(p)
                self.r_credit[level] += bool(g)

    def scores(self) -> dict[str, dict[str, float]]:
        out = {}
        for level in LEVELS:
            p = self.p_credit[level] / self.n_pred if self.n_pred else 0.0
            r = self.r_credit[level] / self.n_gold if self.n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[level] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        return out


@dataclass
class Scorer:
    """Accumulates scores over articles."""

    roles: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROLES})
    whole: int = 0
    counts: Counter = field(default_factory=Counter)
    by_cue: dict[str, Counter] = field(default_factory=dict)
    resolution: Counter = field(default_factory=Counter)

    def add(self, text: str, gold: list[Attribution], pred: list[Attribution]) -> None:
        toks = Tokens(text)
        g_sets = [{r: toks.of(getattr(a, r)) for r in ROLES} for a in gold]
        p_sets = [{r: toks.of(getattr(a, r)) for r in ROLES} for a in pred]
        pairs = pair([g["content"] for g in g_sets], [p["content"] for p in p_sets])
        self.counts.update(gold=len(gold), predicted=len(pred), paired=len(pairs))
        content = self.roles["content"]
        content.n_gold += len(gold)
        content.n_pred += len(pred)
        paired_gold = {}
        for gi, pi in pairs:
            g, p = g_sets[gi], p_sets[pi]
            content.add(g["content"], p["content"])
            for role in ("source", "cue"):
                tally = self.roles[role]
                tally.n_gold += bool(g[role])
                tally.n_pred += bool(p[role])
                if g[role] and p[role]:
                    tally.add(g[role], p[role])
            ok = bool(g["cue"] & p["cue"]) and (not g["source"] or bool(g["source"] & p["source"]))
            self.whole += ok
            paired_gold[gi] = (g, p)
        self._resolution(text, gold, pred, pairs)
        for gi, (att, g) in enumerate(zip(gold, g_sets, strict=True)):
            word = " ".join(text[a:b] for a, b in att.cue).lower().strip() or "(none)"
            c = self.by_cue.setdefault(word, Counter())
            c["gold"] += 1
            if gi in paired_gold:
                _, pp = paired_gold[gi]
                c["paired"] += 1
                c["content_recall"] += len(g["content"] & pp["content"]) / max(len(g["content"]), 1)
                c["source_hit"] += bool(g["source"] and g["source"] & pp["source"])
            c["has_source"] += bool(g["source"])

    def _resolution(self, text: str, gold: list[Attribution], pred: list[Attribution], pairs: list) -> None:
        """Pronoun and "the official" sources: is the resolved mention the previous named gold source?"""
        named_before: set[str] | None = None
        paired = dict(pairs)
        for gi, att in enumerate(gold):
            words = _words(text, att.source)
            if not words:
                continue
            kind = _mention_kind(text, att.source)
            if kind == "named":
                named_before = set(words) - DETERMINERS
                continue
            if named_before is None or gi not in paired:
                continue
            p = pred[paired[gi]]
            if not (set(_words(text, p.source)) & set(words)):
                continue
            self.resolution[f"{kind}"] += 1
            if p.resolved:
                self.resolution[f"{kind}_resolved"] += 1
                if set(_words(text, p.resolved)) & named_before:
                    self.resolution[f"{kind}_correct"] += 1

    def report(self) -> dict:
        n_pred, n_gold = self.counts["predicted"], self.counts["gold"]
        wp = self.whole / n_pred if n_pred else 0.0
        wr = self.whole / n_gold if n_gold else 0.0
        return {
            **{role: self.roles[role].scores() for role in ROLES},
            "attribution": {
                "precision": round(wp, 4),
                "recall": round(wr, 4),
                "f1": round(2 * wp * wr / (wp + wr), 4) if wp + wr else 0.0,
            },
            "resolution": {
                kind: {
                    "sources": self.resolution[kind],
                    "resolved": self.resolution[f"{kind}_resolved"],
                    "correct": self.resolution[f"{kind}_correct"],
                    "accuracy": round(self.resolution[f"{kind}_correct"] / self.resolution[kind], 4)
                    if self.resolution[kind]
                    else None,
                }
                for kind in ("pronoun", "description")
            },
            "counts": {
                "articles": self.counts["articles"],
                "gold": n_gold,
                "predicted": n_pred,
                "paired": self.counts["paired"],
                "whole": self.whole,
                "gold_with_source": self.roles["source"].n_gold,
                "predicted_with_source": self.roles["source"].n_pred,
            },
        }

    def per_cue(self, min_count: int = 1) -> list[dict]:
        """Recall by gold cue word, most frequent first."""
        rows = []
        for word, c in sorted(self.by_cue.items(), key=lambda kv: (-kv[1]["gold"], kv[0])):
            if c["gold"] < min_count:
                continue
            rows.append(
                {
                    "cue": word,
                    "gold": c["gold"],
                    "found": c["paired"],
                    "content_recall": round(c["content_recall"] / c["gold"], 4),
                    "source_hit": round(c["source_hit"] / c["has_source"], 4) if c["has_source"] else None,
                }
            )
        return rows


def _words(text: str, ranges: Ranges) -> list[str]:
    return [m.group().lower() for a, b in ranges for m in _WORD.finditer(text[a:b])]


def _mention_kind(text: str, ranges: Ranges) -> str:
    """'pronoun' ("he"), 'description' ("the official"), 'named' (a capitalised name) or 'other'."""
    raw = [m.group() for a, b in ranges for m in _WORD.finditer(text[a:b])]
    if len(raw) == 1 and raw[0].lower() in PRONOUNS:
        return "pronoun"
    if any(w[:1].isupper() and w.lower() not in DETERMINERS | PRONOUNS for w in raw):
        return "named"
    if raw and raw[0].lower() in ("the", "this", "that", "these", "those") and len(raw) <= 3:
        return "description"
    return "other"


def score(gold: list[GoldArticle], predictions: list[list[Attribution]], min_confidence: float = 0.0) -> Scorer:
    """Score predictions (aligned with gold articles), keeping those at or above ``min_confidence``."""
    scorer = Scorer()
    for art, pred in zip(gold, predictions, strict=True):
        scorer.counts["articles"] += 1
        scorer.add(art.text, art.attributions, [p for p in pred if p.confidence >= min_confidence])
    return scorer


def threshold_table(gold: list[GoldArticle], predictions: list[list[Attribution]]) -> list[dict]:
    """Content partial precision/recall/F1 and prediction counts at rising confidence thresholds."""
    rows = []
    for t in THRESHOLDS:
        rep = score(gold, predictions, t).report()
        rows.append({"min_confidence": t, "predicted": rep["counts"]["predicted"], **rep["content"]["partial"]})
    return rows


def predict(gold: Iterable[GoldArticle], nlp: Language, batch_size: int = 8) -> Iterator[list[Attribution]]:
    """Run the pipeline over the gold texts, yielding each article's predicted attributions.

    The records come from the one extraction loop (``pipeline.extract_with``), so eval scores
    exactly the claims ``extract`` writes.
    """
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_with

    articles = (Article(text=g.text, path=g.id, metadata={"title": g.title}) for g in gold)
    for result in extract_with(nlp, articles, batch_size=batch_size):
        yield [_from_claim(c.model_dump()) for c in result.claims]


def run_eval(
    gold_path: Path,
    *,
    predictions: Path | None = None,
    min_confidence: float = 0.0,
    per_cue: bool = False,
    model: str | None = None,
    rules_dir: Path | None = None,
    track: Callable[[Iterator[list[Attribution]], int], Iterable[list[Attribution]]] | None = None,
) -> dict[str, Any]:
    """Score a gold file: against ``predictions``, or against a fresh extraction with ``model`` and rules.

    The result is ``Scorer.report()`` plus ``speed`` (fresh extraction only), ``thresholds``
    (when no minimum confidence is set) and ``per_cue`` (when asked). ``track(items, total)``
    wraps the extraction, e.g. in a progress bar.
    """
    gold = load_gold(gold_path)
    started = time.perf_counter()
    if predictions is not None:
        preds = load_predictions(predictions, gold)
    else:
        from newsclaims.pipeline import get_nlp

        running = predict(gold, get_nlp(model, rules_dir))
        preds = list(track(running, len(gold)) if track else running)
    elapsed = time.perf_counter() - started
    scorer = score(gold, preds, min_confidence)
    result: dict[str, Any] = scorer.report()
    if predictions is None:
        result["speed"] = {"seconds": round(elapsed, 2), "articles_per_second": round(len(preds) / elapsed, 2)}
    if min_confidence == 0.0:
        result["thresholds"] = threshold_table(gold, preds)
    if per_cue:
        result["per_cue"] = scorer.per_cue()
    return result


def write_eval(result: dict[str, Any], fmt: str, fp: TextIO, *, width: int | None = None) -> None:
    """An eval result as indented JSON or as Rich tables (``fmt`` 'json' or 'table')."""
    if fmt == "json":
        fp.write(json.dumps(result, indent=2) + "\n")
    else:
        from rich.console import Console

        render_scores(result, Console(file=fp, width=width))


def render_scores(result: dict[str, Any], console: Console) -> None:
    """Rich tables for an eval result (scores, counts, optional per-cue and threshold tables)."""
    from rich.table import Table

    table = Table(title="Attribution scores", title_justify="left")
    table.add_column("role")
    for level in LEVELS:
        for m in ("P", "R", "F1"):
            table.add_column(f"{level} {m}", justify="right")
    for role in ROLES:
        cells = [f"{result[role][lv][m]:.3f}" for lv in LEVELS for m in ("precision", "recall", "f1")]
        table.add_row(role, *cells)
    whole = result["attribution"]
    table.add_row("attribution", *[f"{whole[m]:.3f}" for m in ("precision", "recall", "f1")], *[""] * 6)
    console.print(table)
    counts = "  ".join(f"{k}={v}" for k, v in result["counts"].items())
    console.print(f"counts: {counts}", highlight=False)
    for kind, res in result.get("resolution", {}).items():
        if res["sources"]:
            console.print(
                f"resolution ({kind} sources): {res['correct']}/{res['sources']} resolved to the previous named "
                f"gold source (accuracy {res['accuracy']:.3f}; {res['resolved']} resolved at all)",
                highlight=False,
            )
    if "speed" in result:
        console.print(f"speed: {result['speed']['articles_per_second']:.2f} articles/s", highlight=False)
    if result.get("thresholds"):
        t = Table(title="Content partial scores by minimum confidence", title_justify="left")
        for col in ("min_confidence", "predicted", "precision", "recall", "f1"):
            t.add_column(col, justify="right")
        for row in result["thresholds"]:
            t.add_row(
                f"{row['min_confidence']:.2f}",
                str(row["predicted"]),
                *[f"{row[m]:.3f}" for m in ("precision", "recall", "f1")],
            )
        console.print(t)
    if result.get("per_cue"):
        t = Table(title="Recall by gold cue", title_justify="left")
        t.add_column("cue", max_width=40, overflow="ellipsis", no_wrap=True)
        for col in ("gold", "found", "content recall", "source hit"):
            t.add_column(col, justify="right")
        for row in result["per_cue"]:
            hit = "" if row["source_hit"] is None else f"{row['source_hit']:.2f}"
            t.add_row(row["cue"], str(row["gold"]), str(row["found"]), f"{row['content_recall']:.2f}", hit)
        console.print(t)
