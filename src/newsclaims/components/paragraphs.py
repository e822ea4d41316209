"""Paragraph boundaries and boilerplate lines, set before the parser runs.

The parser otherwise merges a headline or a one-line aside into the next paragraph,
so every paragraph start is fixed as a sentence start (the parser keeps preset
boundaries). Offsets never move: the whole text is still one ``Doc``.
"""

import re

from spacy.attrs import SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsclaims.components.rule_component import RuleComponent
from newsclaims.doctext import doc_text
from newsclaims.rules import BoilerplateRules
from newsclaims.spans import BOILERPLATE, PARAGRAPHS
from newsclaims.text import paragraph_bounds

_LINE = re.compile(r"[^\n]+")


class ParagraphSplitter(RuleComponent[BoilerplateRules]):
    """Mark paragraphs and boilerplate lines; make every paragraph and boilerplate line a sentence start."""

    rules_model = BoilerplateRules
    rule_file = "rules/boilerplate.yaml"

    def __init__(self, nlp: Language, name: str, paragraphs_key: str = PARAGRAPHS, boilerplate_key: str = BOILERPLATE):
        super().__init__(name)
        self.paragraphs_key = paragraphs_key
        self.boilerplate_key = boilerplate_key
        self._reset()

    def _reset(self) -> None:
        self._patterns: list[re.Pattern[str]] = []
        self._max_words = 0

    def _compile(self, rules: BoilerplateRules) -> None:
        self._patterns.extend(re.compile(p, re.IGNORECASE) for p in rules.line_patterns)
        self._max_words = max(self._max_words, rules.max_words)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        paragraphs = [s for s in (_span(doc, a, b) for a, b in paragraph_bounds(text)) if s is not None]
        # Paragraphs need no rules; only boilerplate does, so an empty splitter still splits.
        patterns = self._patterns if self.has_rules() else []
        boiler: list[Span] = []
        for para in paragraphs:
            for m in _LINE.finditer(text, para.start_char, para.end_char):
                line = m.group().strip()
                if line and len(line.split()) <= self._max_words and any(p.search(line) for p in patterns):
                    lead = len(m.group()) - len(m.group().lstrip())
                    span = _span(doc, m.start() + lead, m.start() + lead + len(line))
                    if span is not None:
                        boiler.append(span)
        _force_sentence_starts(doc, [i for span in paragraphs + boiler for i in (span.start, span.end)])
        doc.spans[self.paragraphs_key] = paragraphs
        doc.spans[self.boilerplate_key] = boiler
        return doc


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _force_sentence_starts(doc: Doc, positions: list[int]) -> None:
    """Make the first real token at or after each position a sentence start, in one array write.

    Setting ``token.is_sent_start`` once per paragraph made long articles quadratic: spaCy's setter
    first checks ``doc.has_annotation("DEP")``, which reads every token of the Doc.
    """
    starts = set()
    for i in positions:
        # Whitespace tokens belong to the sentence before them; start at the next real token.
        while i < len(doc) and doc[i].is_space:
            i += 1
        if 0 < i < len(doc):
            starts.add(i)
    if not starts:
        return
    if doc.has_annotation("DEP"):
        # What the setter would raise: preset boundaries must come before the parser.
        raise ValueError(Errors.E043)
    values = doc.to_array([SENT_START]).reshape(len(doc), 1)
    values[sorted(starts), 0] = 1
    doc.from_array([SENT_START], values)


@Language.factory(
    "newsclaims_paragraphs",
    assigns=["token.is_sent_start", "doc.spans"],
    default_config={"paragraphs_key": PARAGRAPHS, "boilerplate_key": BOILERPLATE},
)
def make_paragraph_splitter(nlp: Language, name: str, paragraphs_key: str, boilerplate_key: str) -> ParagraphSplitter:
    """spaCy factory: paragraphs at once; boilerplate lines once ``add_rules`` gives it rules/boilerplate.yaml."""
    return ParagraphSplitter(nlp, name, paragraphs_key=paragraphs_key, boilerplate_key=boilerplate_key)
