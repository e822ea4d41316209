"""The HTML report's structure: self-contained, highlights and links both ways, claim list with filter data,
legend, figures table, summary, speakers across documents, escaping. The real-browser checks (layout,
screenshots) are in test_report_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from newsclaims.cli import app
from newsclaims.models import DocumentResult
from newsclaims.output.html import COLORS, render_report

EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
# An interrupted quotation (two content parts around 'she said'), a conversion and a claim without speaker.
ARTICLE = (
    "Harbour <b>works</b> & costs\n\n"
    "The harbour master said that repairs would cost about $12m (£9.5m).\n\n"
    "“We cannot wait another winter,” she said. “The quay is already cracking.”\n\n"
    "“Money is not the problem,” said Ian Moss, a councillor, “time is.”\n"
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
    assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed", "base")]
    # The one script is inline: nothing is fetched, nothing points outside the file.
    scripts = [a for t, a in tags if t == "script"]
    assert scripts == [{}]
    for _, attrs in tags:
        for name in ("src", "href", "action", "srcset", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    assert (
        "http" not in page and "src=" not in page and "//" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    )
    assert "@import" not in page and "url(" not in page and "<style>" in page


def test_every_internal_link_has_a_target(results: list[DocumentResult]) -> None:
    page = render_report(results)
    ids = {a["id"] for _, a in _tags(page) if a.get("id")}
    hrefs = {a["href"][1:] for _, a in _tags(page) if a.get("href")}
    assert hrefs and hrefs <= ids, hrefs - ids


def test_highlights_have_four_kinds_and_links_go_both_ways(own: DocumentResult) -> None:
    page = render_report([own])
    assert page.count("<p>", page.index('<div class="article">')) >= 4
    kinds = set(re.findall(r'<span class="h ([^"]+)"', page))
    assert {k for ks in kinds for k in ks.split()} == {"k-content", "k-cue", "k-speaker", "k-figure"}
    assert len(set(COLORS.values())) == 4 and all(c in page for c in COLORS.values())
    for n, claim in enumerate(own.claims, 1):
        a = f"d1-{claim.id}"
        # text -> list: a numbered marker; list -> text: the item's back link; both targets exist.
        assert f'<a class="ref" id="t-{a}" href="#{a}"' in page and f">{n}</a>" in page
        assert f'href="#t-{a}"' in page and f'<li class="claim" id="{a}"' in page
        # Focus without JS: the claim as URL target colours its spans.
        assert f'main:has(#{a}:target, #t-{a}:target) .h[data-c~="{a}"]' in page
    # No displaCy's absolutely positioned labels any more.
    assert "nc-label" not in page and "position: absolute" not in page
    # Article text is escaped, never markup.
    assert "Harbour &lt;b&gt;works&lt;/b&gt; &amp; costs" in page and "<b>works" not in page


def test_interrupted_quotation_marks_its_parts_not_the_frame(own: DocumentResult) -> None:
    claim = next(c for c in own.claims if len(c.content.parts) == 2)
    page = render_report([own])
    a = f"d1-{claim.id}"
    content = re.findall(rf'<span class="h k-content"[^>]*data-c="[^"]*{a}[^"]*">([^<]*)</span>', page)
    joined = "".join(content)
    for part in claim.content.parts:
        assert part.text.replace("“", "").strip("”,. ")[:10] in joined
    # The frame between the parts ('she said') is marked as speaker and cue, not as content.
    frame = re.search(rf'<span class="h k-speaker" data-c="{a}">she</span>', page)
    assert frame and "k-content k-speaker" not in page[frame.start() - 40 : frame.end()]


def test_side_list_groups_claims_by_speaker_with_filter_data(own: DocumentResult) -> None:
    page = render_report([own])
    items = re.findall(r'<li class="claim" id="d1-(c\d+-\d+)" value="\d+" ([^>]*)>', page)
    assert sorted(i for i, _ in items) == sorted(c.id for c in own.claims) and len(items) == 3
    for _, data in items:
        for attr in ("data-speaker", "data-type", "data-category", "data-figures", "data-confidence"):
            assert attr + '="' in data
    for speaker in own.speakers:
        assert f"<h3>{speaker.name} " in page
    # The filter is a progressive enhancement: in the markup it is hidden, the script shows it.
    assert '<form class="filter" hidden>' in page and "form.hidden = false" in page
    for name in ("speaker", "type", "category", "figures", "confidence"):
        assert f'name="{name}"' in page


def test_legend_summary_and_figures_table(own: DocumentResult) -> None:
    page = render_report([own])
    legend = page[page.index('<dl class="legend">') : page.index("</dl>")]
    for term in ("Highlights", "Type", "Category", "Confidence", "according_to", "estimate", "high ≥ 0.8"):
        assert term in legend
    assert "3 claims — direct 2, indirect 1 · assert 3 · anonymous 0 of 3 (0%)" in page
    rows = re.findall(r'<tr id="d1-f(\d+)">(.*?)</tr>', page)
    assert [int(i) for i, _ in rows] == list(range(len(own.figures)))
    pound = next(i for i, f in enumerate(own.figures) if f.text == "£9.5m")
    dollars = own.figures[pound].equivalent_of
    # The conversion links to the figure it converts; each figure links to its place in the text.
    assert f'<a href="#d1-f{dollars}">' in rows[pound][1] and f'href="#t-d1-f{pound}"' in rows[pound][1]
    assert f'id="t-d1-f{pound}"' in page


def test_share_of_link(results: list[DocumentResult]) -> None:
    doc = next(r for r in results if any(f.of is not None for f in r.figures))
    n = results.index(doc) + 1
    page = render_report(results)
    i, share = next((i, f) for i, f in enumerate(doc.figures) if f.of is not None)
    row = re.search(rf'<tr id="d{n}-f{i}">(.*?)</tr>', page)
    assert row and f'<a href="#d{n}-f{share.of}">' in row.group(1)


def test_follow_on_claim_without_cue(own: DocumentResult) -> None:
    first, second = own.claims[1], own.claims[2]
    follow = second.model_copy(update={"cue": None, "continues": first.id})
    page = render_report([own.model_copy(update={"claims": [own.claims[0], first, follow]})])
    assert f"continues {first.id}" in page and "(continues)" in page and "follow-on" in page
    # The filter can pick the follow-on claim and the claim without speaker: only "all" has the empty value.
    assert 'data-category="follow-on"' in page and '<option value="follow-on">' in page
    assert 'data-speaker="(no speaker)"' in page and '<option value="(no speaker)">' in page
    assert page.count('<option value="">') == 3


def test_everything_from_the_article_is_escaped(own: DocumentResult) -> None:
    bad = "<img src=x onerror=alert(1)>\"'"
    claim = own.claims[0]
    speaker = claim.speaker.model_copy(update={"text": bad})
    claims = [claim.model_copy(update={"speaker": speaker}), *own.claims[1:]]
    summaries = [s.model_copy(update={"name": bad}) for s in own.speakers]
    doc = own.model_copy(update={"claims": claims, "speakers": summaries, "title": bad, "author": bad})
    page = render_report([doc, doc])
    assert "<img" not in page and "onerror=alert(1)>" not in page.replace("&lt;img", "")
    assert 'data-speaker="&lt;img src=x onerror=alert(1)&gt;&quot;&#x27;"' in page


def test_batch_page_has_contents_and_speakers_across_documents(results: list[DocumentResult]) -> None:
    page = render_report(results)
    toc = re.findall(r'<li><a href="#doc-(\d+)">', page)
    assert toc == [str(i) for i in range(1, len(results) + 1)]
    assert all(f'<section class="document" id="doc-{i}">' in page for i in range(1, len(results) + 1))
    across = page[page.index("Speakers across documents") : page.index("</table>", page.index("Speakers across"))]
    assert across.count("<tr>") == 1 + len({s.name.casefold() for r in results for s in r.speakers})
    total = sum(len(r.claims) for r in results)
    assert f'<p class="summary">{total} claims — ' in page
    single = render_report(results[:1])
    assert "Contents" not in single and "Speakers across documents" not in single


def test_record_without_text_still_lists_claims(own: DocumentResult) -> None:
    page = render_report([own.model_copy(update={"text": None})])
    assert "has no article text" in page and page.count('<li class="claim" id="d1-') == len(own.claims)


def test_cli_html_format(tmp_path: Path, nlp) -> None:
    target = tmp_path / "report.html"
    out = CliRunner().invoke(app, ["extract", *EXAMPLE_FILES, "-f", "html", "-o", str(target), "--with-figures"])
    assert out.exit_code == 0, out.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="document"') == len(EXAMPLE_FILES)
    items = re.findall(r'<li class="claim" id="d[^>]*>.*?</li>', page)
    assert items and all("conf-" in line and "↩ text" in line for line in items)
