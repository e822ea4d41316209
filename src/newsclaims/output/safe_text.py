"""Text from articles and file names made safe to show on a terminal (tables, Markdown, CSV on stdout).

An article or a file name can carry escape sequences (``ESC [ 2 J``, OSC 8 links, title changes,
a BEL, a backspace that hides what was printed): printed raw they act on the user's terminal.
JSON and JSONL keep such characters, escaped by JSON itself.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (U+0080-U+009F: 8-bit CSI/OSC), and lone
# surrogates (an undecodable file name's bytes, which no terminal encoding can print).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the original byte, as Python's repr would show it
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def for_terminal(text: str) -> str:
    """``text`` with every control character but tab and newline written as a visible ``\\xNN`` escape.

    ESC itself becomes ``\\x1b``, so no escape sequence survives; carriage returns too (they can
    overwrite what a line showed). Text without such characters is returned unchanged.
    """
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text)


def for_terminal_line(text: str) -> str:
    """``for_terminal`` for one table cell or heading: newlines and tabs escaped as well."""
    return for_terminal(text).replace("\n", "\\n").replace("\t", "\\t")
