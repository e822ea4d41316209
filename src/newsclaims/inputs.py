"""Reading articles: files and stdin, bytes to text, HTML to text.

Offsets in the output refer to the text returned here (the decoded file, or the
text extracted from HTML), never to the raw bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return text if letters and foreign <= 0.15 * len(letters) else None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL, as in mostly-Latin UTF-16 text."""
    head = data[:4096]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


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


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML page declares in its first bytes (``<meta charset>``, http-equiv, XML prolog)."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding): pages labelled Latin-1 or ASCII are really Windows-1252.
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


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
            html, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
        )
        if doc is None or not (getattr(doc, "text", None) or "").strip():
            # Precision mode drops short pages entirely; a short article is still an article.
            doc = trafilatura.bare_extraction(html, include_comments=False, favor_recall=True, with_metadata=True)
    except Exception as e:  # trafilatura/lxml raise many types on malformed pages
        raise InputError(f"{name}: cannot extract text from the HTML ({type(e).__name__}: {e})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(f"{path or '<stdin>'}: no article text found in the HTML")
    meta = {
        "title": getattr(doc, "title", None),
        "author": getattr(doc, "author", None),
        "published": getattr(doc, "date", None),
        "site": getattr(doc, "sitename", None),
    }
    return Article(text=text, path=path, metadata=meta)


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
        return html_to_article(text, path)
    if path and path.lower().endswith(".md"):
        from newsclaims.markdown import read_markdown  # markup blanked, offsets kept

        text, title = read_markdown(text)
        return Article(text=text, path=path, metadata={"title": title} if title else {})
    return Article(text=text, path=path)


def read_article(path: str | Path) -> Article:
    """Read one article from a path, or from stdin when ``path`` is "-"."""
    if str(path) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("<stdin>: nothing on standard input (pipe an article in, or give a file)")
        return article_from_bytes(sys.stdin.buffer.read(), None)
    return article_from_bytes(read_bytes(path), str(path))


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an article file, with one-line errors for missing, directory, too large, unreadable."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory (use `newsclaims batch` for folders)")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{p}: too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)"
            )
        return p.read_bytes()
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror or e}") from None


def iter_articles(paths: list[str]) -> Iterator[Article]:
    """Articles for each path in order ("-" is stdin)."""
    for path in paths:
        yield read_article(path)
