"""Toolchains and the network: whether a build, install or sync command fetches anything is
decided by what it would fetch, not by the tool's name.

``cargo build`` fetches only the registry dependencies its ``Cargo.toml`` names; ``npm
install`` with no package named installs what ``package.json`` lists; ``go build`` downloads
only modules outside the standard library that the code imports; ``pip install -e .`` of a
local project, only its dependencies; ``git clone ../repo`` and ``rsync a/ b/`` copy locally.
:class:`Projects` remembers what the files an article wrote say (in article order); a row of
:data:`DECIDED_BY` names the command whose need a manifest decides.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field

from extractor.understand.made import positionals
from extractor.understand.shellsplit import Invocation

# A source that is elsewhere: a URL, scp-style ``user@host:path`` or ``host:path``.
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:|^[\w-]+(\.[\w-]+)+:")


def remote(source: str) -> bool:
    """Is ``source`` somewhere else than this machine (``file://`` and plain paths are local)?"""
    return bool(_REMOTE.match(source)) and not source.startswith("file://")


def _cargo_fetches(text: str) -> bool:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True  # unreadable: assume what cargo usually does
    tables = [doc.get(k, {}) for k in ("dependencies", "dev-dependencies", "build-dependencies")]
    tables += [t.get(k, {}) for t in doc.get("target", {}).values() if isinstance(t, dict)
               for k in ("dependencies", "dev-dependencies", "build-dependencies")]
    specs = [spec for table in tables if isinstance(table, dict) for spec in table.values()]
    return any(not (isinstance(spec, dict) and "path" in spec and "git" not in spec) for spec in specs)


def _npm_fetches(text: str) -> bool:
    try:
        doc = json.loads(text)
    except ValueError:
        return True
    keys = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
    return not isinstance(doc, dict) or any(doc.get(k) for k in keys)


def _python_fetches(text: str) -> bool:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True
    project = doc.get("project", {})
    return bool(project.get("dependencies")) or bool(project.get("optional-dependencies"))


_GO_IMPORT = re.compile(r'^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"\s]+)"', re.MULTILINE)


def _go_fetches(text: str) -> bool:
    """Does Go code import a module outside the standard library (its first element has a dot)?"""
    return any("." in path.split("/", 1)[0] for path in _GO_IMPORT.findall(text))


# Manifest → (ecosystem, does what it lists make the build fetch?); Go is decided by its imports.
MANIFESTS = {"Cargo.toml": ("cargo", _cargo_fetches), "package.json": ("npm", _npm_fetches),
             "pyproject.toml": ("python", _python_fetches)}


@dataclass
class Projects:
    """What the files an article wrote so far say about fetching, per ecosystem, and whether
    its git remotes are local."""

    fetches: dict[str, bool] = field(default_factory=dict)
    local_remote: bool = False

    def saw_file(self, filename: str, text: str) -> None:
        """Remember what a file the article wrote says (a manifest, or Go code's imports)."""
        base = filename.rsplit("/", 1)[-1]
        if base == "go.mod" or base.endswith(".go"):
            found = "require" in text if base == "go.mod" else _go_fetches(text)
            self.fetches["go"] = self.fetches.get("go", False) or found
        elif base in MANIFESTS:
            ecosystem, rule = MANIFESTS[base]
            self.fetches[ecosystem] = rule(text)


# (program, subcommand) → the ecosystem whose files decide whether it fetches. With no such
# file written, the project is the one the tool's own ``new``/``init`` made: nothing to fetch.
DECIDED_BY: dict[tuple[str, str], str] = {
    **{("cargo", sub): "cargo" for sub in ("build", "run", "test", "check", "bench", "doc")},
    **{("npm", sub): "npm" for sub in ("install", "i", "ci")},
    **{("go", sub): "go" for sub in ("build", "run", "test", "vet")},
    **{("pip", "install"): "python", ("pip3", "install"): "python"},
}


def _local_install(args: list[str]) -> bool:
    """``pip install -e .``, ``pip install ./pkg``: only local paths, no package names."""
    return bool(args) and all(a.startswith((".", "/")) for a in args)


def fetches(inv: Invocation, projects: Projects) -> bool | None:
    """Whether ``inv`` fetches from the network, when what it would fetch decides (None: no
    rule here; the table of subcommands that fetch applies). A ``git clone`` is remembered in
    ``projects``: a later ``git pull`` pulls from where it cloned."""
    name, args = inv.name, list(inv.args)
    if name in ("python", "python3") and args[:2] == ["-m", "pip"]:
        return fetches(Invocation("pip", tuple(args[2:])), projects)
    pos = positionals(inv.args, name)
    if name == "git" and pos[:1] in (["clone"], ["pull"], ["fetch"]):
        sources = pos[1:2]
        if pos[0] == "clone" and sources:
            projects.local_remote = not remote(sources[0])
            return remote(sources[0])
        return remote(sources[0]) if sources and ("/" in sources[0] or ":" in sources[0]) else not projects.local_remote
    if name == "rsync":
        return any(remote(a) or re.match(r"^[\w.-]+::", a) for a in pos)
    ecosystem = DECIDED_BY.get((name, pos[0])) if pos else None
    if ecosystem is None:
        return None
    if ecosystem == "npm" and len(pos) > 1:
        return True  # npm install NAME
    if ecosystem == "python":  # pip install NAME fetches; pip install -e . only what the project lists
        local = _local_install([a for a in args[1:] if a not in ("-e", "--editable")])
        return projects.fetches.get("python", True) if local else True
    return projects.fetches.get(ecosystem, False)
