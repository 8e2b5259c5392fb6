"""Which tools the sandbox images have, and which Debian package brings the others.

Data, not code: ``sandboxes/tools.tsv`` (tool → package, ``-`` when Debian has none) and
``sandboxes/toolbox/packages.txt`` (what the toolbox image already installs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SANDBOXES = Path(__file__).resolve().parent.parent.parent / "sandboxes"
NO_PACKAGE = "-"


@dataclass(frozen=True)
class ToolTable:
    packages: dict[str, str | None]  # tool → Debian package, None when there is none
    toolbox: frozenset[str]  # packages already in the toolbox image
    notes: dict[str, str] = field(default_factory=dict)  # tool → why the sandbox cannot offer it

    def package_for(self, tool: str) -> str | None:
        return self.packages.get(tool)

    def known(self, tool: str) -> bool:
        return tool in self.packages

    def in_toolbox(self, tool: str) -> bool:
        pkg = self.packages.get(tool)
        return pkg is not None and pkg in self.toolbox


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def parse_tools(tsv: str, toolbox_packages: str) -> ToolTable:
    packages: dict[str, str | None] = {}
    notes: dict[str, str] = {}
    for ln in tsv.splitlines():
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        tool, pkg, *rest = ln.split("\t")
        packages[tool.strip()] = None if pkg.strip() == NO_PACKAGE else pkg.strip()
        if rest and rest[0].strip():
            notes[tool.strip()] = rest[0].strip()
    box = frozenset(
        ln.strip() for ln in toolbox_packages.splitlines() if ln.strip() and not ln.startswith("#")
    )
    return ToolTable(packages=packages, toolbox=box, notes=notes)


@cache
def tool_table() -> ToolTable:
    """The table of the checked-out recipes (sandboxes/)."""
    return parse_tools(
        (SANDBOXES / "tools.tsv").read_text(encoding="utf-8"),
        (SANDBOXES / "toolbox" / "packages.txt").read_text(encoding="utf-8"),
    )
