"""One plan, every place: every bundled and test input goes through the plan for each place it
runs in (check, check.sh, notebook, step), with and without the network, and

- the places decide the same for every step, except where a row of ``PLACES`` differs (the
  test names the row, and the steps that follow from it);
- each consumer does what its plan says: the notebook comments out exactly the steps its plan
  does not run, check.sh skips exactly those, ``check`` reports them skipped with the plan's
  reason and typed need, ``step`` walks the same plan.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import fields
from functools import cache
from pathlib import Path

import nbformat
import pytest

from extractor.learner import learner_plan, print_plan
from extractor.model import Tutorial, tutorial_from_json
from extractor.options import RunOptions
from extractor.pipeline import load_tutorials
from extractor.plan import PLACES, Action, Place, Plan, make_plan
from extractor.render.checkscript import render_inner
from extractor.render.notebook import build_notebook
from extractor.sandbox.runner import _not_run, plan_for
from extractor.vocab import ActionKind, NeedKind

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (".xml", ".rss", ".atom", ".html", ".htm")
# What a row of the places table makes a stricter place skip: the row, the need it names.
ROW_NEEDS = {"writes_outside_folder": NeedKind.PATH}
# Needs of steps that follow a row's skip (an earlier step or a step of its block was not run).
FOLLOWING_NEEDS = frozenset({NeedKind.STATE, NeedKind.SEQUENCE})


@cache
def inputs() -> tuple[Tutorial, ...]:
    sources = [ROOT / "feeds", *sorted(p for p in (ROOT / "tests" / "data").rglob("*") if p.suffix in SOURCES)]
    tutorials, _errors = load_tutorials(sources)  # the broken samples' errors are their point
    found = list(tutorials)
    for path in sorted((ROOT / "tests" / "data").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "slug" in data and "blocks" in data:
            found.append(tutorial_from_json(data))
    return tuple(found)


def test_the_inputs_are_many_and_varied() -> None:
    assert len(inputs()) >= 30
    kinds = {a.kind for t in inputs() for a in make_plan(t).actions}
    assert kinds == set(ActionKind)  # every kind of action is exercised


def _decisions(plan: Plan) -> dict[tuple[int, int], Action]:
    # a kubectl client-side check is a step of its own where the row client_checks allows it
    return {(a.block, a.step): a for a in plan.actions if not a.client_check}


def _rows_between(a: Place, b: Place) -> list[str]:
    return [f.name for f in fields(PLACES[a]) if getattr(PLACES[a], f.name) != getattr(PLACES[b], f.name)]


def _explained(one: Action, other: Action, rows: list[str]) -> str | None:
    """The row that explains why two places decide differently on a step, or None."""
    for row in rows:
        for stricter in (one, other):
            if stricter.kind == ActionKind.SKIP and stricter.need in {ROW_NEEDS[row], *FOLLOWING_NEEDS}:
                return row
    return None


@pytest.mark.parametrize("network", [False, True], ids=["offline", "network"])
def test_every_place_decides_the_same_for_every_step_but_for_a_row_of_the_table(network: bool) -> None:
    options = RunOptions(allow_network=network, env={"TOKEN": "x"})
    steps = differ = 0
    by_row: dict[str, int] = {}
    for t in inputs():
        plans = {place: _decisions(make_plan(t, place, options)) for place in Place}
        reference = plans[Place.CHECK]
        for place, decided in plans.items():
            assert decided.keys() == reference.keys(), f"{t.slug}: {place} plans other steps than check"
            rows = _rows_between(Place.CHECK, place)
            for key, action in decided.items():
                want = reference[key]
                steps += place == Place.CHECK
                if (action.kind, action.reason, action.need) == (want.kind, want.reason, want.need):
                    continue
                row = _explained(action, want, rows)
                assert row is not None, (f"{t.slug} block {key[0]} step {key[1]}: {place} does "
                                         f"{action.kind} ({action.reason}), check does {want.kind} ({want.reason})")
                by_row[row] = by_row.get(row, 0) + 1
                differ += 1
    assert steps > 150
    assert set(by_row) <= set(ROW_NEEDS)
    print(f"{steps} steps; {differ} place decisions differ, all by a row: {by_row}")


def _skipped_in_notebook(t: Tutorial, plan: Plan) -> dict[tuple[int, int], str]:
    nb = build_notebook(t, plan)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("tutorcheck", {})
        if cell.cell_type == "code" and "block" in meta:
            out[(meta["block"], meta.get("step", 0))] = meta.get("skip", "")
    nbformat.validate(nb)
    return out


@pytest.mark.parametrize("t", inputs(), ids=lambda t: t.slug)
def test_every_consumer_does_what_its_plan_says(t: Tutorial) -> None:
    # the notebook: a cell per planned step, commented out exactly when the plan does not run it
    notebook = make_plan(t, Place.NOTEBOOK)
    planned = {(a.block, a.step): ("" if a.runs else a.reason) for a in notebook.actions
               if a.kind != ActionKind.STATIC}
    assert _skipped_in_notebook(t, notebook) == planned
    # check.sh: a skip (or provided) line for exactly the steps its plan does not run
    check_sh = make_plan(t, Place.CHECK_SH)
    inner = render_inner(check_sh)
    lines = set(re.findall(r"^(skip|provided) (\d+) (\d+) ", inner, re.M))
    assert lines == {(str(a.kind), str(a.block), str(a.step)) for a in check_sh.actions
                     if a.kind in (ActionKind.SKIP, ActionKind.PROVIDED)}
    # check: its plan, and a result per step not run with the plan's reason and typed need
    options = RunOptions()
    check = plan_for(t, options)
    assert check == make_plan(t, Place.CHECK, options)
    for a in check.actions:
        if not a.runs and a.kind != ActionKind.STATIC:
            result = _not_run(a)
            assert (result.status, result.reason, result.need or None, result.action) == (
                "skipped", a.reason, a.need, a.kind)
    # step: the learner walks its own plan, and says how many steps it would run
    step = learner_plan(t)
    assert step == make_plan(t, Place.STEP, RunOptions())
    out = io.StringIO()
    print_plan(t, step, out)
    units = [a for a in step.actions if a.kind != ActionKind.STATIC]
    assert f"{len(units)} steps, {sum(a.runs for a in units)} would run" in out.getvalue()


def test_a_skipped_step_always_names_its_need() -> None:
    for t in inputs():
        for place in Place:
            for a in make_plan(t, place).actions:
                assert (a.kind in (ActionKind.SKIP, ActionKind.PROVIDED)) == (a.need is not None), f"{t.slug}: {a}"
