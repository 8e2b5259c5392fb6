"""Article text → inert pieces of generated code (``check.sh``, Dockerfiles, notebook cells).

An article is untrusted: its title, URL, file names, commands and recorded output may hold
newlines, quotes, ``$()``, backticks, NULs or a line equal to a heredoc delimiter. Every
writer that puts article text into code uses these functions, never a hand-formatted string:

- ``sh_word``: one shell word (``shlex.quote``), whatever the text;
- ``comment``: text for a ``#`` comment, on ONE line in every language we write (bash,
  Python, IPython, Dockerfile): line breaks and control characters are shown escaped;
- ``heredoc``: a quoted heredoc whose delimiter does not occur anywhere in the payload;
- ``commented_out``: a block of code turned into comment lines, split at every line break
  any of those languages knows (Python and IPython also break lines at CR, U+2028, ...).

Shell strings and heredocs cannot carry a NUL byte (bash drops it, ``read -d ''`` stops at
it), so ``clean`` shows each NUL as U+FFFD, as the HTML parsing rules do.
"""

from __future__ import annotations

import re
import shlex

NUL_SHOWN_AS = "\ufffd"
# Characters that end a line for str.splitlines() (Python's and IPython's idea of a line),
# which includes bash's "\n" and Python's "\r".
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Shown escaped in a comment: line breaks, other C0/C1 controls, DEL, and the bidirectional
# overrides that make a line read differently from what it is.
_UNSAFE_IN_COMMENT = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_LINE_SPLIT = re.compile("\r\n|[" + _LINE_BREAKS + "]")


def clean(text: str) -> str:
    """``text`` with each NUL shown as U+FFFD (a shell script cannot hold a NUL byte)."""
    return text.replace("\0", NUL_SHOWN_AS)


def sh_word(text: str) -> str:
    """``text`` as exactly one shell word, whatever it holds."""
    return shlex.quote(clean(text))


def sh_path(path: str) -> str:
    """A path the article gives, as one shell word that still expands a leading ``~/`` (the
    home of whoever runs the script), whatever else it holds."""
    if path.startswith("~/"):
        return '"$HOME"/' + sh_word(path[2:])
    return sh_word(path)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def comment(text: str) -> str:
    """``text`` for the inside of a ``#`` comment: one line, control characters escaped."""
    return _UNSAFE_IN_COMMENT.sub(_escape, text)


def delimiter(payload: str, base: str, filler: str = "_") -> str:
    """A delimiter that occurs nowhere in ``payload`` (so no line of it can end a heredoc, and
    no text of it can pass for a marker): ``base``, lengthened with ``filler`` as needed."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", base + filler):
        raise ValueError(f"delimiter must be a plain word, not {base + filler!r}")
    d = base
    while d in payload:
        d += filler
    return d


def heredoc(command: str, text: str, base: str) -> list[str]:
    """Lines of ``command <<'D'`` feeding ``text`` verbatim (no expansion), D absent from ``text``.

    ``command`` is code the writer built (its article parts already ``sh_word``-quoted). The
    payload gets a final newline when it has none, so the delimiter is always a line of its own.
    """
    body = clean(text)
    d = delimiter(body, base)
    body = body if body.endswith("\n") else body + "\n"
    return [f"{command} <<'{d}'", body[:-1], d]


def lines(text: str) -> list[str]:
    """``text`` split at every line break bash, Python or IPython knows."""
    return _LINE_SPLIT.split(text)


def commented_out(source: str) -> str:
    """Every line of ``source`` as a comment line, so that no interpreter runs any of it."""
    return "\n".join(("# " + comment(ln)) if ln else "#" for ln in lines(clean(source)))
