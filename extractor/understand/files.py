"""Files: is a YAML/JSON/Go/Dockerfile block a complete document meant to be saved, or an
excerpt? And under which name — from the prose, from later commands, or from its content.

Recognisers are a table: each names a kind of document, says when a parsed document is
complete, and gives the conventional file name for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Doc = Any
# Server-filled fields: a Kubernetes object with them was dumped from a cluster, not written.
_DUMPED = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink")


def _is_k8s(doc: Doc) -> bool:
    return isinstance(doc, dict) and {"apiVersion", "kind", "metadata"} <= doc.keys()


def _k8s_written(doc: Doc) -> bool:
    meta = doc.get("metadata")
    return isinstance(meta, dict) and not any(k in meta for k in _DUMPED) and doc.get("kind") != "Event"


def _slug(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "file"


def _k8s_name(doc: Doc) -> str:
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    return f"{_slug(meta.get('name', 'manifest'))}-{_slug(doc['kind'])}.yaml"


def _workflow(doc: Doc) -> bool:
    return isinstance(doc, dict) and "jobs" in doc and ("on" in doc or True in doc)


def _mapping_with(*keys: str) -> Callable[[Doc], bool]:
    return lambda doc: isinstance(doc, dict) and all(k in doc for k in keys)


@dataclass(frozen=True)
class Recogniser:
    name: str
    langs: tuple[str, ...]
    matches: Callable[[Doc], bool]
    complete: Callable[[Doc], bool]
    filename: Callable[[Doc], str]


RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("github-workflow", ("yaml",), _workflow, lambda d: True,
               lambda d: f".github/workflows/{_slug(d.get('name', 'workflow'))}.yml"),
    Recogniser("kubernetes", ("yaml", "json"), _is_k8s, _k8s_written, _k8s_name),
    Recogniser("docker-compose", ("yaml",),
               lambda d: isinstance(d, dict) and isinstance(d.get("services"), dict)
               and all(isinstance(s, dict) and ("image" in s or "build" in s) for s in d["services"].values()),
               lambda d: True, lambda d: "compose.yaml"),
    Recogniser("helm-chart", ("yaml",), _mapping_with("apiVersion", "name", "version"),
               lambda d: "kind" not in d, lambda d: "Chart.yaml"),
    Recogniser("ansible-playbook", ("yaml",),
               lambda d: isinstance(d, list) and bool(d) and all(isinstance(p, dict) and "hosts" in p for p in d),
               lambda d: True, lambda d: "playbook.yml"),
    Recogniser("gitlab-ci", ("yaml",),
               lambda d: isinstance(d, dict) and any(isinstance(v, dict) and "script" in v for v in d.values()),
               lambda d: True, lambda d: ".gitlab-ci.yml"),
    Recogniser("prometheus", ("yaml",), _mapping_with("scrape_configs"), lambda d: True,
               lambda d: "prometheus.yml"),
    Recogniser("openapi", ("yaml", "json"), _mapping_with("openapi", "paths"), lambda d: True,
               lambda d: "openapi.yaml"),
    Recogniser("package.json", ("json",),
               lambda d: isinstance(d, dict) and "name" in d
               and bool({"version", "dependencies", "scripts"} & d.keys()),
               lambda d: True, lambda d: "package.json"),
    Recogniser("pyproject", ("toml",), lambda d: isinstance(d, dict) and bool({"project", "build-system"} & d.keys()),
               lambda d: True, lambda d: "pyproject.toml"),
    Recogniser("cargo", ("toml",), lambda d: isinstance(d, dict) and isinstance(d.get("package"), dict)
               and "name" in d["package"], lambda d: True, lambda d: "Cargo.toml"),
    Recogniser("tsconfig", ("json",), _mapping_with("compilerOptions"), lambda d: True,
               lambda d: "tsconfig.json"),
)


def recognise(lang: str, docs: Sequence[Doc]) -> tuple[Recogniser, bool] | None:
    """The recogniser of the block's first document, and whether every document is complete."""
    docs = [d for d in docs if d is not None]
    if not docs:
        return None
    for rec in RECOGNISERS:
        if lang in rec.langs and rec.matches(docs[0]):
            return rec, all(rec.matches(d) and rec.complete(d) for d in docs)
    return None


# Extensions a file name may have for each language.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "yaml": (".yaml", ".yml"), "json": (".json",), "python": (".py",), "go": (".go",),
    "shell": (".sh", ".bash", ".bashrc", ".bash_profile", ".bash_aliases", ".profile",
              ".zshrc"), "dockerfile": ("Dockerfile", "Containerfile", ".dockerfile"),
    "javascript": (".js", ".mjs", ".cjs", ".jsx"), "typescript": (".ts", ".tsx"),
    "toml": (".toml",), "hcl": (".tf", ".hcl"),
    "html": (".html", ".htm", ".xml", ".svg"), "css": (".css", ".scss", ".sass", ".less"), "sql": (".sql",),
    "markdown": (".md", ".markdown"), "rust": (".rs",), "java": (".java",), "c": (".c", ".h"),
    "cpp": (".cc", ".cpp", ".cxx", ".hpp", ".hh"),
    "nginx": (".conf",), "makefile": ("Makefile", ".mk"), "dotenv": (".env",),
    "ini": (".ini", ".cfg", ".conf", ".service", ".timer", ".socket", ".desktop"),
}
# A file name: ``app.py``, ``deploy/web.yaml``, ``/etc/nginx/conf.d/app.conf``, ``.env``,
# ``.github/workflows/ci.yml``, ``Dockerfile`` (not part of a URL, a version or a home path).
NAME = re.compile(r"(?<![\w/@:.~-])(/?(?:[\w.-]+/)*(?:[\w-][\w.-]*\.[A-Za-z]{1,10}|\.[A-Za-z][\w.-]*|"
                   r"Dockerfile|Containerfile|Makefile))(?![\w-])")
_SAVE_WORDS = re.compile(r"\b(save|saved|create|creating|named|called|file|put|write|add|edit|open|paste|"
                         r"contents?|following|goes in|go in)\b", re.IGNORECASE)


# A sentence telling the reader to save something: an imperative verb first (or after a
# leading phrase: "In the project root, create ..."), or "save as",
# "a file named", "goes in", "replace the contents of", "the complete app.py" (not "I had to
# add compaction.py", which is narrative).
_IMPERATIVE_SAVE = re.compile(
    r"^\W*(?:(?:now|then|next|first|finally|so|and|also)\W+)*(?:save|create|put|write|paste|copy|"
    r"make|place|store)\b|"
    r"^[^,.:]{1,50},\s+(?:then\s+)?(?:save|create|put|write|paste|place|store)\b|"
    r"\bsaved? (?:it |this |that |the \w+ )?(?:as|to|in)\b|"
    r"\b(?:file|script) (?:named|called)\b|\bgoes? (?:in|into)\b|\binto a (?:new )?file\b|"
    r"\breplace (?:the |its )?(?:contents?|code|everything) (?:of|in)\b|\breplace it with\b|"
    r"\b(?:complete|full|whole|entire|final)\b|"
    r"^\W*(?:in|inside|into|to)\s+(?:the\s+)?(?:file\s+)?`?[\w./-]+\.\w+`?(?:\s+file)?,\s+"
    r"(?:add|write|put|paste|place|type|insert|define)\b",
    re.IGNORECASE,
)


def lang_of(name: str) -> str | None:
    """The language a file name says its content is in (``src/main.rs`` → rust), if any."""
    base = name.rsplit("/", 1)[-1]
    for lang, exts in EXTENSIONS.items():
        if any(base.endswith(ext) if ext.startswith(".") else base == ext for ext in exts):
            return lang
    return None


def fits(name: str, lang: str) -> bool:
    """Can a file of ``lang`` have this name? Plain text takes any name no language claims
    (``requirements.txt``, ``.gitignore``, ``hosts``)."""
    if lang == "any":
        return True
    if lang == "text":
        return not any(fits(name, other) for other in EXTENSIONS)
    return any(name.endswith(ext) for ext in EXTENSIONS.get(lang, ()))


# A Markdown line that starts a new unit (a list item, a heading, a quote, a table row),
# never the continuation of a sentence wrapped across lines.
_NEW_UNIT = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)])\s")


def prose_sentences(text: str) -> list[str]:
    """Sentences of prose; a sentence wrapped across lines is one sentence."""
    lines: list[str] = []
    for line in text.split("\n"):
        joins = lines and lines[-1].strip() and line.strip() and not _NEW_UNIT.match(line)
        if joins:
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
        else:
            lines.append(line)
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", "\n".join(lines)) if s.strip()]


# The sentence right before the block presents it as a command: "The command", "run the following command:".
_THE_COMMAND = re.compile(r"\b(?:the|this|following|next)\s+commands?\b", re.IGNORECASE)


def told_to_save(before: str, lang: str) -> str | None:
    """The file name the sentence right before the block tells the reader to save it as
    ("Now put this in `app.py`:", "Create a file named settings.yaml")."""
    sentences = prose_sentences(before.replace("\\_", "_"))[-2:]
    if sentences and _THE_COMMAND.search(sentences[-1]) and not NAME.search(sentences[-1]):
        return None  # "... will create a file called foo.pdf. The command": what follows is a command
    for n, sentence in enumerate(sentences):
        if _IMPERATIVE_SAVE.search(sentence):
            for m in NAME.finditer(sentence):
                if fits(m.group(1), lang):
                    return m.group(1)
            if n and re.search(r"\bit\b", sentence):  # "In `src/lib.rs`, ... Replace it with this:"
                named = {m.group(1) for m in NAME.finditer(sentences[0]) if fits(m.group(1), lang)}
                if len(named) == 1:
                    return named.pop()
    return None


# A first line that is only a comment holding a file name: ``# k8s/redis.yaml``, ``// main.go``.
NAME_COMMENT = re.compile(r"^\s*(?:#|//|--|;|/\*|<!--)\s*(?:(?:file(?:name)?|path)\s*:\s*|contents? of\s+)?(\S+?)\s*"
                           r"(?:\*/|-->)?\s*$", re.IGNORECASE)


def named_in_comment(text: str, lang: str) -> str | None:
    """The file name a block gives itself in its first line, if it fits the language."""
    first = text.lstrip("\n").split("\n", 1)[0]
    m = NAME_COMMENT.match(first)
    if m and NAME.fullmatch(m.group(1)) and fits(m.group(1), lang):
        return m.group(1)
    return None


def from_prose(before: str, after: str, lang: str) -> str | None:
    """A file name the prose gives the block: the nearest fitting name before it (a sentence
    with "save"/"create"/"file"... wins), else one in the first sentence after it."""
    candidates: list[tuple[int, int, str]] = []
    sentences = prose_sentences(before)
    for distance, sentence in enumerate(reversed(sentences[-6:])):
        for m in NAME.finditer(sentence.replace("\\_", "_")):
            if fits(m.group(1), lang) and "://" not in sentence[max(0, m.start() - 8): m.start()]:
                candidates.append((0 if _SAVE_WORDS.search(sentence) else 1, distance, m.group(1)))
    if candidates:
        return min(candidates, key=lambda c: (c[1] > 1, c[0], c[1]))[2]
    for sentence in prose_sentences(after)[:1]:
        if sentence.rstrip().endswith(":"):  # it introduces the next block, not this one
            break
        for m in NAME.finditer(sentence):
            if fits(m.group(1), lang):
                return m.group(1)
    return None


def names_in(command: str) -> list[str]:
    """File names a command uses (not parts of URLs)."""
    return [m.group(1) for m in NAME.finditer(command) if "://" not in command[max(0, m.start() - 8): m.start()]]


# A line that stands for lines left out: ``// --snip--``, ``# ...``, ``…``, ``<!-- ... -->``,
# ``# existing code omitted``, ``// rest of the file unchanged``.
_OMISSION = re.compile(
    r"^\s*(?:#|//|/\*|<!--|--|;|%)?\s*(?:\.{3}|…|-+\s*snip\s*-+|\[?snip\]?|\[\.\.\.\]|"
    r"\.{3}\s*[\w ]{0,30}\s*\.{3}|"
    r"(?:\.{3}\s*)?(?:the\s+)?(?:rest|more|other|remaining|existing|previous|same|omitted|unchanged)\b.{0,40}?"
    r"\b(?:code|lines?|omitted|unchanged|here|file|content|imports?|settings|as before)\b.{0,20}?)"
    r"\s*(?:\*/|-->)?\s*$",
    re.IGNORECASE,
)


# An ASCII-armored block (a signature, a key, a certificate): what is elided inside it is what
# the reader's own tool makes (their signature), not lines of the file left out.
_ARMOR_BEGIN = re.compile(r"^\s*-----BEGIN [A-Z0-9 ]+-----\s*$")
_ARMOR_END = re.compile(r"^\s*-----END [A-Z0-9 ]+-----\s*$")


def excerpt_reason(text: str, highlighted: tuple[int, ...] = ()) -> str | None:
    """Why a listing is only part of its file, or None when it reads as the whole file: lines
    left out (``// --snip--``, ``# ...``, "existing code omitted") or lines highlighted as
    changed. (A ``...`` that is the whole body of a ``def ...:`` is a stub, not an omission; one
    inside an armored signature or key stands for what the reader's tool makes.)"""
    previous = ""
    armor = False  # inside -----BEGIN PGP SIGNATURE----- ... -----END: data a tool makes, elided
    for line in text.split("\n"):
        armor = bool(_ARMOR_BEGIN.match(line)) or armor and not _ARMOR_END.match(line)
        if line.strip() and _OMISSION.match(line) and not armor and not (
                line.strip() == "..." and previous.endswith(":")):
            return f"the listing leaves lines out ({line.strip()!r})"
        previous = line.rstrip() if line.strip() else previous
    if highlighted:
        return f"the page highlights the changed lines ({', '.join(map(str, highlighted[:5]))})"
    return None


def _is_omission(line: str, previous: str) -> bool:
    return bool(line.strip()) and bool(_OMISSION.match(line)) and not (line.strip() == "..." and previous.endswith(":"))


def elision(command: str) -> str | None:
    """The line itself when a step typed at a shell's or a console's prompt only stands for what
    the author left out (``$ ...``, ``sqlite> ... more statements omitted ...``, ``[...]``), else None."""
    line = command.strip()
    return line if "\n" not in line and _is_omission(line, "") else None


def _chunks(excerpt: str) -> list[list[str]]:
    """The runs of lines an excerpt shows, split where it leaves lines out."""
    chunks: list[list[str]] = [[]]
    previous = ""
    for line in excerpt.rstrip("\n").split("\n"):
        if _is_omission(line, previous):
            chunks.append([])
        else:
            chunks[-1].append(line)
        previous = line.rstrip() if line.strip() else previous
    return [c for c in chunks if any(x.strip() for x in c)]


def splice(whole: str, excerpt: str) -> str | None:
    """``whole`` with the excerpt put in its place, when it places unambiguously: each run of
    lines the excerpt shows starts and ends with a line that occurs exactly once in ``whole``
    (after the previous run), and the run replaces the lines between them. None otherwise."""
    lines = whole.rstrip("\n").split("\n")
    out: list[str] = []
    at = 0
    for chunk in _chunks(excerpt):
        body = [x for x in chunk if x.strip()]
        first, last = body[0].strip(), body[-1].strip()
        starts = [n for n in range(at, len(lines)) if lines[n].strip() == first]
        if len(starts) != 1:
            return None
        ends = [n for n in range(starts[0], len(lines)) if lines[n].strip() == last]
        if len(ends) != 1 and not (len(body) == 1 and ends[:1] == starts):
            return None
        out += lines[at:starts[0]] + [x for x in chunk]
        at = ends[0] + 1
    return "\n".join(out + lines[at:]) + "\n"
