"""The project's configuration: ``[tool.tutorcheck]`` in ``pyproject.toml``, or a ``tutorcheck.toml``
(its keys at the top), at the repository root. Both may be there: same keys, ``tutorcheck.toml`` wins.

Read with the standard library's ``tomllib``, checked against :data:`KEYS` (a row per key: what
it holds, in words, and its check); an error names the file, the key and what it allows. Paths
in it are relative to the file's folder. The command line overrides it (``check_command.py``).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from extractor.allowlist import ALLOWED, list_problem, valid_list
from extractor.errors import UsageError

FILE = "tutorcheck.toml"
PYPROJECT = "pyproject.toml"
SECTION = "[tool.tutorcheck]"
# What a source may be when a configured folder is searched (as `check DIR` reads them).
SOURCE_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".xml", ".rss", ".atom", ".feed", ".html", ".htm", ".xhtml"})
REPORTS = ("json", "junit", "markdown", "html")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def _names(value: Any) -> bool:
    return _strings(value) and all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) for v in value)


def _packages(value: Any) -> bool:
    return _strings(value) and all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", v) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _reports(value: Any) -> bool:
    return isinstance(value, dict) and all(k in REPORTS and isinstance(v, str) and v for k, v in value.items())


@dataclass(frozen=True)
class Key:
    allowed: str  # what the key holds, in the words of an error
    valid: Callable[[Any], bool]
    problem: Callable[[Any], str] | None = None  # what is wrong with a refused value, when it can say more


KEYS: Mapping[str, Key] = MappingProxyType({
    "sources": Key("a list of paths or globs (docs/**/*.md)", _strings),
    "exclude": Key("a list of paths or globs", _strings),
    "timeout": Key("a positive number of seconds (per step)", _seconds),
    "article-timeout": Key("a positive number of seconds (per article)", _seconds),
    "allow-network": Key("true or false", lambda v: isinstance(v, bool)),
    "allow-hosts": Key(f"a list of destinations, each {ALLOWED}", valid_list, list_problem),
    "env": Key("a list of variable names passed through from the environment", _names),
    "jobs": Key("a positive whole number", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0),
    "packages": Key("a list of Debian package names added to every sandbox image", _packages),
    "image": Key("a sandbox image built FROM tutorcheck/toolbox (its name:tag)", _text),
    "cache-dir": Key("a folder path", _text),
    "reports": Key("a table of report files: " + ", ".join(f"{r} = PATH" for r in REPORTS), _reports),
})


@dataclass(frozen=True)
class Config:
    """The configured values (absent keys are absent), where they came from, and its folder."""

    root: Path = Path()
    values: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""  # the file(s) read, for reasons and errors ("" when none)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def path(self, key: str) -> str | None:
        """A configured path, relative to the configuration's folder."""
        value = self.values.get(key)
        return str(self.root / value) if isinstance(value, str) else None

    def report(self, kind: str) -> str | None:
        value = self.values.get("reports", {}).get(kind)
        return str(self.root / value) if value else None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(str(path), f"cannot read: {getattr(e, 'strerror', None) or e}") from e
    except tomllib.TOMLDecodeError as e:
        raise UsageError(str(path), f"not valid TOML: {e}") from e


def validate(values: Any, where: str) -> dict[str, Any]:
    """The values, checked: an unknown key or a value a key does not allow is a UsageError
    naming ``where``, the key and what it allows."""
    if not isinstance(values, dict):
        raise UsageError(where, "expected a table of keys")
    for key, value in values.items():
        spec = KEYS.get(key)
        if spec is None:
            raise UsageError(where, f"unknown key {key!r}; valid keys: {', '.join(KEYS)}")
        if not spec.valid(value):
            why = spec.problem(value) if spec.problem else ""
            raise UsageError(where, f"{key}: expected {spec.allowed}, got {value!r}" + (f": {why}" if why else ""))
    if values.get("allow-hosts") and values.get("allow-network") is False:
        raise UsageError(where, "allow-hosts turns the network on (to what it lists); allow-network = false "
                                "turns it off: remove one of them")
    return dict(values)


def _section(path: Path) -> dict[str, Any] | None:
    tool = _read(path).get("tool", {})
    section = tool.get("tutorcheck") if isinstance(tool, dict) else None
    return None if section is None else validate(section, f"{path} {SECTION}")


def find_root(start: Path) -> Path | None:
    """The nearest folder from ``start`` up that has a configuration, not above the repository's
    root (the first folder with ``.git``)."""
    for folder in (start, *start.parents):
        if (folder / FILE).is_file() or ((folder / PYPROJECT).is_file() and _section(folder / PYPROJECT) is not None):
            return folder
        if (folder / ".git").exists():
            return None
    return None


def load_config(start: Path | None = None) -> Config:
    """The configuration that applies from ``start`` (the current folder); empty when none."""
    root = find_root((start or Path.cwd()).resolve())
    if root is None:
        return Config()
    values: dict[str, Any] = {}
    read: list[str] = []
    if (root / PYPROJECT).is_file() and (section := _section(root / PYPROJECT)) is not None:
        values |= section
        read.append(f"{root / PYPROJECT} {SECTION}")
    if (root / FILE).is_file():
        values |= validate(_read(root / FILE), str(root / FILE))  # the file wins
        read.append(str(root / FILE))
    return Config(root, MappingProxyType(values), " and ".join(read))


def _expand(root: Path, pattern: str) -> list[Path]:
    """The files a configured source names: a file, every source file of a folder, a glob's matches."""
    path = root / pattern
    found = [path] if path.is_file() else sorted(root.glob(pattern)) if not path.is_dir() else [path]
    files: list[Path] = []
    for item in found:
        if item.is_dir():
            files += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
                            and not any(part.startswith(".") for part in p.relative_to(item).parts))
        elif item.is_file():
            files.append(item)
    return files


def excluded(config: Config) -> frozenset[Path]:
    """The files the configuration's ``exclude`` names (resolved): folders by every file in them."""
    return frozenset(p.resolve() for pattern in config.get("exclude", []) for p in _expand(config.root, pattern))


def configured_sources(config: Config) -> list[str]:
    """The sources to check, relative to where tutorcheck runs when they are below it: a folder
    as itself (so its files' slugs come from their paths below it, as with ``check DIR``), a
    glob as the files it matches. A source that names nothing is an error; what ``exclude``
    names is left out when they are read (:func:`excluded`)."""
    out: list[str] = []
    for pattern in config.get("sources", []):
        path = config.root / pattern
        files = _expand(config.root, pattern)
        if not files:
            raise UsageError(f"{config.origin}", f"sources: {pattern!r} names no file")
        out += [_shown(path)] if path.is_dir() else [_shown(p) for p in files]
    return list(dict.fromkeys(out))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


__all__ = ["KEYS", "Config", "configured_sources", "excluded", "find_root", "load_config", "validate"]
