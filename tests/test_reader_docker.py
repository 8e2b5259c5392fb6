"""Running like a reader, on the real engine: sample tutorials of our own (tests/data/reader/).

One container per sample article; each test asserts every step's verdict, then the same
sample with one changed expected value fails exactly that step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.model import Tutorial
from extractor.pipeline import load_tutorials
from extractor.results import ArticleResult
from extractor.sandbox.runner import RunOptions, check_tutorial

pytestmark = pytest.mark.docker
DATA = Path(__file__).resolve().parent / "data" / "reader"


def sample(name: str, tmp_path: Path, change: tuple[str, str] | None = None, *more: tuple[str, str]) -> Tutorial:
    """The sample page, or a copy with one recorded value (or a few) changed."""
    text = (DATA / name).read_text(encoding="utf-8")
    for old, new in (change, *more) if change is not None else ():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    tutorials, errors = load_tutorials([page])
    assert not errors and len(tutorials) == 1
    return tutorials[0]


def not_passed(result: ArticleResult) -> list[tuple[str, str, str, str]]:
    return [(s.command, s.status, s.reason, s.diff) for s in result.steps if s.status != "passed"]


def test_when_a_python_session_runs_then_the_repl_shows_what_the_article_shows(engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("python-repl.html", tmp_path), RunOptions(step_timeout=20))
    assert not_passed(result) == []
    rules = {s.command.split("\n")[0]: s.match_rule for s in result.steps}
    assert rules["Box()"] == "address"
    fruit = next(s for s in result.steps if s.command == "fruit")  # hash order: the article's, or another
    assert fruit.match_rule == ("unordered" if fruit.output != fruit.expected_output else "")
    assert rules["1 +"] == "traceback"  # a SyntaxError as the REPL prints it, caret column aside
    assert rules["try:"] == ""  # the chained traceback, exactly: no frame of the shim in it
    assert rules["area.__annotations__"] == ""  # classes, not strings: no inherited __future__ flag
    steps = {s.command.split("\n")[0]: s for s in result.steps}
    assert steps["class Point:"].action == "python"  # the plain block, typed into the same interpreter
    assert steps["p"].output == "Point(0, 0)\n"
    assert steps["distance(p, Point(3, 4))"].output == "5.0\n"  # geometry.py was saved, then imported
    assert steps['name = input("Your name: ")'].output == "Your name: Ada\n"  # the answer the article shows
    assert steps['print(f"Hello, {name}!")'].match == "exact"


def test_when_one_recorded_value_changes_then_exactly_that_example_fails(engine: Any, tmp_path: Path) -> None:
    t = sample("python-repl.html", tmp_path, ("{'cherry', 'banana', 'apple'}", "{'cherry', 'banana', 'grape'}"))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [(c, s) for c, s, _, _ in not_passed(result)] == [("fruit", "failed")]
    assert "grape" in result.steps[3].diff


def test_when_a_step_opens_an_editor_or_asks_then_it_runs_as_the_article_shows(engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("shell-reader.html", tmp_path), RunOptions(step_timeout=30))
    assert not_passed(result) == []
    steps = {s.command: s for s in result.steps}
    assert steps["git commit"].reason == "edited non-interactively: git commit wrote 'Add a README'"
    assert steps["git log --oneline"].output.endswith(" Add a README\n")  # the message from the article's log
    assert "Ada" in steps['read -p "Your name: " name'].reason
    assert steps['echo "Hello, $name"'].output == "Hello, Ada\n"
    assert "Author: Ada Lovelace <ada@example.com>" in steps["git log -1"].output  # the identity the log shows
    assert steps["hostname"].output == "laptop\n"  # the machine the prompts show
    assert result.pinned == {"git-identity": "Ada Lovelace <ada@example.com> (from the article's git log)",
                             "hostname": "laptop (from the article's prompts)",
                             "clock": "2024-05-01 12:00:00 UTC (from the article's date, which its output shows)"}
    assert steps['date +"%A, %B %-d"'].output == "Wednesday, May 1\n"  # the day the article was written


def test_when_a_shell_session_runs_then_it_prints_what_a_readers_terminal_prints(engine: Any, tmp_path: Path) -> None:
    """Errors without a script's "line N:", $? carried from step to step, job notices, set -e/-u/
    pipefail and an ERR trap pasted, xtrace, exec redirections, extglob and a lowered ulimit."""
    result = check_tutorial(sample("shell-session.html", tmp_path), RunOptions(step_timeout=20))
    assert not_passed(result) == []
    steps = {s.command: s for s in result.steps}
    assert steps["sl"].output == "bash: sl: command not found\n"  # the reader's message, not the driver's line
    assert steps["echo $?"].output == "127\n"  # the status of the step before
    assert steps["sleep 1 &"].match_rule == "job-pid"  # "[1] <pid>", printed as job control does
    assert steps['sleep 2; echo "a bit later"'].output.startswith("[1]+  Done ")
    assert steps['echo "$GREETING, world"'].output == "hello, world\n"  # set -euo pipefail kept the session
    assert steps['echo "into the log"'].output == ""  # exec >session.log: into the log, as on a terminal
    assert steps["cat session.log"].output == "into the log\n"
    assert steps['echo "$GREETING"'].match_rule == "xtrace-level"  # "++" where the reader's prompt shows "+"
    assert steps["ls !(*.txt)"].output == "notes.md  session.log\n"
    assert steps["head -c 100000 /dev/zero > big.bin"].output == "File size limit exceeded\n"


def test_when_a_job_ends_otherwise_than_the_article_shows_then_exactly_that_step_fails(engine: Any,
                                                                                    tmp_path: Path) -> None:
    t = sample("shell-session.html", tmp_path, ("Done                    sleep 1", "Exit 1                  sleep 1"))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [(c, s) for c, s, _, _ in not_passed(result)] == [('sleep 2; echo "a bit later"', "failed")]


def test_when_a_tutorial_assumes_postgresql_and_redis_then_they_run_in_its_container(engine: Any,
                                                                                    tmp_path: Path) -> None:
    result = check_tutorial(sample("services.html", tmp_path), RunOptions(step_timeout=60))
    assert not_passed(result) == []
    # the report says what it was given: the servers, and the place the prompts show
    assert sorted(result.pinned) == ["hostname", "service:postgresql", "service:redis", "workdir"]
    assert result.pinned["workdir"] == "/srv/app (from the article's prompts)"
    assert [s.output for s in result.steps if s.command == "pwd"] == ["/srv/app\n"]
    select = next(s for s in result.steps if s.command.startswith("psql shop -c \"SELECT"))
    assert "(2 rows)" in select.output and select.match == "normalized"
    assert [s.output for s in result.steps if s.command.startswith("redis-cli incr")] == ["(integer) 2\n"]


def test_when_kubectl_steps_need_a_cluster_then_kubectl_checks_them_client_side(engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("kubectl.html", tmp_path), RunOptions(step_timeout=30))
    checks = [s for s in result.steps if s.command.startswith("kubectl --dry-run=client")]
    assert [(s.status, s.action) for s in checks] == [("passed", "static")] * 5
    assert "generated Deployment web, validated against the bundled Kubernetes schema" in checks[1].reason
    assert "needs a cluster's API server" in checks[2].reason  # expose: parsed, the rest is the cluster's
    assert {s.status for s in result.steps if s.action == "skip"} == {"skipped"}  # the steps themselves


def test_when_a_kubectl_flag_is_misspelt_then_exactly_its_check_fails(engine: Any, tmp_path: Path) -> None:
    t = sample("kubectl.html", tmp_path, ("--replicas=2", "--replica=2"))
    result = check_tutorial(t, RunOptions(step_timeout=30))
    failed = [(s.command, s.reason) for s in result.steps if s.status == "failed"]
    assert len(failed) == 1 and "--replica=2" in failed[0][0] and "unknown flag: --replica" in failed[0][1]


KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster: {server: "https://10.255.0.1:6443"}
users:
- name: demo
  user: {token: "secret-token-4711"}
contexts:
- name: kind-demo
  context: {cluster: demo, user: demo}
current-context: kind-demo
"""


def test_when_a_kubeconfig_is_given_then_cluster_steps_run_against_it_and_it_stays_secret(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="kubeconfig", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step("kubectl config current-context", "kind-demo\n", needs=("tool:kubectl",)),
            Step("kubectl get pods", needs=("cluster", "tool:kubectl")),
            # the container's configured environment is what every process of it inherits
            Step("env | grep -c secret-token || true", "0\n"))),))
    result = check_tutorial(t, RunOptions(step_timeout=30, kubeconfig=KUBECONFIG))
    steps = [(s.command, s.status) for s in result.steps if s.action != "static"]
    assert steps[0][1] == "passed"  # the kubeconfig reached the sandbox
    # run for real, and no network was opened for it: its failure shows that, so it needs the network
    assert steps[1] == ("kubectl get pods", "skipped")
    get = next(s for s in result.steps if s.command == "kubectl get pods")
    assert get.need == "network" and get.reason == ("needs the network: it tried to reach 10.255.0.1 "
                                                    "(run with --allow-network)"), get.reason
    assert steps[2][1] == "passed"  # not in the container's configuration
    assert not any("secret-token" in s.output for s in result.steps)
    without = check_tutorial(t, RunOptions(step_timeout=30))
    assert [s.status for s in without.steps if s.command == "kubectl get pods"] == ["skipped"]


def test_with_the_network_a_kubeconfigs_server_on_this_host_is_reachable_and_nothing_else_there(
        engine: Any) -> None:
    """--allow-network keeps this host and private ranges closed; the API server a kubeconfig
    names is opened by name (a kind cluster on this host), and only that address and port."""
    import socket
    import threading

    from extractor.model import CodeBlock, SourceRef, Step

    gateway = str(engine.api.inspect_network("bridge")["IPAM"]["Config"][0].get("Gateway") or "172.17.0.1")
    servers = [socket.create_server((gateway, 0)) for _ in range(2)]
    accepted = [0, 0]

    def serve(i: int) -> None:
        while True:
            try:
                conn, _ = servers[i].accept()
            except OSError:
                return
            accepted[i] += 1
            conn.close()

    for i in range(2):
        threading.Thread(target=serve, args=(i,), daemon=True).start()
    api, other = (s.getsockname()[1] for s in servers)
    config = KUBECONFIG.replace("https://10.255.0.1:6443", f"https://{gateway}:{api}")
    t = Tutorial(slug="kubeconfig-net", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step(f"curl -sS --max-time 5 http://{gateway}:{api}/"),  # the API server's address and port
            Step(f"curl -sS --max-time 5 http://{gateway}:{other}/"))),))
    try:
        result = check_tutorial(t, RunOptions(step_timeout=20, allow_network=True, kubeconfig=config))
    finally:
        for s in servers:
            s.close()
    steps = [s for s in result.steps if s.action != "static"]
    assert accepted[0] >= 1, [(s.command, s.status, s.reason, s.output) for s in steps]  # reached it
    assert steps[0].status == "failed" and "blocked" not in steps[0].reason  # an empty reply: no cluster behind
    assert accepted[1] == 0 and steps[1].status == "failed" and "blocked" in steps[1].reason


def test_when_statements_are_typed_at_psql_sqlite3_and_redis_prompts_then_each_runs_at_that_console(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("consoles.html", tmp_path), RunOptions(step_timeout=60))
    assert not_passed(result) == []
    assert sorted(p for p in result.pinned if p.startswith("service:")) == ["service:postgresql", "service:redis"]
    by_command = {s.command: s for s in result.steps}
    assert "(2 rows)" in by_command["SELECT name, price FROM items ORDER BY price DESC;"].output
    assert 'column "nam" does not exist' in by_command["SELECT nam FROM items;"].output  # shown as psql shows it
    assert by_command["SELECT count(*) FROM notes;"].output == "2\n"  # the rows the earlier statements added
    assert by_command["INCR visits"].output == "(integer) 2\n"


def test_when_a_comment_offers_a_command_instead_of_the_one_before_then_only_the_first_runs(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("alternative-commands.html", tmp_path), RunOptions(step_timeout=20))
    skipped = [(s.command, s.need) for s in result.steps if s.status == "skipped"]
    assert [c for c, _ in skipped] == [
        "mkdir -p journal", "echo 'day one' > entries.txt && echo 'day two' >> entries.txt",
        "grep -c '' entries.txt", "awk 'END { print NR }' entries.txt"]
    assert {need for _, need in skipped} == {"alternative"}
    assert [(c, st, r) for c, st, r, _ in not_passed(result) if st != "skipped"] == []  # cd journal ran: no gap
    assert result.status == "passed"


def test_when_statements_are_typed_at_nodes_prompt_then_each_runs_in_its_repl_after_the_earlier_ones(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("node-repl.html", tmp_path), RunOptions(step_timeout=30))
    assert not_passed(result) == []
    by_command = {s.command: s for s in result.steps}
    assert by_command["area(1).toFixed(3)"].output == "'3.142'\n"  # the function an earlier statement defined
    assert by_command["nosuch"].output == "Uncaught ReferenceError: nosuch is not defined\n"  # as the REPL says it
    changed = check_tutorial(sample("node-repl.html", tmp_path, ("[ 'JS', 'TS' ]", "[ 'JS', 'TS', 'GO' ]")),
                             RunOptions(step_timeout=30))
    assert [(s.command, s.status) for s in changed.steps if s.status != "passed"] == [
        ("langs.map(l => l.toUpperCase())", "failed")]


def test_when_statements_are_typed_at_irbs_prompt_then_ruby_shows_each_as_irb_does(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("irb.html", tmp_path), RunOptions(step_timeout=30))
    assert not_passed(result) == []
    by_command = {s.command: s for s in result.steps}
    assert by_command["puts shout(shelf.last)"].output == "EMMA!\n=> nil\n"  # a method an earlier statement defined
    assert by_command["shelf.size * 21"].output == "=> 42\n"  # the session goes on in the next block
    changed = check_tutorial(sample("irb.html", tmp_path, ("=&gt; :shout", "=&gt; :whisper")),
                             RunOptions(step_timeout=30))
    assert [(s.command, s.status) for s in changed.steps if s.status != "passed"] == [
        ('def shout(word)\n  word.upcase + "!"\nend', "failed")]


def test_when_an_ipython_session_is_checked_then_its_python_runs_and_ipythons_own_syntax_is_skipped(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("ipython.html", tmp_path), RunOptions(step_timeout=30))
    assert [(s.command, s.status) for s in result.steps if s.status != "passed"] == [
        ("%timeit sorted(prices)", "skipped"), ("max(prices)", "skipped"), ("!echo shell escape", "skipped")]
    assert result.status == "passed"


def test_when_the_output_shows_where_and_how_wide_then_the_run_is_there_and_that_wide(engine: Any,
                                                                                      tmp_path: Path) -> None:
    """pytest's rootdir pins the directory, its rule lines the terminal width (the summary line is
    cut where the article's is), BASE_TEMP and $VENV stand for paths, the conftest's yaml comes
    from Debian, a progress line captured through a pipe matches, and a rerun the article shows no
    output for exits 1 with the failures it showed before."""
    result = check_tutorial(sample("pytest-project.html", tmp_path), RunOptions(step_timeout=60))
    assert not_passed(result) == []
    assert result.pinned == {"workdir": "/home/maria/recipes (from the article's `pytest` output)",
                             "terminal-width": "72 (from the width of the article's rule lines)"}
    steps = {s.command: s for s in result.steps}
    assert "AssertionError: assert 'pa...\n" in steps["pytest"].output  # cut at 72 columns
    assert "placeholder-path" in steps["pytest"].match_rule and steps["pytest"].exit_code == 1
    rerun = steps["pytest --basetemp=scratch"]
    assert rerun.exit_code == 1 and "block 3 step 0 (pytest)" in rerun.reason
    assert "carriage-return" in steps["pytest -v test_recipe.py::test_has_eggs"].match_rule
    assert steps["pwd"].output == "/home/maria/recipes\n"


def test_when_the_place_or_the_rerun_differs_then_exactly_those_steps_fail(engine: Any, tmp_path: Path) -> None:
    t = sample("pytest-project.html", tmp_path, ("$ pwd\n/home/maria/recipes\n", "$ pwd\n/home/maria/recipes/src\n"),
               ("$ pytest --basetemp=scratch\n", "$ pytest --basetemp=scratch --maxfail=1\n"))
    result = check_tutorial(t, RunOptions(step_timeout=60))
    failed = [(c, s) for c, s, _, _ in not_passed(result)]
    assert failed == [("pytest --basetemp=scratch --maxfail=1", "failed"), ("pwd", "failed")]


def test_when_a_failed_steps_error_asks_for_a_package_then_the_article_runs_again_with_it(engine: Any,
                                                                                         tmp_path: Path) -> None:
    """``python3 -m markdown`` imports nothing any block shows: its "No module named markdown"
    asks for it, Debian's python3-markdown is added to the layer, and the article runs again."""
    result = check_tutorial(sample("python-module-tool.html", tmp_path), RunOptions(step_timeout=30))
    assert not_passed(result) == []
    assert result.pinned == {"package:python3-markdown": "installed in the article's layer: block 1 step 0 asked "
                                                         "for markdown"}
    changed = sample("python-module-tool.html", tmp_path, ("&lt;strong&gt;done", "&lt;b&gt;done"))
    result = check_tutorial(changed, RunOptions(step_timeout=30))  # the installed module, one value changed
    assert [(c.split()[0], s) for c, s, _, _ in not_passed(result)] == [("python3", "failed")]
    assert "package:python3-markdown" in result.pinned and "<strong>done</strong>" in result.steps[-3].output
def test_when_statements_are_typed_at_mysqls_prompt_then_each_runs_at_mariadbs_console_as_it_shows_them(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("mysql.html", tmp_path), RunOptions(step_timeout=60))
    assert not_passed(result) == []
    assert "service:mysql" in result.pinned
    by_command = {s.command: s for s in result.steps}
    assert by_command["USE library;"].output == "Database changed\n"
    assert by_command["SELECT * FROM loans;"].output == "ERROR 1146 (42S02): Table 'library.loans' doesn't exist\n"
    assert by_command["SELECT * FROM loans;"].exit_code == 1
    changed = check_tutorial(sample("mysql.html", tmp_path, ("| Dune  |", "| Emma  |")), RunOptions(step_timeout=60))
    assert [(s.command, s.status) for s in changed.steps if s.status != "passed"] == [
        ("SELECT title FROM books WHERE year > 1900;", "failed")]


def test_when_check_sh_runs_a_pinned_sample_then_it_starts_where_and_as_wide_as_check_does(engine: Any,
                                                                                           tmp_path: Path) -> None:
    """check.sh applies the plan's pins as check does: the container starts in the directory
    pytest's rootdir shows, with the width of the article's rule lines, and says so."""
    import os
    import subprocess

    from extractor.pipeline import render_article

    files = render_article(sample("pytest-project.html", tmp_path))
    d = tmp_path / "out"
    d.mkdir()
    (d / "check.sh").write_text(files.check_sh, encoding="utf-8")
    (d / "Dockerfile").write_text(files.dockerfile, encoding="utf-8")
    run = subprocess.run(["bash", str(d / "check.sh")], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "STEP_TIMEOUT": "60"})
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == ["PINNED   working directory /home/maria/recipes (from the article's `pytest` output)",
                         "PINNED   terminal width (COLUMNS) 72 (from the width of the article's rule lines)"]
    verdicts = [ln.split(": ", 1) for ln in lines if ln.startswith(("PASS", "FAIL", "SKIP", "TIMEOUT"))]
    assert [v for v, _ in verdicts if not v.startswith("PASS")] == [], run.stdout
    assert "PASS     block 6 step 0: pwd" in lines  # /home/maria/recipes, as the article shows
    assert "0 failed, 0 timed out" in run.stdout


def test_when_a_learner_steps_through_a_pinned_sample_then_the_walk_starts_there_and_says_so(engine: Any,
                                                                                             tmp_path: Path) -> None:
    import io

    from extractor.learner import learner_plan, open_session, step_through

    t = sample("pytest-project.html", tmp_path)
    plan = learner_plan(t)
    session = open_session(t, plan)
    out = io.StringIO()
    try:
        assert step_through(t, plan, session, lambda _prompt: "r", out) == 0
    finally:
        session.close()
    text = out.getvalue()
    assert "pinned: working directory /home/maria/recipes (from the article's `pytest` output)" in text
    assert "/home/maria/recipes\n  ✓ exit 0; output matches the article" in text  # pwd, where the article worked
    # pytest's rootdir and its summary cut at the article's 72 columns: what the article shows (it exits 1)
    assert "✗ exit 1; output matches the article (normalized)" in text


def test_when_a_later_block_is_typed_at_the_console_left_open_then_it_goes_on_there(
        engine: Any, tmp_path: Path) -> None:
    """sqlite3 opened on a file in one block, its statements (and its dot-settings) in later
    blocks; an in-memory console that lives across blocks; lines that stand for left-out
    statements are no statements."""
    result = check_tutorial(sample("sqlite-reading-list.html", tmp_path), RunOptions(step_timeout=30))
    by_command = {s.command: s for s in result.steps}
    assert by_command["SELECT title FROM books WHERE pages > 450;"].output == "title\nEmma\n"  # .headers on held
    assert by_command["SELECT n * 6 FROM answers;"].status == "passed"  # the memory database of the block before
    assert by_command[".read more-answers.sql"].status == "passed"  # the file the article saved
    assert by_command["cat titles.txt"].status == "passed"  # the file .output made, .headers still on
    assert [(s.command, s.need) for s in result.steps if s.status == "skipped"] == [
        (".read my-old-answers.sql", "file"), (".load /path/to/your/extension", "placeholder"),
        (".excel", "gui"), ("SELECT n FROM answers;", "sequence"),
        ("... the remaining answers typed here ...", "elided"), ("SELECT count(*) FROM answers;", "sequence"),
        ("[...]", "elided"), ("ls shelf", "sequence")]
    assert result.status == "passed", not_passed(result)
    page = sample("sqlite-reading-list.html", tmp_path, ("title : pages\nDune : 412", "title|pages\nDune|412"))
    changed = check_tutorial(page, RunOptions(step_timeout=30))
    assert [(s.command, s.status) for s in changed.steps if s.status == "failed"] == [
        ("SELECT title, pages FROM books ORDER BY pages;", "failed")]


def test_when_a_skipped_container_would_have_served_the_port_then_a_refused_connection_is_blocked(
        engine: Any, tmp_path: Path) -> None:
    result = check_tutorial(sample("broker-in-a-container.html", tmp_path), RunOptions(step_timeout=30))
    connect = next(s for s in result.steps if s.command.startswith("conn = "))
    assert connect.status == "blocked" and "docker run --detach --publish 5672:5672" in connect.reason
    assert "would have started the service" in connect.reason and result.status == "passed"
