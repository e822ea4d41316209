"""Sense checks: a reporting verb used in a sense that reports nothing.

"The ferries highlight the festival" (display), "find out how" (discover), "a ferry they call
the Gull" (naming), "declared a state of emergency" (a status), "granted them asylum" (giving),
"wrote a book" (authorship), "aimed a rifle" / "threatened him with a knife" (physical senses),
"if you want a quiet weekend" (the generic reader), "makes me want to" (a caused feeling),
"Granted, ..." / "Needless to say, ..." (discourse markers). Each check reads the verb's
syntax (its children, its head, its tag), never the article's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

# Verbs that display as readily as they report: their subject must be able to speak or to be
# read ("the survey shows a rise", "the data reveal that"), not a thing on show.
DISPLAY_LEMMAS = {"show", "highlight", "display", "reveal"}
EXHIBIT_LEMMAS = {"show", "display"}
# What can show something besides the speaker rules' people, bodies and documents: evidence.
EVIDENCE_NOUNS = {
    "average",
    "video",
    "footage",
    "photo",
    "photograph",
    "image",
    "picture",
    "chart",
    "graph",
    "map",
    "number",
    "result",
    "test",
    "evidence",
    "figure",
    "statistic",
    "trend",
    "model",
    "comment",
    "remark",
    "word",
    "email",
    "message",
    "document",
    "filing",
    "return",
    "slide",
    "ad",
    "advertisement",
    "clip",
    "graphic",
    "table",
    "list",
    "page",
    "screen",
    "sign",
    "poster",
}
# Object-complement and passive-status verbs: with an object and no clause, an act, not a report.
STATUS_LEMMAS = {"declare", "grant", "write"}
CLAUSE_DEPS = {"ccomp", "xcomp", "csubj"}
# Second person outside a quotation: the generic reader ("if you want ..."), never a source.
READER = {"you", "yourself", "yourselves", "ya", "y'all"}
# A verb that is the complement of these is a caused state ("makes me want to"), not a report.
CAUSATIVES = {"make", "let"}
AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent")
SOURCE_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


@dataclass(frozen=True)
class SourceNouns:
    """Lemmas of nouns that can be a source: people, groups, bodies and documents; and the documents alone."""

    sources: frozenset[str] = frozenset()
    records: frozenset[str] = frozenset()


def non_speech(verb: Token, subj: Token | None, category: str, in_quote: bool, nouns: SourceNouns) -> bool:
    """True when ``verb`` (a matched cue) reports nothing in this sentence: no claim should come of it."""
    lemma = verb.lemma_.lower()
    deps = {c.dep_ for c in verb.children}
    if subj is not None and not in_quote and _reader(subj) and _hypothetical(verb):
        return True
    if (
        verb.tag_ == "VB"
        and verb.dep_ in ("ccomp", "xcomp")
        and verb.head.lemma_.lower() in CAUSATIVES
        and verb.head.i < verb.i
    ):
        # "makes me want to": a bare infinitive after the causer's object (not "made public ― X boasted").
        return True
    if _marker(verb, subj):
        return True
    if category == "belief" and subj is None and verb.tag_ == "VBG":
        # "essential to understanding why ...", "Knowing that ...": a thought nobody holds.
        return True
    if "neg" in deps and any(c.dep_ == "ccomp" and _open_question(c) for c in verb.children):
        # "did not say when the line will open": a question left open, nothing asserted.
        return True
    if lemma == "find":
        # "find out how ...": discovering, not concluding ("finds the plan compelling" is a view).
        return "prt" in deps
    if lemma == "call":
        # "a ferry they call the Gull", "a firm called Harbour Works": a name given to the noun
        # the clause hangs on, not "Jo Ortiz, who called for a vote".
        return verb.dep_ == "acl" or (
            verb.dep_ == "relcl"
            and bool(deps & {"dobj", "oprd"})
            and not any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in verb.children)
        )
    if lemma in STATUS_LEMMAS:
        # "declared a state of emergency", "granted them asylum", "wrote a book": no clause, no report.
        return bool(deps & {"dobj", "dative", "oprd"}) and not deps & CLAUSE_DEPS
    if lemma == "aim":
        return "dobj" in deps
    if lemma == "threaten":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        with_ = any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children)
        person = obj is not None and (obj.pos_ in ("PRON", "PROPN") or obj.ent_type_ == "PERSON")
        return not deps & CLAUSE_DEPS and (with_ or person)
    if lemma in DISPLAY_LEMMAS:
        # "the ferries highlight the festival", "the new resolution allowed ..., revealing how ...".
        if subj is None:
            return False
        if lemma in EXHIBIT_LEMMAS and deps & {"dobj", "dative"} and not deps & CLAUSE_DEPS:
            # "the studio shows the way light works", "he showed no respect": with a noun object
            # only a record shows ("polls show a tight race"); a person or a body exhibits.
            return not _is_record(subj, nouns)
        return not _can_be_source(subj, nouns)
    return False


def _hypothetical(verb: Token) -> bool:
    """True inside a condition or a relative clause: "if you want ...", "those of you who plan ..."."""
    node = verb
    while node.dep_ in ("xcomp", "conj", "ccomp") and node.head is not node:
        node = node.head
    if node.dep_ == "relcl" or any(c.dep_ == "mark" and c.lower_ != "that" for c in node.children):
        # A condition's "if" hangs on its verb even when the parser makes that verb the root.
        return True
    return node.dep_ == "advcl" and any(c.tag_ == "WRB" for c in node.children)


def _open_question(clause: Token) -> bool:
    first = clause.left_edge
    return first.tag_ in ("WRB", "WP", "WDT") or first.lower_ in ("whether", "if")


def _reader(subj: Token) -> bool:
    if subj.lower_ in READER:
        return True
    # "the majority of you": a share of the readers.
    return any(c.dep_ == "prep" and any(g.lower_ in READER for g in c.children) for c in subj.children)


def _marker(verb: Token, subj: Token | None) -> bool:
    """ "Granted, ...", "Needless to say, ...": a cue verb opening its sentence as a linking phrase."""
    doc = verb.doc
    if subj is not None or verb.i + 1 >= len(doc) or doc[verb.i + 1].text != ",":
        return False
    opener = [t for t in doc[verb.sent.start : verb.i] if not (t.is_punct or t.is_space)]
    if not opener:
        return verb.tag_ in ("VBN", "VB")
    return len(opener) <= 2 and any(t.lower_ == "to" and t.dep_ == "aux" for t in opener)


def _is_record(subj: Token, nouns: SourceNouns) -> bool:
    lemma = subj.lemma_.lower()
    return lemma in EVIDENCE_NOUNS or lemma in nouns.records or subj.lower_ in nouns.records


def _can_be_source(subj: Token, nouns: SourceNouns) -> bool:
    # A name counts when the tagger reads it as a person or body ("SUVs" is a proper noun, no source).
    if subj.pos_ == "PRON" or subj.ent_type_ in SOURCE_ENTS:
        return True
    lemma = subj.lemma_.lower()
    sources = nouns.sources
    return lemma in sources or lemma in EVIDENCE_NOUNS or subj.lower_ in sources or lemma.endswith(AGENT_SUFFIXES)
