"""Markdown inputs: the article's words without the markup, at the offsets they have in the file.

A claim's offsets must point into the file as the user gave it. So the markup is not removed but
blanked: each markup character (``**``, ``#``, list markers, a link's ``](https://…)``) becomes a
space, and line breaks stay where they are. The text has the file's length and every word sits at
its own offset, so the offset map from text to file is the identity (``offset_map`` says so
explicitly, for a caller that wants a map). Runs of spaces are harmless: the pipeline treats them
as white space, and a content's ``text`` is still ``text[start:end]``.

markdown-it-py (installed with Rich) finds the blocks; inline markup, which markdown-it does not
locate by character, is found by the patterns below, outside code spans. This module imports
nothing of newsclaims: ``inputs`` calls it for ``.md`` files.
"""

from __future__ import annotations

import re

# Inline markup, in the order it is blanked. Each pattern's group "keep" is the text that stays.
_INLINE = [
    re.compile(r"!\[(?P<keep>[^\]\n]*)\]\([^)\n]*\)"),  # image: keep the alt text
    re.compile(r"\[(?P<keep>[^\]\n]+)\]\([^)\n]*\)"),  # [text](url)
    re.compile(r"\[(?P<keep>[^\]\n]+)\]\[[^\]\n]*\]"),  # [text][ref]
    re.compile(r"<(?P<keep>(?:https?|mailto):[^>\s]+)>"),  # <https://…>
    re.compile(r"(?<![\w*])\*\*(?P<keep>[^*\n]+?)\*\*(?![\w*])"),
    re.compile(r"(?<![\w_])__(?P<keep>[^_\n]+?)__(?![\w_])"),
    re.compile(r"(?<![\w*])\*(?P<keep>[^*\s][^*\n]*?)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?P<keep>[^_\s][^_\n]*?)_(?![\w_])"),
    re.compile(r"(?<!~)~~(?P<keep>[^~\n]+?)~~(?!~)"),
    re.compile(r"`(?P<keep>[^`\n]+)`"),
]
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE)
_BLOCK_PREFIX = {
    "heading_open": re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)"),
    "blockquote_open": re.compile(r"^\s{0,3}(?:>\s?)+"),
    "bullet_list_open": re.compile(r"^\s*[-*+]\s+"),
    "ordered_list_open": re.compile(r"^\s*\d{1,9}[.)]\s+"),
}
_TRAILING_HASHES = re.compile(r"\s+#+\s*$")


def markdown_to_text(source: str) -> str:
    """``source`` with its Markdown markup blanked to spaces: same length, same line breaks."""
    from markdown_it import MarkdownIt

    chars = list(source)
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "

    def blank_prefix(line_no: int, pattern: re.Pattern[str]) -> None:
        if line_no < len(lines) and (m := pattern.match(lines[line_no])):
            blank(starts[line_no] + m.start(), starts[line_no] + m.end())

    code: list[tuple[int, int]] = []  # character ranges left as they are (code is not prose)
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(source)
    lists: list[str] = []
    for tok in tokens:
        if tok.map is None:
            if tok.type in ("bullet_list_close", "ordered_list_close") and lists:
                lists.pop()
            continue
        first, last = tok.map
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(tok.type)
        elif tok.type == "list_item_open" and lists:
            blank_prefix(first, _BLOCK_PREFIX[lists[-1]])
        elif tok.type == "heading_open":
            blank_prefix(first, _BLOCK_PREFIX["heading_open"])
            if tok.markup.startswith("#") and first < len(lines) and (m := _TRAILING_HASHES.search(lines[first])):
                blank(starts[first] + m.start(), starts[first] + m.end())
            elif tok.markup in ("=", "-") and last - 1 < len(lines):
                blank(starts[last - 1], starts[last])  # the === or --- underline
        elif tok.type == "blockquote_open":
            for n in range(first, last):
                blank_prefix(n, _BLOCK_PREFIX["blockquote_open"])
        elif tok.type in ("hr", "html_block"):
            blank(starts[first], starts[min(last, len(lines))])
        elif tok.type in ("fence", "code_block"):
            code.append((starts[first], starts[min(last, len(lines))]))
            if tok.type == "fence":
                blank(starts[first], starts[first + 1])
                if last - 1 > first and lines[last - 1].strip().startswith(tok.markup[:3]):
                    blank(starts[last - 1], starts[last])
    for m in _LINK_DEFINITION.finditer(source):
        blank(m.start(), m.end())
    text = "".join(chars)
    for pattern in _INLINE:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in code):
                continue
            keep = m.span("keep")
            blank(m.start(), keep[0])
            blank(keep[1], m.end())
        text = "".join(chars)  # the next pattern sees this one's markup gone ("**[a](b)**")
    return text


def offset_map(text: str) -> list[int]:
    """For each character of ``markdown_to_text``'s result, its offset in the file: the identity."""
    return list(range(len(text)))


def markdown_title(source: str) -> str | None:
    """The first level-1 heading, as the article's title (a table caption shows it)."""
    m = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", source, re.MULTILINE)
    return m.group(1).strip() if m else None


def read_markdown(source: str) -> tuple[str, str | None]:
    """A Markdown file's text (markup blanked, offsets unchanged) and its title from the first ``#``."""
    return markdown_to_text(source), markdown_title(source)
