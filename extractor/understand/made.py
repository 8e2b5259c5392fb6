"""What earlier steps of a block made, and the small argument helpers the needs rules share."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

URL = re.compile(r"https?://")
LOCAL = re.compile(r"^(https?://)?(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])([:/]|$)")
# Options that take a value in the next word, per program.
_KUBE_FLAGS = frozenset("""
-n --namespace --context --kubeconfig --cluster --user -s --server --kube-context -l --selector
--set --set-string --set-file --set-json -f --values --filename --version --repo --timeout
--description --post-renderer -o --output --sort-by --field-selector -c --container --image
""".split())
VALUE_FLAGS: dict[str, frozenset[str]] = {
    "kubectl": _KUBE_FLAGS, "helm": _KUBE_FLAGS,
    "curl": frozenset("-o --output -H --header -d --data --data-raw --data-binary -X --request -u --user -A "
                      "--user-agent -e -w -T -F --form -m --max-time --connect-timeout -b -c --cacert".split()),
    "wget": frozenset("-O -o -P --header -U".split()),
    "docker": frozenset("-e --env --env-file -p --publish -v --volume --name -w --workdir -u --user --network "
                        "--entrypoint -l --label -m --memory --mount --restart -t --tag -f --file -c -H --host "
                        "--context --platform --cpus".split()),
    **dict.fromkeys(("rustc", "rustdoc"), frozenset("-o -L -l --crate-name --crate-type --edition --extern "
                                                    "--out-dir -C --target --cfg".split())),
    **dict.fromkeys(("gcc", "g++", "cc", "c++", "clang"), frozenset("-o -I -L -l -D -x -MF".split())),
}

@dataclass
class Made:
    """What earlier steps of the current block made (mutable while walking one block)."""

    namespaces: set[str] = field(default_factory=set)
    k8s: bool = False
    installer: bool = False
    helm_repos: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    opaque: bool = False
    variables: set[str] = field(default_factory=set)
    containers: set[str] = field(default_factory=set)
    unmade: list[str] = field(default_factory=list)  # paths the current step uses that no earlier step made


def positionals(args: tuple[str, ...], program: str = "kubectl") -> list[str]:
    """The words of a command that are not options (nor option values)."""
    value_flags = VALUE_FLAGS.get(program, frozenset())
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg in value_flags
        else:
            out.append(arg)
    return out


def flag(args: tuple[str, ...], *names: str) -> str | None:
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def norm(path: str) -> str:
    return posixpath.normpath(path.strip("'\"")).lstrip("/") if path else path


def has_made(path: str, made: Made) -> bool:
    """Did an earlier step of the block make ``path`` (or a directory holding it, or in it)?"""
    n = norm(path.removeprefix("~/"))
    return n in made.paths or any(n.startswith(p + "/") or p.startswith(n + "/") for p in made.paths)
