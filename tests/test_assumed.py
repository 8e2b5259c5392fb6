"""What the article never gives (``file:NAME``), what the reader's machine has that a sandbox
has not (a desktop, a device, root), and the plan's skips for them: sample pages written for
these tests (tests/data/reading/assumed.html, machine.html)."""

from __future__ import annotations

from conftest import DATA

from extractor.feeds import load_source
from extractor.html import html_to_blocks
from extractor.model import CodeBlock, Tutorial
from extractor.pipeline import load_tutorials
from extractor.plan import make_plan
from extractor.understand import understand_blocks
from extractor.vocab import ActionKind, NeedKind

READING = DATA / "reading"


def _codes(page: str) -> list[CodeBlock]:
    article = load_source(str(READING / page)).articles[0]
    blocks = understand_blocks(tuple(html_to_blocks(article.html, article.origin)), page, article.title)
    return [b for b in blocks if isinstance(b, CodeBlock)]


def _needs(page: str) -> dict[str, tuple[str, ...]]:
    return {s.command: s.needs for b in _codes(page) for s in b.steps}


def _tutorial(page: str) -> Tutorial:
    found, errors = load_tutorials([READING / page])
    assert not errors and len(found) == 1
    return found[0]


def test_a_project_file_the_article_never_gives_is_assumed() -> None:
    needs = _needs("assumed.html")
    assert "file:Cargo.toml" in needs["cargo test"]  # the project of an earlier page
    assert "file:Makefile" in needs["make html"]
    assert not any(n.startswith("file:") for n in needs["make hello"])  # make's rule, from the hello.c given
    assert "file:CMakeLists.txt" in needs["cmake ../src"]
    # the build tree the configure step makes: no assumption, but that step's state
    assert "state" in needs["cmake --build ."] and not any(n.startswith("file:") for n in needs["cmake --build ."])


def test_a_named_file_or_folder_nothing_made_is_assumed_and_a_saved_file_is_the_readers() -> None:
    needs = _needs("assumed.html")
    assert "file:tool_1.0-1_amd64.changes" in needs["lintian tool_1.0-1_amd64.changes"]
    assert "file:build" in needs["cd build"]
    assert needs["rustc hi.rs"] == ("tool:rustc",)  # hi.rs is saved: no earlier step's state
    assert needs["./hi"] == ("state",)  # made by the compiler step, not assumed
    assert needs["jq .name config.json"] == ()  # .name is jq's filter, config.json is saved


def test_a_program_only_the_articles_code_defines_is_assumed() -> None:
    assert "file:greet" in _needs("assumed.html")["greet Ada"]  # a click command, never installed


def test_after_a_step_whose_effects_nobody_lists_nothing_is_assumed() -> None:
    needs = _needs("assumed.html")
    assert not any(n.startswith("file:") for n in needs["make"])  # after git clone


def test_a_desktop_a_device_root_another_os_and_toolchain_downloads_are_needs() -> None:
    needs = _needs("machine.html")
    assert "gui" in needs["i3-msg reload"] and "gui" in needs["killall i3bar"]
    assert "hardware" in needs["lsusb"] and "hardware" in needs["ls -l /dev/ttyUSB0"]
    assert "root" in needs["cp build/tool /usr/local/bin/"]
    assert "tool:cmd" in needs["venv\\Scripts\\activate"]
    assert "network" in needs["rustup target add thumbv7m-none-eabi"]
    rules = _codes("machine.html")[3]
    assert (rules.kind, rules.filename, rules.needs) == ("file", "/etc/udev/rules.d/99-board.rules", ("root",))


def test_the_plan_skips_them_with_a_typed_need() -> None:
    plan = make_plan(_tutorial("assumed.html"))
    skipped = {a.command: a for a in plan.actions if a.kind == ActionKind.SKIP}
    assert skipped["cargo test"].need == NeedKind.FILE
    assert "Cargo.toml" in skipped["cargo test"].reason
    assert skipped["greet Ada"].need == NeedKind.FILE
    machine = {a.command: a.need for a in make_plan(_tutorial("machine.html")).actions
               if a.kind == ActionKind.SKIP}
    assert machine["i3-msg reload"] == NeedKind.GUI
    assert machine["lsusb"] == NeedKind.HARDWARE
    assert machine["cp build/tool /usr/local/bin/"] == NeedKind.ROOT
    assert machine["write /etc/udev/rules.d/99-board.rules"] == NeedKind.ROOT
    assert machine["venv\\Scripts\\activate"] == NeedKind.OS
    assert machine["rustup target add thumbv7m-none-eabi"] == NeedKind.NETWORK


def test_another_os_twin_of_a_step_leaves_no_gap() -> None:
    from extractor.model import Step
    from extractor.understand.needs import Made, step_needs

    def shell(command: str) -> Step:
        return Step(command, None, "shell", needs=step_needs(command, Made(), set()))

    t = Tutorial("twin", "twin", "", _tutorial("machine.html").source, blocks=(
        CodeBlock(0, "", lang="shell", kind="session", prompt="$ ", steps=(shell("mkdir app"),)),
        CodeBlock(1, "", lang="shell", kind="session", prompt="$ ", steps=(shell("venv\\Scripts\\activate"),)),
        CodeBlock(2, "", lang="shell", kind="session", prompt="$ ", steps=(shell("cd app"),))))
    actions = make_plan(t).actions
    assert [a.kind for a in actions] == [ActionKind.SHELL, ActionKind.SKIP, ActionKind.SHELL]


def test_a_version_query_is_judged_by_its_exit_status_and_a_machine_query_is_not_run() -> None:
    actions = {a.command: a for a in make_plan(_tutorial("machine.html")).actions}
    version = actions["python3 --version"]
    assert (version.kind, version.expected_output) == (ActionKind.SHELL, None)
    assert "version query" in version.note
    assert actions["apt-cache policy jq"].need == NeedKind.MACHINE


def test_a_wizard_without_its_answers_is_interactive() -> None:
    needs = _needs("machine.html")
    assert "interactive" in needs["sphinx-quickstart docs"]
    assert "interactive" not in needs["sphinx-quickstart -q -p Demo -a Me docs"]


def test_a_program_shown_in_two_pieces_is_written_whole() -> None:
    file, rest = _codes("pieces.html")[:2]
    assert (file.kind, file.filename, rest.kind) == ("file", "greet.py", "fragment")  # it starts at its first piece
    assert file.content == 'def greet():\n    print("Hello!")\n\n\nif __name__ == "__main__":\n    greet()\n'
    assert "the next uses greet, which only this block defines" in file.notes[-1]
    assert rest.notes[-1] == "the rest of greet.py, written whole with block 0"


def test_a_new_project_and_an_archive_are_made_by_the_steps_that_make_them() -> None:
    needs = _needs("pieces.html")
    assert needs["cd site"] == () and needs["tar -cf site.tar docs"] == ()
    assert needs["tar -tf site.tar"] == ()


def test_a_module_run_with_python_m_and_a_download_with_combined_flags_are_no_assumed_files() -> None:
    from extractor.understand.needs import Made, step_needs

    made = Made()
    assert step_needs("python3 -m http.server 8000", made, set()) == () and made.unmade == []  # a module
    step_needs("curl -sO https://example.org/names.txt", made, set())
    assert "names.txt" in made.paths


def test_prompt_less_lines_bash_cannot_parse_are_not_shell() -> None:
    from extractor.model import CodeBlock
    from extractor.understand.article import understand_article

    octave, = understand_article((CodeBlock(0, 'eval ("bar = 3");\nbar\n'),))
    assert (octave.kind, octave.lang, octave.steps) == ("text", "text", ())
    labelled, = understand_article((CodeBlock(0, 'eval ("bar = 3");\n', label="bash"),))
    assert labelled.lang == "shell"  # a shell label says it is shell: its syntax error is a defect to report
