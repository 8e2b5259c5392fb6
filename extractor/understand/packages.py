"""Language packages a command installs (``pip install flask``, ``npm install express@4``).

Decided once, stored on the step (``Facts.packages``, and ``Facts.installs`` when the step does
nothing else): the plan has the article's image layer carry them, the way an ``apt-get
install`` step is the image's job. A package is written ``ECOSYSTEM:SPEC`` (``pip:Django==3.2.*``,
``npm:express@4``, ``pip-r:requirements.txt`` for a requirements file the tutorial writes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Install
from extractor.understand.made import URL
from extractor.understand.needs import fetches
from extractor.understand.shellsplit import Invocation, invocations

# (program, the words before the package names, ecosystem). pipx installs applications from PyPI.
LANGUAGE_INSTALLERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("pip", ("install",), "pip"), ("pip3", ("install",), "pip"),
    ("python", ("-m", "pip", "install"), "pip"), ("python3", ("-m", "pip", "install"), "pip"),
    ("pipx", ("install",), "pip"),
    ("npm", ("install",), "npm"), ("npm", ("i",), "npm"), ("npm", ("add",), "npm"),
    ("yarn", ("add",), "npm"), ("yarn", ("global", "add"), "npm"), ("pnpm", ("add",), "npm"),
)
_MANAGER_NAMES = {"python": "pip", "python3": "pip"}
# Options of those installers that take a value (the value is not a package).
_VALUED = frozenset({"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                     "-t", "--target", "--prefix", "--root", "-f", "--find-links", "--python", "--registry",
                     "--cache", "--workspace", "-w", "--filter"})
# Words before an installer that only prepare the reader's environment: ``. .venv/bin/activate &&
# pip install flask`` still only installs.
_PREPARE = frozenset({"cd", "source", ".", "export"})
# A requirement as a registry names it: a name, extras, a version constraint (PEP 508 subset), or
# an npm name with an optional scope and ``@range``. Paths, URLs and VCS links are not registry packages.
_CONSTRAINT = r"(==|>=|<=|~=|!=|<|>)[\w.*+!-]+"
_PIP_SPEC = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[\w,.-]+\])?({_CONSTRAINT}(,{_CONSTRAINT})*)?$")
_NPM_SPEC = re.compile(r"^(@[a-z0-9][\w.-]*/)?[a-z0-9][\w.-]*(@[\w.^~<>=*|+ -]+)?$")
_SPEC = {"pip": _PIP_SPEC, "npm": _NPM_SPEC}


@dataclass(frozen=True)
class Found:
    """What one command installs: ``packages`` (``ECOSYSTEM:SPEC``), whether it installs
    anything else a registry would have to serve (a URL, a path, a VCS link), and whether it
    does nothing but install (and prepare the environment for that)."""

    packages: tuple[str, ...] = ()
    other: bool = False
    only: bool = False


def _installer(inv: Invocation) -> tuple[str, list[str], str] | None:
    """(ecosystem, the words after the installer's own, the manager's name) of an installer."""
    name, args = inv.name, list(inv.args)
    if name == "sudo" and args:
        name, args = args[0], args[1:]
    for program, lead, ecosystem in LANGUAGE_INSTALLERS:
        if name == program and tuple(args[: len(lead)]) == lead:
            return ecosystem, args[len(lead):], _MANAGER_NAMES.get(name, name)
    return None


def _specs(ecosystem: str, args: list[str]) -> tuple[list[str], bool]:
    packages: list[str] = []
    other = False
    skip_value = False
    for i, arg in enumerate(args):
        if skip_value:
            skip_value = False
            continue
        if arg in ("-r", "--requirement") and i + 1 < len(args) and ecosystem == "pip":
            packages.append(f"pip-r:{args[i + 1]}")
        if arg in _VALUED:
            skip_value = True
            continue
        if arg.startswith("-"):
            if arg.startswith(("--requirement=", "-r=")):
                packages.append(f"pip-r:{arg.split('=', 1)[1]}")
            continue
        if _SPEC[ecosystem].match(arg):
            packages.append(f"{ecosystem}:{arg}")
        else:
            other = True  # ``.``, ``-e ./pkg``, a URL, a wheel file: not a registry package
    return packages, other


def language_packages(command: str) -> Found:
    """The language packages ``command`` installs (see the module doc)."""
    packages: list[str] = []
    other = False
    only = True
    calls = invocations(command)
    for inv in calls:
        found = _installer(inv)
        if found is None:
            only = only and inv.name in _PREPARE
            continue
        specs, unusual = _specs(found[0], found[1])
        packages += specs
        other = other or unusual or not specs
    return Found(tuple(dict.fromkeys(packages)), other, bool(packages) and only and not other)


def language_install(command: str) -> Install | None:
    """The step does nothing but install registry packages: the image's job, like ``apt-get install``."""
    found = language_packages(command)
    if not found.only:
        return None
    managers = [installer[2] for inv in invocations(command) if (installer := _installer(inv)) is not None]
    return Install(managers[0], found.packages)


def offline_with_packages(command: str, found: Found) -> bool:
    """The network ``command`` needs is only PyPI's, for packages the image can carry: with the
    image's own wheel house standing in for the index, it runs offline (``python3 -m venv .venv
    && . .venv/bin/activate && pip install flask``). npm has no such stand-in: it stays online."""
    if not found.packages or found.other or URL.search(command):
        return False
    for inv in invocations(command):
        installer = _installer(inv)
        if installer is not None:
            if installer[0] != "pip":
                return False
        elif fetches(inv):
            return False
    return True


def is_requirements(filename: str) -> bool:
    """A pip requirements file by its name (``requirements.txt``, ``requirements-dev.txt``, ``reqs/base.txt``)."""
    base = filename.rsplit("/", 1)[-1]
    return base.endswith(".txt") and (base.startswith("requirements") or "/req" in f"/{filename}")


def requirements(text: str) -> tuple[str, ...]:
    """The registry requirements of a ``requirements.txt`` (comments, options and paths left out)."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().replace(" ", "")
        if line and not line.startswith("-") and _PIP_SPEC.match(line):
            out.append(f"pip:{line}")
    return tuple(out)


__all__ = ["LANGUAGE_INSTALLERS", "Found", "language_install", "language_packages",
           "is_requirements", "offline_with_packages", "requirements"]
