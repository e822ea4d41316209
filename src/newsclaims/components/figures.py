"""Figures (money, percent, numbers, quantities), from ``rules/figures.yaml``.

Runs after ``ner``: the scan (``newsclaims.figures.scan``) reads the text with rule-built
patterns (NER alone cuts "£723m" to "723") and uses tags, lemmas and entities to reject years,
dates, times and identifiers. It writes one span group (``spans.FIGURES`` by default): each span
is labelled by the figure kind, and ``group.attrs[RECORDS][i]`` is the ``FigureRecord`` of span
``i``, so assembly needs no rules and the readings survive ``Doc.to_bytes``.

Shaped like spaCy's ``SpanRuler``: empty when built, filled by ``add_rules`` or ``initialize``,
and the rules are saved with the pipeline (``rules.json``) so ``spacy.load`` restores them.
"""

import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import SimpleFrozenList, ensure_path, from_bytes, to_bytes

from newsclaims.figures.lexicon import FigureLexicon
from newsclaims.figures.scan import Reading, scan_figures, write_group
from newsclaims.rules import FigureRules
from newsclaims.spans import FIGURES

RULES_FILE = "rules.json"


class FigureFinder:
    """Mark figures as spans labelled money/percent/number/quantity; empty until ``add_rules``."""

    def __init__(self, nlp: Language, name: str, spans_key: str = FIGURES) -> None:
        self.name = name
        self.spans_key = spans_key
        self.rules: FigureRules | None = None
        self.lexicon: FigureLexicon | None = None

    def add_rules(self, rules: FigureRules) -> None:
        """Use ``rules`` from now on, replacing any given before.

        The figure rules are one file read as a whole (scales, currencies and qualifiers combine),
        so unlike ``SpanRuler.add_patterns`` a second call does not add to the first. Every
        pattern is compiled here, not on the first Doc.
        """
        self.rules, self.lexicon = rules, FigureLexicon(rules)

    def clear(self) -> None:
        """Forget the rules: the component finds nothing (and warns) until it is given rules again."""
        self.rules = self.lexicon = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        rules: FigureRules | None = None,
    ) -> None:
        """Reset the component for ``nlp.initialize()``: cleared, then given ``rules`` when not None.

        ``get_examples`` and ``nlp`` are unused (nothing is learnt); they are the signature spaCy
        calls. Without ``rules`` the component stays empty, as a ``SpanRuler`` without patterns.
        """
        self.clear()
        if rules is not None:
            self.add_rules(rules)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Reading]:
        """The figures of ``doc`` in text order; none (with a warning) when the component has no rules."""
        if self.lexicon is None:
            # Like SpanRuler's W036; Python's default filter shows it once per calling line.
            warnings.warn(
                f"[newsclaims] The component '{self.name}' has no figure rules and finds no figures: call "
                "add_rules(ruleset.figures) or initialize(rules=...), or build the pipeline with "
                "newsclaims.pipeline.build_nlp",
                UserWarning,
                stacklevel=3,
            )
            return []
        return scan_figures(doc, self.lexicon)

    def set_annotations(self, doc: Doc, readings: list[Reading]) -> None:
        """Write ``readings`` as this component's span group, one ``FigureRecord`` per span."""
        write_group(doc, readings, self.spans_key)

    # --- serialisation: the rules, as SpanRuler saves its patterns ------------------------------
    def _rules_json(self) -> dict[str, Any] | None:
        return None if self.rules is None else self.rules.model_dump(mode="json")

    def _load_rules(self, data: dict[str, Any] | None) -> None:
        self.initialize(rules=None if data is None else FigureRules.model_validate(data))

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        """The rules as bytes (``nlp.to_bytes``)."""
        return to_bytes({"rules": lambda: srsly.json_dumps(self._rules_json())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()) -> "FigureFinder":
        """Restore the rules saved by ``to_bytes``."""
        self.clear()
        from_bytes(bytes_data, {"rules": lambda b: self._load_rules(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Save the rules as ``path/rules.json`` (``nlp.to_disk``)."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / RULES_FILE, self._rules_json())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> "FigureFinder":
        """Restore the rules saved by ``to_disk``; a folder without ``rules.json`` leaves the component empty."""
        file = ensure_path(path) / RULES_FILE
        self._load_rules(srsly.read_json(file) if file.exists() else None)
        return self


@Language.factory(
    "newsclaims_figures",
    requires=["token.tag", "token.pos", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={"spans_key": FIGURES},
)
def make_figure_finder(nlp: Language, name: str, spans_key: str) -> FigureFinder:
    """spaCy factory: an empty ``FigureFinder``; ``add_rules`` or ``initialize(rules=...)`` fills it."""
    return FigureFinder(nlp, name, spans_key=spans_key)
