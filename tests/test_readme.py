"""The README's command blocks marked ``<!-- docs-test -->`` run as written, in a sandbox folder.

The sandbox holds the files the README's examples name (``article.txt``, ``saved/``, ``gold.jsonl``,
``my-rules/`` built from the README's own YAML blocks, …), made from the repository's examples, so
the commands run unchanged. Each line must exit 0; lines run in order, so a later one may read what
an earlier one wrote (``batch … -o claims.jsonl`` then ``speakers claims.jsonl``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARK = "<!-- docs-test -->"
PAGE = """<!doctype html><html><head><title>Port strike ends</title></head><body>
<nav>Home | World | Business</nav><article><h1>Port strike ends</h1>
<p>The dock workers' union said on Monday that members had accepted a pay rise of 6% over two years.</p>
<p>"This is a fair deal," said the union's general secretary, Maria Lopez.</p></article></body></html>
"""


def marked_blocks(text: str) -> list[list[str]]:
    """Command lines of each ```bash block right after the mark (comments and continuation-free lines)."""
    blocks = []
    for match in re.finditer(re.escape(MARK) + r"\n```bash\n(.*?)\n```", text, re.S):
        lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in match.group(1).splitlines()]
        blocks.append([line for line in lines if line and not line.startswith("#")])
    return blocks


def yaml_files(text: str) -> dict[str, str]:
    """The README's ```yaml blocks that open with ``# my-rules/NAME.yaml``: the rule files they show."""
    return {
        m.group(1): m.group(0).split("\n", 2)[2].rsplit("```", 1)[0]
        for m in re.finditer(r"```yaml\n# (my-rules/[\w-]+\.yaml)[^\n]*\n.*?```", text, re.S)
    }


def make_sandbox(root: Path, text: str) -> None:
    examples = sorted((ROOT / "examples").glob("*.txt"))
    shutil.copy(examples[0], root / "article.txt")
    shutil.copy(examples[1], root / "a.txt")
    (root / "b.html").write_text(PAGE, encoding="utf-8")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "saved").mkdir()
    for path in examples:
        shutil.copy(path, root / "saved" / path.name)
    (root / "saved" / "drafts").mkdir()
    (root / "archive" / "2026").mkdir(parents=True)
    (root / "archive" / "2026" / "port.html").write_text(PAGE, encoding="utf-8")
    (root / "notes").mkdir()
    shutil.copy(examples[2], root / "notes" / "a.txt")
    shutil.copytree(ROOT / "examples", root / "examples")
    gold = {
        "id": "one",
        "text": '"Prices will rise," the minister said.',
        "attributions": [{"content": [[1, 18]], "cue": [[33, 37]], "source": [[20, 32]]}],
    }
    (root / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    for name, body in yaml_files(text).items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")


def test_the_readme_marks_its_runnable_blocks() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = marked_blocks(text)
    assert len(blocks) >= 5, "the README's usage, formats, batch, corpus and rules blocks are marked"
    assert set(yaml_files(text)) == {"my-rules/cues.yaml", "my-rules/boilerplate.yaml"}
    commands = [line.split()[0] for block in blocks for line in block]
    assert commands.count("newsclaims") >= 20


@pytest.mark.skipif(shutil.which("bash") is None, reason="the README's commands are bash")
def test_every_marked_readme_command_runs(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    make_sandbox(tmp_path, text)
    # The checkout's newsclaims first (this interpreter's scripts), whatever else is on PATH.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("NEWSCLAIMS_MODEL", None)
    failures = []
    for block in marked_blocks(text):
        for line in block:
            if line.startswith("pip ") or (" | jq " in line and shutil.which("jq") is None):
                continue  # installs are not run here; jq is an outside tool
            run = subprocess.run(
                ["bash", "-o", "pipefail", "-c", line],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if run.returncode != 0:
                failures.append(f"{line}\n  exit {run.returncode}: {run.stderr.strip()[-400:]}")
    assert not failures, "README commands that fail:\n" + "\n".join(failures)
