"""Cell verdicts of an executed notebook (pure: no kernel, no engine)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from extractor.sandbox.notebook_run import judge, packages_of


def recorded(text: str) -> dict:
    return new_output("display_data", data={"text/plain": text}, metadata={"tutorcheck": {"recorded": True}})


def pair(cells_before: list, cells_after: list) -> list:
    return judge(new_notebook(cells=cells_before), new_notebook(cells=cells_after))


def test_recorded_output_is_compared_with_the_harness_rules() -> None:
    before = [new_markdown_cell("intro", id="m"),
              new_code_cell("kubectl get pods", id="a", outputs=[recorded("NAME   AGE\nweb-1  11s\n")]),
              new_code_cell("echo 3", id="b", outputs=[recorded("3\n")])]
    after = [new_markdown_cell("intro", id="m"),
             new_code_cell("kubectl get pods", id="a", execution_count=1,
                           outputs=[new_output("stream", name="stdout", text="NAME   AGE\nweb-1  3m59s\n")]),
             new_code_cell("echo 3", id="b", execution_count=2,
                           outputs=[new_output("stream", name="stdout", text="4\n")])]
    a, b = pair(before, after)
    assert (a.index, a.status) == (1, "passed") and a.rule not in ("", "exact")
    assert b.status == "failed" and "-3" in b.diff and "+4" in b.diff


def test_errors_skips_and_cells_after_a_stop() -> None:
    skip_meta = {"tags": ["skip-execution"], "tutorcheck": {"skip": "needs a Kubernetes cluster"}}
    before = [new_code_cell("# tutorcheck: not run by Run All: x.\n# To run it ...\n# kubectl apply -f x.yaml",
                            id="s", metadata=skip_meta),
              new_code_cell("ls /nope", id="e"),
              new_code_cell("echo later", id="n")]
    after = [nbformat.from_dict(dict(before[0])),
             new_code_cell("ls /nope", id="e", execution_count=1, outputs=[
                 new_output("error", ename="ExitCode", evalue="2", traceback=[])]),
             new_code_cell("echo later", id="n")]
    s, e, n = pair(before, after)
    assert (s.status, s.reason, s.first_line) == ("skipped", "needs a Kubernetes cluster", "kubectl apply -f x.yaml")
    assert e.status == "error" and "ExitCode" in e.reason
    assert n.status == "notrun"


def test_no_recording_means_the_exit_status_decides() -> None:
    before = [new_code_cell("%%writefile app.py\nprint(1)", id="w")]
    after = [new_code_cell("%%writefile app.py\nprint(1)", id="w", execution_count=1,
                           outputs=[new_output("stream", name="stdout", text="Writing app.py\n")])]
    (w,) = pair(before, after)
    assert (w.status, w.rule, w.first_line) == ("passed", "exit status", "print(1)")


def test_packages_come_from_the_plan_of_cells_that_run() -> None:
    from extractor.model import CodeBlock, SourceRef, Step, Tutorial
    from extractor.pipeline import render_article

    block = CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
        Step("echo 1 + 1 | bc", needs=("tool:bc",)), Step("tree", needs=("cluster", "tool:tree")),
        Step("jq .", needs=("tool:jq",))))  # jq: in the toolbox; tree: its step is not run
    t = Tutorial(slug="p", title="p", url="", source=SourceRef("test", "json"), blocks=(block,))
    nb = nbformat.reads(render_article(t).ipynb, as_version=4)
    assert packages_of(nb) == ["bc"]
    assert packages_of(new_notebook()) == []  # a notebook from before the plan wrote them needs none


def test_an_exception_the_article_shows_on_purpose_passes_only_when_it_is_the_same_one() -> None:
    tb = "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nValueError: bad 'x'\n"
    meta = {"tags": ["raises-exception"]}
    before = [new_code_cell("int('x')", id="same", metadata=meta, outputs=[recorded(tb)]),
              new_code_cell("int('y')", id="other", metadata=meta, outputs=[recorded(tb)])]
    after = [new_code_cell("int('x')", id="same", metadata=meta, execution_count=1,
                           outputs=[new_output("error", ename="ValueError", evalue="bad 'x'", traceback=[])]),
             new_code_cell("int('y')", id="other", metadata=meta, execution_count=2,
                           outputs=[new_output("error", ename="KeyError", evalue="'y'", traceback=[])])]
    same, other = pair(before, after)
    assert (same.status, same.rule) == ("passed", "exception")
    assert other.status == "failed" and "+KeyError: 'y'" in other.diff


def test_a_python_example_recorded_as_a_traceback_is_tagged_so_run_all_goes_on() -> None:
    from extractor.model import CodeBlock, SourceRef, Step, Tutorial
    from extractor.pipeline import render_article

    tb = ("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"
          "ZeroDivisionError: division by zero\n")
    block = CodeBlock(index=0, text=">>> 1/0\n" + tb, lang="python", kind="session", prompt=">>> ",
                      steps=(Step("1/0", tb, "python"), Step("2 + 2", "4\n", "python")))
    t = Tutorial(slug="tb", title="tb", url="", source=SourceRef("test", "json"), blocks=(block,))
    nb = nbformat.reads(render_article(t).ipynb, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
    assert tags == [["raises-exception"], []]


def test_a_server_step_becomes_a_cell_that_starts_it_in_the_background() -> None:
    from extractor.model import CodeBlock, Facts, SourceRef, Step, Tutorial
    from extractor.pipeline import render_article

    server = Step("python3 -m http.server 8000", None, "shell", facts=Facts(serves=True))  # as understand/ says
    block = CodeBlock(index=0, text="", lang="shell", kind="session", prompt="$ ", steps=(server, Step("ls")))
    t = Tutorial(slug="srv", title="srv", url="", source=SourceRef("test", "json"), blocks=(block,))
    nb = nbformat.reads(render_article(t).ipynb, as_version=4)
    server, ls = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "( python3 -m http.server 8000 >/tmp/tutorcheck-0-0.log 2>&1 & echo $! >/tmp/tutorcheck-0-0.pid )" in server
    assert server.startswith("# tutorcheck: this keeps running") and ls == "ls"


def test_a_cell_whose_error_a_skipped_cell_explains_is_blocked_naming_that_cell() -> None:
    skip_meta = {"tags": ["skip-execution"], "tutorcheck": {"skip": "needs the network"}}
    before = [new_code_cell("# tutorcheck: not run by Run All: x.\n# To run it ...\n"
                            "# r = requests.get('https://api.example.org/items')", id="s", metadata=skip_meta),
              new_code_cell("r.status_code", id="e", outputs=[recorded("200\n")])]
    after = [nbformat.from_dict(dict(before[0])),
             new_code_cell("r.status_code", id="e", execution_count=1, outputs=[
                 new_output("error", ename="NameError", evalue="name 'r' is not defined", traceback=[])])]
    s, e = pair(before, after)
    assert s.status == "skipped"
    assert e.status == "blocked" and e.reason.startswith("blocked: cell 1 (`r = requests.get(")
    assert "it would have set r" in e.reason
