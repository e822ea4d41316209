"""Position look-ups answer what the linear scans they replace answered (on spans of a Doc we build)."""

from __future__ import annotations

import itertools

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from newsclaims.components.positions import QuoteIndex


def _doc_with(spans: list[tuple[int, int]]) -> tuple[Doc, list[Span]]:
    doc = Doc(Vocab(), words=[f"w{i}" for i in range(30)])
    return doc, [Span(doc, a, b, label="quote") for a, b in spans]


def test_overlapping_equals_the_scan_in_text_order_and_out_of_it() -> None:
    for layout in ([(2, 5), (7, 9), (9, 14), (20, 26)], [(20, 26), (2, 5), (3, 4), (9, 14)]):
        _, quotes = _doc_with(layout)
        index = QuoteIndex(quotes)
        for start, end in itertools.combinations(range(0, 30, 1), 2):
            scan = [q for q in quotes if q.start < end and start < q.end]
            assert list(index.overlapping(start, end)) == scan, (layout, start, end)
