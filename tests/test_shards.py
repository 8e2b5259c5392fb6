"""``report merge``: the shards of a check give back the unsharded run's report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.harness import CheckSetup, Shard, run_check, select_shard
from extractor.model import SourceRef, Tutorial
from extractor.reports import ReportPaths
from extractor.results import ArticleResult, StepResult
from extractor.shards import shard_meta

SLUGS = ["zeta", "alpha", "mid", "beta", "omega", "kappa"]
TUTORIALS = [Tutorial(slug=s, title=s.title(), url=f"https://e.com/{s}", source=SourceRef("f", "rss20")) for s in SLUGS]


def _runner(tutorial: Tutorial) -> ArticleResult:
    status = "failed" if tutorial.slug == "mid" else "passed"
    step = StepResult(block=0, step=0, command=f"echo {tutorial.slug}", status=status, exit_code=0,
                      output="x\n", duration_s=0.25)
    return ArticleResult(slug=tutorial.slug, status=status, steps=(step,), duration_s=0.5)


def _run(tmp_path: Path, name: str, shard: Shard | None) -> Path:
    out = tmp_path / f"{name}.json"
    paths = ReportPaths(json=out, junit=tmp_path / f"{name}.xml", markdown=tmp_path / f"{name}.md",
                        shard=shard_meta(shard.index, shard.count, TUTORIALS) if shard else None)
    run_check(select_shard(TUTORIALS, shard), _runner, CheckSetup(cache_dir=None, reports=paths))
    return out


def test_two_shards_merged_equal_the_unsharded_run(tmp_path: Path) -> None:
    whole = _run(tmp_path, "whole", None)
    one, two = _run(tmp_path, "one", Shard(1, 2)), _run(tmp_path, "two", Shard(2, 2))
    assert json.loads(one.read_text())["articles"] and json.loads(two.read_text())["articles"]
    code = main(["report", "merge", str(two), str(one), "--json", str(tmp_path / "merged.json"),
                 "--junit", str(tmp_path / "merged.xml"), "--report", str(tmp_path / "merged.md")])
    assert code == 1  # 'mid' failed
    assert json.loads((tmp_path / "merged.json").read_text()) == json.loads(whole.read_text())
    assert (tmp_path / "merged.md").read_text() == (tmp_path / "whole.md").read_text()
    assert (tmp_path / "merged.xml").read_text() == (tmp_path / "whole.xml").read_text()


def test_a_missing_shard_is_an_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _run(tmp_path, "one", Shard(1, 3))
    assert main(["report", "merge", str(one), "--json", str(tmp_path / "m.json")]) == 2
    assert "missing 2, 3" in capsys.readouterr().err and not (tmp_path / "m.json").exists()


def test_a_file_that_is_not_results_is_an_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert main(["report", "merge", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err
