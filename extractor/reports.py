"""Reports of a check run: JSON (DESIGN.md), JUnit XML (one testcase per step) and a Markdown
summary for a CI job page (per article, per step, skip reasons grouped).

Pure functions of the results, so a report can be rewritten after every finished article.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.corrected import corrected_block, corrected_output, only_output_differs
from extractor.display import md_code, md_fence, md_link, md_text, terminal
from extractor.history import Past
from extractor.model import Tutorial
from extractor.results import ArticleResult, StepResult, run_to_json, summary
from extractor.writer import atomic_write, dumps

ICONS = {"passed": "✅", "failed": "❌", "blocked": "🚧", "skipped": "⏭️", "error": "⚠️", "timeout": "⏱️"}
# JUnit element for each non-passing step status (None: a plain passing testcase).
JUNIT_ELEMENTS: dict[str, str | None] = {
    "passed": None, "failed": "failure", "timeout": "failure", "error": "error", "skipped": "skipped",
    "blocked": "skipped",  # an earlier step is what did not work: not this step's failure
}
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_OUTPUT_CHARS = 4000


@dataclass(frozen=True)
class ReportPaths:
    """Where ``write_reports`` puts each report; None: not asked for."""

    json: Path | None = None
    junit: Path | None = None
    markdown: Path | None = None
    html: Path | None = None
    shard: Mapping[str, Any] | None = None  # a sharded run: recorded in the JSON for ``report merge``
    history: Mapping[str, Sequence[Past]] | None = None  # earlier verdicts, for the HTML report


def write_reports(paths: ReportPaths, results: Sequence[ArticleResult],
                  tutorials: Mapping[str, Tutorial] | None = None, incomplete: str = "") -> None:
    """Rewrite every asked-for report atomically (a reader never sees half a file).
    ``incomplete`` says why the run stopped early (the JSON's ``incomplete``, the report's banner)."""
    if paths.json:
        atomic_write(paths.json, json_report(results, paths.shard, incomplete))
    if paths.junit:
        atomic_write(paths.junit, junit_report(results, tutorials))
    if paths.markdown:
        atomic_write(paths.markdown, markdown_report(results, tutorials, incomplete))
    if paths.html:
        from extractor.htmlreport import html_report

        atomic_write(paths.html, html_report(results, tutorials, paths.history))


def json_report(results: Sequence[ArticleResult], shard: Mapping[str, Any] | None = None,
                incomplete: str = "") -> str:
    data = run_to_json(list(results))
    if incomplete:
        data["incomplete"] = incomplete
    return dumps({**data, "shard": dict(shard)} if shard else data)


def step_counts(result: ArticleResult) -> dict[str, int]:
    counts = dict.fromkeys(JUNIT_ELEMENTS, 0)
    for step in result.steps:
        counts[step.status] = counts.get(step.status, 0) + 1
    return counts


def article_line(result: ArticleResult) -> str:
    """One line per article for the terminal: ``FAILED slug: 3 passed, 1 failed, 2 skipped (1.2s)``."""
    counts = step_counts(result)
    parts = ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no steps"
    why = f" — {result.reason}" if result.reason and result.status != "passed" else ""
    when = "cached" if result.cached else f"{result.duration_s:.1f}s"
    return terminal(f"{result.status.upper():7} {result.slug}: {parts} ({when}){why}")


# --- JUnit ---------------------------------------------------------------------------------

def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _tail(text: str, limit: int = MAX_OUTPUT_CHARS) -> str:
    return text if len(text) <= limit else f"[… {len(text) - limit} characters cut …]\n{text[-limit:]}"


def step_details(step: StepResult) -> str:
    """The body of a failure: command, reason, diff of the normalised outputs, sandbox output."""
    parts = [f"$ {step.command}", f"status: {step.status}" + (f" — {step.reason}" if step.reason else "")]
    if step.where:
        parts.insert(0, f"at: {step.where}")
    if step.exit_code is not None:
        parts.append(f"exit code: {step.exit_code}")
    if step.diff:
        parts.append("diff (expected → actual, normalised):\n" + step.diff.rstrip("\n"))
    parts.append("sandbox output:\n" + (_tail(step.output).rstrip("\n") or "(none)"))
    return "\n".join(parts) + "\n"


def _testcase(suite: ET.Element, classname: str, name: str, status: str, time_s: float,
              message: str, details: str, output: str, source: Mapping[str, Any] | None = None) -> None:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name, time=f"{time_s:.3f}")
    src = source or {}
    if src.get("path") or src.get("feed"):  # file/line as pytest and GitLab write them
        case.set("file", _xml_text(str(src.get("path") or src.get("feed"))))
        if src.get("line"):
            case.set("line", str(src["line"]))
    element = JUNIT_ELEMENTS.get(status, "error")
    if element:
        child = ET.SubElement(case, element, message=_xml_text(message or status), type=status)
        if element != "skipped":
            child.text = _xml_text(details)
    if output:
        ET.SubElement(case, "system-out").text = _xml_text(_tail(output))


def _junit_counts(statuses: Sequence[str]) -> dict[str, str]:
    elements = [JUNIT_ELEMENTS.get(s, "error") for s in statuses]
    return {"tests": str(len(statuses)), "failures": str(elements.count("failure")),
            "errors": str(elements.count("error")), "skipped": str(elements.count("skipped"))}


def junit_report(results: Sequence[ArticleResult], tutorials: Mapping[str, Tutorial] | None = None) -> str:
    """JUnit XML: a testsuite per article, a testcase per step (``block-N::step-M``); an article
    without steps (not runnable, or the sandbox failed) is one testcase named ``article``."""
    root = ET.Element("testsuites", name="tutorcheck")
    every: list[str] = []
    for result in results:
        statuses: list[str] = [s.status for s in result.steps] or [result.status]
        every += statuses
        suite = ET.SubElement(root, "testsuite", {"name": result.slug, **_junit_counts(statuses),
                                                  "time": f"{result.duration_s:.3f}"})
        title = tutorials[result.slug].title if tutorials and result.slug in tutorials else result.slug
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="title", value=_xml_text(title))
        for step in result.steps:
            _testcase(suite, f"tutorcheck.{result.slug}", step.id, step.status, step.duration_s,
                      step.reason, step_details(step), step.output, step.source)
        if not result.steps:
            _testcase(suite, f"tutorcheck.{result.slug}", "article", result.status, result.duration_s,
                      result.reason, result.reason, "")
    for key, value in _junit_counts(every).items():
        root.set(key, value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- Markdown ------------------------------------------------------------------------------

def _cell(text: str, limit: int = 100) -> str:
    return md_text(text, limit)


def _code(text: str, limit: int = 80) -> str:
    return md_code(text, limit)


def _article_name(result: ArticleResult, tutorials: Mapping[str, Tutorial] | None) -> str:
    tutorial = tutorials.get(result.slug) if tutorials else None
    if tutorial is None:
        return md_code(result.slug)
    if tutorial.url:
        return f"{md_link(tutorial.title, tutorial.url, 80)} {md_code(result.slug)}"
    return md_text(tutorial.title)


def _headline(results: Sequence[ArticleResult]) -> str:
    total = summary(list(results))
    counts = " · ".join(f"{ICONS[s]} {total[s]} {s}" for s in JUNIT_ELEMENTS if total[s])
    return f"**{total['articles']} articles · {total['steps']} steps:** {counts or 'nothing ran'}"


def _articles_table(results: Sequence[ArticleResult], tutorials: Mapping[str, Tutorial] | None) -> list[str]:
    lines = ["| | Article | Steps | Passed | Failed | Skipped | Error | Time |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        c = step_counts(r)
        when = "cached" if r.cached else f"{r.duration_s:.1f}s"
        lines.append(f"| {ICONS.get(r.status, '?')} | {_article_name(r, tutorials)} | {len(r.steps)} | {c['passed']} "
                     f"| {c['failed'] + c['timeout']} | {c['skipped']} | {c['error']} | {when} |")
    return lines


def _problems(results: Sequence[ArticleResult], tutorials: Mapping[str, Tutorial] | None) -> list[str]:
    lines: list[str] = []
    for r in results:
        bad = [s for s in r.steps if s.status in ("failed", "timeout", "error")]
        if not r.steps and r.status == "error":
            why = md_text(r.reason or "could not run")
            lines += [f"### {ICONS['error']} {_article_name(r, tutorials)}", "", why, ""]
        for s in bad:
            at = f" (`{md_text(s.where)}`)" if s.where else ""
            lines += [f"### {ICONS[s.status]} {_article_name(r, tutorials)} — block {s.block}, step {s.step}{at}", "",
                      f"{s.status}: {md_text(s.reason or '(no reason given)')}", "",
                      *md_fence(f"$ {s.command}", "console"), ""]
            if s.diff:
                lines += [*md_fence(s.diff, "diff"), ""]
            if only_output_differs(s):
                lines += _suggestion(s, tutorials.get(r.slug) if tutorials else None)
            lines += ["<details><summary>sandbox output</summary>", "", *md_fence(_tail(s.output, 2000)), "",
                      "</details>", ""]
    return ["## Problems", "", *lines] if lines else []


def _suggestion(step: StepResult, tutorial: Tutorial | None) -> list[str]:
    """The block as the article should show it (the output the sandbox printed, the author's
    elisions kept), for an author to paste; just the output when the block is not known."""
    output = corrected_output(step.expected_output or "", step.output)
    block = next((b for b in tutorial.code_blocks if b.index == step.block), None) if tutorial else None
    notes: list[str] = []
    text = corrected_block(block, {step.step: output}, "", notes) if block and step.step < len(block.steps) else ""
    if not text or notes:
        head, text = "Suggested recorded output (what the article should show):", output
    else:
        head = f"Suggested block {step.block} (what the article should show):"
    return [head, "", "```text", text.rstrip("\n").replace("```", "``\u200b`"), "```", ""]


def _skips(results: Sequence[ArticleResult]) -> list[str]:
    by_reason: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for s in r.steps:
            if s.status == "skipped":
                by_reason[s.reason or "(no reason given)"].append(r.slug)
        if not r.steps and r.status == "skipped":
            by_reason[f"{r.reason or 'no steps'} (whole article)"].append(r.slug)
    if not by_reason:
        return []
    lines = ["## Skipped by reason", "", "| Reason | Steps | Articles |", "|---|---:|---|"]
    for reason, slugs in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"| {_cell(reason)} | {len(slugs)} | {', '.join(md_code(s) for s in dict.fromkeys(slugs))} |")
    return [*lines, ""]


def _steps(results: Sequence[ArticleResult]) -> list[str]:
    lines = ["## Steps", ""]
    for r in results:
        c = step_counts(r)
        icon = ICONS.get(r.status, "?")
        lines += [f"<details><summary>{icon} {md_text(r.slug)} — {c['passed']}/{len(r.steps)} passed</summary>",
                  "", "| Step | Status | Match | Command | Reason |", "|---|---|---|---|---|"]
        for s in r.steps:
            match = s.match + (f" ({s.match_rule})" if s.match == "normalized" and s.match_rule else "")
            lines.append(f"| {s.id} | {ICONS.get(s.status, '?')} {s.status} | {match} | {_code(s.command)} "
                         f"| {_cell(s.reason)} |")
        lines += ["", "</details>", ""]
    return lines


def markdown_report(results: Sequence[ArticleResult], tutorials: Mapping[str, Tutorial] | None = None,
                    incomplete: str = "") -> str:
    """A Markdown page for a CI job summary: headline, articles, problems, skip reasons, steps."""
    banner = [f"> ⚠️ **Incomplete run:** {md_text(incomplete)}", ""] if incomplete else []
    lines = ["# tutorcheck report", "", *banner, _headline(results), "", *_articles_table(results, tutorials), "",
             *_problems(results, tutorials), *_skips(results), *_steps(results)]
    return "\n".join(lines).rstrip("\n") + "\n"
