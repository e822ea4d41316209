"""Find figures in a parsed Doc and read their value, unit, range, qualifier and change.

The text is scanned with regular expressions built from the rules (spaCy's tokens cut "£723m"
and "5bn" inconsistently); the Doc's tokens, tags and entities then reject what is a year, a
date, a time, an identifier, a phone number, an age or list numbering. Offsets are characters.
The kind of a figure is decided here (``_Scanner._after`` and ``read``) and only here: it travels
in the ``FigureRecord`` and the span label, so assembly never guesses it again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from newsclaims.doctext import doc_text, token_offsets
from newsclaims.figures.amounts import Amount, read_amount
from newsclaims.figures.lexicon import DIGITS, FigureLexicon
from newsclaims.spans import FIGURES, RECORDS, FigureRecord

if TYPE_CHECKING:
    from newsclaims.models import FigureKind
    from newsclaims.rules import FigureRules


@dataclass(frozen=True)
class Reading:
    """One figure as found: extent (characters, qualifier included) and normalised value."""

    start: int
    end: int
    kind: FigureKind
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str = "="
    change: str | None = None
    token_end: int = -1  # end of the token-aligned span; past ``end`` only for a glued "." ("£15m.")
    first_token: int = -1  # the token-aligned span as token indices, so the component need not align again
    last_token: int = -1  # exclusive

    def record(self) -> FigureRecord:
        """The reading as the ``FigureRecord`` aligned with its span in ``doc.spans[FIGURES]``."""
        return FigureRecord(
            start=self.start, end=self.end, kind=self.kind, value=self.value, low=self.low, high=self.high,
            unit=self.unit, qualifier=self.qualifier, change=self.change,
        )


_PHONE_RE = re.compile(
    r"\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,5}){1,4}"
    r"|\(\d{3,5}\)\s?\d{3,4}[\s.-]\d{3,4}"
    r"|0(?<![\d,.]0)\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}(?![\d,])"
    r"|\d(?<![\d,.]\d)\d{2}[.-]\d{3}[.-]\d{4}(?![\d,])"
)
# The look-behinds come after the first digit ("not after a digit, comma or period" tested one
# character later): every branch then opens with a literal or a digit, so the regex engine skips
# to candidate characters instead of trying all branches at every position of the text.
_SHORT_PHONE_RE = re.compile(r"\d(?<![\d,.]\d)\d{2}-\d{4}(?![\d,])")
_RANGE_SEP = re.compile(r"[ \t]*[-–—][ \t]*|\s+(?P<word>to|and)\s+", re.IGNORECASE)
_FRACTION = re.compile(r"(?i)(?P<num>[a-z]+)[ \t-]+(?P<den>[a-z]+)")
_BARE_FRACTION = re.compile(r"(?i)(?P<num>)(?P<den>[a-z]+)")
_FRACTION_TAIL = re.compile(r"\s+(?:of|the|its|their|his|her|our|all|those|these|a|an)\b", re.IGNORECASE)
_ONE_IN = re.compile(rf"(?i:one|1)\s+(?i:in|out\s+of)\s+(?P<d>{DIGITS}|[a-z]+)(?![\w])")
_NOT_FRACTION_BEFORE = {"the", "first", "second", "third", "fourth", "last", "next", "this", "that",
                        "each", "every", "latter", "former", "final", "other"}
# "5- to 10-metre", "20- or 30-year": a number left hanging by its hyphen before the compound it shares.
_SUSPENDED = re.compile(r"(?<![\w.,])(?P<n>\d+(?:[.,]\d+)?)-[ \t]+(?:to|or|and)[ \t]+\Z", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"(?i)\b(between|from)\s+\Z")
_ARTICLE = re.compile(r"(?i)an?\s+(?=[a-z])")
_OF_A = re.compile(r"(?:\s+of)?\s+an?(?=\s)", re.IGNORECASE)
_LIST_MARK = re.compile(r"[.)]\s")
_MOTION_PREPS = {"over", "above", "below", "under", "beyond"}
_BARE_ENTS = {"DATE", "TIME", "ORDINAL", "FAC", "ORG", "PRODUCT", "LAW", "EVENT", "WORK_OF_ART",
              "PERSON", "GPE", "LOC"}


def _clean(v: float | None) -> float | None:
    """Round away binary noise ("0.1 * 3"), keeping cents and fractions at full precision (15 digits:
    "a third" is 33.3333333333333, not 33.33)."""
    return None if v is None else float(f"{v:.15g}")


_REFERENCE = re.compile(r"[\d,;\s–-]*")


def _in_reference(text: str, start: int, end: int) -> bool:
    """Whether characters [start, end) lie in brackets holding nothing but numbers: "(4, 5)", "[1]"."""
    left = text.rfind("(", max(0, start - 20), start)
    left = max(left, text.rfind("[", max(0, start - 20), start))
    if left < 0 or not _REFERENCE.fullmatch(text, left + 1, start):
        return False
    close = _REFERENCE.match(text, end).end()
    return text[close : close + 1] in (")", "]") and (text[left] == "(") == (text[close] == ")")


def phone_zones(text: str, lex: FigureLexicon) -> list[tuple[int, int]]:
    """Character ranges that are phone numbers; "555-1234" only after a phone word."""
    zones = [m.span() for m in _PHONE_RE.finditer(text)]
    for m in _SHORT_PHONE_RE.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()].lower().split()
        if any(w.strip(":") in lex.words["phone_words"] for w in before):
            zones.append(m.span())
    return zones


class _Scanner:
    """State for scanning one Doc; ``run`` returns the figures in text order."""

    def __init__(self, doc: Doc, lex: FigureLexicon) -> None:
        self.doc, self.text, self.lex = doc, doc_text(doc), lex
        self.zones = phone_zones(self.text, lex)
        self.starts = token_offsets(doc)[0]  # token start characters, for bisecting

    def run(self) -> list[Reading]:
        found: list[Reading] = []
        consumed = 0
        for m in self.lex.start_re.finditer(self.text):
            if m.start() < consumed:
                continue
            reading = self.read(m.start())
            if reading is None and (art := _ARTICLE.match(m.group())):
                reading = self.read(m.start() + art.end())  # "a four-person race": the article is no "a dozen"
            if reading is not None:
                found.append(reading)
                consumed = reading.end
        return found

    # --- reading ------------------------------------------------------------------------------
    def read(self, pos: int) -> Reading | None:
        text, lex = self.text, self.lex
        fraction = self._fraction(pos)
        first: Amount | None = None
        if fraction is not None:
            start, end, value = fraction
            of = _OF_A.match(text, end)
            scale = lex.scale_word_re.match(text, of.end()) if of is not None else None
            if of is not None and scale is not None and scale.start() == of.end() and scale.group()[:1].isspace():
                # "half a billion", "a fifth of a trillion dollars": the fraction scales the amount
                factor = lex.scale_words[scale.group("w").lower()]
                first = Amount(start, scale.end(), value / 100.0 * factor, value / 100.0, scaled=True, fraction=True)
            elif of is not None and (unit := lex.after_match(text, of.end())) is not None and \
                    unit.group("sp") == " " and lex.after_meaning(unit.group("word")) is not None:
                # "half a mile", "a fifth of a point": the fraction of one unit
                first = Amount(start, of.end(), value / 100.0, value / 100.0, fraction=True)
            else:
                return self._finish(start, end, "percent", value, unit="percent", qualifier="~", bare=False)
        if first is None:
            first = read_amount(text, pos, lex)
        if first is None:
            return None
        kind, unit, factor, end = self._after(first)
        low = high = None
        start = pos
        sep = _RANGE_SEP.match(text, end)
        opener = _RANGE_OPENER.search(text[max(0, pos - 12) : pos])
        if opener is not None and self._change_word_before(pos - len(opener.group(0))):
            sep = None  # "rose from 5% to 7%": two levels, not a range
        word = ((sep.group("word") or "") if sep else "").lower()
        if sep and (word != "and" or (opener is not None and opener.group(1).lower() == "between")):
            second = read_amount(text, sep.end(), lex, after_separator=True)
            rng = None
            if second is not None and (word != "to" or opener is not None or not self._change_word_before(pos)):
                kind2, unit2, factor2, end2 = self._after(second)
                rng = self._range(first, second, kind, unit, factor, kind2, unit2, factor2)
            if rng is not None:
                kind, unit, low, high = rng
                end = end2
                if opener is not None:
                    start = pos - len(opener.group(0))
            elif not word and second is not None and kind == "number" and not first.scaled:
                return None  # "3-1", "2022-23": scores and spans, not ranges
        value = None if low is not None else first.value * factor
        if kind == "number" and first.ambiguous_suffix and low is None:
            kind, unit, value = self._metre_or_million(first, end)
            if kind is None:
                return None
        if kind == "money" and unit is None:
            return None
        if kind == "number" and (first.slash or first.negative == "-"):
            return None  # "3/4", "24/7" and "-5" without a unit: a date, a ratio or a dash, not a figure
        bare = kind == "number" and not first.scaled and low is None
        return self._finish(start, end, kind, value, low, high, unit, bare=bare, amount=first)

    def _after(self, a: Amount) -> tuple[str, str | None, float, int]:
        """Kind, unit, factor and end after the words that follow an amount ("%", "km", "euros")."""
        lex, text = self.lex, self.text
        m = lex.after_match(text, a.end)
        if m and m.group("sp") and lex.glued_only(m.group("word")):
            m = None
        if m and m.group("sp") != "-" and lex.compound_only(m.group("word")) and not (a.fraction and a.value < 1):
            m = None  # "a 12-point lead", "a quarter of a point", but not "at one point"
        meaning = lex.after_meaning(m.group("word")) if m else None
        if meaning is None:
            return ("money" if a.currency else "number"), a.currency, 1.0, a.end
        what, arg = meaning
        end = m.end()
        if what == "point":  # poll points are percentage points; else points of an index or a game
            if self._sentence_has(a.start, "share_context"):
                return "percent", "percentage_point", 1.0, end
            return "quantity", "point", 1.0, end
        if what == "currency" and arg == "GBP" and not a.currency and self._pounds_of_weight(a, m):
            return "quantity", "pound-mass", 1.0, end
        if what in ("percent", "percentage_point"):
            return "percent", what, float(arg), end  # type: ignore[arg-type]
        if what == "currency":
            return "money", str(arg), 1.0, end
        if what == "minor":
            return "money", arg.currency, 1.0 / arg.per_major, end  # type: ignore[attr-defined]
        if a.currency:  # "$5 a litre": money, the unit word is a rate
            return "money", a.currency, 1.0, a.end
        unit = str(arg)
        rate = lex.rate_re.match(text, end)
        if rate and " per " not in unit:
            unit, end = f"{unit} per {lex.rate_of[rate.group('den').lower()]}", rate.end()
        return "quantity", unit, 1.0, end

    def _range(self, a: Amount, b: Amount, kind: str, unit: str | None, factor: float,
               kind2: str, unit2: str | None, factor2: float) -> tuple[str, str | None, float, float] | None:
        """Low/high of "A-B", "A to B", "between A and B": units must agree and A lie below B."""
        if kind == "number":  # "10-15%", "5,000-7,000": the second amount's unit serves both
            kind, unit, factor = kind2, unit2, factor2
        elif kind2 == "number":  # "$2-3bn": the first amount's currency serves both
            if kind != "money":
                return None
            factor2 = factor
        elif (kind, unit) != (kind2, unit2):
            return None
        low = a.value
        if not a.scaled and b.scaled and b.raw and a.value <= b.raw:
            low = a.value * (b.value / b.raw)  # "2 to 3 million", "$2-3bn": the scale serves both
        low, high = _clean(low * factor), _clean(b.value * factor2)
        if not low < high:  # type: ignore[operator]
            return None
        return kind, unit, low, high  # type: ignore[return-value]

    def _change_word_before(self, pos: int) -> bool:
        """Whether a change verb ("rose", "fell by") ends right before character ``pos``."""
        i = bisect_left(self.starts, pos) - 1
        if i >= 0 and self.doc[i].lower_ == "by":
            i -= 1
        return i >= 0 and self.doc[i].lemma_.lower() in self.lex.change_of

    def _fraction(self, pos: int) -> tuple[int, int, float] | None:
        """ "a third of", "two-thirds of", "half the", "one in five": share as percent."""
        text, lex = self.text, self.lex
        if not (text[pos].isalpha() or text[pos] == "1"):
            return None  # every form below starts with a letter, except "1 in 5"
        before = text[max(0, pos - 12) : pos].split()
        if before and before[-1].lower() in _NOT_FRACTION_BEFORE:
            return None
        one_in = _ONE_IN.match(text, pos)
        if one_in:
            d = one_in.group("d")
            den = float(d.replace(",", "")) if d[0].isdigit() else lex.number_words.get(d.lower())
            if den and den > 1:
                return pos, one_in.end(), 100.0 / den
        m = _FRACTION.match(text, pos)
        if m is None or m.group("den").lower() not in lex.fraction_words:
            m = _BARE_FRACTION.match(text, pos)
        if not m or m.group("den").lower() not in lex.fraction_words:
            return None
        num_word = (m.group("num") or "").lower()
        num = 1 if num_word in ("a", "an", "one") else lex.number_words.get(num_word)
        if num is None and (num_word or m.group("den").lower() != "half"):
            return None
        qualified = self.lex.qualifier_re.search(text, max(0, pos - 40), pos) is not None
        post = self.lex.postfix_re.match(text, m.end())  # "two-thirds or more of"
        tail_at = post.end() if post is not None and post.group("q") else m.end()
        by = [w.lower() for w in before[-2:]]
        by = bool(by) and (by[-1] == "by" or (qualified and by[0] == "by"))
        if not _FRACTION_TAIL.match(text, tail_at) and not by and not (qualified and not num_word):
            # "a third of", "half the", "cut by (about) a fifth", "more than half"; not "a third" alone
            return None
        tail = text[m.end() : m.end() + 30].lower().split()
        if tail[:1] == ["of"]:
            tail = tail[1:]
        if len(tail) > 1 and tail[0] in ("a", "an") and tail[1].strip(".,") in lex.words["time_units"]:
            return None  # "a quarter of a century", "half a decade": a duration
        return pos, m.end(), 100.0 * (num or 1) / lex.fraction_words[m.group("den").lower()]

    def _metre_or_million(self, a: Amount, end: int) -> tuple[str | None, str | None, float | None]:
        """A bare "5m": millions before a plural noun, metres before "high" or a singular noun."""
        nxt = self._token_after(end)
        if a.ambiguous_suffix in ("b", "B", "T"):
            return None, None, None
        if a.ambiguous_suffix in ("m", "M") and nxt is not None:
            word = nxt.lower_
            if nxt.text == "-" and nxt.i + 1 < len(self.doc):
                word = self.doc[nxt.i + 1].lower_
            if word in self.lex.words["dimension_words"] or (nxt.tag_ == "NN" and word not in ("of", "in")):
                return "quantity", "metre", a.value / 1e6
        return "number", None, a.value

    # --- context ------------------------------------------------------------------------------
    def _sentence_has(self, pos: int, word_class: str) -> bool:
        """Whether the sentence holding character ``pos`` has a word of ``word_class`` (lower case or lemma)."""
        tok = self._token_after(pos)
        if tok is None:
            return False
        words = self.lex.words[word_class]
        return any(t.lower_ in words or t.lemma_.lower() in words for t in tok.sent)

    def _pounds_of_weight(self, a: Amount, m: re.Match[str]) -> bool:
        """ "pounds" of weight, not sterling: "a 200-pound man", "200 pounds of heroin", "weighs 200 pounds"."""
        if m.group("sp") == "-":
            return True
        nxt = self._token_after(m.end())
        if not a.scaled and nxt is not None and nxt.lower_ == "of" and nxt.i + 1 < len(self.doc):
            return True
        return self._sentence_has(a.start, "weight_context")

    def _token_after(self, end: int) -> Token | None:
        i = bisect_left(self.starts, end)
        return self.doc[i] if i < len(self.doc) else None

    def _finish(self, start: int, end: int, kind: str, value: float | None, low: float | None = None,
                high: float | None = None, unit: str | None = None, qualifier: str = "=", *, bare: bool,
                amount: Amount | None = None) -> Reading | None:
        text = self.text
        if self.zones and any(s < end and start < e for s, e in self.zones):
            return None
        q = self.lex.qualifier_re.search(text, max(0, start - 40), start)
        # "fell below $60,000", "rose above 5%": the level crossed, not a bound on the amount
        if q and q.group("q").lower() in _MOTION_PREPS and self._change_word_before(q.start()):
            q = None
        word = " ".join(q.group("q").lower().split()) if q else ""
        # A bound applies to a range too ("at least 25 to 30"); "some"/"about" on a range says nothing.
        if q and (low is None or self.lex.qualifier_of[word] != "~"):
            start, qualifier = q.start(), self.lex.qualifier_of[word]
        post = self.lex.postfix_re.match(text, end)
        if post is not None:  # "300 or more", "100,000-plus"; a prefix ("about ... or more") wins
            word = "plus" if post.group("plus") else " ".join(post.group("q").lower().split())
            end, qualifier = post.end(), qualifier if qualifier != "=" else self.lex.postfix_of[word]
        span = self.doc.char_span(start, end, alignment_mode="expand")
        # A figure glued to a sentence-final period ("£15m.") shares a token with it: the
        # span takes the whole token, the figure stops before the period.
        if span is None or span.start_char != start or span.end_char not in (end, end + (text[end : end + 1] == ".")):
            return None  # glued into a longer token: "Covid-19", "G7", "mid-2023"
        if amount is not None and amount.spelled and span.start > 0 and span.start_char == amount.start and \
                self.doc[span.start - 1].lower_ in self.lex.words["vague_magnitude_words"]:
            return None  # "several hundred calories", "a few thousand": a magnitude, not an amount
        if amount is not None and kind == "number" and self._not_a_figure(span, amount, bare, low, high):
            return None
        if qualifier == "=":
            qualifier = self._verb_qualifier(span)
        suspended = _SUSPENDED.search(text, max(0, start - 24), start) if low is None and value is not None else None
        if suspended is not None and "-" in text[start:end] and unit is not None:
            # "a 5- to 10-metre buffer": the first number borrows the second's unit.
            first = float(suspended.group("n").replace(",", ""))
            if first < value:
                span = self.doc.char_span(suspended.start(), end, alignment_mode="expand") or span
                start, low, high, value = suspended.start(), first, value, None
        change = self._change(span)
        return Reading(start, end, kind, _clean(value), low, high, unit, qualifier, change, span.end_char,
                       span.start, span.end)

    def _verb_qualifier(self, span: Span) -> str:
        """ ">" for the object of a verb of going past ("topped 300,000 units"), else "="."""
        tok = span.root
        while tok.dep_ in ("nummod", "quantmod", "compound", "amod") and tok.head is not tok:
            tok = tok.head
        head = tok.head
        if tok.dep_ == "dobj" and head.pos_ == "VERB":
            return self.lex.verb_qualifier_of.get(head.lemma_.lower(), "=")
        return "="

    def _mislabelled_date(self, span: Span, digits: str) -> bool:
        """A decimal the model tagged DATE though its entity holds no date word ("closed at 4,512.3 on Friday")."""
        if "." not in digits or not all(t.ent_type_ in ("DATE", "") for t in span):
            return False
        ent = next((e for e in span.doc.ents if e.start <= span.start < e.end), None)
        if ent is None:
            return False
        months = self.lex.words["month_names"]
        return all(t.like_num or t.is_punct or t.is_space for t in ent) and not any(t.lower_ in months for t in ent)

    def _not_a_figure(self, span: Span, a: Amount, bare: bool, low: float | None, high: float | None) -> bool:
        """Years, dates, times, ages, identifiers, list numbers, streets: plain numbers that are no figure."""
        doc, words = self.doc, self.lex.words
        nxt = doc[span.end] if span.end < len(doc) else None
        after_hyphen = doc[span.end + 1] if nxt is not None and nxt.text == "-" and span.end + 1 < len(doc) else nxt
        prev = doc[span.start - 1] if span.start > 0 else None
        prev_word = prev.lower_ if prev is not None else ""
        if prev_word == "." and span.start > 1:  # "No. 10" is tokenised "No", ".", "10"
            prev_word = doc[span.start - 2].lower_ + "."
        counted = nxt is not None and nxt.lower_ in words["counted_nouns"]
        if after_hyphen is not None and after_hyphen.lower_ in words["time_units"]:
            return True
        if nxt is not None and (nxt.lower_ in words["clock_words"] or nxt.lower_ in words["month_names"]):
            return True
        if prev is not None and prev.lower_.strip(".") in words["month_names"]:
            return True
        if a.spelled and not a.scaled:
            return not self._spelled_count(span, a, counted)
        if not bare and low is None:
            return False
        values = [v for v in (a.value, low, high) if v is not None]
        digits = a.digits
        if any(v.is_integer() and 1000 <= v <= 2199 for v in values) and "," not in digits and not counted:
            return True  # years and year spans
        if digits.startswith("0") and len(digits) > 1 and "." not in digits:
            return True
        if low is not None:
            return False
        if not counted and any(t.ent_type_ in _BARE_ENTS for t in span) and not self._mislabelled_date(span, digits):
            return True
        if prev_word in words["identifier_words"] or prev_word == "#":
            return True
        if prev is not None and prev.pos_ == "PROPN" and not prev.is_lower and "," not in digits:
            return True  # "Boeing 737", "Apollo 11", "Article 5"
        text = self.text
        line_start = text.rfind("\n", 0, span.start_char) + 1
        if not text[line_start : span.start_char].strip() and _LIST_MARK.match(text, span.end_char):
            return True  # list numbering "1." / "2)"
        if _in_reference(text, span.start_char, span.end_char):
            return True  # "(3)", "(4, 5)", "[1]": a reference, not an amount
        if nxt is not None and nxt.is_title:
            for t in doc[span.end : span.end + 4]:
                if t.lower_.strip(".") in words["street_words"]:
                    return True
                if not (t.is_title or t.is_upper):
                    break
        # an age after a name: "Jane Doe, 45,"
        return (prev is not None and prev.text == "," and span.start > 1 and doc[span.start - 2].pos_ == "PROPN"
                and nxt is not None and nxt.text in (",", ")") and a.value < 120)

    def _spelled_count(self, span: Span, a: Amount, counted: bool) -> bool:
        """Whether a spelled number below 100 counts something, from the parse (see
        ``count_stress_words`` in ``rules/figures.yaml`` for the rule and its exclusions)."""
        doc, words = self.doc, self.lex.words
        tok = span[-1]  # the last word of the number: "five" in "twenty-five"
        first = self.doc.char_span(a.start, a.end, alignment_mode="expand")
        prev = doc[first.start - 1] if first is not None and first.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        # "at least one" stresses a count; "about one thing" is a preposition before a pronoun
        phrase = " ".join(self.text[span.start_char : a.start].lower().split())
        qualified = bool(phrase) and self.lex.qualifier_of.get(phrase, "~") != "~"
        if a.value == 1 and not qualified and (prev is None or prev.lower_ not in words["count_stress_words"]):
            return False  # "one thing", "at one point": a pronoun or "a certain", not a count
        if a.value == 2 and prev is not None and (prev.lower_ in words["pair_determiners"] or prev.tag_ == "PRP$"):
            return False  # "the two leaders", "our two countries": a pair referred back to
        if nxt is None:
            return False
        if nxt.lower_ == "of":
            after = doc[span.end + 1 : span.end + 4]
            if any(t.tag_ in ("JJS", "RBS") for t in after):
                return False  # "one of the most", "two of the best"
            obj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
            return obj is not None and (obj.tag_ in ("NNS", "NNPS") or obj.lower_ in ("them", "us", "those", "these"))
        if nxt.text in ("-", "–") and span.end + 1 < len(doc):
            # a counting compound: "a three-person race", "a ten-part series", "a four-game streak";
            # "one-" compounds ("a one-time", "a one-game suspension") are kinds, not counts
            word = doc[span.end + 1]
            return a.value != 1 and word.tag_ == "NN" and word.lower_ not in words["time_units"] and \
                word.lower_ not in words["magnitude_nouns"]  # "a six-figure sum"
        if counted or nxt.lower_ == "times":  # "four times", "about six times the amount"
            return True
        head = tok.head if tok.dep_ in ("nummod", "compound", "quantmod") and tok.head.i > tok.i else nxt
        # "six former and current staff", "ten swing states": the parser may hang the number on
        # a modifier; the counted noun is where the modifiers lead.
        while head.dep_ in ("amod", "compound", "nmod", "nummod") and head.head.i > head.i and head.pos_ != "NOUN":
            head = head.head
        if head.dep_ == "compound" and head.head.i > head.i:
            head = head.head
        if head.lower_ in words["time_units"] or head.lower_ in words["magnitude_nouns"]:
            return False  # "four weeks"; "six figures", "double digits": the size of a number
        # a stressed "one" counts its singular noun: "only one poll", "at least one source"
        return head.tag_ in ("NNS", "NNPS") or (a.value == 1 and head.tag_ == "NN")

    def _change(self, span: Span) -> str | None:
        """Increase/decrease when the figure is the size of a change ("fell 12%", "a 5% rise")."""
        doc, change_of = self.doc, self.lex.change_of
        i = span.start - 1
        if i >= 0 and doc[i].lower_ == "by":
            i -= 1
        if i >= 0:
            t = doc[i]
            is_verb = t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in change_of
            if t.lower_ in ("up", "down", "higher", "lower") or is_verb:
                return change_of.get(t.lower_) or change_of.get(t.lemma_.lower())
        if span.end < len(doc):
            t = doc[span.end]
            if t.pos_ in ("NOUN", "ADJ", "ADV") and (t.lemma_.lower() in change_of or t.lower_ in change_of):
                return change_of.get(t.lemma_.lower()) or change_of.get(t.lower_)
        return None


def scan_figures(doc: Doc, lex: FigureLexicon) -> list[Reading]:
    """Every figure of ``doc`` in text order; offsets are characters into ``doc.text``."""
    return _Scanner(doc, lex).run()


def write_group(doc: Doc, readings: list[Reading], spans_key: str = FIGURES) -> None:
    """Store ``readings`` as the span group ``spans_key``: one span labelled by kind and one record each."""
    spans, records = [], []
    for r in readings:
        # Spans and records are built in one step: a reading without a valid token extent is
        # dropped whole, so the i-th record always belongs to the i-th span.
        if not 0 <= r.first_token < r.last_token <= len(doc):
            continue
        spans.append(Span(doc, r.first_token, r.last_token, label=r.kind))
        records.append(r.record())
    doc.spans[spans_key] = spans
    doc.spans[spans_key].attrs[RECORDS] = records


def scan_doc(doc: Doc, rules: FigureRules | FigureLexicon, spans_key: str = FIGURES) -> Doc:
    """Write the figures group on a Doc from any pipeline that has a parser and NER, without the component.

    Pass a ``FigureLexicon`` when scanning many Docs: building one from ``FigureRules`` compiles
    every pattern.
    """
    lex = rules if isinstance(rules, FigureLexicon) else FigureLexicon(rules)
    write_group(doc, scan_figures(doc, lex), spans_key)
    return doc
