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


@pytest.mark.parametrize("name", ["harness", "check_command", "targets", "learner", "pipeline", "pytest_plugin"]
                         + [f"learn/{p.stem}" for p in sorted((PACKAGE / "learn").glob("*.py"))])
def test_docker_is_spoken_only_in_the_sandbox_package(name: str) -> None:
    assert "docker" not in imported(PACKAGE / f"{name}.py")


def test_no_module_in_the_package_is_over_350_lines() -> None:
    long = {p.relative_to(PACKAGE).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350}
    assert not long, f"split these by idea: {long}"


def test_the_container_labels_are_spelt_in_one_place() -> None:
    spelt = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
             if '"tutorcheck.owner"' in p.read_text(encoding="utf-8")]
    assert spelt == ["sandbox/reaper.py"]


def test_every_module_the_package_imports_exists() -> None:
    import importlib.util

    missing = {(p.relative_to(PACKAGE).as_posix(), m) for p in PACKAGE.rglob("*.py") for m in imported(p)
               if m.startswith("extractor") and importlib.util.find_spec(m) is None}
    assert not missing, f"imports of modules that are gone: {sorted(missing)}"
