"""Attribution: link each cue to its speaker and content, from the parse plus quotations.

Results go to the contents group (``spans.CONTENTS``: one span per claim, label = claim type)
with a ``ClaimRecord`` aligned to each span (token offsets of cue and speaker, category, lemma,
confidence, the construction's rule). Span groups and their attrs survive ``Doc.to_bytes``, so
results cross process boundaries intact. The groups it reads are named in its config.
"""

from bisect import bisect_left, bisect_right
from typing import Any

import numpy as np
from spacy.attrs import DEP, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsclaims.components.colon_intro import colon_introductions
from newsclaims.components.confidence import FOLLOW_ON_CAP, OWN_PARTS_CUT, confidence
from newsclaims.components.credits import colon_speakers, dash_credits
from newsclaims.components.cues import cue_head
from newsclaims.components.headline import end_at_line
from newsclaims.components.nesting import nested_reports, restore_nested
from newsclaims.components.positions import (
    FollowOnSweep,
    ParagraphIndex,
    PointCover,
    QuoteIndex,
    RangeIndex,
    points_in,
    quote_index,
)
from newsclaims.components.relations import (
    DASHES,
    DATELINE_MAX_TOKENS,
    Relation,
    content_kind,
    dateline_end,
    glue,
    only_glue,
    speaker_phrase,
    trim,
)
from newsclaims.components.senses import SenseWords, can_be_source, is_record, non_speech
from newsclaims.components.trailing import not_a_report, reporting_credit
from newsclaims.doctext import line_breaks, positions_among, sentence_bounds
from newsclaims.rules import SpeakerRules
from newsclaims.spans import BOILERPLATE, CONTENTS, CUES, PARAGRAPHS, QUOTES, RECORDS, CueRecord, records

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
SPEAKERS_PIPE = "newsclaims_speakers"  # its word classes tell which nouns can be a source
CUES_PIPE = "newsclaims_cues"  # its rules name the verbs the sense checks read


class Attributor:
    """Turn cue spans into claims (speaker, cue, content)."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        spans_key: str = CONTENTS,
        cues_key: str = CUES,
        quotes_key: str = QUOTES,
        boilerplate_key: str = BOILERPLATE,
        paragraphs_key: str = PARAGRAPHS,
    ) -> None:
        self.name = name
        self.nlp = nlp
        self.paragraphs_key = paragraphs_key
        self.spans_key = spans_key
        self.cues_key = cues_key
        self.quotes_key = quotes_key
        self.boilerplate_key = boilerplate_key
        self._sources_of: tuple[object, object] = (None, None)
        self._sources = SenseWords()

    def __call__(self, doc: Doc) -> Doc:
        boiler = [(s.start, s.end) for s in doc.spans.get(self.boilerplate_key, [])]
        # Indexed by position: scanning every quotation (or boilerplate line) per cue was quadratic.
        quotes = QuoteIndex(doc.spans.get(self.quotes_key, []))
        relations: list[Relation] = []
        group = doc.spans.get(self.cues_key, [])
        cue_records: list[CueRecord] = list(records(group)) if group else []
        # Iterating a span group makes a Span per item: once, not once per reader.
        cues = list(group)
        in_boiler = points_in(boiler, (cue.start for cue in cues))
        sources = self._source_nouns()
        cue_heads = {cue_head(c).i for c in cues}
        for cue, record in zip(cues, cue_records, strict=True):
            if cue.start in in_boiler:
                continue
            if record["role"] == "according_to":
                relations.extend(_according_to(doc, cue, record["lemma"]))
            elif record["role"] == "noun":
                relations.extend(_noun_cue(doc, cue, record["lemma"], quotes))
            elif record["role"] == "impression":
                relations.extend(_impression(doc, cue, record["lemma"], quotes))
            elif record["role"] == "stance":
                relations.extend(_stance(doc, cue, record["lemma"], quotes, sources))
            elif record["role"] == "hearsay":
                relations.extend(_hearsay(doc, cue, record["lemma"], quotes, cue_heads))
            else:
                relations.extend(_verb_cue(doc, cue, record, quotes, sources))
        relations.extend(_that_clause_verbs(doc, cues, quotes, sources))
        relations.extend(_in_records(doc, relations, quotes))
        relations.extend(colon_speakers(doc, quotes))
        relations.extend(dash_credits(doc, quotes))
        relations.extend(colon_introductions(doc, quotes, relations, sources))
        relations = end_at_line(doc, relations, quotes)
        relations = _after_datelines(doc, relations)
        relations = _split_at_joined_cues(doc, relations, quotes)
        relations = [r for r in (_outside_own_parts(r, quotes) for r in relations) if r is not None]
        nested = nested_reports(doc, relations, sources.records)
        relations = restore_nested(_resolve_overlaps(relations), nested)
        relations = _follow_on_quotes(doc, relations, quotes)
        relations = _follow_on_paragraphs(doc, relations, quotes, self._paragraphs(doc))
        index = {id(r): n for n, r in enumerate(relations)}
        doc.spans[self.spans_key] = [Span(doc, r.content[0], r.content[1], label=r.type) for r in relations]
        doc.spans[self.spans_key].attrs[RECORDS] = [dict(r.record(index)) for r in relations]
        return doc

    def _source_nouns(self) -> SenseWords:
        """The sense checks' word classes, from the speaker and cue rules of this pipeline (empty without them)."""
        names = self.nlp.pipe_names
        speakers, cues = (self.nlp.get_pipe(p) if p in names else None for p in (SPEAKERS_PIPE, CUES_PIPE))
        rules = getattr(speakers, "rules", None)
        senses = getattr(cues, "senses", None)
        # Both are replaced, never changed in place, when rules are added: identity says they are current.
        if self._sources_of[0] is not rules or self._sources_of[1] is not senses:
            self._sources_of, self._sources = (rules, senses), _sense_words(rules, senses)
        return self._sources

    def _paragraphs(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges of paragraphs: the paragraphs group when present, else blank-line breaks."""
        if self.paragraphs_key in doc.spans:
            return [(p.start, p.end) for p in doc.spans[self.paragraphs_key]]
        bounds, start = [], 0
        for t in doc:
            if t.is_space and "\n\n" in t.text:
                bounds.append((start, t.i))
                start = t.i + 1
        bounds.append((start, len(doc)))
        return [b for b in bounds if b[1] > b[0]]


def _sense_words(speakers: SpeakerRules | None, senses: dict[str, set[str]] | None) -> SenseWords:
    words: dict[str, Any] = {}
    if speakers is not None:
        records = frozenset(speakers.document_nouns)
        people = {*speakers.person_nouns, *speakers.group_nouns, *speakers.organization_nouns}
        words.update(
            sources=frozenset(people) | records,
            records=records,
            evidence=frozenset(speakers.evidence_nouns),
            reader=frozenset(speakers.reader_words),
            suffixes=tuple(speakers.source_suffixes),
        )
    if senses is not None:
        words.update({name: frozenset(lemmas) for name, lemmas in senses.items()})
    return SenseWords(**words)


def _past_dateline(child: Token) -> Token | None:
    """A subject the parser found in the dateline ("HANOI (AP) — Defense Secretary Esper said"): the
    name after the dash it hangs on instead, or None when the verb's real subject is another child."""
    doc = child.doc
    # The Doc's dashes are found once: reading the words after every subject made a Token of each.
    dashes = positions_among(doc, DASHES)
    n = bisect_right(dashes, child.i)
    if n == len(dashes) or dashes[n] >= child.i + DATELINE_MAX_TOKENS:
        # No dash close after it: no dateline, and no need to find the sentence (a walk over it).
        return child
    end = dateline_end(doc, child.i)
    if end is None or child.i >= end:
        return child
    return next((c for c in child.rights if c.i >= end and c.dep_ in ("appos", "conj")), None)


def _after_datelines(doc: Doc, relations: list[Relation]) -> list[Relation]:
    """ "WASHINGTON ― The plan is dead, aides said.": a content that opens its sentence starts after the dateline."""
    for r in relations:
        start = r.content[0]
        if r.type == "direct" or not doc[start].is_upper:
            continue
        end = dateline_end(doc, start)
        if end is None or not start < end < r.content[1]:
            continue
        # The dateline opens the sentence: only white space may stand before the content.
        if any(not t.is_space for t in doc[sentence_bounds(doc, start)[0] : start]):
            continue
        r.parts = [(max(a, end), b) for a, b in r.pieces() if b > end]
        r.content = (end, r.content[1])
    return relations


# Records whose findings a clause reports when it opens with "In a ...": polls and studies, not
# statements or letters ("In a statement, she thanked ..." is the writer's account of the act).
FINDING_RECORDS = {"poll", "survey", "study", "analysis", "report", "data", "census"}
IN_WORDS = frozenset({"In", "in"})


def _in_records(doc: Doc, relations: list[Relation], quotes: QuoteIndex) -> list[Relation]:
    """ "In a Gazette poll, she led Ms. Lund 48 percent to 35 percent": a finding credited to the record it is in.

    The "in" phrase opens the sentence, names a record of findings and hangs on a main clause's verb
    that is no cue of its own (not "said in a statement"), in a sentence no other claim touches; the
    clause, without the phrase, is the record's content and the phrase its source.
    """
    cue_verbs = {cue_head(r.cue).i for r in relations}
    found: list[Relation] = []
    for i in positions_among(doc, IN_WORDS):
        prep = doc[i]
        if prep.dep_ != "prep":
            continue
        verb = prep.head
        if verb.pos_ not in ("VERB", "AUX") or verb.i in cue_verbs or verb.dep_ not in ("ROOT", "conj"):
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in FINDING_RECORDS:
            continue
        if quotes.inside(prep.i):
            continue
        sent_start, sent_end = sentence_bounds(doc, verb.i)
        if prep.i != sent_start or any(r.content[0] < sent_end and sent_start < r.content[1] for r in relations):
            continue
        start, end = trim(doc, max(verb.left_edge.i, sent_start), min(verb.right_edge.i + 1, sent_end))
        pp = (prep.left_edge.i, prep.right_edge.i + 1)
        parts = [p for p in (trim(doc, start, pp[0]), trim(doc, pp[1], end)) if p[1] > p[0]]
        if not parts or sum(b - a for a, b in parts) < 4:
            continue
        subj = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
        if not subj:
            continue
        cue = Span(doc, prep.i, prep.i + 1, label="report")
        speaker = (pobj.left_edge.i, pobj.right_edge.i + 1)
        conf = confidence("in_record", speaker=True)
        span = (parts[0][0], parts[-1][1])
        rel = Relation(span, content_kind(quotes, *span), cue, "in", speaker, pobj.i, conf, "in_record")
        rel.parts = parts
        found.append(rel)
    return found


def _acronym(token: Token) -> bool:
    """ "says WHO", "THAT Ltd said": a relative word in capitals inside a sentence that is not, is a name."""
    return token.is_upper and len(token.text) > 1 and not token.sent.text.isupper()


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            found = _past_dateline(child)
            if found is None:
                continue
            child = found
            if child.dep_ == "nsubjpass":
                # "X is expected to ...": the passive subject is not who expects; the agent is.
                return _agent(verb)
            if (child.tag_ == "WDT" or child.lower_ in ("who", "which", "that")) and not _acronym(child):
                return verb.head if verb.dep_ == "relcl" else None
            return child
    agent = _agent(verb)
    if agent is not None:
        return agent
    if verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and _reports(verb):
        # "voters saying the economy is weak", "fishermen declaring, '...'": the noun modified speaks.
        # With only an object ("a video showing the rescue", "the defending champion") it describes.
        return verb.head
    head = verb.head
    if (
        verb.tag_ == "VBG"
        and verb.dep_ == "pcomp"
        and head.dep_ == "prep"
        and head.lower_ in FRAME_PREPS
        and head.head.pos_ in ("VERB", "AUX")
    ):
        # "After thanking the crowd, she ...", "began by talking about taxes": the governing verb's subject.
        return _subject(head.head) if head.head.i != verb.i else None
    # "said X and added that Y", "tweeted, saying Y", "wants to warn": the governing verb's subject.
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and infinitive):
            # "prompted residents to argue", "led the firm to announce": the governing verb's object speaks.
            obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
            if obj is not None and any(c.dep_ == "ccomp" for c in verb.children):
                return obj
        if verb.dep_ == "advcl" and not _purpose_or_participle(verb):
            return None
        if verb.dep_ == "conj" and _unjoined_after_that_clause(verb):
            return None
        if verb.dep_ == "xcomp" and _expletive_frame(verb.head) and any(c.dep_ == "ccomp" for c in verb.children):
            # "It's safe to assume that ...": the writer's frame, "it" no one. (An object content
            # needs a speaker, so "it's easy to call the firm unpatriotic" keeps "it" and its claim.)
            return None
        return _subject(verb.head)
    inverted = verb.dep_ == "compound" and verb.head.pos_ == "PROPN" and verb.i < verb.head.i
    if inverted and _opens_sentence(verb.doc, verb.i):
        # "Said Ellis: “…”": an inverted credit the parser reads as part of the name.
        return verb.head
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "the company, announced that ...", "fishermen declaring, '...'": the noun a reporting
        # participle hangs on speaks when a clause or a quotation follows; else it is the object
        # ("the plan announced on Monday") or the participle no report ("a statement outlining costs").
        if verb.tag_ == "VBN" and any(c.dep_ == "ccomp" for c in verb.children):
            return verb.head
        if verb.tag_ == "VBG" and _quote_follows(verb):
            return verb.head
    return _controller(verb)


# How far a subjectless participle or infinitive may climb to the clause that controls it.
CONTROL_STEPS = 4
CONTROL_DEPS = {"xcomp", "pcomp", "prep", "acomp", "advmod"}
NO_CONTROLLER = {"it", "there", "that", "which", "who", "this"}


def _controller(verb: Token) -> Token | None:
    """The actor of a subjectless "-ing" or "to" verb, from the clause it completes.

    "the mayor avoids naming the contractor", "she stopped short of calling the delay deliberate",
    "he is determined to warn the council", "she was forced to defend the plan": up
    through complements and prepositions (never through a noun, whose "a book criticizing X"
    is the book's) to the first verb with a subject.
    """
    to_verb = verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if verb.tag_ != "VBG" and not to_verb:
        return None
    if verb.tag_ == "VBG" and 0 < verb.i < len(verb.doc) - 1:
        before, after = verb.doc[verb.i - 1], verb.doc[verb.i + 1]
        if before.pos_ in ("ADP", "DET") and after.tag_ == "NN" and after.dep_ in ("dobj", "compound"):
            return None  # "against defending champion Harbour City", "a charging pad": a participle as a modifier
    node = verb
    for _ in range(CONTROL_STEPS):
        if node.dep_ not in CONTROL_DEPS or node.head.i == node.i:
            return None
        came_by = node.dep_
        node = node.head
        if node.pos_ in ("ADP", "ADV"):
            continue  # "stopped short of calling": through the phrase to its verb
        if node.pos_ == "ADJ" and came_by != "xcomp":
            return None  # "essential to understanding why …" names no one who understands
        if node.pos_ not in ("VERB", "AUX", "ADJ"):
            return None
        holder = node.head if node.pos_ == "ADJ" and node.dep_ == "acomp" else node
        subj = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return None if subj.lower_ in NO_CONTROLLER or subj.tag_ in ("WDT", "WP") else subj
    return None


def _expletive_frame(head: Token) -> bool:
    """ "It is fair to say", "it's impossible to know": "it" + "be" + an adjective, then the infinitive."""
    return (
        # The lemmatizer leaves a curly "’s" as "’"; its norm is "'s", here "is" (an adjective follows).
        (head.lemma_ == "be" or head.norm_ == "'s")
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children)
        and any(c.dep_ == "acomp" for c in head.children)
    )


def _unjoined_after_that_clause(verb: Token) -> bool:
    """ "X estimated that 900 people, most of them young, reported a disorder": a finite verb the
    parser joined to the cue with no "and" or "but", after the cue's "that" clause, is that clause's
    own verb; its subject is the clause's, not the cue's speaker."""
    head = verb.head
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in SUBJECTS or c.dep_ == "expl" for c in verb.children):
        return False
    joined = any(c.dep_ in ("cc", "preconj") and head.i < c.i < verb.i for c in head.children)
    joined = joined or any(c.dep_ == "cc" and c.i < verb.i for c in verb.children)
    that_clause = any(
        c.dep_ == "ccomp" and head.i < c.i < verb.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in head.children
    )
    return that_clause and not joined


# Prepositions that frame an act of the main subject ("after praising …, the mayor", "began by
# talking about taxes"); "against defending champion X" names an opponent, no act of the subject.
FRAME_PREPS = {"after", "before", "by", "while", "since", "upon", "on", "in", "without", "when"}


def _that_clause_verbs(doc: Doc, cues: list[Span], quotes: list[Span], sources: SenseWords) -> list[Relation]:
    """Claims of verbs outside the cue list that take a "that" clause from a source ("the court ruled that ...").

    No list names every verb that reports, concludes or finds; a clause opened by "that" after
    the verb, with a person, body or document as its subject, is a reported content by syntax alone.
    """
    taken = {i for cue in cues for i in range(cue.start, cue.end)}
    found: list[Relation] = []
    # Only a verb whose clause has a "that" marker can qualify: reach them from the markers (a
    # loop over every token of every Doc was most of this rule's cost).
    lower, mark = doc.vocab.strings["that"], doc.vocab.strings["mark"]
    columns = doc.to_array([LOWER, DEP])
    heads = {doc[int(i)].head.head.i for i in np.flatnonzero((columns[:, 0] == lower) & (columns[:, 1] == mark))}
    for verb in (doc[i] for i in sorted(heads)):
        if verb.pos_ != "VERB" or verb.i in taken:
            continue
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i and _opens_with_that(c)), None)
        if clause is None:
            continue
        subj = _subject(verb)
        if subj is None or subj.lower_ in NO_SOURCE_SUBJECTS or not can_be_source(subj, sources):
            continue  # "it's all but guaranteed that ...", "I learned that ...": no source
        if any(c.dep_ == "auxpass" for c in verb.children):
            continue
        record = CueRecord(role="verb", lemma=verb.lemma_.lower(), takes_object=False)
        for rel in _verb_cue(doc, Span(doc, verb.i, verb.i + 1, label="assert"), record, quotes, sources):
            if rel.rule == "ccomp":
                rel.rule = "that_clause"
                in_quote = quote_index(quotes).inside(verb.i, full_only=True)
                rel.confidence = confidence(rel.rule, speaker=rel.speaker is not None, cue_in_quote=in_quote)
                found.append(rel)
    return found


def _relative_word(token: Token) -> bool:
    """ "which", "who", or a "that" the tagger read as a conjunction ("a charity that prosecutors said was …")."""
    return token.tag_ in ("WDT", "WP") or (token.lower_ == "that" and token.dep_ in SUBJECTS)


def _opens_with_that(clause: Token) -> bool:
    first = clause.left_edge
    return first.lower_ == "that" and first.dep_ == "mark" and first.head == clause


def _outside_quotation(
    doc: Doc, speaker: tuple[int, int], subj: Token | None, verb: Token, quotes: list[Span]
) -> tuple[tuple[int, int] | None, Token | None]:
    """A speaker phrase cut after a quotation it runs over when the cue is outside it.

    '“We will win,” Jo Smith, 69, told reporters': the parser can hang the quotation (or its
    words) on the name, so the phrase would swallow the words it is the speaker of. What follows
    the quotation is the speaker, headed by its own root; nothing there, no speaker.
    """
    start, end = speaker
    # Every test below needs a quotation overlapping the phrase: look those up, not every quotation
    # of the Doc for every cue (quadratic on long inputs).
    if end > start:
        quotes = quote_index(quotes).overlapping(start, end)
    within = next((q for q in quotes if q.start <= start and end <= q.end and not q.start <= verb.i < q.end), None)
    if within is not None:
        # '“… Full panic mode,” said Jo Smith': the parser read the quotation's last words as a second
        # subject; the speaker is the subject outside the quotation, if there is one.
        other = next((c for c in verb.children if c.dep_ == "nsubj" and not within.start <= c.i < within.end), None)
        if other is None:
            return None, None
        return speaker_phrase(other, outside=verb.i), other
    tail = next((q for q in quotes if start < q.start < end <= q.end and (subj is None or subj.i < q.start)), None)
    if tail is not None and not tail.start <= verb.i < tail.end:
        # "Said Ellis: “I don't …”": the quotation hung on the name is what was said, not the name.
        end = trim(doc, start, tail.start)[1]
        speaker = (start, end)
    cut = start
    for q in quotes:
        if q.start <= start < q.end <= end and not q.start <= verb.i < q.end:
            cut = max(cut, q.end)
    if cut == start:
        return speaker, subj
    new = trim(doc, cut, end)
    if new[1] <= new[0]:
        return None, None
    if subj is not None and new[0] <= subj.i < new[1]:
        return new, subj
    root = next((t for t in doc[new[0] : new[1]] if not new[0] <= t.head.i < new[1] or t.head == t), None)
    return new, root


# Pronouns by which a quoted speaker speaks of themselves or to the hearer.
QUOTED_SELF = {"i", "we", "you"}
# Subjects that name no source for a "that" clause: "it's all but guaranteed that ...", "I learned that ...".
NO_SOURCE_SUBJECTS = QUOTED_SELF | {"it"}


def _quoted_self(quotes: list[Span], verb: Token, subj: Token | None) -> bool:
    """ '“I want to reassure the crews,” the harbour master said': inside one quotation, an "I"/"we"/"you" and
    its cue are the quoted speaker's own words, part of that speaker's claim, never a claim of their own.
    """
    if subj is None or subj.lower_ not in QUOTED_SELF:
        return False
    q = quote_index(quotes).containing(min(subj.i, verb.i), max(subj.i, verb.i) + 1)
    return q is not None


def _relative_pronoun(verb: Token, subj: Token | None) -> Token | None:
    """The "who"/"which" subject of the relative clause whose noun ``subj`` is the cue's speaker, if any.

    "officials, who said ..." and "officials, who met them and said ..." (a verb joined to the clause).
    """
    if subj is None:
        return None
    clause = verb if verb.dep_ == "relcl" else verb.head if verb.dep_ == "conj" and verb.head.dep_ == "relcl" else None
    if clause is None or clause.head != subj:
        return None
    return next((c for c in clause.children if c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT")), None)


def _purpose_or_participle(verb: Token) -> bool:
    """An unmarked "-ing" clause ("tweeted, saying Y") or a bare "to" clause ("went on air to praise Y").

    Both share the main clause's subject; "because she said", "as they argued" have their own.
    """
    if any(c.dep_ == "mark" for c in verb.children):
        return False
    if verb.tag_ == "VBG":
        return True
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _reports(verb: Token) -> bool:
    """A participle that reports: it has a clause of its own or a quotation follows it."""
    return any(c.dep_ in ("ccomp", "csubj") for c in verb.children) or _quote_follows(verb)


def _quote_follows(verb: Token) -> bool:
    """True when a quotation mark opens right after the verb (a comma or colon between at most)."""
    doc = verb.doc
    i = verb.i + 1
    while i < len(doc) and doc[i].text in (",", ":"):
        i += 1
    return i < len(doc) and doc[i].is_quote


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


# Cue categories whose object is the content only when a record is the subject ("the poll found …").
RECORD_OBJECT_CATEGORIES = {"belief", "estimate"}

# Demonstrative subjects of a sentence-initial "X said," / "X noted,": a discourse marker
# ("That said, the plan may work"), not a report.
MARKER_SUBJECTS = {"that", "this", "having", "all", "which"}


def _discourse_marker(verb: Token, subj: Token | None) -> bool:
    """ "That said, ...", "Having said that, ...": a cue verb as a linking phrase, with no speaker."""
    nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if nxt is None or nxt.text != ",":
        return False
    doc = verb.doc
    opener = doc[sentence_bounds(doc, verb.i)[0] : verb.i]
    words = [t for t in opener if not (t.is_punct or t.is_space)]
    return (
        len(words) <= 2
        and (not words or words[0].lower_ in MARKER_SUBJECTS)
        and (subj is None or subj.lower_ in MARKER_SUBJECTS)
    )


def _verb_cue(
    doc: Doc, cue: Span, record: CueRecord, quotes: list[Span], sources: SenseWords | None = None
) -> list[Relation]:
    verb = cue_head(cue)
    words = sources or SenseWords()
    subj = _subject(verb)
    if _discourse_marker(verb, subj):
        return []
    speaker = speaker_phrase(subj, outside=verb.i) if subj is not None else None
    if speaker is not None and subj is not None and speaker[0] == verb.i < subj.i:
        speaker = (verb.i + 1, speaker[1])  # "Said Ellis: “…”": the name after the inverted verb
    if speaker is not None and speaker[0] <= verb.i < speaker[1]:
        speaker = None
    if speaker is not None:
        speaker, subj = _outside_quotation(doc, speaker, subj, verb, quotes)
    relative = _relative_pronoun(verb, subj) if speaker is not None else None
    if relative is not None:
        # "Jo Smith, who said ...": the mention as written is the relative pronoun (as annotators
        # mark it); the speaker resolver links it to the noun it hangs on. Sense checks keep that noun.
        speaker = (relative.i, relative.i + 1)
    speaker_head = relative.i if relative is not None else subj.i if subj is not None else None
    # A subject shared with a governing verb ("he said, adding ...") sits in that verb's clause.
    own = subj is not None and (verb in (subj.head, subj.head.head) or (verb.dep_ == "compound" and verb.head == subj))
    clause = [cue.start, cue.end] + (list(speaker) if speaker and own else [])
    c_start, c_end = min(clause), max(clause)
    # Evidence: a speaker found by the parse, and how the content was found (quotes best).
    in_quote = quote_index(quotes).inside(cue.start, full_only=True)
    if non_speech(verb, subj, cue.label_, in_quote, words):
        return []
    if in_quote and _quoted_self(quotes, verb, subj):
        return []

    def rel(content: tuple[int, int], kind: str, rule: str) -> Relation:
        if kind != "direct":
            content = _within_line(doc, *content, quotes)
        conf = confidence(rule, speaker=speaker is not None, cue_in_quote=in_quote)
        return Relation(content, kind, cue, record["lemma"], speaker, speaker_head, conf, rule)

    found: list[Relation] = []
    for q in quote_index(quotes).adjacent(doc, c_start, c_end, glue):
        if q.label_ != "quote":
            continue
        # A quotation ending its own sentence ('..." The union called') is not this cue's.
        before = (
            q.end <= c_start
            and only_glue(doc, q.end, c_start)
            and (
                sentence_bounds(doc, q.end - 1) == sentence_bounds(doc, c_start)
                or any(t.is_punct for t in doc[q.end : c_start])
            )
        )
        after = q.start >= c_end and only_glue(doc, c_end, q.start)
        if before and doc[q.start - 1].text != ":" and not _opens_sentence(doc, q.start):
            # 'said the plan was "a disaster," adding "..."': a quotation inside the clause before the
            # cue is that clause's content, not one this cue credits.
            before = False
        before = before or (q.end <= c_start and _bare_credit(doc, q.end, c_start, c_end, verb))
        before = before or (q.end <= c_start and _credit_after_exclamation(doc, q, c_start, verb))
        if before or after:
            found.append(rel((q.start, q.end), "direct", "quote"))
    if len(found) > 1:
        # "“We lost,” she said, “and lost badly.”": one claim around its cue, the quotations its parts.
        first, last = found[0], found[-1]
        pair = rel((first.content[0], last.content[1]), "direct", "quote_pair")
        pair.parts = [f.content for f in found]
        return [pair]
    if found:
        lead = _lead_before_aside(doc, verb, c_start, c_end, found[0], quotes) if speaker is not None else None
        if lead is not None and len(found) == 1:
            # "No name change, he said, “hides what it is.”": the aside splits one sentence of the
            # speaker's, whose first words the writer gives without quotation marks.
            whole = rel((lead[0], found[0].content[1]), "mixed", "parataxis")
            whole.parts = [lead, found[0].content]
            return [whole]
        return found
    # Read once for the clause rules below: each pass over ``verb.children`` makes a Token per child.
    children = list(verb.children)
    ccomps = [c for c in children if c.dep_ == "ccomp" and not (c.left_edge.i <= verb.i <= c.right_edge.i)]
    ccomps = [c for c in ccomps if not _fronted_elsewhere(doc, verb, c, c_start, children)]
    starts = [_subjectless_clause_start(c) for c in ccomps]
    for c in children:
        # "donations, which he said were accompanied by favours": the clause's fronted "which"
        # sits before the cue; the rest of the clause after it is still the content.
        if c.dep_ == "ccomp" and c.left_edge.i < verb.i < c.i and _relative_word(c.left_edge):
            ccomps.append(c)
            starts.append(verb.i + 1)
    if not ccomps:
        # "says in a statement that ...", "said after the vote that ...": the parse hangs the clause
        # on the phrase's noun, but with no clause of its own the verb reports it.
        for prep in verb.rights:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.dep_ == "prep" else None
            clause = _that_clause(pobj) if pobj is not None and pobj.pos_ == "NOUN" else None
            if clause is not None:
                ccomps.append(clause)
                starts.append(clause.left_edge.i)
                break
    for c in children:
        if c.dep_ == "conj" and _unjoined_after_that_clause(c) and any(k.pos_ not in ("VERB", "AUX") for k in ccomps):
            # A "that" clause the parser built round a noun ("that 4,000 residents age 65 and over"), and
            # its verb, joined to the cue: the content runs through that verb.
            ccomps.append(c)
            starts.append(c.left_edge.i)
    if any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in children):
        # "..., on the day it is alleged he met them": the clause after an "it is alleged" is the
        # content; one the parser hung before it is the sentence the aside sits in.
        after = [(c, s) for c, s in zip(ccomps, starts, strict=True) if c.left_edge.i > verb.i]
        if after:
            ccomps, starts = [c for c, _ in after], [s for _, s in after]
    if len(ccomps) == 1 and _participle_result(ccomps[0]):
        # Beside another clause ("told Billboard the band has been recording, creating five songs")
        # the participle goes on with what was said; alone, after an object, it is the sentence's.
        ccomps, starts = [], []
    if ccomps:
        start = min(starts)
        if cue.start <= start < cue.end:
            start = cue.end  # "made it clear that ...": the cue phrase holds the clause's first words
        end = _coordinated_that(verb, max(_contrast_cut(c) for c in ccomps))
        end = _relative_gloss_cut(doc, start, _dash_gloss_cut(doc, start, end), quotes)
        start, end = trim(doc, start, end)
        if end > start:
            inside = quote_index(quotes).containing(start, end)
            if inside is not None and inside.start <= cue.start < inside.end:
                # "... I think we will win": the quoted speaker's own thought, part of their quotation.
                return []
            if inside is not None:
                return [rel((inside.start, inside.end), "direct", "ccomp_quote")]
            end = _through_open_quote(doc, quote_index(quotes), start, end)
            return [rel((start, end), content_kind(quotes, start, end), "ccomp")]
    colon = _after_colon(doc, c_end, quotes) if verb.pos_ == "VERB" else None
    if colon is not None:
        return [rel(colon, content_kind(quotes, *colon), "colon")]
    sent_start, sent_end = sentence_bounds(doc, verb.i)
    if speaker is not None and verb.dep_ == "parataxis" and sent_start < c_start and c_end < sent_end - 1:
        # "The plan, she said, would fail.": the whole sentence around the aside is the claim.
        start, end = trim(doc, sent_start, sent_end)
        if end - start - (c_end - c_start) >= 3:
            aside = rel((start, end), content_kind(quotes, start, end), "parataxis")
            # The words on either side of the aside are the speaker's; the aside is the frame.
            aside.parts = [p for p in (trim(doc, start, c_start), trim(doc, c_end, end)) if p[1] > p[0]]
            return [aside]
    aside_of = _as_clause(doc, verb, cue) if speaker is not None else None
    if aside_of is not None:
        found_as = rel((aside_of[0][0], aside_of[-1][1]), "indirect", "as_clause")
        found_as.parts = aside_of
        return [found_as]
    passive = _passive(doc, verb, cue) if record["takes_object"] else None
    if passive is not None:
        found_passive = rel((passive[0][0], passive[-1][1]), "indirect", "passive")
        found_passive.parts = passive
        return [found_passive]
    # What a belief is "about" ("think about the impact", "worry about him") is no claim; speech's is.
    reading = verb.lemma_.lower() in words.reading
    topic = _topic(doc, verb, cue) if cue.label_ != "belief" and not reading else None
    # "A recent survey found 90 percent support for the checks", "the study estimates 3,000 deaths": a
    # record's finding or estimate is its object, where a person's "found the talks" is no view.
    recorded = cue.label_ in RECORD_OBJECT_CATEGORIES and subj is not None and is_record(subj, words)
    # A request's infinitive and a speech verb's "about" topic come first: "asked the council to
    # delay the vote" asked for the delay, "complained about the noise" is about the noise.
    request = _request(verb)
    if request is not None and record["takes_object"] and any(
        c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i < request[0] for c in children
    ):
        request = None  # "asked the crew to stay": the one asked and the request, as annotated
    comp = request or topic
    if comp is None and (record["takes_object"] or recorded):
        comp = _complement(doc, verb, cue)
    # An object content needs its speaker: without one (0.57 content precision on PolNeAR train;
    # on web pages mostly imperatives, "the defending champion", "a charging pad") it is no claim.
    if comp is not None and speaker is not None:
        comp = (comp[0], _relative_gloss_cut(doc, *comp, quotes))
        comp = (comp[0], _through_open_quote(doc, quote_index(quotes), *comp))
        found_comp = rel(comp, content_kind(quotes, *comp), "complement")
        prep = doc[comp[0] - 1]
        if prep.i == cue.end and prep.head == verb and prep.lower_ in PHRASAL_PREPS:
            # "called for": the phrasal verb's preposition, left out of the content, is the cue's.
            found_comp.cue = Span(doc, cue.start, prep.i + 1, label=cue.label_)
        return [found_comp]
    # ", a senior official told reporters." where the parser hung the verb elsewhere:
    # the clause before the comma is what was said.
    if speaker is not None and c_start > sent_start and doc[c_start - 1].text == ",":
        rest = [t for t in doc[c_end:sent_end] if not (t.is_punct or t.is_space)]
        # 'X, VW says that while ...' cut short by the parse: a "that" after the cue opens its content.
        opens = bool(rest) and rest[0].pos_ == "SCONJ"
        if len(rest) <= 6 and not opens and not any(t.dep_ in ("ccomp", "dobj") and t.head == verb for t in rest):
            start, end = trim(doc, sent_start, c_start - 1)
            if end - start >= 3 and not not_a_report(doc, verb, (start, end), speaker):
                credit = reporting_credit(doc, verb, cue, (start, end), speaker, subj, words)
                shape = "trailing_credit" if credit else "trailing"
                return [rel((start, end), content_kind(quotes, start, end), shape)]
    if speaker is not None:
        opened = _quote_after_credit(doc, verb, c_start, c_end, quotes)
        if opened is not None:
            return [rel((opened.start, opened.end), "direct", "credit_before_quote")]
    return []


def _fronted_elsewhere(doc: Doc, verb: Token, clause: Token, c_start: int, children: list[Token]) -> bool:
    """A clause before the cue that the parse hung on it, but that the cue does not report.

    "It is a term with a definition: it refers to ..." (a colon or semicolon between them), or a
    cue with a complement of its own after it ("Last year, she suggested cutting the fee", "We
    were warned: the bank declared a loss"). A hearer object ("told the committee") is no such
    complement. On PolNeAR train: content F1 0.7254 -> 0.7284, dev 0.7557 -> 0.7595.
    """
    if clause.i > verb.i:
        return False
    if any(t.text in (":", ";") for t in doc[clause.right_edge.i + 1 : c_start]):
        return True
    for c in children:
        if c.i > verb.i and (
            c.dep_ in ("xcomp", "ccomp")
            or (c.dep_ == "dobj" and c.pos_ == "NOUN" and verb.lemma_.lower() not in HEARER_OBJECT_VERBS)
        ):
            return True
    return False


def _lead_before_aside(
    doc: Doc, verb: Token, c_start: int, c_end: int, quote: Relation, quotes: list[Span]
) -> tuple[int, int] | None:
    """The unquoted words before an aside ("If she wins, he said, “...”") that open the quoted sentence.

    The cue is a parenthetical (parataxis) set off by commas, its sentence's clause runs through
    the aside (the clause's verb is before it or inside the quotation after it), nothing before
    the aside is quoted, and none of those words belongs to the cue's own verb.
    """
    if verb.dep_ != "parataxis" or quote.content[0] < c_end or c_start < 1 or doc[c_start - 1].text != ",":
        return None
    sent_start = sentence_bounds(doc, verb.i)[0]
    start, end = trim(doc, sent_start, c_start)
    if end <= start or not (start <= verb.head.i < end or quote.content[0] <= verb.head.i < quote.content[1]):
        return None
    if quote_index(quotes).overlapping(start, end):
        return None
    # "Asked about the vote, she said, “…”", "In a statement, he said, “…”": words that hang on the
    # cue's own verb are the frame's, and so is an opening participle, which the parser may hang
    # on the quotation's verb instead (a question put to the speaker is a report of its own).
    if any(t.head.i == verb.i for t in doc[start:end]) or doc[start].tag_ in ("VBN", "VBG"):
        return None
    return start, end


def _quote_after_credit(doc: Doc, verb: Token, c_start: int, c_end: int, quotes: list[Span]) -> Span | None:
    """ "Jo Smith said in a statement. “The line reopens Monday.”": a credit sentence, then the quotation it credits.

    The mirror of ``_bare_credit``: a sentence with nothing but who, the verb and adjuncts of it,
    ended by a full stop, reports the quotation that opens the next sentence of its paragraph.
    """
    if not _opens_sentence(doc, c_start):
        return None
    sent_end = sentence_bounds(doc, verb.i)[1]
    after = _after_credit(doc, sent_end, c_end, verb)
    if not after or not all(t.is_punct or t.is_space for t in after) or after[-1].text != ".":
        return None
    i = sent_end
    while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
        i += 1
    opened = quote_index(quotes).first_quote_at(i) if i < len(doc) else None
    if opened is None or opened.label_ != "quote" or opened.start != i:
        return None
    return opened


# Marks of a trailing clause that sets another fact against the reported one ("X rose, while Y fell").
CONTRAST_MARKS = {"while", "whereas"}


def _subjectless_clause_start(clause: Token) -> int:
    """Where a reported clause starts. "told aides that the speech given on Friday was a
    success": the parser reads "that the speech given" as a relative clause on the object, leaving
    the clause its verb without a subject; the clause starts at that "that"."""
    start = clause.left_edge.i
    if any(c.dep_ in SUBJECTS or c.dep_ == "expl" for c in clause.children) or clause.pos_ not in ("VERB", "AUX"):
        return start
    verb = clause.head
    that = next((t for t in reversed(clause.doc[verb.i + 1 : start]) if t.lower_ == "that"), None)
    if that is None or that.dep_ == "mark" or that.head.dep_ != "relcl" or that.head.head.head.i != verb.i:
        return start
    return that.i


def _coordinated_that(verb: Token, end: int) -> int:
    """Where a reported clause ends when a second "that" clause is coordinated with it: after that clause.

    "said the bridge would open in May, and that the tolls would be low": the parser can hang the
    second clause on the cue verb, as a conjunct beside the first; its "that" says it is reported too.
    """
    for c in verb.rights:
        if c.i < end or c.dep_ in ("punct", "cc"):
            continue
        if c.dep_ == "conj" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            end = c.right_edge.i + 1
            continue
        break
    return end


def _dash_gloss_cut(doc: Doc, start: int, end: int) -> int:
    """Where a reported clause ends when a dash opens a gloss on one of its words that runs to the end.

    "said she was heartened by the vote — a small lift for the mayor since 2019": the noun phrase in
    apposition after the dash is the writer's aside, not the speaker's words (PolNeAR ends the
    content at the dash). A phrase between two dashes, or anything but an apposition, stays.
    """
    dashes = positions_among(doc, DASHES)  # by position: reading every token made a Token of each
    for i in dashes[bisect_left(dashes, start) : bisect_left(dashes, end - 1)]:
        t = doc[i]
        if i > 0 and not doc[i - 1].whitespace_ and not t.whitespace_:
            continue  # a hyphen inside a word ("well-known") opens nothing
        node = doc[t.i + 1]
        # Up to the head of the phrase that opens after the dash.
        while node.dep_ != "appos" and node.head.i != node.i and t.i < node.head.i < end:
            node = node.head
        glosses_before = node.dep_ == "appos" and node.head.i < t.i and node.left_edge.i == t.i + 1
        if glosses_before and node.right_edge.i >= end - 2:
            return t.i
    return end


RELATIVE_WORDS = {"which", "who", "whom"}


def _relative_gloss_cut(doc: Doc, start: int, end: int, quotes: list[Span]) -> int:
    """Where a reported content ends when it closes with ", which …" on its last noun: before the comma.

    "said the council would close the harbour over fears of the storm, which is due on Friday":
    the clause set off by the comma is the writer's gloss on a word, not the speaker's (PolNeAR
    train: 48 paired contents ran on through a closing ", which" that the gold content stops before).
    Inside a quotation the words are the speaker's, gloss or not.
    """
    last = end - 1
    while last > start and doc[last].is_punct:
        last -= 1
    for t in doc[start:end]:
        if t.dep_ != "relcl" or t.right_edge.i < last or t.left_edge.i <= start + 1:
            continue
        first = t.left_edge
        if first.lower_ not in RELATIVE_WORDS or doc[first.i - 1].text != ",":
            continue
        index = quote_index(quotes)
        if index.inside(first.i) or any(index.inside(k.i) for k in doc[first.i : t.right_edge.i + 1] if k.is_quote):
            continue  # quoted words in the clause ("which was “extremely distressing”") are the speaker's
        return first.i - 1
    return end


def _participle_result(clause: Token) -> bool:
    """ "claimed responsibility for the attack, leading police to question …": a clause opening with
    a participle after a comma (and the cue's object before it) is the sentence's result, not what was said."""
    doc = clause.doc
    i = clause.left_edge.i
    while i < clause.i and doc[i].is_punct:
        i += 1
    has_object = any(c.dep_ == "dobj" and c.i < i for c in clause.head.children)
    return has_object and doc[i].tag_ == "VBG" and i > 0 and doc[i - 1].text == ","


def _contrast_cut(clause: Token) -> int:
    """Where a reported clause ends: before a ", while ..." clause hung on it, else at its last token.

    "said Hurun counted families, while Forbes counted individuals": the contrast is the
    writer's, not the speaker's.
    """
    doc = clause.doc
    for c in clause.rights:
        first = c.left_edge.i
        if c.dep_ == "advcl" and first > clause.i and doc[first].lower_ in CONTRAST_MARKS and doc[first - 1].is_punct:
            return first - 1
    return clause.right_edge.i + 1


def _through_open_quote(doc: Doc, quotes: QuoteIndex, start: int, end: int) -> int:
    """The end of a clause content, run on to the end of a quotation it opens: 'said that Jo "can't win. ..."'.

    The parse ends the clause at its own sentence; the quotation, the speaker's own words, goes on.
    """
    q = quotes.containing(end - 1, end)
    if q is None or not start < q.start < end or q.end <= end:
        return end
    if any("\n" in t.text for t in doc[end : q.end]):
        return end
    return q.end


def _opens_sentence(doc: Doc, i: int) -> bool:
    """True when only glue stands before token ``i`` in its sentence (or its line, when the parse runs across one)."""
    opening = sentence_bounds(doc, i)[0]
    opening = next((j + 1 for j in range(i - 1, opening - 1, -1) if "\n" in doc[j].text), opening)
    return only_glue(doc, opening, i)


# What may follow the cue in a credit sentence: when, where, how it was said ("on Tuesday", "in a
# statement", "on their radios", "quietly"), never an object or a clause of its own.
ADJUNCT_DEPS = {"prep", "advmod", "npadvmod"}


def _bare_credit(doc: Doc, quote_end: int, c_start: int, c_end: int, verb: Token) -> bool:
    """ "“Why now?” ¶ Graham asked.": a sentence that is only a speaker and a cue credits the quotation before it.

    The parser ends the quotation's sentence at its own "?", "!" or ".", so the cue's clause has no
    quotation; a sentence with nothing but who, the verb and adjuncts of it ("officers shouted on
    their radios") has nothing else it could report.
    """
    if not only_glue(doc, quote_end, c_start):
        return False
    sent_start, sent_end = sentence_bounds(doc, c_start)
    before = doc[sent_start:c_start]
    after = _after_credit(doc, sent_end, c_end, verb)
    return sent_start >= quote_end and all(t.is_punct or t.is_space for t in [*before, *after])


def _after_credit(doc: Doc, sent_end: int, c_end: int, verb: Token) -> list[Token]:
    """What follows a credit ("Graham asked", "X said in a statement") up to the end of its sentence,
    leaving out the adjuncts of its verb ("on their radios", "in a statement")."""
    adjuncts = {t.i for c in verb.rights if c.dep_ in ADJUNCT_DEPS for t in c.subtree}
    return [t for t in doc[c_end:sent_end] if t.i not in adjuncts]


def _credit_after_exclamation(doc: Doc, q: Span, c_start: int, verb: Token) -> bool:
    """ "“Why now?” Ortiz asked reporters, looking tired.": a quotation ending in "?" or "!", then its credit.

    The parser ends the quotation's sentence at its own "?" or "!", so the cue's clause, which opens
    the next sentence, has no quotation; a cue with no clause or object of its own (a hearer aside:
    "asked reporters") reports the one before it.
    """
    if not only_glue(doc, q.end, c_start) or sentence_bounds(doc, c_start)[0] < q.end:
        return False
    if not any(t.text in ("?", "!") for t in doc[max(q.start, q.end - 3) : q.end]):
        return False
    if any(c.dep_ in ("ccomp", "xcomp", "csubj") for c in verb.children):
        return False
    if verb.lemma_.lower() not in HEARER_VERBS and any(c.dep_ in ("dobj", "oprd") for c in verb.children):
        return False  # "“Eminent domain!” An ad accuses the mayor of ...": the object is what it reports
    return _opens_sentence(doc, c_start)


# Dependencies of a second cue verb that joins a claim's clause as a sibling report, not a part of
# what was said: "said A and added B" (conj), "said A, arguing B" (a participle, advcl).
JOINED_CUE_DEPS = {"conj", "advcl"}
# Constructions whose content is a parse subtree that can run into such a sibling report:
# "mocked Trump for X, noting that Y" is as much two reports as "said X, noting that Y".
SPLIT_RULES = {"ccomp", "complement"}


def _split_at_joined_cues(doc: Doc, relations: list[Relation], quotes: QuoteIndex) -> list[Relation]:
    """End a clausal content where a sibling cue verb starts its own report.

    "Smith says the mayor promised A and said B" and "Smith said A, arguing that B" are two reports
    each: the second verb hangs on the first clause (conj) or is a participle (advcl), so the parse
    puts it inside the first content. Annotators end the first content before it, and the second
    claim then no longer sits inside the first (``_resolve_overlaps`` would drop it).
    """
    cue_verbs = {cue_head(r.cue).i: r for r in relations if r.continues is None}
    # By position: trying every cue verb for every content was quadratic in the claims of a Doc.
    positions = sorted(cue_verbs)
    for rel in relations:
        if rel.rule not in SPLIT_RULES:
            continue
        start, end = rel.content
        cut = end
        for i in positions[bisect_right(positions, start) : bisect_left(positions, end)]:
            inner = cue_verbs[i]
            if inner is rel:
                continue
            verb = doc[i]
            if verb.dep_ not in JOINED_CUE_DEPS or not (
                start <= verb.head.i < end or verb.head.i == cue_head(rel.cue).i
            ):
                continue
            if verb.dep_ == "advcl" and (verb.tag_ != "VBG" or any(c.dep_ == "mark" for c in verb.children)):
                continue  # "... because she said": a subordinate clause stays in the content
            if quotes.inside(i):
                continue  # 'expects us "to keep going and defending ourselves"': the speaker's own words
            cut = min(cut, verb.left_edge.i)
            if verb.dep_ == "advcl" and rel.speaker is not None and verb.head.i != cue_head(rel.cue).i:
                # "X said she ..., arguing ...": the parse hangs the participle on the reported
                # clause, but the one arguing is the reporter, not the clause's subject.
                inner.speaker, inner.speaker_head = rel.speaker, rel.speaker_head
        if cut < end:
            new = trim(doc, start, cut)
            if new[1] - new[0] >= 3:
                rel.content = new
    return relations


def _as_clause(doc: Doc, verb: Token, cue: Span) -> list[tuple[int, int]] | None:
    """ "As the experts have pointed out, the plan is legal": the clause the as-clause hangs on is the claim.

    The cue verb is an adverbial clause marked "as" with no object or clause of its own; what
    it reports is its head's clause, in one or two parts around the aside.
    """
    if verb.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
        return None
    if verb.lemma_.lower() in TOPIC_VERBS or verb.lemma_.lower() == "call":
        return None  # "as she spoke", "as he called": a time, not a source
    head = verb.head
    if head.pos_ not in ("VERB", "AUX") or head.i in range(cue.start, cue.end):
        return None
    if any(c.dep_ == "ccomp" for c in head.children):
        # "“…,” said the expert, as the paper reported": the head is a report of its own, whose
        # content is the quotation; taking the whole sentence would swallow that claim.
        return None
    aside = (verb.left_edge.i, verb.right_edge.i + 1)
    sent = verb.sent
    # A source aside stands between commas or at the sentence's edge; a temporal "as" does not.
    opens = aside[0] == sent.start or doc[aside[0] - 1].text == ","
    closes = aside[1] >= sent.end or doc[aside[1]].text in (",", ".")
    if not (opens and closes):
        return None
    start, end = max(head.left_edge.i, sent.start), min(head.right_edge.i + 1, sent.end)
    parts = [trim(doc, start, aside[0]), trim(doc, aside[1], end)]
    parts = [p for p in parts if p[1] - p[0] >= 1]
    if sum(b - a for a, b in parts) < 4:
        return None
    return parts


# Passive subjects that name nothing reported: relatives and the empty "it"/"there".
EMPTY_PASSIVE_SUBJECTS = {"that", "which", "who", "it", "there"}


def _passive(doc: Doc, verb: Token, cue: Span) -> list[tuple[int, int]] | None:
    """ "The mayor was accused of lying", "turnout is expected to rise": the passive subject, then the complement.

    Annotators take both as the content (the subject is what the report is about); the speaker,
    when given, is the "by" agent, which ``_subject`` already found. An empty "it" ("it is expected
    to rain") reports nothing.
    """
    subj = next((s for c in verb.children if c.dep_ == "nsubjpass" and (s := _past_dateline(c)) is not None), None)
    if subj is None or subj.i > verb.i or subj.tag_ in ("WDT", "WP") or subj.lower_ in EMPTY_PASSIVE_SUBJECTS:
        return None
    comps = [
        c for c in verb.rights if c.dep_ in ("xcomp", "oprd") or (c.dep_ == "prep" and c.lower_ in ("of", "as", "for"))
    ]
    subject = trim(doc, subj.left_edge.i, subj.right_edge.i + 1)
    if not comps:
        # "The merger was first disclosed by the Gazette", "the plan was rejected by voters": with the
        # "by" agent as the speaker, the passive subject is what they reported or judged.
        return [subject] if _agent(verb) is not None and subject[1] > subject[0] else None
    c = comps[0]
    start = c.i + 1 if c.dep_ == "prep" else c.left_edge.i
    comp = trim(doc, start, c.right_edge.i + 1)
    if comp[1] - comp[0] < 1 or subject[1] - subject[0] < 1:
        return None
    return [subject, comp]


# What an appearance verb's subject is judged to be or do: "seems to fail", "appeared uneasy",
# "seemed like a wise bet", "appears a long shot".
IMPRESSION_DEPS = {"xcomp", "oprd", "acomp", "attr"}


def _impression(doc: Doc, cue: Span, lemma: str, quotes: list[Span]) -> list[Relation]:
    """ "The plan seems to fail", "it appears that the vote was close": an impression with no speaker.

    The content is the clause after an empty "it", else the subject and its complement in two
    parts around the verb; a bare "appeared on television" has neither and reports nothing.
    The one the thing seems so to ("seemed to voters like a gamble") is the source.
    """
    verb = cue_head(cue)
    if verb.pos_ != "VERB":
        return []
    to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    owner = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    speaker = speaker_phrase(owner) if owner is not None else None
    head = owner.i if owner is not None else None
    conf = confidence("impression", speaker=speaker is not None)
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if clause is not None:
        start, end = trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
        if end - start < 3:
            return []
        return [Relation((start, end), content_kind(quotes, start, end), cue, lemma, speaker, head, conf, "impression")]
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    comp = next(
        (c for c in verb.rights if c.dep_ in IMPRESSION_DEPS or (c.dep_ == "prep" and c.lower_ == "like")), None
    )
    if subj is None or comp is None or subj.tag_ in ("WDT", "WP") or subj.lower_ in EMPTY_PASSIVE_SUBJECTS:
        return []
    start = comp.i + 1 if comp.dep_ == "prep" else comp.left_edge.i
    parts = [trim(doc, subj.left_edge.i, subj.right_edge.i + 1), trim(doc, start, comp.right_edge.i + 1)]
    if any(b <= a for a, b in parts) or parts[0][1] > cue.start:
        return []
    rel = Relation((parts[0][0], parts[1][1]), "indirect", cue, lemma, speaker, head, conf, "impression")
    rel.parts = parts
    return [rel]


def _within_line(doc: Doc, start: int, end: int, quotes: list[Span]) -> tuple[int, int]:
    """Cut a clause at the first line break outside a quotation.

    The parser can run a headline's clause into the next line ("… military expansion¶China"):
    a line break ends prose, so what follows it is not the claim.
    """
    breaks = line_breaks(doc)
    for i in breaks[bisect_left(breaks, start) : bisect_left(breaks, end)]:
        if not quote_index(quotes).inside(i):
            return trim(doc, start, i)
    return start, end


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
    quote = quote_index(quotes).first_quote_at(j)
    if quote is not None:
        return quote.start, quote.end
    para_end = next((t.i for t in doc[j:] if t.is_space and "\n\n" in t.text), len(doc))
    start, stop = trim(doc, j, para_end)
    return (start, stop) if stop - start >= 3 else None


# Objects that say nothing by themselves ("said it", "told him").
EMPTY_OBJECTS = {"it", "this", "that", "so", "something", "anything", "nothing", "him", "her", "them", "me", "us"}
# Verbs whose direct object is the hearer, not what was said.
HEARER_VERBS = {"tell", "inform", "brief", "assure", "remind", "ask", "convince", "persuade"}
# With "warn" ("warned the board"), the verbs whose noun object is who was addressed, not a complement.
HEARER_OBJECT_VERBS = HEARER_VERBS | {"warn"}
COMPLEMENT_DEPS = {"dobj", "oprd", "xcomp", "prep", "dative", "attr", "acomp"}
# Prepositions that introduce what a cue is about, not its time, place or manner.
CONTENT_PREPS = {"of", "with", "as", "about", "for", "against", "on", "to", "over"}
# Verbs of speaking whose only content is the topic ("spoke out against the plan", "talked about
# taxes"): their objects and other prepositions are language, hearer, place or time.
TOPIC_VERBS = {"speak", "talk"}
TOPIC_PREPS = {"of", "about", "against"}  # not "on": "spoke on condition of anonymity"
TIME_ENTITIES = {"DATE", "TIME"}
# Verbs whose only non-clausal content is a direct object ("said the same thing"): their
# prepositions are venue or hearer ("said on the debate stage", "said to reporters").
OBJECT_ONLY_VERBS = {"say"}
# Prepositions that join a cue to its content as one phrasal verb ("called for a recount", "insisted
# on a vote", "warned against cuts", "sided with the union"): the preposition is the cue's, as
# annotators mark it (PolNeAR train: the content starts after it in 132 of 164 such claims).
PHRASAL_PREPS = {"for", "on", "against", "with", "to"}


def _complement(doc: Doc, verb: Token, cue: Span) -> tuple[int, int] | None:
    """A non-clausal content: "called the charges baseless", "accused her of lying", "wants to leave"."""
    comps = []
    for c in verb.rights:
        if c.i >= cue.end and _for_to_clause(c):
            comps.append(c)
            continue
        if c.i < cue.end or c.dep_ not in COMPLEMENT_DEPS:
            continue
        if verb.lemma_.lower() in TOPIC_VERBS and not (c.dep_ == "prep" and c.lower_ in TOPIC_PREPS):
            continue
        if verb.lemma_.lower() in OBJECT_ONLY_VERBS and c.dep_ != "dobj":
            continue
        if c.dep_ == "prep" and c.lower_ not in CONTENT_PREPS:
            if comps and c.i == comps[-1].right_edge.i + 1 and _object_modifier(doc, c):
                # "backed the ferry subsidy in the assembly", "announced a concert in support of X":
                # a phrase right after the object goes with it, as annotators read it.
                comps.append(c)
                continue
            break
        if c.dep_ == "prep" and _only_time(doc, c):
            continue  # "to fall over the coming six weeks", "endorsed her on Thursday": when, not what
        if c.dep_ in ("dobj", "dative") and verb.lemma_.lower() in HEARER_VERBS and c.pos_ in ("PRON", "PROPN"):
            continue
        comps.append(c)
    if not comps:
        return None
    last = comps[-1]
    # "started by stressing fairness, and a need to ...": the parse can hang the second object on
    # the verb that the cue's "by" phrase depends on.
    governors = [verb]
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.i < verb.i:
        governors.append(verb.head.head)
    # In text order over both verbs' dependents, so a contrast ends the content whichever verb it hangs on.
    for c in sorted((c for g in governors for c in g.rights if c.i > last.i), key=lambda c: c.i):
        if c.dep_ == "cc" and c.lower_ in ("but", "yet"):
            break  # "..., but her plan ...": a contrast is the writer's
        if c.dep_ == "conj" and _coordinates_with(verb, last, c):
            last = c
    start, end = trim(doc, comps[0].left_edge.i, last.right_edge.i + 1)
    if doc[start].dep_ == "mark" and doc[start].lower_ == "for":
        start += 1  # "calling for X to be banned": the wish is "X to be banned"
    phrasal = len(comps) == 1 and doc[start].lower_ in PHRASAL_PREPS  # not "described for the jury the facts"
    if doc[start].dep_ == "prep" and doc[start].head == verb and (verb.lemma_.lower() in TOPIC_VERBS or phrasal):
        # "spoke out against the fence": the preposition frames the topic, as "about" does.
        start += 1
    return None if _no_content(doc, start, end) else (start, end)


# Nouns of the occasion or medium of speech: "said … in a statement", "announced it at a rally",
# "rejected the appeal in a ruling", "praised him on Twitter" frame the cue.
OCCASION_NOUNS = {
    "statement", "interview", "speech", "letter", "email", "tweet", "post", "release", "memo",
    "conference", "rally", "hearing", "debate", "address", "op-ed", "column", "video", "appearance",
    "meeting", "call", "briefing", "message", "filing", "broadcast", "show", "event", "remarks",
    "ruling", "opinion", "report", "book", "article", "diatribe", "tirade", "sermon", "testimony",
    "twitter", "facebook", "instagram", "television", "tv", "radio", "air", "camera", "stage", "podcast",
}


def _occasion(prep: Token) -> bool:
    """A preposition whose object is an occasion or medium of speech ("on Twitter", "in a ruling")."""
    return any(c.dep_ == "pobj" and c.lemma_.lower() in OCCASION_NOUNS for c in prep.children)


def _object_modifier(doc: Doc, prep: Token) -> bool:
    """A preposition the parser hung on the cue that modifies its object: not a time or an occasion of speech."""
    if prep.lower_ in ("at", "during", "after", "before", "since", "until", "while", "through", "via", "by"):
        return False
    if _only_time(doc, prep):
        return False
    return any(c.dep_ == "pobj" for c in prep.children) and not _occasion(prep)


def _no_content(doc: Doc, start: int, end: int) -> bool:
    """No words, or one empty object ("it", "them", "himself"): nothing said or held."""
    words = [t for t in doc[start:end] if t.is_alpha]
    return not words or (len(words) == 1 and (words[0].lower_ in EMPTY_OBJECTS or words[0].lower_.endswith("self")))


def _owner_phrase(owner: Token) -> tuple[int, int]:
    """The possessor's phrase as a speaker: "Smith's" without its possessive marker."""
    doc = owner.doc
    speaker = speaker_phrase(owner)
    while speaker[1] > speaker[0] and doc[speaker[1] - 1].dep_ == "case":
        speaker = (speaker[0], speaker[1] - 1)
    return speaker


def _for_to_clause(clause: Token) -> bool:
    """ "calling for the port authority to take a firmer line": a "for … to" clause the parser hangs
    as an adverbial, though it is what is called for."""
    return (
        clause.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "for" for c in clause.children)
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
    )


def _only_time(doc: Doc, prep: Token) -> bool:
    """A preposition whose whole phrase is a date or a time ("on Thursday", "over the coming six weeks").

    Not "of" or "about", whose object is what was said even when it is a span of time ("accused
    him of years of bullying", "talked about the decades at the plant").
    """
    if prep.lower_ in ("of", "about") or prep.right_edge.i == prep.i:
        return False
    return all(t.ent_type_ in TIME_ENTITIES for t in doc[prep.i + 1 : prep.right_edge.i + 1] if not t.is_punct)


def _coordinates_with(verb: Token, comp: Token, conj: Token) -> bool:
    """A conjunct the parser hung on the cue verb that continues its complement instead.

    "called for fairness, and a need to ...": a noun cannot be a second verb of the speaker;
    "vowed to triple X, grow Y and create Z": a bare verb after an infinitive continues it.
    """
    if conj.pos_ in ("NOUN", "PROPN"):
        return comp.pos_ in ("NOUN", "PROPN", "ADP")
    if conj.tag_ == "VBG" and comp.dep_ == "dobj" and "VBG" in (comp.tag_, comp.left_edge.tag_):
        return True  # "mentioned refinancing the loans and forcing the port to pay": two gerund objects
    return conj.tag_ == "VB" and verb.tag_ != "VB" and comp.dep_ == "xcomp" and comp.tag_ == "VB"


def _topic(doc: Doc, verb: Token, cue: Span) -> tuple[int, int] | None:
    """ "asked about the merger", "complained about the noise": what a speech verb with no object is about.

    Only "about": the verb's other prepositions are its hearer, time or place ("said on Monday").
    """
    prep = next((c for c in verb.rights if c.i >= cue.end and c.dep_ == "prep" and c.lower_ == "about"), None)
    if prep is None or prep.i + 1 > prep.right_edge.i:
        return None
    start, end = trim(doc, prep.i + 1, prep.right_edge.i + 1)
    return None if _no_content(doc, start, end) else (start, end)


# Verbs whose infinitive is what was asked, told or claimed ("asked the broadcaster to give",
# "told them to vote", "claimed to have won"), though their object is only the hearer.
REQUEST_VERBS = {"ask", "tell", "claim"}


def _request(verb: Token) -> tuple[int, int] | None:
    """ "asked the broadcaster to give the proceeds away": the infinitive of a request verb with no clause."""
    if verb.lemma_.lower() not in REQUEST_VERBS:
        return None
    xcomp = next((c for c in verb.rights if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)), None)
    if xcomp is None:
        return None
    start, end = trim(verb.doc, xcomp.left_edge.i, xcomp.right_edge.i + 1)
    return (start, end) if end - start >= 2 else None


def _that_clause(token: Token) -> Token | None:
    return next(
        (
            c
            for c in token.children
            if c.dep_ in ("acl", "ccomp", "attr") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        ),
        None,
    )


def _noun_cue(doc: Doc, cue: Span, lemma: str, quotes: list[Span]) -> list[Relation]:
    """ "Her claim that the vote was rigged", "his view is that ...": a noun with a "that" clause."""
    noun = cue[0]
    clause = _that_clause(noun)
    if clause is None and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        clause = _that_clause(noun.head)
    if clause is None:
        return _noun_object(doc, cue, lemma, quotes)
    start, end = trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
    if end - start < 3:
        return []
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "from")), None)
        owner = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    speaker = None
    if owner is not None:
        speaker = _owner_phrase(owner)
    conf = confidence("noun", speaker=speaker is not None)
    head = owner.i if speaker and owner is not None else None
    return [Relation((start, end), content_kind(quotes, start, end), cue, lemma, speaker, head, conf, "noun")]


def _hearsay(doc: Doc, cue: Span, lemma: str, quotes: list[Span], cue_heads: set[int]) -> list[Relation]:
    """ "The port is reportedly building a new terminal", "he allegedly paid the bribes": a report whose
    source the writer leaves unstated; the clause the adverb sits in, without it, is the content.

    Only a clause with a subject of its own ("which will reportedly deal with" glosses a noun), and
    not one whose verb is a cue ("has reportedly told aides that …" is the teller's claim).
    """
    adv = cue[-1]
    verb = adv.head
    if adv.dep_ != "advmod" or verb.pos_ not in ("VERB", "AUX") or quote_index(quotes).inside(adv.i):
        return []
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if verb.i in cue_heads or subj is None or subj.tag_ in ("WDT", "WP") or verb.dep_ == "relcl":
        return []
    sent_start, sent_end = sentence_bounds(doc, verb.i)
    start, end = trim(doc, max(verb.left_edge.i, sent_start), min(verb.right_edge.i + 1, sent_end))
    parts = [p for p in (trim(doc, start, cue.start), trim(doc, cue.end, end)) if p[1] > p[0]]
    if not parts or sum(b - a for a, b in parts) < 4:
        return []
    span = (parts[0][0], parts[-1][1])
    conf = confidence("hearsay", speaker=False)
    rel = Relation(span, content_kind(quotes, *span), cue, lemma, None, None, conf, "hearsay")
    rel.parts = parts
    return [rel]


# Prepositions that give what an attitude is towards ("critical of", "concerned about", "opposed to").
STANCE_PREPS = {"of", "about", "to", "with", "over", "on"}
# Verbs that link a subject to its attitude ("is critical of", "remained skeptical that").
LINKING_LEMMAS = {"be", "remain", "become", "seem", "appear", "grow", "stay", "sound", "look", "feel"}


def _stance(doc: Doc, cue: Span, lemma: str, quotes: list[Span], sources: SenseWords) -> list[Relation]:
    """ "The senator was critical of the deal", "voters are skeptical that it will pass": an attitude
    adjective after a linking verb; its subject holds the view, its clause or object is the content."""
    adj = cue[-1]
    link = adj.head
    if adj.dep_ not in ("acomp", "oprd") or link.lemma_.lower() not in LINKING_LEMMAS:
        return []
    subj = next((c for c in link.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in NO_SOURCE_SUBJECTS or subj.tag_ in ("WDT", "WP"):
        return []
    if not can_be_source(subj, sources):
        return []  # "the market is wary of …", "the plan is critical to …": no one's view
    clause = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp") and c.i > adj.i), None)
    if clause is not None:
        start, end = clause.left_edge.i, clause.right_edge.i + 1
    else:
        prep = next((c for c in adj.rights if c.dep_ == "prep" and c.lower_ in STANCE_PREPS), None)
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if obj is None:
            return []
        start, end = obj.left_edge.i, obj.right_edge.i + 1
    start, end = trim(doc, start, end)
    if _no_content(doc, start, end):
        return []  # "sure of himself": no view of anything
    speaker = speaker_phrase(subj, outside=link.i)
    conf = confidence("stance", speaker=True)
    found = Relation((start, end), content_kind(quotes, start, end), cue, lemma, speaker, subj.i, conf, "stance")
    if start > cue.end and doc[start - 1].dep_ == "prep" and doc[start - 1].head == adj:
        # "critical of": the preposition is the cue's, as with "called for".
        found.cue = Span(doc, cue.start, start, label=cue.label_)
    return [found]


# Prepositions that give what a speech noun is about ("his attacks on the board", "her support for the plan").
NOUN_CONTENT_PREPS = {"of", "for", "on", "about", "against", "over"}
# Nouns whose object is a topic, not a view ("his positions on trade": 0.34 content precision on
# PolNeAR train, "her statement of the facts" 0.52, against 0.72 for the other speech nouns).
TOPIC_NOUNS = {"position", "statement", "point"}


def _noun_object(doc: Doc, cue: Span, lemma: str, quotes: list[Span]) -> list[Relation]:
    """ "the mayor's attacks on the board", "her support for the bill": a possessed speech noun and its object.

    Only with a possessor, who is the speaker: "support for the bill rose" names nobody's view.
    """
    noun = cue[-1]
    if lemma in TOPIC_NOUNS:
        return []
    received = _received(doc, cue, lemma, quotes)
    if received:
        return received
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None or owner.pos_ not in ("PROPN", "NOUN", "PRON") or owner.lower_ in ("its", "my", "our", "your"):
        return []
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in NOUN_CONTENT_PREPS), None)
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
    # "the mayor's promise to rebuild the pier", "her decision to run": the intention's infinitive.
    wish = next((c for c in noun.rights if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children)), None)
    if obj is not None:
        start, end = trim(doc, obj.left_edge.i, obj.right_edge.i + 1)
    elif wish is not None:
        start, end = trim(doc, wish.left_edge.i, wish.right_edge.i + 1)
        prep = None
    else:
        return []
    if _no_content(doc, start, end):
        return []
    speaker = _owner_phrase(owner)
    conf = confidence("noun_object", speaker=True)
    found = Relation((start, end), content_kind(quotes, start, end), cue, lemma, speaker, owner.i, conf, "noun_object")
    if prep is not None and prep.i == cue.end:
        # "attacks on": the preposition is the cue's, as with "called for".
        found.cue = Span(doc, cue.start, prep.i + 1, label=cue.label_)
    return [found]


# Verbs by which a subject receives a judgement ("drew criticism from", "won the support of").
RECEIVING_VERBS = {"draw", "receive", "win", "earn", "get", "garner", "attract", "gain", "face", "pick"}


def _received(doc: Doc, cue: Span, lemma: str, quotes: list[Span]) -> list[Relation]:
    """ "The plan drew sharp criticism from unions", "she won the endorsement of the Times": the judged
    subject is the content, the "from"/"of" phrase the speaker."""
    noun = cue[-1]
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lemma_.lower() not in RECEIVING_VERBS:
        return []
    source = None
    for prep in [*noun.rights, *verb.rights]:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "of") and prep.i > noun.i:
            source = next((c for c in prep.children if c.dep_ == "pobj"), None)
            break
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if source is None or subj is None or subj.lower_ in NO_SOURCE_SUBJECTS or subj.tag_ in ("WDT", "WP"):
        return []
    start, end = trim(doc, subj.left_edge.i, subj.right_edge.i + 1)
    if end <= start:
        return []
    speaker = speaker_phrase(source)
    conf = confidence("noun_object", speaker=True)
    kind = content_kind(quotes, start, end)
    return [Relation((start, end), kind, cue, lemma, speaker, source.i, conf, "noun_object")]


def _according_to(doc: Doc, cue: Span, lemma: str) -> list[Relation]:
    last = cue[-1]
    pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
    if pobj is None and cue.end < len(doc) and doc[cue.end].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ"):
        pobj = doc[cue.end]
        while pobj.head.i >= cue.end and pobj.head.i != pobj.i and pobj.head.i < pobj.sent.end:
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
    conf = confidence("according_to", speaker=True)
    return [Relation(content, "according_to", cue, lemma, speaker, pobj.i, conf, "according_to")]


def _follow_on_quotes(doc: Doc, relations: list[Relation], quotes: list[Span]) -> list[Relation]:
    """A quotation with no cue of its own, right after a speaker's quoted claim, continues that claim.

    "“We lost a lot,” she said. “Those ships went elsewhere.”" is one claim whose content runs
    from the first quotation to the second (the cue between them included), as annotators
    treat it; a cue inside the second quotation is the speaker's own word, not a new claim.
    """
    dropped: set[int] = set()
    ordered = sorted(relations, key=lambda r: r.content[0])
    # One sweep in text order instead of scanning every relation per quotation (see FollowOnSweep).
    sweep = FollowOnSweep(relations, ordered, quote_index(quotes))
    by_verb = {cue_head(r.cue).i: r for r in relations}
    for q in quotes:
        if q.label_ != "quote":
            continue
        inner = sweep.inner(q)
        if sweep.overlapped(q, inner):
            continue
        prev = sweep.previous(q)
        if prev is not None and not _quoted_claim(prev):
            prev = _credited_past_participle(prev, by_verb)
        if prev is None or not _quoted_claim(prev) or prev.speaker is None or id(prev) in dropped:
            continue
        gap_start = max(prev.content[1], prev.cue.end, prev.speaker[1])
        gap = doc[gap_start : q.start]
        # Only the rest of the cue's sentence may stand between them, within one paragraph.
        if gap_start < q.start and any(t.is_sent_start for t in doc[gap_start : q.start] if t.i > gap_start):
            continue
        if any(t.is_space and "\n" in t.text for t in gap):
            continue
        # From the last words of the previous content: its own full stop can end the sentence.
        if _unsplit_sentence(doc[max(gap_start - 2, 0) : q.start]):
            continue
        # The frame between the quotations ("she said.") is not part of what was said.
        prev.parts = [*prev.pieces(), (q.start, q.end)]
        prev.content = (prev.content[0], q.end)
        sweep.extended(prev)
        prev.rule += "+follow_on"
        # The second quotation is the speaker's only by adjacency.
        prev.confidence = min(prev.confidence, FOLLOW_ON_CAP)
        dropped.update(id(r) for r in inner)
    return sorted((r for r in relations if id(r) not in dropped), key=lambda r: (r.content[0], r.cue.start))


def _credited_past_participle(rel: Relation, by_verb: dict[int, Relation]) -> Relation:
    """ "“A,” Trump said in August, referring to Kerry. “B.”": the participle's report hangs on the
    credit's verb, so the quotation after it still continues the claim the credit made."""
    verb = cue_head(rel.cue)
    if verb.dep_ != "advcl" or verb.tag_ != "VBG":
        return rel
    credit = by_verb.get(verb.head.i)
    if credit is None or credit.content[1] > rel.content[0] or not _quoted_claim(credit):
        return rel
    return credit


def _unsplit_sentence(gap: Span) -> bool:
    """ "... to investors.” It is not easy to square that with “growth.”": a sentence of the
    writer's between the two quotations, which the parser failed to end at its full stop."""
    for t in gap[:-1]:
        before = gap.doc[t.i - 1] if t.i > 0 else None
        abbreviation = before is not None and before.is_title and len(before) <= 4
        if t.is_punct and t.text[-1] in ".!?" and not abbreviation:
            # ("said Lt. Ortiz": a title's abbreviation stop ends nothing.)
            nxt = gap.doc[t.i + 1]
            while nxt.i < gap.end - 1 and (nxt.is_quote or nxt.is_space):
                nxt = gap.doc[nxt.i + 1]
            if nxt.i < gap.end and nxt.is_title and not nxt.is_punct:
                return True
    return False


# Constructions whose content is the speaker's own clause: when it holds a quotation ("mixed"), a
# quotation after its cue continues it as it continues a quoted claim.
CLAUSE_RULES = {"ccomp", "that_clause", "parataxis", "trailing", "trailing_credit"}


def _quoted_claim(rel: Relation) -> bool:
    """A claim that a following quotation can continue: a quotation, or a reported clause that quotes.

    "The summit accomplished “too little,” he added. “Europe risks a lot.”": the second quotation
    goes on with the clause's quoted words. An object content that quotes ("blamed the law on
    “knuckleheaded politicians.”") is a judgement, and what follows it often the writer's.
    """
    if rel.type == "direct":
        return True
    return rel.type in ("mixed", "indirect") and rel.rule.split("+")[0] in CLAUSE_RULES


def _follow_on_paragraphs(
    doc: Doc, relations: list[Relation], quotes: list[Span], paragraphs: list[tuple[int, int]]
) -> list[Relation]:
    """A paragraph that is only a quotation, after a paragraph whose last claim has a speaker, continues it.

    News prints a long quotation as several paragraphs, crediting only the first ("“A,” she said.¶
    “B.”"). Each such paragraph becomes its own claim, credited to the same speaker with no cue and
    ``continues`` pointing at the claim with the cue. The chain stops at a paragraph with a claim
    of its own (a new cue or a change of speaker) or at one that is not a quotation.
    """
    ordered = sorted(relations, key=lambda r: r.content[0])
    # Indexed by position: these were scans over every relation, quotation and paragraph per paragraph.
    firsts = sorted(range(len(ordered)), key=lambda n: min(ordered[n].content[0], ordered[n].cue.start))
    first_at = [min(ordered[n].content[0], ordered[n].cue.start) for n in firsts]
    contents, paras, index = RangeIndex([r.content for r in ordered]), ParagraphIndex(paragraphs), quote_index(quotes)
    added: list[Relation] = []
    dropped: set[int] = set()
    current: Relation | None = None
    skip_to = 0
    for p_start, p_end in paragraphs:
        if p_start < skip_to:
            continue
        start, end = trim(doc, p_start, p_end)
        if end <= start:
            continue
        here = [ordered[n] for n in sorted(firsts[bisect_left(first_at, start) : bisect_left(first_at, end)])]
        covered = contents.overlaps(start, end)
        if here and current is not None and _quoted_words_only(doc, here, index.first_quote_at(start), end):
            # '“The council agrees with me.”': a cue inside the quotation paragraph is the quoted
            # speaker's own word, no new speaker; the paragraph still continues the claim before.
            dropped.update(id(r) for r in here)
            here, covered = [], False
        if here:
            # The paragraph's last claim sets the speaker a following quotation continues.
            last = max(here, key=lambda r: max(r.content[1], r.cue.end))
            current = last if last.speaker is not None else None
            continue
        quote = index.first_quote_at(start)
        if covered or quote is None:
            # Claimed by an earlier paragraph's claim (a colon introduction) keeps the chain; prose ends it.
            if not covered:
                current = None
            continue
        # A quotation over several paragraphs is one quotation: it must end where a paragraph ends.
        last_para = paras.ending_in(quote.end)
        if last_para is None or trim(doc, *last_para)[1] != quote.end or current is None or _quoted_label(quote):
            current = None
            continue
        skip_to = last_para[1]
        head = current.continues or current
        conf = confidence("follow_on", speaker=True)
        follow = Relation(
            (quote.start, quote.end), "direct", head.cue, head.lemma, head.speaker, head.speaker_head, conf, "follow_on"
        )
        follow.continues = head
        added.append(follow)
        current = follow
    kept = [r for r in relations if id(r) not in dropped]
    return sorted([*kept, *added], key=lambda r: (r.content[0], r.cue.start))


# Fewer words than this in a quotation paragraph make a label, not a continued speech.
LABEL_WORDS = 3


def _quoted_label(quote: Span) -> bool:
    """ "“Related:”", "“Watch”": a quoted label on a line of its own is the page's, not the speaker's."""
    words = [t for t in quote if not (t.is_punct or t.is_space)]
    inner = [t for t in quote if not (t.is_quote or t.is_space)]
    return len(words) < LABEL_WORDS or (bool(inner) and inner[-1].text == ":")


def _quoted_words_only(doc: Doc, here: list[Relation], quote: Span | None, end: int) -> bool:
    """True when a paragraph is one quotation and every claim found in it lies inside it, cue and speaker too."""
    if quote is None or quote.label_ != "quote" or quote.end != end:
        return False
    return all(
        quote.start <= r.content[0]
        and r.content[1] <= quote.end
        and quote.start <= r.cue.start
        and r.cue.end <= quote.end
        and (r.speaker is None or quote.start <= r.speaker[0])
        and r.continues is None
        and not r.rule.startswith("colon_speaker")  # "“SMITH: …”": a transcript's own speaker label
        for r in here
    )


# Claims whose single span deliberately runs across their cue: "The plan, she said, would fail." and
# "“A,” he said, “B.”" are one discontinuous claim each, kept whole (see README, Accuracy).
SPANS_ITS_CUE = {"parataxis", "quote_pair", "as_clause", "passive", "impression", "hearsay"}


def _outside_own_parts(rel: Relation, quotes: list[Span]) -> Relation | None:
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
    return Relation(
        best,
        content_kind(quotes, *best),
        rel.cue,
        rel.lemma,
        rel.speaker,
        rel.speaker_head,
        rel.confidence + OWN_PARTS_CUT,
        rel.rule,
    )


def _resolve_overlaps(relations: list[Relation]) -> list[Relation]:
    """One claim per content; a cue inside another claim's quotation belongs to that quotation."""
    # Reported speech inside reported speech ("He said the mayor hopes that ...") is part of the
    # outer claim's content, not a claim of its own.
    # Both passes ask which claims' contents hold a cue's first token: index those tokens once
    # instead of comparing every pair of relations.
    holders: PointCover[Relation] = PointCover(r.cue.start for r in relations)
    for k in relations:
        holders.add(k.content[0], k.content[1], k)
    relations = [
        r
        for r in relations
        if not any(
            k is not r
            and k.content[0] <= r.content[0]
            and r.content[1] <= k.content[1]
            and not (r.content[0] <= k.cue.start < r.content[1])
            for k in holders.at(r.cue.start)
        )
    ]
    relations.sort(key=lambda r: (-r.confidence, r.content[0]))
    kept: list[Relation] = []
    kept_contents: set[tuple[int, int]] = set()
    kept_holders: PointCover[Relation] = PointCover(r.cue.start for r in relations)
    for r in relations:
        # A kept claim clashes when it has the same content, or its content holds r's cue and it is
        # a quotation (nested) or r's content holds its cue in turn.
        clash = r.content in kept_contents or any(
            k.type == "direct" or r.content[0] <= k.cue.start < r.content[1] for k in kept_holders.at(r.cue.start)
        )
        if not clash:
            kept.append(r)
            kept_contents.add(r.content)
            kept_holders.add(r.content[0], r.content[1], r)
    return sorted(kept, key=lambda r: (r.content[0], r.cue.start))


@Language.factory(
    "newsclaims_attribution",
    requires=["token.dep", "token.pos", "doc.sents"],
    assigns=["doc.spans"],
    default_config={
        "spans_key": CONTENTS,
        "cues_key": CUES,
        "quotes_key": QUOTES,
        "boilerplate_key": BOILERPLATE,
        "paragraphs_key": PARAGRAPHS,
    },
)
def make_attributor(
    nlp: Language, name: str, spans_key: str, cues_key: str, quotes_key: str, boilerplate_key: str, paragraphs_key: str
) -> Attributor:
    """spaCy factory: claims from the cue, quote, boilerplate and paragraph groups named in the config."""
    return Attributor(
        nlp,
        name,
        spans_key=spans_key,
        cues_key=cues_key,
        quotes_key=quotes_key,
        boilerplate_key=boilerplate_key,
        paragraphs_key=paragraphs_key,
    )
