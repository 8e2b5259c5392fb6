"""What a block is — its real language and kind — from its content first, its label second.

Order of the tests (first that holds wins): empty → text; ``>>>`` → Python session;
prompts → shell session; tree / commit list / chart → text; diff; JSON (also with
comments); Dockerfile; Makefile; HCL; Go; Python; YAML; shell commands; program output;
else text (or a fragment of the language the label claims). ``NAME=value``-only blocks
are told apart from commands in block.py (they need the prose and the later blocks).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml

from extractor import bounds
from extractor.understand import python, shapes, shellsplit, transcript, words
from extractor.understand.prompts import Prompts
from extractor.understand.tables import LABEL_LANGS


class Shape(StrEnum):
    """The readings later rules act on (``why`` is only words for people)."""

    COMMAND_THEN_OUTPUT = "command then output"
    JSON_WITH_COMMENTS = "json with comments"
    PLAIN_TEXT = "plain text"
    OTHER = "other"


@dataclass(frozen=True)
class Reading:
    """What the classifier read in a block: its language and kind, why (in words), the shape
    later rules act on, and the parsed documents (YAML/JSON/TOML) when there are some."""

    lang: str
    kind: str
    why: str
    docs: tuple[Any, ...] = ()
    shape: Shape = Shape.OTHER


def label_lang(label: str | None) -> str | None:
    return LABEL_LANGS.get((label or "").strip().lower()) if label else None


def load_yaml(text: str) -> tuple[Any, ...] | None:
    try:
        return tuple(d for d in bounds.load_yaml(text) if d is not None)
    except yaml.YAMLError:
        return None


def load_json(text: str) -> Any:
    try:
        return bounds.load_json(text)
    except ValueError:
        return None


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_GO = re.compile(r"^(package \w+|func (\(\w+ \*?\w+\) )?\w+\(|type \w+ (struct|interface)|"
                 r"import \(|const \(|var \()", re.MULTILINE)
_DOCKER = re.compile(r"^(FROM|ARG|RUN|COPY|ADD|CMD|ENTRYPOINT|ENV|WORKDIR|EXPOSE|USER|LABEL|VOLUME|"
                     r"HEALTHCHECK|SHELL|STOPSIGNAL|ONBUILD)\s", re.MULTILINE)
_YAML_KEY = re.compile(r"^\s*(- )?[\w.\"'-]+:(\s|$)")
_SHEBANG = re.compile(r"^#!.*\b(ba|z|da|k)?sh\b")
# A make rule: targets, a colon (not ``:=``), then a recipe line that starts with a tab.
_MAKE_RULE = re.compile(r"^[^\s:=#][^:=\n]*::?(?!=)[^\n]*\n(\t[^\n]*\n|[ \t]*#[^\n]*\n)*\t\S", re.MULTILINE)
# A Terraform/HCL block: a known block type, quoted labels, an opening brace ending the line.
_HCL_BLOCK = re.compile(r"^(resource|data|provider|terraform|variable|output|module|locals|backend)"
                        r"(\s+\"[^\"\n]+\")*\s*\{\s*$", re.MULTILINE)


def _yaml_like(text: str, docs: tuple[Any, ...] | None, claimed: str | None) -> bool:
    if not docs or not all(isinstance(d, dict | list) for d in docs):
        return False
    if claimed == "yaml":
        return True
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    keyed = sum(1 for line in lines if _YAML_KEY.match(line))
    return keyed >= 2 and keyed >= 0.5 * len(lines) and not any(words.looks_like_command(x) for x in lines[:1])


# A unified diff: file headers and a hunk header.
_DIFF = re.compile(r"^--- \S.*\n\+\+\+ \S.*\n@@ -\d", re.MULTILINE)
# // and /* */ comments outside JSON strings (tsconfig.json, VS Code settings, JSON5).
_JSON_COMMENT = re.compile(r'("(?:[^"\\\n]|\\.)*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
JSON_WITH_COMMENTS = "parses as JSON once its comments are removed"


def strip_json_comments(text: str) -> str:
    return _JSON_COMMENT.sub(lambda m: m.group(1) or "", text)


def _structured(text: str, claimed: str | None) -> Reading | None:
    stripped = text.strip()
    if claimed in (None, "diff", "text") and _DIFF.search(text):
        return Reading("diff", "fragment", "a unified diff")
    if stripped[:1] in "{[" or claimed == "json":
        doc = load_json(stripped)
        if isinstance(doc, dict | list):
            return Reading("json", "fragment", "parses as JSON", (doc,))
        doc = load_json(strip_json_comments(stripped))
        if isinstance(doc, dict | list):
            return Reading("json", "fragment", JSON_WITH_COMMENTS, (doc,), Shape.JSON_WITH_COMMENTS)
        if claimed == "json":
            return Reading("json", "fragment", "labelled JSON but does not parse")
    if claimed == "toml":
        try:
            return Reading("toml", "fragment", "parses as TOML", (bounds.load_toml(text),))
        except tomllib.TOMLDecodeError:
            return Reading("toml", "fragment", "labelled TOML but does not parse")
    docker_lines = [x for x in stripped.splitlines() if x.strip() and not x.startswith(("#", " ", "\t"))]
    if docker_lines and _DOCKER.match(docker_lines[0]) and (
        claimed == "dockerfile" or sum(bool(_DOCKER.match(x)) for x in docker_lines) >= 0.8 * len(docker_lines)
    ) and any(x.startswith("FROM ") for x in docker_lines):
        return Reading("dockerfile", "file", "Dockerfile instructions")
    if claimed in (None, "makefile", "text", "shell") and _MAKE_RULE.search(text + "\n"):
        return Reading("makefile", "file", "make rules with tab-indented recipes")
    if claimed in (None, "hcl", "text", "shell") and _HCL_BLOCK.search(text):
        return Reading("hcl", "fragment", "Terraform/HCL blocks")
    if claimed == "go" or _GO.search(text):
        if claimed == "go" or claimed is None or claimed == "text":
            kind = "file" if re.search(r"^package \w+", text, re.MULTILINE) else "fragment"
            return Reading("go", kind, "Go declarations")
    if claimed == "python" or python.reads_like_python(text):
        return Reading("python", "fragment", "Python code")
    docs = load_yaml(text)
    if _yaml_like(text, docs, claimed):
        return Reading("yaml", "fragment", "parses as YAML", docs or ())
    if claimed == "yaml":
        return Reading("yaml", "fragment", "labelled YAML but does not parse")
    return None


def _mostly_output(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return shapes.output_lines(text) >= max(1.0, 0.3 * len(lines))


def _parses(text: str, claimed: str | None) -> bool:
    """Does ``text`` parse in the language its label claims?"""
    if claimed == "python":
        return python.compile_error(text) is None
    if claimed == "json":
        return load_json(text) is not None
    if claimed == "yaml":
        docs = load_yaml(text)
        return docs is not None and bool(docs) and all(isinstance(d, dict | list) for d in docs)
    return False


def named_commands(text: str, programs: frozenset[str]) -> bool:
    """Plain-text lines that are all commands of programs the article names (``ccache gcc -c
    x.c`` in ccache's manual); they must parse as shell."""
    return _commands(text, None, programs)


def _commands(text: str, claimed: str | None, programs: frozenset[str] = frozenset()) -> bool:
    """Prompt-less lines that are all commands; without a shell label they must also parse as
    shell (``rustc 1.74.0 (79e9716c9 2023-11-13)`` is a banner a program printed)."""
    if claimed != "shell" and shellsplit.has_error(text):
        return False
    lines = text.split("\n")
    spans = shellsplit.split_commands(lines)
    if not spans:
        return False
    for span in spans:
        first = lines[span.start]
        word = words.first_word(first)
        plausible = claimed == "shell" and re.fullmatch(r"[a-z][\w.-]*", word) is not None
        if words.looks_like_sentence(first) or not (words.looks_like_command(first) or plausible or word in programs):
            return False
    return True


COMMAND_THEN_OUTPUT = "a command and what it printed, without a prompt"


def _command_then_output(text: str, claimed: str | None) -> bool:
    """One command a reader types (a known program, ended by the shell parser), then lines
    that are not commands: ``seq 3 | wc -l`` + ``3``, ``python3 --version`` + ``Python 3.11.2``."""
    lines = text.rstrip("\n").split("\n")
    spans = shellsplit.split_commands(lines)
    if len(spans) < 2 or not spans[0].complete or lines[spans[0].start].startswith((" ", "\t")):
        return False
    first = lines[spans[0].start]
    if not words.looks_like_command(first) or shapes.output_lines(first):
        return False
    if claimed != "shell" and shellsplit.has_error("\n".join(lines[spans[0].start:spans[0].end])):
        return False  # ``eval ("bar = 3");``: another language's statement, not shell (as in _commands)
    rest = [line for line in lines[spans[0].end:] if line.strip()]
    return bool(rest) and not any(words.looks_like_command(line) or line.lstrip().startswith("#") for line in rest)


# Labels that leave the language open to the content (no label, a shell, plain text).
_SHELL_OR_NEUTRAL = frozenset({None, "shell", "text"})
# A line that opens with a template tag: Jinja/Django/Liquid ``{% for %}``, Go/Handlebars/
# Mustache ``{{ .Name }}``/``{{#each}}``, ERB ``<%= x %>``.
_TEMPLATE_LINE = re.compile(r"^\s*(?:\{%-?\s*\w|\{\{-?\s*[#/^>!~]?\s*[\w.$]|<%[=-]?\s)")


def _template(text: str) -> bool:
    """Lines that open with template tags, at least two of them: a template, never shell."""
    lines = [line for line in text.splitlines() if line.strip()]
    tagged = sum(1 for line in lines if _TEMPLATE_LINE.match(line))
    return tagged >= 2 and tagged >= 0.2 * len(lines)


def classify(text: str, label: str | None, prompts: Prompts) -> Reading:
    claimed = label_lang(label)
    if not text.strip():
        return Reading("text", "text", "empty block")
    if claimed == "template" or _template(text):
        return Reading("template", "fragment", "template tags ({% %}, {{ }}, <% %>)")
    if python.is_session(text) and python.examples(text):
        return Reading("python", "session", "Python >>> prompts")
    # a program's language (rust, go, sql...) is overruled only by prompts no code has ($, user@host)
    strict = claimed not in _SHELL_OR_NEUTRAL
    if transcript.split(text, Prompts() if strict else prompts.for_block(text)):
        return Reading("shell", "session", "shell prompts")
    shape = shapes.text_shape(text)
    if shape:
        return Reading("text", "text", shape)
    if _SHEBANG.match(text):
        return Reading("shell", "file", "a shell script (shebang)")
    if claimed in (None, "shell") and _command_then_output(text, claimed):
        return Reading("shell", "session", COMMAND_THEN_OUTPUT, shape=Shape.COMMAND_THEN_OUTPUT)
    if _mostly_output(text) and not _parses(text, claimed):
        return Reading("text", "output", "no prompt, and most lines are what a program prints (counts, statuses)")
    found = _structured(text, claimed)
    if found:
        return found
    if claimed in _SHELL_OR_NEUTRAL and not shapes.output_lines(text) and _commands(text, claimed):
        return Reading("shell", "commands", "shell commands without prompts")
    if shapes.output_lines(text) or claimed == "shell":
        return Reading("text", "output", "no prompt, and no line is a command a shell runs")
    if claimed and claimed != "text":
        return Reading(claimed, "fragment", f"{claimed} code (by its label)")
    return Reading("text", "text", "plain text", shape=Shape.PLAIN_TEXT)


def run_by_name(text: str, label: str | None, programs: frozenset[str]) -> bool:
    """Lines a shell-labelled block without prompts holds that each run one of ``programs`` (the
    ones the prose says the block runs, however they are spelt: ``Tutorial 10``): commands."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(programs and lines) and label_lang(label) == "shell" and not shellsplit.has_error(text) and all(
        words.first_word(line) in programs for line in lines)
