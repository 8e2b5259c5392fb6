"""Values a reader must replace before a snippet can run: ``REPLACE_ME``, ``<your-value>``,
``YOUR_USERNAME``, ``x.y.z``... and which of them are credentials."""

from __future__ import annotations

import re

from extractor.understand.tables import CREDENTIAL_WORDS

# Placeholders in angle brackets: ``<your-token>``, ``<NAMESPACE>``, ``<cluster-name>``.
ANGLED = re.compile(r"<(?:(?i:(?:your|my|the)[-_ ][^<>\n]{1,40})|[A-Z][A-Z0-9_-]{2,40}|"
                    r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)>")

PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bREPLACE[_-]?[A-Z0-9_]*"),
    re.compile(r"\b[A-Z0-9_]*YOUR_[A-Z0-9_]+\b"),
    re.compile(r"\b[A-Z][A-Z0-9_]*_HERE\b"),
    ANGLED,
    re.compile(r"\byour[-_][a-z0-9]+(?:[-_][a-z0-9]+)*\b"),
    re.compile(r"(?<![\w.])x\.y(?:\.z)?(?![\w.])"),
    re.compile(r"\b(?:CHANGEME|CHANGE_ME|TODO_[A-Z_]+|XXXX+|xxxx+)\b"),
)


# Stand-ins a command uses in place of the reader's own thing. A saved file may hold them as
# examples (a comment's ``/path/to/x``), so they are placeholders only in what a step runs
# (:func:`stand_ins`):
STAND_INS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:user|username|you)@(?:host|hostname|server|remote)\b(?::[\w./~-]*)?"),  # user@host:/srv
    re.compile(r"(?<![\w.~-])(?:~?/)?(?:[\w.-]+/)*path/to(?:/[\w.~-]*)*"),  # /path/to/dir, path/to/man/pages
    # an angled word inside a path or an option's value (``-o <path>/docs``, ``github.com/<user>/x``):
    # no shell redirect is written so
    re.compile(r"(?<=[/=@:])<[a-z][a-z0-9_-]*>|<[a-z][a-z0-9_-]*>(?=/)"),
)

# Words that stand for a name of the reader's own in a file or folder name (``package.changes``,
# ``old-package.dsc``, ``gentoo_version-revision_i386.deb``, ``package-1.0.tar.gz``); real
# files that carry such a word are known by their whole name.
STAND_IN_WORDS = frozenset({"package", "pkg", "version", "revision", "yourname", "username", "filename"})
# ...also run together with a word that says "some such" (``pythonmodule``, ``mypackage``, ``yourfile``).
STAND_IN_COMPOUNDS = frozenset(q + w for q in ("my", "your", "some", "python", "sample", "example")
                               for w in ("package", "module", "project", "file"))
REAL_NAMES = frozenset({"package.json", "package-lock.json", "package.xml", "package.yaml", "package.swift",
                        "packages.config", "version", "version.txt", "version.py", "_version.py", "pkg-info"})
# Placeholders the article's shown output carries: the author's own value left out (``<yourname>``).
IN_OUTPUT = re.compile(r"<(?i:your)[\w -]{1,40}>")


def stand_ins(command: str) -> list[str]:
    """The stand-ins a command uses (``user@host``, ``/path/to/x``, ``<path>/docs``), in order
    of the patterns. (A URL on a host reserved for examples is no stand-in here: it names a
    server the network would reach, as the allow-list's own examples do.)"""
    return list(dict.fromkeys(m.group(0) for pattern in STAND_INS for m in pattern.finditer(command)))


def stand_in_name(path: str) -> bool:
    """A file or folder name made with a word that stands for the reader's own name."""
    name = path.rstrip("/").rsplit("/", 1)[-1].lower()
    return name not in REAL_NAMES and bool((STAND_IN_WORDS | STAND_IN_COMPOUNDS) & set(re.split(r"[-_.~+]", name)))


def stand_in_names(command: str) -> list[str]:
    """The words of a command that are file or folder names made with a stand-in word."""
    return list(dict.fromkeys(w for w in re.findall(r"[\w./~+-]+", command)
                              if re.search(r"[-_./]", w) and not w.startswith("-") and stand_in_name(w)))


def in_output(output: str | None) -> list[str]:
    """The placeholders an article's shown output carries (``uid=1000(<yourname>)``)."""
    return list(dict.fromkeys(IN_OUTPUT.findall(output or "")))


def placeholders(text: str) -> list[str]:
    """Every placeholder in ``text``, in order of the patterns."""
    found: list[str] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if m.group(0) not in found:
                found.append(m.group(0))
    return found


# In a shell command, a single word in angle brackets is a value to put there too (``git checkout
# <branch>``, ``-o <path>/docs``): bash would read two redirections, a reader reads a blank to
# fill. Only outside quotes (``echo "<div>"`` prints a tag) and before a heredoc's body (HTML).
SHELL_ANGLED = re.compile(r"<[a-z][a-z0-9]{1,30}>")
_QUOTED = re.compile(r"'[^']*'|\"(?:\\.|[^\"\\])*\"")


def shell_blanks(command: str) -> list[str]:
    """The bare ``<word>`` blanks of a shell command (``git checkout <branch>``)."""
    head = command.split("\n", 1)[0] if "<<" in command else command
    bare = _QUOTED.sub(lambda m: " " * len(m.group(0)), head)
    return list(dict.fromkeys(m.group(0) for m in SHELL_ANGLED.finditer(bare)))


def in_command(command: str, shell: bool = True) -> list[str]:
    """What a step runs leaves to fill in: the placeholders, the stand-ins and, in a shell
    command, its bare ``<word>`` blanks — the one list the step's needs and its facts name."""
    return placeholders(command) + stand_ins(command) + (shell_blanks(command) if shell else [])


def credential(name: str) -> bool:
    upper = name.upper().replace("-", "_")
    return any(word in upper for word in CREDENTIAL_WORDS)
