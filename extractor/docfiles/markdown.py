"""A Markdown file (CommonMark + GFM tables/strikethrough/task lists, YAML front matter, MyST
directives in backtick or colon fences) → one :class:`RawArticle`.

markdown-it-py parses; each code block is rendered with :func:`markup.code_html`, so it
carries its language, caption and first source line into the HTML reader. HTML comments
(``<!-- ... -->``) are passed through untouched for readers of author directives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from extractor.docfiles.fences import CODE_DIRECTIVES, directive_body, parse_info
from extractor.docfiles.markup import Meta, code_html, meta_from_yaml, with_lines


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(colon_fence_plugin).use(tasklists_plugin)
    for rule in ("fence", "colon_fence"):
        md.add_render_rule(rule, _render_fence)
    md.add_render_rule("code_block", _render_indented)
    md.add_render_rule("html_block", _render_html_block)
    return md


def _first_line(token: Token, skip: int = 1) -> int | None:
    """1-based line of the first content line: ``skip`` lines after the token's start."""
    return token.map[0] + 1 + skip if token.map else None


def _render_fence(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    info = parse_info(token.info)
    if info.directive is None:
        return code_html(token.content, info.lang, info.caption, _first_line(token))
    options_, body, taken = directive_body(token.content)
    if info.directive in CODE_DIRECTIVES:
        return code_html(body, info.lang, options_.get("caption"), _first_line(token, 1 + taken))
    # Any other directive ({note}, {tip}, {admonition}) holds Markdown: parse it in place,
    # padded with blank lines so its code blocks keep their own line numbers.
    offset = (token.map[0] + 1 + taken) if token.map else 0
    inner = _parser().render("\n" * offset + body, env)
    return f'<div class="admonition {info.directive}">\n{inner}</div>\n'


def _render_indented(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return code_html(token.content, None, None, _first_line(token, 0))


def _render_html_block(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Raw HTML as it is; a directive comment gets its source line (for errors that name it)."""
    token = tokens[idx]
    return with_lines(token.content, token.map[0] + 1) if token.map else token.content


_MD = _parser()


def _first_heading(tokens: Sequence[Token]) -> str:
    """The first level-1 heading's text, else the first heading's."""
    headings = [(t.tag, tokens[n + 1].content) for n, t in enumerate(tokens[:-1]) if t.type == "heading_open"]
    return next((text for tag, text in headings if tag == "h1"), headings[0][1] if headings else "")


def read_markdown(text: str) -> tuple[Meta, str, list[str]]:
    """The file's metadata (title from front matter, else its first heading), its HTML, and
    notes on what was odd (bad front matter)."""
    env: dict[str, Any] = {}
    tokens = _MD.parse(text, env)
    notes: list[str] = []
    meta = Meta()
    front = next((t for t in tokens if t.type == "front_matter"), None)
    if front is not None:
        meta, problem = meta_from_yaml(front.content)
        if problem:
            notes.append(problem)
    if not meta.title:
        meta = replace(meta, title=" ".join(_first_heading(tokens).split()))
    return meta, _MD.renderer.render(tokens, _MD.options, env), notes
