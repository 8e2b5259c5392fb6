"""Authors' directives: read from Markdown, reST, HTML pages and feed items; the facts they state
(understand/authored.py); the actions they decide (plan/authored.py), the same in every place;
how a step they direct is judged; the notebook and check.sh they shape. No Docker here
(tests/test_directives_docker.py runs the sample for real)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.directives import DIRECTIVES, Directive, DirectiveError, DirectiveKind, parse_comment
from extractor.model import CodeBlock, Tutorial, tutorial_from_json
from extractor.options import RunOptions
from extractor.pipeline import load_tutorials
from extractor.plan import Action, Place, make_plan
from extractor.render.checkscript import render_inner
from extractor.render.notebook import build_notebook, notebook_to_markdown
from extractor.sandbox.notebook_run import judge
from extractor.sandbox.runner import judge_action
from extractor.vocab import ActionKind, NeedKind, StepStatus

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "directives"
BROKEN = DATA / "directives-broken"


def one(path: Path) -> Tutorial:
    found, errors = load_tutorials([path])
    assert not errors and len(found) == 1, errors
    return found[0]


def written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def actions(t: Tutorial, place: Place = Place.CHECK, **options: object) -> dict[tuple[int, int], Action]:
    plan = make_plan(t, place, RunOptions(**options))  # type: ignore[arg-type]
    return {(a.block, a.step): a for a in plan.actions}


def block_of(t: Tutorial, command: str) -> CodeBlock:
    return next(b for b in t.code_blocks if any(s.command.startswith(command) for s in b.steps))


# -- reading the words ------------------------------------------------------------------------

@pytest.mark.parametrize("text, want", [
    ("tutorcheck: skip", [Directive(DirectiveKind.SKIP, "")]),
    ("tutorcheck: skip the mirror is slow", [Directive(DirectiveKind.SKIP, "the mirror is slow")]),
    ("tutorcheck: expect-fail timeout=5",
     [Directive(DirectiveKind.EXPECT_FAIL), Directive(DirectiveKind.TIMEOUT, "5")]),
    ("tutorcheck: needs=-network,+tool:jq", [Directive(DirectiveKind.NEEDS, "-network,+tool:jq")]),
    ("tutorcheck: needs=none", [Directive(DirectiveKind.NEEDS, "none")]),
    ("tutorcheck: provides=tool:yarn", [Directive(DirectiveKind.PROVIDES, "tool:yarn")]),
    ("tutorcheck: file=app/main.py", [Directive(DirectiveKind.FILE, "app/main.py")]),
    ("tutorcheck: output=unordered", [Directive(DirectiveKind.OUTPUT, "unordered")]),
    ("tutorcheck: env=API_TOKEN", [Directive(DirectiveKind.ENV, "API_TOKEN")]),
    (" TutorCheck@12: output=regex ", [Directive(DirectiveKind.OUTPUT, "regex", 12)]),
])
def test_each_directive_is_read_with_its_value(text: str, want: list[Directive]) -> None:
    assert list(parse_comment(text)[0]) == want


def test_every_directive_kind_has_a_row_and_a_reading() -> None:
    assert set(DIRECTIVES) == set(DirectiveKind)


def test_setup_and_teardown_hold_the_comments_further_lines_as_their_block() -> None:
    found, body = parse_comment("tutorcheck: setup\n    mkdir data\n    touch data/x\n")
    assert found == (Directive(DirectiveKind.SETUP),) and body == "mkdir data\ntouch data/x\n"


@pytest.mark.parametrize("text, says", [
    ("tutorcheck: skp", "unknown directive 'skp'; valid directives: skip [reason], expect-fail, timeout=SECONDS"),
    ("tutorcheck: timeout=soon", "timeout= expects a positive number of seconds, got 'timeout=soon'"),
    ("tutorcheck: timeout=-1", "a positive number of seconds"),
    ("tutorcheck: output=sorted", "output= expects one of ignore, ellipsis, regex, unordered"),
    ("tutorcheck: needs=wifi", "'none' or a comma-separated list of cluster, gui, hardware, interactive, network"),
    ("tutorcheck: env=9LIVES", "a variable name"),
    ("tutorcheck: expect-fail=yes", "expect-fail takes no value"),
    ("tutorcheck:", "a tutorcheck comment with no directive"),
    ("tutorcheck: skip\necho stray", "only setup and teardown hold a block"),
    ("tutorcheck: setup", "this one holds none"),
])
def test_a_directive_tutorcheck_cannot_read_is_an_error_saying_what_is_valid(text: str, says: str) -> None:
    with pytest.raises(DirectiveError, match=re.escape(says)):
        parse_comment(text)


# -- reading them where they stand --------------------------------------------------------------

def test_markdown_rst_and_html_directives_reach_the_blocks_they_precede() -> None:
    md = one(SAMPLE / "docs" / "directives.md")
    assert block_of(md, "cat vegetables.txt").directives == (Directive(DirectiveKind.EXPECT_FAIL, "", 32),)
    rst = one(SAMPLE / "docs" / "guide" / "environment.rst")
    assert block_of(rst, "git tag").directives == (Directive(DirectiveKind.SKIP, "the release is made by hand", 21),)
    page = one(SAMPLE / "pages" / "archive.html")
    assert block_of(page, "tar -xf").directives == (Directive(DirectiveKind.EXPECT_FAIL),)
    for t in (md, rst, page):  # the comments are nowhere in what a reader reads
        assert not any("tutorcheck:" in b.markdown or "<!--" in b.markdown for b in t.blocks if b.type == "prose")


def test_a_directive_in_a_feed_items_html_is_read(tmp_path: Path) -> None:
    feed = written(tmp_path, "feed.atom", """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>One</title><id>urn:1</id><link href="https://example.com/1"/><updated>2026-01-01T00:00:00Z</updated>
<content type="html">&lt;p&gt;Hi&lt;/p&gt;&lt;!-- tutorcheck: skip not on CI --&gt;
&lt;pre&gt;&lt;code class="language-console"&gt;$ echo hi
hi&lt;/code&gt;&lt;/pre&gt;</content></entry></feed>
""")
    t = one(feed)
    assert t.code_blocks[0].directives == (Directive(DirectiveKind.SKIP, "not on CI"),)
    assert actions(t)[(0, 0)].reason == "skipped by the author: not on CI"


def test_a_setup_block_is_a_block_of_its_own_that_no_reader_sees() -> None:
    t = one(SAMPLE / "docs" / "directives.md")
    setup = t.code_blocks[0]
    assert setup.directives == (Directive(DirectiveKind.SETUP, "", 9),)
    assert (setup.kind, setup.lang, setup.line) == ("commands", "shell", 10)
    assert [s.command for s in setup.steps] == ["printf 'pear\\napple\\nfig\\n' > fruit.txt"]
    assert not any("pear" in b.markdown for b in t.blocks if b.type == "prose")


def test_a_python_setup_is_typed_into_the_articles_interpreter() -> None:
    t = one(SAMPLE / "docs" / "python-setup.md")
    setup = t.code_blocks[0]
    assert setup.directives == (Directive(DirectiveKind.SETUP, "python", 3),) and setup.lang == "python"
    first = actions(t)[(0, 0)]
    assert (first.kind, first.pasted, first.hidden, first.authored) == (
        ActionKind.PYTHON, True, "setup", "the author: setup=python")
    with pytest.raises(DirectiveError, match=re.escape("setup= expects one of shell, python, got 'setup=ruby'")):
        parse_comment("tutorcheck: setup=ruby\nputs 1\n")


def test_an_unknown_directive_names_the_file_and_line_and_the_other_files_are_still_read() -> None:
    found, errors = load_tutorials([BROKEN / "unknown.md", BROKEN / "unknown.rst", SAMPLE / "docs" / "directives.md"])
    assert [t.slug for t in found] == ["directives"]
    messages = sorted(str(e) for e in errors)
    assert len(messages) == 2
    assert re.search(r"unknown\.md › .*: line 10: unknown directive 'expect-failure'; valid directives: "
                     r"skip \[reason\], expect-fail, timeout=SECONDS, .* setup\[=python\], teardown\[=python\]$",
                     messages[0])
    assert re.search(r"unknown\.rst › .*: line 4: unknown directive 'skipp'", messages[1])


def test_a_directive_followed_by_no_block_is_an_error(tmp_path: Path) -> None:
    path = written(tmp_path, "dangling.md", "# T\n\n```console\n$ true\n```\n\n<!-- tutorcheck: skip -->\n")
    _found, errors = load_tutorials([path])
    assert [str(e) for e in errors] == [f"{path} › 'T': line 7: the directive 'skip' is followed by no code block "
                                        "(a directive applies to the next block)"]


# -- the facts they state (the author wins over inference) ------------------------------------

def test_needs_env_and_file_replace_what_was_inferred() -> None:
    t = one(SAMPLE / "docs" / "directives.md")
    assert "network" not in block_of(t, "curl -s").steps[0].needs  # inferred: curl reaches the network
    env = block_of(t, "test -n").steps[0]
    assert env.needs == ("secret",) and [n.value for n in env.facts.needs] == ["TUTORCHECK_SAMPLE_NAME"]
    saved = next(b for b in t.code_blocks if b.filename == "bin/yarn")
    assert saved.kind == "file" and saved.steps == ()


def test_needs_can_be_added_and_cleared(tmp_path: Path) -> None:
    t = one(written(tmp_path, "n.md", "# N\n\n<!-- tutorcheck: needs=+cluster -->\n```console\n$ echo a\n```\n\n"
                                        "<!-- tutorcheck: needs=none -->\n```console\n$ curl -sO https://example.com/x\n```\n"))
    assert t.code_blocks[0].steps[0].needs == ("cluster",)
    assert t.code_blocks[1].steps[0].needs == ()
    assert actions(t)[(0, 0)].reason == "needs a Kubernetes cluster (the author: needs=+cluster)"


# -- the actions they decide ------------------------------------------------------------------

def test_each_directive_decides_the_action_and_says_so() -> None:
    t = one(SAMPLE / "docs" / "directives.md")
    plan = actions(t, env={"TUTORCHECK_SAMPLE_NAME": "x"})
    by_command = {a.command: a for a in plan.values() if a.kind != ActionKind.STATIC}
    skipped = by_command["scp fruit.txt deploy@example.com:/srv/fruit.txt"]
    assert (skipped.kind, skipped.need, skipped.reason) == (
        ActionKind.SKIP, NeedKind.AUTHOR, "skipped by the author: publishing needs the author's server")
    assert by_command["cat vegetables.txt"].expect_fail
    assert by_command["sleep 1 && echo rested"].timeout == 20.0
    assert by_command["cat fruit.txt"].output_rule == "unordered"
    assert by_command["yarn --version"].kind == ActionKind.SHELL  # without provides=, no Debian yarn: skipped
    assert by_command["yarn --version"].authored == "the author: an earlier block provides tool:yarn"
    assert by_command["cat vegetables.txt"].authored == "the author: expect-fail"
    # nothing of a skipped block is checked, not its syntax either
    assert [a.kind for a in plan.values() if a.block == skipped.block] == [ActionKind.SKIP]


def test_without_provides_the_later_step_would_be_skipped(tmp_path: Path) -> None:
    text = (SAMPLE / "docs" / "directives.md").read_text(encoding="utf-8").replace("tutorcheck: provides=tool:yarn",
                                                                                    "a comment")
    t = one(written(tmp_path, "directives.md", text))
    assert next(a for a in actions(t).values() if a.command == "yarn --version").kind == ActionKind.SKIP


def test_an_authors_skip_leaves_no_gap_and_teardown_runs_last() -> None:
    t = one(SAMPLE / "docs" / "directives.md")
    plan = make_plan(t, Place.CHECK, RunOptions(env={"TUTORCHECK_SAMPLE_NAME": "x"}))
    teardown = [a for a in plan.actions if a.hidden == "teardown"]
    assert teardown[0].kind == ActionKind.SHELL and teardown[0].command == "rm -f fruit.txt"
    assert plan.actions[-len(teardown):] == tuple(teardown)
    assert all(a.runs for a in plan.actions if a.hidden == "setup" and a.kind != ActionKind.STATIC)


def test_every_place_plans_the_directives_alike() -> None:
    for path in (SAMPLE / "docs" / "directives.md", SAMPLE / "pages" / "archive.html"):
        t = one(path)
        plans = {place: actions(t, place) for place in Place}
        for place, decided in plans.items():
            for key, a in decided.items():
                if key not in plans[Place.CHECK]:
                    continue
                want = plans[Place.CHECK][key]
                assert (a.kind, a.reason, a.expect_fail, a.timeout, a.output_rule, a.hidden, a.authored) == (
                    want.kind, want.reason, want.expect_fail, want.timeout, want.output_rule, want.hidden,
                    want.authored), f"{place} {key}"


# -- judging a directed step ------------------------------------------------------------------

def _ran(**fields: object) -> Action:
    return Action(ActionKind.SHELL, 0, 0, "cmd", source="cmd", **fields)  # type: ignore[arg-type]


def test_an_expected_failure_that_passes_fails_and_one_that_fails_passes() -> None:
    a = _ran(expect_fail=True, authored="the author: expect-fail")
    passed = judge_action(a, "", 0)
    assert (passed.status, passed.reason) == (StepStatus.FAILED, "expected to fail, but it succeeded (exit status 0); "
                                                                  "the author: expect-fail")
    failed = judge_action(a, "no such file\n", 2)
    assert (failed.status, failed.reason) == (StepStatus.PASSED, "expected to fail, and failed (exit status 2); "
                                                                  "the author: expect-fail")
    shown = _ran(expect_fail=True, expected_output="cat: x: No such file or directory\n")
    other = judge_action(shown, "cat: y: Permission denied\n", 1)
    assert other.status == StepStatus.FAILED and other.reason.startswith("expected to fail, and failed, but output")


@pytest.mark.parametrize("rule, expected, output, status", [
    ("unordered", "b\na\n", "a\nb\n", StepStatus.PASSED),
    ("unordered", "b\na\n", "a\nc\n", StepStatus.FAILED),
    ("regex", "pid [0-9]+\n", "pid 4711\n", StepStatus.PASSED),
    ("regex", "pid [0-9]+\n", "pid x\n", StepStatus.FAILED),
    ("regex", "pid [0-9+\n", "pid 1\n", StepStatus.FAILED),
    ("ellipsis", "start ... end\n1\n...\n9\n", "start middle end\n1\n2\n3\n9\n", StepStatus.PASSED),
    ("ellipsis", "1\n...\n9\n", "1\n2\n8\n", StepStatus.FAILED),
    ("ignore", "1700000000\n", "1800000000\n", StepStatus.PASSED),
])
def test_output_rules(rule: str, expected: str, output: str, status: StepStatus) -> None:
    v = judge_action(_ran(output_rule=rule, expected_output=expected, authored=f"the author: output={rule}"), output, 0)
    assert v.status == status and v.reason.endswith(f"the author: output={rule}")


def test_update_never_rewrites_a_regex_or_an_expected_failure_that_succeeded() -> None:
    from extractor.corrected import only_output_differs
    from extractor.results import StepResult

    def result(a: Action, output: str, code: int) -> StepResult:
        v = judge_action(a, output, code)
        return StepResult(0, 0, "cmd", v.status, v.reason, expected_output=a.expected_output, output=output,
                          exit_code=code, match=v.match, match_rule=v.rule)

    assert only_output_differs(result(_ran(expected_output="a\n"), "b\n", 0))  # a plain mismatch: --update fixes it
    assert not only_output_differs(result(_ran(output_rule="regex", expected_output="[0-9]+\n"), "x\n", 0))
    assert not only_output_differs(result(_ran(expect_fail=True, expected_output="error\n"), "fine\n", 0))


def test_a_bad_regular_expression_says_so() -> None:
    v = judge_action(_ran(output_rule="regex", expected_output="([\n"), "x\n", 0)
    assert v.reason.startswith("the recorded output is not a valid regular expression")


# -- the notebook and check.sh ----------------------------------------------------------------

def test_the_notebook_hides_setup_from_its_prose_and_tags_what_the_author_said() -> None:
    t = one(SAMPLE / "docs" / "directives.md")
    nb = build_notebook(t, make_plan(t, Place.NOTEBOOK))
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "printf" not in prose and "<!--" not in prose
    setup = next(c for c in nb.cells if c.metadata.get("tutorcheck", {}).get("hidden") == "setup")
    assert "remove-cell" in setup.metadata["tags"] and setup.metadata["jupyter"]["source_hidden"]
    assert nb.cells[-1].metadata["tutorcheck"]["hidden"] == "teardown"  # the plan runs it last
    fails = next(c for c in nb.cells if c.metadata.get("tutorcheck", {}).get("expect_fail"))
    assert "raises-exception" in fails.metadata["tags"]
    assert "remove-cell" in notebook_to_markdown(nb)


def test_the_notebook_judge_inverts_an_expected_failure() -> None:
    t = one(SAMPLE / "pages" / "archive.html")
    original = build_notebook(t, make_plan(t, Place.NOTEBOOK))
    executed = build_notebook(t, make_plan(t, Place.NOTEBOOK))
    cells = [c for c in executed.cells if c.cell_type == "code"]
    for cell in cells:
        cell.execution_count = 1
        cell.outputs = []
    failing = next(c for c in cells if c.metadata["tutorcheck"].get("expect_fail"))
    judged = {r.cell_id: r for r in judge(original, executed)}
    assert (judged[failing.id].status, judged[failing.id].reason) == ("failed", "expected to fail, but it succeeded")
    failing.outputs = [{"output_type": "error", "ename": "", "evalue": "2", "traceback": []}]
    assert judge(original, executed)[[c.id for c in cells].index(failing.id)].status == "passed"


def test_check_sh_carries_the_directives_only_where_there_are_some() -> None:
    t = one(SAMPLE / "docs" / "directives.md")
    inner = render_inner(make_plan(t, Place.CHECK_SH))
    assert "directed_verdict()" in inner and 'cat >"$tc/outputrules.py"' in inner
    assert re.search(r"^directed=1 expect=fail rule='' why='the author: expect-fail' run 3 0 ", inner, re.M)
    assert re.search(r"^directed=1 expect=pass rule='' STEP_TIMEOUT=20 .*run 7 0 ", inner, re.M)
    assert re.search(r"^skip 13 0 .* nogap$", inner, re.M)
    plain = tutorial_from_json({"slug": "s", "title": "t", "url": "u", "blocks": [
        {"type": "code", "index": 0, "text": "$ echo hi\nhi\n", "lang": "shell", "kind": "session",
         "steps": [{"command": "echo hi", "expected_output": "hi\n"}]}]})
    assert "directed" not in render_inner(make_plan(plain, Place.CHECK_SH))


def test_step_mode_runs_the_hidden_setup_unasked_and_judges_an_expected_failure(tmp_path: Path) -> None:
    import io
    import subprocess

    from extractor.learner import Ran, Request, learner_plan, step_through

    class Folder:  # each step in bash, in one folder: what the steps here share are files
        def __init__(self) -> None:
            self.ran: list[str] = []

        def run(self, request: Request) -> Ran:
            self.ran.append(request.src)
            done = subprocess.run(["bash", "-c", request.src], cwd=tmp_path, text=True, capture_output=True,
                                  timeout=request.timeout or 30)
            return Ran(done.returncode, done.stdout + done.stderr)

        def close(self) -> None:
            pass

    t = one(SAMPLE / "pages" / "archive.html")
    asked: list[str] = []
    out = io.StringIO()
    folder = Folder()
    step_through(t, learner_plan(t), folder, lambda p: asked.append(p) or "r", out)
    assert folder.ran[0].startswith("mkdir -p site") and len(asked) == len(folder.ran) - 1  # set-up: not asked
    text = out.getvalue()
    assert "mkdir -p site" not in text and "the article's hidden setup" in text
    assert "✓ expected to fail, and failed (exit status 2); the author: expect-fail" in text
    assert "not run: skipped by the author: the upload needs the author's account" in text


def test_rst_reads_the_directive_spelling_too_and_its_mistakes_are_errors(tmp_path: Path) -> None:
    text = ("Both\n====\n\n.. tutorcheck:: setup\n\n   echo set > up.txt\n\n.. code-block:: console\n\n"
            "   $ cat up.txt\n   set\n\n.. tutorcheck:: skip not here\n\n.. code-block:: console\n\n   $ echo a\n")
    t = one(written(tmp_path, "both.rst", text))
    assert [b.directives for b in t.code_blocks] == [
        (Directive(DirectiveKind.SETUP, "", 4),), (), (Directive(DirectiveKind.SKIP, "not here", 13),)]
    _found, errors = load_tutorials([written(tmp_path, "bad.rst", text.replace(":: skip", ":: skp"))])
    assert [str(e).split(" › ", 1)[1] for e in errors] == [
        "'Both': line 13: unknown directive 'skp'; valid directives: skip [reason], expect-fail, timeout=SECONDS, "
        "needs=NEED,..., provides=tool:NAME,..., file=PATH, output=ignore|ellipsis|regex|unordered, env=NAME, "
        "setup[=python], teardown[=python]"]


def test_a_pages_misspelt_directive_names_the_block_it_comes_before(tmp_path: Path) -> None:
    page = written(tmp_path, "page.html", "<html><head><title>P</title></head><body><h1>P</h1>"
                                          "<pre><code>$ echo a\na</code></pre><!-- tutorcheck: exepct-fail -->"
                                          "<pre><code>$ false</code></pre></body></html>")
    _found, errors = load_tutorials([page])
    assert [str(e).split(": unknown")[0] for e in errors] == [
        f"{page} › 'P': the tutorcheck comment before code block 1"]
