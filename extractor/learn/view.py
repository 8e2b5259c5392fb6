"""What a learner sees: rich on a terminal, plain text in a transcript (a pipe, ``--yes`` in CI).

Everything from the article or a step goes through ``display.terminal`` first, so a step's
output cannot move the cursor, retitle the window or hide text; colours are the view's own.
On a terminal, the article's recorded output and this run's are shown side by side with the
lines that differ highlighted; in a transcript, the diff is a unified one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from extractor.display import terminal
from extractor.learn.judge import Judged, Outcome, indent
from extractor.learn.workspace import Ran
from extractor.model import CodeBlock, ProseBlock
from extractor.plan import Action, Pinned

# How a step is shown: (first line, continuation lines), as a reader would type it.
PROMPTS = {"python": (">>> ", "... "), "shell": ("$ ", "")}
STYLES = {Outcome.MATCHED: "green", Outcome.RAN: "green", Outcome.DIFFERED: "red", Outcome.FAILED: "red",
          Outcome.SKIPPED: "yellow"}  # skipped after running: the sandbox had no network (extractor.unreached)

HELP = """\
  Enter or r   run the step as the article gives it
  e            edit the command first (the article's output is still compared)
  s            skip it
  a            run a step the sandbox would not run (it needs something: a cluster, a secret…)
  t            a shell in the sandbox, here: same folder, variables and files; exit to come back
  b            back one step: the files and variables as they were before it
  jump N       go to step N (back: its checkpoint; forward: the steps between are skipped)
  reset        start again from a clean sandbox
  q            quit; `tutorcheck step` offers to continue from here next time
  ?            this help"""


def unit_title(a: Action) -> str:
    if a.lang == "file":
        return f"write {a.path}"
    return f"block {a.block}, step {a.step} ({a.lang})"


class View:
    """The screen of one walk."""

    def __init__(self, out: TextIO) -> None:
        self.console = Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=True)
        self.fancy = self.console.is_terminal

    def say(self, text: str, style: str = "") -> None:
        self.console.print(Text(terminal(text), style=style if self.fancy else ""))

    def title(self, name: str, url: str, pins: Pinned | None = None) -> None:
        """The header: the article, and what its plan pins here (``Plan.pinned``) or leaves out."""
        self.say(f"# {name}", "bold")
        self.say(url, "dim")
        for line in (*(f"pinned: {said}" for said in pins.said), *pins.left) if pins else ():
            self.say(line, "dim")

    def prose(self, markdown: str) -> None:
        self.say("\n" + markdown.strip())

    def not_run_block(self, kind: str, text: str) -> None:
        self.say(f"\n({kind}, not run)\n" + indent(text, "  "), "dim")

    def block(self, block: object) -> None:
        """A block of the article between steps: prose, or code that does not run here."""
        if isinstance(block, ProseBlock):
            self.prose(block.markdown)
        elif isinstance(block, CodeBlock):
            self.not_run_block(block.kind, block.text)

    def unit(self, a: Action, number: int = 0, total: int = 0) -> None:
        where = f"{number}/{total} · " if number else ""
        if a.hidden:  # the author's set-up or tear-down: it runs, no reader sees it
            self.say(f"\n── {where}{unit_title(a)}: the article's hidden {a.hidden}", "dim")
            return
        self.say(f"\n── {where}{unit_title(a)}", "bold cyan")
        first, rest = ("", "") if a.lang == "file" else PROMPTS.get(a.lang, ("$ ", ""))
        code = a.source if a.lang == "file" else a.command
        self.say(indent(code, first, rest), "bold")
        if a.expected_output:
            self.say("  the article shows:\n" + indent(a.expected_output, "  │ "), "dim")
        if not a.runs:
            self.say(f"  not run: {a.reason}", "yellow")

    def ran(self, ran: Ran, judged: Judged, edited: bool = False, hidden: bool = False) -> None:
        if hidden:  # the verdict only: the author's hidden step shows no text
            self.say(f"  {judged.line}", STYLES[judged.outcome])
            return
        if edited:
            self.say("  (your edit ran; compared with what the article shows)", "italic")
        if self.fancy and judged.outcome == Outcome.DIFFERED and judged.expected is not None:
            self.console.print(side_by_side(terminal(judged.expected), terminal(ran.output)))
            self.say(f"  {judged.line}", STYLES[judged.outcome])
            return
        if ran.output:
            self.say(indent(ran.output, "  "))
        line = judged.line
        if judged.outcome == Outcome.DIFFERED:
            line += ":\n" + indent(judged.diff.rstrip("\n"), "    ")
        self.say(f"  {line}", STYLES[judged.outcome])

    def help(self) -> None:
        self.say(HELP, "dim")

    def summary(self, outcomes: Mapping[int, Outcome], finished: bool) -> None:
        count = {o: sum(1 for v in outcomes.values() if v == o) for o in Outcome}
        ran = len(outcomes) - count[Outcome.SKIPPED]
        if ran:
            self.say(f"\nof the steps run: {count[Outcome.MATCHED]} matched the article, "
                     f"{count[Outcome.DIFFERED]} differed, {count[Outcome.FAILED]} failed, "
                     f"{count[Outcome.RAN]} ran with no output recorded to compare", "bold")
        self.say(f"\n{'done' if finished else 'stopped'}: {ran} run, {count[Outcome.SKIPPED]} skipped", "bold")


def side_by_side(expected: str, actual: str) -> Table:
    """The article's lines beside this run's, aligned; the lines that differ highlighted."""
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column("the article shows", ratio=1, overflow="fold")
    table.add_column("this run printed", ratio=1, overflow="fold")
    left, right = expected.rstrip("\n").split("\n"), actual.rstrip("\n").split("\n")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        style = "" if tag == "equal" else "bold red"
        for k in range(max(i2 - i1, j2 - j1)):
            a = left[i1 + k] if i1 + k < i2 else ""
            b = right[j1 + k] if j1 + k < j2 else ""
            table.add_row(Text(a, style=style and "on dark_red"), Text(b, style=style and "on dark_green"))
    return table


__all__ = ["HELP", "PROMPTS", "View", "side_by_side", "unit_title"]
