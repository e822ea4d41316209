"""Credits read from the page's layout rather than a reporting verb.

"PENCE: We will win" (transcript turns, headlines with a name and a colon) and "“…” ― Name"
(a quotation credited after a dash) name their speaker by position, so they get a synthetic
cue span (role ``layout``) on the colon or the dash, which is the claim's own: no cue group holds it.
"""

from bisect import bisect_right

from spacy.tokens import Doc, Span

from newsclaims.components.confidence import confidence
from newsclaims.components.positions import quote_index
from newsclaims.components.relations import DASHES, Relation, content_kind, trim
from newsclaims.doctext import line_breaks, positions_of

NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
NAME_POS = {"PROPN", "NOUN"}
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
    "see",
    "also",
    "more",
    "advertisement",
    "summary",
    "roundup",
    "recap",
    "preview",
    "explainer",
    "factbox",
    "timeline",
    "quiz",
    "podcast",
    "gallery",
    "slideshow",
    "briefing",
    "digest",
}
# A finite verb: what a turn of speech has and a "Name: charges, bond" list entry lacks.
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}


def _layout_cue(doc: Doc, i: int) -> Span:
    return Span(doc, i, i + 1, label="assert")


def _name_run(doc: Doc, start: int, end: int) -> bool:
    """True when tokens [start, end) read as a short name or label: "PENCE", "Sen. Warren", "Poll"."""
    words = [t for t in doc[start:end] if not t.is_punct]
    return (
        0 < len(words) <= 4
        and all(t.is_title or t.is_upper or t.pos_ == "PROPN" for t in words)
        and not any(t.pos_ in ("VERB", "AUX") and not t.is_upper for t in words)
    )


def _label_before_colon(doc: Doc, start: int, colons: set[int]) -> str | None:
    """The capitals label opening a paragraph ("WALLACE" of "WALLACE: ..."), else None; ``colons``: the ":" tokens."""
    while start < len(doc) and (doc[start].is_space or doc[start].is_quote):
        start += 1
    colon = next((i for i in range(start, min(start + 6, len(doc))) if i in colons), None)
    if colon is None or colon == start:
        return None
    words = [t for t in doc[start:colon] if not t.is_punct]
    label = doc[start:colon].text
    # A name is nouns only: "SEE ALSO", "READ MORE" (a verb) or "VIDEO" (a page label) are furniture.
    if not label.isupper() or len(words) > 3 or any(t.lower_ in PAGE_LABELS or t.pos_ not in NAME_POS for t in words):
        return None
    return label


def _next_word(doc: Doc, i: int) -> int:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def colon_speakers(doc: Doc, quotes: list[Span]) -> list[Relation]:
    """ "Name: what they said" — transcript turns and headlines that open with a name and a colon."""
    found = []
    # Paragraph starts: the first token, and every token after a line break.
    breaks = line_breaks(doc)
    starts = [0] + [i + 1 for i in breaks if i < len(doc) - 1]
    # Looked up by index: reading six tokens' text after every line break made a Token object each.
    colons = positions_of(doc, ":")
    labels = [k for k in (_label_before_colon(doc, s, colons) for s in starts) if k is not None]
    # A capitals label names a speaker only in a transcript, where several paragraphs open with
    # a name in capitals ("HOST: ...", "ORTIZ: ..."); alone on a page it is furniture ("SEE ALSO:").
    transcript = len(labels) > 1
    headline = next((t.i for t in doc if not (t.is_space or t.is_quote)), 0)
    # Words written somewhere other than before a colon: a speaker's name recurs in the prose
    # ("Ortiz: ..." and "said Ortiz"); a section label ("New Price Drop: ...") only heads lines.
    prose: set[str] | None = None  # built on first need: most documents have no candidate label
    for start in starts:
        while start < len(doc) and (doc[start].is_space or doc[start].is_quote):
            start += 1
        stop = min(start + 6, len(doc))
        colon = next((i for i in range(start, stop) if i in colons), None)
        if colon is None or colon == start or not _name_run(doc, start, colon):
            continue
        head = doc[colon - 1]
        quoted = quote_index(quotes).starts_at(_next_word(doc, colon + 1))
        # A person or body ("Pence:", "WALLACE:", "Ortiz: “...”"), not a page label ("Correction:", "UPDATE:").
        label = doc[start:colon].text
        if head.lower_ in PAGE_LABELS:
            continue
        if label.isupper():
            # Capitals: a transcript turn, else page furniture.
            if not transcript or label not in labels:
                continue
        elif not (
            (head.ent_type_ in NAME_ENTS and head.text in (prose := prose if prose is not None else _in_prose(doc)))
            or (quoted and head.pos_ == "PROPN")
            # The headline's "Name: what they said" ("Lynch: No outside influence ...", "Poll: ...").
            or (start == headline and head.pos_ in ("PROPN", "NOUN"))
        ):
            continue
        after = bisect_right(breaks, colon)
        para_end = breaks[after] if after < len(breaks) else len(doc)
        content = trim(doc, colon + 1, para_end)
        if content[1] - content[0] < 3:
            continue
        if not (label.isupper() or quoted or start == headline) and not any(
            t.tag_ in FINITE_TAGS for t in doc[content[0] : content[1]]
        ):
            # "Jo Ortiz: Possession of a stolen boat, held on $5,000 bond": a list entry, not a turn.
            continue
        found.append(
            Relation(
                content,
                content_kind(quotes, *content),
                _layout_cue(doc, colon),
                ":",
                (start, colon),
                head.i,
                confidence("colon_speaker", speaker=True),
                "colon_speaker",
            )
        )
    return found


def dash_credits(doc: Doc, quotes: list[Span]) -> list[Relation]:
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
            Relation(
                (q.start, q.end),
                "direct",
                _layout_cue(doc, i),
                "credit",
                (j, end),
                end - 1,
                confidence("dash_credit", speaker=True),
                "dash_credit",
            )
        )
    return found


def _in_prose(doc: Doc) -> set[str]:
    """The words of ``doc`` that appear somewhere not right before a colon (from the orth array)."""
    from spacy.attrs import ORTH

    orths = doc.to_array(ORTH)
    keep = orths[1:] != doc.vocab.strings[":"]  # the next token is no colon
    strings = doc.vocab.strings
    return {strings[o] for o in set(orths[:-1][keep].tolist()) | set(orths[-1:].tolist())}
