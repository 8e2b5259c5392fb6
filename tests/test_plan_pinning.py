"""The article's pins as one decision of the plan (plan/pinning.py), applied in every place:
check, check.sh, the notebook and ``tutorcheck step`` start where the article worked, with its
terminal width, and say what was pinned (and what a place leaves out, and why)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from extractor.context import Pin
from extractor.model import Tutorial
from extractor.pipeline import load_tutorials, render_article
from extractor.plan import Place, make_plan

DATA = Path(__file__).resolve().parent / "data" / "reader"
WORKDIR = "/home/maria/recipes"


@pytest.fixture(scope="module")
def recipes() -> Tutorial:
    tutorials, errors = load_tutorials([DATA / "pytest-project.html"])
    assert not errors and len(tutorials) == 1
    return tutorials[0]


def test_the_sample_pins_the_directory_its_pytest_output_shows_and_the_width_of_its_rule_lines(
        recipes: Tutorial) -> None:
    assert [(p.what, p.value) for p in recipes.pins] == [("workdir", WORKDIR), ("terminal-width", "72")]


@pytest.mark.parametrize("place", [Place.CHECK, Place.CHECK_SH, Place.STEP])
def test_every_place_that_runs_in_the_sandbox_starts_there_with_that_width(recipes: Tutorial, place: Place) -> None:
    pins = make_plan(recipes, place).pinned
    assert pins.start_dir == WORKDIR and pins.environment == {"COLUMNS": "72"}
    assert pins.said == (f"working directory {WORKDIR} (from the article's `pytest` output)",
                         "terminal width (COLUMNS) 72 (from the width of the article's rule lines)")
    assert pins.left == ()


def test_a_notebook_gets_the_width_but_not_the_directory_which_it_says_it_left_out(recipes: Tutorial) -> None:
    pins = make_plan(recipes, Place.NOTEBOOK).pinned
    assert pins.start_dir == "" and pins.environment == {"COLUMNS": "72"}
    assert pins.left == (f"working directory {WORKDIR} (from the article's `pytest` output): not applied in the "
                         "notebook, a notebook may run on your own machine",)


def test_each_kind_of_pin_sets_its_own_environment_and_check_sh_leaves_the_clock_to_check(recipes: Tutorial) -> None:
    more = (Pin("git-identity", "Maria Rossi <maria@example.org>", "the article's git log"),
            Pin("hostname", "kitchen", "the article's prompts"),
            Pin("clock", "2024-03-01 12:00:00 UTC", "the article's date"))
    t = replace(recipes, pins=recipes.pins + more)
    check, script = make_plan(t, Place.CHECK).pinned, make_plan(t, Place.CHECK_SH).pinned
    assert check.hostname == script.hostname == "kitchen"
    assert check.environment["GIT_COMMITTER_EMAIL"] == script.environment["GIT_AUTHOR_EMAIL"] == "maria@example.org"
    assert check.environment["FAKETIME"] == "@2024-03-01 12:00:00" and "FAKETIME" not in script.environment
    assert [line.split(" (")[0] for line in script.left] == ["clock 2024-03-01 12:00:00 UTC"]


def test_check_sh_starts_its_container_there_and_says_and_exports_what_it_pins(recipes: Tutorial) -> None:
    text = render_article(recipes).check_sh
    assert f"--workdir={WORKDIR}" in text and f"--tmpfs={WORKDIR}:" in text  # a folder of its own, as check's
    assert "--workdir=/home/tutor" not in text
    assert f"# Pinned as the article shows it: working directory {WORKDIR} (from the article's `pytest` output)" \
        in text
    assert "echo 'PINNED   terminal width (COLUMNS) 72 (from the width of the article'\"'\"'s rule lines)'" in text
    assert "\nexport COLUMNS=72\n" in text


def test_a_plan_that_pins_nothing_renders_check_sh_as_before(recipes: Tutorial) -> None:
    text = render_article(replace(recipes, pins=())).check_sh
    assert "PINNED" not in text and "Pinned" not in text and "export COLUMNS" not in text
    assert "--workdir=/home/tutor" in text


def test_the_notebooks_first_code_cell_sets_the_width_and_its_header_and_metadata_say_so(recipes: Tutorial) -> None:
    nb = json.loads(render_article(recipes).ipynb)
    header, first = nb["cells"][0], next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "> Pinned as the article shows it: terminal width (COLUMNS) 72" in header["source"]
    assert f"> Not pinned: working directory {WORKDIR}" in header["source"]
    assert nb["metadata"]["kernelspec"]["name"] == "bash"
    assert first["source"].endswith("\nshopt -u checkwinsize\nexport COLUMNS=72")
    assert nb["metadata"]["tutorcheck"]["pinned"]["applied"] == [
        "terminal width (COLUMNS) 72 (from the width of the article's rule lines)"]


def test_a_python_notebook_sets_the_width_before_its_first_shell_cell_starts_bash(recipes: Tutorial) -> None:
    from extractor.render.kernels import KERNELS
    from extractor.render.notebook import pins_source

    pins = make_plan(recipes, Place.NOTEBOOK).pinned
    assert pins_source(KERNELS["python3"], pins).splitlines()[1:] == ["import os", "os.environ['COLUMNS'] = '72'"]


def test_tutorcheck_steps_header_says_what_it_pins(recipes: Tutorial) -> None:
    from extractor.learner import learner_plan, print_plan

    out = io.StringIO()
    print_plan(recipes, learner_plan(recipes), out)
    head = out.getvalue().splitlines()[:4]
    assert head[2:] == [f"pinned: working directory {WORKDIR} (from the article's `pytest` output)",
                        "pinned: terminal width (COLUMNS) 72 (from the width of the article's rule lines)"]
