"""Fault injection: the hostile or unlucky inputs, names, signals and second processes of issue 14.

Each test reproduces one numbered case of the issue and is bounded in time (subprocesses run
with ``timeout=``; signals are sent to processes this test started, by pid).
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsclaims.batch import BatchOptions, discover, run_batch
from newsclaims.errors import InputError, NewsclaimsError
from newsclaims.inputs import (
    MAX_HTML_DEPTH,
    article_from_bytes,
    break_punctuation_runs,
    declared_encoding,
    decode_bytes,
    read_bytes,
    read_limited,
)
from newsclaims.output.files import atomic_write, exclusive_lock, lock_path, unique_temp
from newsclaims.output.records import read_records
from newsclaims.output.safe_text import for_terminal, for_terminal_line

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = b'The mayor said the bridge would reopen in May. "We are on schedule," she told reporters.\n'
BAD_NAME = b"bad\xff\xfename.txt"


def cli(*args: str, cwd: Path | None = None, timeout: float = 180, **kw) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "newsclaims", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="backslashreplace",
        **kw,
    )


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), proc.stderr
    return lines[0]


def folder(tmp_path: Path, n: int = 2) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"a{i:03}.txt").write_bytes(ARTICLE.replace(b"May", f"May {i}".encode()))
    return src


# 1. Paths as data ------------------------------------------------------------------------------


def test_undecodable_file_name_batch_resume_and_extract(tmp_path: Path) -> None:
    src = folder(tmp_path)
    bad = os.path.join(os.fsencode(src), BAD_NAME)
    with open(bad, "wb") as fp:
        fp.write(ARTICLE)
    out = tmp_path / "claims.jsonl"
    first = cli("batch", str(src), "-o", str(out), "-w", "1", "-q")
    assert first.returncode == 0, first.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    # The record's path round-trips to the file's bytes.
    assert os.fsencode(records[2]["source"]["path"]) == bad
    assert "\\udcff\\udcfe" in out.read_text(encoding="utf-8")
    again = cli("batch", str(src), "-o", str(out), "-w", "1", "--resume")
    assert again.returncode == 0 and "(3 reused)" in again.stderr, again.stderr
    one = cli("extract", os.fsdecode(bad), "-f", "jsonl")
    assert one.returncode == 0 and "Traceback" not in one.stderr
    assert os.fsencode(json.loads(one.stdout)["source"]["path"]) == bad


# 2. Safe outputs -------------------------------------------------------------------------------


def test_output_onto_an_input_or_a_directory_is_refused(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_bytes(ARTICLE)
    assert "is also an input" in one_error_line(cli("extract", str(art), "-o", str(art), "-f", "json"))
    assert art.read_bytes() == ARTICLE
    assert "is a directory" in one_error_line(cli("extract", str(art), "-o", str(tmp_path)))
    src = folder(tmp_path)
    inside = src / "a000.txt"
    assert "is also an input" in one_error_line(cli("batch", str(src), "-o", str(inside)))
    assert inside.read_bytes().startswith(b"The mayor")


def test_fifo_device_and_symlink_are_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with atomic_write(fifo) as fp:
        fp.write("through the pipe\n")
    reader.join(timeout=10)
    assert got == [b"through the pipe\n"] and fifo.is_fifo()
    with atomic_write(Path("/dev/null")) as fp:
        fp.write("nothing\n")
    assert Path("/dev/null").is_char_device()
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    with atomic_write(link) as fp:
        fp.write("new")
    assert link.is_symlink() and target.read_text() == "new"
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(NewsclaimsError, match="not a regular file"), atomic_write(sock_path) as fp:
            fp.write("x")
    assert not list(tmp_path.glob(".*tmp"))


def test_own_outputs_in_an_input_folder_are_not_inputs(tmp_path: Path) -> None:
    src = folder(tmp_path)
    (src / "report.html").write_text("<!DOCTYPE html><html><head><title>newsclaims report: x</title></head></html>")
    (src / "report.md").write_text("## a.txt — 1 claims\n\n| # | Speaker | Cue | Category | Type |\n")
    (src / "claims.jsonl").write_text('{"schema_version":2,"source":{}}\n')
    (src / "claims.errors.jsonl").write_text('{"path": "x", "error": "InputError", "message": "m"}\n')
    pattern = ("*.txt", "*.html", "*.md", "*.jsonl")
    found = discover([str(src)], pattern, outputs=(src / "claims.errors.jsonl",))
    assert [Path(f).name for f in found.files] == ["a000.txt", "a001.txt"]
    assert found.own_outputs == 4 and "4 newsclaims outputs" in found.skipped_text()


# 3. Second writer ------------------------------------------------------------------------------


def test_second_writer_gets_one_clear_error_and_temporary_names_are_unique(tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    a, fa = unique_temp(out)
    b, fb = unique_temp(out)
    fa.close()
    fb.close()
    assert a != b
    with exclusive_lock(out):
        with pytest.raises(NewsclaimsError, match="another newsclaims run is writing it"):
            run_batch([str(folder(tmp_path) / "a000.txt")], out, BatchOptions())
        # Another process holding the lock: the CLI's second run stops at once with one line.
        proc = cli("batch", str(tmp_path / "in"), "-o", str(out), "-q", timeout=60)
        assert "another newsclaims run" in one_error_line(proc)
    assert not lock_path(out).exists()
    assert not out.exists()


def test_lock_is_exclusive_across_processes(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    with exclusive_lock(out):
        fd = os.open(lock_path(out), os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


# 4. Process control ----------------------------------------------------------------------------


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _busy_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(128):
        (src / f"a{i:03}.txt").write_bytes(ARTICLE * 60)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsclaims", "batch", str(src), "-o", str(tmp_path / "c.jsonl"), "-w", "2", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Busy for sure: the workers are started and the first chunk is written, more are running.
    journal = tmp_path / ".c.jsonl.partial.tmp"
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.stat().st_size and len(_descendants(proc.pid)) >= 2:
            return proc, src
        time.sleep(0.2)
    proc.kill()
    proc.wait(timeout=10)
    pytest.fail("the batch did not get going")


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    proc, _ = _busy_batch(tmp_path)
    workers = _descendants(proc.pid)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for w in left:  # never leave them behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived their parent"


def test_second_ctrl_c_stops_at_once_without_traceback(tmp_path: Path) -> None:
    proc, _ = _busy_batch(tmp_path)
    workers = _descendants(proc.pid)
    try:
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        second = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        # Not after the running chunks (16 files each): the workers were killed.
        assert time.monotonic() - second < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert "continue with --resume" in err
    assert "stopping after the current files" in err, "the first Ctrl-C is acknowledged"
    time.sleep(1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left


# 5. Budgets and long punctuation runs ----------------------------------------------------------


def test_file_over_its_time_budget_is_an_error_line_and_the_run_goes_on(tmp_path: Path, nlp) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_bytes(ARTICLE * 3000)
    (src / "small.txt").write_bytes(ARTICLE)
    out = tmp_path / "c.jsonl"
    files = [str(src / "big.txt"), str(src / "small.txt")]
    summary = run_batch(files, out, BatchOptions(file_timeout=0.3))
    assert summary.failed == 1 and summary.written == 1
    error = json.loads((tmp_path / "c.errors.jsonl").read_text())
    assert error["error"] == "BudgetExceeded" and "--file-timeout" in error["message"]
    assert json.loads(out.read_text())["source"]["path"].endswith("small.txt")


def test_file_over_its_memory_budget_is_an_error_line(tmp_path: Path, nlp) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_bytes(ARTICLE * 6000)
    (src / "small.txt").write_bytes(ARTICLE)
    out = tmp_path / "c.jsonl"
    summary = run_batch([str(src / "big.txt"), str(src / "small.txt")], out, BatchOptions(file_memory_mb=64))
    assert summary.failed == 1 and summary.written == 1
    error = json.loads((tmp_path / "c.errors.jsonl").read_text())
    assert error["error"] == "MemoryError" and "--file-memory" in error["message"]


def test_long_punctuation_runs_are_broken_without_moving_offsets(nlp) -> None:
    text = "The minister said the plan works. " + '"' * 24000 + " She added more."
    tamed = break_punctuation_runs(text)
    assert len(tamed) == len(text) and tamed.endswith(" She added more.")
    assert max(len(t) for t in tamed.split()) <= 64
    assert break_punctuation_runs("Plain -- text!!! stays.") == "Plain -- text!!! stays."
    started = time.perf_counter()
    art = article_from_bytes(text.encode(), "q.txt")
    doc = nlp(art.text)
    assert time.perf_counter() - started < 30  # minutes before
    assert doc.text[:12] == "The minister"


# 7. Bounded reads ------------------------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """An endless stream that counts what was read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = 1 << 20 if n is None or n < 0 else n
        self.read_bytes += n
        return b"x" * n


def test_stdin_and_devices_are_read_only_up_to_the_limit() -> None:
    stream = CountingStream()
    with pytest.raises(InputError, match="too large"):
        read_limited(stream, "<stdin>", limit=1000)
    assert stream.read_bytes == 1001
    started = time.perf_counter()
    with pytest.raises(InputError, match="too large"):
        read_bytes("/dev/zero")
    assert time.perf_counter() - started < 20
    proc = cli("extract", "-", "-f", "json", input="", timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


# 8. Resume key ---------------------------------------------------------------------------------


def test_resume_never_reuses_records_made_with_other_options(tmp_path: Path, nlp) -> None:
    src = folder(tmp_path)
    files = [str(p) for p in sorted(src.iterdir())]
    out = tmp_path / "c.jsonl"
    run_batch(files, out, BatchOptions())
    with_text = run_batch(files, out, BatchOptions(resume=True, include_text=True))
    assert with_text.reused == 0
    assert all(r.text for r in read_records(out))
    stamped = run_batch(files, out, BatchOptions(resume=True, include_text=True, timestamp="2026-01-01T00:00:00+00:00"))
    assert stamped.reused == 0
    # A resumed --timestamp run keeps the stamp of the records it reuses: one stamp per output.
    again = run_batch(files, out, BatchOptions(resume=True, include_text=True, timestamp="2027-01-01T00:00:00+00:00"))
    assert again.reused == 2
    assert {r.generator.generated_at for r in read_records(out)} == {"2026-01-01T00:00:00+00:00"}


# 9. Decoding -----------------------------------------------------------------------------------


def test_whatwg_meta_charsets() -> None:
    assert declared_encoding(b'<meta charset="utf-16">') == "utf-8"
    assert declared_encoding(b'<meta charset="UTF-16LE">') == "utf-8"
    assert declared_encoding(b'<meta charset="iso-8859-1">') == "cp1252"
    assert declared_encoding(b'<meta charset="utf-7">') is None
    page = '<html><head><meta charset="utf-16"></head><body><p>Café prices rose, the mayor said.</p></body></html>'
    assert "Café" in decode_bytes(page.encode("utf-8"), "p.html", declared=declared_encoding(page.encode()))


def test_utf32_bom_and_bomless_utf16_in_any_script() -> None:
    text = "Министр заявил, что мост откроется в мае.\n"
    assert decode_bytes(text.encode("utf-32"), "x") == text
    assert decode_bytes(b"\x00\x00\xfe\xff" + text.encode("utf-32-be"), "x") == text
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(encoding), "x") == text
        assert decode_bytes("東京都の知事は、橋が五月に再開すると述べた。\n".encode(encoding), "x").startswith("東京都")


def test_cp1252_with_an_undefined_byte_stays_cp1252() -> None:
    data = "\u201cWe have no choice,\u201d its director said \u2013 caf\u00e9 owners agreed.".encode("cp1252")
    text = decode_bytes(data[:20] + b"\x81" + data[20:], "x")
    assert "\u201cWe have" in text and "\u2013" in text and "\ufffd" in text
    assert not any("\x80" <= c <= "\x9f" for c in text)


# 10. One line instead of a traceback -----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "A said B.", "attributions": [1]}',
        '{"text": "A said B.", "attributions": [{"content": [[0, "x"]]}]}',
        '{"text": "A said B.", "attributions": [{"content": [[5, 2]]}]}',
        '{"text": "A said B.", "attributions": [{"confidence": "high"}]}',
        '{"text": "A said B.", "attributions": {"content": []}}',
    ],
)
def test_malformed_gold_entries_are_one_error(tmp_path: Path, line: str) -> None:
    from newsclaims.evaluate import load_gold, load_predictions

    gold = tmp_path / "gold.jsonl"
    gold.write_text(line + "\n")
    with pytest.raises(InputError, match=r"gold\.jsonl:1"):
        load_gold(gold)
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "1", "text": "A said B.", "attributions": []}\n')
    pred = tmp_path / "pred.jsonl"
    pred.write_text(line.replace('"text": "A said B.", ', '"id": "1", ') + "\n")
    with pytest.raises(InputError, match=r"pred\.jsonl:1"):
        load_predictions(pred, load_gold(good))


def test_check_update_into_a_file_and_bad_scheduler_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    blocker = tmp_path / "expected"
    blocker.write_text("not a folder")
    line = one_error_line(cli("check", str(blocker), str(tmp_path), "--update", timeout=120))
    assert "cannot create the folder" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "expected"]
    line = one_error_line(
        cli("batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / "c.jsonl"), "--engine", "dask",
            "--scheduler", "not an address", timeout=120)
    )  # fmt: skip
    assert "not a Dask scheduler address" in line


# 11. Terminal injection ------------------------------------------------------------------------


def test_for_terminal_escapes_controls_but_keeps_newlines_and_tabs() -> None:
    hostile = "Title\x1b]0;pwned\x07 \x1b[2J\x9b31m done\r\n\tnext \udcff"
    safe = for_terminal(hostile)
    assert not any(c in safe for c in "\x1b\x07\x9b\r\udcff")
    assert "\n\t" in safe and "\\x1b[2J" in safe and "\\xff" in safe
    assert for_terminal("Plain “text” — café\n") == "Plain “text” — café\n"
    assert for_terminal_line("a\nb\tc") == "a\\nb\\tc"


# 12. Lower items -------------------------------------------------------------------------------


def test_deeply_nested_html_says_so() -> None:
    depth = MAX_HTML_DEPTH + 50
    page = "<html><body>" + "<div>" * depth + "<p>The mayor said the bridge would reopen.</p>" + "</div>" * depth
    with pytest.raises(InputError, match=r"nested \d+ elements deep"):
        article_from_bytes((page + "</body></html>").encode(), "deep.html")


def test_record_errors_name_the_real_line(tmp_path: Path) -> None:
    arr = tmp_path / "r.json"
    arr.write_text('[\n  {"schema_version": 2}\n]\n')
    with pytest.raises(InputError, match="line 2"):
        list(read_records(arr))
    lines = tmp_path / "r.jsonl"
    lines.write_text('\n\n{"schema_version": 2}\n')
    with pytest.raises(InputError, match="line 3"):
        list(read_records(lines))


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    src = folder(tmp_path, 1)
    out = tmp_path / "c.jsonl"
    assert cli("batch", str(src), "-o", str(out), "-w", "1", "-q").returncode == 0
    big = tmp_path / "many.jsonl"
    big.write_text(out.read_text() * 2000)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsclaims", "speakers", str(big), "-f", "csv"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"Broken pipe" not in err and b"Exception ignored" not in err, err


def test_fifo_named_is_an_input_and_special_files_are_not_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    assert discover([str(fifo)]).files == [str(fifo)]
    writer = threading.Thread(target=lambda: fifo.write_bytes(ARTICLE))
    writer.start()
    assert read_bytes(fifo) == ARTICLE
    writer.join(timeout=10)
    src = folder(tmp_path)
    os.mkfifo(src / "pipe.txt")
    found = discover([str(src)])
    assert len(found.files) == 2 and found.special == 1 and found.empty == 0


def test_symlinks_out_of_a_batch_folder_are_refused_unless_allowed(tmp_path: Path) -> None:
    src = folder(tmp_path)
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "private.txt").write_bytes(ARTICLE)
    (src / "link.txt").symlink_to(secret / "private.txt")
    (src / "linkdir").symlink_to(secret)
    (src / "inner.txt").symlink_to(src / "a000.txt")
    found = discover([str(src)])
    assert sorted(Path(f).name for f in found.files) == ["a000.txt", "a001.txt"]
    assert found.outside == 2 and "2 symlinks out of the folder" in found.skipped_text()
    allowed = discover([str(src)], follow_outside=True)
    assert len(allowed.files) == 3  # private.txt once, though reached by two links


def test_budget_defaults_agree_between_cli_and_batch() -> None:
    from newsclaims import cli_support
    from newsclaims.batch import worker

    assert cli_support.DEFAULT_FILE_TIMEOUT == worker.DEFAULT_FILE_TIMEOUT
    assert cli_support.DEFAULT_FILE_MEMORY_MB == worker.DEFAULT_FILE_MEMORY_MB


# 6. Boilerplate anchored to whole short lines (the rules: rules/boilerplate.yaml) ---------------


def test_one_line_article_with_a_comment_footer_keeps_its_claims(nlp) -> None:
    line = (
        "The mayor said the bridge would reopen in May. Officials said the cost had doubled. "
        "Leave a Reply Your email address will not be published. Required fields are marked *"
    )
    from newsclaims.spans import BOILERPLATE

    for text in (line, line.replace(". ", ".\r"), line.replace(". ", ".\u2028")):
        doc = nlp(text)
        assert list(doc.spans[BOILERPLATE]) == [], text
        assert len(doc.spans["newsclaims_contents"]) >= 1, text


def test_renderers_show_escape_sequences_instead_of_obeying_them(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from newsclaims.models import DocumentResult
    from newsclaims.output.html import write_report
    from newsclaims.output.tables import render_table, write_csv, write_markdown

    record = {
        "schema_version": 2,
        "source": {"path": "bad\udcffname\x1b]0;owned\x07.txt", "sha256": "0" * 64},
        "claims": [
            {
                "id": "c0-9",
                "type": "indirect",
                "speaker": None,
                "cue": {"text": "said", "start": 10, "end": 14, "lemma": "say", "category": "assert"},
                "content": {"text": "\x1b[2Jwiped", "start": 0, "end": 9},
                "confidence": 0.5,
            }
        ],
        "figures": [],
        "speakers": [],
        "generator": {"version": "0", "model": "m", "rules": "r"},
    }
    result = DocumentResult.model_validate(record)
    out = io.StringIO()
    render_table([result], Console(file=out, width=120, force_terminal=False))
    for write in (write_csv, write_markdown, write_report):
        buffer = io.StringIO()
        write([result], buffer)
        out.write(buffer.getvalue())
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown and "\udcff" not in shown
    assert "\\x1b[2Jwiped" in shown
