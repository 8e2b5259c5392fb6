"""The HTML report: self-contained, escaped, failing steps shown, history from earlier runs;
and it really renders in a headless Chromium (Debian's ``chromium``)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from extractor import history
from extractor.htmlreport import html_report
from extractor.model import SourceRef, Tutorial
from extractor.results import ArticleResult, StepResult

EVIL = "<script>alert(1)</script> & \"quotes\""


def _results() -> list[ArticleResult]:
    bad = StepResult(block=0, step=2, command="wc -l < notes.txt", status="failed", exit_code=0, match="mismatch",
                     reason="output differs from the article (exit status 0)", expected_output="4\n", output="2\n",
                     diff="--- expected (normalized)\n+++ actual (normalized)\n-4\n+2\n", action="shell",
                     source={"path": "docs/counting-words.md", "line": 15})
    ok = StepResult(block=0, step=0, command=f"echo '{EVIL}'", status="passed", exit_code=0, output=EVIL + "\n",
                    expected_output=EVIL + "\n", match="exact", action="shell")
    apt = StepResult(block=1, step=0, command="sudo apt-get install -y jq", status="skipped", action="provided",
                     reason="the sandbox image installs it")
    return [ArticleResult("good", "passed", steps=(ok, apt), image="tutorcheck/toolbox:abc"),
            ArticleResult("counting-words", "failed", steps=(bad,))]


TUTORIALS = {"counting-words": Tutorial("counting-words", f"Counting {EVIL}", "https://example.com/post",
                                        SourceRef("docs/counting-words.md", "markdown"))}


def test_page_is_self_contained_and_escapes_everything() -> None:
    page = html_report(_results(), TUTORIALS)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "src=" not in page and "@import" not in page and "url(" not in page  # nothing to fetch
    assert page.index('id="counting-words"') < page.index('id="good"')  # failing articles first
    assert "docs/counting-words.md:15" in page and "provided by the sandbox image" in page


def test_history_says_when_the_article_last_passed(tmp_path: Path) -> None:
    day = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    history.record(tmp_path, [ArticleResult("counting-words", "passed")], day)
    history.record(tmp_path, [ArticleResult("counting-words", "failed")], day + dt.timedelta(days=2))
    past = history.load(tmp_path)
    assert [p.status for p in past["counting-words"]] == ["passed", "failed"]
    assert history.since(past["counting-words"], "failed") == "last passed on 2026-11-20"
    assert history.since(past["counting-words"], "passed") == "passing again (it was failed on 2026-11-22)"
    assert history.since([], "failed") == "first run"
    assert "last passed on 2026-11-20" in html_report(_results(), TUTORIALS, past)


def test_chromium_renders_the_page_and_shows_the_failing_step(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is needed for this test: `make test` installs it (scripts/test-tools.sh)"
    page = tmp_path / "report.html"
    page.write_text(html_report(_results(), TUTORIALS), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert 'class="step status-failed" open=""' in dom  # the failing step is unfolded
    assert "wc -l &lt; notes.txt" in dom and "docs/counting-words.md:15" in dom
    shot = tmp_path / "report.png"
    subprocess.run([chromium, *flags, "--window-size=1200,900", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
