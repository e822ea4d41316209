"""What a figure measures and when, read from the dependency parse and the DATE entities.

``measures_of`` returns the noun phrase a figure quantifies ("troops" in "5,000 troops", the
object of "of" in "90% of the country's imports of chips", the object of "worth of"), and
``period_of`` the time reference of the figure's clause ("in the last quarter of 2023").
Pure functions over spaCy Spans; they return None when the parse gives nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Dependents that start a new clause or a side remark: never part of the measured noun phrase.
_CUT_DEPS = {"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "parataxis", "dep", "mark"}
_LEADING_DROP = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "some", "all"}
# A head noun that only restates an amount ("worth of X", "a total of X"): look through it.
_THROUGH = {"worth", "value", "total", "sum", "amount", "share", "proportion", "percentage", "portion"}
_PERIOD_PREPS = {"in", "during", "since", "by", "over", "for", "until", "till", "through", "throughout",
                 "from", "before", "after", "between", "within", "at", "on"}
_NOT_MEASURED_ENTS = {"DATE", "TIME", "GPE", "LOC", "PERSON", "ORG", "MONEY", "PERCENT", "CARDINAL"}


def _of_object(tok: Token) -> Token | None:
    """The object of an "of" phrase hanging off ``tok``."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def noun_phrase(head: Token, exclude: set[int] | frozenset[int] = frozenset()) -> str | None:
    """The contiguous noun phrase headed by ``head``, without leading determiners or the figures.

    ``exclude``: token indices of every figure, so that "its €2.5bn (£2.1bn) budget" gives
    "budget", never a phrase holding a conversion.
    """
    kept = set()
    stack = [head]
    while stack:
        tok = stack.pop()
        kept.add(tok.i)
        for child in tok.children:
            if child.dep_ in _CUT_DEPS and child.i > head.i:
                continue
            if child.dep_ in ("prep",) and child.lower_ != "of":
                continue
            stack.append(child)
    kept -= exclude
    if head.i not in kept:
        return None
    lo = hi = head.i
    while lo - 1 in kept:
        lo -= 1
    while hi + 1 in kept:
        hi += 1
    doc = head.doc
    while lo < hi and (doc[lo].lower_ in _LEADING_DROP or doc[lo].is_punct):
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    if doc[lo].lower_ in _LEADING_DROP or doc[lo].like_num:
        return None
    return doc[lo : hi + 1].text


def _governor(tok: Token) -> Token:
    """The verb (or sentence root) whose clause contains ``tok``."""
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
    return tok


def measures_of(span: Span, inside: set[int], change: bool) -> str | None:
    """The noun phrase the figure in ``span`` quantifies, or None; ``inside``: tokens of all figures."""
    root = span.root
    # "70% of X", "2 million barrels of oil", "$900m worth of X": follow "of", looking through
    # other figures and amount nouns ("worth", "total") to the thing counted.
    starts = [root] + [t for t in (root.head, *root.children) if t.lower_ in _THROUGH and t.i >= span.end]
    for tok in starts:
        obj = _of_object(tok)
        seen = 0
        while obj is not None and seen < 4 and (obj.i in inside or obj.lower_ in _THROUGH):
            seen += 1
            nxt = _of_object(obj)
            if nxt is None and obj.i in inside:
                # the share's base figure: its own head may be "worth"
                head = obj.head if obj.head.i not in inside else obj
                nxt = _of_object(head) if head.lower_ in _THROUGH else None
                if nxt is None:
                    nxt = next((t for t in obj.ancestors if t.lower_ in _THROUGH and t.i > obj.i), None)
                    nxt = _of_object(nxt) if nxt is not None else None
            obj = nxt
        if obj is not None and obj.i not in inside:
            return noun_phrase(obj, inside)
    # "5,000 troops": the noun the number modifies
    if root.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and root.head.i >= span.end:
        head = root.head
        if head.pos_ in ("NOUN", "PROPN") and head.i not in inside and head.ent_type_ not in ("DATE", "TIME"):
            return noun_phrase(head, inside)
    # "$2bn in military aid": the parser often hangs "in" on the verb, so go by position
    if span.end < len(span.doc) and span.doc[span.end].lower_ == "in":
        obj = next((g for g in span.doc[span.end].children if g.dep_ == "pobj"), None)
        if obj is not None and obj.ent_type_ not in _NOT_MEASURED_ENTS and obj.pos_ == "NOUN":
            return noun_phrase(obj, inside)
    # "Exports fell 12%": the subject of the change
    if change:
        verb = _governor(root)
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.pos_ in ("NOUN", "PROPN") and subj.i not in inside:
            return noun_phrase(subj, inside)
    return None


class DatedClause(NamedTuple):
    """A DATE entity that can be a figure's time reference, as token indices (see ``dated_clauses``)."""

    start: int  # the entity's first token
    end: int
    text_start: int  # with the preposition before it ("in 2023")
    verb: int  # the verb governing its clause
    described: int  # the noun its relative clause describes, or -1
    described_governor: int  # the verb governing that noun's clause, or -1


class DatedClauses(list[DatedClause]):
    """``dated_clauses``'s list, with its positions by governing verb (see ``period_of``)."""

    def by_governor(self, governor: int) -> list[int]:
        """Positions, in list order, of the dates whose clause or described noun hangs on ``governor``."""
        if not hasattr(self, "_by_governor"):
            # Built once per Doc: scanning every date per figure made long articles quadratic.
            self._by_governor: dict[int, list[int]] = {}
            for n, d in enumerate(self):
                for g in {d.verb, d.described_governor}:
                    self._by_governor.setdefault(g, []).append(n)
        return self._by_governor.get(governor, [])


def dated_clauses(doc: Doc, inside: set[int] | frozenset[int] = frozenset()) -> DatedClauses:
    """The Doc's DATE entities that may date a figure, with the verb governing their clause and,
    when that clause is a relative clause, the noun it describes ("tools that Russia imported in 2023").

    Computed once per Doc: dates inside a figure (token indices ``inside``) and dates that only
    name a thing ("the 2024 elections") are left out here, not per figure.
    """
    out = DatedClauses()
    for ent in doc.ents:
        if ent.label_ != "DATE" or ent[-1].lower_ == "old":  # "45-year-old" is an age
            continue
        if any(i in inside for i in range(ent.start, ent.end)):
            continue
        root = ent.root
        if root.dep_ in ("compound", "nmod", "amod", "nummod") and root.head.pos_ == "NOUN":
            continue
        verb = _governor(root)
        described = verb.head if verb.dep_ in ("relcl", "acl") else None
        start = ent.start
        if start > 0 and doc[start - 1].lower_ in _PERIOD_PREPS and not doc[start].is_sent_start:
            start -= 1
        out.append(DatedClause(ent.start, ent.end, start, verb.i, described.i if described is not None else -1,
                               _governor(described).i if described is not None else -1))
    return out


def period_of(span: Span, dates: list[DatedClause]) -> str | None:
    """The time reference of the figure's clause, with its preposition ("in 2023"), or None.

    ``dates`` comes from ``dated_clauses``. A date in the figure's own clause wins; otherwise one
    in a relative clause on the figure or a noun after it ("70% of the tools that X imported in 2023").
    """
    if not dates:
        return None
    governor = _governor(span.root).i
    n = len(span.doc)
    best: tuple[int, DatedClause] | None = None
    # Only dates whose verb or described noun's verb is the figure's governor can qualify below.
    candidates = (dates[i] for i in dates.by_governor(governor)) if isinstance(dates, DatedClauses) else dates
    for d in candidates:
        distance = min(abs(d.start - span.end), abs(span.start - d.end))
        if d.verb != governor:
            # The relative clause may describe the figure itself ("70% ... that X imported in 2023",
            # where the parser hangs it on "%") or a noun after it; -1 means no relative clause.
            if d.described < span.start or d.described_governor != governor:
                continue
            distance += n  # only when the clause itself gives no date
        if best is None or distance < best[0]:
            best = (distance, d)
    if best is None:
        return None
    return span.doc[best[1].text_start : best[1].end].text
