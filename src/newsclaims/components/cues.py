"""Reporting cues ("said", "according to", "told reporters", "warned"), from ``rules/cues.yaml``.

Each cue span's label is its category; ``span.id_`` holds the role (verb,
according_to, noun) and ``span.kb_id_`` the reported lemma. Overlapping matches
keep the longest, so "told reporters" wins over "told".
"""

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from newsclaims.rules import CueRules

CUES_KEY = "newsclaims_cues"
MISTAGGED_DEPS = {"ROOT", "ccomp", "conj"}


class CueMatcher:
    """Find cue spans; empty until ``add_rules`` gives it the cue rules."""

    def __init__(self, nlp: Language, name: str, spans_key: str = CUES_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.nlp = nlp
        # match key -> (category, role, lemma or None for "the verb's own lemma")
        self._meta: dict[str, tuple[str, str, str | None]] = {}
        # inflected form -> rule lemma: the lemmatizer gets some verbs wrong ("hopes" -> "hop").
        self._forms: dict[str, str] = {}
        # verb lemma -> match key of its rule
        self._by_lemma: dict[str, str] = {}
        # Lemmas whose object (not only a clause or quote) can be the content.
        self.object_lemmas: set[str] = set()

    def add_rules(self, rules: CueRules) -> None:
        for n, rule in enumerate(rules.cues):
            key = f"cue{len(self._meta)}_{n}"
            self._meta[key] = (rule.category, rule.role, rule.lemma)
            if rule.takes_object:
                self.object_lemmas.update(rule.lemmas or [rule.lemma or ""])
            if rule.lemmas:
                # Single verbs are looked up in dicts rather than matched: dozens of IN-set
                # patterns made the Matcher the slowest of our components.
                for lemma in rule.lemmas:
                    self._by_lemma.setdefault(lemma, key)
                    for form in inflections(lemma, rules.irregular_forms):
                        self._forms.setdefault(form, lemma)
            elif rule.literal:
                self.phrases.add(key, [self.nlp.make_doc(rule.literal)])
            elif rule.pattern:
                self.matcher.add(key, [rule.pattern])

    def __call__(self, doc: Doc) -> Doc:
        vocab = doc.vocab.strings
        spans = []
        matches = [(vocab[m], s, e) for m, s, e in [*self.matcher(doc), *self.phrases(doc)]]
        by_lemma, forms = self._by_lemma, self._forms
        for t in doc:
            pos = t.pos_
            if pos == "VERB":
                key = by_lemma.get(t.lemma_.lower()) or by_lemma.get(forms.get(t.lower_, ""))
            elif pos == "NOUN" and t.dep_ in MISTAGGED_DEPS:
                # Mis-tagged verbs ("Analysts estimate that ..." read as a noun) still head a clause.
                key = by_lemma.get(forms.get(t.lower_, ""))
            else:
                continue
            if key is not None:
                matches.append((key, t.i, t.i + 1))
        for key, start, end in matches:
            category, role, lemma = self._meta[key]
            span = Span(doc, start, end, label=category)
            span.id_ = role
            verb = _verb(span)
            span.kb_id_ = lemma or self._forms.get(verb.lower_, verb.lemma_.lower())
            spans.append(span)
        doc.spans[self.spans_key] = sorted(filter_spans(spans), key=lambda s: s.start)
        found = {s.kb_id_ for s in doc.spans[self.spans_key]} & self.object_lemmas
        doc.spans[self.spans_key].attrs["object_lemmas"] = sorted(found)
        return doc


def inflections(lemma: str, irregular: dict[str, list[str]]) -> set[str]:
    """Regular English verb forms of a lemma (over-generating is harmless: only verbs match)."""
    forms = {lemma, *irregular.get(lemma, [])}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _verb(span: Span) -> Token:
    return next((t for t in span if t.pos_ == "VERB"), span[0])


def cue_head(span: Span) -> Token:
    """The token of a cue span that carries its syntax: the verb, or the first word."""
    return _verb(span)


@Language.factory("newsclaims_cues", assigns=["doc.spans"], default_config={"spans_key": CUES_KEY})
def make_cue_matcher(nlp: Language, name: str, spans_key: str) -> CueMatcher:
    return CueMatcher(nlp, name, spans_key=spans_key)
