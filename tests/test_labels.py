"""Every seed block against labels.yaml, through the real extraction (feeds → html → understand).

Kind and lang must match; labelled commands must match exactly (or by their ends when
the label gives ``starts_with``/``ends_with``); ``output: true`` iff the step records
output; every labelled need and defect must be found; file names and schemas must match.
Each feed's copy of an article is checked too (their labels differ, their blocks must not).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import pytest
from conftest import FEEDS, SEEDS, seed_labels

from extractor.feeds import load_sources
from extractor.html import html_to_blocks
from extractor.model import CodeBlock
from extractor.pipeline import load_tutorials
from extractor.understand import understand_blocks

LABELS = seed_labels()
CASES = [(a["title"], b) for a in LABELS["articles"] for b in a["blocks"]]
FEED_CASES = [(feed, a["title"], b) for a in LABELS["articles"] for feed in a["feeds"] for b in a["blocks"]]


def _feed(name: str) -> Path:
    return SEEDS / name if (SEEDS / name).exists() else FEEDS / name


@lru_cache(maxsize=1)
def _pipeline_blocks() -> dict[str, tuple[CodeBlock, ...]]:
    feeds = sorted({f for a in LABELS["articles"] for f in a["feeds"]})
    tutorials, errors = load_tutorials([_feed(f) for f in feeds])
    assert not errors
    return {t.title: t.code_blocks for t in tutorials}


@cache
def _feed_blocks(feed: str) -> dict[str, tuple[CodeBlock, ...]]:
    loaded = load_sources([str(_feed(feed))])
    out = {}
    for article in loaded.articles:
        blocks = understand_blocks(tuple(html_to_blocks(article.html, article.origin)), feed, article.title)
        out[article.title] = tuple(b for b in blocks if isinstance(b, CodeBlock))
    return out


def _check(block: CodeBlock, label: dict) -> None:
    assert (block.kind, block.lang) == (label["kind"], label["lang"]), block.text[:200]
    if "commands" in label:
        assert len(block.steps) == len(label["commands"]), [s.command for s in block.steps]
        for step, want in zip(block.steps, label["commands"], strict=True):
            if "starts_with" in want:
                assert step.command.startswith(want["starts_with"]) and step.command.endswith(want["ends_with"])
            else:
                assert step.command == want["cmd"]
            assert (step.expected_output is not None) == bool(want.get("output")), step.command
    assert set(label.get("needs", ())) <= set(block.needs)
    for defect in label.get("defects", ()):
        assert defect in block.defects
    if "filename" in label:
        assert block.filename == label["filename"]
    if "prompt" in label:
        assert block.prompt and all(p.strip() in label["prompt"] for p in block.prompt.split(" / "))
    if "schema" in label:
        assert [c.ok for c in block.checks if c.name == f"schema:{label['schema']}"] == [True]


def test_every_seed_block_is_labelled() -> None:
    blocks = _pipeline_blocks()
    for article in LABELS["articles"]:
        assert len(blocks[article["title"]]) == len(article["blocks"]), article["title"]
    assert len(CASES) == 44


@pytest.mark.parametrize(("title", "label"), CASES, ids=[f"{t[:24]}-{b['n']}" for t, b in CASES])
def test_seed_block_matches_labels(title: str, label: dict) -> None:
    _check(_pipeline_blocks()[title][label["n"]], label)


@pytest.mark.parametrize(("feed", "title", "label"), FEED_CASES,
                         ids=[f"{f[:6]}-{t[:20]}-{b['n']}" for f, t, b in FEED_CASES])
def test_each_feed_copy_matches_labels(feed: str, title: str, label: dict) -> None:
    _check(_feed_blocks(feed)[title][label["n"]], label)


def test_understanding_is_deterministic() -> None:
    first = _feed_blocks("hashnode-moelove.rss.xml")
    loaded = load_sources([str(_feed("hashnode-moelove.rss.xml"))])
    for article in loaded.articles:
        again = understand_blocks(tuple(html_to_blocks(article.html, article.origin)), "x", article.title)
        assert tuple(b for b in again if isinstance(b, CodeBlock)) == first[article.title]
