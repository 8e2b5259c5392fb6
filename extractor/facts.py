"""Facts understand/ decides about a step once and stores on it, typed: what it needs (with
values), what it installs, whether it serves, opens an editor, fetches, only reads. Frozen
dataclasses, no I/O; part of the tutorial model (:mod:`extractor.model` re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractor.vocab import NeedKind

__all__ = ["Facts", "Install", "Need"]


@dataclass(frozen=True)
class Need:
    """Something a step needs to run as written, with its value where it has one: which tool
    (``kubectl``), which secret variable (``TOKEN``; '' when the step names none), which
    placeholder (``<your-name>``, or ``$NAMESPACE`` for a variable nobody sets)."""

    kind: NeedKind
    value: str = ""

    @property
    def label(self) -> str:
        """The need in the vocabulary of labels.yaml (``tool:kubectl``, ``secret``)."""
        if self.kind in (NeedKind.TOOL, NeedKind.SERVICE, NeedKind.EXCERPT) and self.value:
            return f"{self.kind}:{self.value}"
        return self.value if self.kind == NeedKind.OTHER else str(self.kind)

    @classmethod
    def from_label(cls, label: str) -> Need:
        """A need from its label alone (no value but a tool's name)."""
        kind, _, value = label.partition(":")
        if kind in (NeedKind.TOOL, NeedKind.SERVICE, NeedKind.FILE, NeedKind.EXCERPT, NeedKind.OS,
                    NeedKind.ELIDED) and value:
            return cls(NeedKind(kind), value)
        if label in LABEL_NEEDS:
            return cls(NeedKind(label))
        return cls(NeedKind.OTHER, label)

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "value": self.value}


# The need kinds a label of labels.yaml names (``tool:NAME`` aside).
LABEL_NEEDS = frozenset({"cluster", "network", "secret", "placeholder", "state", "interactive", "gui", "hardware", "os",
                         "root"})


# How a language package is written (``pip:flask``, ``npm:express@4``; ``pip-r:FILE`` for the
# requirements a file lists): the ecosystems the image layer can install from.
LANGUAGE_ECOSYSTEMS = ("pip", "pip-r", "npm", "pymod")


@dataclass(frozen=True)
class Install:
    """A step that only installs packages: the package manager and the packages (for a
    language installer such as pip or npm, written ``ECOSYSTEM:SPEC``: ``pip:flask==2.2.*``)."""

    manager: str
    packages: tuple[str, ...] = ()

    @property
    def language(self) -> bool:
        """The packages come from a language's registry (pip, npm), not from the system's."""
        return any(p.partition(":")[0] in LANGUAGE_ECOSYSTEMS for p in self.packages)

    def to_json(self) -> dict[str, Any]:
        return {"manager": self.manager, "packages": list(self.packages)}


@dataclass(frozen=True)
class Facts:
    """What understand/ decided about a command (or a file's text), once, for every later stage:
    its needs with their values, and its nature. Nothing downstream reads the text again."""

    needs: tuple[Need, ...] = ()
    installs: Install | None = None  # it only installs packages (system, or a language's)
    serves: bool = False  # it serves or watches until stopped (a server, ``tail -f``)
    editor: str = ""  # the interactive editor it opens ('' when none)
    fetches: bool = False  # it reaches the network
    reads_only: bool = False  # it only reads: it changes nothing
    # language packages it installs (``pip:flask``), also when it does more than install; with
    # ``packages_offline`` the network it needs is only for them (a registry the image can stand in for)
    packages: tuple[str, ...] = ()
    packages_offline: bool = False
    venv: str = ""  # "enter": it enters a virtual environment (``. .venv/bin/activate``); "leave": ``deactivate``
    # what its output is about when that is not the tutorial's business: "version" (the reader's
    # version of a program), "machine" (the machine's own configuration); "" otherwise
    shows: str = ""
    # why the page expects it to fail: it builds a listing the page declares does not compile
    # (understand/outcomes.py); "" otherwise
    expected_failure: str = ""
    # a Python step that only binds names to literal values: it relies on no earlier step
    literal: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "needs": [n.to_json() for n in self.needs], "installs": self.installs.to_json() if self.installs else None,
            "serves": self.serves, "editor": self.editor, "fetches": self.fetches, "reads_only": self.reads_only}
        if self.packages:  # only where there are some: earlier tutorial.json files stay as they were
            out |= {"packages": list(self.packages), "packages_offline": self.packages_offline}
        if self.venv:
            out["venv"] = self.venv
        if self.shows:
            out["shows"] = self.shows
        if self.expected_failure:
            out["expected_failure"] = self.expected_failure
        if self.literal:
            out["literal"] = True
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> Facts:
        if not d:
            return cls()
        installs = d.get("installs")
        return cls(
            needs=tuple(Need(NeedKind(n["kind"]), n.get("value", "")) for n in d.get("needs", ())),
            installs=Install(installs["manager"], tuple(installs.get("packages", ()))) if installs else None,
            serves=bool(d.get("serves", False)), editor=str(d.get("editor", "")),
            fetches=bool(d.get("fetches", False)), reads_only=bool(d.get("reads_only", False)),
            packages=tuple(str(p) for p in d.get("packages", ())), packages_offline=bool(d.get("packages_offline")),
            venv=str(d.get("venv", "")), shows=str(d.get("shows", "")),
            expected_failure=str(d.get("expected_failure", "")), literal=bool(d.get("literal", False)),
        )
