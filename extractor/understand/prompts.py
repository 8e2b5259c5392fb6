"""Prompt inference: which lines of a block begin a command, and what the prompt is.

Shapes are generic patterns (a table), not a list of known prompts: ``user@host:dir$``
with any directory, ``(anything) ➜``, ``➜  dir``, ``PS C:\\>``, ``$``... A shape
is *strong* when it cannot be mistaken for anything else at the start of a line; a
*weak* one (``#``, ``>``, ``%``) is a prompt only when the block or the article shows it
is (see :func:`learn`). Besides shapes, any prefix that begins command lines at least
twice in an article is learned as a prompt (custom prompts like ``demo> ``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from extractor.understand import words

_ENV = r"(?:\([^()\n]{1,60}\)\s*)?"  # (venv), (MoeLove), (⎈|ctx:ns)
_DIR = r"(?P<dir>~[^\s$#]*|/[^\s$#]*)"

# name, pattern (matched at line start, must end right before the command), strong?
SHAPES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("user@host", re.compile(_ENV + r"[\w.-]+@[\w.-]+(?::(?P<dir>[^\s$#]*))?\s?[$#%]\s+"), True),
    ("[user@host]", re.compile(_ENV + r"\[[\w.-]+@[\w.-]+\s+(?P<dir>[^\]]*)\]\s?[$#]\s+"), True),
    ("host:dir user$", re.compile(_ENV + r"[\w.-]+:(?P<dir>\S*)\s[\w.-]+\$\s+"), True),
    ("arrow", re.compile(_ENV + r"➜\s+(?:(?P<dir>~\S*|/\S*|[\w.-]+(?=\s+git:))\s+)?"
                         r"(?:git:\([^)\n]*\)\s+)?(?:✗\s+)?"), True),
    ("chevron", re.compile(_ENV + r"(?:" + _DIR + r"\s+)?[❯λ»]\s+"), True),
    ("powershell", re.compile(r"PS(?:\s+(?P<dir>[^\n>]*))?>\s?"), True),
    ("cmd", re.compile(r"(?P<dir>(?:[A-Za-z]:|\.\.\.)\\[^\n>]*)>\s?"), True),  # C:\dir>, ...\dir> (cut short)
    ("dollar", re.compile(_ENV + r"(?:" + _DIR + r"\s?)?\$\s+"), True),
    ("percent", re.compile(_ENV + r"%\s+"), False),
    ("hash", re.compile(r"#\s+"), False),
    ("gt", re.compile(r">\s+"), False),
)
STRONG = frozenset(name for name, _, strong in SHAPES if strong)
_SHAPE_BY_NAME = {name: pattern for name, pattern, _ in SHAPES}
# A learned prompt: up to 40 characters ending in a prompt sigil and a space.
_LEARNABLE = re.compile(r"^(\S[^\n]{0,38}?[$#%>❯➜λ»])\s+(?=\S)")


@dataclass(frozen=True)
class PromptMatch:
    prompt: str  # exactly as printed, trailing blanks included
    shape: str
    dir: str | None


def _command_after(line: str, end: int, strict: bool) -> bool:
    rest = line[end:].strip()
    if not rest or rest[0].isdigit():
        return False
    return words.looks_like_command(rest) if strict else bool(re.match(r"[\w./~$\"'(\[{:-]", rest))


def match_shape(line: str) -> PromptMatch | None:
    """The prompt at the start of ``line`` by shape, if the rest could be a command."""
    for name, pattern, strong in SHAPES:
        m = pattern.match(line)
        if m and _command_after(line, m.end(), strict=not strong):
            return PromptMatch(m.group(0), name, m.groupdict().get("dir"))
    return None


@dataclass(frozen=True)
class Prompts:
    """What an article teaches about its prompts: accepted weak shapes and learned prefixes."""

    weak: frozenset[str] = frozenset()
    learned: frozenset[str] = frozenset()

    def for_block(self, text: str) -> Prompts:
        """These prompts plus the weak shapes ``text`` itself uses as prompts."""
        return Prompts(weak=self.weak | frozenset(_weak_shapes(text.splitlines())), learned=self.learned)

    def match(self, line: str) -> PromptMatch | None:
        for prefix in sorted(self.learned, key=len, reverse=True):
            if line.startswith(prefix) and _command_after(line, len(prefix), strict=False):
                return PromptMatch(prefix, "learned", None)
        found = match_shape(line)
        if found is None or (found.shape not in STRONG and found.shape not in self.weak):
            return None
        return found


_LONE_PATH = re.compile(r"^\s*/[\w.@+-]+(/[\w.@+-]+)*/?\s*$")


def _typed(line: str) -> bool:
    """A line without the prompt that a reader would type (an absolute path alone is what
    ``which``/``pwd``/``readlink`` print, not a command)."""
    return words.looks_like_command(line) and not _LONE_PATH.match(line)


def _weak_shapes(lines: list[str]) -> set[str]:
    """Weak shapes a block uses as prompts: every such line holds a command, no strong prompt
    appears, and the other lines are not commands (they are the output)."""
    matches = [match_shape(line) for line in lines]
    if any(m is not None and m.shape in STRONG for m in matches):
        return set()
    accepted = set()
    for shape in {m.shape for m in matches if m is not None}:
        pattern = _SHAPE_BY_NAME[shape]
        mine = [line for line in lines if pattern.match(line)]
        others = [line for line in lines if line.strip() and not pattern.match(line)]
        if not others or any(_typed(line) for line in others):
            continue
        if all(match_shape(line) is not None for line in mine):
            accepted.add(shape)
    return accepted


def _learned(texts: Iterable[str]) -> set[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        for line in text.splitlines():
            m = _LEARNABLE.match(line)
            if m and match_shape(line) is None and words.looks_like_command(line[m.end():]):
                counts[line[: m.end()]] += 1
    return {prefix for prefix, n in counts.items() if n >= 2 and not words.looks_like_command(prefix)}


def learn(texts: Iterable[str]) -> Prompts:
    """Learn an article's prompts from the texts of its code blocks (weak shapes are
    decided per block, by :meth:`Prompts.for_block`)."""
    return Prompts(learned=frozenset(_learned(texts)))


def display(matches: Iterable[PromptMatch]) -> str | None:
    """The block's prompt for humans: the distinct prompts in order, joined by `` / ``."""
    seen: list[str] = []
    for m in matches:
        if m.prompt not in seen:
            seen.append(m.prompt)
    return " / ".join(seen) if seen else None


_WINDOWS_PROMPT = re.compile(r"^(PS[\s>]|[A-Za-z]:\\|\.\.\.\\)")


def windows_shell(prompt: str | None) -> str | None:
    """``powershell`` or ``cmd`` when a block's prompt is a Windows one, else None."""
    if not prompt or not _WINDOWS_PROMPT.match(prompt):
        return None
    return "powershell" if prompt.startswith("PS") else "cmd"
