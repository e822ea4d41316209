"""Where output goes: stdout, or a file replaced atomically. Every writer of a file goes through here.

What ``-o PATH`` does, by what is at PATH:

- nothing, or a regular file: written under a unique temporary name beside it, renamed over it on
  success, under an exclusive lock (``.PATH.lock``, removed afterwards), so a second run writing
  the same file fails at once with one error line instead of mixing its output in;
- a symlink: its target is written (and replaced), the link itself is kept;
- a FIFO or a character device (``/dev/null``, a terminal): written through, never replaced;
- a directory, a socket or a block device: refused;
- one of the run's own inputs: refused (``refuse_inputs``).
"""

from __future__ import annotations

import fcntl
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from newsclaims.errors import NewsclaimsError


def output_target(path: Path) -> Path:
    """The file ``-o path`` writes: a symlink's target (so the link survives), never a directory."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise NewsclaimsError(f"{path}: is a directory; give a file name for --output")
    return target


def is_stream(path: Path) -> bool:
    """True for a FIFO or character device: written through, never renamed over."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _refuse_special(path: Path, shown: Path) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        raise NewsclaimsError(f"{shown}: is not a regular file, FIFO or character device; cannot write output there")


def refuse_inputs(outputs: Iterable[Path | None], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """A NewsclaimsError when an output file is one of the inputs (same file, by device and inode)."""
    existing = {}
    for out in outputs:
        if out is None:
            continue
        try:
            st = os.stat(out)
        except OSError:
            continue  # not there yet: it cannot be an input
        if stat.S_ISREG(st.st_mode):
            existing[(st.st_dev, st.st_ino)] = out
    if not existing:
        return
    for item in inputs:
        if os.fspath(item) == "-":
            continue
        try:
            st = os.stat(item)
        except OSError:
            continue
        out = existing.get((st.st_dev, st.st_ino))
        if out is not None:
            raise NewsclaimsError(f"{out}: is also an input; writing it would destroy the article (choose another -o)")


def lock_path(path: Path) -> Path:
    """The lock file that guards ``path`` while a run writes it."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``.PATH.lock`` for the block; held elsewhere = one NewsclaimsError.

    The lock file is removed on release. A run that opened it just before the removal locks a
    file no longer in the folder, so after locking we check the name still leads to our file.
    """
    lock = lock_path(path)
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as e:
            raise NewsclaimsError(f"{path}: cannot write: {e.strerror or e}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise NewsclaimsError(
                f"{path}: another newsclaims run is writing it (lock {lock} is held); "
                "wait for that run to end or choose another --output"
            ) from None
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        # Removed while still locked, so no other run can lock this file in between.
        with suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def unique_temp(path: Path, kind: str = "tmp") -> tuple[Path, TextIO]:
    """A new file beside ``path`` with a name no other run uses (pid and random part), opened for writing."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.{kind}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        return tmp, os.fdopen(fd, "w", encoding="utf-8")
    raise NewsclaimsError(f"{path}: cannot create a temporary file beside it")


@contextmanager
def atomic_write(path: Path) -> Iterator[TextIO]:
    """``path`` written under a temporary name beside it and renamed into place only on success.

    An interrupted or failed run never leaves a truncated file where the output should be, and
    the old file stays as it was. See the module docstring for symlinks, FIFOs, devices and locks.
    """
    target = output_target(path)
    _refuse_special(target, path)
    if is_stream(target):
        try:
            fp = target.open("w", encoding="utf-8")
        except OSError as e:
            raise NewsclaimsError(f"{path}: cannot write: {e.strerror or e}") from None
        with fp:
            yield fp
        return
    with exclusive_lock(target):
        try:
            tmp, fp = unique_temp(target)
        except OSError as e:
            raise NewsclaimsError(f"{path}: cannot write: {e.strerror or e}") from None
        try:
            with fp:
                # The replaced file keeps its permissions (a shared report stays group-readable).
                with suppress(OSError):
                    os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
                yield fp
            os.replace(tmp, target)
        except OSError as e:
            # Disk full, folder gone or read-only: one line naming the output, the old file kept.
            raise NewsclaimsError(f"{path}: cannot write: {e.strerror or e}") from None
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
