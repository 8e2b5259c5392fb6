"""The tutorial model: frozen dataclasses, no I/O.

Pipeline: feeds → ``RawArticle`` → html → ``Block``s → merge → ``Tutorial`` →
understand (classify/transcripts/needs) → notebook / sandbox.
Every item carries where it came from so an error can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = 1

# Vocabulary of labels.yaml, extended where the issues asked for it.
KINDS = ("session", "commands", "file", "fragment", "output", "text")
LANGS = ("shell", "python", "yaml", "json", "go", "dockerfile", "text")
# needs: network, cluster, secret, placeholder, state, tool:NAME


@dataclass(frozen=True)
class Origin:
    """Where an item came from: a source, an article in it, a block in that article."""

    source: str
    article: str = ""
    block: int | None = None

    def __str__(self) -> str:
        parts = [self.source]
        if self.article:
            parts.append(repr(self.article))
        if self.block is not None:
            parts.append(f"block {self.block}")
        return " › ".join(parts)


@dataclass(frozen=True)
class RawArticle:
    """One feed item or page, before its HTML is split into blocks."""

    origin: Origin
    title: str
    url: str
    html: str
    author: str = ""
    published: str = ""  # ISO 8601, UTC, "Z"
    tags: tuple[str, ...] = ()
    feed_format: str = ""  # rss20 | atom10 | html | ...


@dataclass(frozen=True)
class Step:
    """One thing to run, as a reader would type it.

    ``lang`` is ``shell`` or ``python``. ``expected_output`` is None when the article
    records no output (then the exit status decides). ``needs`` are the step's own.
    """

    command: str
    expected_output: str | None = None
    lang: str = "shell"
    needs: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "expected_output": self.expected_output,
            "lang": self.lang,
            "needs": list(self.needs),
        }


@dataclass(frozen=True)
class Check:
    """A static check made on a block (syntax, schema, lint), offline.

    ``command`` describes the check as a command a user could run; ``ok`` False means
    the block has a real problem, described in ``message`` (with a line number when known).
    """

    name: str
    command: str
    ok: bool
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "command": self.command, "ok": self.ok, "message": self.message}


@dataclass(frozen=True)
class ProseBlock:
    markdown: str
    type: Literal["prose"] = "prose"

    def to_json(self) -> dict[str, Any]:
        return {"type": "prose", "markdown": self.markdown}


@dataclass(frozen=True)
class CodeBlock:
    """A ``<pre>`` of an article. ``label`` is what the HTML claims; the rest is what it is."""

    index: int
    text: str
    label: str | None = None
    lang: str = "text"
    kind: str = "text"
    prompt: str | None = None
    steps: tuple[Step, ...] = ()
    filename: str | None = None
    needs: tuple[str, ...] = ()
    defects: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    type: Literal["code"] = "code"

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "code",
            "index": self.index,
            "label": self.label,
            "lang": self.lang,
            "kind": self.kind,
            "text": self.text,
            "prompt": self.prompt,
            "steps": [s.to_json() for s in self.steps],
            "filename": self.filename,
            "needs": list(self.needs),
            "defects": list(self.defects),
            "checks": [c.to_json() for c in self.checks],
        }


Block = ProseBlock | CodeBlock


@dataclass(frozen=True)
class SourceRef:
    feed: str
    format: str

    def to_json(self) -> dict[str, Any]:
        return {"feed": self.feed, "format": self.format}


@dataclass(frozen=True)
class Tutorial:
    slug: str
    title: str
    url: str
    source: SourceRef
    blocks: tuple[Block, ...] = ()
    aliases: tuple[str, ...] = ()
    author: str = ""
    published: str = ""
    tags: tuple[str, ...] = ()
    also_in: tuple[SourceRef, ...] = field(default=())

    @property
    def code_blocks(self) -> tuple[CodeBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, CodeBlock))

    @property
    def step_count(self) -> int:
        return sum(len(b.steps) for b in self.code_blocks)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "slug": self.slug,
            "title": self.title,
            "url": self.url,
            "aliases": list(self.aliases),
            "author": self.author,
            "published": self.published,
            "tags": list(self.tags),
            "source": self.source.to_json(),
            "also_in": [s.to_json() for s in self.also_in],
            "blocks": [b.to_json() for b in self.blocks],
        }


def step_from_json(d: dict[str, Any]) -> Step:
    return Step(
        command=d["command"],
        expected_output=d.get("expected_output"),
        lang=d.get("lang", "shell"),
        needs=tuple(d.get("needs", ())),
    )


def block_from_json(d: dict[str, Any]) -> Block:
    if d["type"] == "prose":
        return ProseBlock(markdown=d["markdown"])
    return CodeBlock(
        index=d["index"],
        text=d["text"],
        label=d.get("label"),
        lang=d.get("lang", "text"),
        kind=d.get("kind", "text"),
        prompt=d.get("prompt"),
        steps=tuple(step_from_json(s) for s in d.get("steps", ())),
        filename=d.get("filename"),
        needs=tuple(d.get("needs", ())),
        defects=tuple(d.get("defects", ())),
        checks=tuple(Check(**c) for c in d.get("checks", ())),
    )


def tutorial_from_json(d: dict[str, Any]) -> Tutorial:
    """Inverse of ``Tutorial.to_json`` (used by ``check`` and ``step`` on a generated DIR)."""
    src = d.get("source") or {}
    return Tutorial(
        slug=d["slug"],
        title=d["title"],
        url=d["url"],
        source=SourceRef(feed=src.get("feed", ""), format=src.get("format", "")),
        blocks=tuple(block_from_json(b) for b in d.get("blocks", ())),
        aliases=tuple(d.get("aliases", ())),
        author=d.get("author", ""),
        published=d.get("published", ""),
        tags=tuple(d.get("tags", ())),
        also_in=tuple(SourceRef(**s) for s in d.get("also_in", ())),
    )
