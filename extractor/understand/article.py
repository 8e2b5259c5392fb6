"""An article's code blocks understood in order: first what each block is (its steps and
file name), then what each step needs, which depends on what earlier steps set up."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

from extractor.bounds import OverBound, check_size
from extractor.directives import DirectiveKind
from extractor.model import Block, Check, CodeBlock, Facts, ProseBlock, Step
from extractor.understand import (
    answers,
    assumed,
    captions,
    consoles,
    defects,
    editors,
    files,
    kube,
    layouts,
    named,
    needs,
    outcomes,
    pasted,
    paths,
    pieces,
    pyneeds,
    python,
    services,
    titles,
    toolchains,
    versions,
)
from extractor.understand.block import Context, Understood, expanded_vars, understand
from extractor.understand.blockchecks import block_defects, static_checks
from extractor.understand.facts import command_facts, text_facts
from extractor.understand.made import norm
from extractor.understand.outputs import attach_outputs
from extractor.understand.placeholders import in_output
from extractor.understand.prompts import learn, windows_shell
from extractor.understand.prose import other_platform
from extractor.understand.tables import LABEL_LANGS


def _contexts(blocks: tuple[Block, ...]) -> list[Context]:
    """One context per code block, in order: the prose since the previous code block, and
    the prose up to the next one."""
    codes = [b for b in blocks if isinstance(b, CodeBlock)]
    prompts = learn(b.text for b in codes)
    befores: list[str] = []
    afters: list[str] = []
    prose: list[str] = []
    for block in blocks:
        if isinstance(block, ProseBlock):
            prose.append(block.markdown)
        elif isinstance(block, CodeBlock):
            if befores:
                afters.append("\n\n".join(prose))
            befores.append("\n\n".join(prose))
            prose = []
    if befores:
        afters.append("\n\n".join(prose))
    # What later blocks expand, gathered backwards and shared: the texts of all later blocks per
    # block would be quadratic (10,000 blocks held gigabytes).
    later: list[frozenset[str]] = [frozenset()] * len(codes)
    for n in range(len(codes) - 2, -1, -1):
        found = expanded_vars(codes[n + 1].text)
        later[n] = later[n + 1] if found <= later[n + 1] else later[n + 1] | found
    programs = named.named_programs((b.markdown for b in blocks if isinstance(b, ProseBlock)), (b.text for b in codes))
    console = named.only_console(b.text for b in codes)
    return [Context(prompts, before, after, later[n], programs, console)
            for n, (before, after) in enumerate(zip(befores, afters, strict=True))]


def _answered(step: Step, labels: tuple[str, ...]) -> Step:
    """The step with its needs and the answers the transcript shows typed at its prompts (and,
    for a shell's ``read``, the lines a terminal echoed for them); with no answer shown, the step
    is interactive."""
    asked = (answers.python_asked if step.lang == "python" else answers.shell_asked)(step.command)
    if not asked.asks:
        return replace(step, needs=labels)
    found = answers.answers(asked, step.expected_output)
    if found is None:
        return replace(step, needs=tuple(sorted({*labels, answers.INTERACTIVE})))
    echoed = answers.typed_lines(asked, found) if step.lang == "shell" else ()
    return replace(step, needs=labels, answers=found, echoed=echoed)


def _written_state(command: str, labels: tuple[str, ...], made: needs.Made, written: set[str],
                   known_vars: set[str], workdir: str | None) -> tuple[str, ...]:
    """Without ``state`` when what the step uses that its block did not make are files the article saves."""
    trial = copy.deepcopy(made)
    trial.paths |= written
    return labels if "state" in needs.step_needs(command, trial, set(known_vars), workdir) else \
        tuple(n for n in labels if n != "state")


def _with_needs(u: Understood, known_vars: set[str], local: set[str],
                projects: toolchains.Projects | None = None, given: assumed.Given | None = None,
                urls: pyneeds.UrlNames | None = None, still_open: dict[str, str] | None = None) -> CodeBlock:
    """The block with its steps' needs; ``still_open`` (console → its opener) holds the consoles the
    article opened and did not leave, which a later block typed at one continues."""
    b = u.block
    made = needs.Made()
    steps = []
    windows = windows_shell(b.prompt)
    still_open = {} if still_open is None else still_open
    opened: dict[str, str] = {}  # console → the step of the block that opened it (``psql shop``)
    for step, workdir in zip(b.steps, u.workdirs or (None,) * len(b.steps), strict=False):
        unset: list[str] = []
        if step.lang == "shell":
            unset = needs.unset_variables(step.command, made, known_vars)  # before step_needs updates `made`
            before = copy.deepcopy(made)
            step_needs = needs.step_needs(step.command, made, known_vars, workdir, projects)
            if given is not None and "state" in step_needs and given.written:
                step_needs = _written_state(step.command, step_needs, before, given.written, known_vars, workdir)
            if given is not None:  # what the whole article never gave: the reader's own, or an earlier page's
                found = assumed.assumed(step.command, made.unmade, given, step.expected_output)
                missing = assumed.as_needs(found) + [
                    f"excerpt:{path}:{block}" for path, block in assumed.changed_in_part(step.command, given)[:1]]
                relies = ["state"] if assumed.made_by_steps(step.command, given) else []
                step_needs = tuple(sorted({*step_needs, *missing, *relies}))
                given.saw_step(step.command, made.paths, made.opaque)
            if windows:  # PowerShell/cmd at a Windows prompt: not bash; the sandbox (Linux) has neither shell
                step_needs = tuple(sorted({f"tool:{windows}", *step_needs}))
            if u.platform:  # "On Windows, ...": for another system than the sandbox's Linux
                step_needs = tuple(sorted({f"os:{u.platform}", *step_needs}))
            opened |= {c.name: step.command for c in (consoles.opened_by(step.command),) if c is not None}
            still_open |= opened
        elif step.lang in consoles.BY_NAME:
            step_needs = consoles.needs(step.lang, step.command)
            step = replace(step, console=opened.get(step.lang) or consoles.continued(step.lang, b.prompt, still_open)
                           or consoles.opener(step.lang, b.prompt))
            if given is not None and (read := consoles.reads(step.lang, step.command)):  # ``.read setup.sql``
                step_needs = (*step_needs, *assumed.as_needs(assumed.assumed("", [norm(r) for r in read], given)))
            if given is not None:  # ``.output rows.txt``: a file later steps read
                given.saw_step("", {norm(w) for w in consoles.writes(step.lang, step.command)}, False)
            step_needs = (*step_needs, *(n for n in needs.text_needs(step.command, run=True) if n == "placeholder"))
            if consoles.leaves(step.command):
                opened.pop(step.lang, None)
                still_open.pop(step.lang, None)
        else:
            step_needs = pyneeds.python_needs(step, local, given, urls)
        if step.lang == "shell" or step.lang in consoles.BY_NAME:  # ``$ ...``: lines left out, not a command
            step_needs = tuple(f"elided:{line}" for line in (files.elision(step.command),) if line) or step_needs
        if in_output(step.expected_output):  # the author's own value left out of what it printed
            step_needs = tuple(sorted({*step_needs, "placeholder"}))
        step = _answered(step, step_needs)
        facts = command_facts(step.command, step.needs, unset, shell=step.lang == "shell", output=step.expected_output,
                              python_step=step.lang == "python")
        steps.append(replace(step, client_check=kube.client_check_of(step.command) if step.lang == "shell" else (),
                             port=services.server_port(step.command) if facts.serves else None, facts=facts))
    known_vars |= made.variables
    union = {n for s in steps for n in s.needs}
    text_labels: tuple[str, ...] = ()
    if b.kind in ("file", "fragment"):
        text_labels = needs.text_needs(b.text)
        if b.kind == "file" and b.lang == "python":  # a saved module (a conftest.py) is imported by what runs it
            text_labels = (*text_labels, *sorted(python.imported_needs(b.text, local)))
        if b.filename and paths.system_path(b.filename):  # /etc/udev/rules.d/x.rules: written as root
            text_labels = (*text_labels, "root")
        union |= set(text_labels)
    return replace(b, steps=tuple(steps), needs=tuple(sorted(union)), facts=text_facts(b.text, text_labels, b.filename))


def _fallback(block: CodeBlock, error: Exception, where: str) -> CodeBlock:
    if isinstance(error, OverBound):  # untrusted text over a parser bound: kept, not analysed
        return replace(block, lang="text", kind="text", prompt=None, steps=(), filename=None, needs=(),
                       defects=(f"not analysed: {error.what}",), checks=())
    note = (f"{where} › block {block.index}: not understood (internal error {type(error).__name__}: "
            f"{error}); kept as text")
    check = Check("understand", "tutorcheck extract", False, note)
    return replace(block, lang="text", kind="text", prompt=None, steps=(), filename=None, needs=(),
                   defects=(), checks=(check,))


def understand_article(blocks: tuple[Block, ...], where: str = "") -> tuple[Block, ...]:
    """Every code block of an article understood; ``where`` names the article in notes.

    An internal error on one block never escapes: that block becomes text with a failed
    ``understand`` check saying why, and the other blocks go on.
    """
    codes = [b for b in blocks if isinstance(b, CodeBlock)]
    contexts = _contexts(blocks)
    done: list[CodeBlock] = list(codes)
    firsts: list[Understood | None] = []
    for n, (block, ctx) in enumerate(zip(codes, contexts, strict=True)):
        try:
            check_size(block.text, "code block")  # a 10 MB log is no step: kept as text
            read = understand(block, ctx)
            firsts.append(replace(read, platform=other_platform(ctx.before)) if read.block.steps else read)
        except Exception as e:  # noqa: BLE001 — never raise on odd input: the block becomes text
            firsts.append(None)
            done[n] = _fallback(block, e, where)
    text = "\n".join(b.markdown if isinstance(b, ProseBlock) else b.text for b in blocks)
    named = pieces.continued(layouts.placed(_name_files(firsts), text))
    firsts = pasted.pasted_definitions(attach_outputs(_follow_versions(named), contexts))
    local = pasted.local_modules([u.block for u in firsts if u])
    known_vars: set[str] = set()
    projects = toolchains.Projects()
    given = assumed.Given()
    urls = pyneeds.UrlNames()
    still_open: dict[str, str] = {}  # the consoles the article opened and has not left
    given.saw_builds(u.block.text for u in firsts if u)  # the programs the page's build files name, anywhere
    for n, first in enumerate(firsts):
        if first is None:
            continue
        for directive in first.block.directives:  # the author's file=PATH: a file the reader saves
            if directive.kind == DirectiveKind.FILE:
                given.wrote(norm(directive.value))
        try:
            filled = _with_needs(first, known_vars, local, projects, given, urls, still_open)
            if filled.kind == "file" and filled.filename:
                projects.saw_file(filled.filename, filled.content)
                given.wrote(norm(filled.filename), edit=titles.asks_to_change(contexts[n].before, filled.caption))
            if filled.excerpt_of:
                given.changed_in_part(norm(filled.excerpt_of), filled.index)
            if filled.lang == "python":
                given.saw_code(filled.text, f"block {filled.index}")
            final = replace(first, block=filled)
            checks = static_checks(final)
            evidence = defects.set_aside(filled.label, filled.lang, filled.kind, first.reading.why)
            done[n] = _not_shell(filled, checks) or replace(filled, checks=checks, defects=block_defects(final),
                                                            notes=(*filled.notes, *evidence))
        except Exception as e:  # noqa: BLE001
            done[n] = _fallback(codes[n], e, where)
    understood = iter(outcomes.expected_failures(_with_editors(done)))
    return tuple(next(understood) if isinstance(b, CodeBlock) else b for b in blocks)


def _not_shell(block: CodeBlock, checks: tuple[Check, ...]) -> CodeBlock | None:
    """A block read as shell only by the look of its lines (no prompt, no shell label) that bash
    cannot parse is another language's code (``eval ("bar = 3");`` typed at Octave): text."""
    if block.lang != "shell" or block.kind not in ("session", "commands") or block.prompt \
            or LABEL_LANGS.get((block.label or "").lower()) == "shell" \
            or not any(c.name == "bash-syntax" and not c.ok for c in checks):
        return None
    return replace(block, lang="text", kind="text", steps=(), needs=(), facts=Facts(), checks=(),
                   notes=(*block.notes, "not shell: bash cannot parse it, and no prompt or label says it is"))


def _with_editors(blocks: list[CodeBlock]) -> list[CodeBlock]:
    """Steps that open an editor carry what the reader writes there (a commit message from a
    later ``git log`` the article shows): the article's shell steps read in order."""
    flat = [(b, k, s) for b in blocks for k, s in enumerate(b.steps) if s.lang == "shell"]
    steps = [(s.command, s.expected_output) for _, _, s in flat]
    out = {id(b): list(b.steps) for b in blocks}
    for i, (b, k, s) in enumerate(flat):
        text = editors.edits(steps, i)
        if text is not None:
            out[id(b)][k] = replace(s, edits=text)
    return [replace(b, steps=tuple(out[id(b)])) if out[id(b)] != list(b.steps) else b for b in blocks]


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", name.lower()) if t and t not in {"yaml", "yml", "json", "github"}}


def _name_files(firsts: list[Understood | None]) -> list[Understood | None]:
    """Name the files the prose left unnamed: by the later commands that use them
    (``kubectl apply -f svc.yaml`` names the nearest unnamed file before it, preferring one
    whose content matches the name), else by their content's conventional name."""
    out = list(firsts)
    taken = {u.block.filename for u in out if u and u.block.filename}
    for m, user in enumerate(out):
        for step in user.block.steps if user else ():
            for name in files.names_in(step.command):
                unnamed = [k for k in range(m - 1, -1, -1) if (u := out[k]) and u.block.filename is None
                           and files.fits(name, u.block.lang) and (u.block.kind == "file" or _program_listing(u))]
                if name in taken or not unnamed:
                    continue
                best = max(unnamed, key=lambda k: len(_tokens(name) & _tokens(out[k].default_name or "")))  # type: ignore[union-attr]
                taken.add(name)
                u = out[best]
                assert u is not None
                if u.block.kind != "file":  # a whole program the command builds or runs by name
                    first = step.command.splitlines()[0][:60]
                    note = f"the file {name}: a later command uses it by that name ({first})"
                    u = replace(u, block=replace(u.block, kind="file", steps=(), notes=(*u.block.notes, note)))
                out[best] = replace(u, block=replace(u.block, filename=name))
    for k, u in enumerate(out):
        if u and u.block.kind == "file" and u.block.filename is None:
            out[k] = replace(u, block=replace(u.block, filename=u.default_name))
    return out


# Languages of programs a later command compiles or runs by file name (rustc hello.rs, gcc x.c).
_PROGRAM_LANGS = frozenset({"rust", "c", "cpp", "go", "java", "python", "javascript", "typescript"})


def _program_listing(u: Understood) -> bool:
    """A whole program listing not yet given a name: a fragment of a program language, or a
    Python program the block would run in place."""
    b = u.block
    return (b.lang in _PROGRAM_LANGS and u.part_of is None and _whole_listing(b)
            and (b.kind == "fragment" or b.kind == "commands" and b.lang == "python"))


def _whole_listing(block: CodeBlock) -> bool:
    return files.excerpt_reason(block.text, block.highlighted) is None and (
        block.lang != "python" or python.parse(block.text) is not None)


def _follow_versions(firsts: list[Understood | None]) -> list[Understood | None]:
    """Files followed across the versions an article shows (:mod:`.versions`), caption lines off (:mod:`.captions`)."""
    known = [u for u in firsts if u is not None]
    said = [(u.block, versions.Said(u.part_of, u.adds, u.whole, u.yours)) for u in known]
    followed = iter(versions.follow(said, lambda b: not _whole_listing(b)))
    return [replace(u, block=captions.uncaptioned(next(followed))) if u is not None else None for u in firsts]
