"""Resume: which earlier record stands for an input, and the records kept from interrupted runs.

A record is reused when its resume key matches: same content (sha256), model, rules
fingerprint and tool version, and the same record-shaping options (article text included or
not, timestamped or not). Records of an interrupted run live in ``.OUTPUT.partial``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def resume_key(sha256: str, model: str, rules: str, version: str, *, text: bool = False, stamped: bool = False) -> str:
    """What must match for an earlier record to stand for this input.

    Content, model, rules and tool version, and every option that changes a record: ``text``
    (``--include-text``, or a format that needs the text) and ``stamped`` (``--timestamp``).
    Both are read back from the record itself, so the key cannot drift from what was written.
    """
    return f"{sha256}|{model}|{rules}|{version}|text={int(text)}|stamped={int(stamped)}"


def partial_paths(output: Path) -> tuple[Path, Path]:
    """``(.OUTPUT.partial, .OUTPUT.partial.tmp)``: records kept for --resume, and the output being written."""
    return output.with_name(f".{output.name}.partial"), output.with_name(f".{output.name}.partial.tmp")


def load_known(paths: list[Path]) -> dict[str, dict[str, str]]:
    """Records of earlier runs by input path and resume key; truncated or foreign lines are ignored.

    Read with the project's one record reader, tolerantly: the last line of a killed run may be cut short.
    """
    from newsclaims.output.records import read_record_lines

    known: dict[str, dict[str, str]] = {}
    for path in paths:
        for line in read_record_lines(path, tolerant=True):
            rec = line.record
            gen = rec.generator
            if line.text and isinstance(rec.source.path, str):
                key = resume_key(
                    rec.source.sha256,
                    gen.model,
                    gen.rules,
                    gen.version,
                    text=rec.text is not None,
                    stamped=gen.generated_at is not None,
                )
                known.setdefault(rec.source.path, {})[key] = line.text.rstrip("\n")
    return known


def earlier_stamp(known: dict[str, dict[str, str]]) -> str | None:
    """The ``generated_at`` of the kept records, if any carries one.

    A resumed ``--timestamp`` run stamps its new records with it, so the output is the one an
    uninterrupted run started at that time would have written (one stamp per run).
    """
    import json

    for by_key in known.values():
        for key, line in by_key.items():
            if key.endswith("stamped=1"):
                stamp = json.loads(line).get("generator", {}).get("generated_at")
                if isinstance(stamp, str):
                    return stamp
    return None


def write_lines(path: Path, lines: Iterable[str]) -> None:
    """Replace ``path`` with ``lines`` atomically, so a kill while rewriting never loses the kept records."""
    # Callers hold the output's lock, so this fixed name is never shared by two runs.
    new = path.with_name(path.name + ".new")
    with new.open("w", encoding="utf-8") as fp:
        fp.writelines(line + "\n" for line in lines)
    os.replace(new, path)
