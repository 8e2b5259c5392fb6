"""One code block understood: its kind and language, steps and file name (its static checks
and defects: :mod:`.blockchecks`).

Needs are added later, article-wide (they depend on what earlier blocks set up); see
:mod:`extractor.understand.article`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractor.model import CodeBlock, Step
from extractor.understand import (
    callouts,
    consoles,
    files,
    prose,
    python,
    shellsplit,
    titles,
    transcript,
)
from extractor.understand.alternatives import mark as mark_alternatives
from extractor.understand.classify import Reading, Shape, classify, run_by_name
from extractor.understand.classify import named_commands as classify_named
from extractor.understand.prompts import Prompts, display
from extractor.understand.prose import introduces_output, printed_data


@dataclass(frozen=True)
class Context:
    """What surrounds a block: the article's prompts, the prose before and after it."""

    prompts: Prompts
    before: str = ""
    after: str = ""
    later_vars: frozenset[str] = frozenset()  # variables the article's later code blocks expand
    programs: frozenset[str] = frozenset()  # programs the article names (see named.py)
    console: str | None = None  # the console every prompt of the article is typed at (``octave``)


@dataclass(frozen=True)
class Understood:
    """A block with kind, lang, prompt, steps and file name filled in, plus what the
    article pass needs: each step's working directory and whether it was cut off."""

    block: CodeBlock
    reading: Reading
    workdirs: tuple[str | None, ...] = ()
    complete: tuple[bool, ...] = ()
    recogniser: str | None = None
    default_name: str | None = None  # the conventional name, if nothing names the file
    part_of: str | None = None  # the file an excerpt is part of
    adds: bool = False  # lines the prose adds to a file of the reader's own (~/.bashrc), not its whole text
    whole: bool = False  # the prose says to create it: the whole file
    yours: bool = False  # ``adds`` only because the prose calls the file the reader's ("your `conftest.py`")
    platform: str = ""  # another system the prose says the block is for ("On Windows,"): its steps need it


def _session(block: CodeBlock, v: Reading, ctx: Context, opened: consoles.Console | None = None) -> Understood:
    turns = transcript.split(block.text, ctx.prompts.for_block(block.text), opened)
    langs = [t.prompt.shape if t.prompt.shape in consoles.BY_NAME else "shell" for t in turns]
    steps = []
    for n, (t, lang) in enumerate(zip(turns, langs, strict=True)):
        output = t.output
        if lang == "shell" and langs[n + 1:n + 2] not in ([], ["shell"]) and consoles.opened_by(t.command):
            output = None  # the console's greeting: a program prints it only to a terminal
        steps.append(Step(t.command, output, lang))
    steps = list(mark_alternatives(steps, block.text.split("\n"), [t.span for t in turns]))
    used = [lang for lang in langs if lang != "shell"]
    lang = consoles.BY_NAME[used[0]].language if used and "shell" not in langs else "shell"
    done = replace(block, lang=lang, kind="session", prompt=display(t.prompt for t in turns), steps=tuple(steps),
                   console=used[0] if used else None)
    return Understood(done, v, tuple(t.prompt.dir for t in turns), tuple(t.complete for t in turns))


def _pycon(block: CodeBlock, v: Reading) -> Understood:
    ipython = python.prompt_of(block.text) == "In [1]: "  # IPython echoes no value after a trailing ;
    steps = tuple(Step(e.source, e.want, "ipython" if python.ipython_syntax(e.source) else "python",
                       pasted=ipython and e.want is None and e.source.rstrip().endswith(";"))
                  for e in python.examples(block.text))
    done = replace(block, lang="python", kind="session", prompt=python.prompt_of(block.text), steps=steps)
    return Understood(done, v, (None,) * len(steps), (True,) * len(steps))


# A line a program printed, not one a reader types: it starts with a word no shell knows and
# carries a count, a list or a status ("added 57 packages, and audited 58 packages in 2s",
# "found 0 vulnerabilities", "Successfully installed flask-3.0.0") and no shell syntax.
_PRINTED = re.compile(r"\d|, |: |\.\.\.|!$")
_SHELL_SYNTAX = re.compile(r"(^|\s)-{1,2}\w|[|<>;`$=&]|^\S+/\S")


def _printed(line: str) -> bool:
    from extractor.understand import words

    text = line.strip()
    word = words.first_word(text)
    return (bool(text) and not words.is_known_program(word) and word[:1].isalpha()
            and bool(_PRINTED.search(text)) and not _SHELL_SYNTAX.search(text))


def _commands(block: CodeBlock, v: Reading, named: frozenset[str] = frozenset()) -> Understood:
    """Prompt-less commands. A run of printed lines right after a command (no prompt to tell
    them apart, as in many posts) is that command's recorded output, not a command of its own,
    unless it runs a program the prose says the block runs (``named``)."""
    lines = [line.rstrip() for line in block.text.split("\n")]
    spans = shellsplit.split_commands(lines)
    merged: list[tuple[shellsplit.Span, str | None]] = []
    end = 0  # where the text taken so far ends (blank lines inside an output are kept)
    for span in spans:
        own = lines[span.start:span.end]
        if merged and len(own) == 1 and _printed(own[0]) and own[0].split()[0] not in named:
            prev, out = merged[-1]
            gap = lines[end:span.start] if out else []
            merged[-1] = (prev, (out or "") + "".join(f"{line}\n" for line in [*gap, own[0]]))
        else:
            merged.append((span, None))
        end = span.end
    steps = mark_alternatives([Step("\n".join(lines[s.start:s.end]).rstrip(), out, "shell") for s, out in merged],
                              lines, [(s.start, s.end) for s, _ in merged])
    kind = "session" if any(out for _, out in merged) else "commands"
    done = replace(block, lang="shell", kind=kind, steps=steps)
    return Understood(done, v, (None,) * len(steps), tuple(s.complete for s, _ in merged))


def _command_then_output(block: CodeBlock, v: Reading) -> Understood:
    lines = block.text.rstrip("\n").split("\n")
    span = shellsplit.split_commands(lines)[0]
    command = "\n".join(lines[span.start:span.end]).rstrip()
    output = "".join(f"{line}\n" for line in lines[span.end:]).lstrip("\n")
    done = replace(block, lang="shell", kind="session", steps=(Step(command, output or None, "shell"),))
    return Understood(done, v, (None,), (True,))


_DEFAULT_NAMES = {"go": "main.go", "dockerfile": "Dockerfile", "shell": "script.sh", "python": "main.py",
                  "makefile": "Makefile"}


def _document(block: CodeBlock, v: Reading, ctx: Context) -> Understood:
    found = files.recognise(v.lang, v.docs)
    told = files.told_to_save(ctx.before, v.lang)
    # a first-line comment names a complete file; on an excerpt it names where it comes from
    named = told or files.named_in_comment(block.text, v.lang) or files.from_prose(ctx.before, ctx.after, v.lang)
    kind = v.kind
    if found is not None:
        kind = "file" if found[1] else "fragment"
    elif told and (not v.docs or isinstance(v.docs[0], (dict, list))):
        kind = "file"  # the sentence right before the block names the file it goes in (a whole
        # document: a parsed YAML/JSON mapping or list; a language without a parser is taken at its word)
    if kind == "fragment" and v.lang in ("json", "yaml") and v.docs and printed_data(ctx.before):
        kind = "output"  # "The API responds with:" — a document a program printed, not one to write
    default = found[0].filename(v.docs[0]) if found else _DEFAULT_NAMES.get(v.lang)
    done = replace(block, lang=v.lang, kind=kind, filename=named if kind == "file" else None)
    return Understood(done, v, recogniser=found[0].name if found else None, default_name=default)


_DOTENV_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=(?!=)\S*$")


def expanded_vars(text: str) -> frozenset[str]:
    """The variable names ``text`` expands (``$NAME``, ``${NAME}``)."""
    return frozenset(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))


def _dotenv(block: CodeBlock, v: Reading, ctx: Context) -> Understood | None:
    """``NAME=value`` lines and nothing else are an environment file (``.env``), not commands,
    when the prose says to save them as one or no later block expands the variables they set
    (run as commands they would set shell variables nobody reads)."""
    lines = [line.strip() for line in block.text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines or not all(_DOTENV_LINE.match(line) for line in lines):
        return None
    named = files.told_to_save(ctx.before, "dotenv")
    names = {line.split("=", 1)[0] for line in lines}
    used = ctx.later_vars
    if not named and (names & used or v.shape == Shape.COMMAND_THEN_OUTPUT):
        return None
    kind = "file" if named else "fragment"
    return Understood(replace(block, lang="dotenv", kind=kind, filename=named), replace(v, lang="dotenv", kind=kind))


def _python(block: CodeBlock, v: Reading, ctx: Context) -> Understood:
    program = python.is_program(block.text)
    named = files.told_to_save(ctx.before, "python") or (program and (
        files.named_in_comment(block.text, "python") or files.from_prose(ctx.before, ctx.after, "python")))
    if named and python.parse(block.text) is not None:
        return Understood(replace(block, lang="python", kind="file", filename=named), v)
    if not program:
        return Understood(replace(block, lang="python", kind="fragment"), v)
    step = Step(block.text.rstrip() + "\n", None, "python")
    return Understood(replace(block, lang="python", kind="commands", steps=(step,)), v, (None,), (True,))


# Languages whose documents the classifier parses (a titled listing of them that does not parse is an excerpt).
PARSED = frozenset({"json", "yaml", "toml"})


def _titled(block: CodeBlock, v: Reading, ctx: Context, path: str, edit: bool = False) -> Understood:
    """A listing the page titles with a path is that file, in the language the path says
    (else the label's). When it shows only part of the file (lines left out, changed lines
    highlighted, not parsing, a Go listing without its package clause) or the prose asks to
    change a file ("Edit `Cargo.toml` and add..."), it is an excerpt: a fragment, never written
    over the file; ``part_of`` keeps the path so that a later pass can see whether it is in
    fact the next whole version (it repeats the last one)."""
    lang = files.lang_of(path) or ("text" if v.kind in ("commands", "output", "session") else v.lang)
    v = classify(block.text, lang, ctx.prompts) if lang != v.lang else v
    found = files.recognise(lang, v.docs)
    # a file in the reader's home (~/.bashrc), a new one in a system's drop-in folder
    # (/etc/apt/preferences.d/x) or one the prose calls theirs ("to your package `__init__.py`") is
    # never shown whole: lines the prose asks to add to it are all the article gives of it (not so
    # a system file that exists, /etc/rsyslog.conf)
    yours = not _OWN_FILE.match(path) and titles.of_yours(ctx.before, path)
    outside = bool(_OWN_FILE.match(path) or yours) and titles.only_adds(ctx.before)
    why = files.excerpt_reason(block.text, block.highlighted) or _incomplete(block.text, lang, v) or (
        "the prose asks to change the file, not to write it" if edit and not outside else None)
    kind = "fragment" if why else "file"
    notes = (*block.notes, f"an excerpt of {path}: {why}") if why else block.notes
    if edit and outside and not why:
        notes = (*notes, f"lines to add to {path}, a file of the reader's own: written as the article gives them")
    done = replace(block, lang=lang, kind=kind, filename=None if why else path, prompt=None, steps=(), notes=notes)
    return Understood(done, replace(v, lang=lang, kind=kind), recogniser=found[0].name if found else None,
                      part_of=path if why else None, adds=edit and outside and not why, yours=yours,
                      whole=not why and not edit and titles.makes_a_file(ctx.before))


_OWN_FILE = re.compile(r"~/|/(?:[\w.-]+/)*[\w-]+\.d/[^/]+$")


def _incomplete(text: str, lang: str, v: Reading) -> str | None:
    """Why a listing cannot be the whole file in its language, if it cannot."""
    if lang == "python" and python.parse(text) is None:
        return "it does not parse as Python"
    if lang in PARSED and not v.docs:
        return f"it does not parse as {lang.upper()}"
    if lang == "go" and v.kind != "file":
        return "it has no package clause"
    return None


# Languages a listing is a program or document in (a name the prose gives it makes it that file).
_NAMEABLE = frozenset({"python", "yaml", "json", "toml", "go", "rust", "c", "cpp", "java", "javascript",
                       "typescript", "html", "css", "markdown", "ini", "makefile", "dockerfile", "hcl", "sql"})


def _named(block: CodeBlock, v: Reading, ctx: Context) -> tuple[str, bool] | None:
    """The file a listing is, by its first-line comment (``# content of test_x.py``) or the
    sentence that introduces it ("in a file `hello.rs`:", "a `main.rs` that looked like this:",
    "editing the configuration file: `mkdocs.yml`"), and whether the prose asks to change
    that file rather than write it."""
    if v.shape == Shape.PLAIN_TEXT:  # "by creating the following `debian/x.install` file:", "and the file x.md:"
        plain = titles.introduced_as(ctx.before, "any", file_word=not titles.makes_a_file(ctx.before))
        return (plain, False) if plain else None
    if v.lang not in _NAMEABLE:
        return None
    commented = files.named_in_comment(block.text, v.lang)
    if commented:
        return commented, False
    named = titles.introduced_as(ctx.before, v.lang) or (
        titles.named_nearby(ctx.before, v.lang) if v.lang in PARSED and v.docs else None)
    return (named, titles.asks_to_change(ctx.before)) if named else None


def _named_after(v: Reading, ctx: Context) -> tuple[str, bool] | None:
    """A listing that is no command, named by the prose after it ("the above function should be
    in a file `helloworld.cc`")."""
    after = titles.named_after(ctx.after) if v.kind in ("text", "fragment", "file") else None
    return (after, False) if after else None


def _prompt_less(block: CodeBlock, ctx: Context) -> Understood | None:
    """Plain text a reader takes for what the article types: statements at the console of all its
    prompts, announced by the prose (``help plot`` after "For example,", in Octave's manual); else
    commands of the programs the article names (``ccache gcc -c x.c``)."""
    lines = [line for line in block.text.split("\n") if line.strip()]
    if prose.speaks_of_lines(ctx.before):
        return None  # "start it with a line like this:": a line of some file
    if ctx.console is not None:
        if not prose.introduces_command(ctx.before, examples=True) or len(lines) > 3:
            return None
        console = consoles.BY_NAME[ctx.console]
        steps = tuple(Step(line.strip(), None, console.name) for line in lines)
        done = replace(block, lang=console.language, kind="commands", steps=steps, console=console.name)
        return Understood(done, Reading(console.language, "commands", f"statements at the {console.name} console "
                                        "the article types at"), (None,) * len(steps), (True,) * len(steps))
    if classify_named(block.text, ctx.programs):
        return _commands(block, Reading("shell", "commands", "commands of a program the article names"))
    return None


def understand(block: CodeBlock, ctx: Context) -> Understood:
    """Kind, lang, prompt, steps of ``block``, and its file name when the page titles it or
    the prose gives one (names from later commands and content are given article-wide, see
    article.py)."""
    text, marks = callouts.strip(block.text)
    if marks:  # callouts explain lines; they are not part of what is run or written
        block = replace(block, text=text, notes=(*block.notes, *marks))
    v = classify(block.text, block.label, ctx.prompts)
    titled = titles.caption_path(block.caption) or titles.label_line(ctx.before) or titles.caption_path(
        titles.bold_title(ctx.before))  # a DocBook title line keeps its code marks: "The `control` file"
    if block.caption and not titled and block.caption.endswith(":"):  # a title that is a sentence
        ctx = replace(ctx, before=f"{ctx.before}\n\n{block.caption}")  # ("create the file x.md:") reads as prose
    named = (titled, False) if titled else _named(block, v, ctx) or _named_after(v, ctx)
    if named and v.kind != "session":
        return _titled(block, v, ctx, *named)
    if v.shape == Shape.COMMAND_THEN_OUTPUT:
        return _command_then_output(block, v)
    if v.kind == "session":
        return _pycon(block, v) if v.lang == "python" else _session(block, v, ctx)
    if (typed_at := consoles.labelled(block.label, block.text)) is not None:
        return _session(block, v, ctx, typed_at)  # a js block of "> " lines: Node's REPL
    title = block.caption or titles.bold_title(ctx.before) or ""
    if v.kind == "output" and run_by_name(block.text, block.label, runs := prose.programs_run(ctx.before)):
        return _commands(block, Reading("shell", "commands", "commands of a program the prose names"), runs)
    lang = "any" if v.shape == Shape.PLAIN_TEXT else v.lang
    if v.kind in ("commands", "fragment", "text") and (
            into := titles.lines_for(ctx.before, lang=lang) or titles.lines_for(title, title=True)):
        return _titled(block, v, ctx, into, titles.asks_to_change(ctx.before))  # lines for ~/.bashrc, not commands
    if v.shape == Shape.PLAIN_TEXT and (found := _prompt_less(block, ctx)) is not None:
        return found
    if v.kind == "commands":
        return _dotenv(block, v, ctx) or _commands(block, v)
    if v.lang == "python":
        return _python(block, v, ctx)
    if v.kind in ("file", "fragment"):
        return _document(block, v, ctx)
    if v.shape == Shape.PLAIN_TEXT and (told := files.told_to_save(ctx.before, "any")):
        return _titled(block, v, ctx, told)  # requirements.txt, .gitignore, README.md
    if v.shape == Shape.PLAIN_TEXT and introduces_output(ctx.before):
        v = replace(v, kind="output", why="program output (the prose says so)", shape=Shape.OTHER)
    return Understood(replace(block, lang=v.lang, kind=v.kind), v)
