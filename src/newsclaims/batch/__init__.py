"""Batch runs: find article files, run an engine over them, stream ordered JSONL, resume, report errors.

- ``discover``: the input files, in a deterministic order, and what was skipped;
- ``run``: ``run_batch`` with its options and summary (which files are on disk during a run);
- ``worker``: what every engine runs per chunk of files; ``local`` and ``dask``: the engines;
- ``resume``: resume keys and the records kept from earlier runs; ``progress``: the progress bar.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsclaims.batch.discover import DEFAULT_INCLUDE, INPUT_SUFFIXES, Discovery, discover
from newsclaims.batch.progress import ProgressCallback, RichProgress
from newsclaims.batch.resume import load_known, resume_key

if TYPE_CHECKING:
    from newsclaims.batch.run import (
        EXIT_INTERRUPTED,
        EXIT_OK,
        EXIT_SOME_FAILED,
        BatchOptions,
        BatchSummary,
        default_workers,
        errors_path_for,
        run_batch,
        stream_batch,
    )

# The runner's names from ``batch.run`` on first use: a pool worker imports ``batch.local`` and
# ``batch.worker``, and importing the runner there too (the output formats, Rich) cost every
# worker 0.3 s of CPU before its first article (issue 13).
_RUN_NAMES = frozenset(
    {
        "EXIT_INTERRUPTED",
        "EXIT_OK",
        "EXIT_SOME_FAILED",
        "BatchOptions",
        "BatchSummary",
        "default_workers",
        "errors_path_for",
        "run_batch",
        "stream_batch",
    }
)


def __getattr__(name: str) -> Any:
    if name not in _RUN_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.run"), name)


__all__ = [
    "DEFAULT_INCLUDE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "INPUT_SUFFIXES",
    "BatchOptions",
    "BatchSummary",
    "Discovery",
    "ProgressCallback",
    "RichProgress",
    "default_workers",
    "discover",
    "errors_path_for",
    "load_known",
    "resume_key",
    "run_batch",
    "stream_batch",
]
