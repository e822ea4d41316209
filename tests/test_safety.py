"""Safety: no network at run time, HTML resources never fetched, no eval/pickle/shell, atomic output."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pytest
from click.testing import Result
from typer.testing import CliRunner

from newsclaims.cli import app
from newsclaims.errors import NewsclaimsError

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "newsclaims"
HTML = Path(__file__).resolve().parent / "bad_inputs" / "html_external_resources.html"
ARTICLE = "The harbour master said that the pier would reopen in May.\n\n“We are ready,” she told reporters.\n"


class NetworkAttempt(OSError):
    """Raised (and recorded) when code under test tries to connect, send or resolve a name."""


# Everything that reaches another host goes through one of these. Creating a socket is allowed:
# urllib3 (imported by trafilatura) binds one to ::1 at import time to probe for IPv6.
SOCKET_METHODS = ("connect", "connect_ex", "sendto", "sendmsg")
MODULE_FUNCTIONS = ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Connections, sends and DNS all refuse; the test fails if anything even tried (and swallowed it)."""
    attempts: list[tuple] = []

    def refuser(name: str) -> Callable[..., None]:
        def refuse(*args: object, **kwargs: object) -> None:
            attempts.append((name, *(args[1:] if name in SOCKET_METHODS else args)))
            raise NetworkAttempt(f"network access attempted: {name}{args!r}")

        return refuse

    for name in SOCKET_METHODS:
        monkeypatch.setattr(socket.socket, name, refuser(name))
    for name in MODULE_FUNCTIONS:
        monkeypatch.setattr(socket, name, refuser(name))
    yield attempts
    assert attempts == [], "something tried to reach the network"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    return result.stdout


def test_sockets_really_are_disabled(no_network: list[tuple]) -> None:
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with socket.socket() as sock, pytest.raises(NetworkAttempt):
        sock.connect(("192.0.2.1", 80))
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("example.org", 443)
    assert [a[0] for a in no_network] == ["create_connection", "connect", "getaddrinfo"]
    no_network.clear()


def test_pipeline_builds_and_extracts_without_network(no_network: list[tuple]) -> None:
    from newsclaims.assemble import document_result, generator_for
    from newsclaims.inputs import Article
    from newsclaims.pipeline import build_nlp, parse_articles

    nlp = build_nlp()  # a fresh load, not the cached one: model and rules come from disk only
    [(article, doc)] = parse_articles(nlp, [Article(text=ARTICLE)])
    result = document_result(doc, article, generator_for(nlp))
    assert [c.cue.text for c in result.claims] == ["said", "told reporters"]


def test_cli_extract_text_and_html_without_network(no_network: list[tuple], runner: CliRunner, nlp) -> None:
    records = json.loads(
        _ok(runner.invoke(app, ["extract", "-", str(HTML), "-f", "json", "--include-text"], input=ARTICLE))
    )
    assert [len(r["claims"]) for r in records] == [2, 3]
    html = records[1]
    assert "192.0.2.1" not in html["text"]
    assert html["claims"][0]["content"]["text"] == "that charges would rise by 6% next year"
    _ok(runner.invoke(app, ["rules", "check"]))


def test_html_resources_are_not_fetched(no_network: list[tuple], monkeypatch: pytest.MonkeyPatch) -> None:
    """img/script/link/iframe sources stay strings: no downloader, no socket, no local file read."""
    import urllib.request

    import trafilatura.downloads

    from newsclaims.inputs import article_from_bytes

    def no_fetch(*args: object, **kwargs: object) -> None:
        raise NetworkAttempt(f"fetch attempted: {args!r}")

    monkeypatch.setattr(urllib.request, "urlopen", no_fetch)
    monkeypatch.setattr(trafilatura.downloads, "fetch_url", no_fetch)
    monkeypatch.setattr(trafilatura.downloads, "fetch_response", no_fetch)
    article = article_from_bytes(HTML.read_bytes(), str(HTML))
    assert article.text.startswith("Water board raises charges")
    assert "The chair of the water board said that charges would rise by 6% next year." in article.text
    assert "http" not in article.text


def test_html_external_entities_are_not_resolved(tmp_path: Path, no_network: list[tuple]) -> None:
    from newsclaims.inputs import article_from_bytes

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    html = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY net SYSTEM "http://192.0.2.1/x">]>\n'
        "<html><body><article><p>The mayor said that the harbour would reopen in May after the repairs.</p>"
        "<p>Entities: &xxe; and &net; stay as they are.</p>"
        "<p>Residents said that they were relieved by the news from the council.</p></article></body></html>"
    )
    text = article_from_bytes(html.encode(), "page.html").text
    assert "TOP-SECRET-VALUE" not in text
    assert "The mayor said that the harbour would reopen" in text


def test_cli_in_a_fresh_process_without_network(tmp_path: Path) -> None:
    """Sockets are disabled before anything is imported, so import-time downloads would fail too."""
    script = (
        "import socket, sys\n"
        "def refuse(*a, **k):\n"
        "    sys.stderr.write('NETWORK ATTEMPT %r\\n' % (a,))\n"
        "    raise OSError('network disabled')\n"
        f"for name in {SOCKET_METHODS!r}:\n"
        "    setattr(socket.socket, name, refuse)\n"
        f"for name in {MODULE_FUNCTIONS!r}:\n"
        "    setattr(socket, name, refuse)\n"
        "from newsclaims.cli import app\n"
        "app(sys.argv[1:])\n"
    )
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-c", script, "extract", str(HTML), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "NETWORK ATTEMPT" not in proc.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))[0]["claims"]) == 3


# Calls that must never see untrusted input: code execution, unpickling, shells, unsafe YAML.
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_METHODS = {"system", "popen", "spawnl", "spawnv", "execv", "execvp", "unsafe_load", "full_load"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "subprocess", "cloudpickle"}


def _python_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_eval_pickle_or_shell(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            assert not {str(n).split(".")[0] for n in names} & FORBIDDEN_MODULES, (path, node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            forbidden = FORBIDDEN_BUILTINS if isinstance(func, ast.Name) else FORBIDDEN_METHODS
            assert name not in forbidden, (path, node.lineno, name)
            if name == "load" and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "yaml":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                assert loader is not None and "Loader" in ast.unparse(loader), (path, node.lineno)
            if any(k.arg == "shell" for k in node.keywords):
                pytest.fail(f"{path}:{node.lineno}: shell= in a call")


def test_output_file_written_atomically(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, nlp
) -> None:
    out = tmp_path / "claims.json"
    replaced: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(src: str | Path, dst: str | Path) -> None:
        replaced.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    _ok(runner.invoke(app, ["extract", "-", "-o", str(out)], input=ARTICLE))
    assert len(json.loads(out.read_text(encoding="utf-8"))[0]["claims"]) == 2
    # Written next to the target, then renamed over it: never a temporary file elsewhere.
    [(src, dst)] = replaced
    assert dst == out and src.parent == out.parent and not src.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.json"]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (NewsclaimsError("extraction stopped"), "extraction stopped"),
        (OSError(28, "No space left on device"), "{out}: cannot write: No space left on device"),
    ],
    ids=["newsclaims-error", "disk-full"],
)
def test_failed_write_keeps_the_old_file(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, error: Exception, message: str, nlp
) -> None:
    out = tmp_path / "claims.json"
    out.write_text('{"old": true}\n', encoding="utf-8")

    def half_written(results: object, fp: TextIO, single: bool = True) -> None:
        fp.write('{"claims": [')
        raise error

    monkeypatch.setattr("newsclaims.output.records.write_json", half_written)
    result = runner.invoke(app, ["extract", "-", "-o", str(out)], input=ARTICLE)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {message.format(out=out)}"]
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.json"]


def test_output_to_a_directory_or_missing_folder(tmp_path: Path, runner: CliRunner, nlp) -> None:
    result = runner.invoke(app, ["extract", "-", "-o", str(tmp_path)], input=ARTICLE)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {tmp_path}: is a directory; give a file name for --output"]
    missing = tmp_path / "no" / "such" / "claims.json"
    result = runner.invoke(app, ["extract", "-", "-o", str(missing)], input=ARTICLE)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {missing}: cannot write: No such file or directory"]
    assert list(tmp_path.iterdir()) == []
