"""Toolchains as a reader meets them: what a build or install would fetch decides its network
need, and a test runner's output shown with none of its report is the page's mistake (sample
pages in tests/data/toolchains/, written for these tests)."""

from __future__ import annotations

from conftest import DATA

from extractor.feeds import load_source
from extractor.html import html_to_blocks
from extractor.model import CodeBlock
from extractor.understand import understand_blocks

TOOLCHAINS = DATA / "toolchains"


def codes(page: str) -> list[CodeBlock]:
    """The understood code blocks of a sample page."""
    article = load_source(str(TOOLCHAINS / page)).articles[0]
    blocks = understand_blocks(tuple(html_to_blocks(article.html, article.origin)), page, article.title)
    return [b for b in blocks if isinstance(b, CodeBlock)]


def test_output_shown_under_a_test_run_must_have_a_line_of_the_runners_report() -> None:
    found = {b.index: [(c.ok, c.message) for c in b.checks if c.name == "runner-report"] for b in codes(
        "runner-reports.html")}
    assert found[0] == [(True, "")]  # go test's ok line
    assert [ok for ok, _ in found[1]] == [False]  # a log file's lines under cargo test
    assert "has no line of cargo test's report" in found[1][0][1]
    assert found[2] == [(True, "")]  # pytest -q: its progress line and N passed
    assert found[3] == []  # an elided report: only part of it is shown
    assert found[4] == []  # a version query is no test run
    assert found[5] == []  # a listing, and output filtered by grep
    assert [ok for ok, _ in found[6]] == [False]  # another program's output under go test
