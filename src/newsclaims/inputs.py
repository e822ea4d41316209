"""Reading articles: files and stdin, bytes to text, HTML to text.

Offsets in the output refer to the text returned here (the decoded file, or the
text extracted from HTML), never to the raw bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsclaims.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
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


def decode_bytes(data: bytes, name: str) -> str:
    """Decode article bytes: BOMs first, then UTF-8, then a detected legacy encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name)
    if _looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not an article (expected text or HTML)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot decode the text (not UTF-8, UTF-16 or a known legacy encoding)")
    return str(best)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: invalid {encoding.upper()} at byte {e.start}") from None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" in head:
        # UTF-16 without a BOM has NUL bytes in every other position; real binaries are denser.
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.1


def looks_like_html(text: str, path: str | None) -> bool:
    """True for .html/.htm paths, or text that starts like an HTML document."""
    if path and path.lower().endswith((".html", ".htm")):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def html_to_article(html: str, path: str | None) -> Article:
    """Main text and metadata of an HTML page, via trafilatura (no network, no external resources)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
    )
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
    text = decode_bytes(data, name)
    if not text.strip():
        raise InputError(f"{name}: contains only white space")
    if looks_like_html(text, path):
        return html_to_article(text, path)
    return Article(text=text, path=path)


def read_article(path: str | Path) -> Article:
    """Read one article from a path, or from stdin when ``path`` is "-"."""
    if str(path) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("<stdin>: nothing on standard input (pipe an article in, or give a file)")
        return article_from_bytes(sys.stdin.buffer.read(), None)
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
        data = p.read_bytes()
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror or e}") from None
    return article_from_bytes(data, str(path))


def iter_articles(paths: list[str]) -> Iterator[Article]:
    """Articles for each path in order ("-" is stdin)."""
    for path in paths:
        yield read_article(path)
