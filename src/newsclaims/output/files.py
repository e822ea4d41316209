"""Where output goes: stdout, or a file replaced atomically. Every writer of a file goes through here."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from newsclaims.errors import NewsclaimsError


@contextmanager
def atomic_write(path: Path) -> Iterator[TextIO]:
    """``path`` written under a temporary name beside it and renamed into place only on success.

    An interrupted or failed run never leaves a truncated file where the output should be, and
    the old file stays as it was. The temporary name is per process, so two runs never share one.
    """
    if path.is_dir():
        raise NewsclaimsError(f"{path}: is a directory; give a file name for --output")
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        fp = tmp.open("w", encoding="utf-8")
    except OSError as e:
        raise NewsclaimsError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with fp:
            yield fp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """stdout (flushed at the end), or ``path`` through ``atomic_write``."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_write(path) as fp:
        yield fp
