"""What the Markdown and reST readers hand to the HTML reader: each code block rendered with
the conventions of the generators (``code.language-X``, a Sphinx-style caption, the line
it starts on), and the metadata a file declares at its top (front matter / field list).

Both readers render to HTML and let :mod:`extractor.html` split it, so one reader of code
blocks serves feeds, pages and doc files alike.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

# The attribute that carries a block's first line in its source file (``data-source-line``,
# as markdown-it's and other previewers' line-mapping plugins spell it).
LINE_ATTR = "data-source-line"


def code_html(text: str, lang: str | None, caption: str | None, line: int | None) -> str:
    """One code block, as a static site generator would write it: the caption above the
    ``<pre>`` in a wrapper (Sphinx's markup), the language as a ``language-X`` class."""
    cls = f' class="language-{html.escape(lang, quote=True)}"' if lang else ""
    where = f' {LINE_ATTR}="{line}"' if line is not None else ""
    pre = f"<pre{where}><code{cls}>{html.escape(text)}</code></pre>"
    if not caption:
        return pre + "\n"
    return (f'<div class="literal-block-wrapper"><div class="code-block-caption">'
            f'<span class="caption-text">{html.escape(caption)}</span></div>{pre}</div>\n')


_DIRECTIVE_HEAD = re.compile(r"<!--(\s*)tutorcheck:", re.IGNORECASE)


def with_lines(raw: str, first_line: int) -> str:
    """Raw HTML of a source whose first line is ``first_line``, each author's directive comment
    (``<!-- tutorcheck: ... -->``) given its line in its head (``tutorcheck@12:``)."""
    return _DIRECTIVE_HEAD.sub(lambda m: f"<!--{m.group(1)}tutorcheck@{first_line + raw.count(chr(10), 0, m.start())}:",
                               raw)


def directive_html(text: str, line: int | None) -> str:
    """An author's directive comment of a source that is not HTML (reST), with its line."""
    head, _, rest = text.partition(":")
    at = f"@{line}" if line is not None else ""
    return f"<!-- {head.strip()}{at}:{rest.replace('-->', '-- >')} -->\n"


@dataclass(frozen=True)
class Meta:
    """What a file says about itself (front matter); empty strings when it does not."""

    title: str = ""
    slug: str = ""
    url: str = ""
    author: str = ""
    published: str = ""
    tags: tuple[str, ...] = ()


def _date(value: Any) -> str:
    """A date as ISO 8601 UTC (``2026-10-01`` → ``2026-10-01T00:00:00Z``); other text as is."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return _text(value)
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return _text(value.get("name", ""))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return " ".join(str(value).split()) if value is not None else ""


def _tags(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value or ""))
    return tuple(t for t in (_text(v) for v in items) if t)


# Front-matter keys as Jekyll, Hugo, MkDocs, Docusaurus and Pelican spell them: first found wins.
_KEYS = {
    "title": ("title",),
    "slug": ("slug",),
    "url": ("canonical_url", "canonical", "permalink", "url"),
    "author": ("author", "authors"),
    "published": ("date", "published", "pubDate", "created"),
    "tags": ("tags", "keywords", "categories"),
}


def meta_from_mapping(data: Any) -> Meta:
    if not isinstance(data, dict):
        return Meta()
    found = {field: next((data[k] for k in keys if data.get(k)), "") for field, keys in _KEYS.items()}
    return Meta(title=_text(found["title"]), slug=_text(found["slug"]), url=_text(found["url"]),
                author=_text(found["author"]), published=_date(found["published"]), tags=_tags(found["tags"]))


def meta_from_yaml(text: str) -> tuple[Meta, str | None]:
    """Front matter → Meta, and a problem when it is not a YAML mapping (the file is still read)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        return Meta(), f"front matter is not valid YAML ({str(e).splitlines()[0]})"
    if data is not None and not isinstance(data, dict):
        return Meta(), "front matter is not a mapping of keys to values"
    return meta_from_mapping(data or {}), None


# Pages a generator serves as their folder: docs/install/index.md is "install".
_FOLDER_PAGES = {"index", "readme", "_index"}


def path_slug(path: str, root: str | None) -> str:
    """The article's slug words from its path under ``root`` (the directory given), so two
    files with one title stay two articles: ``guide/install.md`` → ``guide install``."""
    pure = PurePath(path)
    try:
        rel = pure.relative_to(root) if root else PurePath(pure.name)
    except ValueError:
        rel = PurePath(pure.name)
    parts = [*rel.parent.parts, rel.stem]
    if len(parts) > 1 and parts[-1].lower() in _FOLDER_PAGES:
        parts = parts[:-1]
    elif parts[-1].lower() in _FOLDER_PAGES and pure.parent.name:
        parts = [pure.parent.name]
    return " ".join(parts)
