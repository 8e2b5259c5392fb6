"""Files and programs a step uses that the article never gives.

A reader who follows a page in a fresh directory has what the page gives them: the files it
says to save, what its commands make, what the sandbox image carries. A step assumes more
when it reads

- a project file the page never shows or makes (``cargo test`` without a ``Cargo.toml``,
  ``make html`` without a ``Makefile``, ``debuild`` without a ``debian/`` folder:
  :data:`PROJECT_FILES`; the commands that make one are :data:`MAKES`);
- a file or folder it names that nothing before it made (``lintian foo_1.0_i386.changes``,
  ``cd Step1_build`` in a page that never made it: the names :mod:`.paths` found unmade in
  the step's block, looked up in the whole article here);
- a program that only the page's own code defines and never installs (a click or typer
  command ``touch`` run by name, a CMake ``add_executable`` target run as ``Tutorial 10``).

Such a step needs that file (``file:NAME``): it is the reader's own, or an earlier page's.
After a step whose effects nobody can list (``git clone``, ``tar x``, a build), anything may
be there, and nothing is assumed.
"""

from __future__ import annotations

import ast
import fnmatch
import posixpath
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.understand import python, shellsplit
from extractor.understand.files import names_in
from extractor.understand.made import norm, positionals
from extractor.understand.placeholders import stand_in_name

ANY = "*"
# (program, first word of its arguments, or ANY) → the project files it reads where it runs
# (any of them will do). A word that only asks for help or a version needs no project.
PROJECT_FILES: dict[tuple[str, str], tuple[str, ...]] = {
    ("make", ANY): ("Makefile", "makefile", "GNUmakefile"),
    ("cmake", "--build"): ("CMakeCache.txt",),
    ("cmake", ANY): ("CMakeLists.txt",),
    **{("cargo", sub): ("Cargo.toml",) for sub in ("build", "run", "test", "check", "bench", "doc", "clippy")},
    **{("mkdocs", sub): ("mkdocs.yml",) for sub in ("build", "serve", "gh-deploy")},
    **{(program, ANY): ("debian/changelog",) for program in ("dpkg-buildpackage", "debuild", "pdebuild")},
    **{("bundle", sub): ("Gemfile",) for sub in ("install", "exec", "update")},
    ("rake", ANY): ("Rakefile", "rakefile"),
    **{("npm", sub): ("package.json",) for sub in ("run", "start", "test")},
    ("sphinx-build", ANY): ("conf.py",),
    **{(program, ANY): ("test_*", "*_test.py", "conftest.py") for program in ("pytest", "py.test", "pytest-3")},
    ("mvn", ANY): ("pom.xml",),
    ("gradle", ANY): ("build.gradle", "build.gradle.kts"),
    ("tox", ANY): ("tox.ini", "pyproject.toml"),
}
_NO_PROJECT = frozenset({"--version", "-V", "--help", "-h", "help", "version", "-f", "-C", "--file", "-E", "-P"})
# (program, first word or ANY) → the files it makes where it runs.
MAKES: dict[tuple[str, str], tuple[str, ...]] = {
    ("cargo", "new"): ("Cargo.toml",), ("cargo", "init"): ("Cargo.toml",),
    ("mkdocs", "new"): ("mkdocs.yml",),
    ("sphinx-quickstart", ANY): ("conf.py", "Makefile", "index.rst"),
    ("cmake", ANY): ("CMakeCache.txt", "Makefile"),  # configuring makes the build tree
    ("npm", "init"): ("package.json",), ("go", "mod"): ("go.mod",), ("bundle", "init"): ("Gemfile",),
    ("dh_make", ANY): ("debian/changelog",),
}
_INSTALLERS = frozenset({"pip", "pip3", "npm", "yarn", "pnpm", "gem", "cargo"})
# A command-line program defined by the page's code: click's and typer's decorators (the
# function's name, or the name the decorator gives), argparse's ``prog=``.
_CLI_DEF = re.compile(r"@[\w.]*\b(?:command|group)\((?:\s*['\"]([\w-]+)['\"])?[^)]*\)\s*\n(?:\s*@.*\n)*\s*def (\w+)")
_PROG = re.compile(r"ArgumentParser\([^)]*\bprog\s*=\s*['\"]([\w-]+)['\"]")
# A program the page's build files define: CMake's ``add_executable(Tutorial tutorial.cxx)``.
_BUILT = re.compile(r"^\s*add_executable\(\s*([A-Za-z][\w.+-]*)", re.MULTILINE | re.IGNORECASE)


# Names that stand for a module a page forgot to import: the standard library's and the usual aliases.
_MODULE_NAMES = frozenset(sys.stdlib_module_names) | {"np", "pd", "plt", "sns", "tf", "torch", "mpl", "sp", "nx"}


@dataclass
class Given:
    """What the article gave before the current step: paths it wrote or its steps made, the
    programs its code defines, and whether some earlier step made things nobody can list."""

    paths: set[str] = field(default_factory=set)
    by_steps: set[str] = field(default_factory=set)  # of ``paths``, those a step made
    written: set[str] = field(default_factory=set)  # of ``paths``, the files the article says to save
    programs: dict[str, str] = field(default_factory=dict)  # program → where the page defines it
    opaque: bool = False
    installed: bool = False  # a local project was installed (its programs with it)
    edited: set[str] = field(default_factory=set)  # files the article changes that the reader already had
    excerpts: dict[str, int] = field(default_factory=dict)  # file → the block of an excerpt that could not be placed
    python_seen: bool = False  # a block of Python came before
    bound: set[str] = field(default_factory=set)  # the names the page's Python steps bound so far
    before_page: set[str] = field(default_factory=set)  # names its first Python block uses, never bound
    star: bool = False  # a ``from x import *``: any name may come from it

    def has(self, pattern: str, paths: set[str] | None = None) -> bool:
        """A path given matches ``pattern`` (a glob), by its whole path, its end or its name,
        or holds it (a folder), or is in it. A file the article only changes gives itself, not
        its folders: they are the reader's project, from before the page."""
        return any(_names(p, pattern) or p == pattern.split("/", 1)[0] or p.startswith(pattern + "/")
                   for p in (self.paths if paths is None else paths)) or (
            paths is None and any(_names(p, pattern) for p in self.edited))

    def wrote(self, path: str, edit: bool = False) -> None:
        """Remember a file the article says to save; ``edit``: the article asks to change a file
        it never gave (``docs/source/index.rst`` that a tool run on an earlier page made)."""
        if edit and not self.has(path):
            self.edited.add(path)
            return
        self.paths.add(path)
        self.written.add(path)
        self.excerpts.pop(path, None)

    def changed_in_part(self, path: str, block: int) -> None:
        """Remember that block ``block`` changes the file ``path`` by an excerpt the article
        never shows whole: the file written before is not the one the next steps use."""
        self.excerpts[path] = block

    def names_from_before(self, tree: ast.Module) -> list[str]:
        """The values a Python step uses that come from before the page: its first block of
        Python uses them and no step of the page binds them (``with engine.connect()`` on a
        tutorial's second page, ``engine`` made on the first). What the step calls
        (``NativeEnvironment()``, ``@frozen``) or a module's name (``json.dumps``, ``np.array``)
        is an import the page left out, and a name first missing later in the page is the page's
        own omission: the step runs, and its NameError is the page's."""
        self.star |= any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree))
        free = set() if self.star else python.free_names(tree) - self.bound - {"_"}
        free -= python.called_names(tree) | _MODULE_NAMES
        if not self.python_seen:
            self.before_page |= free
        self.bound |= python.defined(tree)
        return sorted(free & self.before_page)

    def saw_code(self, text: str, where: str) -> None:
        """Remember the command-line programs a block of code defines."""
        self.python_seen = True
        for m in _CLI_DEF.finditer(text):
            self.programs.setdefault(m.group(1) or m.group(2).replace("_", "-"), where)
        for m in _PROG.finditer(text):
            self.programs.setdefault(m.group(1), where)

    def saw_builds(self, texts: Iterable[str]) -> None:
        """Remember the programs the page's build files define (wherever the page shows them:
        a tutorial often runs the program before it explains the line that builds it)."""
        for text in texts:
            for m in _BUILT.finditer(text):
                self.programs.setdefault(m.group(1), "the page's build files")

    def saw_step(self, command: str, made_paths: set[str], opaque: bool) -> None:
        """Remember what a step made (the paths its block's rules found, and :data:`MAKES`)."""
        made = set(made_paths)
        for inv in shellsplit.invocations(command):
            made.update(_row(MAKES, inv) or ())
        self.paths |= made
        self.by_steps |= made
        calls = shellsplit.invocations(command)
        # a package install fills site-packages or node_modules, not the reader's folder with unknown files
        self.opaque = self.opaque or opaque and not all(inv.name in _INSTALLERS for inv in calls)
        for inv in calls:
            pos = positionals(inv.args, inv.name)
            if inv.name in ("pip", "pip3") and pos[:1] == ["install"] and any(a.startswith(".") for a in pos[1:]):
                self.installed = True


def _names(path: str, pattern: str) -> bool:
    return (fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, "*/" + pattern)
            or fnmatch.fnmatch(posixpath.basename(path), pattern))


def _row(table: dict[tuple[str, str], tuple[str, ...]], inv: shellsplit.Invocation) -> tuple[str, ...] | None:
    first = inv.args[0] if inv.args else ""
    return table.get((inv.name, first), table.get((inv.name, ANY)))


# The recorded output says a path is not there: the article shows that on purpose.
_MISSING = re.compile(r"No such file|not found|does not exist|cannot (?:open|access|stat)|can't open", re.I)


def _shown_missing(name: str, output: str | None) -> bool:
    return any(name in line and _MISSING.search(line) for line in (output or "").splitlines())


def assumed(command: str, unmade: list[str], given: Given, output: str | None = None) -> list[str]:
    """What ``command`` uses that the article never gave (``unmade``: the paths its block's
    rules found unmade), first the project files, then the named paths, then programs. A path
    the step's recorded ``output`` shows missing (``cat: x.txt: No such file or directory``)
    is not assumed: the article shows it absent on purpose."""
    if given.opaque:
        return []
    out: list[str] = []
    for inv in shellsplit.invocations(command):
        files = _row(PROJECT_FILES, inv)
        if inv.name == "make" and any(given.has(t + ".*") for t in positionals(inv.args, "make")):
            files = None  # ``make hello`` from the hello.c the page gave: make's own rules
        if files and not _NO_PROJECT & set(inv.args) and not any(given.has(f) for f in files):
            out.append(files[0])
        if inv.name in given.programs and not given.installed and not given.has(inv.name):
            out.append(inv.name)
    out += [name for name in unmade if not given.has(norm(name.removeprefix("~/")))]
    return [name for name in dict.fromkeys(out) if not _shown_missing(name, output)]


def as_needs(found: list[str]) -> list[str]:
    """The needs for what a step uses that the article never gave: a name made with a stand-in
    word (``package.changes``, ``old-package.dsc``) is a placeholder for the reader's own, any
    other the file itself (``file:NAME``, the first one)."""
    if any(stand_in_name(name) for name in found):
        return ["placeholder"]
    return [f"file:{name}" for name in found[:1]]


def changed_in_part(command: str, given: Given) -> list[tuple[str, int]]:
    """The files ``command`` names that an excerpt changed after their last whole version
    (each with the excerpt's block): the step would use a file the article never shows."""
    named = {norm(n) for n in names_in(command)}
    return [(path, block) for path, block in given.excerpts.items() if path in named]


def made_by_steps(command: str, given: Given) -> bool:
    """``command`` reads a project file that only an earlier step made (``cmake --build .``
    after ``cmake ..``), or one the article never gave after a step whose effects nobody can
    list (``debuild`` after ``tar -xzf x.tar.gz``): it relies on that step's state."""
    for inv in shellsplit.invocations(command):
        files = _row(PROJECT_FILES, inv)
        if not files or _NO_PROJECT & set(inv.args) or any(given.has(f, given.written) for f in files):
            continue
        if given.opaque or any(given.has(f, given.by_steps) for f in files):
            return True
    return False


__all__ = ["MAKES", "PROJECT_FILES", "Given", "as_needs", "assumed", "changed_in_part", "made_by_steps"]
