"""Reporting cues ("said", "according to", "told reporters", "warned"), from ``rules/cues.yaml``.

Each cue span's label is its category; its ``CueRecord`` (``spans.py``) gives the role (verb,
according_to, noun), the reported lemma and whether the verb's object can be the content.
Overlapping matches keep the longest, so "told reporters" wins over "told".
"""

from typing import Any

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, LOWER, POS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import StringStore
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from newsclaims.components.rule_component import RuleComponent
from newsclaims.rules import CueRules, VerbSenses
from newsclaims.spans import CUES, RECORDS, CueRecord

MISTAGGED_DEPS = {"ROOT", "ccomp", "conj"}
# Cue categories that report a thought, an aim or a guess, no act of speech: never a nested report
# inside an according-to claim, never a sentence-final credit.
THOUGHT_CATEGORIES = frozenset({"belief", "intent", "estimate"})


class CueMatcher(RuleComponent[CueRules]):
    """Find cue spans; empty until ``add_rules`` gives it the cue rules."""

    rules_model = CueRules
    rule_file = "rules/cues.yaml"

    def __init__(self, nlp: Language, name: str, spans_key: str = CUES) -> None:
        super().__init__(name)
        self.spans_key = spans_key
        self.nlp = nlp
        self._reset()

    def _reset(self) -> None:
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # match key -> (category, role, lemma or None for "the verb's own lemma")
        self._meta: dict[str, tuple[str, str, str | None]] = {}
        # inflected form -> rule lemma: the lemmatizer gets some verbs wrong ("hopes" -> "hop").
        self._forms: dict[str, str] = {}
        # verb lemma -> match key of its rule
        self._by_lemma: dict[str, str] = {}
        # Lemmas whose object (not only a clause or quote) can be the content.
        self.object_lemmas: set[str] = set()
        # The sense checks' verb lists (``rules.VerbSenses``), every added rule set's together.
        self.senses: dict[str, set[str]] = {name: set() for name in VerbSenses.model_fields}
        # (token attribute, hash) a pattern's first token must have -> the Matcher of those patterns:
        # each runs only where a token has its value. None once a pattern has no exact first-token
        # value or a variable length (then ``matcher``, holding every pattern, runs over the whole Doc).
        self._anchored: dict[tuple[int, int], _AnchorGroup] | None = {}
        # match key -> the order its rule was added: the whole-Doc Matcher's order for equal spans.
        self._key_order: dict[int, int] = {}
        # ``_anchored`` per attribute as sorted arrays for ``_member``, rebuilt after a rule set adds patterns.
        self._anchor_arrays: dict[int, np.ndarray] | None = None
        # The attributes ``_pattern_matches`` reads (anchors', then gates'), with their column numbers.
        self._columns: dict[int, int] = {}
        self._mistagged = np.array(sorted(self.nlp.vocab.strings[d] for d in MISTAGGED_DEPS), dtype=np.uint64)

    def _compile(self, rules: CueRules) -> None:
        # A new dict, never an update in place: attribution keeps what it derived while this object stays.
        self.senses = {name: self.senses[name] | set(lemmas) for name, lemmas in rules.senses}
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
                alternatives = first_token_alternatives(rule.pattern)
                self.matcher.add(key, alternatives)
                self._add_anchors(key, alternatives)

    def _add_anchors(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        self._key_order[self.nlp.vocab.strings.add(key)] = len(self._key_order)
        self._anchor_arrays = None
        for pattern in patterns:
            anchor = pattern_anchor(pattern)
            if anchor is None or self._anchored is None:
                self._anchored = None
                return
            attr, value = anchor
            slot = (IDS[attr], self.nlp.vocab.strings.add(value))
            group = self._anchored.get(slot)
            if group is None:
                group = self._anchored[slot] = _AnchorGroup(Matcher(self.nlp.vocab, validate=True))
            group.add(key, pattern, self.nlp.vocab.strings)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc) if self.has_rules() else []
        self.set_annotations(doc, matches)
        return doc

    def match(self, doc: Doc) -> list[tuple[Span, CueRecord]]:
        """Cue spans with their records, longest match kept where matches overlap, in text order."""
        vocab = doc.vocab.strings
        matches = [(vocab[m], s, e) for m, s, e in [*self._pattern_matches(doc), *self.phrases(doc)]]
        by_lemma, forms = self._by_lemma, self._forms
        # The token attributes as arrays and only verbs and nouns looked at: a Token object for
        # every token was most of this component's time.
        columns = doc.to_array([POS, DEP, LEMMA, LOWER])
        candidates = np.flatnonzero(
            (columns[:, 0] == VERB) | ((columns[:, 0] == NOUN) & _member(columns[:, 1], self._mistagged))
        )
        for i, (pos, _, lemma_id, lower_id) in zip(candidates.tolist(), columns[candidates].tolist(), strict=True):
            lower = vocab[lower_id]
            if pos == VERB:
                key = by_lemma.get(vocab[lemma_id].lower()) or by_lemma.get(forms.get(lower, ""))
            else:
                # Mis-tagged verbs ("Analysts estimate that ..." read as a noun) still head a clause.
                key = by_lemma.get(forms.get(lower, ""))
            if key is not None:
                matches.append((key, i, i + 1))
        found: dict[tuple[int, int], CueRecord] = {}
        spans = []
        for key, start, end in matches:
            category, role, lemma = self._meta[key]
            span = Span(doc, start, end, label=category)
            # A one-word cue (most are: the looked-up verbs) is its own head, whatever its tag.
            verb = doc[start] if end - start == 1 else cue_head(span)
            lemma = lemma or self._forms.get(verb.lower_, verb.lemma_.lower())
            # filter_spans keeps the first of equal spans: so does the record table.
            found.setdefault(
                (start, end),
                CueRecord(role=role, lemma=lemma, takes_object=lemma in self.object_lemmas),  # type: ignore[typeddict-item]
            )
            spans.append(span)
        kept = sorted(filter_spans(spans), key=lambda s: s.start)
        return [(span, found[(span.start, span.end)]) for span in kept]

    def _pattern_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """``self.matcher(doc)``: each first-token value's patterns matched only where a token has it.

        Stepping every pattern over every token was most of this component's time, and so was
        stepping a hundred patterns (one per value of a first-token ``IN`` set) over windows of
        them. A match starts at its anchor token; a second-token gate (``_AnchorGroup``) skips
        the Matcher where the next word rules every pattern out. The matches come in the whole-Doc
        Matcher's order: by end, then start, then the order the rules were added.
        """
        if self._anchored is None or len(self.matcher) == 0:
            return self.matcher(doc)
        # The Matcher's check that the Doc has the annotation its patterns read, made once on an
        # empty span: the calls below skip it (each check reads the Doc from its start).
        self.matcher(doc[0:0])
        if self._anchor_arrays is None:
            by_attr: dict[int, list[int]] = {}
            for attr, value in self._anchored:
                by_attr.setdefault(attr, []).append(value)
            self._anchor_arrays = {attr: np.array(sorted(v), dtype=np.uint64) for attr, v in by_attr.items()}
            gates = {g.gate[0] for g in self._anchored.values() if g.gate is not None}
            self._columns = {attr: n for n, attr in enumerate(dict.fromkeys([*self._anchor_arrays, *gates]))}
        column = self._columns
        table = doc.to_array(list(column)).reshape(len(doc), len(column))
        found = []
        for attr, values in self._anchor_arrays.items():
            col = table[:, column[attr]]
            hits = np.flatnonzero(_member(col, values))
            for i, value in zip(hits.tolist(), col[hits].tolist(), strict=True):
                group = self._anchored[(attr, value)]
                if group.gate is not None and (
                    i + 1 == len(doc) or int(table[i + 1, column[group.gate[0]]]) not in group.gate[1]
                ):
                    continue
                for key, s, e in group.matcher(doc[i : min(i + group.length, len(doc))], allow_missing=True):
                    if s == 0:  # a match further on starts at an anchor token of its own
                        found.append((key, i, i + e))
        order = self._key_order
        return sorted(found, key=lambda m: (m[2], m[1], order[m[0]]))

    def set_annotations(self, doc: Doc, matches: list[tuple[Span, CueRecord]]) -> None:
        """Write the cue group and its aligned records."""
        doc.spans[self.spans_key] = [span for span, _ in matches]
        doc.spans[self.spans_key].attrs[RECORDS] = [dict(record) for _, record in matches]


def _member(column: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.isin(column, values)`` for a sorted ``values``: a binary search per token.

    ``np.isin`` sorts the Doc's column on every call; it was a third of ``_pattern_matches``.
    """
    if not len(values):
        return np.zeros(len(column), dtype=bool)
    at = values.searchsorted(column)
    return values[np.minimum(at, len(values) - 1)] == column


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


# Token attributes whose ``IN`` set on a pattern's first token is split into one pattern per value.
_SPLIT_ATTRS = {"LEMMA", "LOWER", "ORTH", "NORM", "TEXT"}
_MAX_SPLIT = 64


def first_token_alternatives(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """``pattern`` as one pattern per value of its first token's ``{ATTR: {IN: [...]}}``, matching the same spans.

    spaCy's Matcher tests an exact value in C but calls back into Python for an ``IN`` set, on
    every token of every Doc for a first token; one exact pattern per value makes the cue matcher
    several times faster. Patterns of any other shape are kept as they are.
    """
    first = pattern[0] if pattern else {}
    split = [a for a, v in first.items() if a.upper() in _SPLIT_ATTRS and isinstance(v, dict) and set(v) == {"IN"}]
    if len(split) != 1 or "OP" in first:
        return [pattern]
    attr = split[0]
    values = list(dict.fromkeys(first[attr]["IN"]))
    if not values or len(values) > _MAX_SPLIT or not all(isinstance(v, str) for v in values):
        return [pattern]
    return [[{**first, attr: value}, *pattern[1:]] for value in values]


# First-token attributes whose exact value ``pattern_anchor`` can look up in the Doc's token array.
_ANCHOR_ATTRS = {"LEMMA": "LEMMA", "LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH", "NORM": "NORM"}


def pattern_anchor(pattern: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The attribute and exact value a match's first token must have, if the pattern has fixed length.

    None for a pattern with an operator (its length varies, its first token may be optional) or
    with no exact text or lemma value on its first token.
    """
    if not pattern or any(isinstance(k, str) and k.upper() == "OP" for token in pattern for k in token):
        return None
    for key, value in pattern[0].items():
        attr = _ANCHOR_ATTRS.get(key.upper()) if isinstance(key, str) else None
        if attr is not None and isinstance(value, str):
            return attr, value
    return None


class _AnchorGroup:
    """The patterns that share one first-token value, their longest length, and a second-token gate.

    ``gate``: (attribute, hashes) the second token must have for any of the patterns to match, when
    every pattern has two tokens or more and an exact value or ``IN`` set on one such attribute there.
    """

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.length = 0
        self.gate: tuple[int, set[int]] | None = None

    def add(self, key: str, pattern: list[dict[str, Any]], strings: StringStore) -> None:
        gate = _second_token_gate(pattern, strings)
        if len(self.matcher) == 0:
            self.gate = gate
        elif self.gate is not None and gate is not None and self.gate[0] == gate[0]:
            self.gate[1].update(gate[1])
        else:
            self.gate = None  # one pattern without the gate's attribute: the gate could drop its matches
        self.matcher.add(key, [pattern])
        self.length = max(self.length, len(pattern))


def _second_token_gate(pattern: list[dict[str, Any]], strings: StringStore) -> tuple[int, set[int]] | None:
    """The attribute and hashes a match's second token must have, where the pattern says exactly."""
    if len(pattern) < 2:
        return None
    for key, value in pattern[1].items():
        attr = _ANCHOR_ATTRS.get(key.upper()) if isinstance(key, str) else None
        if attr is None:
            continue
        if isinstance(value, str):
            return IDS[attr], {strings.add(value)}
        if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            return IDS[attr], {strings.add(v) for v in value["IN"]}
    return None


def cue_head(span: Span) -> Token:
    """The token of a cue span that carries its syntax: the verb, or the first word."""
    if span.end - span.start == 1:
        return span.doc[span.start]  # most cues are one word; no generator over the span for them
    return next((t for t in span if t.pos_ == "VERB"), span[0])


@Language.factory(
    "newsclaims_cues",
    requires=["token.pos", "token.lemma", "token.dep"],
    assigns=["doc.spans"],
    default_config={"spans_key": CUES},
)
def make_cue_matcher(nlp: Language, name: str, spans_key: str) -> CueMatcher:
    return CueMatcher(nlp, name, spans_key=spans_key)
