"""Static checks of a block, offline and fast: YAML/JSON parse, schemas (GitHub workflow,
Compose, Kubernetes), ``bash -n`` and shellcheck on commands, Python compile.

Each check is recorded as a :class:`~extractor.model.Check` whose ``command`` says how a
user would make the same check. Schemas are loaded once per process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from extractor import bounds
from extractor.model import Check

# Recogniser name (see files.py) → check-jsonschema builtin schema.
BUILTIN_SCHEMAS = {"github-workflow": "vendor.github-workflows", "docker-compose": "vendor.compose-spec"}
# shellcheck findings that are noise for tutorial commands typed at a prompt.
SHELLCHECK_EXCLUDE = "SC2164,SC2034,SC2154,SC1091,SC2155"
K8S_VERSION = "1.30"


def _yaml11_keys(doc: Any) -> Any:
    """PyYAML reads ``on:`` as True (YAML 1.1); schemas expect the string."""
    if isinstance(doc, dict):
        return {({True: "on", False: "off"}.get(k, k) if isinstance(k, bool) else k): _yaml11_keys(v)
                for k, v in doc.items()}
    if isinstance(doc, list):
        return [_yaml11_keys(v) for v in doc]
    return doc


def yaml_check(text: str, name: str) -> Check:
    command = f"python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' {name}"
    try:
        bounds.load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        return Check("yaml", command, False, f"{where}{getattr(e, 'problem', None) or e}")
    return Check("yaml", command, True)


def json_check(text: str, name: str, comments: bool = False) -> Check:
    """Strict JSON; with ``comments`` (tsconfig.json, a block labelled jsonc/json5) the // and
    /* */ comments the consuming tool allows are removed first."""
    command = f"python3 -m json.tool {name}"
    note = "checked with its comments removed (this kind of file allows them)" if comments else ""
    if comments:
        from extractor.understand.classify import strip_json_comments

        text = strip_json_comments(text)
    try:
        bounds.load_json(text)
    except json.JSONDecodeError as e:
        return Check("json", command, False, f"line {e.lineno}, column {e.colno}: {e.msg}")
    return Check("json", command, True, note)


@lru_cache(maxsize=8)
def _builtin_validator(schema_name: str) -> jsonschema.protocols.Validator:
    from check_jsonschema.builtin_schemas import get_builtin_schema

    schema = get_builtin_schema(schema_name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)  # type: ignore[no-any-return]


def _error_text(error: jsonschema.ValidationError) -> str:
    path = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{path}: {error.message[:300]}"


def schema_check(recogniser: str, docs: tuple[Any, ...], name: str) -> Check | None:
    schema_name = BUILTIN_SCHEMAS.get(recogniser)
    if schema_name is None:
        return None
    command = f"check-jsonschema --builtin-schema {schema_name} {name}"
    validator = _builtin_validator(schema_name)
    for doc in docs:
        errors = sorted(validator.iter_errors(_yaml11_keys(doc)), key=lambda e: list(e.absolute_path))
        if errors:
            return Check(f"schema:{recogniser}", command, False, "; ".join(_error_text(e) for e in errors[:3]))
    return Check(f"schema:{recogniser}", command, True)


@lru_cache(maxsize=256)
def _k8s_validator(kind: str, api_version: str) -> jsonschema.protocols.Validator | None:
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    version = [v for v in utils.all_versions() if utils.major_minor(v) <= K8S_VERSION][-1]
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    folder = f"kubernetes-json-schema/v{version}-local"
    try:
        schema = utils.schema_contents(f"{folder}/{kind.lower()}-{api}.json", version)
        defs = utils.schema_contents(f"{folder}/_definitions.json", version)
    except (FileNotFoundError, OSError, ValueError):
        return None
    registry: Registry[Any] = Resource.from_contents(defs) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def kubernetes_check(docs: tuple[Any, ...], name: str) -> Check:
    command = f"kubernetes-validate -k {K8S_VERSION} {name}"
    problems, unknown = [], []
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            continue
        validator = _k8s_validator(str(doc["kind"]), str(doc["apiVersion"]))
        if validator is None:
            unknown.append(f"{doc['kind']} ({doc['apiVersion']})")
            continue
        problems += [f"{doc['kind']}: {_error_text(e)}" for e in validator.iter_errors(doc)][:3]
    message = "; ".join(problems)
    if unknown:
        message += ("; " if message else "") + "no bundled schema for " + ", ".join(unknown) + " (not checked)"
    return Check("schema:kubernetes", command, not problems, message)


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


@lru_cache(maxsize=64)
def bash_syntax(script: str, name: str) -> Check:
    command = f"bash -n {name}"
    bash = shutil.which("bash")
    if bash is None:
        return Check("bash-syntax", command, True, "bash not found; not checked")
    bounds.check_shell(script)
    try:
        # extglob on: a step before may have set it, and the run says whether it had
        run = subprocess.run(bounds.limited([bash, "-O", "extglob", "-n"]), input=script, capture_output=True,
                             text=True, timeout=bounds.TOOL_CPU_SECONDS)
    except subprocess.TimeoutExpired:
        return Check("bash-syntax", command, True, f"took longer than {bounds.TOOL_CPU_SECONDS}s; not checked")
    if run.returncode > 2:  # killed at a limit (bash -n itself exits 0 or 2)
        return Check("bash-syntax", command, True, f"stopped at a limit (exit {run.returncode}); not checked")
    message = "; ".join(re.sub(r"^\S*bash: ", "", line) for line in run.stderr.strip().splitlines())
    return Check("bash-syntax", command, run.returncode == 0, message)


@lru_cache(maxsize=64)
def shellcheck(script: str, name: str) -> Check:
    command = f"shellcheck --shell=bash --severity=warning --exclude={SHELLCHECK_EXCLUDE} {name}"
    binary = _tool("shellcheck")
    if binary is None:
        return Check("shellcheck", command, True, "shellcheck not found; not checked")
    bounds.check_shell(script)
    try:
        run = subprocess.run(
            bounds.limited([binary, "--shell=bash", "--severity=warning", f"--exclude={SHELLCHECK_EXCLUDE}",
                            "--format=json1", "-"]), input=script, capture_output=True, text=True,
            timeout=bounds.TOOL_CPU_SECONDS, env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired:
        return Check("shellcheck", command, True, f"took longer than {bounds.TOOL_CPU_SECONDS}s; not checked")
    if run.returncode not in (0, 1):  # 0 clean, 1 findings; anything else: stopped at a limit or broken
        return Check("shellcheck", command, True, f"stopped (exit {run.returncode}); not checked")
    try:
        comments = json.loads(run.stdout or "{}").get("comments", [])
    except ValueError:
        return Check("shellcheck", command, True, "unreadable shellcheck output; not checked")
    findings = [f"line {c['line']}: SC{c['code']} ({c['level']}): {c['message']}" for c in comments]
    return Check("shellcheck", command, not any(c["level"] == "error" for c in comments), "; ".join(findings))


_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def run_scripts(docs: tuple[Any, ...]) -> str:
    """The ``run:`` scripts of CI steps in YAML documents, ``${{ }}`` expressions made variables."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            run = node.get("run")
            if isinstance(run, str):
                found.append(_EXPRESSION.sub("$CI_EXPRESSION", run).rstrip("\n"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for doc in docs:
        walk(doc)
    return "\n".join(found) + "\n" if found else ""


def toml_check(text: str, name: str) -> Check:
    import tomllib

    command = f"python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], \"rb\"))' {name}"
    try:
        bounds.load_toml(text)
    except tomllib.TOMLDecodeError as e:
        return Check("toml", command, False, str(e))
    return Check("toml", command, True)


def python_check(text: str, name: str) -> Check:
    from extractor.understand.python import compile_error

    error = compile_error(text)
    return Check("python-compile", f"python3 -m py_compile {name}", error is None, error or "")
