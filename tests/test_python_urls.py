"""A Python session that keeps a URL in a name: binding the string reaches nothing, the call
that uses the name needs the network; after a step that cannot run, a statement that only
binds literal values still runs (it relies on nothing before it), what uses the gap does not,
and it follows the nearest earlier step that lacks something of its own.
Sample page written for these tests: tests/data/reading/python-urls.html. Pure: no engine."""

from __future__ import annotations

import pytest
from conftest import DATA

from extractor.pipeline import load_tutorials
from extractor.plan import make_plan
from extractor.plan.actions import Action
from extractor.understand.python import binds_literals
from extractor.vocab import ActionKind, NeedKind


@pytest.fixture(scope="module")
def actions() -> dict[tuple[int, str], Action]:
    found, errors = load_tutorials([DATA / "reading" / "python-urls.html"])
    assert not errors and len(found) == 1
    return {(a.block, a.command): a for a in make_plan(found[0]).actions if a.kind != ActionKind.STATIC}


def test_binding_a_url_to_a_name_reaches_nothing(actions: dict[tuple[int, str], Action]) -> None:
    assert actions[(0, "service = 'https://forecast.weather-service.org/v2/now'")].kind == ActionKind.PYTHON
    assert actions[(1, "mirrors = ['https://eu.weather-service.org', 'https://us.weather-service.org']")].kind \
        == ActionKind.PYTHON
    assert actions[(1, "first = mirrors[0]")].kind == ActionKind.PYTHON  # calls nothing


def test_a_call_with_a_name_that_holds_a_url_needs_the_network(actions: dict[tuple[int, str], Action]) -> None:
    reply = actions[(0, "reply = urllib.request.urlopen(service)")]
    assert (reply.kind, reply.need) == (ActionKind.SKIP, NeedKind.NETWORK)
    page = actions[(1, "page = urllib.request.urlopen(first + '/v2/now')")]  # first came from mirrors
    assert (page.kind, page.need) == (ActionKind.SKIP, NeedKind.NETWORK)
    # any call given such a name is taken to reach it: a skip, never a run that fails offline
    assert actions[(1, "len(mirrors)")].need == NeedKind.NETWORK


def test_a_name_given_another_value_no_longer_holds_a_url(actions: dict[tuple[int, str], Action]) -> None:
    assert actions[(1, "service.upper()")].kind == ActionKind.SKIP  # after the gap of its block
    assert actions[(1, "service = 'forecast'")].kind == ActionKind.PYTHON  # a literal: runs after the gap


def test_after_a_gap_only_literal_bindings_run(actions: dict[tuple[int, str], Action]) -> None:
    assert actions[(0, "backoff = (1, 2, 4)")].kind == ActionKind.PYTHON
    status = actions[(0, "reply.status")]
    assert (status.kind, status.need) == (ActionKind.SKIP, NeedKind.SEQUENCE)
    assert status.reason.startswith("follows step 3 of this block")  # the gap, not the literal before it
    assert actions[(0, "limit = backoff[-1]")].need == NeedKind.SEQUENCE  # uses a name: still follows the gap


@pytest.mark.parametrize(("text", "literal"), [
    ("query = {'place': 'Oslo', 'units': ['metric', 2]}", True),
    ("low, high = -3, 2 ** 4", True),
    ("reply.encoding = 'latin-1'", False),  # changes what an earlier step made
    ("limit = backoff[-1]", False),
    ("when = f'{day}'", False),
    ("pairs = dict(a=1)", False),
    ("size: int = 3", False),
    ("print('x')", False),
    ("x = (", False),
])
def test_literal_bindings(text: str, literal: bool) -> None:
    assert binds_literals(text) is literal


def test_a_step_after_two_gaps_follows_the_nearest(actions: dict[tuple[int, str], Action]) -> None:
    assert actions[(2, "log = open('station-log.csv', 'rb')")].need == NeedKind.FILE
    sent = actions[(2, "sent = urllib.request.urlopen(upload, log.read())")]
    assert sent.need == NeedKind.NETWORK and "it also follows step 1" in sent.reason  # its own lack first
    status = actions[(2, "sent.status")]
    assert status.need == NeedKind.SEQUENCE and status.reason.startswith("follows step 2 of this block")
