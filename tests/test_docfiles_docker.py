"""Docs as code, end to end on the real engine: a directory of Markdown and reST tutorials
checked, annotated for GitHub, updated, and checked again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from extractor.cli import main

pytestmark = pytest.mark.docker


def _check(capsys: pytest.CaptureFixture[str], tmp_path: Path, target: Path, *extra: str) -> tuple[int, dict, str]:
    out = tmp_path / "results.json"
    code = main(["check", str(target), "--json", str(out), "--cache-dir", str(tmp_path / "cache"), *extra])
    return code, json.loads(out.read_text()), capsys.readouterr().out


def _not_passed(results: dict) -> list[tuple[str, str, dict]]:
    return [(a["slug"], s["command"], s["source"]) for a in results["articles"] for s in a["steps"]
            if s["status"] != "passed"]


def test_samples_pass_every_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, results, _ = _check(capsys, tmp_path, DATA / "docs")
    assert code == 0 and _not_passed(results) == []
    assert results["summary"]["passed"] == results["summary"]["steps"] > 20


def test_planted_mistakes_fail_with_file_and_line_then_update_fixes_the_output(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "docs-broken", docs)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    md, rst = docs / "counting-words.md", docs / "guide" / "environment.rst"

    code, results, out = _check(capsys, tmp_path, docs)
    assert code == 1
    assert _not_passed(results) == [
        ("counting-words", "wc -l < notes.txt", {"path": str(md), "line": 15}),
        ("guide-environment", 'ehco "$GREETING"', {"path": str(rst), "line": 14}),
    ]
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert [e.split(",title=")[0] for e in errors] == [f"::error file={md},line=15", f"::error file={rst},line=14"]
    assert "# tutorcheck report" in summary.read_text()

    code, _, out = _check(capsys, tmp_path, docs, "--update", "--dry-run")
    assert "-4\n+2\n" in out and md.read_text() == (DATA / "docs-broken" / "counting-words.md").read_text()

    code, _, out = _check(capsys, tmp_path, docs, "--update")
    assert "-4\n+2\n" in out and md.read_text() == (DATA / "docs" / "counting-words.md").read_text()
    assert rst.read_text() == (DATA / "docs-broken" / "guide" / "environment.rst").read_text()  # not fixable

    code, results, _ = _check(capsys, tmp_path, docs)
    assert code == 1
    assert _not_passed(results) == [("guide-environment", 'ehco "$GREETING"', {"path": str(rst), "line": 14})]


def _without_timing(results: dict) -> dict:
    for article in results["articles"]:
        article.pop("duration_s"), article.pop("cached")
        for step in article["steps"]:
            step.pop("duration_s")
    return results


def test_two_shards_merged_equal_the_unsharded_run(tmp_path: Path) -> None:
    cache = ["--cache-dir", str(tmp_path / "cache")]
    sources = [str(DATA / "docs"), str(DATA / "docs-broken")]  # 4 articles, 2 in each shard
    whole, one, two, merged = (tmp_path / f"{n}.json" for n in ("whole", "one", "two", "merged"))
    assert main(["check", *sources, "--json", str(whole), *cache]) == 1
    for shard, out in (("1/2", one), ("2/2", two)):
        main(["check", *sources, "--shard", shard, "--json", str(out), *cache])
        assert len(json.loads(out.read_text())["articles"]) == 2
    assert main(["report", "merge", str(two), str(one), "--json", str(merged)]) == 1
    assert _without_timing(json.loads(merged.read_text())) == _without_timing(json.loads(whole.read_text()))
