"""Control sequences never reach a terminal raw; article text never becomes Markdown or HTML."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.display import TerminalOut, md_code, md_fence, md_link, md_text, terminal
from extractor.model import SourceRef, Tutorial
from extractor.reports import article_line, markdown_report
from extractor.results import ArticleResult, StepResult
from extractor.vocab import ArticleStatus, StepStatus

ROOT = Path(__file__).resolve().parents[1]
CONTROL_FEED = ROOT / "tests" / "data" / "hostile" / "inputs" / "control-chars.rss.xml"
HOSTILE = ("\x1b]52;c;ZWNobyBwd25lZA==\x07 clipboard \x1b]0;title\x1b\\ \x1b[2J\x1b[?1049h alt "
           "\x1b[8mhidden\x1b[0m over\rwrite \x9b31m c1 \u202eevil\u202c")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def test_terminal_text_can_only_print_characters() -> None:
    shown = terminal(HOSTILE + "\nline two\ttab ünïcode ✓")
    assert not RAW_CONTROL.search(shown), shown
    assert "\\x1b]52;c;" in shown and "\\x07" in shown  # what was there is visible, not acted on
    assert "hidden" in shown and "\\x1b[8m" not in shown  # colours and conceal dropped, the text kept
    assert shown.endswith("\nline two\ttab ünïcode ✓")


def test_a_stream_for_the_learner_passes_only_safe_text() -> None:
    buffer = io.StringIO()
    TerminalOut(buffer).write("out: " + HOSTILE)
    assert not RAW_CONTROL.search(buffer.getvalue())


def test_markdown_pieces_are_inert() -> None:
    assert md_text("<img src=x onerror=alert(1)> [a](javascript:x) `c` | *b*") == (
        "&lt;img src=x onerror=alert(1)&gt; \\[a\\](javascript:x) \\`c\\` \\| \\*b\\*")
    assert md_link("t", "javascript:alert(1)") == "t (`javascript:alert(1)`)"
    assert md_link("t", "https://ok.example/a_b") == "[t](https://ok.example/a_b)"
    assert md_link("t", "https://x.example/a)(javascript:alert(1)") .startswith("t (")
    assert md_code("a ``` b") == "```` a ``` b ````"
    fence = md_fence("```\nbreak out\n````\n")
    assert fence[0] == "`````" and fence[-1] == "`````"


def _rendered(markdown: str) -> str:
    """The Markdown outside fenced blocks and inline code (where HTML would render)."""
    kept, fence = [], ""
    for line in markdown.split("\n"):
        if fence:
            fence = "" if re.fullmatch(f"{fence}`*", line) else fence
        elif m := re.match(r"(`{3,})", line):
            fence = m.group(1)
        else:
            kept.append(re.sub(r"(`+)(?:(?!\1).)+?\1", "", line))
    return "\n".join(kept)


def test_the_markdown_report_shows_hostile_titles_links_and_output_as_text() -> None:
    title = "<img src=x onerror=alert(1)> \x1b]0;t\x07 [x](javascript:alert(2))"
    tutorial = Tutorial(slug="evil", title=title, url="javascript:alert(document.cookie)",
                        source=SourceRef("f", "rss20"), blocks=())
    step = StepResult(block=0, step=0, command="echo ```\n<script>", status=StepStatus.FAILED,
                      reason="<b>bold</b> \x1b[2J", output="```\n<img src=y onerror=z>\n\x1b]52;c;eA==\x07",
                      diff="-a\n+```\n")
    report = markdown_report([ArticleResult("evil", ArticleStatus.FAILED, steps=(step,))], {"evil": tutorial})
    assert not re.search(r"(?<!\\)\]\(javascript:", report)  # an escaped \] starts no link
    assert not RAW_CONTROL.search(report)
    outside = _rendered(report)
    assert "<img" not in outside and "<script>" not in outside and "<b>" not in outside
    assert "```\n<img" in report  # the output is there, as code
    assert not RAW_CONTROL.search(article_line(ArticleResult("evil\x1b[2J", ArticleStatus.FAILED, reason=title)))


def test_extract_messages_carry_no_control_characters(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(CONTROL_FEED), "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not RAW_CONTROL.search(done.stdout + done.stderr)


@pytest.mark.docker
def test_check_sh_output_carries_no_control_characters(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(CONTROL_FEED), "-o", str(tmp_path)],
                   capture_output=True, cwd=ROOT, timeout=120, check=True)
    script = next(tmp_path.glob("*/check.sh"))
    done = subprocess.run(["bash", str(script)], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert b"PASS" in done.stdout and b"printf 'x" in done.stdout  # the step printing ESC [2J ran
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", done.stdout)
