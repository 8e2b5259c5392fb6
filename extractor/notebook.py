"""Tutorial → learner notebook (nbformat 4) and its paired jupytext Markdown twin. Pure: no I/O.

One notebook per article, runnable top to bottom ("Run All"):

- prose → Markdown cells, in article order, after a header cell (title, author, date, tags, URLs);
- every runnable step → one code cell, with the article's recorded output attached as a
  ``display_data`` output marked ``{"tutorcheck": {"recorded": true}}`` (shown before any run);
- a file block → a cell that writes the file where the article introduces it;
- fragments, plain output and text → Markdown code blocks (never cells that could fail);
- a step whose needs cannot be met here (cluster, secret, placeholder, network, or state left
  by a step that is itself not run) → a code cell whose lines are commented out, headed by a
  comment saying why, tagged ``skip-execution`` and described in ``metadata.tutorcheck``.

Kernel: shell-only articles use ``bash_kernel`` (one bash for the whole notebook, so ``cd``,
``export`` and files carry over). Articles with Python steps use the Python kernel; their shell
steps are ``%%shell`` cells served by a small helper (defined in the notebook's first code
cell) that keeps one bash process alive; Python's working directory and environment follow it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from extractor.model import CodeBlock, ProseBlock, Step, Tutorial
from extractor.quoting import comment, commented_out, heredoc, sh_word
from extractor.sandbox.plan import runs_until_stopped

# ---------------------------------------------------------------------------------------------
# What can run: the step plan shared by the notebook and the learner's `tutorcheck step`.

# Needs a learner's machine (or the sandbox) cannot meet as the article is written → not run.
UNMET_NEEDS: dict[str, str] = {
    "cluster": "a Kubernetes cluster",
    "secret": "a secret (credential) of yours",
    "placeholder": "placeholder values replaced with your own",
    "network": "network access",
    # On a learner's own machine sudo asks for a password (Run All would hang) and changes the system.
    "tool:sudo": "root rights via sudo",
}
OUTSIDE_REASON = "writes {name}, outside the notebook's folder"
STATE_REASON = "state left by an earlier step that is not run"
FOLLOWS_REASON = "follows a step of its block that is not run"
RUNNABLE_KINDS = ("session", "commands")


@dataclass(frozen=True)
class PlannedStep:
    """One runnable unit in article order: a step of a session/commands block, or a file to write.

    ``step`` is the step's position in its block (None for a file). ``skip`` says why the unit
    is not run as written (empty when it runs).
    """

    block: CodeBlock
    step: int | None
    lang: str
    code: str
    needs: tuple[str, ...]
    expected_output: str | None = None
    skip: str = ""

    @property
    def is_file(self) -> bool:
        return self.step is None

    @property
    def tools(self) -> tuple[str, ...]:
        return tuple(n.split(":", 1)[1] for n in self.needs if n.startswith("tool:"))


def _effective_needs(block: CodeBlock, step: Step) -> tuple[str, ...]:
    # A step's needs are its own; the block's when the classifier gave its steps none.
    if any(s.needs for s in block.steps):
        return step.needs
    return block.needs


def _skip_reason(needs: tuple[str, ...], skipped_before: bool, lifted: frozenset[str]) -> str:
    unmet = [UNMET_NEEDS[n] for n in needs if n in UNMET_NEEDS and n not in lifted]
    # "state" may come from earlier steps or from outside the article; only a skipped earlier
    # step is a known reason it will be missing.
    if "state" in needs and skipped_before:
        unmet.append(STATE_REASON)
    return ("needs " + ", ".join(unmet)) if unmet else ""


def _outside(filename: str) -> bool:
    """A file the article puts in an absolute place, in the home directory or above the folder."""
    return filename.startswith(("/", "~", "$")) or ".." in filename.split("/")


def _with_tools(reason: str, needs: tuple[str, ...]) -> str:
    tools = [n.split(":", 1)[1] for n in needs if n.startswith("tool:") and n not in UNMET_NEEDS]
    return f"{reason}; uses {', '.join(tools)}" if reason and tools else reason


def steps_of(block: CodeBlock) -> tuple[Step, ...]:
    """A block's steps; a ``commands`` block the classifier did not split is one step (as in check)."""
    if block.steps or block.kind != "commands" or block.lang not in ("shell", "python") or not block.text.strip():
        return block.steps
    return (Step(command=block.text.rstrip("\n"), lang=block.lang),)


def _units(t: Tutorial) -> Iterator[tuple[CodeBlock, int | None, Step | None]]:
    for block in t.code_blocks:
        if block.kind == "file" and block.filename:
            yield block, None, None
        elif block.kind in RUNNABLE_KINDS:
            for n, step in enumerate(steps_of(block)):
                yield block, n, step


def plan_steps(t: Tutorial, lifted: frozenset[str] = frozenset()) -> tuple[PlannedStep, ...]:
    """Every runnable unit of ``t`` in order, each with why it is skipped ('' when it runs).

    ``lifted`` names needs the caller can meet (e.g. ``{"network"}`` with --allow-network).
    """
    out: list[PlannedStep] = []
    skipped_before = False
    skipped_in_block: set[int] = set()
    for block, n, step in _units(t):
        if step is None:
            text = block.text if block.text.endswith("\n") else block.text + "\n"
            needs, lang, code, expected = block.needs, "file", text, None
        else:
            needs, lang, code, expected = _effective_needs(block, step), step.lang, step.command, step.expected_output
        reason = _with_tools(_skip_reason(needs, skipped_before, lifted), needs)
        if step is None and not reason and _outside(block.filename or ""):
            reason = OUTSIDE_REASON.format(name=block.filename)
        if not reason and block.index in skipped_in_block:
            # A session is a sequence: what follows a step that is not run likely relies on it.
            reason = FOLLOWS_REASON
        if reason:
            skipped_in_block.add(block.index)
        skipped_before = skipped_before or bool(reason)
        out.append(PlannedStep(block, n, lang, code, needs, expected, reason))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Kernels: a table, not an if-chain.


@dataclass(frozen=True)
class KernelStyle:
    kernelspec: dict[str, str]
    language_info: dict[str, str]
    fence: str  # the language name jupytext puts on code fences
    shell_prefix: str  # first line of a shell step cell ('' = the kernel is bash)
    setup: str = ""  # a first code cell the style needs ('' = none)


SHELL_HELPER = r"""
# tutorcheck: the shell steps of this notebook (%%shell cells) all run in ONE bash process,
# so `cd`, `export` and files carry from cell to cell as in a terminal. Python follows the
# shell: its working directory and environment are updated after each shell cell.
# Run this cell first (Run All does).
import os
import shlex
import subprocess
import tempfile

from IPython.core.magic import register_cell_magic


class ShellStepFailed(Exception):
    def _render_traceback_(self):
        return [f"shell step failed: {self}"]


_tc_bash = None


def _tc_follow(env_file, cwd):
    try:
        with open(env_file, encoding="utf-8", errors="replace") as fh:
            pairs = [item.partition("=") for item in fh.read().split("\0") if "=" in item]
    except OSError:
        pairs = []
    for name, _, value in pairs:
        if name not in ("_", "SHLVL", "PWD", "OLDPWD") and os.environ.get(name) != value:
            os.environ[name] = value
    if os.path.isdir(cwd):
        os.chdir(cwd)


@register_cell_magic
def shell(line, cell):
    # The cell runs in the notebook's one bash; stdin is /dev/null, stderr shows with stdout.
    global _tc_bash
    if _tc_bash is None or _tc_bash.poll() is not None:
        _tc_bash = subprocess.Popen(
            ["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace", bufsize=1)
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False, encoding="utf-8") as fh:
        fh.write(cell if cell.endswith("\n") else cell + "\n")
    mark, env_file = "__tutorcheck_" + os.path.basename(fh.name) + "__", fh.name + ".env"
    _tc_bash.stdin.write(
        f"cd {shlex.quote(os.getcwd())} && source {shlex.quote(fh.name)} </dev/null\n"
        f"__tc_rc=$?; env -0 > {shlex.quote(env_file)}; printf '%s %s %s\\n' {mark} \"$__tc_rc\" \"$PWD\"\n")
    _tc_bash.stdin.flush()
    status, cwd = "the shell exited", os.getcwd()
    for out in _tc_bash.stdout:
        head, found, tail = out.partition(mark)
        print(head, end="", flush=True)
        if found:
            status, _, cwd = tail.strip().partition(" ")
            break
    _tc_follow(env_file, cwd)
    for name in (fh.name, env_file):
        if os.path.exists(name):
            os.unlink(name)
    if status != "0":
        raise ShellStepFailed(f"exit status {status}" if status.isdigit() else status)
""".lstrip("\n")

KERNELS: dict[str, KernelStyle] = {
    "bash": KernelStyle(
        kernelspec={"name": "bash", "display_name": "Bash", "language": "bash"},
        language_info={"name": "bash", "codemirror_mode": "shell", "file_extension": ".sh",
                       "mimetype": "text/x-sh"},
        fence="bash",
        shell_prefix="",
    ),
    "python3": KernelStyle(
        kernelspec={"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        language_info={"name": "python", "codemirror_mode": "ipython", "file_extension": ".py",
                       "mimetype": "text/x-python"},
        fence="python",
        shell_prefix="%%shell\n",
        setup=SHELL_HELPER,
    ),
}


def choose_kernel(plan: tuple[PlannedStep, ...]) -> str:
    """bash for shell-led articles (and prose-only ones); python3 as soon as a step is Python."""
    return "python3" if any(p.lang == "python" for p in plan) else "bash"


# ---------------------------------------------------------------------------------------------
# Cell sources.

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


def step_source(p: PlannedStep, style: KernelStyle) -> str:
    """The code a learner runs for one planned unit (before any skip commenting)."""
    if p.is_file:
        name = p.block.filename or ""
        if style.shell_prefix and _PLAIN_FILE_NAME.fullmatch(name):
            return f"%%writefile {name}\n{p.code}".rstrip("\n")
        return (style.shell_prefix + write_file_shell(name, p.code)).rstrip("\n")
    note = f"# needs: {comment(', '.join(p.tools))} (install first)\n" if p.tools and not p.skip else ""
    if p.lang == "python":
        return note + p.code.rstrip("\n")
    if not p.skip and runs_until_stopped(p.code):
        return (style.shell_prefix + note + background_cell(p.code, p.block.index, p.step or 0)).rstrip("\n")
    return (style.shell_prefix + note + p.code).rstrip("\n")


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


# ---------------------------------------------------------------------------------------------
# The notebook.


def cell_id(slug: str, *parts: object) -> str:
    """Stable, valid (≤64 chars, [A-Za-z0-9-_]) id from the slug and the cell's place."""
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
    return "-".join([digest, *(str(p) for p in parts)])[:64]


def header_markdown(t: Tutorial) -> str:
    lines = [f"# {t.title}", ""]
    facts = []
    if t.author:
        facts.append(f"**Author:** {t.author}")
    if t.published:
        facts.append(f"**Published:** {t.published[:10]}")
    if t.tags:
        facts.append("**Tags:** " + ", ".join(f"`{tag}`" for tag in t.tags))
    if facts:
        lines += [" · ".join(facts), ""]
    lines.append(f"**Source:** <{t.url}>")
    if t.aliases:
        lines += ["", "**Also published at:** " + ", ".join(f"<{a}>" for a in t.aliases)]
    lines += [
        "",
        "> Made by tutorcheck from the article. Output shown under a cell before you run it is the "
        "article's *recorded* output, not produced here. Cells starting with `# tutorcheck: not run` "
        "need something this notebook cannot provide (a cluster, a secret, your own values, the network); "
        "Run All passes over them.",
    ]
    return "\n".join(lines)


def recorded_output(text: str) -> Any:
    return new_output(
        "display_data", data={"text/plain": text}, metadata={"tutorcheck": {"recorded": True}}
    )


def notebook_metadata(t: Tutorial, kernel: str) -> dict[str, Any]:
    style = KERNELS[kernel]
    return {
        "kernelspec": dict(style.kernelspec),
        "language_info": dict(style.language_info),
        "jupytext": {
            "formats": "ipynb,md",
            "cell_metadata_filter": "tags,-all",
            "notebook_metadata_filter": "-jupytext.text_representation.jupytext_version",
        },
        "tutorcheck": {
            "schema": 1,
            "slug": t.slug,
            "title": t.title,
            "url": t.url,
            "aliases": list(t.aliases),
            "author": t.author,
            "published": t.published,
            "tags": list(t.tags),
            "source": t.source.to_json(),
            "also_in": [s.to_json() for s in t.also_in],
            "kernel": kernel,
        },
    }


@dataclass
class _Builder:
    t: Tutorial
    style: KernelStyle
    cells: list[Any] = field(default_factory=list)

    def markdown(self, source: str, *parts: object) -> None:
        # Adjacent Markdown (prose, then a fragment, ...) is one cell: jupytext's .md keeps it
        # that way on the way back, and a learner reads one piece of text.
        last = self.cells[-1] if self.cells else None
        if last is not None and last.cell_type == "markdown" and not last.metadata.get("tutorcheck", {}).get("header"):
            last.source += "\n\n" + source
            return
        self.cells.append(new_markdown_cell(source, id=cell_id(self.t.slug, *parts)))

    def code(self, p: PlannedStep, *parts: object) -> None:
        source = step_source(p, self.style)
        meta: dict[str, Any] = {"block": p.block.index, "kind": p.block.kind, "lang": p.lang,
                                "needs": list(p.needs)}
        if p.step is not None:
            meta["step"] = p.step
        if p.block.filename and p.is_file:
            meta["filename"] = p.block.filename
        metadata: dict[str, Any] = {"tutorcheck": meta}
        if p.skip:
            source, meta["skip"] = commented(source, p.skip), p.skip
            metadata["tags"] = ["skip-execution"]
        if p.expected_output:
            meta["recorded_output"] = True
            if not p.skip and p.lang == "python" and p.expected_output.startswith(TRACEBACK):
                # the article shows this example failing on purpose: Run All must go on after it
                metadata["tags"] = ["raises-exception"]
        cell = new_code_cell(source, id=cell_id(self.t.slug, *parts), metadata=metadata)
        if p.expected_output:
            cell.outputs = [recorded_output(p.expected_output)]
        self.cells.append(cell)


def _block_markdown(block: CodeBlock) -> str:
    return fenced(block.text, block.lang)


def build_notebook(t: Tutorial) -> Any:
    """The notebook (an ``nbformat.NotebookNode``) of one tutorial."""
    plan = plan_steps(t)
    kernel = choose_kernel(plan)
    style = KERNELS[kernel]
    by_block: dict[int, list[PlannedStep]] = {}
    for p in plan:
        by_block.setdefault(p.block.index, []).append(p)
    b = _Builder(t, style)
    b.cells.append(new_markdown_cell(header_markdown(t), id=cell_id(t.slug, "header"),
                                     metadata={"tutorcheck": {"header": True}}))
    needs_setup = bool(style.setup) and any(not p.is_file and p.lang != "python" for p in plan)
    if needs_setup:
        setup = new_code_cell(style.setup.rstrip("\n"), id=cell_id(t.slug, "setup"),
                              metadata={"tags": ["tutorcheck-setup"], "jupyter": {"source_hidden": True},
                                        "tutorcheck": {"setup": True}})
        b.cells.append(setup)
    for n, block in enumerate(t.blocks):
        if isinstance(block, ProseBlock):
            if block.markdown.strip():
                b.markdown(images_as_links(block.markdown), "prose", n)
            continue
        units = by_block.get(block.index)
        if not units:
            b.markdown(_block_markdown(block), "b", block.index)
            continue
        for p in units:
            b.code(p, "b", block.index, "file" if p.is_file else f"s{p.step}")
    nb = new_notebook(cells=b.cells, metadata=notebook_metadata(t, kernel))
    nbformat.validate(nb)
    return nb


def notebook_to_markdown(nb: Any) -> str:
    """The paired jupytext Markdown text of a notebook (no outputs, no tutorcheck metadata)."""
    text: str = jupytext.writes(nb, fmt="md")
    return text if text.endswith("\n") else text + "\n"


def render_notebook(t: Tutorial) -> tuple[str, str]:
    """(the .ipynb JSON text, the paired jupytext .md text) of one tutorial; deterministic."""
    nb = build_notebook(t)
    ipynb = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return ipynb, notebook_to_markdown(nb)


__all__ = [
    "KERNELS",
    "PlannedStep",
    "UNMET_NEEDS",
    "build_notebook",
    "choose_kernel",
    "plan_steps",
    "render_notebook",
]
