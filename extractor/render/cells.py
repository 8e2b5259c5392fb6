"""The source of each notebook cell, from a planned action (pure text; nothing is decided here)."""

from __future__ import annotations

import re

from extractor.plan import Action
from extractor.quoting import comment, commented_out, heredoc, sh_word
from extractor.render.kernels import KernelStyle
from extractor.vocab import ActionKind

IMAGE_IN_LINK = re.compile(r"\[!\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE_LANG = {"shell": "bash", "text": "text", "dockerfile": "dockerfile"}


def images_as_links(markdown: str) -> str:
    """``![alt](src)`` → ``[image: alt](src)`` (a linked image links to its target)."""
    def label(alt: str) -> str:
        return f"image: {alt}" if alt.strip() else "image"

    markdown = IMAGE_IN_LINK.sub(lambda m: f"[{label(m[1])}]({m[2]})", markdown)
    return IMAGE.sub(lambda m: f"[{label(m[1])}]({m[2]})", markdown)


def fenced(text: str, lang: str) -> str:
    """A Markdown code block holding ``text`` exactly, whatever backtick runs it contains."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}{FENCE_LANG.get(lang, lang)}\n{body}{fence}"


def write_file_shell(filename: str, text: str) -> str:
    """Shell that writes ``text`` to ``filename`` byte for byte (a quoted heredoc: no expansion)."""
    quoted = sh_word(filename)
    mkdir = f"mkdir -p {sh_word(filename.rsplit('/', 1)[0])}\n" if "/" in filename.strip("/") else ""
    return mkdir + "\n".join(heredoc(f"cat > {quoted}", text, "EOF")) + "\n"


# A name IPython's %%writefile takes as is (its line is expanded: {expr} and $name would run).
_PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def cell_text(a: Action) -> str:
    """What the cell holds before any wrapping: a file's text ends with a newline."""
    if a.lang == "file" and a.source and not a.source.endswith("\n"):
        return a.source + "\n"
    return a.source or a.command


def step_source(a: Action, style: KernelStyle) -> str:
    """The code a learner runs for one planned action (before any skip commenting)."""
    code = cell_text(a)
    if a.lang == "file":
        name = a.path
        if style.shell_prefix and _PLAIN_FILE_NAME.fullmatch(name):
            return f"%%writefile {name}\n{code}".rstrip("\n")
        return (style.shell_prefix + write_file_shell(name, code)).rstrip("\n")
    runs = a.kind.runs
    note = f"# needs: {comment(', '.join(a.tools))} (install first)\n" if a.tools and runs else ""
    if a.lang == "python":
        return note + a.command.rstrip("\n")
    if runs and a.background:
        return (style.shell_prefix + note + background_cell(a.command, a.block, a.step)).rstrip("\n")
    return (style.shell_prefix + note + a.command).rstrip("\n")


def not_run(a: Action) -> bool:
    """The cell is commented out: the plan does not run it here."""
    return a.kind in (ActionKind.SKIP, ActionKind.PROVIDED)


def background_cell(code: str, block: int, step: int) -> str:
    """A server or watcher would block the kernel forever: the cell starts it in the background,
    as a reader would in a second terminal, and shows what it printed so far."""
    log, pid = f"/tmp/tutorcheck-{block}-{step}.log", f"/tmp/tutorcheck-{block}-{step}.pid"
    return (f"# tutorcheck: this keeps running, so it starts in the background; stop it: kill $(cat {pid})\n"
            f"( {code.rstrip()} >{log} 2>&1 & echo $! >{pid} )\n"
            f"sleep 2; cat {log}\n")


TRACEBACK = "Traceback (most recent call last):"


def commented(source: str, reason: str) -> str:
    """A cell that does nothing when run: a header saying why, then every line as a comment."""
    header = (
        f"# tutorcheck: not run by Run All: {comment(reason)}.\n"
        "# To run it yourself: meet that need, then uncomment the lines below (select them, Ctrl-/).\n"
    )
    return header + commented_out(source)


