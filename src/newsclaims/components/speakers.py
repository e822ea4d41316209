"""Speaker resolution and classification.

Pronouns ("he", "they") and definite descriptions ("the official", "the company")
resolve to the nearest earlier compatible mention: an earlier speaker first, then a
named entity of a compatible type. Kind, ``named`` and ``anonymous`` are read off the
resolved mention, and anonymity carries over along the chain. Results are written
into the relation table of ``doc.spans["newsclaims_contents"]``.
"""

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsclaims.components.attribution import CONTENTS_KEY
from newsclaims.rules import SpeakerRules

SINGULAR_PERSON = {"he", "she", "him", "her"}
PLURAL = {"they", "them", "we"}
GENDERED = {"he": "m", "him": "m", "she": "f", "her": "f"}
# First and second person: quoted speakers talking about themselves, never an antecedent.
SELF = {"i", "me", "we", "us", "you"}
ENTITY_KIND = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group"}


@dataclass
class Mention:
    start: int
    end: int
    head: int
    kind: str
    plural: bool
    named: bool
    anonymous: bool
    resolved: tuple[int, int] | None = None
    speaker_id: str | None = None


class SpeakerResolver:
    """Fill in ``resolved``, ``kind``, ``named``, ``anonymous`` and ``speaker_id`` for each claim."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.rules: SpeakerRules | None = None
        self._ents: tuple[Span, ...] = ()

    def add_rules(self, rules: SpeakerRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        if CONTENTS_KEY not in doc.spans or self.rules is None:
            return doc
        relations = doc.spans[CONTENTS_KEY].attrs.get("relations", [])
        # doc.ents builds a new tuple on every access: read it once, not once per pronoun
        # (per-access cost made long articles quadratic).
        self._ents = doc.ents
        earlier: list[Mention] = []
        ids: dict[str, str] = {}
        # Speaker id -> "he"/"she" once a pronoun has referred to it, so "she" skips a "he".
        genders: dict[str, str] = {}
        for rel in sorted(relations, key=lambda r: r["speaker"][0] if r["speaker"] else -1):
            if rel["speaker"] is None:
                continue
            start, end = rel["speaker"]
            head = doc[rel["speaker_head"]] if rel["speaker_head"] is not None else doc[end - 1]
            mention = self._classify(doc, start, end, head)
            antecedent = self._antecedent(doc, head, mention, earlier, genders)
            if antecedent is not None:
                target = antecedent.resolved or (antecedent.start, antecedent.end)
                mention.resolved = target
                mention.kind = antecedent.kind
                mention.named = antecedent.named
                mention.anonymous = mention.anonymous or antecedent.anonymous
                mention.speaker_id = antecedent.speaker_id
            key = mention.resolved or (start, end)
            if mention.speaker_id is None:
                canonical = doc[key[0] : key[1]].text.lower()
                mention.speaker_id = ids.setdefault(canonical, f"s{len(ids) + 1}")
            if head.lower_ in GENDERED:
                genders.setdefault(mention.speaker_id, GENDERED[head.lower_])
            rel.update(
                resolved=list(mention.resolved) if mention.resolved else None,
                kind=mention.kind,
                named=mention.named,
                anonymous=mention.anonymous,
                speaker_id=mention.speaker_id,
            )
            earlier.append(mention)
        return doc

    def _classify(self, doc: Doc, start: int, end: int, head: Token) -> Mention:
        assert self.rules is not None
        lemma = head.lemma_.lower()
        lower = head.lower_
        plural = head.tag_ in ("NNS", "NNPS") or lower in PLURAL or any(t.dep_ == "conj" for t in head.children)
        ent = head.ent_type_
        if head.pos_ == "PRON":
            kind = "person" if lower in SINGULAR_PERSON or lower in ("i", "me") else "group" if plural else "unknown"
        elif ent in ENTITY_KIND and head.pos_ == "PROPN":
            kind = ENTITY_KIND[ent]
        elif lemma in self.rules.document_nouns:
            kind = "document"
        elif lower in self.rules.group_nouns or (lemma in self.rules.person_nouns and plural):
            kind = "group"
        elif lemma in self.rules.person_nouns:
            kind = "person"
        elif lemma in self.rules.organization_nouns:
            kind = "organization"
        elif ent in ENTITY_KIND:
            kind = ENTITY_KIND[ent]
        elif head.pos_ == "NOUN" and lemma.endswith(tuple(self.rules.person_suffixes)):
            # No list names every trade; a reporting verb's subject ending like an agent noun is one.
            kind = "group" if plural else "person"
        else:
            kind = "unknown"
        named = head.pos_ == "PROPN" or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in head.children)
        sentence = head.sent.text.lower()
        marked = any(m in sentence for m in self.rules.anonymity_markers)
        anonymous = marked or (not named and head.pos_ != "PRON" and kind in ("person", "group"))
        return Mention(start, end, head.i, kind, plural, named, anonymous)

    def _antecedent(
        self, doc: Doc, head: Token, mention: Mention, earlier: list[Mention], genders: dict[str, str]
    ) -> Mention | None:
        assert self.rules is not None
        lower = head.lower_
        # Only a bare description ("the official", "the senior officials") points back; "the health
        # ministry" or "the official in charge" describes a speaker by itself.
        definite = (
            head.pos_ == "NOUN"
            and any(c.lower_ in ("the", "this", "that", "these", "those") for c in head.lefts)
            and all(t.dep_ in ("det", "amod") or t.i == head.i for t in doc[mention.start : mention.end])
        )
        if head.pos_ == "PRON" and lower in SINGULAR_PERSON:
            gender = GENDERED.get(lower)
            return self._nearest(
                doc,
                head,
                earlier,
                lambda m: m.kind == "person" and not m.plural and genders.get(m.speaker_id or "", gender) == gender,
                {"PERSON"},
            )
        if head.pos_ == "PRON" and lower in PLURAL:
            return self._nearest(doc, head, earlier, lambda m: m.plural, set())
        if head.pos_ == "PRON" and lower == "it":
            return self._nearest(
                doc, head, earlier, lambda m: m.kind in ("organization", "document") and not m.plural, {"ORG"}
            )
        if head.pos_ == "PROPN":
            # "Ortiz", "the Health Ministry": a shorter form of an earlier, fuller name.
            return next(
                (
                    m
                    for m in reversed(earlier)
                    if doc[m.head].lower_ == lower and m.end - m.start > mention.end - mention.start
                ),
                None,
            )
        if definite and not any(t.pos_ == "PROPN" for t in doc[mention.start : mention.end]):
            lemma = head.lemma_.lower()
            ents = {"ORG"} if lemma in self.rules.organization_nouns else set()
            same_head = self._nearest(
                doc, head, earlier, lambda m: doc[m.head].lemma_.lower() == lemma and m.plural == mention.plural, set()
            )
            # An earlier speaker with the same head noun beats a closer organisation name.
            if same_head is not None:
                return same_head
            if lemma in self.rules.person_nouns and not mention.plural:
                # "the president" -> "President Barack Obama": a title inside or just before a name.
                titled = self._nearest(
                    doc,
                    head,
                    earlier,
                    lambda m: m.named and not m.plural and any(t.lemma_.lower() == lemma for t in doc[m.start : m.end]),
                    set(),
                )
                return titled or self._titled_entity(doc, head, lemma)
            return self._nearest(doc, head, earlier, lambda m: False, ents, known_must_fit=False)
        return None

    def _titled_entity(self, doc: Doc, head: Token, lemma: str) -> Mention | None:
        for ent in reversed(self._ents):
            if ent.end > head.i or ent.label_ != "PERSON":
                continue
            words = {t.lemma_.lower() for t in doc[max(ent.start - 1, 0) : ent.end]}
            if lemma in words:
                start = ent.start - 1 if doc[ent.start - 1].lemma_.lower() == lemma else ent.start
                found = self._classify(doc, start, ent.end, ent.root)
                found.named, found.anonymous = True, False
                return found
        return None

    def _nearest(
        self, doc: Doc, head: Token, earlier: list[Mention], fits, labels: set[str], known_must_fit: bool = True
    ) -> Mention | None:
        best = next(
            (m for m in reversed(earlier) if m.start < head.i and fits(m) and doc[m.head].lower_ not in SELF), None
        )
        # Only a named entity that is itself a subject ("Smith argued ...") is salient enough to
        # beat the previous speaker; a name merely mentioned in passing is not.
        ent = next(
            (
                e
                for e in reversed(self._ents)
                if e.end <= head.i
                and e.label_ in labels
                and e.root.dep_ in ("nsubj", "nsubjpass", "appos")
                # A name already known as a speaker must fit too ("she" never names a "he").
                and (not known_must_fit or all(fits(m) for m in earlier if m.start <= e.root.i < m.end))
            ),
            None,
        )
        if ent is not None and (best is None or ent.start > best.end) and (best is None or ent.sent != head.sent):
            # A named entity closer than any earlier speaker is the better antecedent.
            start, end = ent.start, ent.end
            # The tagger can stretch an entity over white space or punctuation at its edges.
            while start < end - 1 and (doc[start].is_space or doc[start].is_punct):
                start += 1
            while end > start + 1 and (doc[end - 1].is_space or doc[end - 1].is_punct):
                end -= 1
            named = self._classify(doc, start, end, ent.root)
            named.named = True
            named.anonymous = False
            if best is None or ent.start > best.start:
                return named
        return best


@Language.factory("newsclaims_speakers", assigns=["doc.spans"])
def make_speaker_resolver(nlp: Language, name: str) -> SpeakerResolver:
    return SpeakerResolver(nlp, name)
