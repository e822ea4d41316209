"""Quotations: paired quote marks, per paragraph, with multi-paragraph continuation.

Labels: ``quote`` for a quotation that can be a claim's content, ``fragment`` for a
few quoted words inside a sentence (scare quotes, partial quotes), which are never
claims on their own but make an indirect claim "mixed".
"""

import re
from itertools import accumulate

from spacy.attrs import IS_ALPHA, LIKE_NUM
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsclaims.doctext import doc_text
from newsclaims.spans import PARAGRAPHS, QUOTES
from newsclaims.text import paragraph_bounds

OPENING = "“«„"
CLOSING = "”»"
AMBIGUOUS = '"'
# A quotation shorter than this many words, with no sentence punctuation, is a fragment.
MIN_QUOTE_WORDS = 5
# Two apostrophes typed for a double quote (typewriter style, kept by some news archives) count as one.
DOUBLED = "''"
# Two curly single quotes typed for a double one ("“It was,’’ she said"): an opening or a closing mark.
OPEN_SINGLES, CLOSE_SINGLES = "\u2018\u2018", "\u2019\u2019"
PAIRED_SINGLES = {OPEN_SINGLES: "\u201c", CLOSE_SINGLES: "\u201d"}
OPENERS = (DOUBLED, OPEN_SINGLES)
# The opening double mark typed where a closing one belongs, recognised by where it stands.
MISTYPED_CLOSER = "\u201c"
# The closing double mark typed where an opening one belongs: first in its paragraph, glued to a word.
MISTYPED_OPENER = "\u201d"
_MARK = re.compile("|".join([DOUBLED, *PAIRED_SINGLES]) + f"|[{re.escape(OPENING + CLOSING + AMBIGUOUS)}]")


def quote_bounds(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges of quotations, marks included.

    A second opening mark inside an open quotation is ignored (nested or mistyped quotes),
    a stray closing mark is ignored, and a quotation still open at the end of its
    paragraph continues only if the next paragraph opens with a quote mark; otherwise it
    ends with its paragraph, so an unbalanced mark never swallows the rest of the article.
    """
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    for n, (start, end) in enumerate(paragraphs):
        continued = open_at is not None
        # Only the quote marks of the paragraph, found by the regex engine: a Python loop over every
        # character was most of this component's time.
        for m in _MARK.finditer(text, start, end):
            i = m.start()
            mark = m.group()
            ch = AMBIGUOUS if mark == DOUBLED else PAIRED_SINGLES.get(mark, text[i])
            glued = ch == MISTYPED_CLOSER and _glued_closer(text, i)
            if open_at is None:
                if (
                    (ch in OPENING and not glued)
                    or (ch == AMBIGUOUS and _may_open(text, i))
                    or (ch == MISTYPED_OPENER and _opens_paragraph(text, start, i))
                ):
                    open_at = i
            elif ch in CLOSING or glued or (ch == AMBIGUOUS and (i != start or not continued)):
                found.append((open_at, m.end()))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[n + 1][0] if n + 1 < len(paragraphs) else None
            if nxt is None or not (text[nxt] in OPENING + AMBIGUOUS or text.startswith(OPENERS, nxt)):
                found.append((open_at, end))
                open_at = None
    return found


def _glued_closer(text: str, i: int) -> bool:
    # An opening mark glued to the word or stop before it and followed by a space or a stop closes:
    # "“Do you want that?“ he asked" (a typing slip; German „…“ closes with this mark too).
    before_ok = i > 0 and not text[i - 1].isspace() and text[i - 1] not in OPENING + AMBIGUOUS
    return before_ok and (i + 1 == len(text) or text[i + 1].isspace() or text[i + 1] in ".,;:!?)")


def _opens_paragraph(text: str, start: int, i: int) -> bool:
    # "”Fear. I am truly afraid …” ― Name": nothing but spaces before it in the paragraph, a word after.
    return not text[start:i].strip() and i + 1 < len(text) and text[i + 1].isalnum()


def _may_open(text: str, i: int) -> bool:
    # A straight quote opens when it is not glued to the end of a word.
    return i == 0 or (not text[i - 1].isalnum() and text[i - 1] not in ".,!?;:")


class QuoteFinder:
    """Write quotation spans to the quotes group (``spans.QUOTES`` by default)."""

    def __init__(self, nlp: Language, name: str, spans_key: str = QUOTES, paragraphs_key: str = PARAGRAPHS) -> None:
        self.name = name
        self.spans_key = spans_key
        self.paragraphs_key = paragraphs_key

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if self.paragraphs_key in doc.spans:
            paragraphs = [(p.start_char, p.end_char) for p in doc.spans[self.paragraphs_key]]
        else:
            paragraphs = paragraph_bounds(text)
        spans: list[Span] = []
        words: list[int] | None = None
        for start, end in quote_bounds(text, paragraphs):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            if words is None:
                words = _word_counts(doc)
            spans.append(Span(doc, span.start, span.end, label=_label(span, text, words)))
        doc.spans[self.spans_key] = spans
        return doc


def _word_counts(doc: Doc) -> list[int]:
    """``counts[i]``: how many of the first ``i`` tokens are words (``is_alpha or like_num``).

    One array per Doc instead of a Token object per quoted token: quotations cover much of an article.
    """
    return list(accumulate(doc.to_array([IS_ALPHA, LIKE_NUM]).any(axis=1).tolist(), initial=0))


def _label(span: Span, doc_text: str, words: list[int]) -> str:
    if words[span.end] - words[span.start] >= MIN_QUOTE_WORDS:
        return "quote"
    text = doc_text[span.start_char : span.end_char]  # span.text, without re-joining its tokens
    inner = text[: -len(DOUBLED)] if text.endswith((DOUBLED, CLOSE_SINGLES)) else text
    inner = inner.rstrip(CLOSING + AMBIGUOUS).rstrip()
    ends_like_sentence = inner[-1:] in ".,!?:;" if inner else False
    return "quote" if ends_like_sentence else "fragment"


@Language.factory(
    "newsclaims_quotes", assigns=["doc.spans"], default_config={"spans_key": QUOTES, "paragraphs_key": PARAGRAPHS}
)
def make_quote_finder(nlp: Language, name: str, spans_key: str, paragraphs_key: str) -> QuoteFinder:
    """spaCy factory: quotations per paragraph (the paragraphs group when present, else blank lines)."""
    return QuoteFinder(nlp, name, spans_key=spans_key, paragraphs_key=paragraphs_key)
