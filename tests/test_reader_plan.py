"""Running like a reader, decided without Docker: editors, answers, definitions in the plan."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extractor.model import CodeBlock, SourceRef, Step, Tutorial
from extractor.plan import make_plan
from extractor.understand import understand_blocks
from extractor.understand.editors import PLACEHOLDER_MESSAGE, commit_messages, opens_editor
from extractor.vocab import ActionKind

PYTHON, SCRIPT, SKIP = ActionKind.PYTHON, ActionKind.SCRIPT, ActionKind.SKIP


@pytest.mark.parametrize(("command", "program"), [
    ("git commit", "git commit"), ("git add . && git commit", "git commit"), ("git commit -a", "git commit"),
    ("git commit --amend", "git commit"), ("git tag -a v1.0", "git tag"), ("git rebase -i HEAD~3", "git rebase -i"),
    ("crontab -e", "crontab -e"), ("kubectl edit deploy/web", "kubectl edit"), ("nano notes.txt", "nano"),
    ("$EDITOR ~/.bashrc", "$EDITOR"), ("sudo vim /etc/hosts", "vim"),
    ("git commit -m 'x'", None), ("git commit -am 'x'", None), ("git commit --amend --no-edit", None),
    ("git commit -F msg.txt", None), ("git tag v1.0", None), ("git rebase main", None), ("crontab -l", None),
])
def test_which_commands_open_an_editor(command: str, program: str | None) -> None:
    opens = opens_editor(command)
    assert (opens.program if opens else None) == program


def test_a_commit_message_comes_from_the_git_log_the_article_shows_later() -> None:
    assert commit_messages("8c1d2e4 (HEAD -> main) Add a note\n3f2a1bc Add a README\n") == ["Add a note",
                                                                                          "Add a README"]
    full = "commit 3f2a1bc\nAuthor: A <a@b>\nDate:   Mon\n\n    Start the notes\n"
    assert commit_messages(full) == ["Start the notes"]
    text = "$ git commit\n$ git commit -m 'two'\n$ git log --oneline\nbbbbbbb two\naaaaaaa one\n$ git commit\n"
    done = understand_blocks((CodeBlock(0, text),), "t", "t")
    block = done[0]
    assert isinstance(block, CodeBlock)
    assert [s.edits for s in block.steps] == ["one", None, None, PLACEHOLDER_MESSAGE]


def _tutorial(*blocks: CodeBlock) -> Tutorial:
    return Tutorial("t", "t", "", SourceRef("test", "json"),
                    blocks=understand_blocks(blocks, "test", "t"))


def test_an_editor_step_runs_with_a_non_interactive_editor_and_says_so() -> None:
    plan = make_plan(_tutorial(CodeBlock(0, "$ git commit\n$ git log --oneline\nabcdef1 Fix it\n")))
    commit = plan.actions[0]
    assert "GIT_EDITOR=" in commit.source and "Fix it" in commit.source
    assert commit.note == "edited non-interactively: git commit wrote 'Fix it'"
    assert commit.source.endswith("(exit $__tc_rc)")  # the editor is the step's only, its exit status kept


def test_a_prompt_whose_answer_is_not_shown_is_skipped_as_interactive() -> None:
    plan = make_plan(_tutorial(CodeBlock(0, '>>> name = input("Name: ")\n>>> name\n\'x\'\n')))
    assert plan.actions[0].kind == SKIP and plan.actions[0].reason.startswith("interactive")
    shown = make_plan(_tutorial(CodeBlock(0, '>>> name = input("Name: ")\nName: Ada\n')))
    assert shown.actions[0].kind == PYTHON and shown.actions[0].answers == ("Ada",)


def test_a_shell_answer_goes_to_stdin_and_its_echo_leaves_the_expected_output() -> None:
    plan = make_plan(_tutorial(CodeBlock(0, '$ read -p "Name: " n; echo "hi $n"\nName: Ada\nhi Ada\n')))
    step = plan.actions[0]
    assert "printf '%s\\n' Ada" in step.source and step.expected_output == "hi Ada\n"


def test_definitions_before_a_session_run_in_its_interpreter_and_programs_stay_programs() -> None:
    plan = make_plan(Tutorial("t", "t", "", SourceRef("test", "json"), blocks=(
        CodeBlock(0, "", lang="python", kind="commands", steps=(Step("class A: pass", lang="python", pasted=True),)),
        CodeBlock(1, "", lang="python", kind="commands", steps=(Step("print(1)", lang="python"),)))))
    assert [(a.kind, a.pasted) for a in plan.actions] == [(PYTHON, True), (SCRIPT, False)]


@pytest.mark.parametrize(("command", "service"), [
    ("createdb shop", "postgresql"), ("psql shop -c 'select 1'", "postgresql"),
    ("psql -h localhost shop", "postgresql"),
    ("redis-cli ping", "redis"), ("psql -h db.example.com shop", None), ("psql postgres://u@db.example.com/x", None),
    ("sqlite3 shop.db .tables", None),
])
def test_a_client_of_a_local_server_needs_that_service(command: str, service: str | None) -> None:
    from extractor.understand.needs import Made, step_needs

    found = [n.split(":", 1)[1] for n in step_needs(command, Made(), set(), None) if n.startswith("service:")]
    assert found == ([service] if service else [])


def test_a_service_a_step_needs_is_installed_in_the_layer_and_started_before_it() -> None:
    plan = make_plan(_tutorial(CodeBlock(0, "$ createdb shop\n$ psql shop -c 'select 1'\n")))
    assert {"postgresql", "postgresql-client"} <= set(plan.packages)
    assert [a.services for a in plan.actions if a.runs] == [("postgresql",), ("postgresql",)]


@pytest.mark.parametrize(("command", "found"), [
    ("kubectl create ns shop", ("create", None)), ("kubectl -n x expose deploy web --port=80", ("expose", None)),
    ("cat <<EOF | kubectl apply -f -\nkind: Namespace\nEOF", ("apply", None)),
    ("kubectl apply -f deploy.yaml", ("apply", "deploy.yaml")), ("kubectl get pods", None),
    ("kubectl set image deploy/web a=b", ("set", None)), ("kubectl delete ns shop", None),
])
def test_which_kubectl_steps_kubectl_can_check_without_a_cluster(command: str, found: object) -> None:
    from extractor.understand.kube import client_checkable

    assert client_checkable(command) == found


def test_a_cluster_step_gets_a_client_side_check_when_its_manifest_is_there() -> None:
    plan = make_plan(_tutorial(CodeBlock(0, "$ kubectl create ns shop\nnamespace/shop created\n"
                                            "$ kubectl apply -f missing.yaml\n$ kubectl get pods\n")))
    checks = [a for a in plan.actions if a.client_check]
    assert [a.command for a in checks] == ["kubectl --dry-run=client (no cluster): kubectl create ns shop"]
    assert "kubernetes-client" in plan.packages


def test_the_client_side_verdict_says_what_was_validated() -> None:
    from extractor.plan.kubecheck import MARK
    from extractor.sandbox.kubejudge import judge

    assert judge("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n", 0) == (
        True, "kubectl generated Namespace shop, validated against the bundled Kubernetes schema")
    assert judge(f"The connection to the server localhost:8080 was refused\n{MARK}\n", 0)[0]
    ok, why = judge("Error: unknown flag: --replica\nSee 'kubectl create deployment --help' for usage.\n", 1)
    assert not ok and "unknown flag: --replica" in why
    bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: two\n"
    assert judge(bad, 0)[0] is False


def test_what_the_article_shows_of_its_machine_is_pinned_and_nothing_else() -> None:
    from extractor.understand.pins import git_identity, hostname

    log = CodeBlock(0, "", kind="session", prompt="ada@laptop:~/notes$ ", steps=(
        Step("git log -1", "commit abc\nAuthor: Ada Lovelace <ada@example.com>\nDate: x\n"),))
    assert git_identity((log,)) is not None and git_identity((log,)).value == "Ada Lovelace <ada@example.com>"
    assert hostname((log,)) is not None and hostname((log,)).value == "laptop"
    configured = CodeBlock(1, "", kind="session", prompt="bob@server:~$ ", steps=(
        Step('git config --global user.name "Bob"'),))
    assert git_identity((configured, log)) is None  # the article sets its identity in a step
    assert hostname((configured, log)) is None  # two machines: no single one to pin
    assert hostname((CodeBlock(2, "", kind="session", prompt="$ "),)) is None


@pytest.mark.parametrize(("prompt", "pinned"), [
    ("deploy@web:/srv/app$ ", "/srv/app"), ("u@h:/opt/site/current$  / u@h:/tmp$ ", "/opt/site/current"),
    ("me@box:~/demo$ ", None), ("root@x:/etc# ", None), ("$ ", None),
])
def test_the_steps_start_where_the_first_prompt_shows_a_project_directory(prompt: str, pinned: str | None) -> None:
    from extractor.sandbox.policy import Policy
    from extractor.understand.pins import start_dir

    pin = start_dir((CodeBlock(0, "", kind="session", prompt=prompt),))
    assert (pin.value if pin else None) == pinned
    if pin:
        policy = Policy().with_start_dir(pin.value)
        assert policy.sdk_kwargs()["working_dir"] == pinned and pinned in policy.tmpfs()
        assert "uid=60999" in policy.tmpfs()[pinned]


def test_the_clock_is_pinned_to_the_articles_date_only_when_its_output_shows_that_day() -> None:
    from extractor.understand.pins import clock

    shows = (CodeBlock(0, "", kind="session", steps=(Step("date +%F", "2024-05-01\n"),)),)
    assert clock("2024-05-01T09:00:00Z", shows) is not None
    assert clock("2024-05-02T09:00:00Z", shows) is None  # another day: nothing says the output is that day
    assert clock("", shows) is None
    py = (CodeBlock(0, "", kind="session", steps=(Step("date.today()", "datetime.date(2024, 5, 1)\n", "python"),)),)
    assert clock("2024-05-01T00:00:00Z", py) is not None
    from extractor.understand.pins import pins

    pinned = pins(shows, "2024-05-01T09:00:00Z")  # extract stores them on the tutorial
    plan = make_plan(Tutorial("t", "t", "", SourceRef("test", "json"), blocks=shows, pins=pinned))
    assert "faketime" in plan.packages and [p.what for p in plan.pins] == ["clock"]


def test_an_unreadable_kubeconfig_is_a_usage_error_naming_it(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import FEEDS

    from extractor.cli import main

    missing = tmp_path / "nope.yaml"
    assert main(["check", str(FEEDS / "tutorcheck-examples.atom.xml"), "--kubeconfig", str(missing)]) == 2
    assert f"--kubeconfig: cannot read {missing}" in capsys.readouterr().err


def test_with_a_kubeconfig_cluster_steps_run_and_get_no_client_side_check() -> None:
    from extractor.options import RunOptions
    from extractor.plan import Place

    t = _tutorial(CodeBlock(0, "$ kubectl create ns shop\nnamespace/shop created\n"))
    plan = make_plan(t, Place.CHECK, RunOptions(kubeconfig="apiVersion: v1\n"))
    assert [(a.kind, a.client_check) for a in plan.actions if a.runs] == [("shell", False)]


@pytest.mark.parametrize(("command", "port"), [
    ("python3 -m http.server", 8000), ("python3 -m http.server --bind 127.0.0.1 8123", 8123),
    ("python manage.py runserver 0.0.0.0:8080", 8080), ("flask run --port 5001", 5001), ("flask run", 5000),
    ("npm start", 3000), ("php -S localhost:8001", 8001), ("tail -f app.log", None),
    ("kubectl port-forward svc/web 8080:80", None),
])
def test_the_next_step_waits_for_the_port_a_server_answers_on(command: str, port: int | None) -> None:
    from extractor.plan.rules import in_background
    from extractor.understand.services import server_port

    assert server_port(command) == port
    assert (f"/dev/tcp/127.0.0.1/{port}" in in_background(command, 0, 0, server_port(command))) is (port is not None)
    served = understand_blocks((CodeBlock(0, f"$ {command}\n"),), "t", "t")[0]
    assert isinstance(served, CodeBlock) and served.steps[0].port == (port if served.steps[0].facts.serves else None)


def test_a_statement_at_a_console_runs_as_one_call_of_the_program_the_article_opened() -> None:
    import shlex

    from extractor.pipeline import load_tutorials

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "consoles.html"])
    assert not errors
    sources = {a.command: a.source for a in make_plan(found[0]).actions}
    assert sources["SELECT nam FROM items;"] == "psql shop -X -c " + shlex.quote("SELECT nam FROM items;")
    assert sources["SELECT count(*) FROM notes;"] == (
        "sqlite3 notes.db <<'TC_STATEMENT'\nSELECT count(*) FROM notes;\nTC_STATEMENT")
    assert sources["INCR visits"] == "redis-cli --no-raw <<'TC_STATEMENT'\nINCR visits\nTC_STATEMENT"
    octave = Tutorial("t", "t", "", SourceRef("test", "json"), blocks=(CodeBlock(
        0, "", kind="session", steps=(Step("1 + 1", lang="octave", needs=("tool:octave",)),)),))
    assert [(a.kind, a.reason) for a in make_plan(octave).actions] == [
        ("skip", "typed at the GNU Octave (octave) console, which tutorcheck does not run")]


def test_a_statement_at_nodes_prompt_runs_after_the_ones_typed_before_it_at_that_console() -> None:
    from extractor.pipeline import load_tutorials

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "node-repl.html"])
    assert not errors
    actions = [a for a in make_plan(found[0]).actions if a.lang == "node"]
    typed = [a.source.split("<<'TC_STATEMENT'\n", 1) for a in actions]
    assert all(head.startswith("node -e ") for head, _ in typed)
    counts = [int(head.rsplit(" ", 2)[-2]) for head, _ in typed]
    assert counts == [*range(8), 0, 1]  # statement N: after the N typed before it; after .exit a new REPL
    assert [a.block for a in actions[-2:]] == [1, 1]  # a js block of "> " lines: Node's REPL, no `node` shown
    assert typed[4][1] == ("const langs = ['js', 'ts']\nlangs.map(l => l.toUpperCase())\n"
                           "function area(r) {\n  return Math.PI * r * r\n}\narea(1).toFixed(3)\n"
                           "console.log(`${langs.length} languages`)\nTC_STATEMENT")
    again = Tutorial("t", "t", "", SourceRef("test", "json"), blocks=(
        *found[0].code_blocks, *found[0].code_blocks))  # opened anew by the second `node`: nothing typed yet
    assert [a.source.rsplit(" <<", 1)[0].rsplit(" ", 1)[-1] for a in make_plan(again).actions
            if a.lang == "node"] == [str(n) for n in counts] * 2


def test_the_readme_counts_the_seed_articles_kubectl_steps_that_get_a_client_side_check() -> None:
    """Every kubectl create/apply/run/expose/set step of the bundled feeds (generated/) gets its
    client-side check: offline, all but one whose manifest is a URL, which --allow-network checks.
    The README's figures are these counts."""
    import json
    import re

    from extractor.model import tutorial_from_json
    from extractor.options import RunOptions

    root = Path(__file__).resolve().parent.parent
    tutorials = [tutorial_from_json(json.loads(p.read_text(encoding="utf-8")))
                 for p in sorted((root / "generated").glob("*/tutorial.json"))]
    steps = sum(1 for t in tutorials for b in t.code_blocks for s in b.steps if s.client_check)
    offline = sum(a.client_check for t in tutorials for a in make_plan(t).actions)
    networked = RunOptions(allow_network=True)
    online = sum(a.client_check for t in tutorials for a in make_plan(t, options=networked).actions)
    said = re.search(r"Of the (\d+) such steps in the bundled real-blog feeds, (\d+) are\s+now checked offline",
                     (root / "README.md").read_text(encoding="utf-8"))
    assert said is not None and steps > 0 and (steps, offline) == (int(said[1]), int(said[2]))
    assert online == steps  # with the network, the one whose manifest is a URL is checked too


@pytest.mark.parametrize(("line", "said"), [
    ("# OR A library", "# OR A library"), ("# or", "# or"), ("$ # or, with pipx", "# or, with pipx"),
    ("# Alternatively:", "# Alternatively:"), ("// or", "// or"), ("  ## Or from source", "## Or from source"),
    ("# order of the entries", None), ("# create the folder", None), ("echo hi  # or not", None),
    ("or", None),
])
def test_which_comments_offer_the_next_command_instead(line: str, said: str | None) -> None:
    from extractor.understand.alternatives import marker

    assert marker(line) == said


def test_a_command_a_comment_offers_instead_of_the_one_before_is_its_alternative_not_a_further_step() -> None:
    from extractor.model import Alternative
    from extractor.pipeline import load_tutorials
    from extractor.vocab import NeedKind

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "alternative-commands.html"])
    assert not errors
    blocks = found[0].code_blocks
    offered = [[s.alternative for s in b.steps] for b in blocks]
    assert offered == [
        [None, Alternative(0, "mkdir journal", "# OR, if you may have one already"), None],
        [None, Alternative(0, "printf 'day one\\nday two\\n' > entries.txt", "# alternatively, one line at a time"),
         None],
        [None, Alternative(0, "wc -l < entries.txt", "# or"),
         Alternative(0, "wc -l < entries.txt", "# Or with awk:"), None],  # a chain: both stand in for the first
        [None, None],  # a comment at a line's end, or one that only starts with "or..."
    ]
    assert [s.expected_output for s in blocks[2].steps] == ["2\n"] * 3 + ["entries.txt\n"]  # no "# or" in them
    assert [s.command for s in blocks[3].steps] == ["head -n 1 entries.txt  # or: sed -n 1p entries.txt",
                                                    "tail -n 1 entries.txt"]
    assert blocks[0].steps[1].to_json()["alternative"] == {"step": 0, "command": "mkdir journal",
                                                          "said": "# OR, if you may have one already"}
    actions = [a for a in make_plan(found[0]).actions if a.kind != ActionKind.STATIC]
    skipped = [(a.block, a.step, a.need) for a in actions if a.kind == SKIP]
    assert skipped == [(0, 1, NeedKind.ALTERNATIVE), (1, 1, NeedKind.ALTERNATIVE), (2, 1, NeedKind.ALTERNATIVE),
                       (2, 2, NeedKind.ALTERNATIVE)]  # and no step after them is skipped as following a gap
    assert actions[1].reason == ("an alternative to step 0 of this block (mkdir journal), as the comment before it "
                                 "says (# OR, if you may have one already): a reader runs one of them")


@pytest.mark.parametrize(("source", "syntax"), [
    ("%timeit sorted(x)", "%timeit"), ("%%bash\necho hi", "%%bash"), ("!ls", "!"), ("files = !ls", "!"),
    ("len?", "?"), ("np.array??", "?"), ("t = %time f(1)", "%time"),
    ("a != b", None), ("x = 1", None), ("print('%d' % 3)", None), ("sum(prices)", None),
])
def test_what_only_ipython_runs(source: str, syntax: str | None) -> None:
    from extractor.understand.python import ipython_syntax

    assert ipython_syntax(source) == syntax


def test_an_ipython_session_runs_its_python_and_names_ipythons_own_syntax_as_why_the_rest_is_not_run() -> None:
    from extractor.pipeline import load_tutorials
    from extractor.vocab import NeedKind

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "ipython.html"])
    assert not errors
    blocks = found[0].code_blocks
    assert [[s.lang for s in b.steps] for b in blocks] == [["python"] * 7, ["python"], ["ipython", "python"],
                                                           ["ipython"]]
    assert [s.expected_output for s in blocks[0].steps] == [None, "23.75\n", None, "[5.4, 14.4, 8.7]\n",
                                                            "3 prices\n", None, None]  # Out[n]: is IPython's
    assert [s.pasted for s in blocks[0].steps] == [False] * 5 + [True] * 2  # a trailing ; : IPython shows no value
    actions = [a for a in make_plan(found[0]).actions if a.kind != ActionKind.STATIC]
    assert [a.kind for a in actions[:8]] == [PYTHON] * 8
    assert [(a.kind, a.need) for a in actions[8:]] == [(SKIP, NeedKind.LANG), (SKIP, NeedKind.SEQUENCE),
                                                       (SKIP, NeedKind.LANG)]
    assert actions[8].reason == ("IPython's own syntax (a magic, a shell escape, ? help): the sandbox runs the "
                                 "session in plain Python, not IPython")


@pytest.mark.parametrize(("steps", "pinned"), [
    ((Step("pytest -q", "rootdir: /home/ada/shop\ncollected 2 items\n"),), "/home/ada/shop"),
    ((Step("mkdir -p notes && cd notes"), Step("pwd", "/home/ada/work/notes\n")), "/home/ada/work"),  # cd taken off
    ((Step("cd inventory"), Step("git init", "Initialized empty Git repository in /srv/inventory/.git/\n")), "/srv"),
    ((Step("cd ~/x"), Step("pwd", "/home/ada/x\n")), None),  # where ~ is cannot be told from the steps
    ((Step("cd other"), Step("pwd", "/home/ada/notes\n")), None),  # the path does not end where the cd went
    ((Step("pytest tests/unit", "rootdir: /home/ada/shop/tests/unit\n"),), None),  # a path argument: not the cwd
    ((Step("pwd", "/tmp/scratch\n"),), None), ((Step("pwd", "/root/x\n"),), None), ((Step("pwd", "/etc\n"),), None),
    ((Step("pwd", "/home/ada\n"),), None),  # a home itself: HOME stays the sandbox's, ~ would go elsewhere
])
def test_the_steps_start_where_an_output_shows_the_author_worked(steps: tuple[Step, ...], pinned: str | None) -> None:
    from extractor.understand.pins import pins, shown_dir

    blocks = (CodeBlock(0, "", kind="session", steps=steps),)
    pin = shown_dir(blocks)
    assert (pin.value if pin else None) == pinned
    if pin:
        assert pin.shown_in.startswith("the article's `") and [p.what for p in pins(blocks)] == ["workdir"]


def test_the_terminal_width_is_the_one_the_articles_rule_lines_show() -> None:
    from extractor.understand.pins import terminal_width

    def shows(*widths: int) -> tuple[CodeBlock, ...]:
        lines = "".join(f"{'=' * ((w - 7) // 2)} title {'=' * (w - 7 - (w - 7) // 2)}\n" for w in widths)
        return (CodeBlock(0, "", kind="session", steps=(Step("pytest", lines + "1 passed\n"),)),)

    pin = terminal_width(shows(72, 72, 100))
    assert pin is not None and pin.value == "72"  # what most rule lines show
    assert terminal_width(shows(80)) is None  # the sandbox's own width: nothing to pin
    bare = (CodeBlock(0, "", kind="session", steps=(Step("python3 -m unittest", "=" * 70 + "\nOK\n"),)),)
    assert terminal_width(bare) is None  # unittest's bare rules are 70 wide whatever the terminal
    plan = make_plan(Tutorial("t", "t", "", SourceRef("test", "json"), blocks=shows(72), pins=(pin,)))
    assert plan.pinned.environment == {"COLUMNS": "72"}


def test_a_rerun_the_article_shows_no_output_for_expects_the_output_of_the_earlier_run(tmp_path: Path) -> None:
    from extractor.pipeline import load_tutorials
    from extractor.plan import Place
    from extractor.render.checkscript import render_inner
    from extractor.sandbox.runner import judge_action
    from extractor.vocab import StepStatus

    shown = "F\n1 failed in 0.01s\n"
    page = tmp_path / "again.md"
    page.write_text("# Again\n\nSave this as `test_one.py`:\n\n```python\ndef test_one():\n    assert 0\n```\n\n"
                    f"```console\n$ pytest -q\n{shown}```\n\nOnce more, stopping at the first failure:\n\n"
                    "```console\n$ pytest -q -x\n```\n\nAnd list the files:\n\n```console\n$ ls\n```\n",
                    encoding="utf-8")
    tutorials, errors = load_tutorials([page])
    assert not errors
    plan = make_plan(tutorials[0])
    again = next(a for a in plan.actions if a.command == "pytest -q -x")
    assert again.expected_output is None and again.like_output == shown and again.like == "block 1 step 0 (pytest -q)"
    assert all(a.like_output is None for a in plan.actions if a.command in ("pytest -q", "ls"))  # other tools: none
    passed = judge_action(again, "F\n1 failed in 0.20s\n", 1)
    assert passed.status == StepStatus.PASSED and "block 1 step 0" in passed.reason
    assert judge_action(again, "E\n1 error in 0.20s\n", 1).status == StepStatus.FAILED  # another outcome
    assert judge_action(again, "F\n1 failed in 0.20s\n", 4).status == StepStatus.PASSED  # its output decides
    assert judge_action(again, "usage: pytest\n", 4).reason == "exit status 4"
    assert judge_action(again, "", 0).status == StepStatus.PASSED
    assert 'cat >"$tc/like"' in render_inner(make_plan(tutorials[0], Place.CHECK_SH))  # check.sh judges alike


@pytest.mark.parametrize(("output", "asks"), [
    ("Traceback (most recent call last):\nModuleNotFoundError: No module named 'yaml'\n", "yaml"),
    ("/usr/bin/python3: No module named markdown\n", "markdown"),
    ("ImportError: Missing optional dependency 'openpyxl'.  Use pip or conda to install openpyxl.\n", "openpyxl"),
    ("RuntimeError: Pint requires the 'uncertainties' package to create a Measurement object.\n", "uncertainties"),
    ("Exception: This feature requires Babel. Please install it by running:\npip install Babel\n", "Babel"),
    ("TypeError: unsupported operand\n", None),
])
def test_the_package_a_failed_steps_error_asks_for(output: str, asks: str | None) -> None:
    from extractor.results import StepResult
    from extractor.sandbox.asked import asked
    from extractor.vocab import StepStatus

    failed = StepResult(3, 1, "x", StepStatus.FAILED, output=output)
    assert list(asked([failed], (), ())) == ([asks] if asks else [])
    if asks:
        assert asked([failed], (), ())[asks] == "block 3 step 1"
        assert asked([replace(failed, status=StepStatus.PASSED)], (), ()) == {}  # the article shows that error
        assert asked([failed], (f"pymod:{asks}",), ()) == {}  # the layer has it: nothing more to add
        assert asked([failed], (), (asks,)) == {}  # the article's own module, not a package
def test_a_statement_at_mysqls_prompt_runs_in_the_database_the_last_use_named_without_the_password_prompt() -> None:
    from extractor.pipeline import load_tutorials

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "mysql.html"])
    assert not errors
    opener, create, use, *rest = [a for a in make_plan(found[0]).actions if a.kind != ActionKind.STATIC]
    assert (opener.command, opener.source) == ("mysql -u root -p", "mysql -u root")  # -p would wait at the terminal
    assert "service:mysql" in opener.needs and "service:mysql" in create.needs
    assert create.source.startswith("mysql -u root -t -vvv 2>&1 <<'TC_STATEMENT' | awk ")
    assert create.source.endswith("\nCREATE DATABASE library;\nTC_STATEMENT\n(exit \"${PIPESTATUS[0]}\")")
    assert use.source == "mysql -u root -e 'USE library;' && echo 'Database changed'"
    assert all(a.source.startswith("mysql -u root --init-command='USE library' -t -vvv") for a in rest[:-1])
    assert rest[-1].source.startswith("mysql library -t -vvv")  # MariaDB [library]>: the prompt names it
    assert {"mariadb-client", "mariadb-server"} <= set(make_plan(found[0]).packages)


def test_a_later_block_at_a_console_continues_the_one_the_article_left_open() -> None:
    from extractor.pipeline import load_tutorials

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "sqlite-reading-list.html"])
    assert not errors
    steps = {s.command: s for b in found[0].code_blocks for s in b.steps}
    assert steps["SELECT title, pages FROM books ORDER BY pages;"].console == "sqlite3 books.db"  # a block later
    assert steps["SELECT n * 6 FROM answers;"].console == "sqlite3"  # after .quit: the console opened since
    assert steps["[...]"].needs == ("elided:[...]",)
    assert "file:my-old-answers.sql" in steps[".read my-old-answers.sql"].needs  # a file of the reader's own
    assert not any(n.startswith("file:") for n in steps[".read more-answers.sql"].needs)  # the article saved it
    assert not any(n.startswith("file:") for n in steps["cat titles.txt"].needs)  # sqlite3's .output made it
    sources = {a.command: a.source for a in make_plan(found[0]).actions}
    assert sources["SELECT title FROM books WHERE pages > 450;"] == (  # the settings typed there, not its SQL
        "sqlite3 books.db <<'TC_STATEMENT'\n.headers on\n.separator \" : \"\n.mode list\n"
        "SELECT title FROM books WHERE pages > 450;\nTC_STATEMENT")
    assert sources["CREATE TABLE answers(n INT);"].startswith("rm -f /tmp/.tutorcheck-sqlite-memory.db\nsqlite3 /tmp/")


def test_a_name_the_pages_first_python_uses_and_never_binds_comes_from_an_earlier_page() -> None:
    """``inventory`` is used from the page's first example on and never bound: part 1 made it.
    ``Counter``, called and never imported, is an import the page left out, and ``describe``,
    first missing late in the page, the page's own omission: they run (and fail)."""
    from extractor.pipeline import load_tutorials

    found, errors = load_tutorials([Path(__file__).parent / "data" / "reader" / "second-page.html"])
    assert not errors
    actions = {a.command: a for a in make_plan(found[0]).actions}
    cursor = actions["cur = inventory.cursor()"]
    assert (cursor.kind, cursor.need) == ("skip", "file")
    assert cursor.reason == "uses `inventory`, which this page never defines (an earlier page of the tutorial does)"
    assert actions['cur.execute("select count(*) from parts").fetchone()'].need == "sequence"
    assert actions['inventory.execute("select max(qty) from parts").fetchone()'].need == "file"  # a later block
    assert {actions[c].kind for c in ("import sqlite3", 'scratch = sqlite3.connect(":memory:")',
                                      "describe(scratch)")} == {"python"}
    assert actions['Counter("abca")["a"]'].need == "sequence"  # after the gap of its block, not for its own name
    assert "file:`Counter`" not in next(s for b in found[0].code_blocks for s in b.steps
                                        if s.command.startswith("Counter")).needs
