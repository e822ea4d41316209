"""Speaker resolution and classification.

Pronouns ("he", "they") and definite descriptions ("the official", "the company")
resolve to the nearest earlier compatible mention: an earlier speaker first, then a
named entity of a compatible type. Kind, ``named`` and ``anonymous`` are read off the
resolved mention, and anonymity carries over along the chain. Results go to the speakers
group (``spans.SPEAKERS``): one span per claim that has a speaker, the mention as written, with
a ``SpeakerRecord`` naming the claim, the speaker id, kind, resolution and final confidence.
"""

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsclaims.components.confidence import AUTHOR_CAP, UNKNOWN_SPEAKER
from newsclaims.components.positions import points_in
from newsclaims.components.relations import edge_mark, speaker_phrase
from newsclaims.components.rule_component import RuleComponent
from newsclaims.doctext import doc_text, sentence_bounds, span_chars
from newsclaims.rules import SpeakerRules
from newsclaims.spans import CONTENTS, QUOTES, RECORDS, SPEAKERS, ClaimRecord, SpeakerRecord, records

SINGULAR_PERSON = {"he", "she", "him", "her"}
PLURAL = {"they", "them", "we"}
GENDERED = {"he": "m", "him": "m", "she": "f", "her": "f"}
# First and second person: quoted speakers talking about themselves, never an antecedent.
SELF = {"i", "me", "we", "us", "you"}
# First person outside any quotation: the writer speaking ("I think", "we hope").
AUTHOR = {"i", "we", "me", "us"}
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


class SpeakerResolver(RuleComponent[SpeakerRules]):
    """Resolve and classify the speaker of each claim into the speakers group."""

    rules_model = SpeakerRules
    rule_file = "rules/speakers.yaml"

    def __init__(
        self,
        nlp: Language,
        name: str,
        spans_key: str = SPEAKERS,
        contents_key: str = CONTENTS,
        quotes_key: str = QUOTES,
    ) -> None:
        super().__init__(name)
        self.spans_key = spans_key
        self.contents_key = contents_key
        self.quotes_key = quotes_key
        self.rules: SpeakerRules | None = None
        self._many_holders: frozenset[str] = frozenset()
        self._surnames: set[str] = set()
        # Last word of a person's name -> the gender a pronoun resolved to it has shown, for the Doc
        # being resolved: "Taylor Swift" named again after "she" -> "Swift" is never a later "he".
        self._name_genders: dict[str, str] = {}
        # Sentence start -> whether the sentence has an anonymity marker, for the Doc being resolved.
        self._marked: dict[int, bool] = {}

    def _reset(self) -> None:
        self.rules = None
        self._many_holders = frozenset()

    def _compile(self, rules: SpeakerRules) -> None:
        # Word lists of later calls extend the earlier ones, as a --rules folder layers on the built-ins.
        self.rules = (
            rules
            if self.rules is None
            else SpeakerRules.model_validate(
                {k: _extend(v, getattr(rules, k)) for k, v in self.rules.model_dump().items()}
            )
        )
        self._many_holders = frozenset(w.lower() for w in self.rules.many_holders)

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(self.contents_key)
        claims: list[ClaimRecord] = list(records(group)) if group is not None else []
        found = self.resolve(doc, claims) if claims and self.has_rules() else []
        doc.spans[self.spans_key] = [Span(doc, *claims[n]["speaker"]) for n, _ in found]  # type: ignore[misc]
        doc.spans[self.spans_key].attrs[RECORDS] = [dict(record) for _, record in found]
        return doc

    def resolve(self, doc: Doc, claims: list[ClaimRecord]) -> list[tuple[int, SpeakerRecord]]:
        """A record for each claim that has a speaker, in claim order."""
        # doc.ents builds a new tuple on every access: read it once, not once per pronoun
        # (per-access cost made long articles quadratic).
        quoted = [(q.start, q.end) for q in doc.spans.get(self.quotes_key, [])]
        ents = _Entities(doc, quoted)
        # "Webb" after "Michael Webb": the tagger often reads a lone surname as a body or a place.
        persons = [e for e in ents.ents if e.label_ == "PERSON"]
        self._surnames = {e[-1].text for e in persons if len(e) > 1 and e[-1].pos_ == "PROPN"}
        self._marked, self._name_genders = {}, {}
        # Indexed by position: scanning every quotation, earlier mention and entity per claim was quadratic.
        in_quote = points_in(quoted, (c["speaker"][0] for c in claims if c["speaker"]))  # type: ignore[index]
        earlier = _Mentions(doc)
        ids: dict[str, str] = {}
        # Speaker id -> "he"/"she" once a pronoun has referred to it, so "she" skips a "he".
        genders: dict[str, str] = {}
        out: dict[int, SpeakerRecord] = {}
        order = sorted(range(len(claims)), key=lambda n: claims[n]["speaker"][0] if claims[n]["speaker"] else -1)  # type: ignore[index]
        for n in order:
            rel = claims[n]
            if rel["speaker"] is None or rel.get("continues") is not None:
                continue
            start, end = rel["speaker"]
            head = doc[rel["speaker_head"]] if rel["speaker_head"] is not None else doc[end - 1]
            mention = self._classify(doc, start, end, head)
            author = head.lower_ in AUTHOR and end - start == 1 and start not in in_quote
            antecedent = None if author else self._antecedent(doc, head, mention, earlier, genders, ents)
            if author:
                mention.kind, mention.named, mention.anonymous = "author", False, False
            if antecedent is not None:
                target = antecedent.resolved or (antecedent.start, antecedent.end)
                mention.resolved = target
                mention.kind = antecedent.kind
                mention.named = antecedent.named
                mention.anonymous = mention.anonymous or antecedent.anonymous
                mention.speaker_id = antecedent.speaker_id
            key = mention.resolved or (start, end)
            name, description = canonical_name(doc, *key)
            if mention.speaker_id is None:
                # By the name without its description: "an official, who …" and "an official" are one.
                canonical = doc[name[0] : name[1]].text.lower()
                mention.speaker_id = ids.setdefault(canonical, f"s{len(ids) + 1}")
            if head.lower_ in GENDERED:
                genders.setdefault(mention.speaker_id, GENDERED[head.lower_])
                if mention.kind == "person" and name[1] > name[0]:
                    self._name_genders.setdefault(doc[name[1] - 1].lower_, GENDERED[head.lower_])
            conf = rel["confidence"]
            # "a problem that demands ...": a relative pronoun resolved to a noun of no known kind is no more a source.
            if mention.kind == "unknown" and (mention.resolved is None or head.tag_ in ("WP", "WDT")):
                conf += UNKNOWN_SPEAKER
            if author:
                # The writer's own voice: kept, but below any useful threshold so filters can drop it.
                conf = min(conf, AUTHOR_CAP)
            if description is None and mention.resolved is not None:
                # "she" -> "Jo Smith, a fellow at ...": the description of the mention written here, if any.
                description = canonical_name(doc, start, end)[1]
            out[n] = SpeakerRecord(
                claim=n,
                id=mention.speaker_id,
                kind=mention.kind,
                named=mention.named,
                # A proper name identifies its bearer: never both named and anonymous.
                anonymous=mention.anonymous and not mention.named,
                resolved=list(mention.resolved) if mention.resolved else None,
                confidence=round(max(0.0, min(1.0, conf)), 3),
                name=list(name),
                description=list(description) if description else None,
            )
            earlier.append(mention)
        for n, rel in enumerate(claims):
            # A follow-on quotation is the continued claim's speaker's, by position alone.
            cont = rel.get("continues")
            if cont is not None and cont in out:
                conf = min(rel["confidence"], out[cont]["confidence"])
                out[n] = SpeakerRecord(**{**out[cont], "claim": n, "confidence": round(conf, 3)})
        return sorted(out.items())

    def _classify(self, doc: Doc, start: int, end: int, head: Token) -> Mention:
        assert self.rules is not None
        lemma = head.lemma_.lower()
        lower = head.lower_
        plural = (
            head.tag_ in ("NNS", "NNPS")
            or lower in PLURAL
            or any(t.dep_ == "conj" for t in head.children)
            or (head.pos_ == "PROPN" and _plural_agreement(head))
        )
        ent = head.ent_type_
        if head.pos_ == "PRON":
            kind = "person" if lower in SINGULAR_PERSON or lower in ("i", "me") else "group" if plural else "unknown"
        elif head.pos_ == "PROPN" and end - start == 1 and head.text in self._surnames:
            kind = "person"
        elif ent in ENTITY_KIND and head.pos_ == "PROPN":
            kind = ENTITY_KIND[ent]
        elif lemma in self.rules.document_nouns:
            kind = "document"
        elif lower in self.rules.group_nouns or (lemma in self.rules.person_nouns and plural):
            kind = "group"
        elif (
            head.pos_ == "PROPN"
            and any(c.lower_ == "the" for c in head.children)
            and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.children)
            and not any(c.dep_ == "amod" for c in head.children)
        ):
            # "the Harbour Evening Leader": a name of several words with "the" names no person
            # (unlike "the 14th-ranked Ortiz").
            kind = "organization"
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
        sent_start, sent_end = sentence_bounds(doc, head.i)
        marked = self._marked.get(sent_start)
        if marked is None:
            # Several speakers of one sentence share its markers: searched once per sentence.
            a, b = span_chars(doc, sent_start, sent_end)
            sentence = doc_text(doc)[a:b].lower()
            marked = self._marked[sent_start] = any(m in sentence for m in self.rules.anonymity_markers)
        anonymous = marked or (
            not named
            and head.pos_ != "PRON"
            and kind in ("person", "group")
            and not _unique_role(head, plural, self._many_holders)
        )
        return Mention(start, end, head.i, kind, plural, named, anonymous)

    def _antecedent(
        self,
        doc: Doc,
        head: Token,
        mention: Mention,
        earlier: "_Mentions",
        genders: dict[str, str],
        ents: "_Entities",
    ) -> Mention | None:
        assert self.rules is not None
        lower = head.lower_
        if head.tag_ in ("WP", "WDT") and head.dep_ == "nsubj" and head.head.dep_ == "relcl":
            # "Jo Smith, who said ...": a relative pronoun stands for the noun its clause hangs on.
            noun = head.head.head
            found = self._classify(doc, *speaker_phrase(noun, outside=head.i), noun)
            return self._antecedent(doc, noun, found, earlier, genders, ents) or found
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
                ents,
                gender=gender,
            )
        if head.pos_ == "PRON" and lower in PLURAL:
            return self._nearest(doc, head, earlier, lambda m: m.plural, set(), ents)
        if head.pos_ == "PRON" and lower == "it":
            return self._nearest(
                doc, head, earlier, lambda m: m.kind in ("organization", "document") and not m.plural, {"ORG"}, ents
            )
        if head.pos_ == "PROPN":
            # "Ortiz", "the Health Ministry": a shorter form of an earlier, fuller name.
            return next(
                (
                    m
                    for m in reversed(earlier.with_head(lower))
                    if doc[m.head].lower_ == lower and m.end - m.start > mention.end - mention.start
                ),
                None,
            )
        if definite and not any(t.pos_ == "PROPN" for t in doc[mention.start : mention.end]):
            lemma = head.lemma_.lower()
            # "the companies" is several: never one organisation's name.
            org_labels = {"ORG"} if lemma in self.rules.organization_nouns and not mention.plural else set()
            same_head = self._nearest(
                doc,
                head,
                earlier,
                lambda m: doc[m.head].lemma_.lower() == lemma and m.plural == mention.plural,
                set(),
                ents,
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
                    ents,
                )
                return titled or self._titled_entity(doc, head, lemma, ents)
            return self._nearest(doc, head, earlier, _never, org_labels, ents, known_must_fit=False)
        return None

    def _titled_entity(self, doc: Doc, head: Token, lemma: str, ents: "_Entities") -> Mention | None:
        # Only the people whose name (or the word before it) has ``lemma`` can match: look those up.
        for ent in ents.titled_before(lemma, head.i):
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
        self,
        doc: Doc,
        head: Token,
        earlier: "_Mentions",
        fits: Callable[[Mention], bool],
        labels: set[str],
        ents: "_Entities",
        known_must_fit: bool = True,
        gender: str | None = None,
    ) -> Mention | None:
        best = None
        if fits is not _never:
            best = next(
                (m for m in reversed(earlier) if m.start < head.i and fits(m) and doc[m.head].lower_ not in SELF), None
            )
        # Only a named entity that is itself a subject ("Smith argued ...") is salient enough to
        # beat the previous speaker; a name merely mentioned in passing is not.
        ent = next(
            (
                e
                for e in ents.subjects_before(labels, head.i)
                if e.end <= head.i
                and e.label_ in labels
                and e.root.dep_ in ("nsubj", "nsubjpass", "appos")
                # A name already known as a speaker must fit too ("she" never names a "he").
                and (not known_must_fit or all(fits(m) for m in earlier.covering(e.root.i)))
                and self._name_genders.get(e[-1].lower_, gender) == gender
            ),
            None,
        )
        # In the pronoun's own sentence a name beats the previous speaker only as the subject of
        # another clause, outside quotation marks: "When Ortiz was approached, he told police"
        # (not "'Ortiz will win,' he said" nor "Ortiz said he ...", where both are one).
        same_sentence = ent is not None and sentence_bounds(doc, ent.root.i) == sentence_bounds(doc, head.i)
        if same_sentence and (ent.root.head.i == head.head.i or ent.start in ents.quoted):
            ent = None
        if ent is not None and (best is None or ent.start > best.end):
            # A named entity closer than any earlier speaker is the better antecedent.
            start, end = ent.start, ent.end
            # The tagger can stretch an entity over white space or punctuation at its edges.
            while start < end - 1 and edge_mark(doc[start]):
                start += 1
            while end > start + 1 and edge_mark(doc[end - 1]):
                end -= 1
            named = self._classify(doc, start, end, ent.root)
            named.named = True
            named.anonymous = False
            if best is None or ent.start > best.start:
                return named
        return best


def _never(m: Mention) -> bool:
    """No earlier speaker fits: look for a named entity only (``_nearest`` then skips the scan)."""
    return False


class _Mentions(list[Mention]):
    """The speakers resolved so far, in text order, indexed by head word and by the tokens they cover."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self._doc = doc
        self._by_head: dict[str, list[Mention]] = {}
        self._by_token: dict[int, list[Mention]] = {}

    def append(self, m: Mention) -> None:
        super().append(m)
        self._by_head.setdefault(self._doc[m.head].lower_, []).append(m)
        for i in range(m.start, m.end):
            self._by_token.setdefault(i, []).append(m)

    def with_head(self, lower: str) -> list[Mention]:
        """``[m for m in self if doc[m.head].lower_ == lower]``."""
        return self._by_head.get(lower, [])

    def covering(self, i: int) -> list[Mention]:
        """``[m for m in self if m.start <= i < m.end]``."""
        return self._by_token.get(i, [])


class _Entities:
    """``doc.ents`` (read once: each access builds a new tuple), with the look-ups resolution needs.

    spaCy keeps entities in text order and never nested, so their ends are sorted for ``bisect``.
    """

    def __init__(self, doc: Doc, quoted: list[tuple[int, int]]) -> None:
        self.ents = doc.ents
        # Starts of the entities that lie inside a quotation.
        self.quoted = points_in(quoted, (e.start for e in self.ents))
        self._subjects: dict[frozenset[str], tuple[list[Span], list[int]]] = {}
        self._titled: dict[str, tuple[list[Span], list[int]]] | None = None

    def subjects_before(self, labels: set[str], i: int) -> Iterator[Span]:
        """Entities with a label in ``labels`` and a subject or apposition root, ending by ``i``, last first."""
        key = frozenset(labels)
        if key not in self._subjects:
            found = [e for e in self.ents if e.label_ in key and e.root.dep_ in ("nsubj", "nsubjpass", "appos")]
            self._subjects[key] = (found, [e.end for e in found])
        found, ends = self._subjects[key]
        yield from (found[n] for n in range(bisect_right(ends, i) - 1, -1, -1))

    def titled_before(self, lemma: str, i: int) -> Iterator[Span]:
        """PERSON entities ending by ``i`` whose tokens, or the token before them, have ``lemma``, last first."""
        if self._titled is None:
            self._titled = {}
            for e in self.ents:
                if e.label_ != "PERSON":
                    continue
                doc = e.doc
                for word in {t.lemma_.lower() for t in doc[max(e.start - 1, 0) : e.end]}:
                    entry = self._titled.setdefault(word, ([], []))
                    entry[0].append(e)
                    entry[1].append(e.end)
        found, ends = self._titled.get(lemma, ([], []))
        yield from (found[n] for n in range(bisect_right(ends, i) - 1, -1, -1))


# Dependents of a speaker's head that describe rather than name it.
DESCRIPTIVE = {"appos", "acl", "relcl", "advcl"}


def canonical_name(doc: Doc, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The name part and the description part of a speaker mention, as token ranges.

    "Jo Smith, a senior researcher at the institute" -> "Jo Smith" / "a senior researcher at the
    institute"; "the authority's director, Jo Smith" -> "Jo Smith" / "the authority's director";
    "Speaking from the podium, Jo Smith" -> "Jo Smith" / "Speaking from the podium". A prepositional
    phrase that names the group ("Analysts at Northgate Bank") stays in the name.
    """
    span = doc[start:end]
    if len(span) == 0:
        return (start, end), None
    root = span.root
    # A leading participle phrase set off by a comma ("Speaking from ..., Jo Smith").
    lead = next((t.i for t in span if t.text == "," and t.i > start), None)
    if span[0].tag_ in ("VBG", "VBN") and lead is not None and lead < root.i:
        desc = _strip(doc, start, lead)
        return _strip(doc, lead + 1, end), desc
    appos = [c for c in root.children if c.dep_ == "appos" and start <= c.left_edge.i and c.right_edge.i < end]
    if appos:
        a = appos[0]
        a_start, a_end = a.left_edge.i, a.right_edge.i + 1
        a_propn = a.pos_ == "PROPN" and root.pos_ != "PROPN"
        if a_propn:
            # "the authority's director, Jo Smith": the name is the apposition.
            return _strip(doc, a_start, a_end), _strip(doc, start, a_start)
        return _strip(doc, start, a_start), _strip(doc, a_start, end)
    tail = [c for c in root.rights if c.dep_ in DESCRIPTIVE and start <= c.left_edge.i and c.right_edge.i < end]
    if tail and root.pos_ == "PROPN":
        cut = tail[0].left_edge.i
        return _strip(doc, start, cut), _strip(doc, cut, end)
    # "a senior official, who spoke on condition of anonymity", "Jo Smith, of Port Bell": a modifier
    # set off by a comma describes the source; one without ("leaders who backed it") says which.
    aside = [
        c
        for c in root.rights
        if c.dep_ in DESCRIPTIVE | {"prep"}
        and start < c.left_edge.i
        and c.right_edge.i < end
        and doc[c.left_edge.i - 1].text == ","
    ]
    if aside:
        cut = aside[0].left_edge.i
        return _strip(doc, start, cut), _strip(doc, cut, end)
    return (start, end), None


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and edge_mark(doc[start]):
        start += 1
    while end > start and edge_mark(doc[end - 1]):
        end -= 1
    return start, end


def _extend(old: object, new: object) -> object:
    if isinstance(old, list) and isinstance(new, list):
        return old + [x for x in new if x not in old]
    return new


@Language.factory(
    "newsclaims_speakers",
    requires=["token.pos", "token.tag", "token.dep", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={"spans_key": SPEAKERS, "contents_key": CONTENTS, "quotes_key": QUOTES},
)
def make_speaker_resolver(
    nlp: Language, name: str, spans_key: str, contents_key: str, quotes_key: str
) -> SpeakerResolver:
    """spaCy factory: an empty resolver; ``add_rules`` gives it rules/speakers.yaml."""
    return SpeakerResolver(nlp, name, spans_key=spans_key, contents_key=contents_key, quotes_key=quotes_key)


def _plural_agreement(subject: Token) -> bool:
    """ "Big Machine have denied it", "Acme were unhappy": a name taken as several by its verb (British usage)."""
    if subject.dep_ != "nsubj":
        return False
    verb = subject.head
    forms = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    return any(f.tag_ == "VBP" or f.lower_ == "were" for f in forms if f.i > subject.i)


def _unique_role(head: Token, plural: bool, many_holders: frozenset[str]) -> bool:
    """A role that names one person: "the city's mayor", "the company's chief executive", "the head of X".

    Such a source is identifiable without a name, so it is not anonymous; "a senior official",
    "officials", "the ministry's official" (a role many hold) and a bare "the official" (a
    reference back, resolved elsewhere) stay anonymous.
    """
    if plural or head.lemma_.lower() in many_holders:
        return False
    children = list(head.children)
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in children)
    possessor = any(c.dep_ == "poss" for c in children)
    owner = any(
        c.dep_ == "prep" and c.lower_ in ("of", "at") and any(map(_definite_object, c.children)) for c in children
    )
    return possessor or (definite and owner)


def _definite_object(token: Token) -> bool:
    # "of the agency", "at Acme", "of its board": an object that picks out one organisation.
    return token.dep_ == "pobj" and (token.pos_ == "PROPN" or any(d.dep_ in ("det", "poss") for d in token.children))
