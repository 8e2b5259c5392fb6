"""The verdict of a kubectl client-side check (``extractor.plan.kubecheck``): what it validated.

kubectl's output is the object it would send, or its refusal; an object is validated against
the bundled Kubernetes schemas (``understand.checks``)."""

from __future__ import annotations

from typing import Any

from extractor.plan.kubecheck import MARK


def judge(output: str, exit_code: int | None) -> tuple[bool, str]:
    """(ok, what was validated) for the check's output."""
    if exit_code != 0:
        last = [line for line in output.strip().split("\n") if line.strip()][-3:]
        return False, "kubectl refused the command: " + " / ".join(last)
    if MARK in output:
        return True, "kubectl parsed the flags and arguments; what follows needs a cluster's API server"
    docs = _objects(output)
    if not docs:
        return True, "kubectl parsed the command"
    from extractor.understand.checks import kubernetes_check

    check = kubernetes_check(tuple(docs), "the generated object")
    kinds = ", ".join(f"{d.get('kind')} {(d.get('metadata') or {}).get('name', '')}".strip() for d in docs)
    if not check.ok:
        return False, f"kubectl generated {kinds}, which the bundled schema rejects: {check.message}"
    note = f" ({check.message})" if check.message else ""
    return True, f"kubectl generated {kinds}, validated against the bundled Kubernetes schema{note}"


def _objects(output: str) -> list[dict[str, Any]]:
    import yaml

    try:
        return [d for d in yaml.safe_load_all(output) if isinstance(d, dict) and "kind" in d]
    except yaml.YAMLError:
        return []
