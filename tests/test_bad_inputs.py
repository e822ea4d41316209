"""Broken and unusual input: each case gives claims or one exact error, through the library and the CLI.

Small text and HTML fixtures live in ``tests/bad_inputs/``; binary, encoded and large cases
are generated here so the repository stays small. Every CLI error must be one line on
stderr, a non-zero exit and no traceback; every CLI success must equal the library result.
"""

from __future__ import annotations

import codecs
import gzip
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from newsclaims.cli import app
from newsclaims.errors import InputError
from newsclaims.inputs import read_article
from newsclaims.models import DocumentResult
from newsclaims.pipeline import extract_articles

BAD = Path(__file__).resolve().parent / "bad_inputs"
ARTICLE = (
    "Harbour fees to rise\n\n"
    "The minister said that harbour fees would rise by 5% next year.\n\n"
    "“We will not back down,” she told reporters.\n"
)
# (speaker, cue, content) of the claims in ARTICLE.
ARTICLE_CLAIMS = {
    ("The minister", "said", "that harbour fees would rise by 5% next year"),
    ("she", "told reporters", "“We will not back down,”"),
}


def _png() -> bytes:
    """A valid 1x1 PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


@dataclass
class Case:
    """One input: its bytes and file name, and either an exact error or the claims it must give."""

    id: str
    data: bytes | Callable[[], bytes]
    name: str = "article.txt"
    error: str | None = None  # exact message; "{path}" stands for the file path
    claims: set[tuple[str | None, str, str]] = field(default_factory=set)  # must all be found
    text: str | None = None  # the decoded text the offsets refer to, when known

    def bytes(self) -> bytes:
        return self.data() if callable(self.data) else self.data


BINARY = "{path}: looks like a binary file, not an article (expected text or HTML)"
NO_HTML_TEXT = "{path}: no article text found in the HTML"
LATIN1_TEXT = "The café owner in Zürich said that « les impôts » would rise by 5% next year.\n"
LONG_LINE_UNIT = "The mayor said that the ferry would run on time. Boats were late again on Tuesday morning. "
LONG_LINE = (LONG_LINE_UNIT * (50_000 // len(LONG_LINE_UNIT) + 1))[:50_000]
OPEN_QUOTES = "“" * 2000 + "\n\nThe minister said that harbour fees would rise.\n"

CASES = [
    Case("empty", b"", error="{path}: is empty"),
    Case("whitespace-only", b" \n\t\r\n  \n", error="{path}: contains only white space"),
    Case("png", _png, name="photo.txt", error=BINARY),
    Case("gzip", lambda: gzip.compress(ARTICLE.encode()), name="article.txt.gz", error=BINARY),
    Case("nul-in-first-8k", ARTICLE.replace("harbour", "har\x00bour", 1).encode(), error=BINARY),
    Case(
        "nul-after-8k",
        ("Boats were late again. " * 400 + "\n\n" + ARTICLE.replace("would rise", "would\x00 rise")).encode(),
        claims={("The minister", "said", "that harbour fees would\x00 rise by 5% next year")},
    ),
    Case("utf8-bom", codecs.BOM_UTF8 + ARTICLE.encode(), claims=ARTICLE_CLAIMS, text=ARTICLE),
    Case("utf16-le-bom", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), claims=ARTICLE_CLAIMS, text=ARTICLE),
    Case("utf16-be-bom", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), claims=ARTICLE_CLAIMS, text=ARTICLE),
    Case("windows-1252-curly-quotes", ARTICLE.encode("cp1252"), claims=ARTICLE_CLAIMS, text=ARTICLE),
    Case(
        "latin-1",
        LATIN1_TEXT.encode("latin-1"),
        claims={("The café owner in Zürich", "said", "that « les impôts » would rise by 5% next year")},
        text=LATIN1_TEXT,
    ),
    Case(
        "mixed-line-endings",
        b"Harbour fees\r\n\r\nThe minister said that harbour fees would rise.\r\n"
        b"She said that the plan was sound.\rHe told reporters that it would fail.\n",
        claims={
            ("The minister", "said", "that harbour fees would rise"),
            ("She", "said", "that the plan was sound"),
            ("He", "told reporters", "that it would fail"),
        },
    ),
    Case(
        "single-50000-char-line",
        LONG_LINE.encode(),
        claims={("The mayor", "said", "that the ferry would run on time")},
        text=LONG_LINE,
    ),
    Case(
        "2000-opening-quotes",
        OPEN_QUOTES.encode(),
        claims={("The minister", "said", "that harbour fees would rise")},
        text=OPEN_QUOTES,
    ),
    Case(
        "nested-and-mismatched-quotes",
        lambda: (BAD / "quotes_mixed.txt").read_bytes(),
        claims={
            ("the mayor", "said", "“The harbour will reopen ‘within weeks’, not months,”"),
            ("She", "said", "that the 'temporary' closure had already lasted a year"),
        },
    ),
    Case(
        "right-to-left-and-emoji",
        lambda: (BAD / "rtl_emoji.txt").read_bytes(),
        claims={
            ("the envoy", "said", "“مرحبا بالجميع، we are here to listen 🎉👍🏽,”"),
            ("The delegate", "said", "that the talks were “שלום עכשיו – peace now 🇮🇱🤝” for everyone"),
            ("A spokesperson", "told reporters", "that the mood was good 😊"),
        },
    ),
    Case("html-no-body", lambda: (BAD / "html_no_body.html").read_bytes(), name="page.html", error=NO_HTML_TEXT),
    Case(
        "html-only-scripts", lambda: (BAD / "html_only_scripts.html").read_bytes(), name="page.html", error=NO_HTML_TEXT
    ),
    Case(
        "html-truncated-mid-tag",
        lambda: (BAD / "html_truncated.html").read_bytes(),
        name="page.html",
        claims={
            ("The transport minister", "said", "that ferry fares would rise by 4% in the spring"),
            ("she", "told reporters", "“We have no other choice,”"),
        },
    ),
    Case("html-empty-body-no-extension", b"<html><body></body></html>", error=NO_HTML_TEXT),
]


def _triples(result: DocumentResult) -> set[tuple[str | None, str, str]]:
    return {(c.speaker.text if c.speaker else None, c.cue.text, c.content.text) for c in result.claims}


def _assert_offsets(text: str, result: DocumentResult) -> None:
    spans = [f for f in result.figures]
    for c in result.claims:
        spans += [c.cue, c.content, *c.figures] + ([c.speaker] if c.speaker else [])
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _write(case: Case, tmp_path: Path) -> Path:
    path = tmp_path / case.name
    path.write_bytes(case.bytes())
    return path


def _assert_one_error_line(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"Error: {message}"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_library(case: Case, tmp_path: Path, nlp) -> None:
    path = _write(case, tmp_path)
    if case.error is not None:
        with pytest.raises(InputError) as err:
            list(extract_articles([read_article(path)]))
        assert str(err.value) == case.error.format(path=path)
        return
    article = read_article(path)
    if case.text is not None:
        assert article.text == case.text
    [result] = extract_articles([article])
    _assert_offsets(article.text, result)
    assert case.claims <= _triples(result), _triples(result)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli(case: Case, tmp_path: Path, runner: CliRunner, nlp) -> None:
    path = _write(case, tmp_path)
    result = runner.invoke(app, ["extract", str(path), "--format", "json", "--include-text"])
    if case.error is not None:
        _assert_one_error_line(result, case.error.format(path=path))
        return
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    record = DocumentResult.model_validate(json.loads(result.stdout)[0])
    assert record.text is not None
    _assert_offsets(record.text, record)
    assert case.claims <= _triples(record)
    [library] = extract_articles([read_article(path)], include_text=True)
    assert record == library


def test_directory_given_to_extract(tmp_path: Path, runner: CliRunner) -> None:
    message = f"{tmp_path}: is a directory (use `newsclaims batch` for folders)"
    with pytest.raises(InputError) as err:
        read_article(tmp_path)
    assert str(err.value) == message
    _assert_one_error_line(runner.invoke(app, ["extract", str(tmp_path)]), message)


def test_missing_file(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "gone.txt"
    _assert_one_error_line(runner.invoke(app, ["extract", str(path)]), f"{path}: no such file")


def test_permission_denied(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    original = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    # As root, chmod 000 does not stop reads, so the refusal is simulated.
    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as err:
        read_article(path)
    assert str(err.value) == f"{path}: permission denied"
    _assert_one_error_line(runner.invoke(app, ["extract", str(path)]), f"{path}: permission denied")


def test_permission_denied_for_real(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not deny reads")
        _assert_one_error_line(runner.invoke(app, ["extract", str(path)]), f"{path}: permission denied")
    finally:
        path.chmod(0o600)


def test_dash_with_nothing_on_stdin(runner: CliRunner) -> None:
    _assert_one_error_line(runner.invoke(app, ["extract", "-"], input=""), "<stdin>: is empty")


def test_dash_with_a_terminal_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    with pytest.raises(InputError) as err:
        read_article("-")
    assert str(err.value) == "<stdin>: nothing on standard input (pipe an article in, or give a file)"


def test_bad_bytes_on_stdin(runner: CliRunner) -> None:
    _assert_one_error_line(
        runner.invoke(app, ["extract", "-"], input=gzip.compress(ARTICLE.encode())),
        BINARY.format(path="<stdin>"),
    )


def test_5mb_article_is_parsed_in_chunks_with_true_offsets(tmp_path: Path, runner: CliRunner, nlp) -> None:
    """Longer than spaCy's max_length (1,000,000): parsed in chunks, offsets still into the whole text.

    The paragraphs are separated by long runs of blank lines, so the file is over 5 MB while
    the model sees few tokens and the test stays fast.
    """
    count = 40
    paragraphs = [
        f"The mayor said that ferry {i} would sail at noon. “Tickets for ferry {i} are sold out,” she told reporters."
        for i in range(count)
    ]
    text = ("\n" * (5 * 1024 * 1024 // (count - 1))).join(paragraphs) + "\n"
    assert len(text) > 5 * 1024 * 1024 > nlp.max_length
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")

    [library] = extract_articles([read_article(path)])
    _assert_offsets(text, library)
    expected = {("The mayor", "said", f"that ferry {i} would sail at noon") for i in range(count)}
    expected |= {("she", "told reporters", f"“Tickets for ferry {i} are sold out,”") for i in range(count)}
    assert _triples(library) == expected
    last = max(library.claims, key=lambda c: c.content.start)
    assert last.content.start > 5_000_000

    result = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert DocumentResult.model_validate(json.loads(result.stdout)[0]) == library


def _batch_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(ARTICLE.replace("harbour", f"harbour {name[0]}"), encoding="utf-8")
    return folder


def _batch(runner: CliRunner, folder: Path, out: Path) -> tuple[Result, list[dict], list[dict]]:
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "--workers", "1"])
    assert "Traceback" not in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors_file = out.with_name(out.stem + ".errors.jsonl")
    errors = [json.loads(line) for line in errors_file.read_text(encoding="utf-8").splitlines()]
    return result, records, errors


def test_batch_file_deleted_between_listing_and_reading(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, nlp
) -> None:
    from newsclaims import batch

    folder = _batch_folder(tmp_path)
    gone = folder / "b.txt"
    real_discover = batch.discover

    def discover_then_delete(*args: object, **kwargs: object) -> batch.Discovery:
        found = real_discover(*args, **kwargs)
        gone.unlink()
        return found

    monkeypatch.setattr(batch, "discover", discover_then_delete)
    result, records, errors = _batch(runner, folder, tmp_path / "claims.jsonl")
    assert result.exit_code == 3, result.output
    assert [Path(r["source"]["path"]).name for r in records] == ["a.txt", "c.txt"]
    assert errors == [{"path": str(gone), "error": "InputError", "message": f"{gone}: no such file"}]
    assert "1 failed" in result.stderr


def test_batch_permission_denied(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, nlp) -> None:
    folder = _batch_folder(tmp_path)
    locked = folder / "c.txt"
    original = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    # As root, chmod 000 does not stop reads, so the refusal is simulated (workers=1 runs in this process).
    monkeypatch.setattr(Path, "read_bytes", denied)
    result, records, errors = _batch(runner, folder, tmp_path / "claims.jsonl")
    assert result.exit_code == 3, result.output
    assert [Path(r["source"]["path"]).name for r in records] == ["a.txt", "b.txt"]
    assert errors == [{"path": str(locked), "error": "InputError", "message": f"{locked}: permission denied"}]
