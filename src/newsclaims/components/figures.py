"""Figures (money, percent, numbers, quantities), from ``rules/figures.yaml``.

Runs after ``ner``: the scan reads the text with rule-built patterns (NER alone cuts "£723m" to
"723") and uses tags, dependencies and entities to reject years, dates, times and identifiers.
Each span's label is the figure kind. Its reading (figure start, end, value, low, high, unit,
qualifier, change) is stored in ``doc.user_data[spans_key]`` keyed by the span's ``"start:end"``
character offsets, so ``newsclaims.figures.figures_from_doc`` needs no rules and the data
survives ``Doc.to_bytes``. A span covers whole tokens, so for a figure glued to a sentence-final
period ("£15m.") the span includes the period and the reading's offsets do not.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsclaims.figures_parse import FigureLexicon
from newsclaims.figures_scan import scan_figures
from newsclaims.rules import FigureRules

FIGURES_KEY = "newsclaims_figures"


@Language.factory("newsclaims_figures", assigns=["doc.spans"], default_config={"spans_key": FIGURES_KEY})
def make_figure_finder(nlp: Language, name: str, spans_key: str) -> "FigureFinder":
    """spaCy factory: an empty ``FigureFinder``; ``add_rules`` fills it (or the first call does)."""
    return FigureFinder(nlp, name, spans_key=spans_key)


class FigureFinder:
    """Mark figures as spans labelled money/percent/number/quantity; empty until ``add_rules``."""

    def __init__(self, nlp: Language, name: str, spans_key: str = FIGURES_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.lexicon: FigureLexicon | None = None

    def add_rules(self, rules: FigureRules | None = None) -> None:
        """Use ``rules`` (the built-in ``rules/figures.yaml`` when None)."""
        if rules is None:
            from newsclaims.rules import load_ruleset

            rules = load_ruleset().figures
        self.lexicon = FigureLexicon(rules)

    def __call__(self, doc: Doc) -> Doc:
        if self.lexicon is None:
            self.add_rules()  # a pipeline built by hand still finds figures with the built-in rules
        assert self.lexicon is not None
        spans, data = [], {}
        for r in scan_figures(doc, self.lexicon):
            span = Span(doc, r.first_token, r.last_token, label=r.kind)
            spans.append(span)
            data[f"{span.start_char}:{span.end_char}"] = r.data()
        doc.spans[self.spans_key] = spans
        doc.user_data[self.spans_key] = data
        return doc
