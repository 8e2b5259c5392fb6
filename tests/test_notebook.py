"""Notebook rendering (pure): structure, metadata, determinism, validity, jupytext round trip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from extractor.model import CodeBlock, Facts, Install, ProseBlock, SourceRef, Step, Tutorial, tutorial_from_json
from extractor.options import RunOptions
from extractor.plan import Action, Place, make_plan, steps_of
from extractor.render import notebook as render
from extractor.render.cells import commented, fenced, images_as_links, write_file_shell
from extractor.vocab import ActionKind

DATA = Path(__file__).resolve().parent / "data" / "notebook"
SAMPLES = sorted(p.stem for p in DATA.glob("*.json"))


def sample(name: str) -> Tutorial:
    return tutorial_from_json(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


def build_notebook(t: Tutorial) -> nbformat.NotebookNode:
    return render.build_notebook(t, make_plan(t, Place.NOTEBOOK))


def render_notebook(t: Tutorial) -> tuple[str, str]:
    return render.render_notebook(t, make_plan(t, Place.NOTEBOOK))


def plan_steps(t: Tutorial, allow_network: bool = False) -> list[Action]:
    """The notebook's units: every planned action but the static checks."""
    plan = make_plan(t, Place.NOTEBOOK, RunOptions(allow_network=allow_network))
    return [a for a in plan.actions if a.kind != ActionKind.STATIC]


def skip(a: Action) -> str:
    return "" if a.kind.runs else a.reason


def cells_by_id(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {c.id.split("-", 1)[1]: c for c in nb.cells}


def assert_round_trips(ipynb: str, md: str) -> None:
    nb = nbformat.reads(ipynb, as_version=4)
    nbformat.validate(nb)
    back = jupytext.reads(md, fmt="md")
    assert [(c.cell_type, c.source) for c in back.cells] == [(c.cell_type, c.source) for c in nb.cells]
    assert back.metadata["kernelspec"] == nb.metadata["kernelspec"]


def test_samples_are_present() -> None:
    assert SAMPLES == ["prose-only", "python-session", "shell-state"]


@pytest.mark.parametrize("name", SAMPLES)
def test_when_rendered_then_valid_deterministic_and_round_trips(name: str) -> None:
    t = sample(name)
    ipynb, md = render_notebook(t)
    assert render_notebook(t) == (ipynb, md)
    assert_round_trips(ipynb, md)
    nb = json.loads(ipynb)
    ids = [c["id"] for c in nb["cells"]]
    assert len(ids) == len(set(ids))
    assert not re.search(r'"execution_count": \d', ipynb) and "jupytext_version:" not in md


def test_header_and_metadata_name_the_article() -> None:
    nb = build_notebook(sample("shell-state"))
    header = nb.cells[0].source
    assert header.startswith("# Shell state that carries")
    for text in ("Ada Example", "2026-03-01", "`shell`", "<https://examples.tutorcheck.invalid/shell-state-sample>",
                 "<https://mirror.tutorcheck.invalid/shell-state-sample>"):
        assert text in header
    meta = nb.metadata["tutorcheck"]
    assert meta["url"] == "https://examples.tutorcheck.invalid/shell-state-sample"
    assert meta["aliases"] == ["https://mirror.tutorcheck.invalid/shell-state-sample"]
    assert meta["author"] == "Ada Example" and meta["tags"] == ["shell", "bash"] and meta["kernel"] == "bash"
    assert nb.metadata["jupytext"]["formats"] == "ipynb,md"


def test_when_shell_only_then_bash_kernel_one_cell_per_step_in_order() -> None:
    nb = build_notebook(sample("shell-state"))
    assert nb.metadata["kernelspec"]["name"] == "bash"
    cells = cells_by_id(nb)
    assert cells["b-0-s0"].source == "mkdir -p workspace/notes && cd workspace"
    assert cells["b-1-s0"].source == "cat <<EOF > notes/todo.txt\nbuy milk\nwrite tests\ncall alice\nEOF"
    code = [c.id.split("-", 1)[1] for c in nb.cells if c.cell_type == "code"]
    assert code[:4] == ["b-0-s0", "b-0-s1", "b-0-s2", "b-0-s3"]


def test_recorded_output_is_attached_and_marked() -> None:
    cell = cells_by_id(build_notebook(sample("shell-state")))["b-1-s2"]
    (out,) = cell.outputs
    assert out.output_type == "display_data"
    assert out.data["text/plain"] == "buy milk\ncall alice\nwrite tests\n"
    assert out.metadata["tutorcheck"]["recorded"] is True
    assert cell.metadata["tutorcheck"]["recorded_output"] is True
    assert cell.execution_count is None


def test_file_becomes_a_cell_that_writes_it_where_introduced() -> None:
    cells = cells_by_id(build_notebook(sample("shell-state")))
    src = cells["b-2-file"].source
    assert src.startswith("mkdir -p conf\ncat > conf/app.env <<'EOF_'\n")  # the file has an EOF line
    assert cells["b-2-file"].metadata["tutorcheck"]["filename"] == "conf/app.env"
    py = cells_by_id(build_notebook(sample("python-session")))
    assert py["b-0-file"].source.startswith("%%writefile wordcount.py\nimport sys\n")
    assert py["b-2-file"].source.startswith("%%shell\nmkdir -p conf\ncat > conf/settings.json <<'EOF'\n")


def test_fragments_output_and_text_stay_markdown() -> None:
    nb = build_notebook(sample("shell-state"))
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "```yaml\nspec:\n  replicas: 3\n```" in text
    assert "````text\ndeployment.apps/demo created\n```\n````" in text
    assert "```text\nworkspace/\n" in text
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "replicas" not in code and "└──" not in code


def test_unmeetable_steps_are_commented_tagged_and_explained() -> None:
    cells = cells_by_id(build_notebook(sample("shell-state")))
    kube = cells["b-4-s0"]
    assert kube.source.splitlines()[0] == (
        "# tutorcheck: not run by Run All: needs a Kubernetes cluster."
    )
    assert kube.source.splitlines()[-1] == "# kubectl apply -f deploy.yaml"
    assert kube.metadata["tags"] == ["skip-execution"]
    assert kube.metadata["tutorcheck"]["skip"].startswith("needs a Kubernetes cluster")
    assert kube.outputs[0].data["text/plain"] == "deployment.apps/demo created\n"  # still shown
    assert kube.metadata["tutorcheck"]["need"] == "cluster"
    assert "follows step 0" in cells["b-4-s1"].metadata["tutorcheck"]["skip"]
    assert "placeholder" in cells["b-5-file"].metadata["tutorcheck"]["skip"]
    assert "depends on earlier steps that did not run" in cells["b-9-s0"].metadata["tutorcheck"]["skip"]
    runnable = [c for c in cells.values() if c.cell_type == "code" and "skip" not in c.metadata["tutorcheck"]]
    assert all(not c.source.startswith("# tutorcheck") for c in runnable)


def test_when_python_steps_then_python_kernel_with_shell_helper() -> None:
    nb = build_notebook(sample("python-session"))
    assert nb.metadata["kernelspec"]["name"] == "python3"
    cells = cells_by_id(nb)
    assert cells["setup"].metadata["tags"] == ["tutorcheck-setup"]
    assert "register_cell_magic" in cells["setup"].source
    assert cells["b-1-s0"].source == "%%shell\nmkdir -p words && cd words"
    assert cells["b-3-s6"].source == 'for letter in "abc":\n    print(letter.upper())'
    assert cells["b-4-s1"].metadata["tags"] == ["skip-execution"]


def test_prose_only_article_has_header_and_prose() -> None:
    nb = build_notebook(sample("prose-only"))
    assert [c.cell_type for c in nb.cells] == ["markdown", "markdown"]
    assert "[image: diagram](https://img.invalid/d.png)" in nb.cells[1].source


def test_images_become_links() -> None:
    assert images_as_links("[![a terminal](https://i/t.png)](https://x/big.png)") == "[image: a terminal](https://x/big.png)"
    assert images_as_links('![](https://i/t.png "title") and ![b](u)') == "[image](https://i/t.png) and [image: b](u)"


def test_fence_outlasts_backticks_in_text() -> None:
    assert fenced("a ``` b\n", "shell") == "````bash\na ``` b\n````"
    assert fenced("x", "yaml") == "```yaml\nx\n```"


def test_heredoc_keeps_content_exactly() -> None:
    assert write_file_shell("my file.txt", "$HOME `x`\n") == "cat > 'my file.txt' <<'EOF'\n$HOME `x`\nEOF\n"


def test_commented_cell_keeps_every_line() -> None:
    assert commented("a\n\nb", "needs x").splitlines()[2:] == ["# a", "#", "# b"]


def test_allow_network_lifts_network_skips() -> None:
    t = sample("python-session")
    assert [skip(p) for p in plan_steps(t) if p.step == 1 and p.block == 4] != [""]
    assert [skip(p) for p in plan_steps(t, allow_network=True) if p.step == 1 and p.block == 4] == [""]


def test_block_needs_apply_when_steps_carry_none() -> None:
    block = CodeBlock(index=0, text="$ curl x\n", kind="session", lang="shell",
                      steps=(Step("curl x"),), needs=("network",))
    t = Tutorial(slug="s", title="T", url="u", source=SourceRef("f", "rss20"), blocks=(ProseBlock("p"), block))
    assert skip(plan_steps(t)[0]) == "needs the network (run with --allow-network)"


def test_session_without_steps_is_shown_not_run() -> None:
    block = CodeBlock(index=0, text="$ ???\n", kind="session", lang="shell")
    t = Tutorial(slug="s", title="T", url="u", source=SourceRef("f", "rss20"), blocks=(block,))
    nb = build_notebook(t)
    assert [c.cell_type for c in nb.cells] == ["markdown", "markdown"]


def test_every_bundled_article_gets_a_valid_paired_notebook() -> None:
    from extractor.pipeline import load_tutorials

    root = Path(__file__).resolve().parent.parent
    tutorials, errors = load_tutorials([root / "feeds"])
    assert not errors and len(tutorials) >= 9
    for t in tutorials:
        ipynb, md = render_notebook(t)
        assert_round_trips(ipynb, md)
        nb = nbformat.reads(ipynb, as_version=4)
        assert nb.metadata["tutorcheck"]["slug"] == t.slug
        steps = [c for c in nb.cells if c.cell_type == "code" and "step" in c.metadata.get("tutorcheck", {})]
        assert len(steps) == sum(len(steps_of(b)) for b in t.code_blocks if b.kind in ("session", "commands"))


def test_files_outside_the_folder_and_sudo_are_not_run() -> None:
    blocks = (
        CodeBlock(index=0, text="x: 1\n", kind="file", lang="yaml", filename="~/.kube/config"),
        CodeBlock(index=1, text="y\n", kind="file", lang="text", filename="/etc/motd"),
        CodeBlock(index=2, text="$ sudo apt-get install -y jq\n", kind="session", lang="shell",
                  steps=(Step("sudo apt-get install -y jq", needs=("tool:sudo", "tool:apt-get"),
                              facts=Facts(installs=Install("apt-get", ("jq",)))),)),
        CodeBlock(index=3, text="ok\n", kind="file", lang="text", filename="sub/dir/ok.txt"),
    )
    t = Tutorial(slug="s", title="T", url="u", source=SourceRef("f", "rss20"), blocks=blocks)
    assert [skip(p) for p in plan_steps(t)] == [
        "writes ~/.kube/config, outside the notebook's folder",
        "writes /etc/motd, outside the notebook's folder",
        "installs system packages (jq) with apt-get: not run; the sandbox image carries them",
        "",
    ]
    # the same files are written in the sandbox: the one row of the places table that differs
    assert [a.kind for a in make_plan(t, Place.CHECK).actions] == [ActionKind.WRITE, ActionKind.WRITE,
                                                                   ActionKind.PROVIDED, ActionKind.WRITE]


def test_unsplit_commands_block_is_one_step() -> None:
    block = CodeBlock(index=0, text="echo a\necho b\n", kind="commands", lang="shell")
    t = Tutorial(slug="s", title="T", url="u", source=SourceRef("f", "rss20"), blocks=(block,))
    (p,) = plan_steps(t)
    assert (p.command, p.step, skip(p)) == ("echo a\necho b\n", 0, "")
