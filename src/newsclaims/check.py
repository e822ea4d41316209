"""`newsclaims check`: re-extract inputs and compare them, claim by claim, with expected JSON (for CI).

An input ``<stem>.<ext>`` is expected in ``EXPECTED_DIR/<stem>.json``. Records are compared on
claims (type, speaker, cue, content and its parts, figures, confidence within a tolerance),
document figures, speakers and metadata; ``generator.version`` and ``source.path`` are ignored. A
different model or rules fingerprint alone is not a change (the outputs are what CI guards) but is
shown beside the differences it explains. The recorded ``source.path`` is the input's file name, so
expectations do not depend on the folder the check runs from.

Nothing is matched by offset. Claims are paired by their content and speaker, so one sentence
inserted early in an article moves every later claim (reported once, as "moved by N characters")
instead of removing and re-adding them; figures are paired by what they are (text, kind, unit,
written or derived), so a derived amount never collides with the percentage it shares a span with.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newsclaims.errors import NewsclaimsError
from newsclaims.inputs import INPUT_SUFFIXES
from newsclaims.models import Claim, DocumentResult, Figure, SpeakerSummary
from newsclaims.output.files import atomic_write
from newsclaims.output.records import read_records, to_json_object

if TYPE_CHECKING:
    from rich.console import Console

_FIGURE_VALUES = ("value", "low", "high")
# Compared through the figure they point at, as indices shift when a figure is added before them.
_FIGURE_LINKS = ("of", "equivalent_of")
_FIGURE_OFFSETS = ("start", "end")


@dataclass
class ClaimDiff:
    """One claim added, removed, changed or only moved.

    ``details`` lists the changed fields as 'field: old → new'; ``content_diff`` is the content
    with the changed words marked ``[-old-]{+new+}``; ``moved_by`` is the shift of the claim's
    offsets (0 when it stayed put).
    """

    kind: str  # "added" | "removed" | "changed" | "moved"
    claim: Claim
    details: list[str] = field(default_factory=list)
    content_diff: str | None = None
    moved_by: int = 0
    expected_id: str | None = None

    def headline(self) -> str:
        c = self.claim
        who = c.speaker.text if c.speaker else "—"
        cue = f"{c.cue.text} ({c.cue.category}, {c.type})" if c.cue else f"(continues {c.continues}, {c.type})"
        return f"{c.id}  {who} / {cue}: {_quote(c.content.text)}"

    def to_json(self) -> dict[str, object]:
        c = self.claim
        return {
            "kind": self.kind,
            "id": c.id,
            "expected_id": self.expected_id,
            "speaker": c.speaker.text if c.speaker else None,
            "cue": c.cue.text if c.cue else None,
            "content": c.content.text,
            "start": c.content.start,
            "end": c.content.end,
            "moved_by": self.moved_by,
            "content_diff": self.content_diff,
            "details": self.details,
        }


@dataclass
class DocumentDiff:
    """The comparison of one input with its expectation."""

    name: str
    expected: Path
    status: str  # "same" | "changed" | "missing input" | "invalid expected" | "written" | "updated" | "unchanged"
    claims: list[ClaimDiff] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str = ""
    input: Path | None = None
    text: str | None = None  # the input's decoded text, to turn offsets into line numbers

    @property
    def failed(self) -> bool:
        return self.status in ("changed", "missing input", "invalid expected")

    @property
    def differences(self) -> list[ClaimDiff]:
        """The claim diffs that are changes, not moves."""
        return [c for c in self.claims if c.kind != "moved"]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "expected": str(self.expected),
            "input": str(self.input) if self.input else None,
            "status": self.status,
            "failed": self.failed,
            "message": self.message or None,
            "claims": [c.to_json() for c in self.claims],
            "other": self.other,
            "notes": self.notes,
        }


@dataclass
class CheckReport:
    documents: list[DocumentDiff] = field(default_factory=list)
    unchecked: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.failed for d in self.documents)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for d in self.documents:
            counts[d.status] = counts.get(d.status, 0) + 1
        parts = [f"{n} {status}" for status, n in sorted(counts.items())]
        if self.unchecked:
            parts.append(f"{len(self.unchecked)} without expectation")
        return f"{len(self.documents)} document(s): " + (", ".join(parts) or "nothing to check")

    def to_json(self) -> dict[str, object]:
        return {
            "failed": self.failed,
            "summary": self.summary(),
            "documents": [d.to_json() for d in self.documents],
            "unchecked": [str(p) for p in self.unchecked],
        }


# --- which inputs -----------------------------------------------------------------------------------


def find_inputs(input_dir: Path) -> dict[str, Path]:
    """Article files directly inside ``input_dir`` by stem; two inputs with one stem are an error."""
    if not input_dir.is_dir():
        raise NewsclaimsError(f"{input_dir}: not a folder of articles")
    found: dict[str, Path] = {}
    for path in sorted(input_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file() or path.suffix.lower() not in INPUT_SUFFIXES:
            continue
        _add(found, path)
    if not found:
        raise NewsclaimsError(f"{input_dir}: no article files ({', '.join('*' + s for s in INPUT_SUFFIXES)})")
    return found


def collect_inputs(paths: Sequence[Path]) -> tuple[dict[str, Path], bool]:
    """Inputs by stem from folders and named files; the flag is True when only folders were given.

    Only a set of whole folders is complete: then an expectation without an input is a missing
    input. Named files are a selection (check or update just these), so the other expectations
    are left alone.
    """
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            for p in find_inputs(path).values():
                _add(found, p)
        elif path.is_file():
            _add(found, path)
        else:
            raise NewsclaimsError(f"{path}: no such file or folder")
    return found, all(p.is_dir() for p in paths)


def _add(found: dict[str, Path], path: Path) -> None:
    if path.stem in found and found[path.stem] != path:
        raise NewsclaimsError(f"{found[path.stem]} and {path}: two inputs would share {path.stem}.json")
    found[path.stem] = path


def expected_json(result: DocumentResult) -> str:
    """The bytes written to an expectation file (stable key order, two-space indent, final newline).

    A snapshot is one document's object, not the ``-f json`` array: one file per input is what
    ``check`` compares and what a diff in review shows best.
    """
    return to_json_object(result) + "\n"


def run_check(
    expected_dir: Path,
    inputs: Path | Sequence[Path] | None = None,
    *,
    update: bool = False,
    tolerance: float = 0.0,
    figure_tolerance: float = 0.0,
    model: str | None = None,
    rules_dir: Path | None = None,
) -> CheckReport:
    """Compare (or with ``update``, rewrite) the expectations of the inputs.

    ``inputs`` are folders and article files (default: ``expected_dir``'s parent folder). With
    ``update``, only the expectations of these inputs are written.
    """
    from newsclaims.inputs import read_article
    from newsclaims.pipeline import extract_articles

    if inputs is None:
        inputs = [expected_dir.resolve().parent]
    elif isinstance(inputs, Path):
        inputs = [inputs]
    report = CheckReport()
    if update:
        found, _ = collect_inputs(inputs)
        try:
            expected_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            # A file in the way, a read-only place: one line, nothing written.
            message = f"{expected_dir}: cannot create the folder for expected JSON: {e.strerror or e}"
            raise NewsclaimsError(message) from None
        stems = list(found)
    else:
        if not expected_dir.is_dir():
            raise NewsclaimsError(f"{expected_dir}: no such folder of expected JSON (create it with --update)")
        wanted = {p.stem: p for p in sorted(expected_dir.glob("*.json"))}
        if not wanted:
            raise NewsclaimsError(f"{expected_dir}: no expected JSON files (create them with --update)")
        found, complete = collect_inputs(inputs)
        report.unchecked = [p for stem, p in found.items() if stem not in wanted]
        if complete:
            where = ", ".join(str(p) for p in inputs)
            report.documents += [
                DocumentDiff(stem, path, "missing input", message=f"no {stem}.* in {where}")
                for stem, path in wanted.items()
                if stem not in found
            ]
        stems = [s for s in wanted if s in found]
    articles = [dataclasses.replace(read_article(found[s]), path=found[s].name) for s in stems]
    results = extract_articles(articles, model=model, rules_dir=rules_dir)
    for stem, article, result in zip(stems, articles, results, strict=True):
        target = expected_dir / f"{stem}.json"
        doc = (
            _update(stem, target, result)
            if update
            else _compare_file(stem, target, result, tolerance, figure_tolerance)
        )
        doc.input, doc.text = found[stem], article.text
        report.documents.append(doc)
    report.documents.sort(key=lambda d: d.name)
    return report


def _update(stem: str, target: Path, result: DocumentResult) -> DocumentDiff:
    text = expected_json(result)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return DocumentDiff(stem, target, "unchanged")
    status = "updated" if target.exists() else "written"
    with atomic_write(target) as fp:
        fp.write(text)
    return DocumentDiff(stem, target, status)


def _compare_file(
    stem: str, target: Path, actual: DocumentResult, tolerance: float, figure_tolerance: float
) -> DocumentDiff:
    try:
        found = list(read_records(target, tolerant=False))
        if len(found) != 1:
            raise NewsclaimsError(f"{target}: holds {len(found)} records, not one")
    except NewsclaimsError as e:
        return DocumentDiff(stem, target, "invalid expected", message=f"cannot read: {e} (rewrite with --update)")
    diff = compare(found[0], actual, tolerance=tolerance, figure_tolerance=figure_tolerance)
    diff.name, diff.expected = stem, target
    return diff


# --- comparing two records ----------------------------------------------------------------------------


def compare(
    expected: DocumentResult, actual: DocumentResult, *, tolerance: float = 0.0, figure_tolerance: float = 0.0
) -> DocumentDiff:
    """Every difference between two records that ``check`` cares about."""
    other = []
    text_changed = expected.source.sha256 != actual.source.sha256
    if text_changed:
        other.append(f"input text changed (sha256 {expected.source.sha256[:12]} → {actual.source.sha256[:12]})")
    for name in ("title", "author", "published", "site"):
        _field(other, name, getattr(expected, name), getattr(actual, name))
    notes: list[str] = []
    _field(notes, "generator.model", expected.generator.model, actual.generator.model)
    _field(notes, "generator.rules", expected.generator.rules, actual.generator.rules)
    ctx = _Context(expected, actual, tolerance, figure_tolerance)
    claims = _claim_diffs(ctx)
    other += _figure_diffs("figures", expected.figures, actual.figures, ctx)
    other += _speaker_diffs(expected, actual)
    # Moves follow from an edited text (already reported); with the same text they are a change.
    changed = other or any(c.kind != "moved" or not text_changed for c in claims)
    return DocumentDiff("", Path(), "changed" if changed else "same", claims, other, notes)


@dataclass
class _Context:
    old: DocumentResult
    new: DocumentResult
    tolerance: float
    figure_tolerance: float
    # Speaker ids number speakers in order of mention: one new speaker early on renumbers all later
    # ones, so a claim's speaker changed only if its id now names a different speaker.
    names: tuple[dict[str, str], dict[str, str]] = field(init=False)
    paired_ids: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = ({s.id: s.name for s in self.old.speakers}, {s.id: s.name for s in self.new.speakers})


def _words(text: str) -> list[str]:
    return text.split()


def _claim_key(c: Claim) -> tuple[str, str]:
    speaker = (c.speaker.name or c.speaker.text) if c.speaker else ""
    return (" ".join(_words(c.content.text)), speaker)


def _similarity(a: Claim, b: Claim) -> float:
    return difflib.SequenceMatcher(None, _words(a.content.text), _words(b.content.text), autojunk=False).ratio()


def pair_claims(old: list[Claim], new: list[Claim]) -> tuple[list[tuple[Claim, Claim]], list[Claim], list[Claim]]:
    """Old and new claims paired by content and speaker, never by offsets; then the unpaired ones.

    First the longest runs of claims with the same content and speaker, in order (an inserted
    sentence leaves them all paired); then, among the rest, claims whose contents are mostly the
    same words (an edited content, or the same content with another speaker).
    """
    matcher = difflib.SequenceMatcher(None, [_claim_key(c) for c in old], [_claim_key(c) for c in new], autojunk=False)
    pairs: list[tuple[Claim, Claim]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            pairs.append((old[block.a + k], new[block.b + k]))
            used_old.add(block.a + k)
            used_new.add(block.b + k)
    candidates = sorted(
        (
            (_similarity(a, b) + (0.1 if _claim_key(a)[1] == _claim_key(b)[1] else 0.0), i, j)
            for i, a in enumerate(old)
            if i not in used_old
            for j, b in enumerate(new)
            if j not in used_new
        ),
        reverse=True,
    )
    for score, i, j in candidates:
        if score >= 0.6 and i not in used_old and j not in used_new:
            pairs.append((old[i], new[j]))
            used_old.add(i)
            used_new.add(j)
    removed = [c for i, c in enumerate(old) if i not in used_old]
    added = [c for j, c in enumerate(new) if j not in used_new]
    return pairs, removed, added


def _claim_diffs(ctx: _Context) -> list[ClaimDiff]:
    pairs, removed, added = pair_claims(ctx.old.claims, ctx.new.claims)
    ctx.paired_ids = {a.id: b.id for a, b in pairs}
    diffs = [ClaimDiff("removed", c) for c in removed] + [ClaimDiff("added", c) for c in added]
    for a, b in pairs:
        details = _claim_fields(a, b, ctx)
        content_diff = word_diff(a.content.text, b.content.text) if a.content.text != b.content.text else None
        shift = b.content.start - a.content.start
        if details or content_diff:
            diffs.append(ClaimDiff("changed", b, details, content_diff, shift, a.id))
        elif shift:
            diffs.append(ClaimDiff("moved", b, [], None, shift, a.id))
    order = {"removed": 0, "changed": 1, "moved": 1, "added": 1}
    return sorted(diffs, key=lambda d: (d.claim.content.start, order[d.kind]))


def _claim_fields(a: Claim, b: Claim, ctx: _Context) -> list[str]:
    out: list[str] = []
    _field(out, "type", a.type, b.type)
    _field(out, "content.parts", len(a.content.parts), len(b.content.parts))
    if a.cue is None or b.cue is None:
        _field(out, "cue", a.cue and a.cue.text, b.cue and b.cue.text)
    else:
        for part in ("text", "lemma", "category"):
            _field(out, f"cue.{part}", getattr(a.cue, part), getattr(b.cue, part))
    # The claim a follow-on continues is named by an offset id: compare it through the pairing.
    _field(out, "continues", a.continues and ctx.paired_ids.get(a.continues, a.continues), b.continues)
    sa = a.speaker.model_dump(mode="json") if a.speaker else None
    sb = b.speaker.model_dump(mode="json") if b.speaker else None
    if sa is None or sb is None:
        _field(out, "speaker", sa and sa["text"], sb and sb["text"])
    else:
        for key in sa:
            if key == "id":
                _field(out, "speaker.id (speaker)", ctx.names[0].get(sa["id"]), ctx.names[1].get(sb["id"]))
            elif key in ("resolved", "description"):
                _field(out, f"speaker.{key}", sa[key] and sa[key]["text"], sb[key] and sb[key]["text"])
            elif key not in ("start", "end"):
                _field(out, f"speaker.{key}", sa[key], sb[key])
    out += _offset_details(a, b)
    if abs(a.confidence - b.confidence) > ctx.tolerance + 1e-9:
        out.append(f"confidence: {a.confidence} → {b.confidence}")
    out += _figure_diffs("figures", a.figures, b.figures, ctx)
    return out


def _offset_details(a: Claim, b: Claim) -> list[str]:
    """A speaker or cue that moved otherwise than the content (the content's own move is ``moved_by``)."""
    if a.content.text != b.content.text:
        return []  # the word diff says what happened; its offsets follow from it
    shift = b.content.start - a.content.start
    out = []
    for name, x, y in (("speaker", a.speaker, b.speaker), ("cue", a.cue, b.cue)):
        if x is not None and y is not None and x.text == y.text and y.start - x.start != shift:
            out.append(f"{name} {_quote(x.text)} at {x.start} → {y.start}")
    return out


def _figure_key(f: Figure) -> tuple[object, ...]:
    # `derived` is part of what a figure is: "70% of $900m" yields a written 70% and a derived
    # $630m over the same characters, which an offset key would make one figure.
    return (" ".join(f.text.split()), f.kind, f.unit, f.derived)


def _figure_diffs(where: str, old: list[Figure], new: list[Figure], ctx: _Context) -> list[str]:
    out: list[str] = []
    keys = [_figure_key(f) for f in old], [_figure_key(f) for f in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *keys, autojunk=False).get_opcodes():
        if op == "equal":
            for f, g in zip(old[i1:i2], new[j1:j2], strict=True):
                out += _figure_fields(where, f, g, ctx)
            continue
        out += [f"{where}: removed {_figure_name(f)} at {f.start}" for f in old[i1:i2]]
        out += [f"{where}: added {_figure_name(g)} at {g.start}" for g in new[j1:j2]]
    return out


def _figure_name(f: Figure) -> str:
    return _quote(f.text) + (" (derived)" if f.derived else "")


def _figure_fields(where: str, f: Figure, g: Figure, ctx: _Context) -> list[str]:
    out = []
    da, db = f.model_dump(mode="json"), g.model_dump(mode="json")
    for key in da:
        if key in _FIGURE_OFFSETS:
            continue
        if key in _FIGURE_LINKS:
            a, b = _linked(ctx.old, da[key]), _linked(ctx.new, db[key])
        else:
            a, b = da[key], db[key]
        same = _close(a, b, ctx.figure_tolerance) if key in _FIGURE_VALUES and None not in (a, b) else a == b
        if not same:
            out.append(f"{where} {_figure_name(f)}.{key}: {a!r} → {b!r}")
    return out


def _linked(doc: DocumentResult, index: int | None) -> str | None:
    """The figure an ``of``/``equivalent_of`` index points at, by its text."""
    if index is None:
        return None
    return doc.figures[index].text if 0 <= index < len(doc.figures) else f"#{index}"


def _speaker_diffs(expected: DocumentResult, actual: DocumentResult) -> list[str]:
    # Offsets and claim ids move with any edit of the text; a speaker is what it is and how often.
    def key(s: SpeakerSummary) -> tuple:
        return (s.name, s.kind, s.named, s.anonymous, len(s.claims), len(s.mentions))

    def line(what: str, s: SpeakerSummary) -> str:
        return f"speakers: {what} {_quote(s.name)} ({s.id}, {len(s.claims)} claims, {len(s.mentions)} mentions)"

    old = [key(s) for s in expected.speakers]
    new = [key(s) for s in actual.speakers]
    out = [line("removed", s) for k, s in zip(old, expected.speakers, strict=True) if k not in new]
    return out + [line("added", s) for k, s in zip(new, actual.speakers, strict=True) if k not in old]


def _close(a: float, b: float, rel: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


def _field(out: list[str], name: str, old: object, new: object) -> None:
    if old != new:
        out.append(f"{name}: {old!r} → {new!r}")


def _quote(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return f'"{flat[: limit - 1]}…"' if len(flat) > limit else f'"{flat}"'


def word_diff(old: str, new: str, context: int = 6) -> str:
    """``new`` with removed words as ``[-…-]`` and added words as ``{+…+}`` (as ``git diff --word-diff``).

    Unchanged runs longer than twice ``context`` words are cut to ``context`` words either side of a
    change, so a long content shows where it changed, not all of itself.
    """
    a, b = _words(old), _words(new)
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            run = a[i1:i2]
            first, last = n == 0, n == len(ops) - 1
            if len(run) > (1 if first or last else 2) * context:
                head = [] if first else run[:context]
                tail = [] if last else run[-context:]
                run = [*head, "…", *tail]
            out += run
            continue
        removed = "[-" + " ".join(a[i1:i2]) + "-]" if i2 > i1 else ""
        added = "{+" + " ".join(b[j1:j2]) + "+}" if j2 > j1 else ""
        out.append(removed + added)  # adjacent, as git prints a replaced word: [-old-]{+new+}
    return " ".join(out)


# --- reporting ----------------------------------------------------------------------------------------


def _moved_runs(claims: Iterable[ClaimDiff]) -> list[tuple[int, list[ClaimDiff]]]:
    """Consecutive moved claims grouped by their shift, so 13 claims moved by one insertion are one line."""
    runs: list[tuple[int, list[ClaimDiff]]] = []
    for c in claims:
        if runs and runs[-1][0] == c.moved_by and runs[-1][1][-1].kind == "moved":
            runs[-1][1].append(c)
        else:
            runs.append((c.moved_by, [c]))
    return runs


def diff_lines(report: CheckReport) -> list[tuple[str, str]]:
    """The readable diff as (style, line) pairs: a header per changed document, one block per claim."""
    lines: list[tuple[str, str]] = []
    marks = {"added": ("+ added  ", "green"), "removed": ("- removed", "red"), "changed": ("~ changed", "yellow")}
    for doc in report.documents:
        if not doc.failed:
            continue
        n = len(doc.differences) + len(doc.other)
        moved = len(doc.claims) - len(doc.differences)
        counts = [f"{n} difference(s)"] * bool(n) + [f"{moved} moved"] * bool(moved)
        lines.append(("bold", f"{doc.expected}: {doc.status}" + (f" ({', '.join(counts)})" if counts else "")))
        if doc.message:
            lines.append(("", f"  {doc.message}"))
        for shift, run in _moved_runs(doc.claims):
            if run[0].kind == "moved":
                ids = run[0].claim.id if len(run) == 1 else f"{run[0].claim.id} … {run[-1].claim.id}"
                what = f"{len(run)} claim(s) moved by {shift:+d} characters, otherwise the same"
                lines.append(("dim", f"  = {what} ({ids})"))
                continue
            for c in run:
                mark, style = marks[c.kind]
                lines.append((style, f"  {mark} {c.headline()}"))
                if c.content_diff is not None:
                    lines.append(("", f"      content: {c.content_diff}"))
                lines += [("", f"      {d}") for d in c.details]
                if c.kind == "changed" and c.moved_by:
                    lines.append(("dim", f"      (moved by {c.moved_by:+d} characters)"))
        lines += [("", f"  {o}") for o in doc.other]
        lines += [("dim", f"  (note) {n}") for n in doc.notes]
    return lines


_MARKS = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")


def _styled(line: str, style: str):  # -> rich.text.Text
    """A diff line with the word-diff marks shown as colours (and kept, so a copy-paste still says it)."""
    from rich.text import Text

    text = Text(style=style)
    pos = 0
    for m in _MARKS.finditer(line):
        text.append(line[pos : m.start()])
        text.append(m.group(0), style="bold red strike" if m.group(1) is not None else "bold green")
        pos = m.end()
    text.append(line[pos:])
    return text


def print_report(report: CheckReport, out: Console, err: Console) -> None:
    """The diff on ``out``; inputs without an expectation and the status line on ``err``."""
    for style, line in diff_lines(report):
        out.print(_styled(line, style), highlight=False)
    print_status(report, err)


def print_status(report: CheckReport, err: Console) -> None:
    """Inputs without an expectation and the one status line, on stderr."""
    for path in report.unchecked:
        err.print(f"not checked (no expected file): {path}", highlight=False, soft_wrap=True, markup=False)
    status = "FAILED" if report.failed else "OK"
    err.print(f"check {status}: {report.summary()}", highlight=False, soft_wrap=True, markup=False)


def write_json_report(report: CheckReport, fp: TextIO) -> None:
    """The whole report as one JSON object (``--format json``)."""
    fp.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _line_of(doc: DocumentDiff, offset: int) -> int | None:
    """The 1-based line of an offset, for plain text and Markdown inputs (an HTML page's text is extracted)."""
    if doc.text is None or doc.input is None or doc.input.suffix.lower() in (".html", ".htm"):
        return None
    return doc.text.count("\n", 0, min(offset, len(doc.text))) + 1


def github_annotations(report: CheckReport) -> list[str]:
    """GitHub Actions workflow commands: one ``::error`` per difference, on the input's line when known."""
    out = []
    for doc in report.documents:
        if not doc.failed:
            continue
        file = str(doc.input or doc.expected)
        for c in doc.differences:
            line = _line_of(doc, c.claim.content.start)
            props = f"file={_escape_property(file)}" + (f",line={line}" if line else "")
            body = [f"{c.kind}: {c.headline()}"]
            if c.content_diff:
                body.append(f"content: {c.content_diff}")
            body += c.details
            title = _escape_property(f"newsclaims check: claim {c.kind}")
            out.append(f"::error {props},title={title}::{_escape_data(chr(10).join(body))}")
        rest = ([doc.message] if doc.message else []) + doc.other
        if rest:
            title = _escape_property(f"newsclaims check: {doc.status}")
            out.append(f"::error file={_escape_property(file)},title={title}::{_escape_data(chr(10).join(rest))}")
    return out
