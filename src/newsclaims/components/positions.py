"""Position indexes over spans and token ranges, so per-cue and per-claim look-ups cost O(log n).

Attribution and speaker resolution used to scan every quotation, relation or mention of the
document for each cue, claim or pronoun, which made a long article quadratic (a 1 MiB input spent
most of its time in those scans). The indexes here answer the same questions from sorted offsets
and ``bisect``, and give exactly the answers the scans gave, in the same order: where an answer
relies on the spans being in text order and not nested (as the quotes and paragraphs components
write them), the index checks that once and otherwise falls back to the plain scan.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise
from typing import Generic, Protocol, TypeVar

from spacy.tokens import Doc, Span, Token

T = TypeVar("T")


def monotonic(ranges: Sequence[tuple[int, int]]) -> bool:
    """True when starts and ends both never decrease: ranges in text order, none inside another."""
    return all(a[0] <= b[0] and a[1] <= b[1] for a, b in pairwise(ranges))


def points_in(intervals: Iterable[tuple[int, int]], points: Iterable[int]) -> set[int]:
    """The points lying in at least one of the half-open ``intervals`` (one sort, one bisect each)."""
    found: set[int] = set()
    ordered = sorted(set(points))
    for a, b in intervals:
        found.update(ordered[bisect_left(ordered, a) : bisect_left(ordered, b)])
    return found


class PointCover(Generic[T]):
    """For a fixed set of token positions, which of the added intervals contain each of them.

    Relations overlap only locally, so the intervals covering one position are few even in a huge
    document; adding an interval costs one bisect plus the positions it contains.
    """

    def __init__(self, points: Iterable[int]) -> None:
        self._points = sorted(set(points))
        self._cover: dict[int, list[T]] = {}

    def add(self, start: int, end: int, item: T) -> None:
        """Record ``item`` as covering every known position in [start, end)."""
        lo, hi = bisect_left(self._points, start), bisect_left(self._points, end)
        for p in self._points[lo:hi]:
            self._cover.setdefault(p, []).append(item)

    def at(self, point: int) -> list[T]:
        """The items added so far whose interval contains ``point`` (a known position), oldest first."""
        return self._cover.get(point, [])


class QuoteIndex(list[Span]):
    """The quotes group as a list (every existing use keeps working), with position look-ups.

    Each method returns what the linear scan over the list, quoted in its docstring, returned.
    """

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        super().__init__(spans)
        bounds = [(q.start, q.end) for q in self]
        self._ordered = monotonic(bounds)
        self._starts = [a for a, _ in bounds]
        self._ends = [b for _, b in bounds]
        self._exact = set(bounds)
        self._any_at: set[int] = set(self._starts)
        self._first_at: dict[int, Span] = {}
        for q in reversed(self):
            if q.label_ == "quote":
                self._first_at[q.start] = q
        self._inside: bytearray | None = None

    @property
    def ordered(self) -> bool:
        """True when the quotations are in text order and none lies inside another."""
        return self._ordered

    def inside(self, i: int, *, full_only: bool = False) -> bool:
        """``any(q.start <= i < q.end for q in quotes [if q.label_ == "quote"])``."""
        if self._inside is None:
            # Per token: bit 1 inside any quotation, bit 2 inside a full one (label "quote").
            self._inside = bytearray(max(self._ends, default=0))
            for q in self:
                mark = 3 if q.label_ == "quote" else 1
                for n in range(q.start, q.end):
                    self._inside[n] |= mark
        return 0 <= i < len(self._inside) and bool(self._inside[i] & (2 if full_only else 1))

    def first_quote_at(self, i: int) -> Span | None:
        """``next((q for q in quotes if q.start == i and q.label_ == "quote"), None)``."""
        return self._first_at.get(i)

    def starts_at(self, i: int) -> bool:
        """``any(q.start == i for q in quotes)``."""
        return i in self._any_at

    def exact(self, start: int, end: int) -> bool:
        """``any(q.start == start and q.end == end for q in quotes)``."""
        return (start, end) in self._exact

    def any_within(self, start: int, end: int) -> bool:
        """``any(start <= q.start and q.end <= end for q in quotes)``."""
        if not self._ordered:
            return any(start <= q.start and q.end <= end for q in self)
        # In text order the first quotation starting at or after ``start`` is also the first to end.
        n = bisect_left(self._starts, start)
        return n < len(self) and self._ends[n] <= end

    def containing(self, start: int, end: int) -> Span | None:
        """``next((q for q in quotes if q.start <= start and end <= q.end and q.label_ == "quote"), None)``."""
        if not self._ordered or end <= start:
            return next((q for q in self if q.start <= start and end <= q.end and q.label_ == "quote"), None)
        # Only quotations starting at or before ``start`` and ending after it can hold the range; in
        # text order they are the few just before the bisect point. The first in list order wins.
        found = None
        n = bisect_right(self._starts, start) - 1
        while n >= 0 and self._ends[n] > start:
            q = self[n]
            if end <= q.end and q.label_ == "quote":
                found = q
            n -= 1
        return found

    def overlapping(self, start: int, end: int) -> list[Span]:
        """``[q for q in quotes if q.start < end and start < q.end]``."""
        if not self._ordered:
            return [q for q in self if q.start < end and start < q.end]
        # In text order, with none inside another, ends are sorted as well as starts.
        return self[bisect_right(self._ends, start) : bisect_left(self._starts, end)]

    def adjacent(self, doc: Doc, start: int, end: int, glue: Callable[[Token], bool]) -> Iterator[Span]:
        """The quotations, in list order, ending before ``start`` or starting after ``end`` with only glue between.

        A superset of what the cue loop of ``attribution._verb_cue`` can accept (``only_glue`` between
        the quotation and the cue's clause [start, end)); the loop still applies its own tests.
        """
        if not self._ordered:
            yield from self
            return
        g = start
        while g > 0 and glue(doc[g - 1]):
            g -= 1
        h = end
        while h < len(doc) and glue(doc[h]):
            h += 1
        before = range(bisect_left(self._ends, g), bisect_right(self._ends, start))
        after = range(bisect_left(self._starts, end), bisect_right(self._starts, h))
        for n in sorted({*before, *after}):
            yield self[n]


class RangeIndex:
    """Static token ranges (claims' contents) sorted by start, for overlap queries."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        order = sorted(range(len(ranges)), key=lambda n: ranges[n][0])
        self._starts = [ranges[n][0] for n in order]
        # Running maximum of the ends, in start order: does anything starting before x reach past y?
        self._max_end: list[int] = []
        best = -1
        for n in order:
            best = max(best, ranges[n][1])
            self._max_end.append(best)

    def overlaps(self, start: int, end: int) -> bool:
        """``any(a < end and start < b for a, b in ranges)``."""
        n = bisect_left(self._starts, end)
        return n > 0 and self._max_end[n - 1] > start


class ParagraphIndex:
    """Paragraph token ranges, for finding the paragraph a position ends in."""

    def __init__(self, paragraphs: Sequence[tuple[int, int]]) -> None:
        self._paragraphs = list(paragraphs)
        self._ordered = monotonic(self._paragraphs)
        self._ends = [b for _, b in self._paragraphs]

    def ending_in(self, x: int) -> tuple[int, int] | None:
        """``next(((a, b) for a, b in paragraphs if a < x <= b), None)``."""
        if not self._ordered:
            return next(((a, b) for a, b in self._paragraphs if a < x <= b), None)
        # Any match ends at or after x; from the first such paragraph on, starts only grow.
        n = bisect_left(self._ends, x)
        return self._paragraphs[n] if n < len(self._paragraphs) and self._paragraphs[n][0] < x else None


def quote_index(quotes: Sequence[Span]) -> QuoteIndex:
    """``quotes`` itself when attribution already indexed it, else a new index (one pass)."""
    return quotes if isinstance(quotes, QuoteIndex) else QuoteIndex(quotes)


class _Claim(Protocol):
    content: tuple[int, int]
    cue: Span


C = TypeVar("C", bound=_Claim)


class FollowOnSweep(Generic[C]):
    """The look-ups of ``attribution._follow_on_quotes``, answered in one pass over the quotations.

    That loop visits quotations in text order and may extend a claim's content end (never its start)
    as it goes. Each method gives what its scan over every relation gave. Without quotations in text
    order (or with a content ending before it starts) the scans themselves run.
    """

    def __init__(self, relations: list[C], ordered: list[C], quotes: QuoteIndex) -> None:
        self._relations = relations
        # ``ordered`` is the caller's list sorted by content start; starts never change.
        self._ordered = ordered
        self._linear = not quotes.ordered or any(r.content[1] < r.content[0] for r in relations)
        self._content_starts = [r.content[0] for r in ordered]
        by_cue = sorted(relations, key=lambda r: r.cue.start)
        self._by_cue = by_cue
        self._cue_starts = [r.cue.start for r in by_cue]
        # Relations whose content starts before the current quotation ends and may reach into it.
        self._active: list[C] = []
        self._next = 0

    def inner(self, q: Span) -> list[C]:
        """``[r for r in relations if q.start <= r.cue.start < q.end]`` (in cue order)."""
        if self._linear:
            return [r for r in self._relations if q.start <= r.cue.start < q.end]
        return self._by_cue[bisect_left(self._cue_starts, q.start) : bisect_left(self._cue_starts, q.end)]

    def overlapped(self, q: Span, inner: list[C]) -> bool:
        """Whether a relation outside ``inner`` has a content overlapping ``q``."""
        inside = {id(r) for r in inner}
        if self._linear:
            return any(id(r) not in inside and r.content[0] < q.end and q.start < r.content[1] for r in self._relations)
        while self._next < len(self._ordered) and self._ordered[self._next].content[0] < q.end:
            self._active.append(self._ordered[self._next])
            self._next += 1
        # Quotations come in text order, so a content ending before this one starts cannot reach a
        # later one either, unless it is extended (``extended`` puts it back).
        self._active = [r for r in self._active if r.content[1] > q.start]
        return any(id(r) not in inside and r.content[0] < q.end for r in self._active)

    def previous(self, q: Span) -> C | None:
        """``next((r for r in reversed(ordered) if max(r.content[1], r.cue.end) <= q.start), None)``."""
        n = len(self._ordered) if self._linear else bisect_right(self._content_starts, q.start)
        # A relation ending by q.start also starts by it, so only those before the bisect point can
        # match; the few in between span q.start or have their cue after it.
        for i in range(n - 1, -1, -1):
            r = self._ordered[i]
            if max(r.content[1], r.cue.end) <= q.start:
                return r
        return None

    def extended(self, r: C) -> None:
        """``r``'s content now ends later: it may overlap later quotations again."""
        if not self._linear and all(a is not r for a in self._active):
            self._active.append(r)
