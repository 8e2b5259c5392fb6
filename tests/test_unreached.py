"""A failure that shows the sandbox's missing network is skipped, not failed (pure: no engine).

The outputs below are worded as the tools print them with no network (curl, wget, git, ssh,
pip, npm/node, go, ruby, ping, nc, rsync, dig/host/nslookup; seen in the sandbox image), with
hosts of this test's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from extractor import unreached
from extractor.blocked import judge_gaps
from extractor.learn.judge import Outcome, judge
from extractor.learn.workspace import Ran
from extractor.plan import Action
from extractor.results import StepResult
from extractor.sandbox.egress import reach_of
from extractor.sandbox.policy import Policy
from extractor.unreached import Reach, judge_unreached, missing_network, signs
from extractor.vocab import ActionKind, NeedKind, StepStatus

NONE, OPEN = Reach("none"), Reach("open")
HOST = "files.quillsoft.dev"

NAMING = [
    f"curl: (6) Could not resolve host: {HOST}",
    f"fatal: unable to access 'https://{HOST}/tools.git/': Could not resolve host: {HOST}",
    f"ssh: Could not resolve hostname {HOST}: Temporary failure in name resolution",
    f"Resolving {HOST} ({HOST})... failed: Temporary failure in name resolution.",
    f"wget: unable to resolve host address ‘{HOST}’",
    f"fatal: unable to look up {HOST} (port 9418) (Temporary failure in name resolution)",
    f"requests.exceptions.ConnectionError: HTTPSConnectionPool(host='{HOST}', port=443): Max retries exceeded "
    "with url: /v1 (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f01>: Failed "
    "to establish a new connection: [Errno -3] Temporary failure in name resolution'))",
    f"npm ERR! request to https://{HOST}/left-pad failed, reason: getaddrinfo EAI_AGAIN {HOST}",
    f"Error: getaddrinfo ENOTFOUND {HOST}",
    f"go: module {HOST}/kit: Get \"https://{HOST}/kit/@v/list\": dial tcp: lookup {HOST} on 10.0.0.53:53: "
    "dial udp 10.0.0.53:53: connect: network is unreachable",
    f"socket.rb:227:in `getaddrinfo': Failed to open TCP connection to {HOST}:443 (getaddrinfo: Temporary "
    "failure in name resolution) (SocketError)",
    f"Unable to connect to the server: dial tcp {HOST}:6443: connect: network is unreachable",
    f"nc: getaddrinfo for host \"{HOST}\" port 443: Temporary failure in name resolution",
    f"rsync: getaddrinfo: {HOST} 873: Temporary failure in name resolution",
    f";; UDP setup with 10.0.0.53#53(10.0.0.53) for {HOST} failed: network unreachable.",
    f"ping: {HOST}: Temporary failure in name resolution",
]
NAMELESS = [
    "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(': Failed to establish a "
    "new connection: [Errno -3] Temporary failure in name resolution')': /simple/tinyhelper/",
    "urllib.error.URLError: <urlopen error [Errno -3] Temporary failure in name resolution>",
    "OSError: [Errno 101] Network is unreachable",
    "ping: connect: Network is unreachable",
    "svn: E670003: Temporary failure in name resolution",
    ";; connection timed out; no servers could be reached",
]
UNRELATED = [
    "cat: notes.txt: No such file or directory",
    "curl: (7) Failed to connect to localhost port 8000 after 0 ms: Couldn't connect to server",
    "curl: (6) Could not resolve host: db",  # a service's name (compose), not the internet's
    "psql: error: connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" failed: No such file",
    "ModuleNotFoundError: No module named 'yaml'",
    "",
]


@pytest.mark.parametrize("output", NAMING)
def test_a_tool_that_names_the_host_it_could_not_reach_is_skipped_naming_it(output: str) -> None:
    why = missing_network(f"some output first\n{output}\n", NONE, exit_code=1)
    assert why == f"needs the network: it tried to reach {HOST} (run with --allow-network)"


@pytest.mark.parametrize("output", NAMELESS)
def test_a_network_failure_that_names_no_host_is_still_a_network_skip(output: str) -> None:
    assert missing_network(output, NONE, exit_code=1) == (
        "needs the network: its name lookups or connections failed (run with --allow-network)")


@pytest.mark.parametrize("output", UNRELATED)
def test_a_failure_with_no_sign_of_the_network_is_left_as_it_is(output: str) -> None:
    assert signs(output) is None
    assert missing_network(output, NONE, exit_code=1) is None


@pytest.mark.parametrize("output", [*NAMING, *NAMELESS])
def test_with_the_network_there_the_same_failure_stays_a_failure(output: str) -> None:
    assert missing_network(output, OPEN, exit_code=1) is None


def test_a_command_that_fails_silently_is_read_by_its_exit_status() -> None:
    assert missing_network("", NONE, command=f"# look it up\ngetent hosts {HOST}", exit_code=2) == (
        f"needs the network: it tried to reach {HOST} (run with --allow-network)")
    assert missing_network("", NONE, command=f"wget -q https://{HOST}/a.tgz", exit_code=4) == (
        f"needs the network: it tried to reach {HOST} (run with --allow-network)")
    assert missing_network("", NONE, command="curl -s \"$API\"", exit_code=6)
    # another status, another command, a pipeline, or a local name: nothing to say
    assert missing_network("", NONE, command=f"getent hosts {HOST}", exit_code=1) is None
    assert missing_network("", NONE, command=f"getent passwd {HOST}", exit_code=2) is None
    assert missing_network("", NONE, command="curl -s \"$API\" | jq .", exit_code=6) is None
    assert missing_network("", NONE, command="getent hosts backend", exit_code=2) is None


def test_a_private_address_asks_for_the_private_network() -> None:
    why = missing_network("nc: connect to 192.168.7.20 port 80 (tcp) failed: Network is unreachable", NONE)
    assert why == "needs the network: it tried to reach 192.168.7.20 (run with --allow-network=private)"


def test_an_allow_list_skips_what_it_does_not_admit_and_judges_what_it_does() -> None:
    listed = Reach("listed", lambda host: host == "pypi.org")
    assert missing_network(f"curl: (6) Could not resolve host: {HOST}", listed) == (
        f"needs the network: it tried to reach {HOST}, which the allow-list does not admit "
        f"(--allow-host {HOST} admits it)")
    assert missing_network("curl: (6) Could not resolve host: pypi.org", listed) is None
    note = ("blocked: the sandbox refused 1 connection attempt(s) to a destination that is not in the allow-list "
            "(--allow-host HOST[:PORT] admits one)")
    assert missing_network("curl: (7) Failed to connect", listed, note=note) == (
        "needs the network: it reached a destination that the allow-list does not admit")
    assert missing_network("curl: (7) Failed to connect", listed) is None


def test_the_reach_of_a_policy_is_what_its_container_had() -> None:
    assert reach_of(Policy()).mode == "none"
    assert reach_of(Policy().with_network(True)).mode == "open"
    listed = reach_of(Policy().listing(("151.101.0.223:443", "10.1.0.0/24"), (("pypi.org", "151.101.0.223"),)))
    assert listed.mode == "listed"
    assert listed.admits("pypi.org") and listed.admits("10.1.0.9") and listed.admits("151.101.0.223")
    assert not listed.admits(HOST) and not listed.admits("10.2.0.1")


def test_an_article_that_shows_the_failure_itself_is_not_skipped_for_it() -> None:
    shown = f"curl: (6) Could not resolve host: {HOST}\n"
    assert missing_network(shown + "extra line\n", NONE, expected=shown) is None


def step(block: int, command: str, status: StepStatus, output: str = "", code: int | None = None,
         expected: str | None = None) -> StepResult:
    return StepResult(block, 0, command, status, "output differs" if status == StepStatus.FAILED else "",
                      exit_code=code, output=output, expected_output=expected, action=ActionKind.SHELL)


def test_a_later_failure_for_want_of_what_the_skipped_step_fetched_is_blocked_naming_it() -> None:
    results = [
        step(0, "python3 grab.py notes.txt", StepStatus.FAILED, "socket.gaierror: [Errno -3] Temporary failure in "
             "name resolution\n", 1),
        step(1, "wc -l < notes.txt", StepStatus.FAILED, "bash: notes.txt: No such file or directory\n", 1, "12\n"),
        step(2, "wc -l < words.txt", StepStatus.FAILED, "2\n", 0, "3\n"),
    ]
    skipped, blocked, failed = judge_gaps(judge_unreached(results, NONE))
    assert (skipped.status, skipped.need) == (StepStatus.SKIPPED, NeedKind.NETWORK)
    assert skipped.reason.startswith("needs the network") and skipped.output  # what it printed is kept
    assert blocked.status == StepStatus.BLOCKED
    assert "block 0 step 0 (`python3 grab.py notes.txt`) was skipped (needs the network" in blocked.reason
    assert failed.status == StepStatus.FAILED
    # with the network there, nothing changes
    assert [s.status for s in judge_gaps(judge_unreached(results, OPEN))][:1] == [StepStatus.FAILED]


def test_the_notebook_skips_a_cell_that_failed_for_want_of_the_network() -> None:
    before = [new_code_cell(f"getent hosts {HOST}", id="a"), new_code_cell("echo done", id="b")]
    failed = new_output("error", ename="", evalue="2", traceback=[])
    after = [new_code_cell(f"getent hosts {HOST}", id="a", execution_count=1, outputs=[failed]),
             new_code_cell("echo done", id="b", execution_count=2,
                           outputs=[new_output("stream", name="stdout", text="done\n")])]
    from extractor.sandbox.notebook_run import judge as judge_cells

    a, b = judge_cells(new_notebook(cells=before), new_notebook(cells=after), NONE)
    assert (a.status, a.reason) == ("skipped",
                                    f"needs the network: it tried to reach {HOST} (run with --allow-network)")
    assert b.status == "passed"
    assert judge_cells(new_notebook(cells=before), new_notebook(cells=after), OPEN)[0].status == "error"


def test_the_learner_is_told_the_step_needs_the_network() -> None:
    a = Action(ActionKind.SHELL, 0, 0, f"dig +short {HOST}", source=f"dig +short {HOST}", lang="shell",
               expected_output="203.0.113.7\n")
    out = f";; UDP setup with 10.0.0.53#53(10.0.0.53) for {HOST} failed: network unreachable.\n"
    j = judge(Ran(9, out, reach=NONE), a)
    assert j.outcome == Outcome.SKIPPED and f"it tried to reach {HOST}" in j.line
    assert judge(Ran(9, out, reach=OPEN), a).outcome == Outcome.DIFFERED
    assert judge(Ran(9, out), a).outcome == Outcome.DIFFERED  # a workspace that does not say


def test_check_sh_carries_the_same_rule_into_its_container(tmp_path: Path) -> None:
    from extractor.plan import Place, Plan
    from extractor.render.checkscript import render_inner

    inner = render_inner(Plan(Place.CHECK_SH, actions=()))
    assert Path(unreached.__file__).read_text(encoding="utf-8").rstrip("\n") in inner
    assert 'export NPM_CONFIG_FETCH_RETRIES=0' in inner
    # the carried file is the whole decision: run as check.sh runs it
    (tmp_path / "step").write_text(f"getent hosts {HOST}\n")
    (tmp_path / "out").write_text("")
    args = [sys.executable, unreached.__file__, "none", "2", str(tmp_path / "step"), str(tmp_path / "out")]
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, f"needs the network: it tried to reach {HOST} "
                                                         "(run with --allow-network)")
    args[2] = "bridge"
    assert subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path).returncode == 1


def test_check_sh_keeps_the_authors_words_on_a_directed_failure_that_is_not_the_network(tmp_path: Path) -> None:
    """check.sh's ``offline`` runs inside ``directed_fail``, whose ``$why`` holds the author's words."""
    import shutil

    from extractor.render.checkscript import INNER_PRELUDE
    from extractor.render.directed import DIRECTED_PRELUDE

    tc = tmp_path / "tc"
    prelude = INNER_PRELUDE.replace("tc=/tmp/.tutorcheck", f"tc={tc}").replace("exec 2>/dev/null", "")
    shutil.copy(unreached.__file__, tmp_path / "unreached.py")
    script = "\n".join([prelude, DIRECTED_PRELUDE, f"cp {tmp_path / 'unreached.py'} $tc/", "NETWORK=none rc=0",
                        "printf 'echo hi\\n' >$tc/step; printf 'hi\\n' >$tc/out",
                        "why='the author: expect-fail' directed_fail 0 1 'echo hi' "
                        "'expected to fail, but it succeeded'"])
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False, timeout=60)
    assert done.stdout == ("FAIL     block 0 step 1: echo hi -- expected to fail, but it succeeded; "
                           "the author: expect-fail\n"), done.stdout + done.stderr


def test_a_sandbox_with_no_network_tells_npm_not_to_retry() -> None:
    assert Policy().sdk_kwargs()["environment"]["NPM_CONFIG_FETCH_RETRIES"] == "0"
    assert "NPM_CONFIG_FETCH_RETRIES" not in Policy().with_network(True).sdk_kwargs()["environment"]
