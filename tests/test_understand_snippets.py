"""Invented articles (tests/data/snippets/*.yaml, see its README) that look unlike the seeds:
every prompt shape, continuation form, Python kind, file-name source and check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractor.model import Block, CodeBlock, ProseBlock
from extractor.understand import understand_blocks

SNIPPETS = Path(__file__).resolve().parent / "data" / "snippets"


def load_article(path: Path) -> tuple[tuple[Block, ...], list[dict | None]]:
    """The sample's blocks, and the expectation of each code block (in order)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    blocks: list[Block] = []
    expects: list[dict | None] = []
    for item in spec["blocks"]:
        if "prose" in item:
            blocks.append(ProseBlock(item["prose"]))
        else:
            blocks.append(CodeBlock(index=len(expects), text=item["code"], label=item.get("label")))
            expects.append(item.get("expect"))
    return tuple(blocks), expects


CASES = [
    (path, n)
    for path in sorted(SNIPPETS.glob("*.yaml"))
    for n, expect in enumerate(load_article(path)[1])
    if expect is not None
]


def _understood(path: Path) -> tuple[CodeBlock, ...]:
    blocks, _ = load_article(path)
    return tuple(b for b in understand_blocks(blocks, str(path), path.stem) if isinstance(b, CodeBlock))


def test_when_samples_exist_then_each_has_expectations() -> None:
    assert len({p for p, _ in CASES}) >= 6 and len(CASES) >= 50


@pytest.mark.parametrize(("path", "n"), CASES, ids=[f"{p.stem}-{n}" for p, n in CASES])
def test_snippet(path: Path, n: int) -> None:
    block = _understood(path)[n]
    expect = load_article(path)[1][n]
    assert expect is not None
    got = {k: getattr(block, k) for k in ("kind", "lang", "filename", "prompt") if k in expect}
    assert got == {k: expect[k] for k in got}, block.text
    if "steps" in expect:
        assert [s.command for s in block.steps] == [s["cmd"] for s in expect["steps"]]
        for step, want in zip(block.steps, expect["steps"], strict=True):
            output = want.get("output")
            if isinstance(output, str):
                assert step.expected_output == output
            else:
                assert (step.expected_output is not None) == bool(output), step.command
    assert set(expect.get("needs", ())) <= set(block.needs), block.needs
    assert not set(expect.get("not_needs", ())) & set(block.needs), block.needs
    for defect in expect.get("defects", ()):
        assert any(defect in d for d in block.defects), block.defects
    if expect.get("no_defects"):
        assert block.defects == ()
    checks = {c.name: c for c in block.checks}
    for name in expect.get("failed_checks", ()):
        assert name in checks and not checks[name].ok, block.checks
    for name in expect.get("ok_checks", ()):
        assert name in checks and checks[name].ok, checks.get(name)
