"""Attribution: link each cue to its speaker and content, from the parse plus quotations.

Results go to ``doc.spans["newsclaims_contents"]`` (one span per claim, label = claim
type) with a relation table aligned to it in that group's ``attrs["relations"]``
(token offsets of cue and speaker, category, lemma, confidence). Span groups and their
attrs survive ``Doc.to_bytes``, so results cross process boundaries intact.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsclaims.components.credits import colon_speakers, dash_credits
from newsclaims.components.cues import CUES_KEY, cue_head
from newsclaims.components.paragraphs import BOILERPLATE_KEY
from newsclaims.components.quotes import QUOTES_KEY
from newsclaims.components.relations import Relation, content_kind, only_glue, speaker_phrase, trim

CONTENTS_KEY = "newsclaims_contents"

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}


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
        relations.extend(colon_speakers(doc, quotes))
        relations.extend(dash_credits(doc, quotes))
        relations = [r for r in map(_outside_own_parts, relations) if r is not None]
        relations = _resolve_overlaps(relations)
        relations = _follow_on_quotes(doc, relations, quotes)
        group_spans = [Span(doc, r.content[0], r.content[1], label=r.type) for r in relations]
        doc.spans[CONTENTS_KEY] = group_spans
        doc.spans[CONTENTS_KEY].attrs["relations"] = [r.as_attrs() for r in relations]
        return doc


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
            and only_glue(doc, q.end, c_start)
            and (doc[q.end - 1].sent == doc[c_start].sent or any(t.is_punct for t in doc[q.end : c_start]))
        )
        after = q.start >= c_end and only_glue(doc, c_end, q.start)
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
        start, end = trim(doc, start, end)
        if end > start:
            inside = next((q for q in quotes if q.start <= start and end <= q.end and q.label_ == "quote"), None)
            if inside is not None and inside.start <= cue.start < inside.end:
                # "... I think we will win": the quoted speaker's own thought, part of their quotation.
                return []
            if inside is not None:
                return [rel((inside.start, inside.end), "direct", base, "ccomp_quote")]
            return [rel((start, end), content_kind(quotes, start, end), base - 0.05, "ccomp")]
    colon = _after_colon(doc, c_end, quotes) if verb.pos_ == "VERB" else None
    if colon is not None:
        return [rel(colon, content_kind(quotes, *colon), base - 0.1, "colon")]
    sent = verb.sent
    if speaker is not None and verb.dep_ == "parataxis" and sent.start < c_start and c_end < sent.end - 1:
        # "The plan, she said, would fail.": the whole sentence around the aside is the claim.
        start, end = trim(doc, sent.start, sent.end)
        if end - start - (c_end - c_start) >= 3:
            return [rel((start, end), content_kind(quotes, start, end), base - 0.15, "parataxis")]
    comp = _complement(doc, verb, cue) if cue.kb_id_ in object_lemmas else None
    if comp is not None and speaker is not None:
        return [rel(comp, content_kind(quotes, *comp), base - 0.3, "complement")]
    # ", a senior official told reporters." where the parser hung the verb elsewhere:
    # the clause before the comma is what was said.
    if speaker is not None and c_start > sent.start and doc[c_start - 1].text == ",":
        rest = [t for t in doc[c_end : sent.end] if not (t.is_punct or t.is_space)]
        if len(rest) <= 6 and not any(t.dep_ in ("ccomp", "dobj") and t.head == verb for t in rest):
            start, end = trim(doc, sent.start, c_start - 1)
            if end - start >= 3:
                return [rel((start, end), content_kind(quotes, start, end), 0.4, "trailing")]
    return []


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
    start, stop = trim(doc, j, para_end)
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
    start, end = trim(doc, comps[0].left_edge.i, comps[-1].right_edge.i + 1)
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
    start, end = trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
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
    return [
        Relation(
            (start, end), content_kind(quotes, start, end), cue, speaker, owner.i if speaker else None, conf, "noun"
        )
    ]


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
    speaker = trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
    sent = cue.sent
    phrase_end = max(speaker[1], cue.end)
    before = trim(doc, sent.start, cue.start)
    after = trim(doc, phrase_end, sent.end)
    content = before if (before[1] - before[0]) >= (after[1] - after[0]) else after
    if content[1] - content[0] < 2:
        return []
    return [Relation(content, "according_to", cue, speaker, pobj.i, 0.8, "according_to")]


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


# Claims whose single span deliberately runs across their cue: "The plan, she said, would fail." and
# "“A,” he said, “B.”" are one discontinuous claim each, kept whole (see README, Accuracy).
SPANS_ITS_CUE = {"parataxis", "quote_pair"}


def _outside_own_parts(rel: Relation) -> Relation | None:
    """Cut a content that swallowed its own cue or speaker down to its longest piece outside them.

    An unclosed quotation opening before the speaker, or complements on both sides of the verb,
    would otherwise give a content that contains the words crediting it.
    """
    if rel.rule in SPANS_ITS_CUE:
        return rel
    own = [(rel.cue.start, rel.cue.end)] + ([rel.speaker] if rel.speaker else [])
    start, end = rel.content
    if not any(a < end and start < b for a, b in own):
        return rel
    pieces, pos = [], start
    for a, b in sorted(own):
        if a > pos:
            pieces.append((pos, min(a, end)))
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, end))
    doc = rel.cue.doc
    pieces = [trim(doc, a, b) for a, b in pieces]
    best = max(pieces, key=lambda p: p[1] - p[0], default=None)
    if best is None or best[1] - best[0] < 2:
        return None
    quotes = list(doc.spans.get(QUOTES_KEY, []))
    return Relation(
        best, content_kind(quotes, *best), rel.cue, rel.speaker, rel.speaker_head, rel.confidence - 0.2, rel.rule
    )


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
