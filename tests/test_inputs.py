"""Reading inputs: encodings, binary detection, HTML extraction and metadata, HTML sniffing for stdin."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsclaims.cli import app
from newsclaims.errors import InputError
from newsclaims.inputs import article_from_bytes, declared_encoding, decode_bytes, looks_like_html

TEXT = "The café owner said on Monday that prices had risen by 5%, costing the town £3m. “Naïve,” she added."
PAGE = """<!doctype html><html><head><meta charset="{charset}"><title>Ferry fares rise | Island Gazette</title>
<meta name="author" content="Ana Ruiz"><meta property="og:site_name" content="Island Gazette">
<meta property="article:published_time" content="2022-06-30T08:00:00Z"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<article><h1>Ferry fares rise</h1>
<p>The ferry company said on Thursday that fares would rise by 8% from August.</p>
<p>“We have no choice,” its director told reporters. The café owners fear a quiet summer.</p>
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">Harbour repairs delayed again</a></li></ul></aside>
<div id="comments"><h3>2 Comments</h3><p>Reader: Daylight robbery, I said so.</p></div>
</body></html>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_encodings_decode_exactly(encoding: str) -> None:
    assert article_from_bytes(TEXT.encode(encoding), "a.txt").text == TEXT


def test_latin1_decodes_exactly() -> None:
    text = "Le café a déclaré que le coût était de £3m. Señor Núñez était d'accord, a-t-il dit."
    assert article_from_bytes(text.encode("latin-1"), "a.txt").text == text


def test_html_declared_encoding_wins_over_guessing() -> None:
    page = PAGE.format(charset="windows-1252").encode("cp1252")
    art = article_from_bytes(page, "page.html")
    assert "“We have no choice,”" in art.text and "café" in art.text
    # Pages labelled ISO-8859-1 are decoded as Windows-1252, as browsers do.
    assert declared_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">') == "cp1252"
    assert declared_encoding(b'<meta charset="no-such-codec">') is None


def test_wrong_declaration_falls_back_to_content() -> None:
    page = PAGE.format(charset="ascii").replace("<p>The", "<p>The café").encode("utf-8")
    text = article_from_bytes(page, "p.html").text
    assert "The café ferry company" in text and "cafÃ©" not in text


def test_mostly_utf8_with_a_bad_byte_keeps_the_utf8() -> None:
    data = "“Prices will rise,” the minister said – naïvely.".encode() + b" \xff end"
    text = decode_bytes(data, "x")
    assert text.startswith("“Prices will rise,”") and "\ufffd" in text


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"%PDF-1.7\n" + bytes(range(256)), bytes(range(32)) * 20]
)
def test_binary_data_is_a_clear_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        article_from_bytes(data, "x.txt")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_no_bytes_crash_the_decoder(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x")
    except InputError:
        return
    assert isinstance(text, str)


def test_html_main_text_and_metadata() -> None:
    art = article_from_bytes(PAGE.format(charset="utf-8").encode(), "saved/page.htm")
    assert art.metadata == {
        "title": "Ferry fares rise",
        "author": "Ana Ruiz",
        "published": "2022-06-30",
        "site": "Island Gazette",
    }
    assert "fares would rise by 8%" in art.text
    for furniture in ("Weather", "Harbour repairs", "Daylight robbery"):
        assert furniture not in art.text


def test_html_is_sniffed_without_an_extension() -> None:
    html = PAGE.format(charset="utf-8")
    assert looks_like_html(html, None) and looks_like_html(html, "article.txt")
    assert not looks_like_html("Prices <b>rose</b>, he said.", "a.txt")
    assert "<p>" not in article_from_bytes(html.encode(), None).text


def test_page_without_article_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        article_from_bytes(b"<html><head><title>x</title></head><body><div></div></body></html>", "x.html")


def test_extract_html_from_stdin_with_metadata_and_offsets(nlp) -> None:
    runner = CliRunner()
    res = runner.invoke(
        app, ["extract", "-", "--format", "json", "--include-text"], input=PAGE.format(charset="utf-8").encode()
    )
    assert res.exit_code == 0, res.output
    (doc,) = json.loads(res.stdout)
    assert (doc["title"], doc["site"], doc["author"]) == ("Ferry fares rise", "Island Gazette", "Ana Ruiz")
    assert doc["claims"], "the ferry company's statement is a claim"
    for claim in doc["claims"]:
        c = claim["content"]
        assert doc["text"][c["start"] : c["end"]] == c["text"]


def test_extract_reads_a_utf16_file(tmp_path: Path, nlp) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    res = CliRunner().invoke(app, ["extract", str(path), "--format", "json", "--include-text"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["text"] == TEXT


def test_html_with_little_text_for_its_size_gets_a_warning_in_the_record() -> None:
    from newsclaims.inputs import article_from_bytes
    from newsclaims.pipeline import extract_articles

    furniture = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(800))
    page = f"<html><body><nav><ul>{furniture}</ul></nav><article><p>The mayor said the bridge would reopen.</p>"
    page += "</article></body></html>"
    article = article_from_bytes(page.encode(), "page.html")
    [result] = extract_articles([article])
    assert len(result.warnings) == 1 and result.warnings[0].startswith("little article text:")
    normal = article_from_bytes(b"<html><body><p>The mayor said the bridge would reopen.</p></body></html>", "p.html")
    assert normal.warnings == []


def _page(body: str) -> bytes:
    filler = "".join(
        f"<p>Paragraph {n} of the council report describes the repairs to the old harbour wall in detail.</p>"
        for n in range(6)
    )
    return (
        "<!doctype html><html><head><title>Harbour wall | Coast News</title></head><body><article>"
        f"<h1>Harbour wall</h1>{body}{filler}</article></body></html>"
    ).encode()


def test_span_inside_a_sentence_keeps_its_words_whatever_its_class() -> None:
    # Precision extraction drops elements classed like furniture ("link"); mid-sentence, they are prose.
    body = (
        "<p>The harbour master has confirmed that <span class='link'><a href='/x'>the wall will reopen in May</a>"
        "</span> after the storm repairs.</p>"
    )
    text = article_from_bytes(_page(body), "a.html").text
    assert "has confirmed that the wall will reopen in May after the storm repairs" in text


def test_run_of_links_inside_a_paragraph_is_dropped() -> None:
    # A hover card after a name: the person's name, then headlines side by side.
    body = (
        "<p>Mayor <a href='/p'>Jo Lund</a><span class='card'><span><img src='j.jpg'>"
        "<a href='/1'>Mayor opens new bridge</a> <a href='/2'>Council cuts bus routes</a> "
        "<a href='/3'>Harbour fees go up</a> <a href='/p'>MORE</a></span></span> said the wall would hold.</p>"
    )
    text = article_from_bytes(_page(body), "a.html").text
    assert "Mayor Jo Lund said the wall would hold." in text
    assert "bus routes" not in text and "MORE" not in text
