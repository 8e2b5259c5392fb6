"""The plan, without Docker: what runs, what is written, what is skipped and why (in the check place;
tests/test_plan_places.py compares the places)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.model import Check, CodeBlock, SourceRef, Step, Tutorial, tutorial_from_json
from extractor.options import RunOptions
from extractor.plan import Place, make_plan, parse_tools, tool_table
from extractor.understand.facts import command_facts
from extractor.understand.made import Made
from extractor.understand.nature import runs_until_stopped, system_install
from extractor.understand.needs import unset_variables
from extractor.vocab import ActionKind, NeedKind

SHELL, PYTHON, SCRIPT, WRITE, STATIC, SKIP, PROVIDED = (ActionKind.SHELL, ActionKind.PYTHON, ActionKind.SCRIPT,
                                                        ActionKind.WRITE, ActionKind.STATIC, ActionKind.SKIP,
                                                        ActionKind.PROVIDED)
DATA = Path(__file__).resolve().parent / "data" / "sandbox"
TOOLS = parse_tools("jq\tjq\nkubectl\tkubernetes-client\nhelm\t-\nyq\tyq\n", "jq\ncurl\n")


def step(command: str, expected: str | None = None, lang: str = "shell", needs: tuple[str, ...] = ()) -> Step:
    """A step as understand/ leaves it: its facts decided from its command and needs."""
    unset = unset_variables(command, Made(), set()) if lang == "shell" else []
    return Step(command, expected, lang, needs, facts=command_facts(command, needs, unset, shell=lang == "shell"))


def options(allow_network: bool = False, env_names: frozenset[str] = frozenset()) -> RunOptions:
    return RunOptions(allow_network=allow_network, env=dict.fromkeys(env_names, "x"))


def tut(*blocks: CodeBlock) -> Tutorial:
    return Tutorial(slug="t", title="t", url="", source=SourceRef("test", "json"), blocks=blocks)


def session(index: int, *steps: Step, needs: tuple[str, ...] = (), lang: str = "shell") -> CodeBlock:
    return CodeBlock(index=index, text="", lang=lang, kind="session", steps=steps, needs=needs)


def plan(*blocks: CodeBlock, **kw: object) -> list[tuple[str, int, int, str]]:
    p = make_plan(tut(*blocks), Place.CHECK, options(**kw), tools=TOOLS)  # type: ignore[arg-type]
    return [(a.kind, a.block, a.step, a.reason) for a in p.actions]


def test_when_a_session_has_steps_then_each_runs_in_order_in_the_shell() -> None:
    assert plan(session(0, step("cd x"), step("ls", "a\n"))) == [(SHELL, 0, 0, ""), (SHELL, 0, 1, "")]


def test_when_a_python_session_then_examples_go_to_the_interpreter_and_programs_run_as_scripts() -> None:
    prog = CodeBlock(index=1, text="print(1)\n", lang="python", kind="commands")
    p = make_plan(tut(session(0, step("1 + 1", "2\n", "python"), lang="python"), prog), Place.CHECK, tools=TOOLS)
    assert [a.kind for a in p.actions] == [PYTHON, SCRIPT]
    assert p.actions[1].source == "print(1)\n" and p.actions[1].path.endswith(".py")


@pytest.mark.parametrize("kind", ["fragment", "output", "text"])
def test_when_a_block_is_not_runnable_then_only_its_checks_become_steps(kind: str) -> None:
    b = CodeBlock(index=3, text="a: [", lang="yaml", kind=kind,
                  checks=(Check("yaml", "python3 -c 'yaml.safe_load(...)'", False, "line 1: unclosed"),))
    assert plan(b) == [(STATIC, 3, 0, "line 1: unclosed")]


def test_when_a_file_block_has_a_name_then_it_is_written_then_checked() -> None:
    b = CodeBlock(index=2, text="x: 1\n", lang="yaml", kind="file", filename="a.yaml",
                  checks=(Check("yaml", "yamllint a.yaml", True),))
    p = make_plan(tut(b), Place.CHECK, tools=TOOLS)
    assert [(a.kind, a.step, a.command) for a in p.actions] == [(WRITE, 0, "write a.yaml"),
                                                                (STATIC, 1, "yamllint a.yaml")]


@pytest.mark.parametrize(("needs", "reason"), [
    (("cluster", "tool:kubectl"), "needs a Kubernetes cluster"),
    (("network",), "needs the network (run with --allow-network)"),
    (("tool:helm",), "needs the tool helm, which no Debian package provides"),
])
def test_when_a_need_cannot_be_met_then_the_step_is_skipped_with_the_reason(needs: tuple[str, ...],
                                                                             reason: str) -> None:
    [(kind, _, _, why)] = plan(session(0, step("do it"), needs=needs))
    assert kind == SKIP and why.startswith(reason)


def test_when_a_tool_is_unknown_then_the_step_runs_so_a_typo_fails_loudly() -> None:
    [(kind, _, _, why)] = plan(session(0, step("srot notes.txt"), needs=("tool:srot",)))
    assert kind == SHELL and why == ""


def test_when_the_network_is_allowed_then_a_network_step_runs() -> None:
    assert plan(session(0, step("curl x"), needs=("network",)), allow_network=True)[0][0] == SHELL


def test_when_a_step_has_a_placeholder_then_the_reason_names_it() -> None:
    [(_, _, _, why)] = plan(session(0, step("helm install --set token=REPLACE_YOUR_TOKEN_HERE x",
                                            needs=("placeholder",))))
    assert why == "a placeholder must be filled in: REPLACE_YOUR_TOKEN_HERE"


def test_when_a_secret_is_named_then_env_lifts_the_skip() -> None:
    b = session(0, step("./config.sh --token $TOKEN", needs=("secret",)))
    assert plan(b)[0][3] == "needs a secret: supply --env TOKEN=..."
    assert plan(b, env_names=frozenset({"TOKEN"}))[0][0] == SHELL


def test_when_a_tool_has_a_package_then_the_layer_installs_it_and_toolbox_tools_need_none() -> None:
    p = make_plan(tut(session(0, step("yq . a"), step("jq . b", needs=("tool:jq",)), needs=("tool:yq",))),
                  Place.CHECK, tools=TOOLS)
    assert p.packages == ()  # the step's own needs win over the block's: the first step needs nothing
    p = make_plan(tut(session(0, step("yq . a", needs=("tool:yq",)), step("jq . b", needs=("tool:jq",)))),
                  Place.CHECK, tools=TOOLS)
    assert [a.kind for a in p.actions] == [SHELL, SHELL] and p.packages == ("yq",)


def test_when_a_step_needs_state_then_it_is_marked_for_the_run_time_decision() -> None:
    p = make_plan(tut(session(0, step("ls", needs=("state",)))), Place.CHECK, tools=TOOLS)
    assert p.actions[0].kind == SHELL and p.actions[0].needs_state


def test_placeholder_and_secret_values_come_typed_from_understand() -> None:
    facts = step('echo "your-package-name <pod-name>"', needs=("placeholder",)).facts
    assert [n.value for n in facts.needs] == ["<pod-name>", "your-package-name"]
    facts = step('export A=1; echo "$A $HOME ${API_TOKEN} $REGION"', needs=("placeholder", "secret")).facts
    assert {(n.kind, n.value) for n in facts.needs} == {(NeedKind.PLACEHOLDER, "$REGION"),
                                                        (NeedKind.SECRET, "API_TOKEN")}


def test_when_a_variable_placeholder_is_given_with_env_then_it_runs() -> None:
    b = session(0, step("kubectl config set-context --current --namespace=$NS", needs=("placeholder",)))
    assert plan(b)[0][3] == "a placeholder must be filled in: $NS"
    assert plan(b, env_names=frozenset({"NS"}))[0][0] == SHELL


def test_the_bundled_tool_table_knows_the_common_tools() -> None:
    table = tool_table()
    assert table.package_for("shasum") == "perl" and table.in_toolbox("shasum")
    assert table.package_for("kubectl") == "kubernetes-client" and not table.in_toolbox("kubectl")
    assert table.known("helm") and table.package_for("helm") is None


def test_when_the_sample_is_planned_then_files_sessions_programs_and_checks_are_in_article_order() -> None:
    t = tutorial_from_json(json.loads((DATA / "sandbox-sample.json").read_text(encoding="utf-8")))
    kinds = [a.kind for a in make_plan(t).actions]
    assert kinds == [SHELL] * 6 + [WRITE, STATIC, SHELL] + [PYTHON] * 4 + [SCRIPT]


def test_when_a_step_of_a_session_is_skipped_then_the_steps_after_it_in_the_block_are_too() -> None:
    b = session(0, step("mkdir r && cd r"), step("curl -O https://x/f.tgz", needs=("network",)),
                step("sha256sum -c f.sha", needs=()), step("tar xzf f.tgz"))
    got = plan(b)
    assert [k for k, *_ in got] == [SHELL, SKIP, SKIP, SKIP]
    assert got[2][3].startswith("follows step 1 of this block, which cannot run (needs the network")
    assert plan(session(1, step("ls")))[0][0] == SHELL  # the next block is judged on its own needs


def test_a_step_after_a_gap_that_lacks_something_else_itself_names_that_first_with_its_need() -> None:
    b = session(0, step("kubectl apply -f app.yaml", needs=("cluster",)),
                step("kubectl get pods", needs=("cluster",)), step("curl -s https://x.example/", needs=("network",)),
                step("echo done"))
    actions = make_plan(tut(b), Place.CHECK, options(), tools=TOOLS).actions
    assert [a.need for a in actions] == [NeedKind.CLUSTER, NeedKind.CLUSTER, NeedKind.NETWORK, NeedKind.SEQUENCE]
    assert actions[1].reason.startswith("follows step 0 of this block, which cannot run (needs a Kubernetes")
    assert actions[2].reason.startswith("needs the network (run with --allow-network); it also follows step 0")


@pytest.mark.parametrize(("command", "need"), [("sudo apt-get install -y jq", NeedKind.NETWORK),
                                              ("apt install jq", NeedKind.NETWORK),
                                              ("sudo dnf install jq", NeedKind.OS), ("brew install jq", NeedKind.OS)])
def test_an_install_the_image_does_says_what_it_needed(command: str, need: NeedKind) -> None:
    (action,) = make_plan(tut(session(0, step(command))), Place.CHECK, options(), tools=TOOLS).actions
    assert (action.kind, action.need) == (PROVIDED, need)


@pytest.mark.parametrize(("command", "reason_has", "packages"), [
    ("sudo apt-get update && sudo apt-get install -y jq yq", "the sandbox image carries them", ("yq",)),
    ("apt install -y yq not-in-debian-xyz", "carries yq but not not-in-debian-xyz", ("yq",)),
    ("sudo apt-get install -y not-in-debian-xyz", "does not know not-in-debian-xyz", ()),
    ("apt-get update", "updates the package lists", ()),
    ("brew install jq", "with brew, which a Debian sandbox does not have", ()),
    ("sudo apk add --no-cache curl", "with apk", ()),
])
def test_when_a_step_installs_system_packages_then_the_layer_does_it_and_the_step_says_why_it_did_not_run(
    command: str, reason_has: str, packages: tuple[str, ...],
) -> None:
    block = session(0, step(command, None, "shell", needs=("network", "tool:sudo")))
    p = make_plan(tut(block), Place.CHECK, options(allow_network=True), tools=TOOLS)
    (action,) = [a for a in p.actions if a.kind != STATIC]
    assert action.kind == PROVIDED and reason_has in action.reason and not action.runs
    assert p.packages == packages


@pytest.mark.parametrize("command", ["apt-get install -y jq && jq --version", "pip install requests",
                                     "apt-cache policy jq", "sudo apt-get remove jq"])
def test_when_a_step_does_more_than_install_then_it_is_not_taken_for_an_install(command: str) -> None:
    assert system_install(command) is None


def test_a_tool_the_sandbox_cannot_offer_says_what_is_missing() -> None:
    tools = parse_tools("sudo\t-\troot (sudo), which the sandbox never grants\nhelm\t-\n", "")
    assert tools.notes == {"sudo": "root (sudo), which the sandbox never grants"}
    def reason(command: str, tool: str) -> str:
        block = session(0, step(command, None, "shell", needs=(f"tool:{tool}",)))
        return make_plan(tut(block), Place.CHECK, tools=tools).actions[0].reason

    assert reason("sudo mkdir /opt/x", "sudo") == "needs root (sudo), which the sandbox never grants"
    assert "no Debian package" in reason("helm list", "helm")


def test_an_install_step_leaves_no_gap_in_its_block() -> None:
    block = session(0, step("sudo apt-get install -y yq", None, "shell"), step("yq --version", None, "shell",
                                                                              needs=("tool:yq",)))
    kinds = [a[0] for a in plan(block)]
    assert kinds == [PROVIDED, SHELL]


@pytest.mark.parametrize(("command", "serves"), [
    ("python3 -m http.server 8000", True), ("flask run --port 5000", True), ("npm start", True),
    ("npm run dev", True), ("tail -f /var/log/app.log", True), ("kubectl port-forward svc/web 8080:80", True),
    ("cd site && hugo server -D", True), ("uvicorn main:app --reload", True),
    ("python3 app.py", False), ("npm install", False), ("npm run build", False), ("tail -n 5 app.log", False),
    ("python3 -m http.server 8000 &", False), ("hugo new site blog", False), ("kubectl get pods", False),
    ("celery -A shop.jobs worker -l INFO", True), ("rq worker emails", True), ("celery worker --help", False),
    ("uvicorn --version", False), ("celery -A shop.jobs status", False),
])
def test_programs_that_run_until_stopped_are_recognised_by_a_table(command: str, serves: bool) -> None:
    assert runs_until_stopped(command) is serves


def test_when_a_step_serves_until_stopped_then_it_starts_in_the_background() -> None:
    block = session(0, step("python3 -m http.server 8000", "Serving HTTP on 0.0.0.0 port 8000\n", "shell"))
    (action,) = [a for a in make_plan(tut(block), Place.CHECK, tools=TOOLS).actions if a.kind == SHELL]
    assert action.command == "python3 -m http.server 8000"  # what the report shows: the article's command
    assert action.source.startswith("__tc_bg=$({ { python3 -m http.server 8000\n} >/tmp/.tutorcheck-bg-0-0.log 2>&1 "
                                    "</dev/null; echo $? >/tmp/.tutorcheck-bg-0-0.status; }")
    assert action.expected_output == "Serving HTTP on 0.0.0.0 port 8000\n"
