"""A headline claim ends at the line: web pages print a site tag or section after the headline.

"US says China supports Russia in its military expansion¶China" (the section on the next line) or,
once the page's lines are joined, "… military expansion China" on the same line: the parser runs
the clause on into the tag. The first line of a document is a headline: its claim's content and
speaker stop at the line break, and a lone capitalised word hung on the headline's last noun with
nothing between (a sentence-case headline has no such apposition) is the tag, not the claim.
"""

from spacy.tokens import Doc, Token

from newsclaims.components.positions import QuoteIndex
from newsclaims.components.relations import Relation, trim

# How a tag word run onto the headline is parsed: hung on the noun before it.
TAG_DEPS = {"appos", "compound", "npadvmod", "dep", "nmod"}


def _first_line_end(doc: Doc) -> int:
    """Index of the first line-break token after the first word (len(doc) when there is none)."""
    seen_word = False
    for t in doc:
        if t.is_space and "\n" in t.text:
            if seen_word:
                return t.i
        elif not t.is_space:
            seen_word = True
    return len(doc)


def _sentence_case(words: list[Token]) -> bool:
    """True when no word after the first is capitalised except names: "US says China backs Russia"."""
    rest = [t for t in words[1:] if t.is_alpha and t.pos_ != "PROPN"]
    return bool(rest) and all(t.is_lower for t in rest)


def _run_on_tag(doc: Doc, start: int, end: int) -> bool:
    """True when the last token of [start, end) is a site tag run onto a sentence-case headline."""
    last = doc[end - 1]
    prev = doc[end - 2] if end - 2 >= start else None
    if prev is None or not last.is_title or last.pos_ != "PROPN" or last.dep_ not in TAG_DEPS:
        return False
    if last.head.i != prev.i or prev.pos_ != "NOUN" or not prev.is_lower:
        return False
    return _sentence_case([t for t in doc[start:end] if not t.is_space])


def end_at_line(doc: Doc, relations: list[Relation], quotes: QuoteIndex) -> list[Relation]:
    """Cut the content and speaker of claims in the document's first line at its end (see the module docstring)."""
    line_end = _first_line_end(doc)
    first = next((t.i for t in doc if not t.is_space), 0)
    for rel in relations:
        start, end = rel.content
        if start >= line_end or rel.type == "direct":
            continue
        if rel.speaker is not None and rel.speaker[0] < line_end < rel.speaker[1]:
            rel.speaker = trim(doc, rel.speaker[0], line_end)
            if rel.speaker_head is not None and rel.speaker_head >= line_end:
                rel.speaker_head = rel.speaker[1] - 1
        if end > line_end and not quotes.inside(line_end):
            end = trim(doc, start, line_end)[1]
        if end - start >= 3 and end == trim(doc, start, line_end)[1] and _run_on_tag(doc, first, end):
            end = trim(doc, start, end - 1)[1]
        if (start, end) != rel.content and end - start >= 2:
            rel.content = (start, end)
            rel.parts = [(a, min(b, end)) for a, b in rel.parts if a < end]
    return relations

