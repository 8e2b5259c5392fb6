"""The tutorial model: frozen dataclasses, no I/O.

Pipeline: feeds → ``RawArticle`` → html → ``Block``s → merge → ``Tutorial`` →
understand (classify/transcripts/needs) → notebook / sandbox.
Every item carries where it came from so an error can name it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from extractor.context import Pin
from extractor.directives import Directive
from extractor.facts import Facts as Facts
from extractor.facts import Install as Install
from extractor.facts import Need as Need
from extractor.location import Location, location_from_json

SCHEMA = 1

# Vocabulary of labels.yaml, extended where the issues asked for it.
KINDS = ("session", "commands", "file", "fragment", "output", "text")
LANGS = ("shell", "python", "yaml", "json", "go", "dockerfile", "text")
# needs: network, cluster, secret, placeholder, state, tool:NAME (typed, with values: ``Need``)


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
    feed_format: str = ""  # rss20 | atom10 | html | markdown | rst | ...
    slug: str = ""  # words the source fixes the slug from (a doc file's path); else the title


@dataclass(frozen=True)
class Alternative:
    """A step the page offers instead of an earlier one of its block (``# or``): a reader runs one."""

    step: int  # the step of the same block it stands in for
    command: str  # that step's command
    said: str  # the comment that offers it (``# OR A library``)


@dataclass(frozen=True)
class Step:
    """One thing to run, as a reader would type it.

    ``lang`` is ``shell`` or ``python``. ``expected_output`` is None when the article
    records no output (then the exit status decides). ``needs`` are the step's own, as labels;
    ``facts`` the same needs with their values, and the command's nature (understand/ decides).
    ``answers``: what the transcript shows typed at the step's prompts (``input()``, ``read``).
    ``pasted``: plain Python typed into the session's interpreter (definitions before ``>>>``).
    ``edits``: the text written in the editor the step opens ("" saves the file as it is).
    """

    command: str
    expected_output: str | None = None
    lang: str = "shell"
    needs: tuple[str, ...] = ()
    facts: Facts = Facts()
    answers: tuple[str, ...] = ()
    echoed: tuple[str, ...] = ()  # the output lines a terminal shows for those answers (prompt + answer)
    pasted: bool = False
    edits: str | None = None
    client_check: tuple[str, ...] = ()  # kubectl verb (and manifest) --dry-run=client can check offline
    port: int | None = None  # a server it starts answers there (the next step waits for it)
    console: str | None = None  # typed at another program's console: the command that opened it (``psql shop``)
    line: int | None = None  # the command's first line in a Markdown/reST source
    alternative: Alternative | None = None  # offered instead of an earlier step of its block (``# or``)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "command": self.command,
            "expected_output": self.expected_output,
            "lang": self.lang,
            "line": self.line,
            "needs": list(self.needs),
            "facts": self.facts.to_json(),
        }
        extras = {"answers": list(self.answers), "echoed": list(self.echoed), "pasted": self.pasted,
                  "edits": self.edits, "client_check": list(self.client_check), "port": self.port,
                  "console": self.console, "alternative": asdict(self.alternative) if self.alternative else None}
        # only those that apply: the steps without stay as they were
        return out | {k: v for k, v in extras.items() if v not in ([], False, None)}


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
    """A ``<pre>`` of an article. ``label`` and ``caption`` are what the markup claims (a
    language; a title or file name shown above the block); the rest is what it is."""

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
    facts: Facts = Facts()  # of the text itself, for a block that is saved, not run (placeholders in a file)
    caption: str | None = None  # the title the page shows on the listing (``app/views.py``)
    highlighted: tuple[int, ...] = ()  # 1-based lines the page highlights (what changed)
    notes: tuple[str, ...] = ()  # what reading it set aside or concluded: callouts, excerpts, evidence
    console: str | None = None  # the interactive program its steps are typed into (psql, sqlite3, node...)
    written: str | None = None  # what a file block writes, when the page hides lines of it (mdBook "boring")
    outcome: str | None = None  # what the page declares building/running it does: does-not-compile, panics, not-run
    excerpt_of: str | None = None  # the file it changes in part, when it cannot be placed in the version shown before
    line: int | None = None  # first line of the code in its source file, when it has lines
    source: Location | None = None
    directives: tuple[Directive, ...] = ()  # what the author says of it, in a comment readers never see
    type: Literal["code"] = "code"

    @property
    def content(self) -> str:
        """What a file block writes: its text, with the lines the page hides from the reader."""
        return self.written if self.written is not None else self.text

    def to_json(self) -> dict[str, Any]:
        # what reading the page found (a title, notes...) only when there is some: older files stay as they are
        found: dict[str, Any] = {
            "caption": self.caption, "highlighted": list(self.highlighted), "notes": list(self.notes),
            "console": self.console, "written": self.written, "outcome": self.outcome, "excerpt_of": self.excerpt_of}
        found["directives"] = [d.to_json() for d in self.directives]
        extra = {k: v for k, v in found.items() if v not in (None, [])}
        return {**extra,
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
            "facts": self.facts.to_json(),
            "source": self.source.to_json() if self.source else None,
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
    pins: tuple[Pin, ...] = ()

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
            **({"pins": [asdict(p) for p in self.pins]} if self.pins else {}),
        }


def step_from_json(d: dict[str, Any]) -> Step:
    return Step(
        command=d["command"],
        expected_output=d.get("expected_output"),
        lang=d.get("lang", "shell"),
        needs=tuple(d.get("needs", ())),
        facts=Facts.from_json(d.get("facts")),
        answers=tuple(d.get("answers", ())), echoed=tuple(d.get("echoed", ())), pasted=bool(d.get("pasted")),
        edits=d.get("edits"), client_check=tuple(d.get("client_check", ())), port=d.get("port"),
        line=d.get("line"), console=d.get("console"),
        alternative=Alternative(**d["alternative"]) if d.get("alternative") else None,
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
        facts=Facts.from_json(d.get("facts")),
        caption=d.get("caption"), console=d.get("console"), written=d.get("written"), outcome=d.get("outcome"),
        excerpt_of=d.get("excerpt_of"), highlighted=tuple(d.get("highlighted", ())), notes=tuple(d.get("notes", ())),
        source=(source := location_from_json(d.get("source"))),
        line=source.line if source else None,
        directives=tuple(Directive.from_json(x) for x in d.get("directives", ())),
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
        pins=tuple(Pin(**p) for p in d.get("pins", ())),
    )
