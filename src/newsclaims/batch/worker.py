"""The batch worker: what every engine runs, wherever it runs (this process, a process pool, a Dask cluster).

Every engine runs the same ``process_chunk`` over chunks of files and yields the outcome
lists back in chunk order, so the output does not depend on the engine or worker count.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from newsclaims import __version__
from newsclaims.batch.resume import resume_key
from newsclaims.errors import NewsclaimsError

OutcomeKind = Literal["record", "reuse", "error"]


@dataclass(frozen=True)
class Settings:
    """What every worker needs to build the same pipeline and records."""

    model: str | None = None
    rules_dir: str | None = None
    include_text: bool = False
    batch_size: int = 16
    # One time for the whole run, so every record of a batch carries the same stamp.
    timestamp: str | None = None


@dataclass
class Task:
    """One input file: its place in the batch, and records of it from an earlier run (resume keys)."""

    index: int
    path: str
    known: tuple[str, ...] = ()
    # Engines whose workers may not see the file system (Dask) ship the bytes, or the read error.
    data: bytes | None = None
    read_error: tuple[str, str] | None = None


@dataclass
class Outcome:
    """What became of one task: a JSONL record, a reuse of a known record (its key), or an error line."""

    index: int
    kind: OutcomeKind
    payload: str
    words: int = 0


class Engine(Protocol):
    def run(self, chunks: Iterable[list[Task]]) -> Iterator[list[Outcome]]:
        """Outcomes of each chunk, in the order the chunks were given."""
        ...

    def close(self) -> None:
        """Stop workers; pending work is dropped."""
        ...


def error_line(path: str, error: str, message: str) -> str:
    """One line of the errors file."""
    return json.dumps({"path": path, "error": error, "message": message}, ensure_ascii=False)


# One pipeline use at a time per process: a Dask worker may run several tasks in threads.
_LOCK = threading.Lock()


def process_chunk(tasks: list[Task], settings: Settings) -> list[Outcome]:
    """Read, parse and assemble a chunk of files in one worker; the pipeline is built once per process."""
    with _LOCK:
        return _process_chunk(tasks, settings)


def _process_chunk(tasks: list[Task], settings: Settings) -> list[Outcome]:
    from newsclaims.assemble import model_label
    from newsclaims.inputs import article_from_bytes, read_article
    from newsclaims.pipeline import get_nlp

    rules_dir = Path(settings.rules_dir) if settings.rules_dir else None
    nlp = get_nlp(settings.model, rules_dir)
    label, rules = model_label(nlp), nlp.meta.get("newsclaims_rules", "")
    outcomes: dict[int, Outcome] = {}
    pending = []
    for task in tasks:
        if task.read_error is not None:
            outcomes[task.index] = Outcome(task.index, "error", error_line(task.path, *task.read_error))
            continue
        try:
            article = read_article(task.path) if task.data is None else article_from_bytes(task.data, task.path)
        except Exception as e:  # one bad file must not stop the batch
            outcomes[task.index] = _error(task, e)
            continue
        key = resume_key(article.sha256, label, rules, __version__)
        if key in task.known:
            outcomes[task.index] = Outcome(task.index, "reuse", key)
        else:
            pending.append((task, article))
    for task, outcome in zip((t for t, _ in pending), _extract(pending, nlp, settings), strict=True):
        outcomes[task.index] = outcome
    return [outcomes[t.index] for t in tasks]


def _extract(pending: list, nlp, settings: Settings) -> list[Outcome]:
    from newsclaims.pipeline import parse_articles

    try:
        docs = parse_articles(nlp, [a for _, a in pending], settings.batch_size)
        return [
            _record(task, article, doc, nlp, settings) for (task, article), (_, doc) in zip(pending, docs, strict=True)
        ]
    except NewsclaimsError:
        raise
    except Exception:
        pass
    # A failure inside a batched parse: redo one by one so only the bad article is lost.
    results = []
    for task, article in pending:
        try:
            doc = next(iter(parse_articles(nlp, [article], 1)))[1]
            results.append(_record(task, article, doc, nlp, settings))
        except Exception as e:
            results.append(_error(task, e))
    return results


def _record(task: Task, article, doc, nlp, settings: Settings) -> Outcome:
    from newsclaims.assemble import document_result, generator_for
    from newsclaims.output import to_json_line

    result = document_result(
        doc, article, generator_for(nlp), include_text=settings.include_text, timestamp=settings.timestamp
    )
    line = to_json_line(result)
    return Outcome(task.index, "record", line, words=_words(doc))


def _words(doc) -> int:
    return sum(1 for t in doc if not (t.is_space or t.is_punct))


def _error(task: Task, e: BaseException) -> Outcome:
    message = str(e) or type(e).__name__
    return Outcome(task.index, "error", error_line(task.path, type(e).__name__, message))
