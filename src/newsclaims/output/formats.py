"""The output formats and their writers: one ``Format`` enum and one ``WRITERS`` table.

A new format is one ``Writer`` entry here (plus its test). What the commands need to know about
a format is read from its entry, never kept in a second list: ``terminal`` (a screen rendering
that ``batch`` cannot write to a file) and ``needs_text`` (the article text must be in the
records, as the HTML page shows the article itself).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from rich.console import Console

from newsclaims.errors import NewsclaimsError
from newsclaims.output.files import open_output

if TYPE_CHECKING:
    from newsclaims.models import DocumentResult


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    sqlite = "sqlite"


@dataclass(frozen=True)
class Render:
    """What a screen rendering needs beyond the records; the file formats ignore it."""

    width: int | None = None
    truncate: bool = False  # cut table contents to one line instead of wrapping them


@dataclass(frozen=True)
class Writer:
    """How one format is written: ``fn(results, fp, render)`` returns the number of documents."""

    fn: Callable[[Iterable[DocumentResult], TextIO, Render], int]
    terminal: bool = False
    needs_text: bool = False
    # A writer of a file that is not a text stream (a database): ``to_path(results, path)``.
    to_path: Callable[[Iterable[DocumentResult], Path], int] | None = None

    @property
    def batch(self) -> bool:
        """``batch`` writes files for later reading, so it offers every format but screen renderings."""
        return not self.terminal


def _writers(name: str) -> Any:
    """The module ``newsclaims.output.<name>`` of a format's writer, imported when a format is written.

    The writers import the Pydantic models (and Rich's tables), which cost the CLI's start-up
    about 0.2 s of CPU; ``--help`` needs only the ``Format`` names and the ``WRITERS`` table.
    """
    return importlib.import_module(f"newsclaims.output.{name}")


# Writers are looked up through their modules at call time, so a test can replace one writer.
WRITERS: dict[Format, Writer] = {
    Format.table: Writer(
        lambda rs, fp, r: _writers("tables").render_table(
            rs, Console(file=fp, width=r.width, soft_wrap=False), truncate=r.truncate
        ),
        terminal=True,
    ),
    Format.json: Writer(lambda rs, fp, r: _writers("records").write_json(rs, fp)),
    Format.jsonl: Writer(lambda rs, fp, r: _writers("records").write_jsonl(rs, fp)),
    Format.csv: Writer(lambda rs, fp, r: _writers("tables").write_csv(rs, fp)),
    Format.markdown: Writer(lambda rs, fp, r: _writers("tables").write_markdown(rs, fp)),
    Format.html: Writer(lambda rs, fp, r: _writers("html").write_report(rs, fp), needs_text=True),
    # To a file: a database, documents added or replaced. To stdout: its SQL dump (`| sqlite3 claims.db`).
    Format.sqlite: Writer(
        lambda rs, fp, r: _writers("sqlite").write_sql_dump(rs, fp),
        to_path=lambda rs, path: _writers("sqlite").write_sqlite(rs, path),
    ),
}


# File names that are databases: the suffix chooses the sqlite format. Here, not with the sqlite
# writer, so that choosing a format imports no writer (and no models).
DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def is_database_path(path: Path | None) -> bool:
    """True for ``claims.db``, ``.sqlite`` or ``.sqlite3``: the suffix chooses the sqlite format."""
    return path is not None and path.suffix.lower() in DATABASE_SUFFIXES


def format_for_path(path: Path | None) -> Format | None:
    """The format a file name implies when no --format is given (only ``.db``/``.sqlite`` imply one)."""
    return Format.sqlite if is_database_path(path) else None


def format_enum(name: str, formats: Iterable[Format]) -> type[StrEnum]:
    """A command's choice of formats as an enum (Typer lists its values in --help), derived, not copied."""
    return StrEnum(name, {f.value: f.value for f in formats})  # type: ignore[return-value]


def batch_formats() -> list[Format]:
    """The formats ``batch`` can write, in ``Format`` order."""
    return [f for f in Format if WRITERS[f].batch]


def needs_text(fmt: Format | str) -> bool:
    """True when the format shows the article text, so the records must carry it."""
    return WRITERS[Format(fmt)].needs_text


def write_results(
    results: Iterable[DocumentResult],
    fmt: Format | str,
    fp: TextIO,
    *,
    width: int | None = None,
    truncate: bool = False,
) -> int:
    """Write records in any format; returns the number of documents."""
    return WRITERS[Format(fmt)].fn(results, fp, Render(width, truncate))


def write_results_to(
    path: Path | None,
    results: Iterable[DocumentResult],
    fmt: Format | str,
    *,
    width: int | None = None,
    truncate: bool = False,
) -> int:
    """``write_results`` into stdout (``path`` None) or a file replaced only when writing succeeded.

    A database is the exception: its writer adds to or replaces documents in the file, never the file whole.
    """
    to_path = WRITERS[Format(fmt)].to_path
    if to_path is not None:
        return write_results(results, fmt, sys.stdout, width=width) if path is None else to_path(results, path)
    with open_output(path) as fp:
        return write_results(results, fmt, fp, width=width, truncate=truncate)


class Rows(Protocol):
    """A command's summary as flat rows (``newsclaims speakers``), for the shared table/json/csv writers."""

    title: str
    table_columns: Sequence[tuple[str, str]]  # (name, justify)
    csv_columns: Sequence[str]

    def json_items(self) -> list[Any]: ...
    def table_rows(self) -> Iterable[Sequence[str]]: ...
    def csv_rows(self) -> Iterable[Sequence[object]]: ...


# The formats whose writers take any Rows.
ROW_FORMATS = (Format.table, Format.json, Format.csv)


def write_rows(data: Rows, fmt: Format | str, fp: TextIO, *, width: int | None = None) -> None:
    """Write summary rows as a Rich table, a JSON array or CSV."""
    fmt = Format(fmt)
    if fmt is Format.table:
        _writers("tables").print_table(Console(file=fp, width=width), data.title, data.table_columns, data.table_rows())
    elif fmt is Format.json:
        _writers("records").write_json_array(data.json_items(), fp)
    elif fmt is Format.csv:
        _writers("tables").write_csv_rows(data.csv_columns, data.csv_rows(), fp)
    else:
        raise NewsclaimsError(f"this command writes {', '.join(f.value for f in ROW_FORMATS)}, not {fmt.value}")
