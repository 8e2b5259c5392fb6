"""Skip reasons that say what is missing, in the class a careful reader gives it: installs are
the network's business, a step's own lack comes before the gap it follows, placeholder >
assumed file > root, stand-ins and stand-in names are placeholders, a credential stand-in is
a secret. Sample pages written for these tests: tests/data/reading/reasons.html, indented.html.
Pure: extraction and the plan, no engine."""

from __future__ import annotations

import pytest
from conftest import DATA

from extractor.model import Step, Tutorial
from extractor.pipeline import load_tutorials
from extractor.plan import make_plan
from extractor.plan.actions import Action
from extractor.understand.placeholders import in_output, stand_in_name, stand_ins
from extractor.vocab import ActionKind, NeedKind

READING = DATA / "reading"


def _tutorial(page: str) -> Tutorial:
    found, errors = load_tutorials([READING / page])
    assert not errors and len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def actions() -> dict[str, Action]:
    plan = make_plan(_tutorial("reasons.html"))
    return {a.command: a for a in plan.actions if a.kind != ActionKind.STATIC}


def test_installing_with_apt_is_the_networks_business_even_with_sudo(actions: dict[str, Action]) -> None:
    install = actions["sudo apt-get install -y graphviz widget-helpers"]
    assert (install.kind, install.need) == (ActionKind.PROVIDED, NeedKind.NETWORK)


def test_an_assumed_file_outranks_root(actions: dict[str, Action]) -> None:
    step = actions["sudo dpkg -i widget_2.3-1_amd64.deb"]
    assert (step.kind, step.need) == (ActionKind.SKIP, NeedKind.FILE)
    assert "widget_2.3-1_amd64.deb" in step.reason


def test_removing_what_a_skipped_step_installed_is_its_knock_on_not_root(actions: dict[str, Action]) -> None:
    purge = actions["sudo dpkg --purge widget"]
    assert purge.need == NeedKind.STATE and "block 1 step 0" in purge.reason
    assert "root" in purge.reason  # still said, after the gap
    after = actions["sudo dpkg --remove widget-doc"]  # sudo alone does not outrank the gap it follows
    assert after.need == NeedKind.SEQUENCE and after.reason.startswith("follows step 0")


def test_a_placeholder_outranks_everything_else_the_step_lacks(actions: dict[str, Action]) -> None:
    step = actions["sudo dpkg -i widget_version-revision_amd64.deb"]
    assert step.need == NeedKind.PLACEHOLDER
    assert step.reason.startswith("a placeholder must be filled in: widget_version-revision_amd64.deb; it also follows")


def test_stand_in_names_are_placeholders_not_assumed_files(actions: dict[str, Action]) -> None:
    step = actions["diffoscope previous-package.deb current-package.deb"]
    assert step.need == NeedKind.PLACEHOLDER and "previous-package.deb" in step.reason


@pytest.mark.parametrize(("command", "value"), [
    ("rsync -a ./public username@server:/srv/www", "username@server:/srv/www"),
    ("cp -r ./bin /path/to/your/prefix", "/path/to/your/prefix"),
    ("widgetc --emit-dir <prefix>/share/widget main.w", "<prefix>"),
])
def test_stand_ins_in_a_command_are_placeholders(actions: dict[str, Action], command: str, value: str) -> None:
    step = actions[command]
    assert step.kind == ActionKind.SKIP
    assert NeedKind.PLACEHOLDER in {n.kind for n in _step(command).facts.needs if n.value == value}


def _step(command: str) -> Step:
    return next(s for b in _tutorial("reasons.html").code_blocks for s in b.steps if s.command == command)


def test_a_stand_in_for_a_credential_is_a_secret_named_in_the_reason(actions: dict[str, Action]) -> None:
    step = actions["curl -u <account-email>:<upload-token> -F file=@dist.tar.gz https://uploads.pypi.org/legacy/"]
    assert step.need == NeedKind.SECRET and "<upload-token>" in step.reason


def test_a_your_placeholder_in_the_shown_output_makes_the_step_a_placeholder_skip(actions: dict[str, Action]) -> None:
    step = actions["groups"]
    assert step.need == NeedKind.PLACEHOLDER and "<yourlogin>" in step.reason


def test_reading_apts_package_lists_needs_the_network(actions: dict[str, Action]) -> None:
    assert actions["apt-cache show widget-helpers"].need == NeedKind.NETWORK


def test_an_input_file_given_as_name_equals_path_is_still_an_input_file(actions: dict[str, Action]) -> None:
    step = actions["rustc plugin.rs --extern helpers=libhelpers.rlib"]
    assert step.need == NeedKind.FILE and "libhelpers.rlib" in step.reason  # plugin.rs is saved on the page


def test_a_step_after_a_gap_gives_its_own_reason_first(actions: dict[str, Action]) -> None:
    opened = actions["payload = open('screenshot.png', 'rb')"]
    assert opened.need == NeedKind.FILE and opened.reason.startswith("uses screenshot.png")
    assert actions["import json"].need == NeedKind.SEQUENCE  # nothing of its own: the gap says it


def test_a_file_python_wrote_is_no_assumed_file(actions: dict[str, Action]) -> None:
    assert actions["open('notes.txt').read()"].kind == ActionKind.PYTHON


def test_a_project_file_after_a_step_whose_effects_nobody_lists_relies_on_that_step(
        actions: dict[str, Action]) -> None:
    assert actions["tar -xzf widget-2.3.tar.gz"].need == NeedKind.FILE  # the reader's download
    step = actions["debuild -us -uc"]  # its debian/ would come from the tarball: not assumed, not run either
    assert step.need == NeedKind.STATE and step.reason.startswith("depends on earlier steps that did not run")


def test_cd_into_the_folder_of_a_file_the_page_only_changes_is_assumed(actions: dict[str, Action]) -> None:
    assert actions["write site/content/index.md"].kind == ActionKind.WRITE  # the change is still written
    step = actions["cd site"]
    assert (step.kind, step.need) == (ActionKind.SKIP, NeedKind.FILE) and "uses site," in step.reason


def test_a_transcript_indented_as_a_whole_is_a_session() -> None:
    blocks = _tutorial("indented.html").code_blocks
    assert [s.command for s in blocks[0].steps] == ["mkdir release", "cd release", "echo ready"]
    assert blocks[0].steps[2].expected_output == "ready\n"
    plan = {a.command: a for a in make_plan(_tutorial("indented.html")).actions}
    assert plan["cd release"].kind == ActionKind.SHELL  # made by the step before it
    assert plan["cd /path/to/checkout"].need == NeedKind.PLACEHOLDER
    assert blocks[2].kind == "text"  # an indented listing without prompts stays what it was


@pytest.mark.parametrize(("text", "found"), [
    ("scp site.tar.gz user@host:/var/www", ["user@host:/var/www"]),
    ("mkdocs build -d path/to/site", ["path/to/site"]),
    ("git clone https://github.com/<owner>/widget", ["<owner>"]),
    ("curl -sO https://example.com/data.csv", []),  # a host reserved for examples names a server all the same
    ("echo '<b>bold</b>' > page.html", []),  # markup, not a stand-in
    ("sort < words.txt > sorted.txt", []),
])
def test_stand_ins(text: str, found: list[str]) -> None:
    assert stand_ins(text) == found


@pytest.mark.parametrize(("name", "stand_in"), [
    ("package.changes", True), ("old-package.dsc", True), ("foo_version-revision_all.deb", True),
    ("mymodule-0.1.tar.gz", True), ("package.json", False), ("package-lock.json", False), ("VERSION", False),
    ("report.xls", False), ("tool_1.0-1_amd64.changes", False), ("src/module.rs", False),
])
def test_stand_in_names(name: str, stand_in: bool) -> None:
    assert stand_in_name(name) is stand_in


def test_placeholders_in_output_are_only_the_your_kind() -> None:
    assert in_output("uid=1000(<yourname>) gid=1000(<your-group>)") == ["<yourname>", "<your-group>"]
    assert in_output("<BLANKLINE>\n<none>\n<stdin>\n<Response [200]>") == []


def test_lines_running_a_program_the_prose_names_are_commands_and_its_build_files_define_it() -> None:
    tutorial = _tutorial("named-commands.html")
    runs = tutorial.code_blocks[1]
    assert (runs.kind, [s.command for s in runs.steps]) == ("commands", ["Gadget 12", "Gadget 7.5", "Gadget"])
    assert tutorial.code_blocks[2].kind == "output"  # "prints:" introduces output, named program or not
    plan = {a.command: a for a in make_plan(tutorial).actions}
    assert plan["Gadget 12"].need == NeedKind.FILE and "uses Gadget," in plan["Gadget 12"].reason


@pytest.mark.parametrize(("before", "named"), [
    ("Then try the newly built `Widget` with these commands:", {"Widget"}),
    ("Run `wc` on the\nfile as follows:", {"wc"}),
    ("The `Widget` program prints:", set()),  # output, not commands
    ("We built `Widget` with these commands.", set()),  # not introducing the block
])
def test_programs_the_prose_says_a_block_runs(before: str, named: set[str]) -> None:
    from extractor.understand.prose import programs_run

    assert programs_run(before) == named


def test_a_command_ending_in_an_option_that_takes_a_value_goes_on_in_the_next_line() -> None:
    (_, session) = _tutorial("wrapped.html").code_blocks
    assert [(s.command, s.expected_output) for s in session.steps] == [
        ("cc -Wall -Wextra -O2 greet.c -o greet", None), ("./greet", "hi\n"), ("ls greet", "greet\n")]
    plan = {a.command: a for a in make_plan(_tutorial("wrapped.html")).actions}
    assert plan["./greet"].kind == ActionKind.SHELL  # made by the joined compiler line, so not assumed
