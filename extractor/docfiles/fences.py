"""A Markdown fence's info string → the language it claims, a caption, and whether it is a
MyST directive. Like HTML classes, these are evidence about the block, read by a table of
the conventions many generators share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# MyST directives whose body is code (the rest, ``{note}``, ``{tip}``..., hold Markdown).
CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "code-cell"})
# Attributes that name the block (MkDocs Material and Docusaurus ``title``, Nextra ``filename``,
# Hugo ``file``, Pandoc ``caption``).
_CAPTION_KEYS = ("title", "filename", "file", "name", "caption")
_ATTR = re.compile(r'(\w[\w-]*)=("(?:[^"\\]|\\.)*"|\'[^\']*\'|\S+)')
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_PANDOC = re.compile(r"^\{(.*)\}$")


@dataclass(frozen=True)
class Info:
    """What an info string says: ``lang`` (as written, lower-cased), ``caption``, and
    ``directive`` when it opens a MyST directive (``{code-block} python``)."""

    lang: str | None = None
    caption: str | None = None
    directive: str | None = None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _caption(attrs: str) -> str | None:
    found = {m.group(1).lower(): _unquote(m.group(2)) for m in _ATTR.finditer(attrs)}
    return next((found[k] for k in _CAPTION_KEYS if found.get(k)), None)


def _pandoc(inner: str) -> Info:
    """Pandoc/kramdown attributes: ``{.python .numberLines title="x.py"}``."""
    classes = [w[1:] for w in inner.split() if w.startswith(".") and len(w) > 1]
    return Info(lang=classes[0].lower() if classes else None, caption=_caption(inner))


def parse_info(info: str) -> Info:
    """``bash title="x.sh"``, ``{.python}``, ``python {linenos=true}``, ``js:app.js``,
    ``{code-block} python``: the language, the caption, the directive."""
    info = info.strip()
    if not info:
        return Info()
    directive = _DIRECTIVE.match(info)
    if directive:
        name, rest = directive.group(1).lower(), directive.group(2).strip()
        lang = rest.split()[0].lower() if rest and name in CODE_DIRECTIVES else None
        return Info(lang=lang, directive=name)
    pandoc = _PANDOC.match(info)
    if pandoc:
        return _pandoc(pandoc.group(1))
    word, _, rest = info.partition(" ")
    lang, colon, named = word.partition(":")  # Qiita/Zenn/VuePress ``js:app.js``
    if word.startswith("{") or not lang:
        return Info(caption=_caption(info))
    caption = _caption(rest) or (named if colon and named else None)
    braces = _PANDOC.match(rest.strip())
    if caption is None and braces:
        caption = _caption(braces.group(1))
    return Info(lang=lang.lower(), caption=caption)


# MyST options at the top of a directive's body: ``:caption: app.py`` lines, or a YAML block
# between ``---`` lines.
_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")


def directive_body(body: str) -> tuple[dict[str, str], str, int]:
    """A MyST directive's options, its content, and how many lines the options took."""
    lines = body.split("\n")
    options: dict[str, str] = {}
    taken = 0
    if lines and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:]):
        end = next(n for n in range(1, len(lines)) if lines[n].strip() == "---")
        for line in lines[1:end]:
            key, sep, value = line.partition(":")
            if sep:
                options[key.strip().lower()] = _unquote(value.strip())
        taken = end + 1
    else:
        while taken < len(lines) and (m := _OPTION.match(lines[taken])):
            options[m.group(1).lower()] = m.group(2).strip()
            taken += 1
    if taken and taken < len(lines) and not lines[taken].strip():
        taken += 1  # the blank line after the options
    return options, "\n".join(lines[taken:]), taken
