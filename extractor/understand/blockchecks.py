"""The static checks and defects of one understood block: what can be said of it without
running it (bash syntax, shellcheck, YAML/TOML/JSON parses, schemas, Python compiles, a test
run's report), and what its text gets wrong (a lying label, autolinks, commands cut off,
typography)."""

from __future__ import annotations

from extractor.model import Check
from extractor.understand import checks, defects, python, shellsplit
from extractor.understand.block import Understood
from extractor.understand.classify import Shape
from extractor.understand.prompts import windows_shell
from extractor.understand.runner_reports import report_checks

# Files whose tools accept // and /* */ comments in JSON.
COMMENTED_JSON = frozenset({"tsconfig"})



def _name(u: Understood) -> str:
    ext = {"yaml": "yaml", "json": "json", "python": "py", "shell": "sh", "go": "go", "toml": "toml"}.get(
        u.block.lang, "txt")
    return u.block.filename or f"block-{u.block.index}.{ext}"


def static_checks(u: Understood) -> tuple[Check, ...]:
    b, name = u.block, _name(u)
    found: list[Check] = []
    windows = windows_shell(b.prompt) is not None  # PowerShell/cmd: not bash syntax
    shell_steps = [s.command for s in b.steps if s.lang == "shell" and not windows  # ``$ ...``: not a command
                   and not any(n.startswith("elided:") for n in s.needs)]
    if shell_steps:  # a <placeholder> is checked as the word the reader puts there
        script = shellsplit.masked("\n".join(shell_steps) + "\n")
        found += [checks.bash_syntax(script, name), checks.shellcheck(script, name), *report_checks(b.steps, name)]
        manifests = tuple(d for c in shell_steps if "kubectl" in c for d in _manifests(c))
        if manifests:
            found.append(checks.kubernetes_check(manifests, f"{name} (the manifests piped to kubectl)"))
    if b.kind == "file" and b.lang == "shell":
        found += [checks.bash_syntax(b.text, name), checks.shellcheck(b.text, name)]
    if b.lang == "yaml" and b.kind in ("file", "fragment"):
        found.append(checks.yaml_check(b.text, name))
        scripts = checks.run_scripts(u.reading.docs)
        if scripts:  # GitHub Actions / CI steps: their run: lines are shell
            where = f"{name} (its run: scripts)"
            found += [checks.bash_syntax(scripts, where), checks.shellcheck(scripts, where)]
    if b.lang == "toml" and b.kind in ("file", "fragment"):
        found.append(checks.toml_check(b.text, name))
    if b.lang == "json" and b.kind in ("file", "fragment"):
        comments = u.reading.shape == Shape.JSON_WITH_COMMENTS and (
            u.recogniser in COMMENTED_JSON or (b.label or "").lower() in ("jsonc", "json5"))
        found.append(checks.json_check(b.text, name, comments))
    if u.recogniser == "kubernetes":
        found.append(checks.kubernetes_check(u.reading.docs, name))
    elif u.recogniser and b.kind == "file":
        schema = checks.schema_check(u.recogniser, u.reading.docs, name)
        found += [schema] if schema else []
    if b.lang == "python" and (b.kind in ("file", "commands")
                               or b.kind == "fragment" and python.compile_error(b.text) is None):
        found.append(checks.python_check(b.text, name))
    return tuple(found)


def _manifests(command: str) -> list[dict[str, object]]:
    from extractor.understand.kube import embedded_docs

    return [d for d in embedded_docs(command) if "kind" in d and "apiVersion" in d]


def block_defects(u: Understood) -> tuple[str, ...]:
    b = u.block
    found = defects.lying_label(b.label, b.lang, b.kind, u.reading.why)
    found += defects.autolinks(b.steps)
    found += defects.cut_commands(b.steps, u.complete)
    found += defects.typography(b.steps)
    if b.lang == "shell":
        found += defects.broken_continuations(b.text)
    return tuple(found)
