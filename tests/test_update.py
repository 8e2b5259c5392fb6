"""``check --update``: corrected outputs keep the author's elisions and tokens; sources are
rewritten in place (indentation kept), autolinks fixed, feeds never touched."""

from __future__ import annotations

from pathlib import Path

from extractor.corrected import corrected_output
from extractor.matching import compare
from extractor.pipeline import load_tutorials
from extractor.reports import markdown_report
from extractor.results import ArticleResult, StepResult
from extractor.update import update_sources


def test_corrected_output_keeps_elisions_and_normalised_tokens() -> None:
    expected = "started at 2026-11-01T10:00:00Z\ncount: 1\n...\nfinished\n"
    actual = "started at 2026-11-30T05:12:09Z\ncount: 2\nline a\nline b\ndone\n"
    fixed = corrected_output(expected, actual)
    assert fixed == "started at 2026-11-01T10:00:00Z\ncount: 2\n...\ndone\n"
    assert compare(fixed, actual).ok


def test_corrected_output_is_the_plain_output_when_nothing_of_the_author_still_matches() -> None:
    assert corrected_output("4\n", "2\n") == "2\n"
    assert corrected_output("a\nb\n", "") == ""


def _failed(block: int, step: int, command: str, expected: str, output: str) -> StepResult:
    return StepResult(block=block, step=step, command=command, status="failed", exit_code=0, match="mismatch",
                      expected_output=expected, output=output, diff="-x\n+y\n", action="shell")


def test_update_rewrites_an_indented_rst_output_and_a_markdown_autolink(tmp_path: Path) -> None:
    rst = tmp_path / "a.rst"
    rst.write_text("A\n=\n\n.. code-block:: console\n\n   $ echo one\n   two\n   $ echo three\n   three\n\nEnd.\n")
    md = tmp_path / "b.md"
    md.write_text("# B\n\n```console\n$ curl -s <https://example.com/x>\nhello\n```\n")
    tutorials, _ = load_tutorials([tmp_path])
    results = [ArticleResult("a", "failed", steps=(_failed(0, 0, "echo one", "two\n", "one\n"),)),
               ArticleResult("b", "passed")]
    done = update_sources(tutorials, results, dry_run=True)
    assert rst.read_text().count("two") == 1 and "   -two\n" not in done.diff and "-   two\n+   one\n" in done.diff
    assert "-$ curl -s <https://example.com/x>\n+$ curl -s https://example.com/x\n" in done.diff
    update_sources(tutorials, results)
    assert rst.read_text() == ("A\n=\n\n.. code-block:: console\n\n"
                               "   $ echo one\n   one\n   $ echo three\n   three\n\nEnd.\n")
    assert md.read_text() == "# B\n\n```console\n$ curl -s https://example.com/x\nhello\n```\n"
    assert sorted(done.files) == sorted([str(rst), str(md)])


def test_a_source_changed_since_extraction_is_left_alone_with_a_note(tmp_path: Path) -> None:
    md = tmp_path / "c.md"
    md.write_text("# C\n\n```console\n$ echo hi\nho\n```\n")
    tutorials, _ = load_tutorials([md])
    md.write_text("# C\n\nnew paragraph\n\n```console\n$ echo hi\nho\n```\n")
    done = update_sources(tutorials, [ArticleResult("c", "failed", steps=(_failed(0, 0, "echo hi", "ho\n", "hi\n"),))])
    assert done.files == [] and "no longer at line 4" in done.notes[0]


def test_feeds_are_never_written_but_the_report_suggests_the_corrected_block(data_dir: Path) -> None:
    tutorials, _ = load_tutorials([data_dir / "feeds-broken"])
    t = next(t for t in tutorials if t.slug == "shell-state-that-carries-cd-export-and-heredocs")
    result = ArticleResult(t.slug, "failed", steps=(_failed(1, 1, "wc -l < notes/todo.txt", "4\n", "3\n"),))
    assert update_sources([t], [result]).files == []
    report = markdown_report([result], {t.slug: t})
    assert ("Suggested block 1 (what the article should show):\n\n```text\n$ cat <<EOF > notes/todo.txt\n"
            "buy milk\nwrite tests\ncall alice\nEOF\n$ wc -l < notes/todo.txt\n3\n$ srot notes/todo.txt\n") in report
    unknown = markdown_report([result])  # without the tutorial: the output alone
    assert "Suggested recorded output (what the article should show):\n\n```text\n3\n```" in unknown


def test_an_output_shown_in_the_next_block_is_rewritten_there(tmp_path: Path) -> None:
    md = tmp_path / "d.md"
    md.write_text("# D\n\n```console\n$ seq 3 | wc -l\n```\n\nIts output:\n\n```text\n4\n```\n")
    tutorials, _ = load_tutorials([md])
    assert tutorials[0].code_blocks[0].steps[0].expected_output == "4\n"
    step = _failed(0, 0, "seq 3 | wc -l", "4\n", "3\n")
    done = update_sources(tutorials, [ArticleResult("d", "failed", steps=(step,))])
    assert done.notes == []
    assert md.read_text() == "# D\n\n```console\n$ seq 3 | wc -l\n```\n\nIts output:\n\n```text\n3\n```\n"


def test_a_crlf_file_with_a_bom_keeps_both(tmp_path: Path) -> None:
    md = tmp_path / "e.md"
    md.write_bytes(b"\xef\xbb\xbf# E\r\n\r\n```console\r\n$ echo hi\r\nho\r\n```\r\n")
    tutorials, _ = load_tutorials([md])
    update_sources(tutorials, [ArticleResult("e", "failed", steps=(_failed(0, 0, "echo hi", "ho\n", "hi\n"),))])
    assert md.read_bytes() == b"\xef\xbb\xbf# E\r\n\r\n```console\r\n$ echo hi\r\nhi\r\n```\r\n"
