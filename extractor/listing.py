"""What a page's markup says about a listing besides its text: the title a generator shows
on it ("app/views.py" above the code) and the lines it highlights. Whether a title names a
file, and whether highlighted lines make the listing an excerpt, is decided in
:mod:`extractor.understand.files`; this module only reads what a reader sees.

Highlighted lines: Pygments/Sphinx/MkDocs ``span.hll``, Chroma ``span.hl``, Docusaurus
``…-highlighted-line``, ``<mark>``, Prism's ``data-line="2-4"`` on the ``<pre>``.

Title conventions are a table of rules, tried in order:

- attributes on the ``<pre>``, its ``<code>`` or a wrapper: ``data-filename``, ``data-title``
  (Quarto, rehype-pretty-code, many themes);
- a title element inside the listing's own wrapper, before the ``<pre>``: Sphinx
  ``div.code-block-caption`` (its ``caption-text``, without "Listing 1"), AsciiDoc
  ``div.listingblock > div.title``, MkDocs Material ``span.filename``, Docusaurus
  ``div.codeBlockTitle_…``, Hugo render hooks' ``figure > figcaption``, Quarto
  ``div.code-with-filename-file``;
- a paragraph right before the listing that holds only a filename element (mdBook books:
  ``<p><span class="filename">Filename: src/main.rs</span></p>``);
- in a table of listings side by side, the cell right above the listing's cell when it
  introduces it (ends with ":"): "create the file SUMMARY.md:".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bs4 import NavigableString, Tag

CaptionRule = Callable[[Tag, list[Tag]], str | None]  # (the <pre>, its wrappers)

_ATTRIBUTES = ("data-filename", "data-title", "data-file", "data-rehype-pretty-code-title", "data-path")
# Class names that mark a listing's title: code-block-caption, title, filename, codeBlockTitle_x9,
# code-with-filename-file, remark-code-title (not "caption-number": a counter, not a title).
_TITLE_CLASS = re.compile(r"(?:^|[-_])(?:title|caption|filename|file-?name)(?:$|[-_])|codeBlockTitle", re.IGNORECASE)
_COUNTER_CLASS = re.compile(r"caption-number|headerlink", re.IGNORECASE)
# Elements that make an ancestor a page's content, not a listing's wrapper.
_CONTENT = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "blockquote"]
_MAX_TITLE = 200
_ANCESTORS = 5


def _classes(tag: Tag) -> str:
    value = tag.get("class")
    return " ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")


def _clean(text: str) -> str | None:
    """The title as a reader reads it: icon glyphs (private-use, symbols) and blanks removed."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in {"Co", "So", "Cf", "Cs"})
    kept = re.sub(r"\s+", " ", kept).strip(" ¶#")
    return kept if kept and len(kept) <= _MAX_TITLE else None


def _wrappers(pre: Tag) -> list[Tag]:
    """The ancestors of ``pre`` that wrap this listing only: no other ``<pre>``, no prose."""
    found: list[Tag] = []
    for parent in list(pre.parents)[:_ANCESTORS]:
        if not isinstance(parent, Tag) or parent.name in {"body", "html", "[document]"}:
            break
        if len(parent.find_all("pre", limit=2)) != 1 or any(
            c.find_parent("pre") is None for c in parent.find_all(_CONTENT)
        ):
            break
        found.append(parent)
    return found


def _by_attribute(pre: Tag, wrappers: list[Tag]) -> str | None:
    code = pre.find("code")
    for tag in [pre, *([code] if isinstance(code, Tag) else []), *wrappers]:
        for attr in _ATTRIBUTES:
            value = tag.get(attr)
            if value and isinstance(value, str):
                return _clean(value)
    return None


def _title_text(title: Tag) -> str | None:
    own = title.find(class_=re.compile(r"caption-text"))
    target = own if isinstance(own, Tag) else title
    parts = [s for s in target.find_all(string=True)
             if not any(_COUNTER_CLASS.search(_classes(p)) for p in s.parents if isinstance(p, Tag))]
    return _clean("".join(parts))


def _is_title(tag: Tag) -> bool:
    return (tag.name == "figcaption" or bool(_TITLE_CLASS.search(_classes(tag)))) and (
        tag.find("pre") is None and tag.find_parent("pre") is None)


def _by_title_element(pre: Tag, wrappers: list[Tag]) -> str | None:
    """The first title element of the listing's wrapper that comes before the ``<pre>``."""
    if not wrappers:
        return None
    for tag in wrappers[-1].descendants:
        if tag is pre:
            return None
        if isinstance(tag, Tag) and _is_title(tag):
            return _title_text(tag)
    return None


def _by_paragraph_before(pre: Tag, wrappers: list[Tag]) -> str | None:
    previous = (wrappers[-1] if wrappers else pre).find_previous_sibling(True)
    if not isinstance(previous, Tag) or previous.name not in {"p", "div"}:
        return None
    if _TITLE_CLASS.search(_classes(previous)):
        return _title_text(previous)
    children = [c for c in previous.children if not (isinstance(c, str) and not c.strip())]
    if len(children) == 1 and isinstance(children[0], Tag) and re.search(
            r"(?:^|[-_\s])file-?name(?:$|[-_\s])", _classes(children[0]), re.IGNORECASE):
        return _title_text(children[0])
    return None


def _by_cell_above(pre: Tag, wrappers: list[Tag]) -> str | None:
    """A listing in a table cell, under a cell that introduces it ("create the file
    `SUMMARY.md`:" over the listing, "(old YAML equivalent:)" over the next one): side-by-side
    tables of listings. The cell above is the one at the same place in the row before."""
    cell = pre.find_parent(["td", "th"])
    row = cell.find_parent("tr") if cell else None
    above = row.find_previous_sibling("tr") if row else None
    if cell is None or row is None or above is None:
        return None
    place = row.find_all(["td", "th"], recursive=False).index(cell) if cell.parent is row else -1
    cells = above.find_all(["td", "th"], recursive=False)
    if not 0 <= place < len(cells) or cells[place].find("pre") is not None:
        return None
    text = _title_text(cells[place])
    return text if text and text.endswith(":") else None


CAPTION_RULES: tuple[CaptionRule, ...] = (_by_attribute, _by_title_element, _by_paragraph_before, _by_cell_above)


def caption_of(pre: Tag) -> str | None:
    """The title the page shows on the listing ``pre``, by the first convention that applies."""
    wrappers = _wrappers(pre)
    for rule in CAPTION_RULES:
        found = rule(pre, wrappers)
        if found:
            return found
    return None


_HIGHLIGHT_CLASS = re.compile(r"^(?:hll|hl|highlighted|line-highlight)$|-highlighted-line$", re.IGNORECASE)


def _data_line(value: str) -> tuple[int, ...]:
    lines: set[int] = set()
    for part in value.replace(" ", "").split(","):
        low, _, high = part.partition("-")
        if low.isdigit():
            lines.update(range(int(low), int(high) + 1 if high.isdigit() else int(low) + 1))
    return tuple(sorted(lines))


def highlighted_lines(pre: Tag) -> tuple[int, ...]:
    """The 1-based lines of the listing that the page highlights (an author's "this changed")."""
    data = pre.get("data-line")
    if isinstance(data, str) and data.strip():
        return _data_line(data)
    found: set[int] = set()
    line = 1
    for node in pre.descendants:
        if isinstance(node, Tag):
            if node.name == "mark" or any(_HIGHLIGHT_CLASS.search(c) for c in _classes(node).split()):
                found.add(line)
        else:
            line += str(node).count("\n")
    return tuple(sorted(found))


_CONUM_TEXT = re.compile(r"^\s*[(<]?(\d{1,2})[)>]?\s*$")


def take_callouts(pre: Tag) -> tuple[str, ...]:
    """Remove AsciiDoc callout markers (``<b class="conum">(1)</b>``, ``<i class="conum"
    data-value="1"></i><b>(1)</b>``) from the listing — annotations, not code — and say where
    they were: ``("line 2: callout 1", ...)``. Edits ``pre`` in place."""
    marks = pre.find_all(class_="conum")
    if not marks:
        return ()
    notes: list[str] = []
    line = 1
    doomed: list[Tag] = []
    for node in list(pre.descendants):
        if isinstance(node, Tag):
            if node in marks:
                number = str(node.get("data-value") or "") or node.get_text()
                m = _CONUM_TEXT.match(number)
                notes.append(f"line {line}: callout {m.group(1) if m else number.strip()}")
                doomed.append(node)
                twin = node.find_next_sibling()
                if node.name == "i" and isinstance(twin, Tag) and twin.name == "b" and _CONUM_TEXT.match(
                        twin.get_text()):
                    doomed.append(twin)  # the font-icon form repeats the number as text
        elif not any(d in node.parents for d in doomed):
            line += str(node).count("\n")
    for tag in doomed:
        before = tag.find_previous(string=True)
        if isinstance(before, NavigableString) and before.endswith((" ", "\t")) and pre in before.parents:
            before.replace_with(before.rstrip(" \t"))  # the blank that set the marker apart
        tag.decompose()
    return tuple(notes)


# Classes a generator puts on a listing to say what building or running it does (mdBook,
# rustdoc): the listing's declared outcome, in tutorcheck's words, strongest first.
OUTCOMES: dict[str, str] = {
    "does_not_compile": "does-not-compile", "compile_fail": "does-not-compile",
    "should_panic": "panics", "panics": "panics",
    "ignore": "not-run", "no_run": "not-run",
}


def declared_outcome(pre: Tag) -> str | None:
    """What the page declares building or running this listing does, from its classes."""
    code = pre.find("code")
    classes = set(_classes(pre).split()) | set(_classes(code).split() if isinstance(code, Tag) else ())
    # the table's order is the precedence: "ignore does_not_compile" does not compile
    return next((outcome for cls, outcome in OUTCOMES.items() if cls in classes), None)


# What mdBook wraps around a Rust listing that has no ``fn main`` so its playground can run it:
# the generator's lines, not the author's; a file saved from the listing has none of them.
PLAYGROUND_WRAPPER = frozenset({"#![allow(unused)]", "fn main() {", "}"})


def take_hidden(pre: Tag) -> bool | None:
    """Remove the lines a generator hides from the reader but compiles (mdBook
    ``<span class="boring">``). True when the author hid some (they belong to the file), False
    when the hidden lines only wrap the listing in mdBook's ``fn main() {…}`` for its playground,
    None when nothing was hidden.
    Edits ``pre`` in place."""
    hidden = pre.find_all(class_="boring")
    lines = {line.strip() for span in hidden for line in span.get_text().splitlines() if line.strip()}
    for span in hidden:
        span.decompose()
    return None if not hidden else not (lines <= PLAYGROUND_WRAPPER and "fn main() {" in lines)
