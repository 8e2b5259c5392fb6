"""The article's image layer: the Debian packages its tools need and the language packages its
install steps name (``pip:flask``, ``npm:express@4``; see ``extractor.understand.packages``).

When tutorcheck builds the layer, the host fetches what the registries serve — wheels with
``pip download --only-binary=:all:`` (no code of a package runs on the host), node modules with
``npm install --ignore-scripts`` — and the build copies them in, so the container itself never
needs the network. Installed as the sandbox user would have them:

- Python packages into the image's site-packages (their scripts in /usr/local/bin), and the
  wheels kept in /opt/tutorcheck/wheels with a pip.conf that makes every ``pip install`` in the
  container resolve from them offline: a virtual environment the tutorial makes and fills
  (``python3 -m venv .venv && . .venv/bin/activate && pip install flask``) gets the same versions;
- JavaScript packages in /node_modules, which Node's resolution (``require`` and ``import``)
  reaches from every folder, their programs on PATH.

With no registry answering, a Debian package of the same module (``python3-flask``,
``node-express``) stands in when there is one; otherwise the package is recorded as missing and
its install step is skipped with that reason. What was installed, at which version and from
where, is recorded on the image (label ``tutorcheck.provided``) and in the results.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractor.plan import Action
from extractor.quoting import sh_word
from extractor.vocab import ActionKind, NeedKind

PROVIDED_LABEL = "tutorcheck.provided"
WHEELS = "/opt/tutorcheck/wheels"
PIP_CONF = f"[global]\\nno-index = true\\nfind-links = {WHEELS}\\nbreak-system-packages = true\\n"
FETCH_TIMEOUT_S = 300
_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)-")


@dataclass(frozen=True)
class Layer:
    """What a layer installs, split by where it comes from."""

    debian: tuple[str, ...] = ()
    pip: tuple[str, ...] = ()
    npm: tuple[str, ...] = ()
    pymod: tuple[str, ...] = ()  # modules Python steps import: Debian's python3-MODULE, else PyPI

    @classmethod
    def of(cls, packages: Sequence[str]) -> Layer:
        parts: dict[str, list[str]] = {"debian": [], "pip": [], "npm": [], "pymod": []}
        for p in sorted(set(packages)):
            ecosystem, sep, spec = p.partition(":")
            parts[ecosystem if sep and ecosystem in parts else "debian"].append(spec if sep else p)
        # A module the article's own ``pip install`` brings comes from that install, with its
        # programs (``celery``, ``sqlformat``): Debian's python3-MODULE first would satisfy pip,
        # which then installs nothing, and Debian's package of a module often has no program.
        installed = {_pip_key(_name(spec, "pip")) for spec in parts["pip"]}
        pymod = tuple(m for m in parts["pymod"] if _pip_key(m) not in installed)
        return cls(tuple(parts["debian"]), tuple(parts["pip"]), tuple(parts["npm"]), pymod)


@dataclass
class Fetched:
    """What the host fetched for a layer: versions by package, Debian stand-ins, and what is missing."""

    pip: dict[str, str] = field(default_factory=dict)
    npm: dict[str, str] = field(default_factory=dict)
    debian: dict[str, str] = field(default_factory=dict)  # spec → the Debian package that stands in
    missing: list[str] = field(default_factory=list)  # ``pip:NAME`` / ``npm:NAME`` no source could give

    def to_json(self) -> dict[str, object]:
        return {"pip": self.pip, "npm": self.npm, "debian": self.debian, "missing": self.missing}


def _name(spec: str, ecosystem: str) -> str:
    if ecosystem == "npm":
        return spec[0] + spec[1:].split("@", 1)[0]
    return re.split(r"[\[=<>!~]", spec, maxsplit=1)[0]


def _pip_key(name: str) -> str:
    """A Python distribution's name as wheels and Debian spell it (``Flask_Login`` → ``flask-login``)."""
    return name.lower().replace("_", "-")


def debian_has(package: str) -> bool:
    r = subprocess.run(["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True)
    return r.returncode == 0 and "Package:" in r.stdout


def _stand_in(spec: str, ecosystem: str, fetched: Fetched) -> None:
    name = _pip_key(_name(spec, ecosystem)).lstrip("@").replace("/", "-")
    debian = f"python3-{name}" if ecosystem == "pip" else f"node-{name}"
    if debian_has(debian):
        fetched.debian[f"{ecosystem}:{spec}"] = debian
    else:
        fetched.missing.append(f"{ecosystem}:{spec}")


def fetch_wheels(specs: Sequence[str], dest: Path, fetched: Fetched) -> None:
    """The wheels of ``specs`` and their dependencies, into ``dest`` (binary only: nothing runs)."""
    dest.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest",
                        str(dest), *specs], capture_output=True, text=True, timeout=FETCH_TIMEOUT_S)
    if r.returncode != 0:
        for spec in specs:  # one at a time: the ones a registry has still come from it
            one = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
                                  "--dest", str(dest), spec], capture_output=True, text=True, timeout=FETCH_TIMEOUT_S)
            if one.returncode != 0:
                _stand_in(spec, "pip", fetched)
    for wheel in sorted(dest.glob("*.whl")):
        m = _WHEEL.match(wheel.name)
        if m:
            fetched.pip[_pip_key(m["name"])] = m["version"]


IMAGE_PYTHON = ("3.11", "cp311")  # the toolbox's CPython (Debian bookworm), whatever Python the host runs
IMAGE_GLIBC = 36  # bookworm's glibc 2.36: every manylinux wheel up to it runs there
ENGINE_MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}  # engines that answer in Go's names


def image_platforms(machine: str) -> list[str]:
    """pip's ``--platform`` tags for a wheel that runs in the image on ``machine`` (the engine's)."""
    m = ENGINE_MACHINES.get(machine, machine)
    return [*(f"manylinux_2_{v}_{m}" for v in range(IMAGE_GLIBC, 4, -1)),
            f"manylinux2014_{m}", f"manylinux2010_{m}", f"manylinux1_{m}"]


def fetch_pinned(requirements: Path, dest: Path, machine: str) -> subprocess.CompletedProcess[str]:
    """Every wheel a requirements file pins (dependencies included: nothing is resolved), for the
    image's Python on the engine's ``machine``, with the host's pip (its index, its proxy)."""
    dest.mkdir(parents=True, exist_ok=True)
    version, abi = IMAGE_PYTHON
    platforms = [f"--platform={p}" for p in image_platforms(machine)]
    return subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                           f"--python-version={version}", "--implementation=cp", f"--abi={abi}", "--abi=abi3",
                           "--abi=none", *platforms, "--dest", str(dest), "-r", str(requirements)],
                          capture_output=True, text=True, timeout=FETCH_TIMEOUT_S)


def fetch_node_modules(specs: Sequence[str], dest: Path, fetched: Fetched) -> None:
    """``node_modules`` for ``specs`` under ``dest`` (install scripts are not run on the host)."""
    dest.mkdir(parents=True, exist_ok=True)
    base = ["npm", "install", "--prefix", str(dest), "--no-audit", "--no-fund", "--no-save", "--ignore-scripts",
            "--omit=dev", "--loglevel=error"]
    try:
        r = subprocess.run([*base, *specs], capture_output=True, text=True, timeout=FETCH_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        r = None
    if r is None or r.returncode != 0:
        for spec in specs:
            _stand_in(spec, "npm", fetched)
        return
    for spec in specs:
        manifest = dest / "node_modules" / _name(spec, "npm") / "package.json"
        if manifest.is_file():
            fetched.npm[_name(spec, "npm")] = str(json.loads(manifest.read_text(encoding="utf-8")).get("version", ""))


# Modules whose Debian package is not python3-<module>.
MODULE_PACKAGES = {"cv2": "python3-opencv", "sklearn": "python3-sklearn", "yaml": "python3-yaml",
                   "PIL": "python3-pil", "bs4": "python3-bs4", "dateutil": "python3-dateutil",
                   "OpenSSL": "python3-openssl", "Crypto": "python3-pycryptodome", "attr": "python3-attr"}


def module_package(module: str) -> str:
    return MODULE_PACKAGES.get(module, "python3-" + _pip_key(module))


def _modules(layer: Layer, fetched: Fetched) -> list[str]:
    """Imported modules: Debian's package where Debian has one; the rest are fetched from PyPI."""
    from_pypi = []
    for module in layer.pymod:
        if debian_has(module_package(module)):
            fetched.debian[f"pymod:{module}"] = module_package(module)
        else:
            from_pypi.append(module)
    return from_pypi


def fetch(layer: Layer, context: Path) -> Fetched:
    """Fetch the layer's language packages into the build context (``wheels/``, ``npm/``)."""
    fetched = Fetched()
    pip = [*layer.pip, *_modules(layer, fetched)]
    if pip:
        fetch_wheels(pip, context / "wheels", fetched)
    if layer.npm:
        fetch_node_modules(layer.npm, context / "npm", fetched)
    return fetched


def settle(action: Action, provided: Mapping[str, Any]) -> Action:
    """A provided step once its image is built: its reason names the versions installed, or it
    is skipped (a gap) when no source could give a package (``provided``: :class:`Fetched` as JSON)."""
    ecosystems = [p.partition(":") for p in action.packages if ":" in p]
    if action.kind != ActionKind.PROVIDED or not ecosystems:
        return action
    missing = [spec for eco, _, spec in ecosystems if f"{eco}:{spec}" in provided.get("missing", ())]
    if missing:
        return replace(action, kind=ActionKind.SKIP, need=NeedKind.NETWORK,
                       reason=f"needs the network to install {', '.join(missing)} (no registry answered when the "
                              "image was built, and Debian has no package of it)")
    got = []
    for eco, _, spec in ecosystems:
        name = _name(spec, eco)
        stand_in = provided.get("debian", {}).get(f"{eco}:{spec}")
        version = provided.get(eco, {}).get(_pip_key(name) if eco == "pip" else name)
        got.append(f"{name} from Debian's {stand_in}" if stand_in else f"{name} {version}" if version else name)
    return replace(action, reason=f"{action.reason} ({', '.join(got)})")


def provided(client: Any, image: str) -> dict[str, Any]:
    """What the image's layer installed for the article's install steps (empty when nothing)."""
    try:
        text = (client.images.get(image).labels or {}).get(PROVIDED_LABEL, "")
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _words(items: Sequence[str]) -> str:
    return " ".join(sh_word(p) for p in items)  # RUN is /bin/sh -c


def dockerfile(base: str, layer: Layer, fetched: Fetched | None = None) -> str:
    """The layer's Dockerfile. With ``fetched`` (tutorcheck's own build) the language packages
    come from the build context; without (the standalone check.sh) from their registries."""
    node = {"nodejs"} | (set() if fetched else {"npm"})  # the host fetches the modules; check.sh's build uses npm
    debian = sorted({*layer.debian, *(fetched.debian.values() if fetched else ())} | (node if layer.npm else set()))
    lines = [f"FROM {base}"]
    if fetched is None and layer.pymod:  # check.sh: Debian's package, or PyPI when Debian has none
        lines_pymod = [f"(apt-get install -y --no-install-recommends {sh_word(module_package(m))} || "
                       f"python3 -m pip install --break-system-packages {sh_word(m)})" for m in layer.pymod]
    else:
        lines_pymod = []
    if not (debian or layer.pip or layer.npm or layer.pymod):
        return lines[0] + "\n"
    lines.append("USER root")
    if debian:
        lines.append("RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                     f"--no-install-recommends {_words(debian)} && apt-get clean && rm -rf /var/lib/apt/lists/*")
    if lines_pymod:
        lines.append("RUN apt-get update && export DEBIAN_FRONTEND=noninteractive && "
                     + " && ".join(lines_pymod) + " && apt-get clean && rm -rf /var/lib/apt/lists/*")
    pip = [s for s in layer.pip if not fetched or not ({f"pip:{s}"} & {*fetched.debian, *fetched.missing})]
    if fetched is not None:  # imported modules Debian has not: from the wheels the host fetched
        pip += [m for m in layer.pymod if not ({f"pymod:{m}", f"pip:{m}"} & {*fetched.debian, *fetched.missing})]
    if pip and fetched is not None:
        lines += [f"COPY wheels {WHEELS}",
                  f"RUN python3 -m pip install --break-system-packages --no-index --find-links {WHEELS} {_words(pip)}"
                  f" && printf '{PIP_CONF}' >/etc/pip.conf"]
    elif pip:
        lines.append(f"RUN python3 -m pip install --break-system-packages {_words(pip)}")
    npm = [s for s in layer.npm if not fetched or f"npm:{s}" not in {*fetched.debian, *fetched.missing}]
    if npm and fetched is not None:
        lines.append("COPY npm/node_modules /node_modules")
    elif npm:
        lines.append(f"RUN npm install --prefix / --no-audit --no-fund --no-save {_words(npm)}")
    if npm:
        lines.append("ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/node_modules/.bin")
    lines.append("USER tutor")
    return "\n".join(lines) + "\n"


__all__ = ["PROVIDED_LABEL", "Fetched", "Layer", "dockerfile", "fetch", "provided", "settle"]
