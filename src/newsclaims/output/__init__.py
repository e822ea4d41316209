"""Output: every format newsclaims writes, and the one reader of its own records.

- ``formats``: the ``Format`` enum, the ``WRITERS`` table and ``write_results``;
- ``records``: JSON and JSONL, and ``read_records``;
- ``tables``: CSV, Markdown and Rich tables;  ``html``: the HTML page;
- ``sqlite``: the corpus database (``corpus``: speakers and quotes across documents);
- ``labels``: short labels shared by the renderers;  ``files``: stdout or an atomic file.

Nothing here imports spaCy, nor (until a writer is used) Pydantic and the models, so the CLI's
``--help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsclaims.output.files import atomic_write, open_output
from newsclaims.output.formats import (
    ROW_FORMATS,
    WRITERS,
    Format,
    Rows,
    Writer,
    batch_formats,
    format_enum,
    format_for_path,
    needs_text,
    write_results,
    write_results_to,
    write_rows,
)

if TYPE_CHECKING:
    from newsclaims.output.html import render_report, write_report
    from newsclaims.output.labels import document_name, figure_label, speaker_label
    from newsclaims.output.records import (
        BadLine,
        RecordLine,
        read_record_lines,
        read_records,
        to_json_line,
        to_json_object,
        write_json,
        write_json_array,
        write_jsonl,
    )
    from newsclaims.output.tables import (
        CSV_COLUMNS,
        csv_rows,
        figure_csv,
        print_table,
        render_table,
        write_csv,
        write_csv_rows,
        write_markdown,
    )

# The writers' names from their modules on first use: those modules import the Pydantic models,
# which ``newsclaims --help`` (and every command's start) would otherwise pay for (issue 13).
_LAZY = {
    "html": ("render_report", "write_report"),
    "labels": ("document_name", "figure_label", "speaker_label"),
    "records": (
        "BadLine",
        "RecordLine",
        "read_record_lines",
        "read_records",
        "to_json_line",
        "to_json_object",
        "write_json",
        "write_json_array",
        "write_jsonl",
    ),
    "tables": (
        "CSV_COLUMNS",
        "csv_rows",
        "figure_csv",
        "print_table",
        "render_table",
        "write_csv",
        "write_csv_rows",
        "write_markdown",
    ),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "CSV_COLUMNS",
    "ROW_FORMATS",
    "WRITERS",
    "BadLine",
    "Format",
    "RecordLine",
    "Rows",
    "Writer",
    "atomic_write",
    "batch_formats",
    "csv_rows",
    "document_name",
    "figure_csv",
    "figure_label",
    "format_enum",
    "format_for_path",
    "needs_text",
    "open_output",
    "print_table",
    "read_record_lines",
    "read_records",
    "render_report",
    "render_table",
    "speaker_label",
    "to_json_line",
    "to_json_object",
    "write_csv",
    "write_csv_rows",
    "write_json",
    "write_json_array",
    "write_jsonl",
    "write_markdown",
    "write_report",
    "write_results",
    "write_results_to",
    "write_rows",
]
