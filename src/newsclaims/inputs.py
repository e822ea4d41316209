"""Reading articles: files and stdin, bytes to text, HTML to text.

Offsets in the output refer to the text returned here (the decoded file, or the
text extracted from HTML), never to the raw bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from newsclaims.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
# The article files batch and check pick up in a folder (the one list of them).
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Magic numbers of formats people save by mistake next to articles.
_BINARY_MAGIC = (b"\x89PNG", b"\x1f\x8b", b"%PDF", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")


@dataclass
class Article:
    """One input article: its decoded text and where it came from."""

    text: str
    path: str | None = None
    metadata: dict[str, str | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what a reader should check, copied into the record

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def decode_bytes(data: bytes, name: str, *, declared: str | None = None) -> str:
    """Decode article bytes: BOM, then a declared encoding, UTF-8, Windows-1252, a detected one, Latin-1.

    Only binary-looking data and BOM-marked text that breaks its own encoding are errors;
    any other bytes decode to something, never an exception other than InputError.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name)
    # Before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name)
    bomless16 = _utf16_without_bom(data)
    if bomless16:
        return _strict(data, bomless16, name)
    if _looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not an article (expected text or HTML)")
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong or unknown declaration: fall back to the content
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared in _SINGLE_BYTE:
        # Not UTF-8 either: the declared windows-125x it is, its few undefined bytes as U+FFFD.
        return data.decode(declared, errors="replace")
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    western = _western(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    # Latin-1 maps every byte, so text that nothing recognises still decodes.
    return str(best) if best is not None else data.decode("latin-1")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: invalid {encoding.upper()} at byte {e.start}") from None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bad bytes (a damaged or concatenated file): keep it, bad bytes as U+FFFD."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if not c.isascii()) - bad
    return text if multibyte > bad else None


def _western(data: bytes) -> str | None:
    """Windows-1252 (a superset of Latin-1's printable range) when the result reads as mostly-ASCII prose.

    charset-normalizer guesses Baltic or Central European code pages for short English text
    with a few accented letters; English news with a stray "café" or "£" is the common case here.
    """
    # The five bytes cp1252 leaves undefined become U+FFFD: decoding the whole file as Latin-1
    # instead would turn every curly quote and dash into a C1 control.
    text = data.decode("cp1252", errors="replace")
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return text if letters and foreign <= 0.15 * len(letters) else None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 text in any script, by where its NUL bytes fall.

    Every ASCII character (space, newline, digits, punctuation) is a NUL byte next to its code in
    UTF-16, always on the same side. Mostly-Latin text has NULs in nearly every other byte; text in
    another script has a few, still all on one side, and its bytes are no 8-bit text (a UTF-8 or
    ASCII file with a stray NUL is not taken for UTF-16). Binary data has NULs on both sides, or
    does not decode to printable text.
    """
    head = data[:8192]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    units = len(head) // 2
    if odd and even <= odd // 50:
        encoding, nuls = "utf-16-le", odd
    elif even and odd <= even // 50:
        encoding, nuls = "utf-16-be", even
    else:
        return None
    if nuls < 0.4 * units and _eight_bit_text(head.replace(b"\x00", b"")):
        return None
    try:
        sample = head.decode(encoding)
    except UnicodeDecodeError:
        # The head may end inside a surrogate pair; one more try without its last unit.
        try:
            sample = head[:-2].decode(encoding)
        except UnicodeDecodeError:
            return None
    printable = sum(1 for c in sample if c.isprintable() or c in "\n\r\t")
    return encoding if printable >= 0.95 * len(sample) else None


def _eight_bit_text(data: bytes) -> bool:
    """Bytes that read as UTF-8 (or ASCII) text without control characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        # Cut at the end of the head, mid-character: still UTF-8.
        if e.start < len(data) - 3:
            return False
        text = data[: e.start].decode("utf-8")
    return sum(1 for c in text if c < " " and c not in "\n\r\t") <= 0.01 * len(text)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.1


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)


# WHATWG Encoding: labels browsers read differently from Python's codecs of the same name.
_WHATWG_NAMES = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}
# A page read as bytes cannot be UTF-16 or UTF-32 (its declaration was just read as ASCII):
# browsers take such a declaration as UTF-8.
_MEANS_UTF8 = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
# Encodings browsers refuse to honour (script injection through UTF-7 and friends).
_IGNORED = {"utf-7", "hz", "iso2022_kr", "iso2022_jp_2"}
_SINGLE_BYTE = {f"cp{n}" for n in (874, *range(1250, 1259))}


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML page declares in its first bytes (``<meta charset>``, http-equiv, XML prolog).

    Read as browsers do (WHATWG Encoding): Latin-1 and ASCII are Windows-1252, a UTF-16 or UTF-32
    declaration on a byte-oriented page is UTF-8, UTF-7 is never honoured.
    """
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _MEANS_UTF8:
        return "utf-8"
    if name in _IGNORED:
        return None
    return _WHATWG_NAMES.get(name, name)


def looks_like_html(text: str, path: str | None) -> bool:
    """True for .html/.htm paths, or text that starts like an HTML document."""
    if path and path.lower().endswith((".html", ".htm")):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def html_to_article(html: str, path: str | None) -> Article:
    """Main text and metadata of an HTML page, via trafilatura (no network, no external resources)."""
    import trafilatura

    name = path or "<stdin>"
    try:
        doc = trafilatura.bare_extraction(
            _prose_tree(html), include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
        )
        if doc is None or not (getattr(doc, "text", None) or "").strip():
            # Precision mode drops short pages entirely; a short article is still an article.
            doc = trafilatura.bare_extraction(html, include_comments=False, favor_recall=True, with_metadata=True)
    except Exception as e:  # trafilatura/lxml raise many types on malformed pages
        raise InputError(f"{name}: cannot extract text from the HTML ({type(e).__name__}: {e})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        depth = _nesting_depth(html)
        if depth > MAX_HTML_DEPTH:
            raise InputError(
                f"{name}: HTML nested {depth} elements deep; text below {MAX_HTML_DEPTH} levels cannot be "
                "extracted (the HTML parser's limit): flatten the page or save it as text"
            )
        raise InputError(f"{name}: no article text found in the HTML")
    meta = {
        "title": getattr(doc, "title", None),
        "author": getattr(doc, "author", None),
        "published": getattr(doc, "date", None),
        "site": getattr(doc, "sitename", None),
    }
    return Article(text=text, path=path, metadata=meta, warnings=_little_text(text, html))


# A run of this many links with nothing but white space between them, inside a paragraph, is a
# list of links (a person's hover card of headlines, a teaser strip), never part of a sentence.
LINK_RUN = 3
_STYLED = frozenset(("class", "id", "style"))


def _prose_tree(html: str) -> Any:
    """The page's tree with paragraphs made safe for precision extraction (the text itself if it will not parse).

    Two things inside a paragraph are read as prose: a span mid-sentence keeps its words
    even when its class reads like page furniture ("link", "bottom": precision mode drops such
    elements, and the sentence around them loses its object), and a run of links set side by
    side (a hover card of headlines after a name) is dropped, as no sentence is written that way.
    """
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    for para in tree.iter("p"):
        for el in list(para.iterdescendants()):
            if not isinstance(el.tag, str):
                continue  # comments and processing instructions
            if el.tag != "a" and _link_run(el):
                _drop_keeping_tail(el)
            elif el.tag == "span" and _STYLED.intersection(el.attrib) and _mid_sentence(para, el):
                for attr in _STYLED:
                    el.attrib.pop(attr, None)
    return tree


def _link_run(el: Any) -> bool:
    """True for an element whose children include LINK_RUN or more links and no words outside them."""
    links = [c for c in el if c.tag == "a"]
    if len(links) < LINK_RUN:
        return False
    loose = [el.text or ""] + [c.tail or "" for c in el]
    return not any(w.strip(" \t\n\r\u00a0|,·•") for w in loose)


def _mid_sentence(para: Any, el: Any) -> bool:
    """True when the paragraph has words both before and after the element: it sits inside a sentence."""
    if not "".join(el.itertext()).strip():
        return False
    before, after, node = [], [el.tail or ""], el
    while node is not para:
        prev, nxt = node.getprevious(), node.getnext()
        while prev is not None:
            before.append("".join(prev.itertext()) + (prev.tail or ""))
            prev = prev.getprevious()
        while nxt is not None:
            after.append("".join(nxt.itertext()) + (nxt.tail or ""))
            nxt = nxt.getnext()
        node = node.getparent()
        before.append(node.text or "")
        if node is not para:
            after.append(node.tail or "")
    return any(w.strip() for w in before) and any(w.strip() for w in after)


def _drop_keeping_tail(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


# A page whose extracted text is this short and this small a share of its HTML may have lost its
# article to the extractor (or be a gallery or a paywall). On html-news, 1 of 91 real pages is flagged,
# whose 367 characters are in fact its whole article: a warning asks for a look, it drops nothing.
LITTLE_TEXT_CHARS = 500
LITTLE_TEXT_SHARE = 0.01


def _little_text(text: str, html: str) -> list[str]:
    if len(text) < LITTLE_TEXT_CHARS and len(text) < LITTLE_TEXT_SHARE * len(html):
        return [f"little article text: {len(text)} characters from a {len(html):,}-character page; check the page"]
    return []


# libxml2 drops what lies deeper than 255 elements (its default limit), silently.
MAX_HTML_DEPTH = 255
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)


def _nesting_depth(html: str) -> int:
    """The deepest element nesting of a page, roughly (void and self-closed elements do not nest)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        closing, tag, self_closed = m.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closed and tag.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def article_from_bytes(data: bytes, path: str | None) -> Article:
    """An Article from raw bytes, HTML converted to text; raises InputError for unusable input."""
    name = path or "<stdin>"
    if not data:
        raise InputError(f"{name}: is empty")
    html_path = bool(path and path.lower().endswith((".html", ".htm")))
    declared = declared_encoding(data) if html_path or b"<" in data[:1024] else None
    text = decode_bytes(data, name, declared=declared)
    if not text.strip():
        raise InputError(f"{name}: contains only white space")
    if looks_like_html(text, path):
        article = html_to_article(text, path)
        article.text = break_punctuation_runs(article.text)
        return article
    if path and path.lower().endswith(".md"):
        from newsclaims.markdown import read_markdown  # markup blanked, offsets kept

        text, title = read_markdown(text)
        return Article(text=break_punctuation_runs(text), path=path, metadata={"title": title} if title else {})
    return Article(text=break_punctuation_runs(text), path=path)


# spaCy's tokenizer strips prefixes and suffixes one character at a time, re-scanning what is
# left: a token of n punctuation marks costs O(n^2) (24,000 quotation marks took 75 s CPU; a run
# of 2,048 about half a second, so shorter runs, like a line of 2,000 opening quotes, are kept).
PUNCT_RUN_MAX = 2048
PUNCT_RUN_PIECE = 64
_PUNCT_RUN = re.compile(rf"[^\w\s]{{{PUNCT_RUN_MAX + 1},}}")


def break_punctuation_runs(text: str) -> str:
    """Text with every run of more than PUNCT_RUN_MAX punctuation marks broken up by spaces.

    One mark in every PUNCT_RUN_PIECE is replaced by a space, so the length and every offset stay
    as they were and each token stays short; text without such runs is returned unchanged.
    """
    if not _PUNCT_RUN.search(text):
        return text

    def spaced(m: re.Match[str]) -> str:
        run = m.group()
        return "".join(" " if i % PUNCT_RUN_PIECE == PUNCT_RUN_PIECE - 1 else c for i, c in enumerate(run))

    return _PUNCT_RUN.sub(spaced, text)


def read_article(path: str | Path) -> Article:
    """Read one article from a path, or from stdin when ``path`` is "-"."""
    if str(path) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("<stdin>: nothing on standard input (pipe an article in, or give a file)")
        return article_from_bytes(read_limited(sys.stdin.buffer, "<stdin>"), None)
    return article_from_bytes(read_bytes(path), os.fsdecode(path))


def read_limited(fp: BinaryIO, name: str, limit: int = MAX_BYTES) -> bytes:
    """At most ``limit`` bytes of a stream (stdin, a FIFO, a device); more is an InputError, read no further."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = fp.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise InputError(f"{name}: too large (more than {limit // (1024 * 1024)} MB, the limit)")
    return b"".join(chunks)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an article file, with one-line errors for missing, directory, too large, unreadable.

    A FIFO or character device is read like a file, through the same size limit.
    """
    p = Path(os.fsdecode(path))
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a directory (use `newsclaims batch` for folders)")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        raise InputError(f"{p}: is not a regular file, FIFO or character device")
    if st.st_size > MAX_BYTES:
        mb = 1024 * 1024
        raise InputError(f"{p}: too large ({st.st_size // mb} MB; the limit is {MAX_BYTES // mb} MB)")
    try:
        if stat.S_ISREG(st.st_mode):
            # st_size bounds a regular file (one still growing is checked once read).
            data = p.read_bytes()
            if len(data) > MAX_BYTES:
                raise InputError(f"{p}: too large (more than {MAX_BYTES // (1024 * 1024)} MB, the limit)")
            return data
        with p.open("rb") as fp:
            return read_limited(fp, str(p))
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror or e}") from None


def iter_articles(paths: list[str]) -> Iterator[Article]:
    """Articles for each path in order ("-" is stdin)."""
    for path in paths:
        yield read_article(path)
