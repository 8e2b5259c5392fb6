"""Titles: what a page says a listing is called, and whether it asks to write or to change
that file. A generator's caption (read by :mod:`extractor.listing`), a "Filename:" line, a
bold title line, or the sentence that introduces the listing ("create a file called
`util.py`:", "in a file `hello.rs`:", "adding the following lines to your `~/.bashrc`:").
Whether the listing is then the whole file or an excerpt is decided in block.py with
:func:`.files.excerpt_reason`.
"""

from __future__ import annotations

import re

from extractor.understand.files import NAME, fits, prose_sentences

# What a title may say before the path: "Filename: src/main.rs", "File: app.py".
_TITLE_PREFIX = re.compile(r"^\W*(?:file\s*name|file|path|source(?: file)?)\s*:\s*", re.IGNORECASE)
# A prose line that is only a path, as a label over the listing: "**app/views.py**", "`Cargo.toml`:".
_LABEL_LINE = re.compile(r"^\s*[*`]*(?P<name>[^\s*`]+?)[*`]*\s*:?\s*$")


# A numbered title: "Example 15.6. ", "Listing 2: " (DocBook, Sphinx numfig, AsciiDoc).
_NUMBERED = re.compile(r"^(?:example|listing|figure|code|snippet)\s+[\d.]+\s*[.:]?\s*", re.IGNORECASE)
# "The falcot-data.desktop file", "the `app.py` file".
_THE_FILE = re.compile(r"(?:the\s+)?(\S+)\s+file", re.IGNORECASE)
# A name shown as code: `control`, `debian/rules`.
_CODE_NAME = re.compile(r"`[\w][\w./-]*`")


def caption_path(caption: str | None) -> str | None:
    """The path a listing's title names, folders kept ("src/main.rs", "Filename: app/views.py"),
    or None when the title is no path ("Output", "Terminal", "Listing 2")."""
    if not caption:
        return None
    text = _NUMBERED.sub("", caption.strip())
    text = _TITLE_PREFIX.sub("", text).strip("'\" ")
    m = _THE_FILE.fullmatch(text)
    if m and _CODE_NAME.fullmatch(m.group(1)):  # "The `control` file": a name shown as code, even without a dot
        return m.group(1).strip("`")
    text = (m.group(1) if m else text).strip("`'\" ")
    return text if NAME.fullmatch(text) else None


def bold_title(before: str) -> str | None:
    """A last prose line that is bold and nothing else: the listing's title (DocBook's
    ``<p><strong>Add to the ~/.bashrc file.</strong></p>``, many blogs' "**app.py**")."""
    lines = [line.strip() for line in before.split("\n") if line.strip()]
    if not lines or not (lines[-1].startswith("**") and lines[-1].endswith("**")) or len(lines[-1]) > _MAX_TITLE:
        return None
    return lines[-1].replace("**", "").replace("\\_", "_").strip() or None


_MAX_TITLE = 200


def label_line(before: str) -> str | None:
    """The path the prose's last line gives as a title over the listing: "Filename: src/main.rs",
    or a line that is only a path ("**app/views.py**")."""
    lines = [line for line in before.split("\n") if line.strip()]
    if not lines:
        return None
    last = lines[-1].strip().replace("\\_", "_")
    if _TITLE_PREFIX.match(last):
        return caption_path(last)
    m = _LABEL_LINE.match(last)
    return caption_path(m.group("name")) if m else None


# Words right before a name that make it the name of the listing that follows: "a file
# `hello.rs`", "a `main.rs` that looked like this", "this `conftest.py` will", "the `mkdocs.yml` file".
_DETERMINER = re.compile(r"(?:\b(?:a|an|the|this|that|your|our)\s+(?:(?:new|little|small|simple|sample|example|"
                         r"following|whole|complete|hello world|program|script|updated|resulting|final|modified|"
                         r"finished|revised)\s+)*(?:file\s+|in a file\s+)?|"
                         r"\bfile\s+|\b(?:called|named)\s+)$", re.IGNORECASE)
# Verbs that change a file the reader already has (the listing is the change, unless it turns out
# to repeat the whole file), as against verbs that make one (create, save as, a file called).
_CHANGE = re.compile(r"\b(?:edit|editing|modify|update|change|changing|add|adding|append|insert|extend|replace)\b",
                     re.IGNORECASE)
_MAKE = re.compile(r"\b(?:create|creating|save|new file|called|named|write|looks? like (?:this|so)|now (?:reads|looks)|"
                   r"replace (?:the |its )?(?:contents?|code|everything|it)\b)", re.IGNORECASE)


# "adding the following two lines in your `~/.bashrc` file", "put this into `.env`", "set these
# up in ~/.devscripts", "keep global settings in ~/.gbp.conf": lines that go
# into a file (a dotfile in the home directory included), not commands to run.
_LINES_FOR = re.compile(r"\b(?:add|adding|append|appending|put|putting|insert|place|paste|write|save|set|setting|"
                        r"configure|keep|kept|store|stored)\b.{0,60}?\b(?:to|in|into|inside|as)\s+(?:(?:your|the|a|an|our)\s+)?"
                        r"(?:[a-z][\w'’-]*\s+)?(?:file\s+)?[`*]*(?P<name>~/[\w./-]*\w|[\w./-]*\w)[`*]*", re.IGNORECASE)


_EDIT_FILE = re.compile(r"\b(?:edit|open|modify)\s+(?:your\s+|the\s+)?(?:file\s+)?[`*]*"
                        r"(?P<name>~/[\w./-]*\w|[\w./-]*\w)[`*]*", re.IGNORECASE)


_CREATE_FILE = re.compile(r"\b(?:create|creating|write|save)\s+(?:a\s+|the\s+|your\s+)?(?:new\s+)?(?:file\s+)?[`*]*"
                          r"(?P<name>~/[\w./-]*\w|[\w./-]*\w)[`*]*", re.IGNORECASE)


def _file_name(name: str) -> bool:
    home = name.startswith("~/") and bool(NAME.fullmatch(name[1:]) or re.fullmatch(r"~/\.[\w.-]+", name))
    return home or bool(NAME.fullmatch(name))


def lines_for(before: str, title: bool = False, lang: str = "any") -> str | None:
    """The file the sentence introducing the block (or the block's title, "Add to the
    ~/.bashrc file.") puts its lines into, home dotfiles included. The sentence introduces the
    block when it ends with ":" or "as follows", or with the file's name itself ("...global
    settings in ~/.gbp.conf"), then only a name that fits the block's language ``lang``."""
    sentences = prose_sentences(before.replace("\\_", "_"))
    last = sentences[-1].rstrip() if sentences else ""
    introduces = title or last.endswith(":") or bool(re.search(r"\bas follows\W*$", last))
    for pattern in (_LINES_FOR, _EDIT_FILE, _CREATE_FILE):
        for m in pattern.finditer(last):
            name = m.group("name")
            ends = not last[m.end():].strip(" .*`")
            if _file_name(name) and (introduces or ends and (lang == "any" or fits(name.removeprefix("~"), lang))):
                return name
    return None


def makes_a_file(before: str) -> bool:
    """Does the sentence introducing the block speak of making a file (create, save, write)?"""
    sentences = prose_sentences(before)
    return bool(sentences) and bool(_MAKE.search(sentences[-1]))


_REWRITE = re.compile(r"\b(?:edit|editing|modify|modifying|update|updating|change|changing|replace|replacing)\b",
                      re.IGNORECASE)


def only_adds(before: str) -> bool:
    """Does the sentence introducing the block ask only to add lines ("Add to the ~/.bashrc
    file."), not to change or replace some ("edit x and replace the line with:")?"""
    sentences = prose_sentences(before)
    said = re.sub(r"\([^()]*\)", "", sentences[-1]) if sentences else ""  # "(replace the values with yours)" aside
    return not _REWRITE.search(said)


def of_yours(before: str, path: str) -> bool:
    """Does the sentence introducing the block call ``path`` the reader's own ("add the following
    code to your package `__init__.py`", "in your `~/.profile`")?"""
    sentences = prose_sentences(before.replace("\\_", "_"))
    said = sentences[-1] if sentences else ""
    return bool(re.search(r"\byour\s+(?:[\w'’-]+\s+){0,2}(?:file\s+)?[`*]*" + re.escape(path) + r"\b", said,
                          re.IGNORECASE))


def asks_to_change(before: str, caption: str | None = None) -> bool:
    """Does the sentence introducing the block ask to change a file rather than write it
    ("Modify the file as follows:")? A ``caption`` printed above the listing is not that sentence."""
    paragraphs = before.rstrip().split("\n\n")
    if caption and len(paragraphs) > 1 and paragraphs[-1].strip().startswith(caption.strip()):
        before = "\n\n".join(paragraphs[:-1])
    sentences = prose_sentences(before)
    last = sentences[-1] if sentences else ""
    return bool(_CHANGE.search(last)) and not _MAKE.search(last)


def introduced_as(before: str, lang: str, file_word: bool = False) -> str | None:
    """The file the sentence introducing the block (it ends with ":") presents it as: the one
    name in it that fits the block's language, after "a", "the", "this", "file"... With
    ``file_word``, only a name the sentence calls a file ("the file x.md:", "x.md file:") or
    leads to as code ("using `x.cfg`:")."""
    sentences = prose_sentences(before.replace("\\_", "_"))
    if not sentences or not sentences[-1].rstrip().endswith(":"):
        return None
    sentence = sentences[-1]
    found = {m.group(1): m for m in NAME.finditer(sentence) if fits(m.group(1), lang)
             and "://" not in sentence[max(0, m.start() - 8): m.start()]}
    if len(found) != 1:
        return None
    name, m = next(iter(found.items()))
    head = sentence[:m.start()].rstrip("`*_ ") + " "
    tail = sentence[m.end():].lstrip("`*_ ")
    if not file_word:
        return name if _DETERMINER.search(head) or tail.lower().startswith("file") else None
    # the sentence leads to the name: "and the file `x.md`:", "the `x.md` file:", "For example, using `x.cfg`:"
    called = bool(re.search(r"\b(?:file|called|named)\s+$", head, re.IGNORECASE))
    code = sentence[m.start() - 1:m.start()] == "`" and not _RUN.search(sentence)
    if re.fullmatch(r"file\s*:", tail.strip(), re.IGNORECASE):  # "the following `debian/x.install` file:"
        return name
    return name if tail.strip() == ":" and (called or code) else None


# Verbs that introduce a command to run, not a file: "Then run `script.sh`:".
_RUN = re.compile(r"\b(?:run|running|execute|executing|invoke|call|launch|start|type|enter)\b", re.IGNORECASE)


def named_nearby(before: str, lang: str) -> str | None:
    """A fitting name in the last two sentences before the block, in one that speaks of a file
    ("Now try editing the configuration file: `mkdocs.yml`.")."""
    paragraph = before.replace("\\_", "_").strip().split("\n\n")[-1]
    for sentence in [paragraph, *reversed(prose_sentences(paragraph)[-2:])]:
        if re.search(r"\b(?:file|edit|editing|save|create|open)\b", sentence, re.IGNORECASE):
            names = [m.group(1) for m in NAME.finditer(sentence) if fits(m.group(1), lang)]
            if len(set(names)) == 1:
                return names[0]
    return None


# A sentence after a listing that points back to it: "the above function should be in a file
# `helloworld.cc`", "Save the code above as `hello.c`".
_ABOVE = re.compile(r"\b(?:the|this)\s+(?:[a-z]+\s+)?above\b|\b(?:code|listing|program|function|example|lines?)\s+"
                    r"above\b", re.IGNORECASE)
_IN_FILE = re.compile(r"\b(?:in|into|to|as)\s+(?:a|the)\s+file\b|\bsaved?\s+(?:it\s+)?(?:as|in|to)\b", re.IGNORECASE)


def named_after(after: str) -> str | None:
    """The file a sentence of the prose after the listing (before the next one) names, when it
    points back to the listing ("the above ...") and speaks of a file or of saving it."""
    for sentence in prose_sentences(after.replace("\\_", "_")):
        if _ABOVE.search(sentence) and _IN_FILE.search(sentence):
            names = {m.group(1) for m in NAME.finditer(sentence)
                     if "://" not in sentence[max(0, m.start() - 8):m.start()]}
            if len(names) == 1:
                return names.pop()
    return None
