"""Plain-text structure shared by the pipeline, the components and the renderers: no spaCy here.

This module holds the one definition of a paragraph break, so the paragraphs component and the
long-text chunking (which must cut only where a paragraph could end) cannot drift apart.
"""

from __future__ import annotations

import re

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
LINE_BREAK = re.compile(r"\n\s*")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+")
_SPACE = re.compile(r"\s+")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Character ranges of paragraphs: blank-line separated, or one per line when no line is blank.

    Text extracted from HTML has one paragraph per line and no blank lines at all.
    """
    sep = PARAGRAPH_BREAK if PARAGRAPH_BREAK.search(text) else LINE_BREAK
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in sep.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    out = []
    for start, end in bounds:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out


def text_chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """Consecutive ranges covering ``text``, each at most ``limit`` characters, cut after paragraph breaks.

    A paragraph longer than ``limit`` is cut after a sentence end, else a line break, else
    any white space, else (one enormous word) hard at the limit.
    """
    chunks = []
    start = 0
    while len(text) - start > limit:
        end = None
        for pattern in (PARAGRAPH_BREAK, _SENTENCE_BREAK, LINE_BREAK, _SPACE):
            cuts = [m.end() for m in pattern.finditer(text, start + 1, start + limit) if m.end() < start + limit]
            if cuts:
                end = cuts[-1]
                break
        end = end or start + limit
        chunks.append((start, end))
        start = end
    chunks.append((start, len(text)))
    return chunks
