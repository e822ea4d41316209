"""Figure rules compiled for matching, and the parsing of one amount of text into a number.

``FigureLexicon`` turns ``rules/figures.yaml`` into lookup tables and regular expressions;
``read_amount`` reads one amount ("$900m", "two million", "1.5 bn", "€ 3") at a character
position. Pure functions over strings: no spaCy here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from newsclaims.rules import FigureRules

# Digits with thousands separators or a decimal part; the look-behind keeps "Covid-19", "G7",
# "10:30", "3/4" and "1.5.2" from yielding a number.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
DIGITS = rf"(?<![\w.,:/\-–]){NUMBER}"
_END = r"(?![\w])"
_CONTINUED = re.compile(r"[.,:/]\d")  # "10:30", "3/4", "1.2.3": part of a longer token


@dataclass(frozen=True)
class Amount:
    """One number as written: its value after scaling, the currency written with it, and its extent."""

    start: int
    end: int
    value: float
    raw: float = 0.0  # the number before any scale
    currency: str | None = None
    scaled: bool = False  # a scale suffix or word was applied ("m", "million")
    spelled: bool = False  # written in words ("two million")
    digits: str = ""  # the digits as written, for year and identifier tests
    ambiguous_suffix: str | None = None  # "m"/"k" read as a scale without a currency


def _alternation(forms: list[str], *, ignore_case: bool) -> str:
    """Regex alternation, longest first, whitespace-tolerant; optionally case-insensitive per form."""
    parts = []
    for form in sorted(set(forms), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in form.split())
        parts.append(f"(?i:{body})" if ignore_case else body)
    return "|".join(parts) or r"(?!x)x"


def _trie(forms: list[str], *, ignore_case: bool) -> str:
    """The same language as ``_alternation``, written as a character trie.

    Python's ``re`` tries an alternation's branches one by one at every position, but skips a
    branch at once when its first character (a literal or a class) does not match: a trie keeps
    the scan of a whole article over about a hundred number words to one test per position.
    """
    root: dict[str, dict] = {}
    for form in set(forms):
        node = root
        for i, word in enumerate(form.split()):
            if i:
                node = node.setdefault(" ", {})
            for ch in word:
                node = node.setdefault(ch, {})
        if node is not root:
            node[""] = {}
    return _trie_node(root, ignore_case) or r"(?!x)x"


def _trie_node(node: dict[str, dict], ignore_case: bool) -> str:
    branches = []
    for unit, child in sorted(node.items()):
        if not unit:
            continue
        if unit == " ":
            head = r"\s+"
        elif ignore_case and unit.lower() != unit.upper() and len(unit.lower()) == len(unit.upper()) == 1:
            head = f"[{re.escape(unit.lower())}{re.escape(unit.upper())}]"
        else:
            head = re.escape(unit)
        branches.append(head + _trie_node(child, ignore_case))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # Greedy "?": the longer form is tried first, as in the longest-first alternation.
    return f"(?:{body})?" if "" in node else body


def _is_case_sensitive(form: str) -> bool:
    # Short or capitalised abbreviations ("MW", "C", "m") differ from words only by case.
    return form != form.lower() or len(form) <= 2


class FigureLexicon:
    """Lookup tables and regular expressions built once from a ``FigureRules``."""

    def __init__(self, rules: FigureRules) -> None:
        self.rules = rules
        prefix = {**rules.currency_symbols, **rules.default_currency}
        prefix.update({c: c for c in rules.currency_codes})
        prefix.update(rules.currency_code_aliases)
        self.currency_prefix = prefix
        self.scale_suffix = rules.scale_suffixes
        self.ambiguous_suffixes = set(rules.ambiguous_suffixes)
        self.scale_words = {k.lower(): v for k, v in rules.scale_words.items()}
        self.number_words = {k.lower(): v for k, v in rules.number_words.items()}
        self.fraction_words = {k.lower(): v for k, v in rules.fraction_words.items()}
        self.qualifier_of = {p.lower(): q for q, phrases in rules.qualifiers.items() for p in phrases}
        self.change_of = {w.lower(): c for c, words in rules.changes.items() for w in words}
        self.words = {
            name: {w.lower() for w in getattr(rules, name)}
            for name in ("counted_nouns", "time_units", "clock_words", "month_names", "identifier_words",
                         "street_words", "dimension_words", "phone_words")
        }
        self._after_exact: dict[str, tuple[str, object]] = {}
        self._after_lower: dict[str, tuple[str, object]] = {}
        self._glued_only = set(rules.glued_only_forms)
        for form in rules.percent_words:
            self._add_after(form, ("percent", 1.0))
        for form in rules.percentage_point_words:
            self._add_after(form, ("percentage_point", 1.0))
        for form in rules.basis_point_words:
            self._add_after(form, ("percentage_point", 0.01))
        for name, forms in rules.units.items():
            for form in forms:
                self._add_after(form, ("unit", name))
        for word, code in rules.currency_words.items():
            self._add_after(word, ("currency", code), exact=False)
        for code in rules.currency_codes:
            self._add_after(code, ("currency", code), exact=True)
        for alias, code in rules.currency_code_aliases.items():
            self._add_after(alias, ("currency", code), exact=True)
        for word, minor in rules.minor_units.items():
            self._add_after(word, ("minor", minor), exact=False)
            if minor.glued_only:
                self._glued_only.add(word)
        self.rate_of = {f.lower(): name for name, forms in rules.rate_denominators.items() for f in forms}
        # Compile every pattern now (add_rules time), not on the first article.
        for name in ("after_re", "rate_re", "prefix_re", "start_re", "suffix_re", "scale_word_re", "qualifier_re"):
            getattr(self, name)

    def _add_after(self, form: str, meaning: tuple[str, object], exact: bool | None = None) -> None:
        key = " ".join(form.split())
        if exact if exact is not None else _is_case_sensitive(form):
            self._after_exact[key] = meaning
        else:
            self._after_lower[key.lower()] = meaning

    def after_meaning(self, surface: str) -> tuple[str, object] | None:
        """What a word written after an amount means: ("percent"|"percentage_point", factor),
        ("unit", name), ("currency", ISO), ("minor", MinorUnit); None if nothing."""
        key = " ".join(surface.split())
        return self._after_exact.get(key) or self._after_lower.get(key.lower())

    def glued_only(self, surface: str) -> bool:
        return surface in self._glued_only

    @cached_property
    def after_re(self) -> re.Pattern[str]:
        exact = _alternation(list(self._after_exact), ignore_case=False)
        lower = _alternation(list(self._after_lower), ignore_case=True)
        # Longest first across both tables, so "percentage points" wins over "p".
        alts = sorted([*exact.split("|"), *lower.split("|")], key=len, reverse=True)
        return re.compile(rf"(?P<sp>[ \t]?)(?P<word>{'|'.join(alts)})(?![\w])")

    @cached_property
    def rate_re(self) -> re.Pattern[str]:
        denoms = _alternation(list(self.rate_of), ignore_case=True)
        return re.compile(rf"(?:\s+(?i:per|an?)\s+|/)(?P<den>{denoms})(?![\w])")

    @cached_property
    def prefix_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<cur>{_alternation(list(self.currency_prefix), ignore_case=False)})[ \t]?")

    @cached_property
    def start_re(self) -> re.Pattern[str]:
        """Where an amount may begin: a currency prefix, a digit, or a number or fraction word."""
        cur = _trie(list(self.currency_prefix), ignore_case=False)
        words = _trie([*self.number_words, *self.scale_words, *self.fraction_words], ignore_case=True)
        # One shared "(?<!\w)" first: inside a word (most positions) the scan fails on one test.
        return re.compile(
            rf"(?<!\w)(?:(?<![$£€¥₹])(?:{cur})[ \t]?(?=[\d.])|{DIGITS}|(?<!-)(?:[aA][nN]?\s+)?(?:{words})(?![\w]))"
        )

    @cached_property
    def suffix_re(self) -> re.Pattern[str]:
        glued = _alternation(list(self.scale_suffix), ignore_case=False)
        spaced = _alternation([s for s in self.scale_suffix if len(s) > 1], ignore_case=False)
        return re.compile(rf"(?:(?P<glued>{glued})|[ \t](?P<spaced>{spaced}))(?![\w²³/])")

    @cached_property
    def scale_word_re(self) -> re.Pattern[str]:
        return re.compile(rf"\s+(?P<w>{_alternation(list(self.scale_words), ignore_case=True)})(?![\w])")

    @cached_property
    def qualifier_re(self) -> re.Pattern[str]:
        """A qualifier phrase ending right before an amount (search in the text before it)."""
        return re.compile(rf"(?<![\w])(?P<q>{_alternation(list(self.qualifier_of), ignore_case=True)})\s+\Z")


_DIGITS_RE = re.compile(DIGITS)
_DIGITS_AFTER_SEP_RE = re.compile(NUMBER)  # "7,000" in "5,000-7,000" follows a hyphen
_WORD_RE = re.compile(r"(?P<sep>\s+(?:and\s+)?|-)(?P<w>[A-Za-z]+)")
_FIRST_WORD_RE = re.compile(r"(?:(?P<art>an?)\s+)?(?P<w>[A-Za-z]+)", re.IGNORECASE)


def read_spelled(text: str, pos: int, lex: FigureLexicon) -> tuple[float, int] | None:
    """Read a spelled number ("two million", "twenty-five", "a billion") at ``pos``: (value, end)."""
    m = _FIRST_WORD_RE.match(text, pos)
    if not m:
        return None
    words = [(m.group("w").lower(), m.end())]
    if m.group("art") and words[0][0] not in lex.scale_words and words[0][0] != "dozen":
        return None
    end = m.end()
    while True:
        n = _WORD_RE.match(text, end)
        if not n:
            break
        w, sep = n.group("w").lower(), n.group("sep")
        prev = words[-1][0]
        if w not in lex.number_words and w not in lex.scale_words:
            break
        if "and" in sep and prev not in ("hundred", "thousand"):
            break
        # "five six" is two numbers; "twenty five" and "two hundred" are one.
        small = lex.number_words.get(w, 100) < 10
        if small and lex.number_words.get(prev, 100) < 20:
            break
        words.append((w, n.end()))
        end = n.end()
    total, current, seen = 0.0, 0.0, False
    for w, _ in words:
        if w in lex.number_words:
            current += lex.number_words[w]
            seen = True
        elif w in lex.scale_words:
            scale = lex.scale_words[w]
            if scale < 1000:
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
    return (total + current, end) if seen else None


def read_amount(text: str, pos: int, lex: FigureLexicon, *, after_separator: bool = False) -> Amount | None:
    """Read one amount at ``pos``: optional currency prefix, digits or words, scale suffix and words.

    ``after_separator`` reads the second half of a range ("-7,000"), which may follow a hyphen.
    """
    start, currency = pos, None
    m = lex.prefix_re.match(text, pos)
    if m and (m.end() < len(text)) and (text[m.end()].isdigit() or text[m.end()] == "."):
        currency = lex.currency_prefix[m.group("cur")]
        pos = m.end()
    d = (_DIGITS_AFTER_SEP_RE if after_separator else _DIGITS_RE).match(text, pos)
    spelled = False
    if d:
        value, end, digits = float(d.group().replace(",", "")), d.end(), d.group()
        if _CONTINUED.match(text, end):
            return None
    elif currency is None:
        s = read_spelled(text, pos, lex)
        if s is None:
            return None
        (value, end), digits, spelled = s, "", True
    else:
        return None
    raw = value
    scaled, ambiguous = spelled and value >= 100 and any(
        w in text[pos:end].lower() for w in lex.scale_words
    ), None
    if not spelled:
        sfx = lex.suffix_re.match(text, end)
        if sfx:
            suffix = sfx.group("glued") or sfx.group("spaced")
            if suffix in lex.ambiguous_suffixes and currency is None:
                ambiguous = suffix
            value *= lex.scale_suffix[suffix]
            end, scaled = sfx.end(), True
    while True:
        w = lex.scale_word_re.match(text, end)
        if not w:
            break
        value *= lex.scale_words[w.group("w").lower()]
        end, scaled = w.end(), True
    if text[end : end + 1].isalnum() and not lex.after_re.match(text, end):
        return None  # glued to letters that are no unit: "5G", "3D", "4x4"
    return Amount(start, end, value, raw, currency, scaled, spelled, digits, ambiguous)
