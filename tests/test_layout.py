"""The layout rules of CONTRIBUTING.md, checked: renderers only render, Docker stays in the
sandbox package, the plan and the model are pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(*parts: str) -> list[Path]:
    root = PACKAGE.joinpath(*parts)
    return sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]


@pytest.mark.parametrize("path", modules("render") + modules("plan") + modules("model") + modules("vocab")
                         + modules("options"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_renderers_the_plan_and_the_model_never_touch_docker(path: Path) -> None:
    bad = {m for m in imported(path) if m == "docker" or m.startswith(("docker.", "extractor.sandbox"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_the_plan_reads_no_command_text_with_its_own_patterns() -> None:
    for path in modules("plan"):
        assert "understand" not in " ".join(imported(path)), f"{path.name}: facts come on the step, typed"
