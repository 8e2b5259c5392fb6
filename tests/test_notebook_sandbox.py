"""Notebooks executed with nbclient INSIDE the sandbox image (tutorcheck/notebook), on the real engine.

The same acceptance as tests/test_notebook_exec.py (every runnable cell runs and prints what the
article recorded), but in the container a learner's untrusted notebook should run in: no
network, read-only root, the unprivileged user. Needs the engine; fails when it is missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import engine_with

from extractor.cli import main
from extractor.model import tutorial_from_json
from extractor.pipeline import render_article
from extractor.sandbox import images
from extractor.sandbox.notebook_run import run_notebook
from extractor.sandbox.reaper import LABEL

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "notebook"


@pytest.fixture(scope="module")
def engine() -> Any:
    """The engine with the notebook image (the step images are not needed here)."""
    return engine_with(images.ensure_notebook, "the notebook image")


def notebook(name: str) -> str:
    t = tutorial_from_json(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))
    return render_article(t).ipynb


def gone(c: Any, cid: str) -> bool:
    assert cid
    return not c.api.containers(all=True, filters={"id": cid, "label": LABEL})


@pytest.mark.parametrize("name", ["shell-state", "python-session"])
def test_when_run_all_in_the_sandbox_then_every_cell_runs_and_matches_the_recording(engine: Any, name: str) -> None:
    ipynb = notebook(name)
    run = run_notebook(ipynb, say=lambda _m: None)
    assert run.ok, [(v.index, v.status, v.reason, v.diff) for v in run.cells]
    recorded = [v for v in run.cells if v.status == "passed" and v.rule != "exit status"]
    assert len(recorded) >= 3  # outputs really compared, not just exit statuses
    executed = nbformat.reads(run.executed, as_version=4)
    nbformat.validate(executed)
    ran = [c for c in executed.cells if c.cell_type == "code" and c.get("execution_count")]
    assert len(ran) == sum(1 for v in run.cells if v.status == "passed")
    assert gone(engine, run.container)  # removed when the run ended


def test_when_a_recording_is_wrong_and_a_command_fails_then_those_cells_say_so(engine: Any) -> None:
    nb = nbformat.reads(notebook("shell-state"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "skip-execution" not in c.metadata.get("tags", [])]
    recorded = [c for c in code if any(o.get("metadata", {}).get("tutorcheck", {}).get("recorded")
                                       for o in c.outputs)]
    wrong = recorded[0]
    wrong.outputs[0]["data"]["text/plain"] = "something the command does not print\n"
    broken = code[-1]
    broken.source = broken.source.rstrip("\n") + "\nexit_status_please_fail_here_xyz"
    run = run_notebook(nbformat.writes(nb), say=lambda _m: None)
    status = {v.cell_id: v for v in run.cells}
    assert status[wrong.id].status == "failed"
    assert "-something the command does not print" in status[wrong.id].diff
    assert status[broken.id].status == "error"
    assert not run.ok
    others = [v for v in run.cells if v.cell_id not in (wrong.id, broken.id)]
    assert others and all(v.status in ("passed", "skipped") for v in others)


def test_when_a_cell_fails_then_run_all_stops_there_as_jupyter_would(engine: Any) -> None:
    nb = nbformat.reads(notebook("python-session"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "skip-execution" not in c.metadata.get("tags", [])]
    assert len(code) >= 3
    code[1].source = "raise RuntimeError('boom from the test')"
    code[1].outputs = []
    run = run_notebook(nbformat.writes(nb), say=lambda _m: None)
    by_id = {v.cell_id: v for v in run.cells}
    assert by_id[code[0].id].status == "passed"
    assert by_id[code[1].id].status == "error" and "boom from the test" in by_id[code[1].id].reason
    assert all(by_id[c.id].status == "notrun" for c in code[2:])


def test_when_a_notebook_reaches_for_the_network_or_the_host_then_the_sandbox_refuses(engine: Any) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "bash", "display_name": "Bash", "language": "bash"}})
    nb.cells = [
        nbformat.v4.new_code_cell("id -u", id="uid"),
        nbformat.v4.new_code_cell("touch /etc/owned 2>&1; echo rc=$?", id="etc"),
        nbformat.v4.new_code_cell("ls /var/run/docker.sock 2>&1 | head -1; echo done", id="sock"),
        nbformat.v4.new_code_cell("python3 -c \"import socket; socket.create_connection(('1.1.1.1', 80), 3)\"",
                                  id="net"),
    ]
    run = run_notebook(nbformat.writes(nb), say=lambda _m: None)
    executed = nbformat.reads(run.executed, as_version=4)
    out = {c.id: "".join(o.get("text", "") for o in c.outputs) for c in executed.cells}
    assert out["uid"].strip() == "60999"
    assert "rc=1" in out["etc"]
    assert "No such file" in out["sock"]
    verdicts = {v.cell_id: v for v in run.cells}
    # refused; the cell needs the network (extractor.unreached), it is not wrong
    assert "Network is unreachable" in str(executed.cells[3].outputs)
    assert verdicts["net"].status == "skipped", verdicts["net"]
    assert verdicts["net"].reason.startswith("needs the network"), verdicts["net"]
    assert gone(engine, run.container)


def test_cli_runs_a_generated_notebook_and_writes_the_executed_copy(engine: Any, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ran.ipynb"
    slug = "reading-a-json-config-with-jq"
    assert main(["notebook", str(ROOT / "generated" / slug), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{slug}: " in text and " passed" in text and "failed" not in text
    nbformat.validate(nbformat.reads(out.read_text(encoding="utf-8"), as_version=4))


def test_cli_says_which_cell_broke_and_exits_1(engine: Any, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    nb = nbformat.reads(notebook("shell-state"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "skip-execution" not in c.metadata.get("tags", [])]
    code[0].source = "cd /no/such/dir"
    path = tmp_path / "broken.ipynb"
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    assert main(["notebook", str(path)]) == 1
    text = capsys.readouterr().out
    assert "cell   1 error   cd /no/such/dir" in text
    assert "notrun" in text


def test_when_the_article_shows_an_exception_then_run_all_checks_it_and_goes_on(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step, Tutorial

    tb = ("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"
          "ValueError: invalid literal for int() with base 10: 'x'\n")
    block = CodeBlock(index=0, text="", lang="python", kind="session", prompt=">>> ",
                      steps=(Step("int('x')", tb, "python"), Step("int('41') + 1", "42\n", "python"),
                             Step("{}['k']", tb, "python")))
    t = Tutorial(slug="tb", title="tb", url="", source=SourceRef("test", "json"), blocks=(block,))
    run = run_notebook(render_article(t).ipynb, say=lambda _m: None)
    assert [v.status for v in run.cells] == ["passed", "passed", "failed"]
    assert run.cells[0].rule == "exception" and run.cells[1].rule != "exit status"  # 42 was compared
    assert "+KeyError: 'k'" in run.cells[2].diff
