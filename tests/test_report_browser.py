"""The HTML report in a real headless Chromium: layout measured by an inline probe script, screenshots kept.

Skipped when ``/usr/bin/chromium`` is absent. The probe is appended to a copy of the page only; it writes
element boxes as JSON into a <pre>, read back with ``--dump-dom``. Screenshots at 1280 and 390 px wide
go to ``tmp/artefacts/`` in the repository (git-ignored), or ``$NEWSCLAIMS_ARTEFACTS``.
"""

from __future__ import annotations

import html
import json
import os
import re
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from newsclaims.models import DocumentResult
from newsclaims.output.html import render_report

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("NEWSCLAIMS_ARTEFACTS", ROOT / "tmp" / "artefacts"))
WIDTHS = (1280, 390)
MIN_WINDOW = 500  # Chromium's narrowest headless window; narrower widths are measured in a frame
TIMEOUT = 60  # seconds per browser run; a hung browser fails the test instead of the suite

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs /usr/bin/chromium")

PROBE = """
<script>
// On load: the URL fragment (:target) is applied by then. Inside a srcdoc frame the result goes to the parent.
addEventListener('load', function () {
  const box = r => ({x: r.left, y: r.top, w: r.width, h: r.height});
  const out = {width: innerWidth, height: innerHeight, scrollWidth: document.documentElement.scrollWidth};
  // Every box of every claim marker (an inline marker broken across lines has several).
  out.refs = [...document.querySelectorAll('a.ref')].flatMap(a => [...a.getClientRects()].map(box));
  const p = document.querySelector('.article p');
  const cs = getComputedStyle(p);
  out.lineHeight = parseFloat(cs.lineHeight);
  out.fontSize = parseFloat(cs.fontSize);
  out.boldSpans = [...document.querySelectorAll('.h')].filter(e => +getComputedStyle(e).fontWeight >= 600).length;
  // Spans with a background: at rest only figures; the target claim's spans when the URL names one.
  const painted = e => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)';
  // (A figure is always lightly painted, so content inside a figure is left out.)
  const content = [...document.querySelectorAll('.h.k-content:not(.k-figure)')];
  out.paintedContent = content.filter(painted).map(e => e.dataset.c);
  out.contentSpans = content.length;
  out.claimItems = document.querySelectorAll('li.claim').length;
  out.articles = [...document.querySelectorAll('.article')].map(div => {
    const copy = div.cloneNode(true);
    copy.querySelectorAll('a.ref').forEach(e => e.remove());
    return [...copy.querySelectorAll('p')].map(q => q.textContent);
  });
  out.resources = performance.getEntriesByType('resource').map(e => e.name);
  out.filterShown = [...document.querySelectorAll('form.filter')].map(f => !f.hidden);
  // Scroll to 70% down the first article: its claim list must still be on screen (sticky).
  const art = document.querySelector('.article');
  const a = art.getBoundingClientRect();
  scrollTo(0, scrollY + a.top + 0.7 * a.height - 0.3 * innerHeight);
  const aside = art.parentElement.querySelector('aside').getBoundingClientRect();
  out.scrolled = scrollY;
  out.aside = box(aside);
  out.asideVisible = Math.min(aside.bottom, innerHeight) - Math.max(aside.top, 0);
  scrollTo(0, 0);
  // The filter: one type chosen leaves only that type's items visible.
  const form = document.querySelector('form.filter');
  const items = [...form.closest('aside').querySelectorAll('li.claim')];
  const type = items[0].dataset.type;
  form.elements.type.value = type;
  form.dispatchEvent(new Event('change'));
  out.filter = {type, shown: items.filter(li => !li.hidden).map(li => li.dataset.type), all: items.length};
  // Hovering a list item marks its claim in the text (the script's focus; the URL target is the CSS one).
  items[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  out.hover = {id: items[0].id, on: [...document.querySelectorAll('.h.on')].map(e => e.dataset.c)};
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  (parent !== window ? parent.document : document).body.appendChild(pre);
});
</script>
"""


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _framed(page: Path, width: int, height: int) -> Path:
    """The page in a srcdoc frame of exactly ``width`` px: headless windows are at least 500 px wide."""
    wrapper = page.with_name(f"{page.stem}-{width}.html")
    doc = html.escape(page.read_text(encoding="utf-8"), quote=True)
    wrapper.write_text(
        f'<!DOCTYPE html><html><body style="margin: 0"><iframe srcdoc="{doc}" '
        f'style="border: 0; display: block; width: {width}px; height: {height}px"></iframe></body></html>',
        encoding="utf-8",
    )
    return wrapper


def _probe(page: Path, width: int, fragment: str = "") -> dict:
    if width < MIN_WINDOW:
        assert not fragment, "a srcdoc frame has no URL fragment"
        page = _framed(page, width, 900)
    dom = _chromium(f"--window-size={max(width, MIN_WINDOW)},900", "--dump-dom", page.as_uri() + fragment)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert found, f"no probe output; chromium exit {dom.returncode}: {dom.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))


def _crop_png(path: Path, width: int) -> None:
    """Keep the left ``width`` px of an 8-bit, non-interlaced PNG (Chromium's), with zlib only: no PIL here."""
    data = path.read_bytes()
    pos, chunks = 8, []
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]))
        pos += 12 + size
    ihdr = chunks[0][1]
    full, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(c for t, c in chunks if t == b"IDAT"))
    stride, prev, rows = full * bpp, bytearray(full * bpp), []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):  # undo the row filter (PNG spec 9.2)
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(b"\0" + bytes(line[: width * bpp]))
        prev = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">II", width, height) + ihdr[8:]
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    path.write_bytes(data[:8] + body)


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
    )


@pytest.fixture(scope="module")
def results(nlp) -> list[DocumentResult]:
    from newsclaims.inputs import read_article
    from newsclaims.pipeline import extract_articles

    paths = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    return list(extract_articles([read_article(p) for p in paths], include_text=True))


@pytest.fixture(scope="module")
def pages(results: list[DocumentResult], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The report, a copy with the probe, and a copy with the probe but without the report's own script.

    The last stands in for a browser with JS disabled (headless --dump-dom runs scripts whatever the
    setting): whatever it shows, the page shows without its script.
    """
    folder = tmp_path_factory.mktemp("report")
    page = render_report(results)
    report, probe, bare = folder / "report.html", folder / "probe.html", folder / "no-script.html"
    report.write_text(page, encoding="utf-8")
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    own_script = re.compile(r"<script>.*?</script>", re.S)
    assert len(own_script.findall(page)) == 1
    bare.write_text(own_script.sub("", page).replace("</body>", PROBE + "</body>"), encoding="utf-8")
    return report, probe, bare


@pytest.mark.parametrize("width", WIDTHS)
def test_layout_markers_never_overlap_and_claim_list_stays_visible(
    pages: tuple[Path, Path, Path], results: list[DocumentResult], width: int
) -> None:
    data = _probe(pages[1], width)
    assert data["width"] == width
    refs = data["refs"]
    assert len(refs) >= sum(len(r.claims) for r in results)
    assert all(r["w"] > 0 and r["h"] > 0 for r in refs)
    clashes = [(a, b) for i, a in enumerate(refs) for b in refs[i + 1 :] if _overlap(a, b)]
    assert not clashes, clashes[:3]
    # Readable text: normal line height, highlights not bold, nothing wider than the screen.
    assert data["lineHeight"] < 2 * data["fontSize"] and data["boldSpans"] == 0
    assert data["scrollWidth"] <= width
    # At rest no content is painted; only the claim in focus will be.
    assert data["paintedContent"] == [] and data["contentSpans"] > 0
    # The page was scrolled, and the claim list is still (at least 150 px of it) on screen.
    assert data["scrolled"] > 0 and data["asideVisible"] >= 150, data["aside"]
    assert data["resources"] == []


def test_text_reads_like_the_input_and_filter_works(
    pages: tuple[Path, Path, Path], results: list[DocumentResult]
) -> None:
    from newsclaims.text import paragraph_bounds

    data = _probe(pages[1], 1280)
    expected = [[r.text[a:b] for a, b in paragraph_bounds(r.text or "")] for r in results]
    assert data["articles"] == expected
    assert data["filterShown"] and all(data["filterShown"])
    f = data["filter"]
    assert f["shown"] and set(f["shown"]) == {f["type"]} and len(f["shown"]) <= f["all"]
    hover = data["hover"]
    assert hover["on"] and all(hover["id"] in c.split() for c in hover["on"])


def test_without_javascript_list_links_and_focus_still_work(
    pages: tuple[Path, Path, Path], results: list[DocumentResult]
) -> None:
    data = _probe(pages[2], 1280)
    # The filter stays hidden (it would do nothing), every claim is listed, the list is still sticky.
    assert data["filterShown"] and not any(data["filterShown"])
    assert data["claimItems"] == sum(len(r.claims) for r in results)
    assert data["asideVisible"] >= 150 and data["paintedContent"] == []
    # The URL names a claim: its content spans, and only those, are painted, by CSS alone.
    claim = results[0].claims[0]
    anchor = f"d1-{claim.id}"
    for target in (anchor, "t-" + anchor):  # the list item, or the marker in the text
        focused = _probe(pages[2], 1280, f"#{target}")
        painted = focused["paintedContent"]
        assert painted and all(anchor in c.split() for c in painted), (target, painted)


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_are_kept(pages: tuple[Path, Path, Path], width: int) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / f"report-{width}.png"
    shot.unlink(missing_ok=True)
    page = pages[0] if width >= MIN_WINDOW else _framed(pages[0], width, 2000)
    window = max(width, MIN_WINDOW)
    taken = _chromium(f"--window-size={window},2000", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), f"no screenshot; chromium exit {taken.returncode}: {taken.stderr[-500:]}"
    if width < window:
        _crop_png(shot, width)
    assert struct.unpack(">II", shot.read_bytes()[16:24]) == (width, 2000)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    (ARTEFACTS / "report.html").write_bytes(pages[0].read_bytes())
