"""The HTML report: structure (self-contained, displaCy markup, side list, contents) and a real headless browser.

The browser test uses Debian's chromium, installing it with apt-get when missing (root, CI);
it is skipped, saying why, only where that is impossible. Screenshots are kept under
``tmp/artefacts/`` in the repository (or ``$NEWSCLAIMS_ARTEFACTS``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from newsclaims.cli import app
from newsclaims.models import DocumentResult
from newsclaims.output.html import COLORS, render_report

EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
ARTIFACTS = Path(os.environ.get("NEWSCLAIMS_ARTEFACTS", ROOT / "tmp" / "artefacts"))
ARTICLE = (
    "Harbour <b>works</b> & costs\n\n"
    "The harbour master said that repairs would cost about $12m (£9.5m).\n\n"
    "“We cannot wait another winter,” she said.\n"
)


@pytest.fixture(scope="module")
def results(nlp) -> list[DocumentResult]:
    from newsclaims.inputs import read_article
    from newsclaims.pipeline import extract_articles

    return list(extract_articles([read_article(p) for p in EXAMPLE_FILES], include_text=True))


@pytest.fixture(scope="module")
def own(nlp) -> DocumentResult:
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_articles

    return next(extract_articles([Article(text=ARTICLE, path="harbour.txt")], include_text=True))


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(page)
    return parser.tags


def test_page_is_self_contained(results: list[DocumentResult]) -> None:
    page = render_report(results)
    tags = _tags(page)
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    for _, attrs in tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    assert "@import" not in page and "url(" not in page and "<style>" in page


def test_article_is_displacy_span_markup_with_four_kinds(own: DocumentResult) -> None:
    page = render_report([own])
    # displaCy's span container, one per paragraph of the article.
    assert page.count('<div class="spans"') == 3
    labels = re.findall(r'class="nc-label" style="background: (#\w+);[^"]*">(\w+)', page)
    kinds = {kind: color for color, kind in labels}
    assert kinds == {k: c for k, c in COLORS.items()}
    assert len(set(COLORS.values())) == 4
    # Article text is escaped, never markup.
    assert "Harbour &lt;b&gt;works&lt;/b&gt; &amp; costs" in page and "<b>works" not in page


def test_side_list_groups_claims_by_speaker(own: DocumentResult) -> None:
    page = render_report([own])
    items = re.findall(r'<li id="d1-(c\d+-\d+)"', page)
    assert sorted(items) == sorted(c.id for c in own.claims) and len(items) == 2
    for speaker in own.speakers:
        assert f"<h3>{speaker.name} " in page
    # Each content label links to its claim in the side list.
    for claim in own.claims:
        assert f'href="#d1-{claim.id}"' in page


def test_batch_page_has_a_table_of_contents_single_page_does_not(results: list[DocumentResult]) -> None:
    page = render_report(results)
    toc = re.findall(r'<li><a href="#doc-(\d+)">', page)
    assert toc == [str(i) for i in range(1, len(results) + 1)]
    assert all(f'<section class="document" id="doc-{i}">' in page for i in range(1, len(results) + 1))
    assert "Contents" not in render_report(results[:1])


def test_record_without_text_still_lists_claims(own: DocumentResult) -> None:
    page = render_report([own.model_copy(update={"text": None})])
    assert "has no article text" in page and page.count('<li id="d1-') == len(own.claims)


def test_cli_html_format(tmp_path: Path, nlp) -> None:
    target = tmp_path / "report.html"
    out = CliRunner().invoke(app, ["extract", *EXAMPLE_FILES, "-f", "html", "-o", str(target), "--with-figures"])
    assert out.exit_code == 0, out.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="document"') == len(EXAMPLE_FILES)
    items = page.count('<li id="d')
    assert items > 0 and all(" · " in line for line in re.findall(r'<li id="d[^>]*>.*?</li>', page))


# --- a real browser ------------------------------------------------------------------------------------

# Appended to a copy of the page only (the report itself has no script): measures what the browser laid out.
PROBE = """
<script>
const out = {labels: [], articles: []};
for (const el of document.querySelectorAll('.nc-label')) {
  const r = el.getBoundingClientRect();
  out.labels.push({kind: el.textContent.trim().split(' ')[0], bg: getComputedStyle(el).backgroundColor,
                   w: r.width, h: r.height});
}
out.bars = [...document.querySelectorAll('.nc-slice, .nc-start')]
  .filter(e => e.getBoundingClientRect().width > 0).length;
for (const div of document.querySelectorAll('.article .spans')) {
  const copy = div.cloneNode(true);
  // Absolutely positioned bars and labels count as line breaks in innerText: take them out.
  copy.querySelectorAll('.nc-start, .nc-slice').forEach(e => e.remove());
  document.body.appendChild(copy);
  out.articles.push(copy.innerText);
  copy.remove();
}
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    done = subprocess.run(install, capture_output=True, text=True, env=env, timeout=1200)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True, env=env, timeout=600)
        done = subprocess.run(install, capture_output=True, text=True, env=env, timeout=1200)
    path = shutil.which("chromium")
    if path is None:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"chromium could not be installed with apt-get: {last}")
    return path


def _run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,1600",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def browser() -> str:
    return _chromium()


def test_report_in_headless_chromium(browser: str, results: list[DocumentResult], tmp_path: Path) -> None:
    page = render_report(results)
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")

    dom = _run_chromium(browser, tmp_path / "profile", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert found, f"no probe output; chromium exit {dom.returncode}: {dom.stderr[-500:]}"
    data = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))

    # Every kind of highlight is laid out with a visible label, each kind in its own colour.
    labels = data["labels"]
    colours: dict[str, set[str]] = {}
    for label in labels:
        assert label["w"] > 0 and label["h"] > 0, label
        colours.setdefault(label["kind"], set()).add(label["bg"])
    assert set(colours) == {"SPEAKER", "CUE", "CONTENT", "FIGURE"}
    assert all(len(c) == 1 for c in colours.values()) and len(set().union(*colours.values())) == 4
    n_claims = sum(len(r.claims) for r in results)
    assert sum(label["kind"] == "CONTENT" for label in labels) >= n_claims
    assert data["bars"] >= len(labels)

    # The rendered article reads exactly like the input: no space added or lost around highlights.
    from newsclaims.components.paragraphs import paragraph_bounds

    expected = [" ".join(r.text[a:b].split()) for r in results for a, b in paragraph_bounds(r.text or "")]
    assert [" ".join(t.split()) for t in data["articles"]] == expected

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    taken = _run_chromium(browser, tmp_path / "profile", f"--screenshot={shot}", report.as_uri())
    assert shot.exists(), f"no screenshot; chromium exit {taken.returncode}: {taken.stderr[-500:]}"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    shutil.copy(report, ARTIFACTS / "report.html")
