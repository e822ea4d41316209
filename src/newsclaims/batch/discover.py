"""Finding a batch's input files: folders, named files and globs, in a deterministic order."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsclaims.errors import InputError
from newsclaims.inputs import INPUT_SUFFIXES

# The one list of file kinds we read as articles; the default --include globs are made from it.
DEFAULT_INCLUDE = tuple(f"*{suffix}" for suffix in INPUT_SUFFIXES)
_GLOB_CHARS = frozenset("*?[")


@dataclass
class Discovery:
    """The input files of a batch, in a deterministic order, and what was skipped on the way."""

    files: list[str] = field(default_factory=list)
    hidden: int = 0
    empty: int = 0
    excluded: int = 0
    duplicates: int = 0
    loops: int = 0
    special: int = 0
    outside: int = 0
    own_outputs: int = 0
    # Real paths of this run's own output files: never inputs.
    outputs: set[str] = field(default_factory=set, repr=False)

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
            ("special files", self.special),
            ("symlinks out of the folder", self.outside),
            ("newsclaims outputs", self.own_outputs),
        ]


def discover(
    sources: list[str],
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = (),
    *,
    outputs: tuple[os.PathLike[str] | str, ...] = (),
    follow_outside: bool = False,
) -> Discovery:
    """Files under folders (recursively, sorted), named files, and glob matches, in the order given.

    ``include``/``exclude`` are globs matched (case-insensitively) against the file name or its
    path below the folder; ``include`` applies to folders (given, or matched by a glob),
    ``exclude`` to everything. Globs take ``**`` for any depth. Hidden names and empty files
    are skipped and counted; a file reached twice is kept once; symlinked folders are followed
    but never into a loop.

    Inside a folder, symlinks that lead out of it are skipped unless ``follow_outside`` (a saved
    page folder must not pull in files from anywhere on the system); FIFOs, sockets and devices
    are skipped as "special files". Named files are taken as named, FIFOs included. Files that
    newsclaims wrote (its reports and records, known by their first bytes) and ``outputs`` (files
    that are never articles, such as the errors file) are never inputs.
    """
    found = Discovery(outputs={os.path.realpath(p) for p in outputs})
    seen: set[str] = set()
    for source in sources:
        path = Path(source)
        if path.is_dir():
            _walk(source, lambda rel, name: _matches(rel, name, include), exclude, found, seen, follow_outside)
        elif path.exists():
            # Named on the command line: a FIFO or device is read as the user asked (bounded in size).
            _add(source, path.name, exclude, found, seen, named=True)
        elif _GLOB_CHARS & set(source):
            base, pattern = _split_glob(source)
            regex = _glob_regex(pattern)

            def select(rel: str, name: str, regex: re.Pattern[str] = regex) -> bool:
                if regex.fullmatch(rel):
                    return True
                parents = [rel[:i] for i, c in enumerate(rel) if c == "/"]
                return any(regex.fullmatch(d) for d in parents) and _matches(rel, name, include)

            if Path(base).is_dir():
                _walk(base, select, exclude, found, seen, follow_outside)
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
    root: str,
    select: Callable[[str, str], bool],
    exclude: tuple[str, ...],
    found: Discovery,
    seen: set[str],
    follow_outside: bool = False,
) -> None:
    visited: set[tuple[int, int]] = set()
    real_root = os.path.realpath(root)
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
            elif not follow_outside and not _inside(os.path.join(dirpath, d), real_root):
                found.outside += 1
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith("."):
                found.hidden += 1
            elif select(_rel(root, dirpath, name), name):
                path = os.path.join(dirpath, name)
                if not follow_outside and not _inside(path, real_root):
                    found.outside += 1
                else:
                    _add(path, _rel(root, dirpath, name), exclude, found, seen)


def _inside(path: str, real_root: str) -> bool:
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _rel(root: str, dirpath: str, name: str) -> str:
    return Path(os.path.relpath(os.path.join(dirpath, name), root)).as_posix()


def _add(
    path: str, rel: str, exclude: tuple[str, ...], found: Discovery, seen: set[str], *, named: bool = False
) -> None:
    if _matches(rel, Path(path).name, exclude):
        found.excluded += 1
        return
    real = os.path.realpath(path)
    if real in found.outputs:
        found.own_outputs += 1
        return
    if real in seen:
        found.duplicates += 1
        return
    try:
        st = os.stat(path)
    except OSError:
        st = None  # unreadable or gone: let the worker report it as an error line
    if st is not None and not stat.S_ISREG(st.st_mode):
        if not (named and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode))):
            found.special += 1
            return
    elif st is not None:
        if st.st_size == 0:
            found.empty += 1
            return
        if _our_output(path):
            found.own_outputs += 1
            return
    seen.add(real)
    found.files.append(path)


# What the first 2 KB of newsclaims' own outputs contain: HTML and Markdown reports, JSON(L) records.
_OUTPUT_MARKERS = (b"<title>newsclaims report", b"| # | Speaker | Cue | Category |", b'{"schema_version":')


def _our_output(path: str) -> bool:
    """True for a file newsclaims wrote (an earlier run's ``-o report.md`` in the input folder).

    By content, not by name: an article that happens to be named like this run's ``-o`` is still
    an article, and ``-o`` onto it is refused rather than the article skipped and overwritten.
    """
    try:
        with open(path, "rb") as fp:
            head = fp.read(2048)
    except OSError:
        return False
    return any(marker in head for marker in _OUTPUT_MARKERS)


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    rel, name = rel.lower(), name.lower()
    return any(fnmatch.fnmatchcase(name, p.lower()) or fnmatch.fnmatchcase(rel, p.lower()) for p in patterns)
