"""Kubernetes steps: ``kubectl`` and ``helm`` need a cluster, and ``state`` when they use
namespaces, custom resources, charts or repositories no earlier step of the block made."""

from __future__ import annotations

import re

from extractor.understand import shellsplit
from extractor.understand.made import URL, Made, flag, has_made, positionals
from extractor.understand.tables import (
    ALWAYS_THERE_NAMESPACES,
    ALWAYS_THERE_RESOURCES,
    BUILTIN_K8S_GROUPS,
    BUILTIN_RESOURCES,
    CLUSTER_FREE_SUBCOMMANDS,
)

_KUBECTL_MAKERS = frozenset({"create", "apply", "run", "expose", "replace"})


def embedded_docs(command: str) -> list[dict[str, object]]:
    """Manifests a command feeds to ``kubectl apply -f -`` (heredoc body or quoted text)."""
    import yaml

    from extractor import bounds

    lines = command.split("\n")[1:]
    if "<<-" in command.split("\n")[0]:
        lines = [line.lstrip("\t") for line in lines]
    if lines and re.fullmatch(r"\s*['\"]?\w*['\"]?.*", lines[-1]) and not re.match(r"\s*[\w-]+:", lines[-1]):
        lines = lines[:-1]
    try:
        return [d for d in bounds.load_yaml("\n".join(lines)) if isinstance(d, dict)]
    except yaml.YAMLError:
        return []


def kubectl(inv: shellsplit.Invocation, command: str, made: Made, needs: set[str]) -> None:
    pos = positionals(inv.args)
    verb = pos[0] if pos else ""
    if verb in CLUSTER_FREE_SUBCOMMANDS["kubectl"]:
        return
    needs.add("cluster")
    ns = flag(inv.args, "-n", "--namespace")
    if verb == "create" and len(pos) >= 3 and pos[1] in ("ns", "namespace"):
        made.namespaces.add(pos[2])
        made.k8s = True
        return
    if ns and ns not in made.namespaces and ns != "default" and ns not in ALWAYS_THERE_NAMESPACES:
        needs.add("state")
    if verb in _KUBECTL_MAKERS:
        _kubectl_make(inv, command, made, needs)
        made.k8s = True
        return
    kinds = {k.split("/")[0].lower() for k in pos[1].split(",")} if len(pos) > 1 else set()
    if kinds and kinds <= ALWAYS_THERE_RESOURCES or ns in ALWAYS_THERE_NAMESPACES:
        return
    if verb in ("get", "describe", "top") and {"-A", "--all-namespaces"} & set(inv.args) and kinds and (
        kinds <= BUILTIN_RESOURCES and len(pos) == 2
    ):
        return  # every cluster has pods, services... in its system namespaces
    if not (made.k8s and (ns is None or ns == "default" or ns in made.namespaces)):
        needs.add("state")


def _kubectl_make(inv: shellsplit.Invocation, command: str, made: Made, needs: set[str]) -> None:
    source = flag(inv.args, "-f", "--filename", "-k", "--kustomize")
    if source and URL.match(source):
        needs.add("network")
        made.installer = True
    elif source == "-":
        for doc in embedded_docs(command):
            _manifest(doc, made, needs)
    elif source and not has_made(source, made) and not made.opaque:
        needs.add("state")


def _manifest(doc: dict[str, object], made: Made, needs: set[str]) -> None:
    api = str(doc.get("apiVersion", ""))
    group = api.split("/")[0] if "/" in api else ""
    if group and group not in BUILTIN_K8S_GROUPS and not made.installer:
        needs.add("state")  # a custom resource: its CRD must be installed already
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    ns = meta.get("namespace")
    if doc.get("kind") == "Namespace" and meta.get("name"):
        made.namespaces.add(str(meta["name"]))
    elif ns and ns != "default" and ns not in made.namespaces and ns not in ALWAYS_THERE_NAMESPACES:
        needs.add("state")


def helm(inv: shellsplit.Invocation, made: Made, needs: set[str]) -> None:
    pos = positionals(inv.args)
    verb = pos[0] if pos else ""
    if verb == "repo" and len(pos) > 1:
        needs.add("network")
        if pos[1] == "add" and len(pos) > 2:
            made.helm_repos.add(pos[2])
        elif pos[1] == "update" and not made.helm_repos:
            needs.add("state")
        return
    if verb not in CLUSTER_FREE_SUBCOMMANDS["helm"]:
        needs.add("cluster")
    if verb in ("install", "upgrade", "template", "pull", "show"):
        at = 2 if verb in ("install", "upgrade", "template") else 1
        chart = pos[at] if len(pos) > at else ""
        if chart.startswith(("oci://", "http://", "https://")) or flag(inv.args, "--repo"):
            needs.add("network")
        elif "/" in chart and not chart.startswith((".", "/")):
            needs.add("network")
            if chart.split("/")[0] not in made.helm_repos:
                needs.add("state")
        elif chart and not has_made(chart, made) and not made.opaque:
            needs.add("state")
        ns = flag(inv.args, "-n", "--namespace")
        if ns and "--create-namespace" in inv.args:
            made.namespaces.add(ns)
        if verb in ("install", "upgrade"):
            made.k8s = made.installer = True


CLIENT_CHECKED = frozenset({"create", "apply", "run", "expose", "set"})


def client_checkable(command: str) -> tuple[str, str | None] | None:
    """A ``kubectl create/apply/run/expose/set`` step kubectl can check without a cluster
    (``--dry-run=client``): (its verb, the manifest it reads: a file, a URL, or None for none
    or stdin). None when the step has no such invocation."""
    for inv in shellsplit.invocations(command):
        if inv.name != "kubectl":
            continue
        pos = positionals(inv.args)
        verb = pos[0] if pos else ""
        if verb not in CLIENT_CHECKED:
            continue
        source = flag(inv.args, "-f", "--filename")
        return verb, source if source and source != "-" else None
    return None


def client_check_of(command: str) -> tuple[str, ...]:
    """The fact stored on the step (``Step.client_check``): (verb,) or (verb, manifest); ()."""
    found = client_checkable(command)
    if found is None:
        return ()
    verb, manifest = found
    return (verb, manifest) if manifest else (verb,)
