"""The third-party corpus and its labels hold together (pure: no Docker).

Every page on disk has labels and every label names a page; each labelled block is a
``<pre>`` the page reader finds (the index among the page's outermost ``<pre>``s, counted by
tutorcheck's own page reader) and every such block is labelled; labels, skip reasons and
kinds come from the fixed vocabulary; a ``fail`` says how it is known; the corpus keeps its
size and its spread of generators. The fidelity benchmark reads exactly this file.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from extractor.feeds import load_source
from extractor.html import html_to_blocks
from extractor.model import CodeBlock

CORPUS = Path(__file__).resolve().parent / "corpus"
LABELS_FILE = CORPUS / "labels.yaml"

MIN_PAGES = 40
MIN_GENERATORS = 6
KINDS = {"session", "commands", "file", "fragment", "output", "text"}
RUNNABLE_KINDS = {"session", "commands"}
LABELS = {"pass", "fail", "skip"}
REASONS = {
    "cluster", "gui", "secret", "network", "assumed-file", "other-os", "interactive",
    "service", "placeholder", "tool", "hardware", "root", "other",
}
PAGE_KEYS = {"path", "generator", "package", "licence", "targets", "blocks", "note"}
BLOCK_KEYS = {"index", "kind", "filename", "steps", "note"}
STEP_KEYS = {"command", "label", "reason", "note"}


@cache
def _labels() -> dict:
    loaded = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{LABELS_FILE}: expected a mapping at the top"
    return loaded


def _pages() -> list[dict]:
    return list(_labels()["pages"])


def _page_ids() -> list[str]:
    return [str(p.get("path")) for p in _pages()]


@cache
def _code_blocks(rel: str) -> tuple[CodeBlock, ...]:
    """The page's code blocks as tutorcheck's page reader sees them."""
    loaded = load_source(str(CORPUS / rel))
    assert len(loaded.articles) == 1, f"{rel}: expected one page, got {len(loaded.articles)}"
    article = loaded.articles[0]
    return tuple(b for b in html_to_blocks(article.html, article.origin) if isinstance(b, CodeBlock))


def test_schema_and_size() -> None:
    assert _labels().get("schema") == 1
    pages = _pages()
    paths = [p["path"] for p in pages]
    assert len(paths) == len(set(paths)), [p for p, n in Counter(paths).items() if n > 1]
    generators = {p["generator"] for p in pages}
    assert len(pages) >= MIN_PAGES, f"the corpus has {len(pages)} pages; at least {MIN_PAGES} are needed"
    assert len(generators) >= MIN_GENERATORS, f"generators {sorted(generators)}: at least {MIN_GENERATORS} needed"


def test_every_html_file_is_labelled_and_every_label_has_its_file() -> None:
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.html")}
    labelled = set(_page_ids())
    assert sorted(on_disk - labelled) == [], "pages without labels"
    assert sorted(labelled - on_disk) == [], "labels without pages"


def test_every_page_is_in_sources() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    missing = [p for p in _page_ids() if f"`{p}`" not in sources]
    assert missing == [], "pages not described in SOURCES.md"


@pytest.mark.parametrize("page", _pages(), ids=_page_ids())
def test_page_entry(page: dict) -> None:
    rel = page["path"]
    assert set(page) <= PAGE_KEYS and PAGE_KEYS - {"note"} <= set(page), f"{rel}: keys {sorted(page)}"
    generator, name = rel.split("/", 1)
    assert page["generator"] == generator, f"{rel}: generator {page['generator']!r} but stored under {generator}/"
    assert name.startswith(f"{page['package']}--") and name.endswith(".html"), f"{rel}: not <package>--<page>.html"
    for key in ("licence", "targets"):
        assert str(page[key]).strip(), f"{rel}: empty {key}"


@pytest.mark.parametrize("page", _pages(), ids=_page_ids())
def test_blocks_match_the_page(page: dict) -> None:
    """Each <pre> of the page is labelled once, at the index the page reader gives it."""
    rel = page["path"]
    found = [b.index for b in _code_blocks(rel)]
    assert found == list(range(len(found))), f"{rel}: reader indexes {found}"
    labelled = [b["index"] for b in page["blocks"]]
    assert labelled == sorted(set(labelled)), f"{rel}: block indexes not increasing or repeated: {labelled}"
    assert labelled == found, f"{rel}: labelled blocks {labelled}, the page has {len(found)} <pre>"


@pytest.mark.parametrize("page", _pages(), ids=_page_ids())
def test_blocks_use_the_vocabulary(page: dict) -> None:
    rel = page["path"]
    for block in page["blocks"]:
        where = f"{rel} block {block['index']}"
        assert set(block) <= BLOCK_KEYS, f"{where}: keys {sorted(block)}"
        assert block["kind"] in KINDS, f"{where}: kind {block['kind']!r} not in {sorted(KINDS)}"
        if block["kind"] == "file":
            assert str(block.get("filename") or "").strip(), f"{where}: a file block needs its filename"
        else:
            assert "filename" not in block, f"{where}: only file blocks have a filename"
        if block["kind"] in RUNNABLE_KINDS:
            assert block.get("steps"), f"{where}: a {block['kind']} block needs its steps"
        else:
            assert "steps" not in block, f"{where}: a {block['kind']} block has no steps"
        for number, step in enumerate(block.get("steps", ())):
            _check_step(step, f"{where} step {number}")


def _check_step(step: dict, where: str) -> None:
    assert set(step) <= STEP_KEYS, f"{where}: keys {sorted(step)}"
    assert isinstance(step.get("command"), str) and step["command"].strip(), f"{where}: empty command"
    label = step.get("label")
    assert label in LABELS, f"{where}: label {label!r} not in {sorted(LABELS)}"
    note = str(step.get("note") or "").strip()
    if label == "skip":
        assert step.get("reason") in REASONS, f"{where}: skip reason {step.get('reason')!r} not in {sorted(REASONS)}"
        assert note, f"{where}: a skip names the precise missing thing in its note"
    else:
        assert "reason" not in step, f"{where}: only a skip has a reason"
    if label == "fail":
        assert note, f"{where}: a fail says how we know the tutorial is wrong"


@pytest.mark.parametrize("page", _pages(), ids=_page_ids())
def test_commands_come_from_the_block(page: dict) -> None:
    """A labelled command is text of its block (a wrapped line may be joined with a space)."""
    rel = page["path"]
    texts = {b.index: b.text for b in _code_blocks(rel)}
    for block in page["blocks"]:
        text = " ".join(texts[block["index"]].split())
        for step in block.get("steps", ()):
            for line in step["command"].split("\n"):
                words = " ".join(line.split())
                assert words in text, f"{rel} block {block['index']}: {line!r} is not in the block"
