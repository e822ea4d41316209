"""`newsclaims check`: re-extract inputs and compare them, claim by claim, with expected JSON (for CI).

An input ``INPUT_DIR/<stem>.<ext>`` is expected in ``EXPECTED_DIR/<stem>.json``. Records are
compared on claims (type, speaker, cue, content span, figures, confidence within a tolerance),
document figures, speakers and metadata; ``generator.version`` and ``source.path`` are ignored. A
different model or rules fingerprint alone is not a change (the outputs are what CI guards) but is
shown beside the differences it explains. The recorded ``source.path`` is the input's file name, so
expectations do not depend on the folder the check runs from.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsclaims.errors import NewsclaimsError
from newsclaims.inputs import INPUT_SUFFIXES
from newsclaims.models import Claim, DocumentResult, Figure, SpeakerSummary
from newsclaims.output.files import atomic_write
from newsclaims.output.records import read_records, to_json_object

if TYPE_CHECKING:
    from rich.console import Console

_FIGURE_VALUES = ("value", "low", "high")


@dataclass
class ClaimDiff:
    """One claim added, removed or changed; ``details`` lists the changed fields as 'field: old → new'."""

    kind: str  # "added" | "removed" | "changed"
    claim: Claim
    details: list[str] = field(default_factory=list)

    def headline(self) -> str:
        c = self.claim
        who = c.speaker.text if c.speaker else "—"
        cue = f"{c.cue.text} ({c.cue.category}, {c.type})" if c.cue else f"(continues {c.continues}, {c.type})"
        return f"{c.id}  {who} / {cue}: {_quote(c.content.text)}"


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

    @property
    def failed(self) -> bool:
        return self.status in ("changed", "missing input", "invalid expected")


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


def find_inputs(input_dir: Path) -> dict[str, Path]:
    """Article files directly inside ``input_dir`` by stem; two inputs with one stem are an error."""
    if not input_dir.is_dir():
        raise NewsclaimsError(f"{input_dir}: not a folder of articles")
    found: dict[str, Path] = {}
    for path in sorted(input_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file() or path.suffix.lower() not in INPUT_SUFFIXES:
            continue
        if path.stem in found:
            raise NewsclaimsError(f"{found[path.stem]} and {path}: two inputs would share {path.stem}.json")
        found[path.stem] = path
    if not found:
        raise NewsclaimsError(f"{input_dir}: no article files ({', '.join('*' + s for s in INPUT_SUFFIXES)})")
    return found


def expected_json(result: DocumentResult) -> str:
    """The bytes written to an expectation file (stable key order, two-space indent, final newline).

    A snapshot is one document's object, not the ``-f json`` array: one file per input is what
    ``check`` compares and what a diff in review shows best.
    """
    return to_json_object(result) + "\n"


def run_check(
    expected_dir: Path,
    input_dir: Path | None = None,
    *,
    update: bool = False,
    tolerance: float = 0.0,
    figure_tolerance: float = 0.0,
    model: str | None = None,
    rules_dir: Path | None = None,
) -> CheckReport:
    """Compare (or with ``update``, rewrite) the expectations of every input; inputs default to the parent folder."""
    from newsclaims.inputs import read_article
    from newsclaims.pipeline import extract_articles

    input_dir = input_dir or expected_dir.resolve().parent
    report = CheckReport()
    if not update:
        if not expected_dir.is_dir():
            raise NewsclaimsError(f"{expected_dir}: no such folder of expected JSON (create it with --update)")
        wanted = {p.stem: p for p in sorted(expected_dir.glob("*.json"))}
        if not wanted:
            raise NewsclaimsError(f"{expected_dir}: no expected JSON files (create them with --update)")
        inputs = find_inputs(input_dir)
        report.unchecked = [p for stem, p in inputs.items() if stem not in wanted]
        for stem, path in wanted.items():
            if stem not in inputs:
                report.documents.append(
                    DocumentDiff(stem, path, "missing input", message=f"no {stem}.* in {input_dir}")
                )
        stems = [s for s in wanted if s in inputs]
    else:
        inputs = find_inputs(input_dir)
        try:
            expected_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            # A file in the way, a read-only place: one line, nothing written.
            message = f"{expected_dir}: cannot create the folder for expected JSON: {e.strerror or e}"
            raise NewsclaimsError(message) from None
        stems = list(inputs)
    articles = [dataclasses.replace(read_article(inputs[s]), path=inputs[s].name) for s in stems]
    results = extract_articles(articles, model=model, rules_dir=rules_dir)
    for stem, result in zip(stems, results, strict=True):
        target = expected_dir / f"{stem}.json"
        if update:
            report.documents.append(_update(stem, target, result))
        else:
            report.documents.append(_compare_file(stem, target, result, tolerance, figure_tolerance))
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
    expected = found[0]
    diff = compare(expected, actual, tolerance=tolerance, figure_tolerance=figure_tolerance)
    diff.name, diff.expected = stem, target
    return diff


def compare(
    expected: DocumentResult, actual: DocumentResult, *, tolerance: float = 0.0, figure_tolerance: float = 0.0
) -> DocumentDiff:
    """Every difference between two records that ``check`` cares about."""
    other = []
    if expected.source.sha256 != actual.source.sha256:
        other.append(f"input text changed (sha256 {expected.source.sha256[:12]} → {actual.source.sha256[:12]})")
    for name in ("title", "author", "published", "site"):
        _field(other, name, getattr(expected, name), getattr(actual, name))
    notes: list[str] = []
    _field(notes, "generator.model", expected.generator.model, actual.generator.model)
    _field(notes, "generator.rules", expected.generator.rules, actual.generator.rules)
    # Speaker ids number speakers in order of mention: one new speaker early on renumbers all later
    # ones. A claim's speaker changed only if its id now names a different speaker.
    names = ({s.id: s.name for s in expected.speakers}, {s.id: s.name for s in actual.speakers})
    claims = _claim_diffs(expected.claims, actual.claims, tolerance, figure_tolerance, names)
    other += _figure_diffs("figures", expected.figures, actual.figures, figure_tolerance)
    other += _speaker_diffs(expected, actual)
    status = "changed" if claims or other else "same"
    return DocumentDiff("", Path(), status, claims, other, notes)


def _claim_diffs(
    old: list[Claim], new: list[Claim], tolerance: float, figure_tolerance: float, names: tuple[dict, dict]
) -> list[ClaimDiff]:
    new_by_id = {c.id: c for c in new}
    pairs: list[tuple[Claim, Claim]] = []
    removed = []
    for c in old:
        if c.id in new_by_id:
            pairs.append((c, new_by_id.pop(c.id)))
        else:
            removed.append(c)
    # A claim whose content span moved but whose cue stayed put is one changed claim, not two.
    by_cue = {(c.cue.start, c.cue.end): c for c in sorted(new_by_id.values(), key=lambda c: c.content.start) if c.cue}
    still_removed = []
    for c in removed:
        match = by_cue.pop((c.cue.start, c.cue.end), None) if c.cue else None
        if match is not None:
            new_by_id.pop(match.id)
            pairs.append((c, match))
        else:
            still_removed.append(c)
    diffs = [ClaimDiff("removed", c) for c in still_removed] + [ClaimDiff("added", c) for c in new_by_id.values()]
    for a, b in pairs:
        details = _claim_fields(a, b, tolerance, figure_tolerance, names)
        if details:
            diffs.append(ClaimDiff("changed", b, details))
    order = {"removed": 0, "changed": 1, "added": 1}
    return sorted(diffs, key=lambda d: (d.claim.content.start, order[d.kind]))


def _claim_fields(a: Claim, b: Claim, tolerance: float, figure_tolerance: float, names: tuple[dict, dict]) -> list[str]:
    out: list[str] = []
    _field(out, "type", a.type, b.type)
    for part in ("text", "start", "end"):
        _field(out, f"content.{part}", getattr(a.content, part), getattr(b.content, part))
    if a.cue is None or b.cue is None:
        _field(out, "cue", a.cue and a.cue.text, b.cue and b.cue.text)
    else:
        for part in ("text", "start", "end", "lemma", "category"):
            _field(out, f"cue.{part}", getattr(a.cue, part), getattr(b.cue, part))
    _field(out, "continues", a.continues, b.continues)
    sa = a.speaker.model_dump(mode="json") if a.speaker else None
    sb = b.speaker.model_dump(mode="json") if b.speaker else None
    if sa is None or sb is None:
        _field(out, "speaker", sa and sa["text"], sb and sb["text"])
    else:
        for key in sa:
            if key == "id":
                _field(out, "speaker.id (speaker)", names[0].get(sa["id"]), names[1].get(sb["id"]))
            else:
                _field(out, f"speaker.{key}", sa[key], sb[key])
    if abs(a.confidence - b.confidence) > tolerance + 1e-9:
        out.append(f"confidence: {a.confidence} → {b.confidence}")
    out += _figure_diffs("figures", a.figures, b.figures, figure_tolerance)
    return out


def _figure_diffs(where: str, old: list[Figure], new: list[Figure], rel_tolerance: float) -> list[str]:
    out: list[str] = []
    new_by_span = {(f.start, f.end): f for f in new}
    for f in old:
        g = new_by_span.pop((f.start, f.end), None)
        if g is None:
            out.append(f"{where}: removed {_quote(f.text)} at {f.start}")
            continue
        da, db = f.model_dump(mode="json"), g.model_dump(mode="json")
        for key in da:
            same = (
                _close(da[key], db[key], rel_tolerance)
                if key in _FIGURE_VALUES and None not in (da[key], db[key])
                else da[key] == db[key]
            )
            if not same:
                out.append(f"{where} {_quote(f.text)}.{key}: {da[key]!r} → {db[key]!r}")
    out += [f"{where}: added {_quote(g.text)} at {g.start}" for g in new_by_span.values()]
    return out


def _speaker_diffs(expected: DocumentResult, actual: DocumentResult) -> list[str]:
    def key(s: SpeakerSummary) -> tuple:
        return (s.name, s.kind, s.named, s.anonymous, tuple(s.claims), tuple((m.start, m.end) for m in s.mentions))

    def line(what: str, s: SpeakerSummary) -> str:
        return f"speakers: {what} {_quote(s.name)} ({s.id}, {len(s.claims)} claims)"

    old = {key(s): s for s in expected.speakers}
    new = {key(s): s for s in actual.speakers}
    out = [line("removed", s) for k, s in old.items() if k not in new]
    return out + [line("added", s) for k, s in new.items() if k not in old]


def _close(a: float, b: float, rel: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


def _field(out: list[str], name: str, old: object, new: object) -> None:
    if old != new:
        out.append(f"{name}: {old!r} → {new!r}")


def _quote(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return f'"{flat[: limit - 1]}…"' if len(flat) > limit else f'"{flat}"'


def diff_lines(report: CheckReport) -> list[tuple[str, str]]:
    """The readable diff as (style, line) pairs: a header per changed document, one block per claim."""
    lines: list[tuple[str, str]] = []
    marks = {"added": ("+ added  ", "green"), "removed": ("- removed", "red"), "changed": ("~ changed", "yellow")}
    for doc in report.documents:
        if not doc.failed:
            continue
        n = len(doc.claims) + len(doc.other)
        lines.append(("bold", f"{doc.expected}: {doc.status}" + (f" ({n} difference(s))" if n else "")))
        if doc.message:
            lines.append(("", f"  {doc.message}"))
        for c in doc.claims:
            mark, style = marks[c.kind]
            lines.append((style, f"  {mark} {c.headline()}"))
            lines += [("", f"      {d}") for d in c.details]
        lines += [("", f"  {o}") for o in doc.other]
        lines += [("dim", f"  (note) {n}") for n in doc.notes]
    return lines


def print_report(report: CheckReport, out: Console, err: Console) -> None:
    """The diff on ``out``; inputs without an expectation and the status line on ``err``."""
    from rich.text import Text

    for style, line in diff_lines(report):
        out.print(Text(line, style=style), highlight=False)
    for path in report.unchecked:
        err.print(f"not checked (no expected file): {path}", highlight=False, soft_wrap=True, markup=False)
    status = "FAILED" if report.failed else "OK"
    err.print(f"check {status}: {report.summary()}", highlight=False, soft_wrap=True, markup=False)
