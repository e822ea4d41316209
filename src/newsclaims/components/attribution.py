"""Attribution: link each cue to its speaker and content, from the parse plus quotations.

Results go to ``doc.spans["newsclaims_contents"]`` (one span per claim, label = claim
type) with a relation table aligned to it in that group's ``attrs["relations"]``
(token offsets of cue and speaker, category, lemma, confidence). Span groups and their
attrs survive ``Doc.to_bytes``, so results cross process boundaries intact.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsclaims.components.cues import CUES_KEY, cue_head
from newsclaims.components.paragraphs import BOILERPLATE_KEY
from newsclaims.components.quotes import QUOTES_KEY

CONTENTS_KEY = "newsclaims_contents"

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
# Dependents that extend a speaker's noun phrase to the right ("officials in Beijing").
NP_RIGHT = {"compound", "flat", "prep", "pobj", "nummod", "cc", "conj", "poss", "case", "amod", "nmod", "appos"}
EXPLETIVES = {"it", "there", "this", "that"}
TRIMMED = {",", ".", ";", ":", "!", "?", "-", "–", "—", "…", "*", "•"}


@dataclass
class Relation:
    """A claim in token offsets, before it becomes a model."""

    content: tuple[int, int]
    type: str
    cue: Span
    speaker: tuple[int, int] | None
    speaker_head: int | None
    confidence: float
    rule: str = ""

    def as_attrs(self) -> dict:
        return {
            "cue": [self.cue.start, self.cue.end],
            "category": self.cue.label_,
            "lemma": self.cue.kb_id_,
            "speaker": list(self.speaker) if self.speaker else None,
            "speaker_head": self.speaker_head,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
        }


class Attributor:
    """Turn cue spans into claims (speaker, cue, content)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        boiler = [(s.start, s.end) for s in doc.spans.get(BOILERPLATE_KEY, [])]
        quotes = list(doc.spans.get(QUOTES_KEY, []))
        relations: list[Relation] = []
        cues = doc.spans.get(CUES_KEY, [])
        object_lemmas = set(cues.attrs.get("object_lemmas", [])) if cues else set()
        for cue in cues:
            if any(a <= cue.start < b for a, b in boiler):
                continue
            if cue.id_ == "according_to":
                relations.extend(_according_to(doc, cue))
            elif cue.id_ == "noun":
                relations.extend(_noun_cue(doc, cue, quotes))
            else:
                relations.extend(_verb_cue(doc, cue, quotes, object_lemmas))
        relations.extend(_colon_speakers(doc, quotes))
        relations.extend(_dash_credits(doc, quotes))
        relations = _resolve_overlaps(relations)
        relations = _follow_on_quotes(doc, relations, quotes)
        group_spans = [Span(doc, r.content[0], r.content[1], label=r.type) for r in relations]
        doc.spans[CONTENTS_KEY] = group_spans
        doc.spans[CONTENTS_KEY].attrs["relations"] = [r.as_attrs() for r in relations]
        return doc


def speaker_phrase(head: Token, outside: int | None = None) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``head``, with its appositions.

    ``outside``: a token the phrase must stop before (the cue of "officials who said ...").
    """
    doc = head.doc
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "punct":
            continue
        if outside is not None and child.left_edge.i <= outside <= child.right_edge.i:
            break
        # "Jo Smith, a fellow at the institute who ran the agency": news sources come with their
        # credentials in apposition, and those belong to the source (a "who declined to be
        # named" relative clause does not).
        gap = doc[end : child.left_edge.i]
        credentials = child.dep_ == "appos" and all(t.is_punct or t.is_space for t in gap)
        if credentials or (child.dep_ in NP_RIGHT and child.left_edge.i == end):
            end = child.right_edge.i + 1
        elif child.dep_ in NP_RIGHT and all(t.is_punct or t.is_space for t in gap):
            if child.dep_ in ("conj", "cc", "appos"):
                end = child.right_edge.i + 1
            else:
                break
        else:
            break
    # "Rep. Jo Smith (D-N.Y.)": a bracketed party label.
    if end < len(doc) and doc[end].text == "(":
        close = next((t.i for t in doc[end : min(end + 8, len(doc))] if t.text == ")"), None)
        if close is not None:
            end = close + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            if child.dep_ == "nsubjpass":
                # "X is expected to ...": the passive subject is not who expects; the agent is.
                return _agent(verb)
            if child.tag_ == "WDT" or child.lower_ in ("who", "which", "that"):
                return verb.head if verb.dep_ == "relcl" else None
            return child
    agent = _agent(verb)
    if agent is not None:
        return agent
    # "said X and added that Y", "tweeted, saying Y", "wants to warn": the governing verb's subject.
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and (verb.tag_ != "VBG" or any(c.dep_ == "mark" for c in verb.children)):
            return None
        return _subject(verb.head)
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop white space and separating punctuation at both ends (never quote marks or "%")."""
    while start < end and (doc[start].is_space or doc[start].text in TRIMMED):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in TRIMMED or doc[end - 1].dep_ == "cc"):
        end -= 1
    return start, end


def _only_glue(doc: Doc, start: int, end: int, allowed: str = ",:;—–-") -> bool:
    """True when tokens [start, end) are only commas, colons, dashes and spaces, within one paragraph."""
    return all(
        (t.is_space and "\n" not in t.text) or (t.is_punct and t.text in allowed) or t.is_quote for t in doc[start:end]
    )


def _verb_cue(doc: Doc, cue: Span, quotes: list[Span], object_lemmas: set[str]) -> list[Relation]:
    verb = cue_head(cue)
    subj = _subject(verb)
    speaker = speaker_phrase(subj, outside=verb.i) if subj is not None else None
    if speaker is not None and speaker[0] <= verb.i < speaker[1]:
        speaker = None
    # A subject shared with a governing verb ("he said, adding ...") sits in that verb's clause.
    own = subj is not None and verb in (subj.head, subj.head.head)
    clause = [cue.start, cue.end] + (list(speaker) if speaker and own else [])
    c_start, c_end = min(clause), max(clause)
    # Evidence: a speaker found by the parse, and how the content was found (quotes best).
    base = 0.9 if speaker else 0.6
    if any(q.start <= cue.start < q.end for q in quotes if q.label_ == "quote"):
        # A cue inside a quotation is usually the quoted speaker's own words ("we expect ...").
        base -= 0.25

    def rel(content: tuple[int, int], kind: str, conf: float, rule: str) -> Relation:
        return Relation(content, kind, cue, speaker, subj.i if subj is not None else None, conf, rule)

    found: list[Relation] = []
    for q in quotes:
        if q.label_ != "quote":
            continue
        # A quotation ending its own sentence ('..." The union called') is not this cue's.
        before = (
            q.end <= c_start
            and _only_glue(doc, q.end, c_start)
            and (doc[q.end - 1].sent == doc[c_start].sent or any(t.is_punct for t in doc[q.end : c_start]))
        )
        after = q.start >= c_end and _only_glue(doc, c_end, q.start)
        if before or after:
            found.append(rel((q.start, q.end), "direct", base, "quote"))
    if len(found) > 1:
        # "“We lost,” she said, “and lost badly.”": one claim around its cue.
        first, last = found[0], found[-1]
        return [rel((first.content[0], last.content[1]), "direct", base, "quote_pair")]
    if found:
        return found
    ccomps = [c for c in verb.children if c.dep_ == "ccomp" and not (c.left_edge.i <= verb.i <= c.right_edge.i)]
    starts = [c.left_edge.i for c in ccomps]
    for c in verb.children:
        # "donations, which he said were accompanied by favours": the clause's fronted "which"
        # sits before the cue; the rest of the clause after it is still the content.
        if c.dep_ == "ccomp" and c.left_edge.i < verb.i < c.i and c.left_edge.tag_ in ("WDT", "WP"):
            ccomps.append(c)
            starts.append(verb.i + 1)
    if ccomps:
        start = min(starts)
        end = max(c.right_edge.i for c in ccomps) + 1
        start, end = _trim(doc, start, end)
        if end > start:
            inside = next((q for q in quotes if q.start <= start and end <= q.end and q.label_ == "quote"), None)
            if inside is not None and inside.start <= cue.start < inside.end:
                # "... I think we will win": the quoted speaker's own thought, part of their quotation.
                return []
            if inside is not None:
                return [rel((inside.start, inside.end), "direct", base, "ccomp_quote")]
            return [rel((start, end), _kind(quotes, start, end), base - 0.05, "ccomp")]
    colon = _after_colon(doc, c_end, quotes) if verb.pos_ == "VERB" else None
    if colon is not None:
        return [rel(colon, _kind(quotes, *colon), base - 0.1, "colon")]
    sent = verb.sent
    if speaker is not None and verb.dep_ == "parataxis" and sent.start < c_start and c_end < sent.end - 1:
        # "The plan, she said, would fail.": the whole sentence around the aside is the claim.
        start, end = _trim(doc, sent.start, sent.end)
        if end - start - (c_end - c_start) >= 3:
            return [rel((start, end), _kind(quotes, start, end), base - 0.15, "parataxis")]
    comp = _complement(doc, verb, cue) if cue.kb_id_ in object_lemmas else None
    if comp is not None and speaker is not None:
        return [rel(comp, _kind(quotes, *comp), base - 0.3, "complement")]
    # ", a senior official told reporters." where the parser hung the verb elsewhere:
    # the clause before the comma is what was said.
    if speaker is not None and c_start > sent.start and doc[c_start - 1].text == ",":
        rest = [t for t in doc[c_end : sent.end] if not (t.is_punct or t.is_space)]
        if len(rest) <= 6 and not any(t.dep_ in ("ccomp", "dobj") and t.head == verb for t in rest):
            start, end = _trim(doc, sent.start, c_start - 1)
            if end - start >= 3:
                return [rel((start, end), _kind(quotes, start, end), 0.4, "trailing")]
    return []


def _kind(quotes: list[Span], start: int, end: int) -> str:
    if any(q.start == start and q.end == end for q in quotes):
        return "direct"
    return "mixed" if any(start <= q.start and q.end <= end for q in quotes) else "indirect"


def _after_colon(doc: Doc, end: int, quotes: list[Span]) -> tuple[int, int] | None:
    """Content introduced by a colon right after the cue: the rest of the sentence, else the next paragraph."""
    i = end
    while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
        i += 1
    if i >= len(doc) or doc[i].text != ":":
        return None
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    if j >= len(doc):
        return None
    quote = next((q for q in quotes if q.start == j and q.label_ == "quote"), None)
    if quote is not None:
        return quote.start, quote.end
    para_end = next((t.i for t in doc[j:] if t.is_space and "\n\n" in t.text), len(doc))
    start, stop = _trim(doc, j, para_end)
    return (start, stop) if stop - start >= 3 else None


# Objects that say nothing by themselves ("said it", "told him").
EMPTY_OBJECTS = {"it", "this", "that", "so", "something", "anything", "nothing", "him", "her", "them", "me", "us"}
# Verbs whose direct object is the hearer, not what was said.
HEARER_VERBS = {"tell", "inform", "brief", "assure", "remind", "ask", "convince", "persuade"}
COMPLEMENT_DEPS = {"dobj", "oprd", "xcomp", "prep", "dative", "attr", "acomp"}
# Prepositions that introduce what a cue is about, not its time, place or manner.
CONTENT_PREPS = {"of", "with", "as", "about", "for", "against", "on", "to", "over"}


def _complement(doc: Doc, verb: Token, cue: Span) -> tuple[int, int] | None:
    """A non-clausal content: "called the charges baseless", "accused her of lying", "wants to leave"."""
    comps = []
    for c in verb.rights:
        if c.i < cue.end or c.dep_ not in COMPLEMENT_DEPS:
            continue
        if c.dep_ == "prep" and c.lower_ not in CONTENT_PREPS:
            break
        if c.dep_ in ("dobj", "dative") and verb.lemma_.lower() in HEARER_VERBS and c.pos_ in ("PRON", "PROPN"):
            continue
        comps.append(c)
    if not comps:
        return None
    start, end = _trim(doc, comps[0].left_edge.i, comps[-1].right_edge.i + 1)
    words = [t for t in doc[start:end] if t.is_alpha]
    if not words or (len(words) == 1 and words[0].lower_ in EMPTY_OBJECTS):
        return None
    return start, end


def _that_clause(token: Token) -> Token | None:
    return next(
        (
            c
            for c in token.children
            if c.dep_ in ("acl", "ccomp", "attr") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        ),
        None,
    )


def _noun_cue(doc: Doc, cue: Span, quotes: list[Span]) -> list[Relation]:
    """ "Her claim that the vote was rigged", "his view is that ...": a noun with a "that" clause."""
    noun = cue[0]
    clause = _that_clause(noun)
    if clause is None and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        clause = _that_clause(noun.head)
    if clause is None:
        return []
    start, end = _trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
    if end - start < 3:
        return []
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "from")), None)
        owner = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    speaker = None
    if owner is not None:
        speaker = speaker_phrase(owner)
        # "Smith's": the possessive marker is not part of the name.
        while speaker[1] > speaker[0] and doc[speaker[1] - 1].dep_ == "case":
            speaker = (speaker[0], speaker[1] - 1)
    conf = 0.7 if speaker else 0.45
    return [Relation((start, end), _kind(quotes, start, end), cue, speaker, owner.i if speaker else None, conf, "noun")]


def _according_to(doc: Doc, cue: Span) -> list[Relation]:
    last = cue[-1]
    pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
    if pobj is None and cue.end < len(doc) and doc[cue.end].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ"):
        pobj = doc[cue.end]
        while pobj.head.i >= cue.end and pobj.head is not pobj and pobj.head.i < pobj.sent.end:
            if pobj.dep_ in ("compound", "amod", "det", "poss", "nummod"):
                pobj = pobj.head
            else:
                break
    if pobj is None:
        return []
    # The whole object is the source: "figures published by the port authority".
    speaker = _trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
    sent = cue.sent
    phrase_end = max(speaker[1], cue.end)
    before = _trim(doc, sent.start, cue.start)
    after = _trim(doc, phrase_end, sent.end)
    content = before if (before[1] - before[0]) >= (after[1] - after[0]) else after
    if content[1] - content[0] < 2:
        return []
    return [Relation(content, "according_to", cue, speaker, pobj.i, 0.8, "according_to")]


DASHES = {"―", "—", "–", "--", "-"}
NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
# Words that label a line of the page rather than name a speaker.
PAGE_LABELS = {
    "correction",
    "update",
    "updated",
    "note",
    "latest",
    "video",
    "photo",
    "watch",
    "related",
    "speech",
    "breaking",
    "exclusive",
    "analysis",
    "opinion",
    "editorial",
    "transcript",
    "live",
    "audio",
    "read",
    "source",
    "sources",
    "credit",
    "caption",
    "editor",
    "q",
    "a",
}


def _layout_cue(doc: Doc, i: int, lemma: str) -> Span:
    cue = Span(doc, i, i + 1, label="assert")
    cue.id_ = "layout"
    cue.kb_id_ = lemma
    return cue


def _name_run(doc: Doc, start: int, end: int) -> bool:
    """True when tokens [start, end) read as a short name or label: "PENCE", "Sen. Warren", "Poll"."""
    words = [t for t in doc[start:end] if not t.is_punct]
    return (
        0 < len(words) <= 4
        and all(t.is_title or t.is_upper or t.pos_ == "PROPN" for t in words)
        and not any(t.pos_ in ("VERB", "AUX") and not t.is_upper for t in words)
    )


def _next_word(doc: Doc, i: int) -> int:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def _colon_speakers(doc: Doc, quotes: list[Span]) -> list[Relation]:
    """ "Name: what they said" — transcript turns and headlines that open with a name and a colon."""
    found = []
    # Paragraph starts: the first token, and every token after a line break.
    starts = [0] + [t.i + 1 for t in doc[:-1] if t.is_space and "\n" in t.text]
    for start in starts:
        while start < len(doc) and (doc[start].is_space or doc[start].is_quote):
            start += 1
        stop = min(start + 6, len(doc))
        colon = next((t.i for t in doc[start:stop] if t.text == ":"), None)
        if colon is None or colon == start or not _name_run(doc, start, colon):
            continue
        head = doc[colon - 1]
        quoted = any(q.start == _next_word(doc, colon + 1) for q in quotes)
        # A person or body ("Pence:", "WALLACE:", "Ortiz: “...”"), not a page label ("Correction:", "UPDATE:").
        if head.lower_ in PAGE_LABELS or not (
            head.ent_type_ in NAME_ENTS or (head.is_upper and colon - start <= 2) or (quoted and head.pos_ == "PROPN")
        ):
            continue
        para_end = next((t.i for t in doc[colon + 1 :] if t.is_space and "\n" in t.text), len(doc))
        content = _trim(doc, colon + 1, para_end)
        if content[1] - content[0] < 3:
            continue
        found.append(
            Relation(
                content,
                _kind(quotes, *content),
                _layout_cue(doc, colon, ":"),
                (start, colon),
                head.i,
                0.7,
                "colon_speaker",
            )
        )
    return found


def _dash_credits(doc: Doc, quotes: list[Span]) -> list[Relation]:
    """ "“...” ― Name": a quotation credited after a dash."""
    found = []
    for q in quotes:
        if q.label_ != "quote":
            continue
        i = q.end
        while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
            i += 1
        if i >= len(doc) or doc[i].text not in DASHES:
            continue
        j = i + 1
        while j < len(doc) and doc[j].is_space and "\n" not in doc[j].text:
            j += 1
        end = j
        while end < len(doc) and doc[end].pos_ == "PROPN" and end - j < 5:
            end += 1
        if end == j or not _name_run(doc, j, end):
            continue
        found.append(
            Relation((q.start, q.end), "direct", _layout_cue(doc, i, "credit"), (j, end), end - 1, 0.75, "dash_credit")
        )
    return found


def _follow_on_quotes(doc: Doc, relations: list[Relation], quotes: list[Span]) -> list[Relation]:
    """A quotation with no cue of its own, right after a speaker's quoted claim, continues that claim.

    "“We lost a lot,” she said. “Those ships went elsewhere.”" is one claim whose content runs
    from the first quotation to the second (the cue between them included), as annotators
    treat it; a cue inside the second quotation is the speaker's own word, not a new claim.
    """
    dropped: set[int] = set()
    ordered = sorted(relations, key=lambda r: r.content[0])
    for q in quotes:
        if q.label_ != "quote":
            continue
        inner = [r for r in relations if q.start <= r.cue.start < q.end]
        if any(a < q.end and q.start < b for a, b in (r.content for r in relations if r not in inner)):
            continue
        prev = next((r for r in reversed(ordered) if max(r.content[1], r.cue.end) <= q.start), None)
        if prev is None or prev.type != "direct" or prev.speaker is None or id(prev) in dropped:
            continue
        gap_start = max(prev.content[1], prev.cue.end, prev.speaker[1])
        gap = doc[gap_start : q.start]
        # Only the rest of the cue's sentence may stand between them, within one paragraph.
        if gap_start < q.start and any(t.is_sent_start for t in doc[gap_start : q.start] if t.i > gap_start):
            continue
        if any(t.is_space and "\n" in t.text for t in gap):
            continue
        prev.content = (prev.content[0], q.end)
        prev.rule += "+follow_on"
        # The second quotation is the speaker's only by adjacency.
        prev.confidence = min(prev.confidence, 0.85)
        dropped.update(id(r) for r in inner)
    return sorted((r for r in relations if id(r) not in dropped), key=lambda r: (r.content[0], r.cue.start))


def _resolve_overlaps(relations: list[Relation]) -> list[Relation]:
    """One claim per content; a cue inside another claim's quotation belongs to that quotation."""
    # Reported speech inside reported speech ("He said Obama hopes that ...") is part of the
    # outer claim's content, not a claim of its own.
    relations = [
        r
        for r in relations
        if not any(
            k is not r
            and k.content[0] <= r.cue.start < k.content[1]
            and k.content[0] <= r.content[0]
            and r.content[1] <= k.content[1]
            and not (r.content[0] <= k.cue.start < r.content[1])
            for k in relations
        )
    ]
    relations.sort(key=lambda r: (-r.confidence, r.content[0]))
    kept: list[Relation] = []
    for r in relations:
        clash = False
        for k in kept:
            same = k.content == r.content
            nested = k.type == "direct" and k.content[0] <= r.cue.start < k.content[1]
            cue_in_content = k.content[0] <= r.cue.start < k.content[1] and r.content[0] <= k.cue.start < r.content[1]
            if same or nested or cue_in_content:
                clash = True
                break
        if not clash:
            kept.append(r)
    return sorted(kept, key=lambda r: (r.content[0], r.cue.start))


@Language.factory("newsclaims_attribution", assigns=["doc.spans"])
def make_attributor(nlp: Language, name: str) -> Attributor:
    return Attributor(nlp, name)
