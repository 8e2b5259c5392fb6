"""Raw articles → tutorials: one tutorial per article however many feeds carry it, with a
stable, readable slug.

The same article cross-posted to several feeds is recognised by its normalised title;
the first copy read (sources in command-line order, directories sorted) is primary,
the others become ``aliases``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from extractor.docfiles.fileformats import DOC_FORMATS
from extractor.model import Block, RawArticle, SourceRef, Tutorial

MAX_SLUG = 80


def title_key(title: str) -> str:
    """Titles that differ only in case, punctuation or spacing name the same article."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug


def base_slug(article: RawArticle) -> str:
    """From the words the source fixes (a doc file's path); else the title; else the URL's last
    segment; else a hash of the title/URL."""
    slug = slugify(article.slug) or slugify(article.title)
    if not slug:
        tail = article.url.rstrip("/").rsplit("/", 1)[-1]
        slug = slugify(re.sub(r"\.\w+$", "", tail))
    if not slug:
        digest = hashlib.sha256((article.title + article.url).encode()).hexdigest()[:8]
        slug = f"article-{digest}"
    return slug


@dataclass(frozen=True)
class Group:
    """One article and every copy of it, primary first."""

    copies: tuple[RawArticle, ...]

    @property
    def primary(self) -> RawArticle:
        return self.copies[0]


SAME_ARTICLE_RATIO = 0.6


HtmlOf = Callable[[RawArticle], str]


def _html(article: RawArticle) -> str:
    return article.html


def _words(html: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html).casefold())


def same_article(a: RawArticle, b: RawArticle, html_of: HtmlOf = _html) -> bool:
    """Cross-posts share a title *and* most of their words; two different posts that happen
    to share a title ("Introduction") do not."""
    if title_key(a.title) != title_key(b.title):
        return False
    words_a, words_b = _words(html_of(a)), _words(html_of(b))
    return difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).quick_ratio() >= SAME_ARTICLE_RATIO


def group_copies(articles: list[RawArticle], html_of: HtmlOf = _html) -> list[Group]:
    """Group copies of one article; ``html_of`` reads an article's HTML (it may be spooled)."""
    groups: list[list[RawArticle]] = []
    by_title: dict[str, list[list[RawArticle]]] = {}
    for article in articles:
        # A file of a docs tree is its own article, whatever its title (two "Installation" pages).
        key = article.origin.source if article.feed_format in DOC_FORMATS else title_key(article.title)
        candidates = by_title.setdefault(key or article.url, [])
        home = next((g for g in candidates if same_article(g[0], article, html_of)), None)
        if home is None:
            home = []
            candidates.append(home)
            groups.append(home)
        if all((c.url, c.origin.source) != (article.url, article.origin.source) for c in home):
            home.append(article)
    return [Group(tuple(copies)) for copies in groups]


def assign_slugs(groups: list[Group]) -> list[tuple[str, Group]]:
    """Unique slugs; on a collision the article with the smaller URL keeps the bare slug and
    the others get ``-2``, ``-3``… so the result does not depend on read order."""
    by_slug: dict[str, list[Group]] = {}
    for group in groups:
        by_slug.setdefault(base_slug(group.primary), []).append(group)
    named: dict[int, str] = {}
    taken = set(by_slug)
    for slug, members in by_slug.items():
        members.sort(key=lambda g: (g.primary.url, g.primary.title))
        named[id(members[0])] = slug
        suffix = 1
        for group in members[1:]:
            suffix += 1
            while f"{slug}-{suffix}" in taken:
                suffix += 1
            named[id(group)] = f"{slug}-{suffix}"
            taken.add(named[id(group)])
    return [(named[id(g)], g) for g in groups]


def to_tutorial(slug: str, group: Group, blocks: list[Block]) -> Tutorial:
    primary = group.primary
    aliases = tuple(dict.fromkeys(c.url for c in group.copies[1:] if c.url and c.url != primary.url))
    tags = tuple(dict.fromkeys(t for c in group.copies for t in c.tags))
    return Tutorial(
        slug=slug,
        title=primary.title,
        url=primary.url,
        source=SourceRef(feed=primary.origin.source, format=primary.feed_format),
        blocks=tuple(blocks),
        aliases=aliases,
        author=primary.author or next((c.author for c in group.copies if c.author), ""),
        published=primary.published,
        tags=tags,
        also_in=tuple(SourceRef(feed=c.origin.source, format=c.feed_format) for c in group.copies[1:]),
    )
