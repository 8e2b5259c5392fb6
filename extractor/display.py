"""Article text and step output made safe to show: on a terminal, and in a Markdown report.

A step's output or an article's title may carry terminal control sequences (an OSC 52
clipboard write, a title change, clear screen, the alternate screen, concealed text) or
Markdown/HTML that runs in a viewer (``<img onerror>``, ``javascript:`` links). Everything
shown goes through here:

- ``terminal``: colours and other SGR attributes dropped (SGR 8 conceals text); every other
  control character or sequence (ESC, BEL, OSC, lone CR, C1, DEL, bidi overrides) shown as
  a visible escape such as ``\\x1b``; newlines and tabs kept;
- ``md_text``: ``terminal`` plus HTML and Markdown specials escaped (one line: a table cell);
- ``md_link``: a link only for ``http(s)`` URLs, otherwise the text and the URL as code;
- ``md_code`` / ``md_fence``: inline code and code blocks whose fence the text cannot close.
"""

from __future__ import annotations

import html
import re
from typing import Any, TextIO

_SGR = re.compile(r"\x1b\[[0-9;:]*m|\x9b[0-9;:]*m")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")  # with < > & as entities: no link, image, HTML or code
_SAFE_URL = re.compile(r"https?://[^\s<>()\"'`\\]+", re.IGNORECASE)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return {0x0D: "\\r"}.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal(text: str) -> str:
    """``text`` that can go to a terminal as is: it can only print characters."""
    return _UNSAFE.sub(_escape, _SGR.sub("", text.replace("\r\n", "\n")))


class TerminalOut:
    """A text stream that passes only ``terminal``-safe text on (for writers given a stream)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal(text))

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def md_text(text: str, limit: int = 0) -> str:
    """One line of plain text inside Markdown (a table cell, a heading): nothing in it is markup."""
    line = " ".join(terminal(text).split())
    if limit and len(line) > limit:
        line = line[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", html.escape(line, quote=False))


def md_code(text: str, limit: int = 0) -> str:
    """``text`` as inline code, whatever backticks it holds."""
    line = " ".join(terminal(text).split())
    if limit and len(line) > limit:
        line = line[: limit - 1] + "…"
    line = line.replace("|", "\\|")  # a table cell ends at | even inside code
    fence = "`" * (max((len(r) for r in re.findall(r"`+", line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") or fence != "`" else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def md_fence(text: str, lang: str = "") -> list[str]:
    """Lines of a fenced code block holding ``text``; no line of it can close the fence."""
    body = terminal(text).rstrip("\n")
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
    return [f"{fence}{lang}", *body.split("\n"), fence]


def md_link(label: str, url: str, limit: int = 0) -> str:
    """``[label](url)`` for an http(s) URL; any other URL (``javascript:``...) is shown, not linked."""
    text = md_text(label, limit)
    if _SAFE_URL.fullmatch(url):
        return f"[{text}]({url})"
    return f"{text} ({md_code(url, 80)})" if url else text
