"""Article HTML → ordered blocks: prose (Markdown, via markdownify) and code (``<pre>``).

A code block keeps the language its highlighter *claims* (``label``); what it really is
gets decided later, from its content. Highlighter conventions are a table below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, PageElement, Tag
from markdownify import MarkdownConverter

from extractor.bounds import MAX_DEPTH
from extractor.comments import take_directives
from extractor.docfiles.markup import LINE_ATTR
from extractor.listing import caption_of, declared_outcome, highlighted_lines, take_callouts, take_hidden
from extractor.model import Block, CodeBlock, Origin, ProseBlock
from extractor.quoting import delimiter

LabelRule = Callable[[Tag], str | None]

# Classes that say "highlighted", never a language.
_NOT_LANGS = {
    "highlight", "js-code-highlight", "chroma", "hljs", "prettyprint", "linenums", "code",
    "sourcecode", "source", "wp-block-code", "wp-block-preformatted", "codehilite", "notranslate",
    "rouge", "coderay", "line-numbers", "syntaxhighlighter", "nohighlight", "content",
}
_PREFIXES = ("language-", "lang-", "highlight-source-", "highlight-", "brush-")
# Line numbers of line-numbered highlighters: inline spans (Chroma ``ln``/``lnt``) are dropped
# from the text; gutter columns (Rouge, Pygments ``linenos``, Chroma tables) are not blocks.
_LINE_NUMBER_SPAN = re.compile(r"^(ln|lnt|linenos|lineno)$")
_GUTTER_CELL = re.compile(r"(^|\s)(rouge-gutter|gutter|linenos|gl)(\s|$)")
# Text of a wrapper's own chrome (copy buttons, fullscreen panels), not prose.
_CHROME = re.compile(r"panel|toolbar|copy|action|fullscreen|clipboard", re.IGNORECASE)
# Never shown to a reader as text: embedded widgets' code, styles, forms.
_INVISIBLE = ["script", "style", "noscript", "template", "button", "form", "svg"]
# Where a code block was, in the Markdown of the prose: a word the article's text does not hold.
_MARK = "TUTORCHECKCODEBLOCK"


def _classes(tag: Tag | None) -> list[str]:
    if tag is None:
        return []
    value = tag.get("class")
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else str(value).split()


def _from_prefixed(classes: list[str]) -> str | None:
    for cls in classes:
        for prefix in _PREFIXES:
            if cls.startswith(prefix) and len(cls) > len(prefix):
                return cls[len(prefix):]
    return None


def _code_child(pre: Tag) -> Tag | None:
    code = pre.find("code")
    return code if isinstance(code, Tag) else None


def _rule_prefixed_code(pre: Tag) -> str | None:
    """highlight.js ``code.lang-x`` (hashnode), Prism/CommonMark ``language-x`` on code or pre."""
    return _from_prefixed(_classes(_code_child(pre))) or _from_prefixed(_classes(pre))


def _rule_data_lang(pre: Tag) -> str | None:
    """Chroma/Hugo and AsciiDoc ``data-lang``; WordPress ``lang`` attribute."""
    for tag in (pre, _code_child(pre)):
        if tag is not None:
            for attr in ("data-lang", "data-language", "lang"):
                value = tag.get(attr)
                if value:
                    return str(value)
    return None


def _rule_brush(pre: Tag) -> str | None:
    """SyntaxHighlighter (WordPress): ``class="brush: bash; gutter: false"``."""
    match = re.search(r"brush:\s*([\w+#.-]+)", " ".join(_classes(pre)))
    return match.group(1) if match else None


def _rule_rouge(pre: Tag) -> str | None:
    """Rouge (dev.to, Jekyll): ``pre.highlight.<lang>``."""
    classes = _classes(pre)
    if "highlight" not in classes:
        return None
    rest = [c for c in classes if c not in _NOT_LANGS and not c.startswith(_PREFIXES)]
    return rest[0] if rest else None


def _rule_ancestor(pre: Tag) -> str | None:
    """Pygments/Sphinx ``div.highlight-<lang>``, GitHub ``div.highlight-source-<x>``,
    Rouge-in-Jekyll ``div.language-x``."""
    for parent in list(pre.parents)[:4]:
        if isinstance(parent, Tag):
            found = _from_prefixed(_classes(parent))
            if found:
                return found
    return None


LABEL_RULES: tuple[LabelRule, ...] = (
    _rule_prefixed_code,
    _rule_data_lang,
    _rule_brush,
    _rule_rouge,
    _rule_ancestor,
)


def claimed_label(pre: Tag) -> str | None:
    """The language the markup claims for a ``<pre>``, by the first convention that applies."""
    for rule in LABEL_RULES:
        label = rule(pre)
        if label:
            label = label.strip().lower()
            if label not in _NOT_LANGS and label not in {"none", "text-plain"}:
                return label
            return "plaintext" if label in {"none", "text-plain"} else None
    return None


_CLIMBABLE = {"div", "figure", "section", "table", "tbody", "tr", "td", "span"}
def source_line(pre: Tag) -> int | None:
    """The first line of the block in its source file, when the renderer recorded it."""
    value = pre.get(LINE_ATTR)
    return int(str(value)) if value is not None and str(value).isdigit() else None


def pre_text(pre: Tag) -> str:
    """The text a reader sees: markup removed, entities decoded, ``<br>`` as newlines.

    Edits ``pre`` in place (line-number spans go, ``<br>`` become newlines); callers
    replace the element afterwards anyway, and a copy would cost a second parse.
    """
    for br in pre.find_all("br"):
        br.replace_with("\n")
    for number in pre.find_all("span", class_=_LINE_NUMBER_SPAN):
        number.decompose()
    return pre.get_text().replace("\r\n", "\n").replace("\r", "\n")


def _is_gutter(pre: Tag) -> bool:
    """A line-number column beside the code: in a gutter cell, or a table cell of digits only."""
    cell = pre.find_parent("td")
    if cell is None:
        return False
    return bool(_GUTTER_CELL.search(" ".join(_classes(cell)))) or re.sub(r"\s+", "", pre.get_text()).isdigit()


def _outer_pres(root: Tag) -> Iterator[Tag]:
    """Every ``<pre>`` not inside another ``<pre>`` and not a line-number gutter, in order."""
    for pre in root.find_all("pre"):
        if pre.find_parent("pre") is None and not _is_gutter(pre):
            yield pre


_MEDIA = {"img", "iframe", "video", "audio", "a"}


def _own_text(node: Tag) -> str:
    """Text of ``node`` outside its ``<pre>`` and outside highlighter chrome (buttons, panels);
    a placeholder when it holds media or links, which must stay in the prose."""
    parts: list[str] = []
    stack: list[Tag] = [node]
    while stack:
        for child in stack.pop().children:
            if isinstance(child, Comment):
                continue
            if not isinstance(child, Tag):
                parts.append(str(child))
            elif child.name in _MEDIA:
                return "(media or links)"
            elif child.name not in {"pre", "button"} and not _CHROME.search(" ".join(_classes(child))):
                stack.append(child)
    return "".join(parts).strip()




def _replacement_root(pre: Tag) -> Tag:
    """The highlighter wrapper around ``pre`` if it wraps nothing else, else ``pre`` itself."""
    node = pre
    for parent in list(pre.parents)[:6]:
        if not isinstance(parent, Tag) or parent.name not in _CLIMBABLE:
            break
        if len(parent.find_all("pre", limit=2)) != 1 or _own_text(parent):
            break
        node = parent
    return node


class _Markdown(MarkdownConverter):
    """markdownify with ATX headings and ``-`` bullets, the way notebooks show them."""


def _to_markdown(root: Tag) -> str:
    converter = _Markdown(heading_style="ATX", bullets="-", code_language="", escape_misc=False)
    return str(converter.convert_soup(root))


def _resolve_links(root: Tag, base_url: str) -> None:
    """Relative links and images become absolute against the article's URL."""
    for tag, attr in (("a", "href"), ("img", "src")):
        for node in root.find_all(tag, attrs={attr: True}):
            value = str(node[attr])
            if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", value, re.IGNORECASE):
                node[attr] = urljoin(base_url, value)


def _leaves(top: Tag) -> tuple[list[PageElement], int]:
    """Text and ``<pre>`` elements under ``top``, in document order, and how many other
    elements hold them (iterative: the subtree may be thousands of levels deep)."""
    leaves: list[PageElement] = []
    holders = 0
    stack: list[PageElement] = list(reversed(top.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, Tag) and node.name != "pre":
            holders += 1
            stack.extend(reversed(node.contents))
        elif not isinstance(node, Comment):
            leaves.append(node)
    return leaves, holders


def _flatten_deep(root: Tag) -> int:
    """Below ``MAX_DEPTH`` levels, keep only the text and the ``<pre>`` elements (in order), so
    the recursive Markdown conversion cannot overflow. Returns how many elements went."""
    tops: list[Tag] = []
    stack: list[tuple[Tag, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.children:
            if not isinstance(child, Tag) or child.name == "pre":
                continue
            if depth + 1 < MAX_DEPTH:
                stack.append((child, depth + 1))
            elif any(isinstance(c, Tag) and c.name != "pre" for c in child.children):
                tops.append(child)
    flattened = 0
    for top in tops:  # one pass per subtree: unwrapping element by element is quadratic in bs4
        leaves, holders = _leaves(top)
        flattened += holders
        for leaf in leaves:
            leaf.extract()
        top.clear()
        for leaf in leaves:
            top.append(leaf)
    return flattened


def html_to_blocks(html: str, origin: Origin, base_url: str = "", notes: list[str] | None = None) -> list[Block]:
    """Split an article's HTML into prose and code blocks, in article order.

    ``CodeBlock.index`` is the block's position among the article's outermost ``<pre>``s.
    What had to be bounded (nesting too deep) is appended to ``notes``.
    """
    soup = BeautifulSoup(html, "lxml")
    root = soup.body or soup
    flattened = _flatten_deep(root)
    if flattened and notes is not None:
        notes.append(f"{origin}: HTML nested deeper than {MAX_DEPTH} levels; {flattened} elements "
                     "below that were flattened (their text kept)")
    if base_url.startswith(("http://", "https://")):
        _resolve_links(root, base_url)
    for invisible in root.find_all(_INVISIBLE):
        invisible.decompose()
    codes: list[CodeBlock] = []
    mark = delimiter(str(root), _MARK, filler="Z")  # entities decoded: the text as markdownify sees it
    for gutter in [pre for pre in root.find_all("pre") if _is_gutter(pre)]:
        gutter.decompose()
    directives = take_directives(soup, root, str(origin))  # the author's, for the blocks they precede
    outer = list(_outer_pres(root))
    # read on the page as it is: once earlier listings are replaced by markers, finding whether an
    # ancestor wraps one listing only walks past all of them (10,000 <pre>: quadratic)
    captions = [caption_of(pre) for pre in outer]
    for index, pre in enumerate(outer):
        callouts = take_callouts(pre)
        written = pre_text(pre)  # with the lines the page hides, which belong to the file
        kept = take_hidden(pre)
        text = pre_text(pre) if kept is not None else written
        written = written if kept else text  # mdBook's playground wrapper is not the author's
        codes.append(CodeBlock(index=index, text=text, label=claimed_label(pre), caption=captions[index],
                               highlighted=highlighted_lines(pre), notes=callouts,
                               written=written if written != text else None, outcome=declared_outcome(pre),
                               line=source_line(pre), directives=directives.get(id(pre), ())))
        marker = soup.new_tag("p")
        marker.string = f"{mark}{index}X"
        _replacement_root(pre).replace_with(marker)
    markdown = _to_markdown(root)
    blocks: list[Block] = []
    position = 0
    for match in re.finditer(re.escape(mark) + r"(\d+)X", markdown):
        _append_prose(blocks, markdown[position:match.start()])
        blocks.append(codes[int(match.group(1))])
        position = match.end()
    _append_prose(blocks, markdown[position:])
    return blocks


# Icon-font glyphs (private-use code points: tab and permalink icons) are pictures, not text.
_ICONS = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _append_prose(blocks: list[Block], markdown: str) -> None:
    text = re.sub(r"\n{3,}", "\n\n", _ICONS.sub("", markdown)).strip()
    text = "\n".join(line.rstrip() for line in text.splitlines())
    if text:
        blocks.append(ProseBlock(markdown=text))

