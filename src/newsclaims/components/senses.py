"""Sense checks: a reporting verb used in a sense that reports nothing.

"The ferries highlight the festival" (display), "find out how" (discover), "a ferry they call
the Gull" (naming), "declared a state of emergency" (a status), "granted them asylum" (giving),
"wrote a book" (authorship), "offered a discount" (a gift, not words), "reminds me of home"
(likeness), "aimed a rifle" / "threatened him with a knife" (physical senses), "if you want a
quiet weekend" (the generic reader), "makes me want to" (a caused feeling), "Granted, ..." /
"Needless to say, ..." (discourse markers). Each check reads the verb's syntax (its children,
its head, its tag), never the article's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

# Syntax, not vocabulary: the word lists these checks read are rule data (``SenseWords``, from
# rules/speakers.yaml and the ``senses`` block of rules/cues.yaml); the lemma-specific checks below
# ("find out", "remind", "aim", "threaten") test one verb's own syntax each.
CLAUSE_DEPS = {"ccomp", "xcomp", "csubj"}
# Verbs of sight that hold a view only as "see X as Y".
AS_VIEWS = {"see", "view", "regard", "cast", "paint"}
SOURCE_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


@dataclass(frozen=True)
class SenseWords:
    """The word classes the sense checks read (all empty without the rules: then no sense check fires
    on vocabulary, only on syntax).

    sources: lemmas of nouns that can be a source (people, groups, bodies, documents); records: the
    documents alone; evidence: things that can show ("the video shows", "polls show"); reader: the
    second person; suffixes: agent-noun endings of a noun that can speak; display, exhibit, status,
    causative, naming, giving: the verb lemmas of those checks (see ``non_speech``); reading: verbs
    whose "about" phrase is no content; spoken: nouns of what is said, the objects a giving verb reports by.
    """

    sources: frozenset[str] = frozenset()
    records: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()
    reader: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    display: frozenset[str] = frozenset()
    exhibit: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset()
    causative: frozenset[str] = frozenset()
    naming: frozenset[str] = frozenset()
    reading: frozenset[str] = frozenset()
    giving: frozenset[str] = frozenset()
    spoken: frozenset[str] = frozenset()


def non_speech(verb: Token, subj: Token | None, category: str, in_quote: bool, nouns: SenseWords) -> bool:
    """True when ``verb`` (a matched cue) reports nothing in this sentence: no claim should come of it."""
    lemma = verb.lemma_.lower()
    deps = {c.dep_ for c in verb.children}
    if subj is not None and not in_quote and _reader(subj, nouns.reader) and _hypothetical(verb):
        return True
    if (
        verb.tag_ == "VB"
        and verb.dep_ in ("ccomp", "xcomp")
        and verb.head.lemma_.lower() in nouns.causative
        and verb.head.i < verb.i
    ):
        # "makes me want to": a bare infinitive after the causer's object (not "made public ― X boasted").
        return True
    if _marker(verb, subj):
        return True
    if verb.dep_ == "pcomp" and verb.head.lower_ == "without" and verb.head.head.lemma_ == "go":
        # "It goes without saying that ...": the writer's discourse marker, no one's report.
        return True
    if category == "belief" and subj is None and verb.tag_ == "VBG":
        # "essential to understanding why ...", "Knowing that ...": a thought nobody holds.
        return True
    if "neg" in deps and any(c.dep_ == "ccomp" and _open_question(c) for c in verb.children):
        # "did not say when the line will open": a question left open, nothing asserted.
        return True
    if lemma in AS_VIEWS:
        # "voters see him as a liar", "regarded the deal as a mistake", "cast him as an outsider":
        # a view; "saw the film", "viewed the site" are sight, "painted the hull" is paint.
        as_ = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if as_ is None:
            return True
        if lemma == "cast":
            # "cast the actor as the Human Torch" gives a part, "cast their votes" a ballot.
            role = any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in as_.children)
            return role or any(c.dep_ == "dobj" and c.lemma_.lower() in ("vote", "ballot") for c in verb.children)
        return False
    if lemma == "find":
        # "find out how ...": discovering, not concluding ("finds the plan compelling" is a view);
        # "could not find anyone to", "will find the files a goldmine", "to find someone": a search
        # or a guess at a finding not yet made ("did she find it fair" is still a view).
        modal = any(c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ == "to") for c in verb.children)
        return "prt" in deps or (verb.tag_ == "VB" and modal)
    if lemma == "remind" and verb.tag_ in ("VBZ", "VBP") and not deps & CLAUSE_DEPS:
        # "the track reminds us of summer": a likeness the speaker feels, not a reminder given
        # ("she reminded voters of the deadline", "reminds staff that ...").
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        of = any(c.dep_ == "prep" and c.lower_ == "of" for c in verb.children)
        return of and obj is not None and obj.morph.get("Person") == ["1"]
    if lemma in nouns.naming:
        # "a ferry they call the Gull", "a firm called Harbour Works": a name given to the noun
        # the clause hangs on, not "Jo Ortiz, who called for a vote".
        return verb.dep_ == "acl" or (
            verb.dep_ == "relcl"
            and bool(deps & {"dobj", "oprd"})
            and not any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in verb.children)
        )
    if lemma in nouns.status:
        # "declared a state of emergency", "granted them asylum", "wrote a book": no clause, no report.
        # A clause the parse hung before the verb ("The season has begun: the port declared an
        # emergency") is not the verb's.
        after = {c.dep_ for c in verb.children if c.i > verb.i}
        return bool(after & {"dobj", "dative", "oprd"}) and not after & CLAUSE_DEPS
    if lemma in nouns.giving:
        # "offered an assessment of the talks" reports; "offered a discount", "offered him a job" give,
        # and "did not offer an answer" gives nothing.
        if "neg" in deps:
            return True
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj.lemma_.lower() not in nouns.spoken
        # "The airline offered to fly the cat home" is a promise, when someone who can speak makes it.
        promise = "xcomp" in deps and (subj is None or can_be_source(subj, nouns))
        return not promise
    if lemma in ("aim", "seek"):
        # "aimed a rifle", "seeking the nomination", "sought asylum": a thing aimed at or sought, not a
        # stated aim ("sought to calm the markets"; seek with a noun object: 0.24 content precision on
        # 14 PolNeAR train claims).
        return "dobj" in deps
    if lemma == "threaten":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        with_ = any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children)
        person = obj is not None and (obj.pos_ in ("PRON", "PROPN") or obj.ent_type_ == "PERSON")
        return not deps & CLAUSE_DEPS and (with_ or person)
    if lemma in nouns.display:
        # "the ferries highlight the festival", "the new resolution allowed ..., revealing how ...".
        if subj is None:
            return False
        if lemma in nouns.exhibit and deps & {"dobj", "dative"} and not deps & CLAUSE_DEPS:
            # "the studio shows the way light works", "he showed no respect": with a noun object
            # only a record shows ("polls show a tight race"); a person or a body exhibits.
            return not is_record(subj, nouns)
        return not can_be_source(subj, nouns)
    return False


def _hypothetical(verb: Token) -> bool:
    """True inside a condition or a relative clause: "if you want ...", "those of you who plan ..."."""
    node = verb
    while node.dep_ in ("xcomp", "conj", "ccomp") and node.head.i != node.i:
        node = node.head
    if node.dep_ == "relcl" or any(c.dep_ == "mark" and c.lower_ != "that" for c in node.children):
        # A condition's "if" hangs on its verb even when the parser makes that verb the root.
        return True
    return node.dep_ == "advcl" and any(c.tag_ == "WRB" for c in node.children)


def _open_question(clause: Token) -> bool:
    first = clause.left_edge
    return first.tag_ in ("WRB", "WP", "WDT") or first.lower_ in ("whether", "if")


def _reader(subj: Token, reader: frozenset[str]) -> bool:
    if subj.lower_ in reader:
        return True
    # "the majority of you": a share of the readers.
    return any(c.dep_ == "prep" and any(g.lower_ in reader for g in c.children) for c in subj.children)


def _marker(verb: Token, subj: Token | None) -> bool:
    """ "Granted, ...", "Needless to say, ...": a cue verb opening its sentence as a linking phrase."""
    doc = verb.doc
    if subj is not None or verb.i + 1 >= len(doc) or doc[verb.i + 1].text != ",":
        return False
    opener = [t for t in doc[verb.sent.start : verb.i] if not (t.is_punct or t.is_space)]
    if not opener:
        return verb.tag_ in ("VBN", "VB")
    return len(opener) <= 2 and any(t.lower_ == "to" and t.dep_ == "aux" for t in opener)


def is_record(subj: Token, nouns: SenseWords) -> bool:
    """True when ``subj`` is a document or a piece of evidence ("the survey", "the video")."""
    lemma = subj.lemma_.lower()
    return lemma in nouns.evidence or lemma in nouns.records or subj.lower_ in nouns.records


def can_be_source(subj: Token, nouns: SenseWords) -> bool:
    """True when ``subj`` can speak or be read: a pronoun, a name, a source or evidence noun, an agent noun."""
    # A name counts when the tagger reads it as a person or body ("SUVs" is a proper noun, no source).
    if subj.pos_ == "PRON" or subj.ent_type_ in SOURCE_ENTS:
        return True
    lemma = subj.lemma_.lower()
    sources = nouns.sources
    return (
        lemma in sources
        or lemma in nouns.evidence
        or subj.lower_ in sources
        or bool(nouns.suffixes and lemma.endswith(nouns.suffixes))
    )
