"""Batch runs: find article files, run an engine over them, stream ordered JSONL, resume, report errors.

- ``discover``: the input files, in a deterministic order, and what was skipped;
- ``run``: ``run_batch`` with its options and summary (which files are on disk during a run);
- ``worker``: what every engine runs per chunk of files; ``local`` and ``dask``: the engines;
- ``resume``: resume keys and the records kept from earlier runs; ``progress``: the progress bar.
"""

from __future__ import annotations

from newsclaims.batch.discover import DEFAULT_INCLUDE, INPUT_SUFFIXES, Discovery, discover
from newsclaims.batch.progress import ProgressCallback, RichProgress
from newsclaims.batch.resume import load_known, resume_key
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
