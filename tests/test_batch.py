"""Batch runs: discovery, ordered JSONL with an errors file, worker-count independence, resume, long texts."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from newsclaims.batch import (
    EXIT_INTERRUPTED,
    EXIT_SOME_FAILED,
    BatchOptions,
    discover,
    errors_path_for,
    run_batch,
    stream_batch,
)
from newsclaims.batch.run import STOPPING
from newsclaims.cli import app

ARTICLE = (
    "City {n} sets out its budget\n\n"
    "The mayor of Easton {n} said on Monday that the council would spend $4.{n}m on new bus routes.\n\n"
    "“We have waited too long for this,” she told reporters. Fares will rise by about {n}%, "
    "according to the transport office.\n\n"
    "Opposition members warned that the plan could cost more than £2m a year."
)
HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Port deal signed | Harbour News</title>
<meta name="author" content="Sam Lee"><meta property="og:site_name" content="Harbour News">
<meta property="article:published_time" content="2023-11-02"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Port deal signed</h1>
<p>The harbour authority said on Friday that it had signed a $120m deal to deepen the main channel.</p>
<p>“Bigger ships will come here within two years,” the authority's chief executive said.</p>
<p>According to the union, at least 300 jobs depend on the work at the docks next spring.</p></article>
<div class="comments"><h3>Comments</h3><p>Reader: I said this would never happen!</p></div>
<footer><p>© Harbour News</p></footer></body></html>"""


def make_folder(root: Path, n_text: int = 3) -> Path:
    """Mixed inputs: txt, md, html, binary, empty, Latin-1, a duplicate, a hidden file and a symlink loop."""
    src = root / "in"
    (src / "b").mkdir(parents=True)
    for i in range(n_text):
        (src / f"a{i:02d}.txt").write_text(ARTICLE.format(n=i), encoding="utf-8")
    (src / "notes.md").write_text("# Note\n\n" + ARTICLE.format(n=7), encoding="utf-8")
    (src / "b" / "page.html").write_text(HTML, encoding="utf-8")
    (src / "b" / "copy.txt").write_text(ARTICLE.format(n=0), encoding="utf-8")  # same content as a00.txt
    (src / "b" / "latin1.txt").write_bytes("The café owner said prices had risen by 5%, costing £3m.".encode("latin-1"))
    (src / "b" / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (src / "b" / "empty.txt").write_bytes(b"")
    (src / ".draft.txt").write_text("Hidden draft, the editor said.", encoding="utf-8")
    (src / "skip.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (src / "b" / "loop").symlink_to("..")
    return src


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_discovery_is_sorted_and_counts_what_it_skips(tmp_path: Path) -> None:
    src = make_folder(tmp_path)
    found = discover([str(src)])
    names = [Path(f).relative_to(src).as_posix() for f in found.files]
    assert names == [
        "a00.txt",
        "a01.txt",
        "a02.txt",
        "notes.md",
        "b/copy.txt",
        "b/latin1.txt",
        "b/page.html",
        "b/photo.html",
    ]
    assert (found.hidden, found.empty, found.loops) == (1, 1, 1)
    only_txt = discover([str(src)], include=("*.TXT",), exclude=("b",))
    assert [Path(f).name for f in only_txt.files] == ["a00.txt", "a01.txt", "a02.txt"]
    assert only_txt.excluded == 1
    globbed = discover([str(src / "**" / "*.html"), str(src / "a01.txt"), str(src / "a01.txt")])
    assert [Path(f).name for f in globbed.files] == ["page.html", "photo.html", "a01.txt"]
    assert globbed.duplicates == 1


def test_mixed_folder_gives_complete_jsonl_and_errors_file(tmp_path: Path, nlp) -> None:
    src = make_folder(tmp_path)
    out = tmp_path / "claims.jsonl"
    found = discover([str(src)])
    summary = run_batch(found.files, out, BatchOptions(workers=1, include_text=True))
    assert summary.exit_code == EXIT_SOME_FAILED
    recs = records(out)
    good = [f for f in found.files if not f.endswith("photo.html")]
    assert [r["source"]["path"] for r in recs] == good
    errors = records(errors_path_for(out))
    assert errors == [{"path": str(src / "b" / "photo.html"), "error": "InputError", "message": errors[0]["message"]}]
    assert "binary" in errors[0]["message"]
    by_name = {Path(r["source"]["path"]).name: r for r in recs}
    assert by_name["copy.txt"]["source"]["sha256"] == by_name["a00.txt"]["source"]["sha256"]
    assert by_name["latin1.txt"]["text"] == "The café owner said prices had risen by 5%, costing £3m."
    page = by_name["page.html"]
    assert (page["title"], page["author"], page["site"]) == ("Port deal signed", "Sam Lee", "Harbour News")
    assert page["published"] == "2023-11-02"
    assert "Reader" not in page["text"] and "Sport" not in page["text"]
    for rec in recs:
        for claim in rec["claims"]:
            c = claim["content"]
            assert rec["text"][c["start"] : c["end"]] == c["text"]
    assert sum(len(r["claims"]) for r in recs) >= 2 * len(recs)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_output_does_not_depend_on_worker_count(tmp_path: Path, nlp) -> None:
    src = make_folder(tmp_path, n_text=5)
    files = discover([str(src)]).files
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(files, one, BatchOptions(workers=1, chunk_size=3))
    run_batch(files, two, BatchOptions(workers=2, chunk_size=3))
    assert one.read_bytes() == two.read_bytes()
    assert errors_path_for(one).read_bytes() == errors_path_for(two).read_bytes()


def test_interrupted_run_resumes_to_the_same_output(tmp_path: Path, nlp) -> None:
    src = make_folder(tmp_path, n_text=6)
    files = discover([str(src)]).files
    full = tmp_path / "full.jsonl"
    run_batch(files, full, BatchOptions(chunk_size=3))

    out = tmp_path / "resumed.jsonl"
    told: list[str] = []

    def ctrl_c_at_the_sixth_file(done: int, total: int, failed: int) -> None:
        # A real Ctrl-C, as the terminal sends it: the run stops after the chunk being parsed.
        if done >= 6 and not told:
            os.kill(os.getpid(), signal.SIGINT)

    first = run_batch(files, out, BatchOptions(chunk_size=3), ctrl_c_at_the_sixth_file, told.append)
    assert told == [STOPPING], "the first Ctrl-C is acknowledged at once"
    assert first.interrupted and first.exit_code == EXIT_INTERRUPTED
    assert first.done == 6, "the chunk being parsed when Ctrl-C came is finished and kept"
    assert not out.exists(), "an interrupted run must not leave a final file"
    second = run_batch(files, out, BatchOptions(chunk_size=3, resume=True))
    assert not second.interrupted
    assert second.reused == 6 and second.written == first.total - 6 - 1
    assert out.read_bytes() == full.read_bytes()
    assert errors_path_for(out).read_bytes() == errors_path_for(full).read_bytes()
    third = run_batch(files, out, BatchOptions(chunk_size=3, resume=True))
    assert third.written == 0 and third.reused == len(records(full))
    assert out.read_bytes() == full.read_bytes()


def test_a_second_ctrl_c_stops_mid_chunk_and_keeps_every_finished_record(tmp_path: Path, nlp) -> None:
    src = make_folder(tmp_path, n_text=6)
    files = discover([str(src)]).files
    full = tmp_path / "full.jsonl"
    run_batch(files, full, BatchOptions(chunk_size=3))
    out = tmp_path / "resumed.jsonl"
    seen: list[int] = []

    def hard_stop(done: int, total: int, failed: int) -> None:
        # Called per parsed file as well as per chunk: progress moves inside a chunk.
        seen.append(done)
        if done >= 5:
            raise KeyboardInterrupt  # what the second Ctrl-C raises

    first = run_batch(files, out, BatchOptions(chunk_size=3), hard_stop)
    assert first.interrupted and 0 < first.done < 5
    assert any(n % 3 for n in seen), "progress reached a count inside a chunk"
    second = run_batch(files, out, BatchOptions(chunk_size=3, resume=True))
    assert second.reused == first.written + first.reused
    assert out.read_bytes() == full.read_bytes()


def test_pool_workers_report_each_parsed_file(tmp_path: Path, nlp) -> None:
    src = make_folder(tmp_path, n_text=6)
    files = discover([str(src)]).files
    calls: list[int] = []
    options = BatchOptions(workers=2, chunk_size=3)
    summary = run_batch(files, tmp_path / "c.jsonl", options, lambda d, t, f: calls.append(d))
    chunks = -(-len(files) // 3)
    assert len(calls) > chunks, "per-file ticks from the workers, not only one call per chunk"
    assert calls[-1] == summary.total and all(0 <= c <= summary.total for c in calls)


def test_resume_ignores_records_of_other_content(tmp_path: Path, nlp) -> None:
    src = make_folder(tmp_path, n_text=2)
    files = discover([str(src)]).files
    out = tmp_path / "c.jsonl"
    run_batch(files, out, BatchOptions())
    (src / "a01.txt").write_text(ARTICLE.format(n=9), encoding="utf-8")
    again = run_batch(files, out, BatchOptions(resume=True))
    assert again.written == 1
    changed = next(r for r in records(out) if r["source"]["path"].endswith("a01.txt"))
    assert "$4.9m" in [f["text"] for f in changed["figures"]]


def test_a_failure_inside_a_chunk_loses_only_that_article(tmp_path: Path, nlp, monkeypatch) -> None:
    from newsclaims import assemble

    src = make_folder(tmp_path, n_text=4)
    files = discover([str(src)]).files
    full = tmp_path / "full.jsonl"
    run_batch(files, full, BatchOptions(chunk_size=3))
    real = assemble.document_result

    def fail_on_a02(doc, article, *args, **kwargs):
        if article.path.endswith("a02.txt"):
            raise RuntimeError("assembly broke")
        return real(doc, article, *args, **kwargs)

    monkeypatch.setattr(assemble, "document_result", fail_on_a02)
    out = tmp_path / "out.jsonl"
    summary = run_batch(files, out, BatchOptions(chunk_size=3))
    assert summary.failed == 2  # a02.txt and the binary photo.html
    kept = [line for line in full.read_text(encoding="utf-8").splitlines() if '/a02.txt"' not in line]
    assert out.read_text(encoding="utf-8").splitlines() == kept
    errors = records(errors_path_for(out))
    assert errors[0] == {"path": str(src / "a02.txt"), "error": "RuntimeError", "message": "assembly broke"}


def test_rules_are_validated_once_and_reach_the_worker(tmp_path: Path, nlp, monkeypatch) -> None:
    from newsclaims import rules

    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "cues.yaml").write_text("cues:\n  - lemmas: [mutter]\n    category: assert\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The harbour master muttered the tide tables were wrong.", encoding="utf-8")
    calls = []
    real = rules.load_ruleset

    def counted(rules_dir=None):
        calls.append(rules_dir)
        return real(rules_dir)

    monkeypatch.setattr(rules, "load_ruleset", counted)
    out = tmp_path / "c.jsonl"
    run_batch([str(tmp_path / "a.txt")], out, BatchOptions(rules_dir=folder))
    assert calls == [folder]
    (rec,) = records(out)
    assert [c["cue"]["text"] for c in rec["claims"]] == ["muttered"]
    assert rec["generator"]["rules"] == real(folder).fingerprint != nlp.meta["newsclaims_rules"]


def test_a_pool_worker_keeps_its_model_out_of_the_collector(nlp) -> None:
    # Frozen, the model's objects are not traversed again when the worker exits, which the batch waits for.
    code = (
        "import gc; from newsclaims.batch.local import _init_worker; from newsclaims.batch.worker import Settings; "
        "before = gc.get_freeze_count(); _init_worker(Settings()); "
        "from newsclaims.pipeline import _CACHE; print(before, len(_CACHE), gc.get_freeze_count() > 50_000)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "1", "True"]


def test_pool_workers_import_no_runner_or_output() -> None:
    # What a spawned worker imports before its first article: the engine and the chunk runner only.
    code = (
        "import sys; import newsclaims.batch.local, newsclaims.batch.worker; "
        "print(*(m in sys.modules for m in ('newsclaims.batch.run', 'newsclaims.output', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsclaims.cli", *args]


def test_killed_process_resumes_to_the_same_output(tmp_path: Path, nlp) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(80):
        (src / f"n{i:03d}.txt").write_text(ARTICLE.format(n=i), encoding="utf-8")
    files = discover([str(src)]).files
    full = tmp_path / "full.jsonl"
    run_batch(files, full, BatchOptions())

    out = tmp_path / "out.jsonl"
    tmp = tmp_path / ".out.jsonl.partial.tmp"
    proc = subprocess.Popen(_cli("batch", str(src), "-o", str(out), "--workers", "1", "--quiet"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if tmp.exists() and tmp.read_bytes().count(b"\n") >= 16:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists(), "the run finished before it could be killed; make the corpus larger"
    done = subprocess.run(_cli("batch", str(src), "-o", str(out), "--resume", "--workers", "2"), capture_output=True)
    assert done.returncode == 0, done.stderr
    assert b"reused" in done.stderr
    assert out.read_bytes() == full.read_bytes()


def test_sigterm_stops_cleanly_and_keeps_records(tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(80):
        (src / f"n{i:03d}.txt").write_text(ARTICLE.format(n=i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    tmp = tmp_path / ".out.jsonl.partial.tmp"
    proc = subprocess.Popen(_cli("batch", str(src), "-o", str(out), "--workers", "1"), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp.exists() and tmp.stat().st_size):
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert b"continue with --resume" in err
    assert not out.exists()
    kept = (tmp_path / ".out.jsonl.partial").read_text(encoding="utf-8").splitlines()
    assert kept and all(json.loads(line)["schema_version"] == 2 for line in kept)


def test_cli_exit_codes_and_summary(tmp_path: Path, nlp) -> None:
    runner = CliRunner()
    src = make_folder(tmp_path, n_text=1)
    out = tmp_path / "c.jsonl"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 3, res.output
    assert "1 failed" in res.stderr and "skipped: 1 hidden, 1 empty" in res.stderr
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--exclude", "photo.html", "-w", "1", "--quiet"])
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    assert not errors_path_for(out).exists(), "a stale errors file from an earlier run is removed"
    res = runner.invoke(app, ["batch", str(tmp_path / "nothing-here"), "-o", str(out)])
    assert res.exit_code == 1 and "no such file" in res.stderr
    res = runner.invoke(app, ["batch", str(src), "--include", "*.pdf", "-o", str(out)])
    assert res.exit_code == 1 and "no input files" in res.stderr


def test_batch_without_output_streams_the_same_records_to_stdout(tmp_path: Path, nlp) -> None:
    import io

    src = make_folder(tmp_path, n_text=2)
    files = discover([str(src)]).files
    out = tmp_path / "c.jsonl"
    run_batch(files, out, BatchOptions())
    stream, errors = io.StringIO(), io.StringIO()
    summary = stream_batch(files, stream, BatchOptions(), errors=errors)
    assert stream.getvalue() == out.read_text(encoding="utf-8")
    assert errors.getvalue() == errors_path_for(out).read_text(encoding="utf-8")
    assert summary.streamed and summary.failed == 1 and "resume" not in summary.line()

    runner = CliRunner()
    piped = runner.invoke(app, ["batch", str(src), "-w", "1"])  # stdout is not a terminal here
    assert piped.exit_code == 3, piped.output
    assert piped.stdout == out.read_text(encoding="utf-8")
    assert "skipped " in piped.stderr and "photo.html" in piped.stderr, "a failed input is a line on stderr"
    dash = runner.invoke(app, ["batch", str(src), "-o", "-", "-w", "1", "-q", "--exclude", "photo.html"])
    assert dash.exit_code == 0 and dash.stderr == ""
    assert len(dash.stdout.splitlines()) == len(records(out))
    assert not (Path.cwd() / "-").exists()
    csv = runner.invoke(app, ["batch", str(src), "-f", "csv", "-q", "--exclude", "photo.html"])
    assert csv.exit_code == 0 and csv.stdout.startswith("document,claim_id,")
    resume = runner.invoke(app, ["batch", str(src), "--resume"])
    assert resume.exit_code == 2 and "--resume needs -o FILE" in resume.stderr
    db = runner.invoke(app, ["batch", str(src), "-f", "sqlite"])
    assert db.exit_code == 2 and "give -o FILE.db" in db.stderr


def test_articles_longer_than_max_length_are_parsed_in_chunks(nlp) -> None:
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_articles, text_chunks

    text = "\n\n".join(ARTICLE.format(n=i) for i in range(12))
    whole = next(extract_articles([Article(text)]))
    limit = nlp.max_length
    nlp.max_length = 900
    try:
        chunked = next(extract_articles([Article(text)]))
    finally:
        nlp.max_length = limit
    assert len(text_chunks(text, 900)) > 3
    assert [c.model_dump() for c in chunked.claims] == [c.model_dump() for c in whole.claims]
    assert chunked.figures == whole.figures
    assert chunked.claims[-1].content.start > 900 * 3


def test_text_chunks_cover_the_text_within_the_limit() -> None:
    from newsclaims.pipeline import text_chunks

    text = "One sentence here. " * 40 + "\n\n" + "x" * 250 + " tail"
    chunks = text_chunks(text, 100)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)
    assert all(a < b <= a + 100 for a, b in chunks)
    assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(chunks))
    assert text[chunks[0][0] : chunks[0][1]].endswith(". ")


def test_summary_counts_claims_figures_and_warnings(tmp_path: Path) -> None:
    import json

    from newsclaims.batch.run import BatchSummary, _count

    summary = BatchSummary(total=2, output=tmp_path / "o.jsonl", errors_path=tmp_path / "o.errors.jsonl")
    figures = [{"derived": False}, {"derived": True}]
    _count(json.dumps({"claims": [{}, {}], "figures": figures, "warnings": []}), summary)
    _count(json.dumps({"claims": [{}], "figures": [], "warnings": ["little article text: ..."]}), summary)
    summary.written = 2
    assert (summary.claims, summary.figures, summary.warnings) == (3, 1, 1)
    assert "2 records (0 reused) with 3 claims and 1 figures, 0 failed, 1 with warnings" in summary.line()
