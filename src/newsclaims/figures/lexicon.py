"""The figure rules compiled for matching: ``FigureLexicon``, built once from ``rules/figures.yaml``.

Lookup tables (currencies, scales, units, qualifiers, change words, the word classes that tell a
figure from a date) and the regular expressions the scan and ``amounts`` run. A new currency,
unit or qualifier is a word in ``figures.yaml``, not code here. No spaCy.
"""

from __future__ import annotations

import re
from functools import cached_property

from newsclaims.rules import FigureRules

# Digits with thousands separators or a decimal part; the look-behind keeps "Covid-19", "G7",
# "10:30", "3/4" and "1.5.2" from yielding a number.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
DIGITS = rf"(?<![\w.,:/\-–]){NUMBER}"
# A minus sign before digits ("-20C", "−1.5%", "minus 8C"); a hyphen only where it cannot join a
# range or a compound (not after a word character, a digit or punctuation of a number).
SIGN = r"(?:(?<![\w.,:/\-–])[-−](?=\.?\d)|(?<!plus or )(?<!plus/)(?i:minus)[ \t]+(?=\.?\d))"
SIGN_FIRST = "-−mM"  # the characters a SIGN match can begin with
# Spaces between an amount and its unit: no-break, narrow no-break and thin spaces count too.
SPACES = " \t\u00a0\u202f\u2009"
# What may join an amount and the word after it (``after_re``'s "sp"): a space or a hyphen.
_GLUE = frozenset(SPACES + "-")
# At most this many patterns of ``FigureLexicon.after_match`` (one per start, so few in practice).
_AFTER_PATTERNS = 4096
# Vulgar fraction characters ("½ cup", "3½ inches") and their values.
VULGAR = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅖": 2 / 5, "⅗": 3 / 5,
          "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8}
VULGAR_CHARS = "".join(VULGAR)


def _alternation(forms: list[str], *, ignore_case: bool) -> str:
    """Regex alternation, longest first, whitespace-tolerant; optionally case-insensitive per form."""
    return "|".join(branch for branch, _ in _branches(forms, ignore_case=ignore_case)) or r"(?!x)x"


def _branches(forms: list[str], *, ignore_case: bool) -> list[tuple[str, re.Pattern[str] | None]]:
    """The branches of ``_alternation`` in its order, each with a pattern for the one character it
    can begin with (None for an empty form, which begins anywhere)."""
    out: list[tuple[str, re.Pattern[str] | None]] = []
    for form in sorted(set(forms), key=len, reverse=True):
        words = form.split()
        body = r"\s+".join(re.escape(w) for w in words)
        first = re.compile(re.escape(words[0][0]), re.IGNORECASE if ignore_case else 0) if words else None
        out.append((f"(?i:{body})" if ignore_case else body, first))
    return out


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


def _first_chars(forms: list[str], *, ignore_case: bool) -> set[str]:
    """The characters a match of ``_trie(forms, ignore_case=...)`` can begin with."""
    chars = set()
    for form in forms:
        words = form.split()
        if not words:
            continue
        ch = words[0][0]
        # As ``_trie_node`` writes a case-insensitive head: both cases where each is one character.
        if ignore_case and ch.lower() != ch.upper() and len(ch.lower()) == len(ch.upper()) == 1:
            chars |= {ch.lower(), ch.upper()}
        else:
            chars.add(ch)
    return chars


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
                         "street_words", "dimension_words", "phone_words", "count_stress_words",
                         "pair_determiners", "vague_magnitude_words", "magnitude_nouns", "share_context",
                         "weight_context")
        }
        self._after_exact: dict[str, tuple[str, object]] = {}
        self._after_lower: dict[str, tuple[str, object]] = {}
        self._after_by_start: dict[str, re.Pattern[str]] = {}
        self._glued_only = set(rules.glued_only_forms)
        self._compound_only: set[str] = set()
        self.postfix_of = {p.lower(): q for q, phrases in rules.postfix_qualifiers.items() for p in phrases}
        self.verb_qualifier_of = {v.lower(): q for q, verbs in rules.verb_qualifiers.items() for v in verbs}
        for form in rules.percent_words:
            self._add_after(form, ("percent", 1.0))
        for form in rules.percentage_point_words:
            self._add_after(form, ("percentage_point", 1.0))
        for form in rules.point_words:
            self._add_after(form, ("point", 1.0))
        for form in rules.point_compound_words:
            self._add_after(form, ("point", 1.0))
            self._compound_only.add(form)
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
        for name in ("after_re", "rate_re", "prefix_re", "start_re", "suffix_re", "scale_word_re", "qualifier_re",
                     "postfix_re"):
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

    def compound_only(self, surface: str) -> bool:
        """Forms that follow an amount only after a hyphen ("a 12-point lead", never "one point")."""
        return surface.lower() in self._compound_only

    @cached_property
    def postfix_re(self) -> re.Pattern[str]:
        """A qualifier written right after an amount: "300 or more", "100,000-plus"."""
        spaced = _alternation([p for p in self.postfix_of if p != "plus"], ignore_case=True)
        return re.compile(rf"(?:\s+(?P<q>{spaced})|(?P<plus>-plus|\+))(?![\w])")

    @cached_property
    def _after_branches(self) -> list[tuple[str, re.Pattern[str] | None]]:
        exact = _branches(list(self._after_exact), ignore_case=False)
        lower = _branches(list(self._after_lower), ignore_case=True)
        # Longest first across both tables, so "percentage points" wins over "p".
        return sorted([*exact, *lower], key=lambda branch: len(branch[0]), reverse=True)

    @staticmethod
    def _after_pattern(branches: list[str]) -> re.Pattern[str]:
        # "-" joins a compound modifier ("a 45-degree tilt", "a 12-point lead", "million-dollar");
        # no-break and thin spaces are spaces ("5\u00a0percent").
        return re.compile(rf"(?P<sp>[{SPACES}]|-)?(?P<word>{'|'.join(branches) or '(?!x)x'})(?![\w])")

    @cached_property
    def after_re(self) -> re.Pattern[str]:
        """The unit, percent or currency word written right after an amount (see ``after_match``)."""
        return self._after_pattern([branch for branch, _ in self._after_branches])

    def after_match(self, text: str, pos: int) -> re.Match[str] | None:
        """``after_re.match(text, pos)``, by a pattern of only the forms that can begin where the word can.

        ``after_re`` tries its thousand-odd forms one by one (a case-insensitive branch cannot be
        skipped on its first character), about 50 µs a call; the word begins at ``pos`` or after
        the one space or hyphen there, so the forms that begin with neither character cannot
        match, and leaving them out changes no match. One pattern per such start, made on first use.
        """
        key = text[pos : pos + 2] if text[pos : pos + 1] in _GLUE else text[pos : pos + 1]
        pattern = self._after_by_start.get(key)
        if pattern is None:
            if len(self._after_by_start) >= _AFTER_PATTERNS:
                self._after_by_start.clear()
            branches = [b for b, first in self._after_branches if first is None or any(map(first.match, key))]
            pattern = self._after_by_start[key] = self._after_pattern(branches)
        return pattern.match(text, pos)

    @cached_property
    def rate_re(self) -> re.Pattern[str]:
        denoms = _alternation(list(self.rate_of), ignore_case=True)
        return re.compile(rf"(?:\s+(?i:per|an?)\s+|/)(?P<den>{denoms})(?![\w])")

    @cached_property
    def prefix_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<cur>{_alternation(list(self.currency_prefix), ignore_case=False)})[{SPACES}]?")

    @cached_property
    def start_re(self) -> re.Pattern[str]:
        """Where an amount may begin: a currency prefix, a digit, or a number or fraction word."""
        currencies = list(self.currency_prefix)
        word_forms = [*self.number_words, *self.scale_words, *self.fraction_words]
        cur = _trie(currencies, ignore_case=False)
        words = _trie(word_forms, ignore_case=True)
        # One shared "(?<!\w)" first: inside a word (most positions) the scan fails on one test.
        # Then one class of every character a branch can begin with: most word starts ("the",
        # "said") fail on it instead of entering each branch's look-behinds (half the scan's time).
        first = (_first_chars(currencies, ignore_case=False) | _first_chars(word_forms, ignore_case=True)
                 | set("aA." + SIGN_FIRST + VULGAR_CHARS))
        first_class = "".join(re.escape(c) for c in sorted(first))
        return re.compile(
            rf"(?<!\w)(?=[\d{first_class}])"
            rf"(?:(?<![$£€¥₹])(?:{cur})[{SPACES}]?(?=[\d.])|{SIGN}|{DIGITS}|[{VULGAR_CHARS}]"
            rf"|(?<!-)(?:[aA][nN]?\s+)?(?:{words})(?![\w]))"
        )

    @cached_property
    def suffix_re(self) -> re.Pattern[str]:
        glued = _alternation(list(self.scale_suffix), ignore_case=False)
        spaced = _alternation([s for s in self.scale_suffix if len(s) > 1], ignore_case=False)
        return re.compile(rf"(?:(?P<glued>{glued})|[{SPACES}](?P<spaced>{spaced}))(?![\w²³/])")

    @cached_property
    def scale_word_re(self) -> re.Pattern[str]:
        # Glued ("$112million") or hyphenated ("a $5-million grant") scale words as well.
        return re.compile(rf"(?:\s+|-)?(?P<w>{_alternation(list(self.scale_words), ignore_case=True)})(?![\w])")

    @cached_property
    def qualifier_re(self) -> re.Pattern[str]:
        """A qualifier phrase ending right before an amount (search in the text before it)."""
        # An article may stand between ("about a 67 percentage point lead", "nearly a quarter").
        return re.compile(
            rf"(?<![\w])(?P<q>{_alternation(list(self.qualifier_of), ignore_case=True)})\s+(?:an?\s+)?\Z"
        )
