"""The GitHub Action, the example workflow and the pre-commit hook: they parse, they follow
their schemas (the ones check-jsonschema vendors), and the hook's entry really checks a file."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema
from conftest import DATA
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> object:
    """YAML 1.2, as GitHub reads it (``on:`` is a key, not ``True``)."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load((ROOT / name).read_text(encoding="utf-8"))


def _errors(schema_name: str, document: object) -> list[str]:
    validator = Draft7Validator(get_builtin_schema(schema_name))
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]


def test_action_is_a_valid_composite_action_that_never_pastes_inputs_into_scripts() -> None:
    action = _load("action.yml")
    assert _errors("vendor.github-actions", action) == []
    assert isinstance(action, dict) and action["runs"]["using"] == "composite"
    used = set()
    for step in action["runs"]["steps"]:
        run = step.get("run", "")
        assert "${{" not in run, f"an expression pasted into a script: {run[:60]!r}"
        used |= set(re.findall(r"inputs\.([\w-]+)", yaml.safe_dump(step)))
    assert set(action["inputs"]) <= used  # every input is wired to something


def test_example_workflow_is_valid_with_a_shard_matrix_and_a_merge_job() -> None:
    workflow = _load("docs/examples/github-workflow.yml")
    assert _errors("vendor.github-workflows", workflow) == []
    assert isinstance(workflow, dict)
    jobs = workflow["jobs"]
    shards = jobs["check"]["strategy"]["matrix"]["shard"]
    check_step = next(s for s in jobs["check"]["steps"] if "tutorcheck" in s.get("uses", ""))
    assert check_step["with"]["shard"] == f"${{{{ matrix.shard }}}}/{len(shards)}"
    assert jobs["merge"]["needs"] == "check" and jobs["merge"]["if"] == "always()"
    merge_step = next(s for s in jobs["merge"]["steps"] if "tutorcheck" in s.get("uses", ""))
    assert merge_step["with"]["command"] == "merge"


def _hook() -> dict[str, object]:
    hooks = _load(".pre-commit-hooks.yaml")
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
    return dict(hook)


def test_pre_commit_hook_takes_markdown_and_rst_and_names_the_console_script() -> None:
    hook = _hook()
    files = re.compile(str(hook["files"]))
    assert all(files.search(p) for p in ("docs/intro.md", "a/b.markdown", "guide.rst"))
    assert not any(files.search(p) for p in ("setup.py", "notes.txt", "md/file.py"))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert shlex.split(str(hook["entry"]))[0] in scripts


@pytest.mark.docker
def test_pre_commit_entry_checks_a_changed_markdown_file(tmp_path: Path) -> None:
    """pre-commit runs ``entry`` with the changed files appended."""
    from extractor.cli import main

    argv = [*shlex.split(str(_hook()["entry"]))[1:], str(DATA / "docs" / "counting-words.md"),
            "--cache-dir", str(tmp_path / "cache"), "--json", str(tmp_path / "r.json")]
    assert main(argv) == 0
    assert '"passed"' in (tmp_path / "r.json").read_text()
