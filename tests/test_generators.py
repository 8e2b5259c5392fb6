"""What a project generator and an output-folder option make: ``TOOL startproject NAME`` (or
``startapp``, ``new``, ``init``, ``create``; also as a script's subcommand, ``python3 manage.py
startapp x``) makes the folder NAME, with files nobody lists; ``--basetemp=DIR`` (and other
options naming the folder a tool writes into) makes DIR with what the tool put inside.
Sample page written for these tests: tests/data/reading/generators.html. Pure: no engine."""

from __future__ import annotations

import pytest
from conftest import DATA

from extractor.pipeline import load_tutorials
from extractor.plan import make_plan
from extractor.plan.actions import Action
from extractor.understand import needs
from extractor.vocab import ActionKind


@pytest.fixture(scope="module")
def actions() -> dict[str, Action]:
    found, errors = load_tutorials([DATA / "reading" / "generators.html"])
    assert not errors and len(found) == 1
    return {a.command: a for a in make_plan(found[0]).actions if a.kind != ActionKind.STATIC}


def test_a_file_under_the_folder_an_option_named_is_the_steps_not_the_readers(actions: dict[str, Action]) -> None:
    assert actions["pytest --basetemp=leftovers -q"].kind == ActionKind.SHELL  # test_store.py is on the page
    assert actions["cat leftovers/test_store0/saved.txt"].kind == ActionKind.SHELL


def test_the_folder_a_generator_makes_and_the_files_in_it_are_not_assumed(actions: dict[str, Action]) -> None:
    assert [actions[c].kind for c in ("cd harvester", "python3 manage.py startapp spiders", "ls spiders")] == \
        [ActionKind.SHELL] * 3


@pytest.mark.parametrize(("command", "state"), [
    ("tool startproject site && cd site", False),
    ("python3 manage.py startapp blog && cd blog", False),  # manage.py: an earlier step's, below
    ("python3 -m tool new site && cd site", False),
    ("mkdocs build --site-dir public && cat public/index.html", False),
    ("tool start site && cd site", True),  # starting is not making
    ("python3 manage.py check && cd blog", True),
    ("cat scratch/x.txt", True),
])
def test_what_a_step_makes_before_the_next_uses_it(command: str, state: bool) -> None:
    made = needs.Made(paths={"manage.py"})
    assert ("state" in needs.step_needs(command, made, set())) is state
