"""Paragraph boundaries and boilerplate lines, set before the parser runs.

The parser otherwise merges a headline or a one-line aside into the next paragraph,
so every paragraph start is fixed as a sentence start (the parser keeps preset
boundaries). Offsets never move: the whole text is still one ``Doc``.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsclaims.rules import BoilerplateRules

PARAGRAPHS_KEY = "newsclaims_paragraphs"
BOILERPLATE_KEY = "newsclaims_boilerplate"

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"[^\n]+")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Character ranges of paragraphs: blank-line separated, or one per line when no line is blank.

    Text extracted from HTML has one paragraph per line and no blank lines at all.
    """
    sep = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n\s*")
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


class ParagraphSplitter:
    """Mark paragraphs and boilerplate lines; make every paragraph and boilerplate line a sentence start."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self._patterns: list[re.Pattern[str]] = []

    def add_rules(self, rules: BoilerplateRules) -> None:
        self._patterns.extend(re.compile(p, re.IGNORECASE) for p in rules.line_patterns)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        paragraphs = [s for s in (_span(doc, a, b) for a, b in paragraph_bounds(text)) if s is not None]
        boiler: list[Span] = []
        for para in paragraphs:
            for m in _LINE.finditer(text, para.start_char, para.end_char):
                line = m.group().strip()
                if line and any(p.search(line) for p in self._patterns):
                    lead = len(m.group()) - len(m.group().lstrip())
                    span = _span(doc, m.start() + lead, m.start() + lead + len(line))
                    if span is not None:
                        boiler.append(span)
        for span in paragraphs + boiler:
            _force_sentence_start(doc, span.start)
            _force_sentence_start(doc, span.end)
        doc.spans[PARAGRAPHS_KEY] = paragraphs
        doc.spans[BOILERPLATE_KEY] = boiler
        return doc


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _force_sentence_start(doc: Doc, i: int) -> None:
    # Whitespace tokens belong to the sentence before them; start at the next real token.
    while i < len(doc) and doc[i].is_space:
        i += 1
    if 0 < i < len(doc):
        doc[i].is_sent_start = True


@Language.factory("newsclaims_paragraphs", assigns=["token.is_sent_start", "doc.spans"])
def make_paragraph_splitter(nlp: Language, name: str) -> ParagraphSplitter:
    return ParagraphSplitter(nlp, name)
