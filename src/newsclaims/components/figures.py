"""Figures (money, percent, numbers, quantities), from ``rules/figures.yaml``.

Runs after ``ner``: the scan (``newsclaims.figures.scan``) reads the text with rule-built
patterns (NER alone cuts "£723m" to "723") and uses tags, lemmas and entities to reject years,
dates, times and identifiers. It writes one span group (``spans.FIGURES`` by default): each span
is labelled by the figure kind, and ``group.attrs[RECORDS][i]`` is the ``FigureRecord`` of span
``i``, so assembly needs no rules and the readings survive ``Doc.to_bytes``.

Shaped like spaCy's ``SpanRuler``: empty when built, filled by ``add_rules`` or ``initialize``,
and the rules are saved with the pipeline (``rules.json``) so ``spacy.load`` restores them.
"""

from spacy.language import Language
from spacy.tokens import Doc

from newsclaims.components.rule_component import RuleComponent
from newsclaims.figures.lexicon import FigureLexicon
from newsclaims.figures.scan import Reading, scan_figures, write_group
from newsclaims.rules import FigureRules
from newsclaims.spans import FIGURES


class FigureFinder(RuleComponent[FigureRules]):
    """Mark figures as spans labelled money/percent/number/quantity; empty until ``add_rules``."""

    rules_model = FigureRules
    rule_file = "rules/figures.yaml"

    def __init__(self, nlp: Language, name: str, spans_key: str = FIGURES) -> None:
        super().__init__(name)
        self.spans_key = spans_key
        self._reset()

    @property
    def rules(self) -> FigureRules | None:
        """The rules in use (the last given), or None."""
        return self.added[-1] if self.added else None

    def add_rules(self, rules: FigureRules | dict) -> None:  # type: ignore[override]
        """Use ``rules`` from now on, replacing any given before.

        The figure rules are one file read as a whole (scales, currencies and qualifiers combine),
        so unlike ``SpanRuler.add_patterns`` a second call does not add to the first. Every
        pattern is compiled here, not on the first Doc.
        """
        self.clear()
        super().add_rules(rules)

    def _reset(self) -> None:
        self.lexicon: FigureLexicon | None = None

    def _compile(self, rules: FigureRules) -> None:
        self.lexicon = FigureLexicon(rules)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Reading]:
        """The figures of ``doc`` in text order; none (with a warning) when the component has no rules."""
        if not self.has_rules() or self.lexicon is None:
            return []
        return scan_figures(doc, self.lexicon)

    def set_annotations(self, doc: Doc, readings: list[Reading]) -> None:
        """Write ``readings`` as this component's span group, one ``FigureRecord`` per span."""
        write_group(doc, readings, self.spans_key)


@Language.factory(
    "newsclaims_figures",
    requires=["token.tag", "token.pos", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={"spans_key": FIGURES},
)
def make_figure_finder(nlp: Language, name: str, spans_key: str) -> FigureFinder:
    """spaCy factory: an empty ``FigureFinder``; ``add_rules`` or ``initialize(rules=...)`` fills it."""
    return FigureFinder(nlp, name, spans_key=spans_key)
