"""Reports: JUnit (one testcase per step), Markdown summary (per article, per step, skip reasons
grouped), the terminal's one line per article."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from extractor.model import SourceRef, Tutorial
from extractor.reports import article_line, junit_report, markdown_report
from extractor.results import ArticleResult, StepResult

SAMPLE = ArticleResult("redis-events", "failed", image="tutorcheck/kubectl", duration_s=2.5, steps=(
    StepResult(0, 0, "kubectl create ns moelove", "passed", exit_code=0, output="namespace/moelove created\n",
               expected_output="namespace/moelove created\n", match="exact"),
    StepResult(0, 1, "kubectl -n moelove get deploy", "passed", exit_code=0, match="normalized", match_rule="table"),
    StepResult(1, 0, "kubectl -n moelove get pods", "failed", reason="output differs from the article", exit_code=0,
               output="NAME  READY\nredis-x  0/1\n", match="mismatch",
               diff="--- expected (normalized)\n+++ actual (normalized)\n@@ -1 +1 @@\n-redis | 1/1\n+redis | 0/1\n"),
    StepResult(2, 0, "helm install kong kong/ingress", "skipped", reason="needs cluster"),
    StepResult(3, 0, "curl https://example.com", "skipped", reason="needs network"),
    StepResult(4, 0, "sleep 1000", "timeout", reason="no output for 60 s"),
    StepResult(5, 0, "cat \x00weird", "error", reason="sandbox exec failed", output="bad \x07 bytes"),
))
SECOND = ArticleResult("istio-intro", "skipped", cached=True, steps=(
    StepResult(0, 0, "istioctl install", "skipped", reason="needs cluster"),
))
DOWN = ArticleResult("engine-down", "error", reason="cannot connect to the Docker engine")
TUTORIALS = {"redis-events": Tutorial("redis-events", "Thoroughly understand | Events", "https://x.invalid/events",
                                      SourceRef("f.xml", "rss20"))}


def test_junit_has_one_testcase_per_step_with_failure_skipped_and_error_elements() -> None:
    root = ET.fromstring(junit_report([SAMPLE, SECOND, DOWN], TUTORIALS))
    # 7 + 1 steps, and the article that could not run as one testcase
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("9", "2", "2", "3")
    assert len(list(root.iter("testcase"))) == 9
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["redis-events", "istio-intro", "engine-down"]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["block-0::step-0", "block-0::step-1", "block-1::step-0",
                                              "block-2::step-0", "block-3::step-0", "block-4::step-0",
                                              "block-5::step-0"]
    assert {c.get("classname") for c in cases} == {"tutorcheck.redis-events"}
    failure = cases[2].find("failure")
    assert failure is not None and failure.get("message") == "output differs from the article"
    assert "$ kubectl -n moelove get pods" in (failure.text or "") and "+redis | 0/1" in (failure.text or "")
    assert cases[3].find("skipped") is not None and cases[3].find("skipped").get("message") == "needs cluster"  # type: ignore[union-attr]
    assert cases[5].find("failure").get("type") == "timeout"  # type: ignore[union-attr]
    assert cases[6].find("error") is not None
    down = suites[2].findall("testcase")
    assert [c.get("name") for c in down] == ["article"] and down[0].find("error") is not None
    assert (suites[2].get("tests"), suites[2].get("errors")) == ("1", "1")


def test_markdown_summarises_articles_problems_skip_reasons_and_steps() -> None:
    md = markdown_report([SAMPLE, SECOND, DOWN], TUTORIALS)
    assert md.startswith("# tutorcheck report\n")
    assert "**3 articles · 8 steps:**" in md
    assert "[Thoroughly understand \\| Events](https://x.invalid/events) `redis-events`" in md
    assert "| ⏭️ | `istio-intro` | 1 | 0 | 0 | 1 | 0 | cached |" in md
    assert "```diff\n--- expected (normalized)" in md
    assert "$ kubectl -n moelove get pods" in md
    assert "cannot connect to the Docker engine" in md
    skips = md[md.index("## Skipped by reason"):md.index("## Steps")]
    assert "| needs cluster | 2 | `redis-events`, `istio-intro` |" in skips
    assert skips.index("needs cluster") < skips.index("needs network")  # most common reason first
    assert "| block-0::step-1 | ✅ passed | normalized (table) |" in md


def test_when_an_article_has_no_runnable_steps_then_it_is_one_skipped_testcase() -> None:
    prose_only = ArticleResult("opinion-piece", "skipped", reason="no runnable steps")
    assert "| no runnable steps (whole article) | 1 | `opinion-piece` |" in markdown_report([prose_only])
    root = ET.fromstring(junit_report([prose_only]))
    assert (root.get("tests"), root.get("skipped")) == ("1", "1")
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None and skipped.get("message") == "no runnable steps"


def test_when_nothing_ran_then_the_reports_are_still_valid() -> None:
    assert ET.fromstring(junit_report([])).get("tests") == "0"
    assert "nothing ran" in markdown_report([])


def test_article_line_is_one_line_with_counts() -> None:
    assert article_line(SAMPLE) == ("FAILED  redis-events: 2 passed, 1 failed, 1 timeout, 1 error, 2 skipped (2.5s)")
    assert article_line(SECOND).endswith("(cached)")
    assert "cannot connect" in article_line(DOWN) and "\n" not in article_line(DOWN)
