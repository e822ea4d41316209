"""A claim in the making: token offsets of content, cue and speaker, and the span shaping they share.

Attribution's rules (``attribution.py``, ``credits.py``) all produce ``Relation`` objects and cut
their spans with the same trimming and noun-phrase rules, kept here so every rule agrees.
"""

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsclaims.components.positions import quote_index
from newsclaims.doctext import positions_among
from newsclaims.spans import ClaimRecord

# Dependents that extend a speaker's noun phrase to the right ("officials in Beijing").
NP_RIGHT = {"compound", "flat", "prep", "pobj", "nummod", "cc", "conj", "poss", "case", "amod", "nmod", "appos"}
SOURCE_MODIFIERS = {"relcl", "acl", "prep"}
DASHES = frozenset({"―", "—", "–", "--", "-"})
TRIMMED = {",", ".", ";", ":", "!", "?", "-", "–", "—", "…", "*", "•"}


@dataclass
class Relation:
    """A claim in token offsets, before it becomes a model."""

    content: tuple[int, int]
    type: str
    cue: Span  # label: the cue category
    lemma: str
    speaker: tuple[int, int] | None
    speaker_head: int | None
    confidence: float
    rule: str = ""
    # The pieces of a content interrupted by its frame ("“A,” she said, “B.”"); empty: one piece.
    parts: list[tuple[int, int]] = field(default_factory=list)
    # A follow-on quotation paragraph: the claim it continues. Such a claim has no cue of its own;
    # ``cue`` keeps the continued claim's cue only so ordering code can treat every relation alike.
    continues: "Relation | None" = None

    def pieces(self) -> list[tuple[int, int]]:
        """The content's parts, in order, each inside the content span."""
        inside = [(a, b) for a, b in sorted(self.parts) if self.content[0] <= a < b <= self.content[1]]
        return inside or [self.content]

    def record(self, index: dict[int, int] | None = None) -> ClaimRecord:
        """The claim's row in the contents group (``spans.ClaimRecord``); ``index``: id(relation) -> position."""
        continues = None
        if self.continues is not None and index is not None:
            continues = index.get(id(self.continues))
        return ClaimRecord(
            cue=None if self.continues is not None else [self.cue.start, self.cue.end],
            category=self.cue.label_,
            lemma=self.lemma,
            speaker=list(self.speaker) if self.speaker else None,
            speaker_head=self.speaker_head,
            confidence=round(self.confidence, 3),
            rule=self.rule,
            parts=[list(p) for p in self.pieces()],
            continues=continues,
        )


def speaker_phrase(head: Token, outside: int | None = None) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``head``, with its appositions.

    ``outside``: a token the phrase must stop before (the cue of "officials who said ...").
    """
    doc = head.doc
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "punct":
            continue
        if outside is not None and child.left_edge.i <= outside <= child.right_edge.i:
            break
        # "Jo Smith, a fellow at the institute who ran the agency": news sources come with their
        # credentials in apposition, and those belong to the source (a "who declined to be
        # named" relative clause does not).
        gap = doc[end : child.left_edge.i]
        # "Jo Smith, who ran the agency", "a study released last year", "Jo Smith, of Port Bell": the
        # modifiers that say which source this is are part of the mention as written (the canonical
        # name drops them, see speakers.canonical_name).
        modifier = (
            child.dep_ in SOURCE_MODIFIERS
            and all(t.text == "," or t.is_space for t in gap)
            # "Jo Smith, who argued that ...", "an official, who declined to be named": a clause with a
            # complement clause of its own is a claim (or a refusal), not a credential.
            and not any(t.dep_ in ("ccomp", "xcomp") for t in child.subtree)
        )
        credentials = modifier or (child.dep_ == "appos" and all(t.is_punct or t.is_space for t in gap))
        if credentials or (child.dep_ in NP_RIGHT and child.left_edge.i == end):
            end = child.right_edge.i + 1
        elif child.dep_ in NP_RIGHT and all(t.is_punct or t.is_space for t in gap):
            if child.dep_ in ("conj", "cc", "appos"):
                end = child.right_edge.i + 1
            else:
                break
        else:
            break
    # "Analysts at Northgate Bank estimate ...": when the parser hangs the name on the (mis-tagged)
    # cue, the phrase would end in a bare preposition; the proper-noun run after it is its object.
    if end > start and doc[end - 1].pos_ == "ADP" and not any(c.dep_ == "pobj" for c in doc[end - 1].children):
        stop = end
        while stop < len(doc) and doc[stop].pos_ == "PROPN" and (outside is None or stop < outside):
            stop += 1
        end = stop if stop > end else end - 1
    # "Rep. Jo Smith (D-N.Y.)": a bracketed party label.
    if end < len(doc) and doc[end].text == "(":
        close = next((t.i for t in doc[end : min(end + 8, len(doc))] if t.text == ")"), None)
        if close is not None:
            end = close + 1
    # "WASHINGTON -- President Obama said": a dateline before a spaced dash is no part of the name.
    # The Doc's dashes found once (reading every word of every phrase made a Token of each).
    dashes = positions_among(doc, DASHES)
    dash = [
        i
        for i in dashes[bisect_left(dashes, start) : bisect_left(dashes, head.i)]
        if doc[i].whitespace_ and doc[i - 1].whitespace_
    ]
    if dash:
        start = dash[-1] + 1
    while start < end and edge_mark(doc[start]):
        start += 1
    while end > start and edge_mark(doc[end - 1]) and not _closes(doc, start, end - 1):
        end -= 1
    if end < len(doc) and doc[end].text == ")" and _closes(doc, start, end):
        # "Gov. Jo Smith (R) said": the label's closing bracket, not "Jo Smith (R".
        end += 1
    return start, end


# A dateline is a place, sometimes with a region and an agency tag, before the story's first dash.
DATELINE_MAX_TOKENS = 8


def dateline_end(doc: Doc, i: int) -> int | None:
    """The first token after a dateline opening the sentence of token ``i`` ("HANOI, Vietnam (AP) —",
    "BERLIN --"), or None. A dateline is written in capitals and holds only names and punctuation."""
    sent = doc[i].sent
    start = sent.start
    while start < sent.end and doc[start].is_space:
        start += 1
    first = doc[start] if start < sent.end else None
    if first is None or not (first.is_upper and sum(ch.isalpha() for ch in first.text) > 1):
        return None
    for t in doc[start : min(start + DATELINE_MAX_TOKENS, sent.end)]:
        if t.text in DASHES and t.whitespace_ and t.i > start and doc[t.i - 1].whitespace_:
            return t.i + 1
        if not (t.pos_ == "PROPN" or t.is_punct or t.is_upper):
            return None
    return None


def _closes(doc: Doc, start: int, i: int) -> bool:
    """True when token ``i`` is a ")" that closes a "(" opened in tokens [start, i)."""
    if doc[i].text != ")":
        return False
    depth = 0
    for t in doc[start:i]:
        depth += (t.text == "(") - (t.text == ")")
    return depth > 0


# spaCy counts "%" as punctuation, but it is the noun of "26% say ..." and "42% of voters".
KEPT_MARKS = {"%"}


def edge_mark(token: Token) -> bool:
    """Space or punctuation that a speaker phrase or a name may not start or end with."""
    return token.is_space or (token.is_punct and token.text not in KEPT_MARKS)


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop white space and separating punctuation at both ends (never quote marks or "%")."""
    while start < end and (doc[start].is_space or doc[start].text in TRIMMED):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in TRIMMED or doc[end - 1].dep_ == "cc"):
        end -= 1
    return start, end


def only_glue(doc: Doc, start: int, end: int, allowed: str = ",:;—–-") -> bool:
    """True when tokens [start, end) are only commas, colons, dashes and spaces, within one paragraph."""
    return all(glue(t, allowed) for t in doc[start:end])


def glue(t: Token, allowed: str = ",:;—–-") -> bool:
    """One token of ``only_glue``: white space within a line, an allowed mark, or a quote mark."""
    return (t.is_space and "\n" not in t.text) or (t.is_punct and t.text in allowed) or t.is_quote


def content_kind(quotes: list[Span], start: int, end: int) -> str:
    """direct when the content is a quotation, mixed when it holds one, else indirect."""
    # Indexed by position: a scan of every quotation per claim made long articles quadratic.
    index = quote_index(quotes)
    if index.exact(start, end):
        return "direct"
    return "mixed" if index.any_within(start, end) else "indirect"
