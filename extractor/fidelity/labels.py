"""Verdict labels: what a careful reader concludes about every step of a tutorial
(``tests/corpus/labels.yaml``), read and checked.

One page per entry, named by its path relative to the labels file; blocks by their position among
the page's ``<pre>`` elements (``index`` in tutorial.json); each step by its command as typed,
with ``pass``, ``fail`` (the tutorial is wrong for the versions it targets; ``note`` says how we
know) or ``skip`` with a reason class. A file holding several articles (a feed) names the one
meant with ``article`` (its title).

A ``file`` block with a ``filename`` and no steps stands for one step, ``write FILENAME``,
labelled ``pass``: saving a file the article gives is what a reader does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import SourceError

SCHEMA = 1
LABELS = frozenset({"pass", "fail", "skip"})
REASON_CLASSES = frozenset({
    "cluster", "gui", "secret", "network", "assumed-file", "other-os", "interactive", "service",
    "placeholder", "tool", "hardware", "root", "other",
})
BLOCK_KINDS = frozenset({"session", "commands", "file", "fragment", "output", "text"})


@dataclass(frozen=True)
class LabelledStep:
    """One step as a careful reader judges it."""

    page: str
    block: int
    step: int  # its position among the block's labelled steps
    command: str
    label: str  # pass | fail | skip
    reason: str = ""  # the reason class of a skip
    note: str = ""


@dataclass(frozen=True)
class LabelledPage:
    path: str  # relative to the labels file
    generator: str
    package: str
    licence: str
    targets: str
    steps: tuple[LabelledStep, ...]
    blocks: tuple[int, ...]  # every labelled block, with or without steps
    article: str = ""  # the article's title, when the file holds several

    @property
    def key(self) -> str:
        """Names the page in results: its path, and the article when the file has several."""
        return f"{self.path}#{self.article}" if self.article else self.path


def load_labels(path: Path) -> tuple[LabelledPage, ...]:
    """The pages of a labels file; a ``SourceError`` naming the page and block on bad input."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SourceError(str(path), f"cannot read: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise SourceError(str(path), f"not valid YAML: {e}") from e
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("pages"), list):
        raise SourceError(str(path), f"expected {{schema: {SCHEMA}, pages: [...]}}")
    pages = tuple(_page(str(path), n, p) for n, p in enumerate(data["pages"]))
    keys = [p.key for p in pages]
    if len(set(keys)) != len(keys):
        raise SourceError(str(path), f"a page is labelled twice: {sorted({k for k in keys if keys.count(k) > 1})}")
    return pages


def _need(where: str, entry: dict[str, Any], key: str) -> Any:
    if key not in entry:
        raise SourceError(where, f"missing '{key}'")
    return entry[key]


def _page(source: str, n: int, entry: Any) -> LabelledPage:
    where = f"{source} › page {n}"
    if not isinstance(entry, dict):
        raise SourceError(where, "expected a mapping with path, generator, blocks")
    rel = str(_need(where, entry, "path"))
    where = f"{source} › {rel}"
    steps: list[LabelledStep] = []
    blocks: list[int] = []
    for block in entry.get("blocks") or []:
        index = _need(where, block, "index")
        if not isinstance(index, int) or index in blocks:
            raise SourceError(where, f"block index {index!r} is not a new integer")
        kind = _need(f"{where} › block {index}", block, "kind")
        if kind not in BLOCK_KINDS:
            raise SourceError(f"{where} › block {index}", f"kind {kind!r}, expected one of {sorted(BLOCK_KINDS)}")
        blocks.append(index)
        steps += _steps(rel, f"{where} › block {index}", index, block)
    return LabelledPage(path=rel, generator=str(_need(where, entry, "generator")),
                        package=str(entry.get("package", "")), licence=str(_need(where, entry, "licence")),
                        targets=str(entry.get("targets", "")), steps=tuple(steps), blocks=tuple(blocks),
                        article=str(entry.get("article", "")))


def _steps(page: str, where: str, index: int, block: dict[str, Any]) -> list[LabelledStep]:
    raw = block.get("steps") or []
    if not raw and block["kind"] == "file" and block.get("filename"):
        return [LabelledStep(page, index, 0, f"write {block['filename']}", "pass")]
    out = []
    for k, step in enumerate(raw):
        here = f"{where} › step {k}"
        label, reason, note = _need(here, step, "label"), str(step.get("reason", "")), str(step.get("note", ""))
        if label not in LABELS:
            raise SourceError(here, f"label {label!r}, expected one of {sorted(LABELS)}")
        if label == "skip" and reason not in REASON_CLASSES:
            raise SourceError(here, f"skip reason {reason!r}, expected one of {sorted(REASON_CLASSES)}")
        if label in ("fail", "skip") and not note.strip():
            raise SourceError(here, f"a '{label}' label needs a note saying how we know")
        out.append(LabelledStep(page, index, k, str(_need(here, step, "command")), label, reason, note))
    return out


__all__ = ["BLOCK_KINDS", "LABELS", "REASON_CLASSES", "SCHEMA", "LabelledPage", "LabelledStep", "load_labels"]
