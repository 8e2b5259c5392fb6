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
    tables.append(doc.get("workspace", {}).get("dependencies", {}) if isinstance(doc.get("workspace"), dict) else {})
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


def _python_build_fetches(text: str) -> bool:
    """pip builds a project in an isolated environment it fills from the index: with what its
    ``[build-system] requires`` lists, or setuptools when it has no such table (PEP 518)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True
    system = doc.get("build-system")
    return not isinstance(system, dict) or bool(system.get("requires", True))


_GO_IMPORT = re.compile(r'^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"\s]+)"', re.MULTILINE)
_GO_MODULE = re.compile(r"^module\s+(\S+)", re.MULTILINE)


def _go_outside(path: str, module: str) -> bool:
    """An import path outside the standard library (its first element has a dot) and outside
    the module itself (``example.org/wc/internal/split`` in module ``example.org/wc``)."""
    own = bool(module) and (path == module or path.startswith(module + "/"))
    return "." in path.split("/", 1)[0] and not own


_CMAKE_FETCH = re.compile(r"\b(?:FetchContent_Declare|FetchContent_MakeAvailable|ExternalProject_Add|CPMAddPackage)\b"
                          r"|\bfile\s*\(\s*DOWNLOAD\b", re.IGNORECASE)


def _cmake_fetches(text: str) -> bool:
    """Configuring downloads what FetchContent, ExternalProject or file(DOWNLOAD) names."""
    return bool(_CMAKE_FETCH.search(text))


# Manifest → (ecosystem, does what it lists make the build fetch?) for each thing it decides;
# Go is decided by its imports.
MANIFESTS = {"Cargo.toml": (("cargo", _cargo_fetches),), "package.json": (("npm", _npm_fetches),),
             "pyproject.toml": (("python", _python_fetches), ("python-build", _python_build_fetches)),
             "CMakeLists.txt": (("cmake", _cmake_fetches),)}


@dataclass
class Projects:
    """What the files an article wrote so far say about fetching, per ecosystem, and whether
    its git remotes are local."""

    fetches: dict[str, bool] = field(default_factory=dict)
    local_remote: bool = False
    go_module: str = ""  # the module path go.mod declares
    go_requires: bool = False  # go.mod requires another module
    go_imports: set[str] = field(default_factory=set)  # what the article's Go files import

    def saw_file(self, filename: str, text: str) -> None:
        """Remember what a file the article wrote says (a manifest, or Go code's imports)."""
        base = filename.rsplit("/", 1)[-1]
        if base == "go.mod":
            module = _GO_MODULE.search(text)
            self.go_module, self.go_requires = (module.group(1) if module else ""), "require" in text
        elif base.endswith(".go"):
            self.go_imports |= set(_GO_IMPORT.findall(text))
        if base == "go.mod" or base.endswith(".go"):
            self.fetches["go"] = self.go_requires or any(_go_outside(p, self.go_module) for p in self.go_imports)
        for ecosystem, rule in MANIFESTS.get(base, ()):
            self.fetches[ecosystem] = rule(text)


# (program, subcommand) → the ecosystem whose files decide whether it fetches. With no such
# file written, the project is the one the tool's own ``new``/``init`` made: nothing to fetch.
DECIDED_BY: dict[tuple[str, str], str] = {
    **{("cargo", sub): "cargo" for sub in ("build", "run", "test", "check", "bench", "doc", "clippy", "tree",
                                           "fix", "rustc", "rustdoc", "install")},
    **{("npm", sub): "npm" for sub in ("install", "i", "ci")},
    **{("go", sub): "go" for sub in ("build", "run", "test", "vet", "install")},
    **{("pip", "install"): "python", ("pip3", "install"): "python"},
}


def _local(word: str) -> bool:
    return word.startswith((".", "/"))


def _pip_fetches(args: list[str], projects: Projects) -> bool:
    """``pip install NAME`` fetches; ``pip install -e .`` of a local project, what the project
    lists, and its build requirements unless ``--no-build-isolation`` builds with what is there."""
    words = [a for a in args[1:] if not a.startswith("-")]  # -r FILE names a file of packages: not local
    if not words or not all(_local(w) for w in words):
        return True
    isolated = "--no-build-isolation" not in args
    return projects.fetches.get("python", True) or isolated and projects.fetches.get("python-build", True)


def _go_module_fetches(pos: list[str], projects: Projects) -> bool:
    """``go run example.com/cmd@v1`` fetches that module; ``go install example.com/cmd`` a module
    outside this one; otherwise the module's own requirements and imports decide."""
    if any("@" in word for word in pos[1:]):
        return True
    if pos[0] == "install" and any("." in w.split("/", 1)[0] and not _local(w) for w in pos[1:]):
        return True
    return projects.fetches.get("go", False)


def as_program(inv: Invocation) -> Invocation:
    """``python3 -m pip install x`` is pip's ``install x``; any other invocation is itself."""
    if inv.name in ("python", "python3") and inv.args[:2] == ("-m", "pip"):
        return Invocation("pip", inv.args[2:])
    return inv


# Build wrappers a project carries (``./gradlew``, ``./mvnw``): their first run downloads the build tool.
WRAPPERS = frozenset({"gradlew", "mvnw"})
# Words that ask a build tool about itself, not to build (no download).
_ABOUT_ITSELF = frozenset({"-v", "--version", "-h", "--help", "-E", "--build", "--install", "-P"})


def fetches(inv: Invocation, projects: Projects) -> bool | None:
    """Whether ``inv`` fetches from the network, when what it would fetch decides (None: no
    rule here; the table of subcommands that fetch applies). A ``git clone`` is remembered in
    ``projects``: a later ``git pull`` pulls from where it cloned."""
    inv = as_program(inv)
    name, args = inv.name, list(inv.args)
    if name.rsplit("/", 1)[-1] in WRAPPERS:
        return True
    if name == "mvn":  # Maven fetches its plugins (compiler, surefire...) on every project's first build
        return bool(args) and not _ABOUT_ITSELF.issuperset(args) and not {"-o", "--offline"} & set(args)
    if name == "cmake":  # configuring runs FetchContent; building, installing and -E do not
        return not _ABOUT_ITSELF & set(args) and projects.fetches.get("cmake", False)
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
    if ecosystem == "python":
        return _pip_fetches(args, projects)
    if ecosystem == "go":
        return _go_module_fetches(pos, projects)
    if ecosystem == "cargo" and pos[0] == "install" and "--path" not in args:
        return True  # cargo install NAME: from crates.io; cargo install --path .: the project's own
    return projects.fetches.get(ecosystem, False)
