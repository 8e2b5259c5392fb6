"""The tutorial model: frozen dataclasses, no I/O.

Pipeline: feeds → ``RawArticle`` → html → ``Block``s → merge → ``Tutorial`` →
understand (classify/transcripts/needs) → notebook / sandbox.
Every item carries where it came from so an error can name it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from extractor.context import Pin
from extractor.vocab import NeedKind

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
    feed_format: str = ""  # rss20 | atom10 | html | ...


@dataclass(frozen=True)
class Need:
    """Something a step needs to run as written, with its value where it has one: which tool
    (``kubectl``), which secret variable (``TOKEN``; '' when the step names none), which
    placeholder (``<your-name>``, or ``$NAMESPACE`` for a variable nobody sets)."""

    kind: NeedKind
    value: str = ""

    @property
    def label(self) -> str:
        """The need in the vocabulary of labels.yaml (``tool:kubectl``, ``secret``)."""
        if self.kind in (NeedKind.TOOL, NeedKind.SERVICE) and self.value:
            return f"{self.kind}:{self.value}"
        return self.value if self.kind == NeedKind.OTHER else str(self.kind)

    @classmethod
    def from_label(cls, label: str) -> Need:
        """A need from its label alone (no value but a tool's name)."""
        kind, _, value = label.partition(":")
        if kind in (NeedKind.TOOL, NeedKind.SERVICE) and value:
            return cls(NeedKind(kind), value)
        if label in LABEL_NEEDS:
            return cls(NeedKind(label))
        return cls(NeedKind.OTHER, label)

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "value": self.value}


# The need kinds a label of labels.yaml names (``tool:NAME`` aside).
LABEL_NEEDS = frozenset({"cluster", "network", "secret", "placeholder", "state", "interactive"})


# How a language package is written (``pip:flask``, ``npm:express@4``; ``pip-r:FILE`` for the
# requirements a file lists): the ecosystems the image layer can install from.
LANGUAGE_ECOSYSTEMS = ("pip", "pip-r", "npm")


@dataclass(frozen=True)
class Install:
    """A step that only installs packages: the package manager and the packages (for a
    language installer such as pip or npm, written ``ECOSYSTEM:SPEC``: ``pip:flask==2.2.*``)."""

    manager: str
    packages: tuple[str, ...] = ()

    @property
    def language(self) -> bool:
        """The packages come from a language's registry (pip, npm), not from the system's."""
        return any(p.partition(":")[0] in LANGUAGE_ECOSYSTEMS for p in self.packages)

    def to_json(self) -> dict[str, Any]:
        return {"manager": self.manager, "packages": list(self.packages)}


@dataclass(frozen=True)
class Facts:
    """What understand/ decided about a command (or a file's text), once, for every later stage:
    its needs with their values, and its nature. Nothing downstream reads the text again."""

    needs: tuple[Need, ...] = ()
    installs: Install | None = None  # it only installs packages (system, or a language's)
    serves: bool = False  # it serves or watches until stopped (a server, ``tail -f``)
    editor: str = ""  # the interactive editor it opens ('' when none)
    fetches: bool = False  # it reaches the network
    reads_only: bool = False  # it only reads: it changes nothing
    # language packages it installs (``pip:flask``), also when it does more than install; with
    # ``packages_offline`` the network it needs is only for them (a registry the image can stand in for)
    packages: tuple[str, ...] = ()
    packages_offline: bool = False
    activates_venv: bool = False  # it enters a Python virtual environment (``. .venv/bin/activate``)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "needs": [n.to_json() for n in self.needs], "installs": self.installs.to_json() if self.installs else None,
            "serves": self.serves, "editor": self.editor, "fetches": self.fetches, "reads_only": self.reads_only}
        if self.packages:  # only where there are some: earlier tutorial.json files stay as they were
            out |= {"packages": list(self.packages), "packages_offline": self.packages_offline}
        if self.activates_venv:
            out["activates_venv"] = True
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> Facts:
        if not d:
            return cls()
        installs = d.get("installs")
        return cls(
            needs=tuple(Need(NeedKind(n["kind"]), n.get("value", "")) for n in d.get("needs", ())),
            installs=Install(installs["manager"], tuple(installs.get("packages", ()))) if installs else None,
            serves=bool(d.get("serves", False)), editor=str(d.get("editor", "")),
            fetches=bool(d.get("fetches", False)), reads_only=bool(d.get("reads_only", False)),
            packages=tuple(str(p) for p in d.get("packages", ())), packages_offline=bool(d.get("packages_offline")),
            activates_venv=bool(d.get("activates_venv")),
        )


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

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "command": self.command,
            "expected_output": self.expected_output,
            "lang": self.lang,
            "needs": list(self.needs),
            "facts": self.facts.to_json(),
        }
        extras = {"answers": list(self.answers), "echoed": list(self.echoed), "pasted": self.pasted,
                  "edits": self.edits, "client_check": list(self.client_check), "port": self.port}
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
    facts: Facts = Facts()  # of the text itself, for a block that is saved, not run (placeholders in a file)
    caption: str | None = None  # the title the page shows on the listing (``app/views.py``)
    highlighted: tuple[int, ...] = ()  # 1-based lines the page highlights (what changed)
    notes: tuple[str, ...] = ()  # what reading it set aside or concluded: callouts, excerpts, evidence
    console: str | None = None  # the interactive program its steps are typed into (psql, sqlite3, node...)
    written: str | None = None  # what a file block writes, when the page hides lines of it (mdBook "boring")
    outcome: str | None = None  # what the page declares building/running it does: does-not-compile, panics, not-run
    type: Literal["code"] = "code"

    @property
    def content(self) -> str:
        """What a file block writes: its text, with the lines the page hides from the reader."""
        return self.written if self.written is not None else self.text

    def to_json(self) -> dict[str, Any]:
        # what reading the page found (a title, notes...) only when there is some: older files stay as they are
        found = {"caption": self.caption, "highlighted": list(self.highlighted), "notes": list(self.notes),
                 "console": self.console, "written": self.written, "outcome": self.outcome}
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
        highlighted=tuple(d.get("highlighted", ())), notes=tuple(d.get("notes", ())),
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
