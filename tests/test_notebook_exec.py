"""Notebooks run top to bottom: execute them with nbclient (bash_kernel / ipykernel) in a temp dir.

Every runnable cell must succeed and print what the article recorded; cells the notebook marks
as not runnable are skipped by their ``skip-execution`` tag and keep the recorded output.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from extractor.model import Tutorial, tutorial_from_json
from extractor.pipeline import render_article

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "notebook"


def execute(t: Tutorial, workdir: Path) -> nbformat.NotebookNode:
    nb = nbformat.reads(render_article(t).ipynb, as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name=nb.metadata["kernelspec"]["name"],
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()  # raises CellExecutionError when a cell fails
    return nb


def text_of(outputs: list[nbformat.NotebookNode]) -> str:
    parts = [o.get("text") or o.get("data", {}).get("text/plain", "") for o in outputs]
    return "\n".join(line.rstrip() for line in "".join(parts).splitlines()).rstrip("\n")


def recorded(cell: nbformat.NotebookNode) -> str | None:
    outs = [o for o in cell.outputs if o.get("metadata", {}).get("tutorcheck", {}).get("recorded")]
    return text_of(outs) if outs else None


@pytest.mark.parametrize("name", ["shell-state", "python-session"])
def test_when_run_all_then_every_cell_runs_and_matches_the_recording(name: str, tmp_path: Path) -> None:
    t = tutorial_from_json(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))
    before = nbformat.reads(render_article(t).ipynb, as_version=4)
    after = execute(t, tmp_path)
    compared = 0
    for old, new in zip(before.cells, after.cells, strict=True):
        if old.cell_type != "code":
            continue
        if "skip-execution" in old.metadata.get("tags", []):
            assert new.outputs == old.outputs  # not run: the recording stays
            continue
        expected = recorded(old)
        if expected is not None:
            assert text_of(new.outputs) == expected, f"cell {old.id}"
            compared += 1
    assert compared >= 3


def test_shell_state_carries_and_files_land_in_the_working_directory(tmp_path: Path) -> None:
    t = tutorial_from_json(json.loads((DATA / "python-session.json").read_text(encoding="utf-8")))
    execute(t, tmp_path)
    assert (tmp_path / "wordcount.py").exists()
    assert json.loads((tmp_path / "words" / "conf" / "settings.json").read_text()) == {"top": 2}


def test_bundled_runnable_examples_run_all_without_error(tmp_path: Path) -> None:
    from extractor.pipeline import load_tutorials

    tutorials, errors = load_tutorials([ROOT / "feeds" / "tutorcheck-examples.atom.xml"])
    assert not errors and tutorials
    for t in tutorials:
        workdir = tmp_path / t.slug
        workdir.mkdir()
        nb = execute(t, workdir)
        ran = [c for c in nb.cells if c.cell_type == "code" and "skip-execution" not in c.metadata.get("tags", [])]
        assert ran, t.slug


def test_seed_notebooks_survive_run_all_even_when_tags_are_ignored(tmp_path: Path) -> None:
    # Jupyter's "Run All" does not honour skip-execution; the commented cells must be harmless.
    from extractor.pipeline import load_tutorials

    tutorials, errors = load_tutorials([ROOT / "feeds" / "devto-zhangjintao.rss.xml",
                                        ROOT / "feeds" / "hashnode-moelove.rss.xml"])
    assert not errors
    runnable = [t for t in tutorials if any(b.steps or b.kind == "file" for b in t.code_blocks)]
    assert len(runnable) >= 4
    for t in runnable:
        nb = nbformat.reads(render_article(t).ipynb, as_version=4)
        workdir = tmp_path / t.slug
        workdir.mkdir()
        NotebookClient(nb, timeout=60, kernel_name=nb.metadata["kernelspec"]["name"], skip_cells_with_tag="",
                       resources={"metadata": {"path": str(workdir)}}).execute()
