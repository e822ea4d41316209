"""One amount of text read into a number: "$900m", "two million", "1.5 bn", "€ 3".

``read_amount`` reads the currency prefix, the digits or number words, and the scale suffix or
words at one character position; what follows the amount (a unit, "%") is the scan's business.
Pure functions over strings and a ``FigureLexicon``: no spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsclaims.figures.lexicon import DIGITS, NUMBER, SIGN, VULGAR, VULGAR_CHARS, FigureLexicon

_CONTINUED = re.compile(r"[.,:/]\d")  # "10:30", "3/4", "1.2.3": part of a longer token
_SIGN_RE = re.compile(SIGN)
# Fraction parts after a whole number: "3½", "7 1/4", "two and a half", "2 and three quarters".
_GLYPH_RE = re.compile(rf"[{VULGAR_CHARS}]")
_SLASH_RE = re.compile(r"(?P<n>\d{1,2})/(?P<d>\d{1,2})(?![\d/])")
_MIXED_SLASH_RE = re.compile(r"[ \t\u00a0-](?P<n>\d{1,2})/(?P<d>\d{1,2})(?![\d/])")
_AND_FRACTION_RE = re.compile(r"\s+and\s+(?P<num>an?|one|two|three)\s+(?P<den>[a-z]+)(?![\w-])", re.IGNORECASE)


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
    negative: str = ""  # the sign as written ("-", "−", "minus"), when there is one
    fraction: bool = False  # holds a fraction part written as a fraction ("½", "1/4", "and a half")
    slash: bool = False  # the whole amount is a slash fraction ("3/4"): a figure only with a unit


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
    if m.group("art") and words[0][0] not in lex.scale_words:
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
    start, currency, negative = pos, None, ""
    sign = _SIGN_RE.match(text, pos)
    if sign is not None:
        negative, pos = sign.group().strip() or "-", sign.end()
        after_separator = True  # the digits follow the sign: no look-behind
    m = lex.prefix_re.match(text, pos)
    if m and (m.end() < len(text)) and (text[m.end()].isdigit() or text[m.end()] == "."):
        currency = lex.currency_prefix[m.group("cur")]
        pos = m.end()
    d = (_DIGITS_AFTER_SEP_RE if after_separator else _DIGITS_RE).match(text, pos)
    spelled = fraction = slash = False
    glyph = _GLYPH_RE.match(text, pos)
    if glyph:  # "½ cup"
        value, end, digits, fraction = VULGAR[glyph.group()], glyph.end(), "", True
    elif d:
        value, end, digits = float(d.group().replace(",", "")), d.end(), d.group()
        part = _GLYPH_RE.match(text, end) or _MIXED_SLASH_RE.match(text, end)
        whole = _SLASH_RE.match(text, pos)
        if part is not None:  # "3½", "7 1/4"
            value += VULGAR[part.group()] if part.re is _GLYPH_RE else _ratio(part)
            end, fraction = part.end(), True
        elif whole is not None and whole.group("d") not in ("0", "00"):  # "3/4 mile" (or a date: see slash)
            value, end, fraction, slash = _ratio(whole), whole.end(), True, True
        elif _CONTINUED.match(text, end):
            return None
    elif currency is None:
        s = read_spelled(text, pos, lex)
        if s is None:
            return None
        (value, end), digits, spelled = s, "", True
    else:
        return None
    if not fraction and (half := _AND_FRACTION_RE.match(text, end)) and half.group("den").lower() in lex.fraction_words:
        # "two and a half million", "three and a half kilometres"
        num = 1 if half.group("num").lower() in ("a", "an", "one") else lex.number_words[half.group("num").lower()]
        den = lex.fraction_words[half.group("den").lower()]
        if num < den:
            value += num / den
            end, fraction = half.end(), True
    raw = value
    scaled, ambiguous = spelled and value >= 100 and any(
        w in text[pos:end].lower() for w in lex.scale_words
    ), None
    if not spelled and not slash:
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
    if text[end : end + 1].isalnum() and not lex.after_match(text, end):
        return None  # glued to letters that are no unit: "5G", "3D", "4x4"
    if negative:
        value, raw = -value, -raw
    return Amount(start, end, value, raw, currency, scaled, spelled, digits, ambiguous, negative, fraction, slash)


def _ratio(m: re.Match[str]) -> float:
    return int(m.group("n")) / int(m.group("d"))
