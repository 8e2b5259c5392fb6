"""Which earlier gaps explain which failures (extractor.blocked), without Docker."""

from __future__ import annotations

import pytest

from extractor.blocked import judge_gaps
from extractor.results import StepResult
from extractor.vocab import ActionKind, NeedKind, StepStatus


def _skip(block: int, command: str, need: NeedKind = NeedKind.NETWORK, action: ActionKind = ActionKind.SKIP,
          ) -> StepResult:
    return StepResult(block, 0, command, StepStatus.SKIPPED, "needs the network", action=action, need=need)


def _fail(command: str, output: str, code: int = 1, block: int = 9) -> StepResult:
    return StepResult(block, 0, command, StepStatus.FAILED, f"exit status {code}", exit_code=code, output=output,
                      action=ActionKind.SHELL)


CASES = [
    ("download then a missing file", _skip(0, "curl -sO https://x.example/names.txt"),
     _fail("wc -l names.txt", "wc: names.txt: No such file or directory\n"), "it would have made names.txt"),
    ("clone then cd", _skip(0, "git clone https://x.example/demo.git"),
     _fail("cd demo", "bash: line 1: cd: demo: No such file or directory\n"), "it would have made demo"),
    ("a skipped cd then a relative path", _skip(0, "cd project", NeedKind.STATE),
     _fail("cat setup.cfg", "cat: setup.cfg: No such file or directory\n"), "the step runs in project"),
    ("pip install then import", _skip(0, "pip install requests"),
     _fail("python3 -c 'import requests'", "ModuleNotFoundError: No module named 'requests'\n"),
     "installed what provides requests"),
    ("a module whose package has another name", _skip(0, "python3 -m pip install PyYAML==6.0"),
     _fail("python3 app.py", "ModuleNotFoundError: No module named 'yaml'\n"), "installed what provides yaml"),
    ("project dependencies", _skip(0, "npm install"),
     _fail("node app.js", "Error: Cannot find module 'express'\n"), "installed what provides express"),
    ("a program the gap installs", _skip(0, "pip install httpie-cli cowsay"),
     _fail("cowsay hi", "bash: line 1: cowsay: command not found\n", 127), "it would have provided cowsay"),
    ("a variable the gap sets", _skip(0, "export API_URL=$(kubectl get svc api -o jsonpath='{.ip}')", NeedKind.CLUSTER),
     _fail('curl -s "$API_URL/health"', "curl: (3) URL using bad/illegal format or missing URL\n", 3),
     "it would have set API_URL"),
    ("a file the article writes", _skip(0, "write app/config.yaml", action=ActionKind.SKIP, need=NeedKind.PLACEHOLDER),
     _fail("python3 -c 'open(\"app/config.yaml\")'", "FileNotFoundError: [Errno 2] No such file or directory: "
           "'app/config.yaml'\n"), "it would have made"),
    ("a broker a skipped container would have served", _skip(0, "docker run --detach -p 6379:6379 redis:7"),
     _fail("queue.enqueue(job)", "redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. "
           "Connection refused.\n"), "it would have started the service this step connects to"),
    ("a server package a skipped install would have started", _skip(0, "sudo apt install -y mosquitto-server"),
     _fail("mosquitto_pub -t t -m hi", "Error: Connection refused\n"), "would have started the service"),
    ("a server the page runs in the foreground that could not start", _fail("mongod", "bash: mongod: command not "
                                                                            "found\n", 127, block=1),
     _fail("client.admin.command('ping')", "ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection "
           "refused\n"), "would have started the service"),
    ("a server the sandbox lacks, skipped", _skip(0, "mongod --dbpath ./data", NeedKind.TOOL),
     _fail("db.list_collection_names()", "localhost:27017: [Errno 111] Connection refused\n"),
     "would have started the service"),
    ("a repository", _skip(0, "git clone https://x.example/r.git && cd r"),
     _fail("git log --oneline", "fatal: not a git repository (or any of the parent directories): .git\n", 128),
     "it would have made the git repository"),
]


@pytest.mark.parametrize(("gap", "failed", "how"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_when_a_gap_made_what_the_failure_lacks_then_the_step_is_blocked_naming_it(
        gap: StepResult, failed: StepResult, how: str) -> None:
    out = judge_gaps([gap, failed])
    assert out[1].status == StepStatus.BLOCKED
    assert out[1].reason.startswith(f"blocked: block {gap.block} step 0 (`")
    assert how in out[1].reason
    assert out[1].reason.endswith(f"; the step: {failed.reason}")


NOT_EXPLAINED = [
    ("a misspelt program", _skip(0, "curl -sO https://x.example/words.txt"),
     _fail("srot words.txt", "bash: line 1: srot: command not found\n", 127)),
    ("a changed output", _skip(0, "curl -sO https://x.example/words.txt"),
     _fail("echo 3", "3\n", 0)),
    ("a missing file the gap never named", _skip(0, "curl -sO https://x.example/words.txt"),
     _fail("cat /etc/app.conf", "cat: /etc/app.conf: No such file or directory\n")),
    ("a module the gap does not install", _skip(0, "pip install requests"),
     _fail("python3 -c 'import numpy'", "ModuleNotFoundError: No module named 'numpy'\n")),
    ("a gap the image filled", _skip(0, "sudo apt-get install -y jq", NeedKind.ROOT, ActionKind.PROVIDED),
     _fail("jq . data.json", "jq: error: Could not open data.json: No such file or directory\n", 2)),
    ("not found but exit 0", _skip(0, "pip install tool"), _fail("echo 'tool: not found'", "x\n", 0)),
    ("a container run in the foreground, no port published", _skip(0, "docker run --rm alpine echo hi"),
     _fail("curl -s localhost:8080", "curl: (7) Failed to connect to localhost port 8080: Connection refused\n", 7)),
]


@pytest.mark.parametrize(("gap", "failed"), [c[1:] for c in NOT_EXPLAINED], ids=[c[0] for c in NOT_EXPLAINED])
def test_when_no_gap_explains_the_failure_then_it_stays_failed(gap: StepResult, failed: StepResult) -> None:
    assert judge_gaps([gap, failed])[1] == failed


def test_a_step_that_ran_and_failed_is_a_gap_too_and_the_nearest_gap_is_named() -> None:
    first = _skip(0, "curl -sO https://x.example/a.txt")
    install = _fail("pip install a-txt-tool", "ERROR: network unreachable\n", block=1)
    later = _fail("cat a.txt", "cat: a.txt: No such file or directory\n", block=2)
    out = judge_gaps([first, install, later])
    assert out[1].status == StepStatus.FAILED  # nothing before it explains it
    assert out[2].status == StepStatus.BLOCKED and "block 0 step 0" in out[2].reason


def test_static_checks_and_passed_steps_are_never_blocked() -> None:
    gap = _skip(0, "curl -sO https://x.example/a.txt")
    static = StepResult(1, 0, "bash -n a.txt", StepStatus.FAILED, "syntax", output="a.txt: No such file or directory",
                        action=ActionKind.STATIC)
    assert judge_gaps([gap, static])[1] == static


def test_a_gap_that_only_ran_the_missing_program_does_not_explain_its_absence() -> None:
    first = _fail("pytest test_simple.yaml", "bash: line 1: pytest: command not found\n", 127, block=2)
    later = _fail("pytest -v", "bash: line 1: pytest: command not found\n", 127, block=3)
    assert judge_gaps([first, later])[1].status == StepStatus.FAILED


def test_a_python_name_a_skipped_example_would_have_bound_explains_its_name_error() -> None:
    gap = _skip(0, "r = requests.get('https://api.github.com/events')")
    failed = StepResult(1, 0, "r.status_code", StepStatus.FAILED, "output differs from the article (doctest rules)",
                        output="Traceback (most recent call last):\nNameError: name 'r' is not defined\n",
                        action=ActionKind.PYTHON)
    other = StepResult(1, 1, "len(items)", StepStatus.FAILED, "output differs",
                       output="NameError: name 'items' is not defined\n", action=ActionKind.PYTHON)
    out = judge_gaps([gap, failed, other])
    assert out[1].status == StepStatus.BLOCKED and "it would have set r" in out[1].reason
    assert out[2].status == StepStatus.FAILED


def test_a_program_named_after_the_package_a_gap_installs_is_explained() -> None:
    gap = _skip(0, "python -m pip install sphinx")
    out = judge_gaps([gap, _fail("sphinx-build --version", "bash: sphinx-build: command not found\n", 127),
                      _fail("sphinxy", "bash: sphinxy: command not found\n", 127)])
    assert [s.status for s in out[1:]] == [StepStatus.BLOCKED, StepStatus.FAILED]


def test_reading_copying_or_entering_a_path_does_not_make_it() -> None:
    for gap_command in ("ln -s ccache /usr/local/bin/g++", "cd build", "cat notes.txt"):
        gap = StepResult(0, 0, gap_command, StepStatus.FAILED, "exit status 1", exit_code=1, action=ActionKind.SHELL)
        missing = gap_command.split()[-2 if gap_command.startswith("ln") else -1]
        later = _fail(f"ls {missing}", f"ls: cannot access '{missing}': No such file or directory\n", 2)
        assert judge_gaps([gap, later])[1].status == StepStatus.FAILED, gap_command


def test_a_blocked_gap_is_named_without_its_own_chain() -> None:
    first = _skip(0, "curl -sO https://x.example/app.tgz")
    second = _fail("tar xzf app.tgz", "tar: app.tgz: Cannot open: No such file or directory\n", 2, block=1)
    third = _fail("cat app/README", "cat: app/README: No such file or directory\n", block=2)
    out = judge_gaps([first, second, third])
    assert out[1].status == out[2].status == StepStatus.BLOCKED
    assert "block 0 step 0" in out[1].reason
    assert out[2].reason.startswith("blocked: block 0 step 0") or "was blocked, and" in out[2].reason
