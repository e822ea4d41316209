"""The text and token character offsets of a Doc, built once per Doc and shared by every reader.

``Doc.text`` re-joins every token (a Python object per token) on each access, and three of our
components plus assembly read it; spans made only for their ``start_char``/``end_char`` cost as
much again. Both are kept here in a side table of weak references, so nothing is added to the
Doc (its serialised form is unchanged) and an entry goes when its Doc does. A Doc's text cannot
change after it is made (the retokenizer keeps it), so an entry stays valid; it is checked
against the token count all the same.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from spacy.tokens import Doc

_TEXTS: WeakKeyDictionary[Doc, tuple[int, str]] = WeakKeyDictionary()
_OFFSETS: WeakKeyDictionary[Doc, tuple[list[int], list[int]]] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc."""
    hit = _TEXTS.get(doc)
    if hit is not None and hit[0] == len(doc):
        return hit[1]
    text = doc.text
    _TEXTS[doc] = (len(doc), text)
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text`` as ``doc_text(doc)``: the string ``doc`` was just made from by ``nlp.make_doc``.

    spaCy's tokenizer keeps every character, so that string is ``doc.text``; the extraction loop
    has it at hand, and re-joining the tokens cost 0.04 s over the 84 PolNeAR dev articles.
    """
    _TEXTS[doc] = (len(doc), text)


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character of every token (``token.idx``, ``token.idx + len(token)``), once per Doc."""
    hit = _OFFSETS.get(doc)
    if hit is not None and len(hit[0]) == len(doc):
        return hit
    from spacy.attrs import IDX, LENGTH

    array = doc.to_array([IDX, LENGTH])
    starts = array[:, 0].tolist()
    ends = (array[:, 0] + array[:, 1]).tolist()
    _OFFSETS[doc] = (starts, ends)
    return starts, ends


def span_chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """``(doc[start:end].start_char, doc[start:end].end_char)`` without making the Span."""
    starts, ends = token_offsets(doc)
    if not 0 <= start < end <= len(starts):
        span = doc[start:end]  # spaCy's own rules for slices past the end, negative and empty ones
        return span.start_char, span.end_char
    return starts[start], ends[end - 1]


_BREAKS: WeakKeyDictionary[Doc, tuple[int, list[int]]] = WeakKeyDictionary()


def line_breaks(doc: Doc) -> list[int]:
    """Indices of the whitespace tokens holding a line break (``t.is_space and "\\n" in t.text``), in order."""
    hit = _BREAKS.get(doc)
    if hit is not None and hit[0] == len(doc):
        return hit[1]
    from spacy.attrs import IS_SPACE, ORTH

    columns = doc.to_array([ORTH, IS_SPACE])
    spaces = (columns[:, 1] == 1).nonzero()[0].tolist()
    orths = columns[spaces, 0].tolist()
    strings = doc.vocab.strings
    # Only the white-space words, each distinct text read once: a Token object per token, then the
    # text of every distinct word, were the cost.
    breaking = {o for o in set(orths) if "\n" in strings[o]}
    found = [i for i, o in zip(spaces, orths, strict=True) if o in breaking]
    _BREAKS[doc] = (len(doc), found)
    return found


_SENTS: WeakKeyDictionary[Doc, tuple[int, list[int] | None]] = WeakKeyDictionary()


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """``(doc[i].sent.start, doc[i].sent.end)`` for a token index ``0 <= i < len(doc)``.

    ``Token.sent`` slices the Doc twice (in Python) and walks to both ends of the sentence on every
    call; here it is a bisect in the Doc's sentence starts, read once per parsed Doc (spaCy refuses
    to set sentence starts on one, and our components never change a parse) and again when its
    token count changes. A Doc with a sentence hook or no parse is left to ``Token.sent``.
    """
    hit = _SENTS.get(doc)
    if hit is None or hit[0] != len(doc):
        from spacy.attrs import SENT_START

        hooked = "sents" in doc.user_hooks or "sent" in doc.user_span_hooks or "sent" in doc.user_token_hooks
        starts = None
        if not hooked and doc.has_annotation("DEP") and doc.has_annotation("SENT_START"):
            starts = (doc.to_array(SENT_START) == 1).nonzero()[0].tolist()
        hit = _SENTS[doc] = (len(doc), starts)
    starts = hit[1]
    if starts is None:
        sent = doc[i].sent
        return sent.start, sent.end
    n = bisect_right(starts, i)
    return (starts[n - 1] if n else 0), (starts[n] if n < len(starts) else len(doc))


_WORDS: WeakKeyDictionary[Doc, dict[frozenset[str], tuple[int, list[int]]]] = WeakKeyDictionary()


def positions_among(doc: Doc, words: frozenset[str]) -> list[int]:
    """Indices of the tokens whose text is one of ``words``, in order, once per Doc and word set."""
    tables = _WORDS.get(doc)
    if tables is None:
        tables = _WORDS[doc] = {}
    hit = tables.get(words)
    if hit is not None and hit[0] == len(doc):
        return hit[1]
    import numpy as np
    from spacy.attrs import ORTH

    strings = doc.vocab.strings
    orths = doc.to_array(ORTH)
    found = np.flatnonzero(np.isin(orths, np.array([strings[w] for w in words], dtype=np.uint64))).tolist()
    tables[words] = (len(doc), found)
    return found


def positions_of(doc: Doc, word: str) -> set[int]:
    """Indices of the tokens whose text is ``word``, from the Doc's orth array (no Token objects)."""
    from spacy.attrs import ORTH

    orths = doc.to_array(ORTH)
    return set((orths == doc.vocab.strings[word]).nonzero()[0].tolist())
