"""Batch runs: find article files, run an engine over them, stream ordered JSONL, resume, report errors.

Files on disk during a run of ``-o claims.jsonl`` (all next to it):

- ``.claims.jsonl.partial.tmp``: the output being written, in input order, flushed per record;
  renamed to ``claims.jsonl`` when the run completes, so the final file is never truncated.
- ``.claims.jsonl.partial``: records kept from an interrupted run, read by ``--resume``.
- ``claims.errors.jsonl``: one line per failed input (path, error class, message).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsclaims.engines import Engine, Outcome, Settings, Task
from newsclaims.errors import InputError, NewsclaimsError

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.html", "*.htm")
EXIT_OK = 0
EXIT_SOME_FAILED = 3
EXIT_INTERRUPTED = 130
_GLOB_CHARS = frozenset("*?[")

ProgressCallback = Callable[[int, int, int], None]  # done, total, failed


@dataclass
class Discovery:
    """The input files of a batch, in a deterministic order, and what was skipped on the way."""

    files: list[str] = field(default_factory=list)
    hidden: int = 0
    empty: int = 0
    excluded: int = 0
    duplicates: int = 0
    loops: int = 0

    def skipped_text(self) -> str:
        parts = [f"{n} {what}" for what, n in self._skips() if n]
        return ", ".join(parts) if parts else "none"

    def _skips(self) -> list[tuple[str, int]]:
        return [
            ("hidden", self.hidden),
            ("empty", self.empty),
            ("excluded", self.excluded),
            ("duplicate paths", self.duplicates),
            ("symlink loops", self.loops),
        ]


def discover(
    sources: list[str], include: tuple[str, ...] = DEFAULT_INCLUDE, exclude: tuple[str, ...] = ()
) -> Discovery:
    """Files under folders (recursively, sorted), named files, and glob matches, in the order given.

    ``include``/``exclude`` are globs matched (case-insensitively) against the file name or its
    path below the folder; ``include`` applies to folders (given, or matched by a glob),
    ``exclude`` to everything. Globs take ``**`` for any depth. Hidden names and empty files
    are skipped and counted; a file reached twice is kept once; symlinked folders are followed
    but never into a loop.
    """
    found = Discovery()
    seen: set[str] = set()
    for source in sources:
        path = Path(source)
        if path.is_dir():
            _walk(source, lambda rel, name: _matches(rel, name, include), exclude, found, seen)
        elif path.is_file():
            _add(source, path.name, exclude, found, seen)
        elif _GLOB_CHARS & set(source):
            base, pattern = _split_glob(source)
            regex = _glob_regex(pattern)

            def select(rel: str, name: str, regex: re.Pattern[str] = regex) -> bool:
                if regex.fullmatch(rel):
                    return True
                parents = [rel[:i] for i, c in enumerate(rel) if c == "/"]
                return any(regex.fullmatch(d) for d in parents) and _matches(rel, name, include)

            if Path(base).is_dir():
                _walk(base, select, exclude, found, seen)
        else:
            raise InputError(f"{source}: no such file, folder or matching glob")
    return found


def _split_glob(source: str) -> tuple[str, str]:
    """'news/2024/**/*.html' → ('news/2024', '**/*.html'): the folder to walk and the pattern below it."""
    parts = Path(source).parts
    fixed = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    base = str(Path(*parts[:fixed])) if fixed else "."
    return base, "/".join(parts[fixed:])


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Shell glob → regex over '/'-separated relative paths; '**/' is any number of folders."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            close = pattern.index("]", i + 2)
            body = pattern[i + 1 : close]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.IGNORECASE)


def _walk(
    root: str, select: Callable[[str, str], bool], exclude: tuple[str, ...], found: Discovery, seen: set[str]
) -> None:
    visited: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in visited:
            # A symlink back up the tree: this folder's contents are already being walked.
            found.loops += 1
            dirnames[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                found.hidden += 1
            elif _matches(_rel(root, dirpath, d), d, exclude):
                found.excluded += 1
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith("."):
                found.hidden += 1
            elif select(_rel(root, dirpath, name), name):
                _add(os.path.join(dirpath, name), _rel(root, dirpath, name), exclude, found, seen)


def _rel(root: str, dirpath: str, name: str) -> str:
    return Path(os.path.relpath(os.path.join(dirpath, name), root)).as_posix()


def _add(path: str, rel: str, exclude: tuple[str, ...], found: Discovery, seen: set[str]) -> None:
    if _matches(rel, Path(path).name, exclude):
        found.excluded += 1
        return
    real = os.path.realpath(path)
    if real in seen:
        found.duplicates += 1
        return
    try:
        if os.path.getsize(path) == 0:
            found.empty += 1
            return
    except OSError:
        pass  # unreadable: let the worker report it as an error line
    seen.add(real)
    found.files.append(path)


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    rel, name = rel.lower(), name.lower()
    return any(fnmatch.fnmatchcase(name, p.lower()) or fnmatch.fnmatchcase(rel, p.lower()) for p in patterns)


@dataclass
class BatchOptions:
    """How to run a batch (the CLI's options, as a library call)."""

    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    include_text: bool = False
    model: str | None = None
    rules_dir: Path | None = None
    chunk_size: int = 16
    timestamp: str | None = None


@dataclass
class BatchSummary:
    """What a batch did, for the summary line and the exit code."""

    total: int
    output: Path
    errors_path: Path
    written: int = 0
    reused: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    discovery: Discovery | None = None

    @property
    def done(self) -> int:
        return self.written + self.reused + self.failed

    @property
    def exit_code(self) -> int:
        """0 all inputs have a record; 3 some failed (see the errors file); 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_SOME_FAILED if self.failed else EXIT_OK

    def line(self) -> str:
        """One plain summary line."""
        rate = self.written / self.seconds if self.seconds else 0.0
        head = "interrupted" if self.interrupted else "done"
        text = (
            f"batch {head}: {self.done}/{self.total} inputs, {self.written + self.reused} records "
            f"({self.reused} reused), {self.failed} failed; {self.seconds:.1f}s, {rate:.1f} articles/s"
        )
        if self.discovery is not None:
            text += f"; skipped: {self.discovery.skipped_text()}"
        if self.interrupted:
            return text + f"; kept {self.written + self.reused} records, continue with --resume"
        text += f"; output {self.output}"
        return text + (f", errors {self.errors_path}" if self.failed else "")


def errors_path_for(output: Path) -> Path:
    """``claims.jsonl`` → ``claims.errors.jsonl``; other names get ``.errors.jsonl`` appended."""
    if output.suffix == ".jsonl":
        return output.with_name(output.stem + ".errors.jsonl")
    return output.with_name(output.name + ".errors.jsonl")


def _partial_paths(output: Path) -> tuple[Path, Path]:
    return output.with_name(f".{output.name}.partial"), output.with_name(f".{output.name}.partial.tmp")


def load_known(paths: list[Path]) -> dict[str, dict[str, str]]:
    """Records of earlier runs by input path and resume key; truncated or foreign lines are ignored."""
    from newsclaims.engines import resume_key

    known: dict[str, dict[str, str]] = {}
    for path in paths:
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", errors="replace") as fp:
            for line in fp:
                try:
                    rec = json.loads(line)
                    gen, src = rec["generator"], rec["source"]
                    key = resume_key(src["sha256"], gen["model"], gen["rules"], gen["version"])
                except (ValueError, KeyError, TypeError):
                    continue  # the last line of a killed run may be cut short
                if isinstance(src.get("path"), str):
                    known.setdefault(src["path"], {})[key] = line.rstrip("\n")
    return known


def run_batch(
    files: list[str], output: Path, options: BatchOptions, progress: ProgressCallback | None = None
) -> BatchSummary:
    """Process ``files`` into ``output`` (JSONL, input order) and its errors file; Ctrl-C stops cleanly."""
    if output.is_dir():
        raise NewsclaimsError(f"{output}: is a directory; give a file name for --output")
    partial, tmp = _partial_paths(output)
    errors_path = errors_path_for(output)
    summary = BatchSummary(total=len(files), output=output, errors_path=errors_path)
    known = load_known([output, partial, tmp]) if options.resume else {}
    if known:
        _write_lines(partial, (line for by_key in known.values() for line in by_key.values()))
        tmp.unlink(missing_ok=True)
    _preflight(options)
    engine = _make_engine(options, len(files))
    err_tmp = errors_path.with_name(f".{errors_path.name}.tmp")
    started = time.perf_counter()
    try:
        out_fp = tmp.open("w", encoding="utf-8")
        err_fp = err_tmp.open("w", encoding="utf-8")
    except OSError as e:
        engine.close()
        raise NewsclaimsError(f"{output}: cannot write: {e.strerror or e}") from None
    used: set[tuple[str, str]] = set()
    completed = False
    try:
        for outcomes in engine.run(_chunks(files, known, options.chunk_size)):
            for outcome in outcomes:
                _write(outcome, files, known, used, out_fp, err_fp, summary)
            if progress is not None:
                progress(summary.done, summary.total, summary.failed)
        completed = True
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        engine.close()
        summary.seconds = time.perf_counter() - started
        if not completed:
            # Keep every record we have, new and earlier, for --resume; never touch the final output.
            for path, by_key in known.items():
                out_fp.writelines(line + "\n" for key, line in by_key.items() if (path, key) not in used)
        out_fp.close()
        err_fp.close()
        if completed:
            os.replace(tmp, output)
            partial.unlink(missing_ok=True)
            if summary.failed:
                os.replace(err_tmp, errors_path)
            else:
                err_tmp.unlink()
                errors_path.unlink(missing_ok=True)
        else:
            os.replace(tmp, partial)
            err_tmp.unlink(missing_ok=True)
    return summary


def _write(outcome: Outcome, files, known, used, out_fp, err_fp, summary: BatchSummary) -> None:
    if outcome.kind == "record":
        out_fp.write(outcome.payload + "\n")
        summary.written += 1
        summary.words += outcome.words
    elif outcome.kind == "reuse":
        path = files[outcome.index]
        out_fp.write(known[path][outcome.payload] + "\n")
        used.add((path, outcome.payload))
        summary.reused += 1
    else:
        err_fp.write(outcome.payload + "\n")
        err_fp.flush()
        summary.failed += 1
    out_fp.flush()


def _chunks(files: list[str], known: dict[str, dict[str, str]], size: int) -> Iterator[list[Task]]:
    # Chunks depend only on the file list, so every engine and worker count parses the same batches.
    for start in range(0, len(files), size):
        yield [Task(i, files[i], tuple(known.get(files[i], ()))) for i in range(start, min(start + size, len(files)))]


def _write_lines(path: Path, lines: Iterator[str]) -> None:
    new = path.with_name(path.name + ".new")
    with new.open("w", encoding="utf-8") as fp:
        fp.writelines(line + "\n" for line in lines)
    os.replace(new, path)


def _preflight(options: BatchOptions) -> None:
    """Fail before starting workers when the rules are invalid or the model is not installed."""
    import importlib.util

    from newsclaims.pipeline import INSTALL_HINT, default_model
    from newsclaims.rules import load_ruleset

    load_ruleset(options.rules_dir)
    if options.engine == "local":
        name = options.model or default_model()
        if not Path(name).exists() and importlib.util.find_spec(name) is None:
            raise NewsclaimsError(f"spaCy model '{name}' is not installed; {INSTALL_HINT}")


def _make_engine(options: BatchOptions, n_files: int) -> Engine:
    settings = Settings(
        model=options.model,
        rules_dir=str(options.rules_dir) if options.rules_dir else None,
        include_text=options.include_text,
        batch_size=options.chunk_size,
        timestamp=options.timestamp,
    )
    if options.engine == "dask":
        from newsclaims.engines.dask_engine import DaskEngine

        return DaskEngine(settings, options.workers, options.scheduler)
    if options.engine != "local":
        raise NewsclaimsError(f"unknown engine '{options.engine}' (use local or dask)")
    from newsclaims.engines.local import LocalEngine

    # More processes than chunks would only add start-up time.
    return LocalEngine(settings, min(options.workers, -(-n_files // options.chunk_size)))


def default_workers() -> int:
    """CPU cores available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class RichProgress:
    """A progress bar on stderr: files done/total, articles/s, time left, failures so far."""

    def __init__(self, console, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[rate]:.1f} articles/s ·"),
            TimeRemainingColumn(),
            TextColumn("· [red]{task.fields[failed]} failed"),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("batch", total=total, rate=0.0, failed=0)

    def __enter__(self) -> ProgressCallback:
        self.progress.start()
        return self.update

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, done: int, total: int, failed: int) -> None:
        rate = (done - failed) / max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(self.task, completed=done, total=total, rate=rate, failed=failed)
