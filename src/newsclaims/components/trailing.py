"""Which trailing credits are credits: ", a senior official told reporters." against ", she felt for me."

A "trailing" claim is the clause before a comma, credited to a speaker and cue the parser hung
elsewhere. On PolNeAR train most such shapes are no report at all (a fronted phrase before the
subject: "As an immigrant, she felt for me."; an aspect verb: "hiring continues to buck ..."). The
ones that are reports have three marks together: the clause before the comma is a full clause (a
finite verb), the cue reports speech (not a belief, an intention or an estimate) in a finite verb
whose subject, right after the comma, can be a source (not "the borrowing continued"), and after
the cue stand at most a few adjunct words (who was told, where, how: "told reporters on condition
of anonymity", "posted on Facebook"), never an infinitive or particle continuing the verb; and
the comma before the speaker closes the reported clause, not an adverbial of the cue's own clause
("when, in fact, he responded quickly").

Two shapes are no claim at all (``not_a_report``): the clause before the comma is subordinate to
the cue's own clause ("Though many remain peaceful, a minority have responded with violence": a
concession, not what was said; "Asked about the vote, she said yes": a participle phrase), or the
cue's clause is the subordinate one ("… about Brexit, when, in fact, he responded quickly": the
speaker's verb is an adverbial of the sentence before it).
"""

from spacy.tokens import Doc, Span, Token

from newsclaims.components.colon_intro import is_source
from newsclaims.components.cues import THOUGHT_CATEGORIES
from newsclaims.components.senses import SenseWords

FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
# Dependencies after the cue that continue the verb phrase ("continues to buck", "showing up").
CONTINUING_DEPS = {"xcomp", "prt", "acomp", "oprd", "ccomp", "dobj", "attr"}
MAX_AFTER_WORDS = 5
# Adverbials of the cue's own clause before its subject: the comma before the speaker then ends them.
FRONTED_DEPS = {"advmod", "prep", "mark", "npadvmod"}


# Subordinators that open an adverbial clause ("Though ...", "When ...") rather than a report.
SUBORDINATORS = {
    "though", "although", "because", "when", "whenever", "if", "unless", "while", "whereas",
    "since", "after", "before", "until", "once", "as",
}


def not_a_report(doc: Doc, verb: Token, content: tuple[int, int], speaker: tuple[int, int]) -> bool:
    """True when a trailing clause and its cue are an adverbial and its main clause (see the module docstring)."""
    first = doc[content[0]]
    if first.lower_ in SUBORDINATORS and first.dep_ in ("mark", "advmod") and first.head.i < speaker[0]:
        return True
    if first.tag_ in ("VBN", "VBG") and first.dep_ == "advcl" and first.head == verb:
        return True  # "Asked about the vote, she said yes": a participle phrase of the cue's own clause
    return any(c.i < speaker[0] and c.dep_ in ("mark", "advmod") and c.lower_ in SUBORDINATORS for c in verb.children)


def reporting_credit(
    doc: Doc,
    verb: Token,
    cue: Span,
    content: tuple[int, int],
    speaker: tuple[int, int],
    subj: Token,
    sources: SenseWords,
) -> bool:
    """True when a trailing claim has the shape of a sentence-final credit (see the module docstring)."""
    if cue.label_ in THOUGHT_CATEGORIES:
        return False
    modal = verb.tag_ == "VB" and any(c.tag_ == "MD" for c in verb.children)
    if verb.tag_ not in FINITE_TAGS and not modal:
        return False  # "..., libertarians, to counter", "..., applauding along": no subject's report
    if speaker[0] == 0 or doc[speaker[0] - 1].text != "," or not is_source(subj, sources):
        return False
    if any(c.i < speaker[0] and c.dep_ in FRONTED_DEPS for c in verb.children):
        return False  # "..., when, in fact, he responded quickly": the comma closes the verb's own adverbial
    if not any(t.tag_ in FINITE_TAGS for t in doc[content[0] : content[1]]):
        return False
    sent = verb.sent
    after = [t for t in doc[cue.end : sent.end] if not (t.is_punct or t.is_space or t.is_quote)]
    if len(after) > MAX_AFTER_WORDS:
        return False
    return not any(t.head == verb and t.dep_ in CONTINUING_DEPS for t in after)
