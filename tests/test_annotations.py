"""GitHub Actions workflow commands and the job summary."""

from __future__ import annotations

from pathlib import Path

from extractor.annotations import (
    annotation,
    append_summary,
    error_lines,
    escape_data,
    escape_property,
    in_github_actions,
)
from extractor.results import ArticleResult, StepResult


def _failed(source: dict[str, object] | None) -> ArticleResult:
    step = StepResult(block=1, step=0, command="wc -l < notes.txt", status="failed",
                      reason="output differs from the article (exit status 0)", diff="-4\n+3\n", source=source)
    ok = StepResult(block=0, step=0, command="true", status="passed", source=source)
    skip = StepResult(block=2, step=0, command="kubectl get pods", status="skipped", reason="needs a cluster")
    return ArticleResult(slug="counting-words", status="failed", steps=(ok, step, skip))


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("docs/a,b:c.md\n") == "docs/a%2Cb%3Ac.md%0A"


def test_a_failed_step_in_a_file_is_annotated_at_its_line() -> None:
    line = annotation(_failed(None), _failed({"path": "docs/intro.md", "line": 42}).steps[1], "Counting: words")
    head, _, message = line.partition("::")[2].partition("::")
    assert line.startswith("::error file=docs/intro.md,line=42,title=")
    assert "title=tutorcheck%3A Counting%3A words — block 1%2C step 0 failed" in head
    assert message == "$ wc -l < notes.txt%0Afailed: output differs from the article (exit status 0)%0A-4%0A+3"


def test_only_failed_steps_are_annotated_and_feeds_have_no_file() -> None:
    lines = error_lines([_failed({"feed": "feeds/x.atom.xml", "item": "https://e.com/p", "block": 1})])
    assert len(lines) == 1 and lines[0].startswith("::error title=tutorcheck%3A counting-words")


def test_summary_is_appended_only_when_github_sets_it(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    assert append_summary("# tutorcheck report", {"GITHUB_STEP_SUMMARY": str(summary)}) == summary
    assert summary.read_text() == "# earlier step\n# tutorcheck report\n"
    assert append_summary("x", {}) is None
    assert in_github_actions({"GITHUB_ACTIONS": "true"}) and not in_github_actions({})
