"""A reStructuredText file → one :class:`RawArticle`, parsed with docutils.

Sphinx's code directives (``code-block``, ``sourcecode``, ``code`` with ``:caption:`` and
the options Sphinx allows), ``::`` literal blocks (in the language of the last
``.. highlight::``) and doctest blocks become code blocks through :func:`markup.code_html`,
with their first source line. Other Sphinx directives and roles are read as plain prose,
never as code. Comments stay in the HTML as ``<!-- -->`` for readers of author directives.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.core import publish_doctree, publish_from_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.writers.html5_polyglot import HTMLTranslator, Writer

from extractor.directives import is_directive
from extractor.docfiles.markup import Meta, code_html, directive_html, meta_from_mapping

_SETTINGS = {
    "report_level": 5, "halt_level": 5, "_disable_config": True, "file_insertion_enabled": False,
    "raw_enabled": False, "syntax_highlight": "none", "embed_stylesheet": False, "stylesheet_path": "",
    "doctitle_xform": True, "warning_stream": False,
    "traceback": True,  # a crash raises (and names the file), never exits the process
}
LINE, LANG, CAPTION = "tutorcheck-line", "tutorcheck-lang", "tutorcheck-caption"


class _CodeBlock(Directive):
    """``.. code-block:: LANG`` with Sphinx's options; the text exactly as written."""

    optional_arguments = 1
    final_argument_whitespace = False
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {name: directives.unchanged for name in (
        "caption", "name", "class", "linenos", "lineno-start", "emphasize-lines", "dedent", "force",
        "number-lines", "language")}

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        node = nodes.literal_block(text, text)
        node[LANG] = (self.arguments[0] if self.arguments else self.options.get("language", "")).lower()
        node[CAPTION] = self.options.get("caption", "")
        node[LINE] = self.content.items[0][1] + 1 if self.content.items else self.lineno
        return [node]


class _Tutorcheck(Directive):
    """``.. tutorcheck:: skip why`` (a directive's spelling of the ``.. tutorcheck: skip why``
    comment): the same comment, so an author's habit of ``::`` is never silently dropped."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        text = "tutorcheck: " + " ".join(self.arguments) + "".join(f"\n{line}" for line in self.content)
        return [nodes.comment(text, text)]


class _Highlight(Directive):
    """``.. highlight:: LANG``: the language of the ``::`` blocks that follow."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"linenothreshold": directives.unchanged, "force": directives.flag}

    def run(self) -> list[nodes.Node]:
        marker = nodes.inline()
        marker[LANG] = self.arguments[0].lower()
        marker["classes"] = ["tutorcheck-highlight"]
        return [marker]


class _Prose(Directive):
    """A Sphinx directive that holds prose (``versionadded``, ``seealso``, ``tab``...): its
    content read as reST, its arguments as a first line."""

    optional_arguments = 3
    final_argument_whitespace = True
    has_content = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        box = nodes.container()
        if self.arguments:
            words, messages = self.state.inline_text(" ".join(self.arguments), self.lineno)
            box += nodes.paragraph("", "", *words)
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class _Nothing(Directive):
    """A Sphinx directive with no text for a reader (``toctree``, ``index``, autodoc)."""

    optional_arguments = 3
    final_argument_whitespace = True
    has_content = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        return []


_PROSE = ("versionadded", "versionchanged", "deprecated", "seealso", "only", "tab", "tabs", "group-tab",
          "code-tab", "card", "grid", "grid-item-card", "dropdown", "glossary", "centered", "hlist")
_NOTHING = ("toctree", "index", "literalinclude", "automodule", "autoclass", "autofunction", "currentmodule",
            "module", "program", "tabularcolumns", "sectionauthor", "moduleauthor", "codeauthor")
# Sphinx roles: read as their text (code-like ones as inline code).
_CODE_ROLES = ("command", "program", "option", "envvar", "file", "samp", "kbd", "func", "meth", "class",
               "mod", "attr", "data", "exc", "obj", "py:func", "py:class", "py:meth", "py:mod", "makevar")
_TEXT_ROLES = ("ref", "doc", "term", "guilabel", "menuselection", "abbr", "download", "dfn", "numref")


def _role(code: bool) -> Any:
    def role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
             options: Any = None, content: Any = None) -> tuple[list[nodes.Node], list[Any]]:
        shown = text.split("<", 1)[0].strip() if "<" in text and text.endswith(">") else text
        shown = shown.lstrip("~!")
        return [nodes.literal(rawtext, shown) if code else nodes.Text(shown)], []
    return role


@functools.lru_cache(maxsize=1)
def _settings() -> Any:
    """docutils' settings for reading and writing, made once: building them is a third of the
    time of a small file."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    settings = get_default_settings(Parser, _Writer)
    for key, value in _SETTINGS.items():
        setattr(settings, key, value)
    return settings


@functools.lru_cache(maxsize=1)
def _register() -> None:
    for name in ("code-block", "sourcecode", "code"):
        directives.register_directive(name, _CodeBlock)
    directives.register_directive("highlight", _Highlight)
    directives.register_directive("tutorcheck", _Tutorcheck)
    for name in _PROSE:
        directives.register_directive(name, _Prose)
    for name in _NOTHING:
        directives.register_directive(name, _Nothing)
    for names, code in ((_CODE_ROLES, True), (_TEXT_ROLES, False)):
        for name in names:
            roles.register_local_role(name, _role(code))


class _Translator(HTMLTranslator):
    """docutils' HTML5 writer, with code blocks in the generators' markup."""

    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        self.highlight = ""

    def visit_inline(self, node: nodes.inline) -> None:
        if "tutorcheck-highlight" in node.get("classes", ()):
            self.highlight = node[LANG]
            raise nodes.SkipNode
        super().visit_inline(node)

    def visit_literal_block(self, node: nodes.Element) -> None:
        lang = node.get(LANG) if LANG in node else self.highlight
        self.body.append(code_html(node.astext(), lang or None, node.get(CAPTION) or None,
                                   node.get(LINE, node.line)))
        raise nodes.SkipNode

    def visit_literal(self, node: nodes.Element) -> None:
        self.body.append(f"<code>{self.encode(node.astext())}</code>")  # inline code, as Markdown shows it
        raise nodes.SkipNode

    def visit_doctest_block(self, node: nodes.Element) -> None:
        self.body.append(code_html(node.astext(), "pycon", None, node.line))
        raise nodes.SkipNode

    def visit_comment(self, node: nodes.comment, sub: Any = None) -> None:
        if not is_directive(node.astext()):
            super().visit_comment(node)
        self.body.append(directive_html(node.astext(), node.get(LINE)))  # unescaped: read by tutorcheck
        raise nodes.SkipNode

    def visit_system_message(self, node: nodes.Element) -> None:
        raise nodes.SkipNode  # parse problems are not the article's text

    def visit_docinfo(self, node: nodes.Element) -> None:
        raise nodes.SkipNode  # author, date, tags: the article's metadata, not its prose


class _Writer(Writer):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.translator_class = _Translator


def _docinfo(doctree: nodes.document) -> dict[str, str]:
    """The bibliographic fields at the top (``:author:``, ``:date:``, ``:tags:``, ``:slug:``)."""
    found: dict[str, str] = {}
    for info in doctree.findall(nodes.docinfo):
        for child in info.children:
            if isinstance(child, nodes.field):
                found[child[0].astext().lower()] = child[1].astext()
            elif isinstance(child, nodes.Element):
                found[child.tagname] = child.astext()
    return found


def read_rst(text: str, source: str) -> tuple[Meta, str, list[str]]:
    """The file's metadata (title: the document title, else the first section's), its HTML."""
    _register()
    doctree = publish_doctree(text, source_path=source, settings=copy.copy(_settings()))
    meta = meta_from_mapping({**_docinfo(doctree), "title": _title(doctree)})
    _directive_lines(doctree, text)
    html = publish_from_doctree(doctree, writer=_Writer(), settings=copy.copy(_settings())).decode("utf-8")
    return meta, html, []


_DIRECTIVE = re.compile(r"^[ \t]*\.\.[ \t]+tutorcheck[ \t]*::?", re.MULTILINE | re.IGNORECASE)


def _directive_lines(doctree: nodes.document, text: str) -> None:
    """Each directive comment's line (docutils gives a comment the line after it): the lines of
    the ``.. tutorcheck:`` comments in the text, in order."""
    lines = [text.count("\n", 0, m.start()) + 1 for m in _DIRECTIVE.finditer(text)]
    comments = [c for c in doctree.findall(nodes.comment) if is_directive(c.astext())]
    for comment, line in zip(comments, lines, strict=False):
        comment[LINE] = line


def _title(doctree: nodes.document) -> str:
    if doctree.get("title"):
        return str(doctree["title"])
    first = next(iter(doctree.findall(nodes.title)), None)
    return " ".join(first.astext().split()) if first is not None else ""
