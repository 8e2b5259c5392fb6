"""Inputs written after the code (tests/data/probes/): what a careful reader expects of each.

Extraction is checked without Docker; the verdicts on the real engine (marked ``docker``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.model import Tutorial
from extractor.pipeline import load_tutorials

PROBES = Path(__file__).resolve().parent / "data" / "probes"


@pytest.fixture(scope="module")
def tutorials() -> dict[str, Tutorial]:
    found, errors = load_tutorials(sorted(p for p in PROBES.iterdir() if p.suffix in (".xml", ".html")))
    # the Latin-1 feed's second entry has no content: named, and the rest still produced
    assert [str(e) for e in errors] == [
        f"{PROBES / 'jekyll-latin1.atom.xml'} › 'Empty one': item has no content "
        "(no content:encoded, content or description)"]
    return {t.slug: t for t in found}


def test_every_probe_article_is_extracted(tutorials: dict[str, Tutorial]) -> None:
    assert sorted(tutorials) == [
        "arithmetic-with-bc", "checking-your-python", "ci-for-a-tiny-flask-app", "deja-vu-with-sed",
        "hello-go-modules", "packing-a-static-site-with-tar-and-checking-it", "parsing-numbers", "serving-a-folder",
        "your-first-git-repository"]


def test_relative_links_of_a_feed_become_absolute(tutorials: dict[str, Tutorial]) -> None:
    t = tutorials["deja-vu-with-sed"]
    assert t.url == "https://cafe.example.net/2026/10/sed/" and t.author == "Zoë"
    prose = " ".join(getattr(b, "markdown", "") for b in t.blocks)
    assert "https://cafe.example.net/2026/10/other/" in prose and "https://cafe.example.net/img/sed.png" in prose


def test_kinds_a_reader_would_give(tutorials: dict[str, Tutorial]) -> None:
    site = tutorials["packing-a-static-site-with-tar-and-checking-it"].code_blocks
    assert [(b.kind, b.filename) for b in site][:4] == [("session", None), ("file", "index.html"),
                                                        ("session", None), ("text", None)]
    python = tutorials["checking-your-python"].code_blocks
    assert [(b.kind, [(s.command, s.expected_output) for s in b.steps]) for b in python] == [
        ("session", [("python3 --version", "Python 3.11.2\n")]), ("session", [("seq 3 | wc -l", "3\n")])]
    flask = tutorials["ci-for-a-tiny-flask-app"].code_blocks
    assert [(b.kind, b.filename) for b in flask if b.kind == "file"] == [
        ("file", "app.py"), ("file", ".github/workflows/ci.yml"), ("file", "deploy.yaml"), ("file", "Dockerfile")]


@pytest.mark.docker
def test_verdicts_on_the_real_engine(tutorials: dict[str, Tutorial]) -> None:
    from extractor.sandbox.runner import RunOptions, check_tutorial

    def verdicts(slug: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        result = check_tutorial(tutorials[slug], RunOptions(step_timeout=20))
        for s in result.steps:
            out.setdefault(s.status, []).append(s.command)
        return out

    v: dict[str, Any] = verdicts("packing-a-static-site-with-tar-and-checking-it")
    assert v["failed"] == ["grep --count-lines title index.html"]  # the stale flag, and only it
    assert len(v["skipped"]) == 1 and "netlify" in v["skipped"][0]
    v = verdicts("ci-for-a-tiny-flask-app")
    assert v["failed"] == ["kubernetes-validate -k 1.30 deploy.yaml"]  # containerPort "8080" is a string
    assert sorted(v["skipped"]) == ["docker build -t web .", "kubectl apply -f deploy.yaml"]
    # git commit without -m: a reader writes a message in the editor; the sandbox's editor does
    for slug in ("your-first-git-repository", "arithmetic-with-bc", "serving-a-folder", "parsing-numbers",
                 "checking-your-python", "deja-vu-with-sed", "hello-go-modules"):
        v = verdicts(slug)
        assert "failed" not in v and "timeout" not in v and "error" not in v, (slug, v)
