"""Our own record files: JSON and JSONL writers, and the only reader of them.

Shape rule: ``-f json`` is always one JSON array (``[]`` for none), however many inputs there
were, so a ``jq`` script does not break when a glob happens to match one file; ``-f jsonl`` is
the one-object-per-line form (as sqlite-utils does it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic_core import PydanticSerializationError

from newsclaims.errors import InputError
from newsclaims.models import DocumentResult

_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_surrogates(text: str) -> str:
    """JSON text with each lone surrogate written as its ``\\udcXX`` escape, so the text encodes as UTF-8.

    A file name that is not valid UTF-8 is carried as ``os.fsdecode`` makes it (each undecodable
    byte 0xXY a lone surrogate U+DCXY); ``json.loads`` of the escape gives the same string back,
    and ``os.fsencode`` of that the original bytes. Only call this on JSON text: the escape is
    JSON syntax, and inside a JSON string is the only place a lone surrogate can be.
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_json_line(result: DocumentResult) -> str:
    """One document as compact JSON with a stable key order (the models' field order)."""
    try:
        return result.model_dump_json(exclude_none=False)
    except PydanticSerializationError:
        # Lone surrogates (an undecodable file name) have no UTF-8 form; JSON escapes them instead.
        data = result.model_dump(mode="json")
        return escape_surrogates(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def to_json_object(result: DocumentResult) -> str:
    """One document as indented JSON (two spaces, no final newline): the form of ``-f json`` items."""
    return escape_surrogates(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))


def write_jsonl(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """One JSON object per line, flushed as it goes; returns the number written."""
    n = 0
    for result in results:
        fp.write(to_json_line(result) + "\n")
        fp.flush()
        n += 1
    return n


def write_json_array(items: Iterable[Any], fp: TextIO) -> int:
    """A JSON array written item by item (byte-equal to ``json.dumps(list, indent=2)`` plus a newline).

    Each item is a JSON-ready value, or a ``DocumentResult``; returns the number of items.
    """
    n = 0
    for item in items:
        # Nothing is written before the first item exists: a run that fails before then
        # (bad rules, missing model) leaves stdout empty, not a stray "[".
        fp.write("[\n" if not n else ",\n")
        body = (
            to_json_object(item)
            if isinstance(item, DocumentResult)
            else escape_surrogates(json.dumps(item, indent=2, ensure_ascii=False))
        )
        fp.write("\n".join("  " + line for line in body.splitlines()))
        fp.flush()
        n += 1
    fp.write("\n]\n" if n else "[]\n")
    return n


def write_json(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """Records as one JSON array, whatever their number (``[]`` for none); returns the number written."""
    return write_json_array(results, fp)


@dataclass(frozen=True)
class BadLine:
    """A line of a record file that is not a record (``line`` 1-based), as ``read_records`` reports it."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


@dataclass(frozen=True)
class RecordLine:
    """One record with the line it came from (``text`` is the line as read, for JSONL; else '')."""

    line: int
    text: str
    record: DocumentResult


def read_record_lines(
    path: Path, *, tolerant: bool, on_bad_line: Callable[[BadLine], None] | None = None
) -> Iterator[RecordLine]:
    """Records of a newsclaims JSON (object or array) or JSONL file, with their line numbers.

    Strict (``tolerant=False``): a bad line or an unreadable file is an ``InputError`` naming it.
    Tolerant: a bad line (the last line of a killed run is often cut short) is skipped and
    passed to ``on_bad_line``; a missing file gives no records. Batch resume reads this way.
    """
    try:
        # Tolerant readers take what they can: a mangled byte costs one line, not the file.
        text = path.read_text(encoding="utf-8", errors="replace" if tolerant else "strict")
    except (OSError, UnicodeDecodeError) as e:
        if tolerant:
            return
        raise InputError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    stripped = text.lstrip()
    whole_file = stripped.startswith("[") or (stripped.startswith("{") and path.suffix != ".jsonl")
    loaded: Any = None
    if whole_file:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as e:
            # "Extra data" after a first object: JSON lines in a file not named .jsonl.
            if not (stripped.startswith("{") and e.msg == "Extra data"):
                bad = BadLine(path, e.lineno, f"not newsclaims JSON/JSONL: {e.msg} at line {e.lineno}")
                _bad(bad, tolerant, on_bad_line)
                return
            whole_file = False
    if whole_file:
        items = loaded if isinstance(loaded, list) else [loaded]
        lines = _item_lines(text) if isinstance(loaded, list) else [text[: len(text) - len(stripped)].count("\n") + 1]
        for item, line in zip(items, lines, strict=False):
            record = _validate(path, line, item, tolerant, on_bad_line)
            if record is not None:
                yield RecordLine(line, "", record)
        return
    # Line by line, so the first bad line is the one reported, and a long file streams.
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            _bad(BadLine(path, n, f"not newsclaims JSON/JSONL: {e.msg} at line {n}"), tolerant, on_bad_line)
            continue
        record = _validate(path, n, item, tolerant, on_bad_line)
        if record is not None:
            yield RecordLine(n, line, record)


def _item_lines(text: str) -> list[int]:
    """The 1-based line on which each item of a JSON array starts (so errors name the real line)."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    i = text.index("[") + 1
    counted, line = 0, 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            return lines
        # Counted from the previous item on, so a long array costs one pass.
        line += text.count("\n", counted, i)
        counted = i
        lines.append(line)
        _, i = decoder.raw_decode(text, i)


def read_records(
    path: Path, *, tolerant: bool = False, on_bad_line: Callable[[BadLine], None] | None = None
) -> Iterator[DocumentResult]:
    """The records of a newsclaims JSON or JSONL file (see ``read_record_lines`` for ``tolerant``)."""
    for found in read_record_lines(path, tolerant=tolerant, on_bad_line=on_bad_line):
        yield found.record


def _validate(
    path: Path, line: int, item: object, tolerant: bool, on_bad_line: Callable[[BadLine], None] | None
) -> DocumentResult | None:
    from pydantic import ValidationError

    try:
        return DocumentResult.model_validate(item)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        _bad(BadLine(path, line, f"not a newsclaims record: {where}: {first['msg']}"), tolerant, on_bad_line)
        return None


def _bad(bad: BadLine, tolerant: bool, on_bad_line: Callable[[BadLine], None] | None) -> None:
    if not tolerant:
        # The strict wording predates BadLine: "path: not newsclaims JSON/JSONL: …" for a parse error.
        if bad.message.startswith("not newsclaims JSON"):
            raise InputError(f"{bad.path}: {bad.message}")
        raise InputError(str(bad))
    if on_bad_line is not None:
        on_bad_line(bad)
