"""How sure a claim is: one table, keyed by the construction (``Relation.rule``) that found the claim.

The values were set by content precision on PolNeAR dev (README, Accuracy) and checked per
construction on PolNeAR train (840 articles, 2026-12-01: ccomp 0.91, complement 0.79, according_to
0.87, parataxis 0.85, passive 0.75, noun 0.84, colon_speaker 0.89, colon 0.73, as_clause 0.75,
impression 0.66, follow_on 0.80, trailing about 0.45, since split into trailing_credit 0.97 on
5 claims and the other trailing shapes 0.39 on 42; colon_intro 0.86 on 21; that_clause 0.82 on 40
in the first 300; credit_before_quote 1.00 on 3; in_record, 2026-12-02, 0.80 on 11; noun_object,
2026-12-02, 0.72 on 153; hearsay, 2026-12-02, 0.50 on 20): each value
is at or below what its claims achieve (trailing_credit and credit_before_quote well below: so few
claims are little evidence). A quotation next to its cue with a parsed speaker is the surest
evidence; a clause found only because it ends at the cue's comma ("trailing") the weakest. The
README's confidence table is generated from this one.
"""

# rule -> (confidence with a speaker, without one); None: the construction needs a speaker.
CONFIDENCE: dict[str, tuple[float, float | None]] = {
    "quote": (0.9, 0.6),  # a quotation beside its cue
    "quote_pair": (0.9, 0.6),  # "“A,” she said, “B.”": quotations on both sides of one cue
    "ccomp_quote": (0.9, 0.6),  # the cue's clause lies inside a quotation
    "ccomp": (0.85, 0.55),  # the cue's clausal complement ("said that ...")
    "colon": (0.7, 0.5),  # the cue, then a colon and what was said
    "according_to": (0.8, 0.8),  # "according to X", the source inside the cue phrase
    "dash_credit": (0.75, None),  # "“...” ― Name"
    "parataxis": (0.75, None),  # "The plan, she said, would fail."
    "colon_speaker": (0.7, None),  # "NAME: what they said" (transcripts, headlines)
    "colon_intro": (0.7, None),  # "The minister put it in three words: “We are ready.”": no speech verb
    "noun": (0.7, 0.45),  # "her claim that ..."
    "complement": (0.75, None),  # a non-clausal object ("called the plan a failure")
    "stance": (0.7, None),  # "The senator was critical of the deal": an attitude adjective's subject and object
    "hearsay": (0.5, 0.5),  # "The port is reportedly building a terminal": a report, its source unstated
    "noun_object": (0.6, None),  # "the mayor's attacks on the board", "the plan drew criticism from unions"
    "credit_before_quote": (0.75, None),  # "Jo Smith said in a statement. “…”": the quotation after a bare credit
    "follow_on": (0.7, None),  # a quotation paragraph continuing the previous paragraph's speaker, no cue
    "as_clause": (0.75, None),  # "As the experts pointed out, the plan is legal": the clause the aside qualifies
    "in_record": (0.7, None),  # "In a CBS poll, she led by 24 points": the clause the record's phrase opens
    "passive": (0.6, 0.55),  # "X was accused of Y", "X is expected to Y": subject and complement
    "impression": (0.6, 0.55),  # "X seems to Y", "it appears that Y": an unsourced impression
    "that_clause": (0.6, None),  # a verb outside the cue list with a "that" clause and a source subject
    "trailing": (0.4, None),  # ", she felt for me.": a clause before a comma, the verb hung elsewhere
    "trailing_credit": (0.6, None),  # ", a senior official told reporters.": speech verb, full clause, adjuncts only
}

# Named adjustments, added to the table's value where the condition holds.
CUE_IN_QUOTE = -0.25  # a verb cue inside a quotation: usually the quoted speaker's own words
OWN_PARTS_CUT = -0.2  # the content swallowed its own cue or speaker and was cut to a piece
UNKNOWN_SPEAKER = -0.1  # a speaker of unknown kind that resolved to nothing
AUTHOR_CAP = 0.3  # first person outside any quotation: the writer's voice, rarely a news claim
FOLLOW_ON_CAP = 0.85  # a claim continued by a following quotation: that quotation is its only by adjacency

# Rules whose base ignores CUE_IN_QUOTE: their evidence is the comma and position, not the cue's clause.
_ABSOLUTE = {"trailing", "trailing_credit"}


def confidence(rule: str, *, speaker: bool, cue_in_quote: bool = False) -> float:
    """The table's confidence for a claim found by ``rule``."""
    with_speaker, without = CONFIDENCE[rule]
    value = with_speaker if speaker or without is None else without
    if cue_in_quote and rule not in _ABSOLUTE:
        value += CUE_IN_QUOTE
    return value


def markdown_table() -> str:
    """The confidence table as README Markdown (a test keeps the README's copy in sync)."""
    rows = ["| construction | with a speaker | without |", "|---|---:|---:|"]
    for rule, (with_speaker, without) in sorted(CONFIDENCE.items(), key=lambda kv: (-kv[1][0], kv[0])):
        rows.append(f"| `{rule}` | {with_speaker:.2f} | {'—' if without is None else f'{without:.2f}'} |")
    adjustments = [
        ("verb cue inside a quotation", CUE_IN_QUOTE),
        ("content cut around its own cue or speaker", OWN_PARTS_CUT),
        ("speaker of unknown kind, unresolved", UNKNOWN_SPEAKER),
    ]
    rows += [f"| *{name}* | {value:+.2f} | {value:+.2f} |" for name, value in adjustments]
    rows.append(f"| *first-person speaker outside a quotation* | at most {AUTHOR_CAP:.2f} | — |")
    rows.append(f"| *continued by a following quotation* | at most {FOLLOW_ON_CAP:.2f} | at most {FOLLOW_ON_CAP:.2f} |")
    return "\n".join(rows)
