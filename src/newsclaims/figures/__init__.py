"""The figures wing: money, percentages, counts and quantities in news text, as pure functions.

No spaCy component lives here (that is ``components/figures.py``, a thin SpanRuler-shaped shell)
and no output model is assembled here (that is ``assemble/figures.py``). In pipeline order:

- ``lexicon``   ``FigureLexicon``: ``rules/figures.yaml`` compiled into tables and regexes.
- ``amounts``   ``read_amount``: one amount of text ("$900m", "two million") into a number.
- ``scan``      ``scan_figures``: every figure of a parsed Doc as a ``Reading`` (kind, value, unit,
                range, qualifier, change), with years, dates and identifiers rejected;
                ``write_group`` stores the readings as the Doc's figures group, ``scan_doc`` runs
                both on a Doc built without the component.
- ``context``   what a figure measures and its period, from the parse (assembly time).
- ``relations`` share-of and conversion links between neighbouring figures, derived amounts,
                ``figures_in_span`` (assembly time).

A new figure kind: ``models.FigureKind`` and the ``kind`` of ``spans.FigureRecord``, the decision
in ``scan._Scanner._after`` / ``read``, its words in ``rules/figures.yaml``; ``relations._SCALABLE``
if a share can be "of" it. The span label and the record carry the kind from there on.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Loaded on use, so that assembly importing ``figures.relations`` does not load the scanner.
    if name == "scan_doc":
        from newsclaims.figures.scan import scan_doc

        return scan_doc
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
