"""A plan: the ordered actions of one article in one place, and the packages its image needs."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.context import Pin
from extractor.plan.pinning import Pinned, pinned
from extractor.plan.places import Place
from extractor.vocab import ActionKind, NeedKind


@dataclass(frozen=True)
class Action:
    """One step of the result, decided. ``source`` is what runs (a command, a program, a file's
    text); ``command`` is what a result shows. ``reason`` and ``need`` say why a step is not
    run; ``background`` that it serves or watches until stopped (started as in a second
    terminal); ``needs_state`` that it relies on what earlier steps left (judged again at run
    time, where an earlier step can still fail)."""

    kind: ActionKind
    block: int
    step: int
    command: str
    source: str = ""
    path: str = ""
    lang: str = "shell"
    expected_output: str | None = None
    needs_state: bool = False
    background: bool = False
    reason: str = ""
    need: NeedKind | None = None
    ok: bool = True  # a static check's outcome
    needs: tuple[str, ...] = ()  # the step's needs, in the vocabulary of labels.yaml (shown, not decided on)
    packages: tuple[str, ...] = ()  # for a provided step: the packages the image layer installs in its place
    answers: tuple[str, ...] = ()  # typed at the step's prompts (input()), as the article shows
    pasted: bool = False  # plain Python typed into the session's interpreter (definitions): not echoed
    note: str = ""  # how the step runs when not exactly as typed (an editor answered non-interactively)
    services: tuple[str, ...] = ()  # servers (plan/services.py) started before this step, if not yet
    client_check: bool = False  # kubectl --dry-run=client of a cluster step (plan/kubecheck.py): reported static
    # what the author's directives decided (plan/authored.py), and the words the verdict's reason adds
    expect_fail: bool = False  # it must fail: a failure passes, a success fails
    timeout: float | None = None  # seconds for this step, instead of the run's
    output_rule: str = ""  # how its recorded output is compared: ignore, ellipsis, regex, unordered
    hidden: str = ""  # "setup" or "teardown": runs, but no reader sees it (the notebook hides its cell)
    authored: str = ""
    # no output shown, but the same tools ran before with output shown (plan/reruns.py): a non-zero
    # exit passes only with that output; ``like`` names that earlier step
    like_output: str | None = None
    like: str = ""

    @property
    def runs(self) -> bool:
        return self.kind.runs

    @property
    def tools(self) -> tuple[str, ...]:
        """The tools the step names (``needs: tool:NAME``)."""
        return tuple(n.split(":", 1)[1] for n in self.needs if n.startswith("tool:"))


@dataclass(frozen=True)
class Plan:
    """Every action of an article in order, for one place, and the Debian packages its image
    layer adds (for tools its running steps name and installs the image does for them)."""

    place: Place
    actions: tuple[Action, ...]
    packages: tuple[str, ...] = ()
    pins: tuple[Pin, ...] = ()  # context the article shows (git identity, host, directory, clock), pinned
    # names the running steps reach that only a wildcard of the allow-list admits: the sandbox
    # resolves and opens them as it does the list's names
    hosts: tuple[str, ...] = ()

    @property
    def runnable(self) -> bool:
        return any(a.runs for a in self.actions)

    @property
    def pinned(self) -> Pinned:
        """What this place applies of ``pins`` (plan/pinning.py): start directory, environment, host."""
        return pinned(self.pins, self.place)

    def of_block(self, index: int) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.block == index)


__all__ = ["Action", "Plan"]
