"""The authors' directives of a page: ``<!-- tutorcheck: ... -->`` comments, read where they stand.

A directive comment applies to the next code block (``<pre>``) of the page. A ``setup`` or
``teardown`` comment holds a block of its own: it becomes a ``<pre>`` where the comment was, so
it is split, understood and planned like any block, and no reader ever saw it. Markdown and reST
files reach here as HTML with their comments kept (their readers write the comment's source line
into its head: ``tutorcheck@12:``). What the words mean is :mod:`extractor.directives`'.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Comment, Tag

from extractor.directives import HIDDEN_KINDS, Directive, DirectiveError, is_directive, parse_comment
from extractor.docfiles.markup import LINE_ATTR
from extractor.errors import ItemError

# The language a setup/teardown block is labelled with, by the directive's value.
HIDDEN_LABELS = {"": "bash", "shell": "bash", "python": "python"}


def _where(line: int | None, block: int) -> str:
    """Where a directive is: its source line, else the block it comes before (a page has no lines)."""
    return f"line {line}" if line is not None else f"the tutorcheck comment before code block {block}"


def _hidden_pre(soup: BeautifulSoup, body: str, line: int | None, lang: str) -> Tag:
    pre = soup.new_tag("pre")
    if line is not None:
        pre[LINE_ATTR] = str(line + 1)
    code = soup.new_tag("code")
    code["class"] = f"language-{HIDDEN_LABELS[lang]}"
    code.string = body
    pre.append(code)
    return pre


def take_directives(soup: BeautifulSoup, root: Tag, where: str) -> dict[int, tuple[Directive, ...]]:
    """Every directive comment under ``root`` taken out of the page: the directives of each
    ``<pre>`` (by ``id``) in document order, setup/teardown comments turned into ``<pre>``s.
    A directive tutorcheck does not know, or one followed by no code block, is an
    :class:`ItemError` naming ``where`` and the line."""
    found: dict[int, tuple[Directive, ...]] = {}
    pending: list[Directive] = []
    blocks = 0  # code blocks so far: the next one's index
    for node in list(root.descendants):
        if isinstance(node, Comment) and is_directive(str(node)):
            try:
                directives, body = parse_comment(str(node))
            except DirectiveError as e:
                line = parse_line(str(node))
                raise ItemError(where, f"{_where(line, blocks)}: {e}") from None
            if body:
                lang = next(d.value for d in directives if d.kind in HIDDEN_KINDS)
                pre = _hidden_pre(soup, body, directives[0].line, lang)
                node.replace_with(pre)
                found[id(pre)] = (*pending, *directives)
                pending, blocks = [], blocks + 1
            else:
                pending.extend(directives)
                node.extract()
        elif isinstance(node, Tag) and node.name == "pre" and node.find_parent("pre") is None:
            if pending:
                found[id(node)] = tuple(pending)
            pending, blocks = [], blocks + 1
    if pending:
        raise ItemError(where, f"{_where(pending[0].line, blocks)}: the directive {str(pending[0])!r} is followed "
                               "by no code block (a directive applies to the next block)")
    return found


def parse_line(comment: str) -> int | None:
    """The source line a reader wrote into a directive comment's head, if any."""
    head = comment.lstrip().split(":", 1)[0]
    _, at, number = head.partition("@")
    return int(number) if at and number.isdigit() else None


__all__ = ["take_directives"]
