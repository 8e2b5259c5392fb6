"""Every step's verdict says where the step is: file and line for Markdown/reST, feed, item and
block for feeds; in the JSON results, JUnit, the Markdown report and the pytest item."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DATA

from extractor.locate import step_offsets, with_sources
from extractor.pipeline import load_tutorials
from extractor.reports import junit_report, markdown_report
from extractor.results import ArticleResult, StepResult


def _result(slug: str, *ids: tuple[int, int, str]) -> ArticleResult:
    return ArticleResult(slug, "failed", steps=tuple(
        StepResult(block=b, step=s, command="x", status=status, reason="r") for b, s, status in ids))


def test_step_offsets_follow_prompts_continuations_and_repeats() -> None:
    text = "$ echo a\na\n$ echo a\na\n$ cat <<EOF\n> x\n> EOF\nx\n>>> 1 +\n... 1\n2"
    assert step_offsets(text, ["echo a", "echo a", "cat <<EOF\nx\nEOF", "1 +\n1", "nothere"]) == [0, 2, 4, 8, None]


def test_doc_steps_get_file_and_line_and_checks_the_block_line() -> None:
    tutorials, _ = load_tutorials([DATA / "docs" / "counting-words.md"])
    located = with_sources(_result("counting-words", (0, 2, "failed"), (0, 3, "passed"), (9, 0, "error")),
                           tutorials[0])
    path = str(DATA / "docs" / "counting-words.md")
    assert [s.source for s in located.steps] == [{"path": path, "line": 15}, {"path": path, "line": 13}, None]
    assert located.steps[0].to_json()["source"] == {"path": path, "line": 15}

    junit = ET.fromstring(junit_report([located]))
    case = junit.find(".//testcase[@name='block-0::step-2']")
    assert case is not None and (case.get("file"), case.get("line")) == (path, "15")
    assert f"block 0, step 2 (`{path}:15`)" in markdown_report([located])


def test_feed_steps_name_the_feed_the_item_and_the_block() -> None:
    tutorials, _ = load_tutorials([DATA.parent.parent / "feeds" / "tutorcheck-examples.atom.xml"])
    t = next(t for t in tutorials if t.slug == "counting-words-with-python")
    located = with_sources(_result(t.slug, (1, 0, "failed")), t)
    source = located.steps[0].source
    assert source is not None and set(source) == {"feed", "item", "block"}
    assert source["block"] == 1 and source["feed"].endswith("tutorcheck-examples.atom.xml") and source["item"]
    assert located.steps[0].where == ""


def test_pytest_item_points_at_the_doc_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.pytest_plugin import StepItem

    tutorials, _ = load_tutorials([DATA / "docs" / "guide" / "environment.rst"])

    class Article:
        name, tutorial = "guide-environment", tutorials[0]

    item = object.__new__(StepItem)
    item.block, item.step = 0, 1
    item.path = Path("generated/index.json")  # type: ignore[misc]
    monkeypatch.setattr(StepItem, "article", property(lambda self: Article))
    path, line, name = item.reportinfo()
    assert (path, line, name) == (DATA / "docs" / "guide" / "environment.rst", 13, "guide-environment::block-0::step-1")
