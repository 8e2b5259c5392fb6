"""Sources → raw articles: RSS 2.0 / Atom 1.0 feeds and single HTML pages, from files,
directories or ``http(s)://`` URLs.

A source that cannot be read at all raises :class:`SourceError`; a bad item inside a
readable source is returned as an :class:`ItemError` beside the good articles, so one
broken item never loses the others.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import feedparser.datetimes
from bs4 import BeautifulSoup

from extractor.docfiles.fileformats import is_doc_file
from extractor.errors import ExtractorError, ItemError, SourceError
from extractor.model import Origin, RawArticle

FETCH_TIMEOUT_S = 20.0
MAX_SOURCE_BYTES = 64 * 1024 * 1024
USER_AGENT = "tutorcheck/0.1 (+tutorial checker)"

# What a file or a response is, told by its first bytes (after a BOM and blanks).
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html|head|body|article|main|div|p|h1|pre)[\s>]", re.IGNORECASE)
_FEED_SUFFIXES = {".xml", ".rss", ".atom", ".feed"}
_PAGE_SUFFIXES = {".html", ".htm", ".xhtml"}
_GLOB = re.compile(r"[*?\[]")


@dataclass
class Loaded:
    """What one source gave: its articles, the errors of its bad items, notes worth printing."""

    articles: list[RawArticle] = field(default_factory=list)
    errors: list[ExtractorError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Loaded) -> None:
        self.articles.extend(other.articles)
        self.errors.extend(other.errors)
        self.notes.extend(other.notes)


def iter_sources(specs: list[str], exclude: frozenset[Path] = frozenset()) -> Iterator[Loaded]:
    """One ``Loaded`` per file read (a directory gives one per feed, page or doc file in it),
    so a caller can keep what it needs of each and let the rest go; errors come as Loaded too.
    Files in ``exclude`` (resolved paths: a project's configured exclusions) are not read."""
    for spec in _expand_globs(specs):
        if exclude and not re.match(r"^https?://", spec, re.IGNORECASE) and Path(spec).resolve() in exclude:
            continue
        try:
            if not re.match(r"^https?://", spec, re.IGNORECASE) and Path(spec).is_dir():
                yield from _iter_directory(Path(spec), exclude)
            else:
                yield load_source(spec)
        except ExtractorError as e:
            yield Loaded(errors=[e])


def _expand_globs(specs: list[str]) -> Iterator[str]:
    """A pattern the shell left alone (``'docs/**/*.md'``) names the files it matches, sorted;
    one that matches nothing stays as typed, to be reported as missing."""
    for spec in specs:
        if re.match(r"^https?://", spec, re.IGNORECASE) or Path(spec).exists() or not _GLOB.search(spec):
            yield spec
            continue
        matches = sorted(str(p) for p in Path().glob(spec)) if not Path(spec).is_absolute() else sorted(
            str(p) for p in Path("/").glob(spec.lstrip("/")))
        yield from matches or [spec]


def load_sources(specs: list[str]) -> Loaded:
    """Load every source in order; an unreadable source becomes an error, the rest go on."""
    out = Loaded()
    for loaded in iter_sources(specs):
        out.extend(loaded)
    return out


def load_source(spec: str) -> Loaded:
    if re.match(r"^https?://", spec, re.IGNORECASE):
        data, ctype = fetch(spec)
        return parse_document(data, spec, content_type=ctype)
    path = Path(spec)
    if path.is_dir():
        return load_sources([spec])
    if not path.exists():
        raise SourceError(spec, "no such file or directory")
    return parse_document(_read(path), spec)


def _doc_file(data: bytes, source: str, root: str | None = None) -> Loaded:
    from extractor.docfiles.load import read_doc_file

    article, notes = read_doc_file(data, source, root)
    return Loaded(articles=[article], notes=notes)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(str(path), f"file is {size} bytes; the limit is {MAX_SOURCE_BYTES}")
        return path.read_bytes()
    except OSError as e:
        raise SourceError(str(path), f"cannot read: {e.strerror or e}") from e


def _iter_directory(path: Path, exclude: frozenset[Path] = frozenset()) -> Iterator[Loaded]:
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in child.relative_to(path).parts):
            continue
        if exclude and child.resolve() in exclude:
            continue
        if (child.parent / "tutorial.json").is_file():
            continue  # tutorcheck's own output (a notebook's Markdown copy is not a tutorial)
        try:
            data = _read(child)
            if is_doc_file(child):
                yield _doc_file(data, str(child), str(path))
                continue
            # A file named as a feed or page that is none is an error, as when named directly;
            # anything else in the folder (notes, images) is skipped with a note.
            if sniff(data) is None and child.suffix.lower() not in _FEED_SUFFIXES | _PAGE_SUFFIXES:
                yield Loaded(notes=[f"{child}: skipped, not a feed, an HTML page, Markdown or reST"])
                continue
            yield parse_document(data, str(child))
        except ExtractorError as e:
            yield Loaded(errors=[e])


def _get(url: str, answer: list[tuple[bytes, str] | BaseException]) -> None:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=FETCH_TIMEOUT_S) as resp:
            answer.append((resp.read(MAX_SOURCE_BYTES + 1), resp.headers.get("Content-Type", "")))
    except BaseException as e:  # handed to the caller's thread as it is
        answer.append(e)


def fetch(url: str) -> tuple[bytes, str]:
    """GET a URL within ``FETCH_TIMEOUT_S`` in total (a server dribbling a byte every few
    seconds resets a per-read timeout forever) and ``MAX_SOURCE_BYTES``; SourceError otherwise."""
    answer: list[tuple[bytes, str] | BaseException] = []
    worker = threading.Thread(target=_get, args=(url, answer), name="tutorcheck-fetch", daemon=True)
    worker.start()
    worker.join(FETCH_TIMEOUT_S)
    if not answer:  # the thread is left to its socket timeout; nothing waits for it
        raise SourceError(url, f"no complete answer within {FETCH_TIMEOUT_S:g}s")
    got = answer[0]
    if isinstance(got, urllib.error.HTTPError):
        raise SourceError(url, f"HTTP {got.code} {got.reason}") from got
    if isinstance(got, urllib.error.URLError | OSError | ValueError):
        raise SourceError(url, f"unreachable: {getattr(got, 'reason', got)}") from got
    if isinstance(got, BaseException):
        raise got
    data, ctype = got
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(url, f"response larger than {MAX_SOURCE_BYTES} bytes")
    return data, ctype


def sniff(data: bytes) -> str | None:
    """``"feed"``, ``"html"`` or None, from the document's first element."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:8192].decode("utf-16", errors="replace").encode("utf-8")
    if _FEED_ROOT.search(head):
        return "feed"
    if _HTML_ROOT.search(head):
        return "html"
    return None


def parse_document(data: bytes, source: str, content_type: str = "") -> Loaded:
    if is_doc_file(urlsplit(source).path) and not sniff(data):
        return _doc_file(data, source)
    if not data.strip():
        raise SourceError(source, "empty file: expected an RSS/Atom feed or an HTML page")
    kind = sniff(data)
    if kind is None and "html" in content_type:
        kind = "html"
    if kind == "html":
        out = Loaded(articles=[parse_page(data, source)])
        if Path(source).suffix.lower() in _FEED_SUFFIXES:
            out.notes.append(f"{source}: is an HTML page, not a feed; read as a single page")
        return out
    if kind == "feed":
        return parse_feed(data, source)
    raise SourceError(source, "not an RSS/Atom feed or an HTML page (no <rss>, <feed> or <html> element), "
                      "nor a Markdown (.md) or reST (.rst) file")


def parse_feed(data: bytes, source: str) -> Loaded:
    # Relative links are resolved later, against the article URL, on the one parse we make anyway.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries", [])
    out = Loaded()
    if parsed.get("bozo"):
        problem = _bozo_text(parsed.get("bozo_exception"))
        if not entries:
            raise SourceError(source, f"invalid feed: {problem}")
        out.notes.append(f"{source}: feed is malformed ({problem}); read what could be recovered")
    if not entries:
        if parsed.get("version") or parsed.get("feed"):
            out.notes.append(f"{source}: feed has no items")
            return out
        raise SourceError(source, "not a feed: no channel or items found")
    fmt = parsed.get("version") or "feed"
    feed_link = str(parsed.get("feed", {}).get("link") or "")
    for position, entry in enumerate(entries):
        try:
            out.articles.append(_entry_article(entry, source, fmt, position, (feed_link, source)))
        except ItemError as e:
            out.errors.append(e)
    return out


def _bozo_text(exc: Any) -> str:
    text = str(exc or "parse error").strip()
    line = getattr(exc, "getLineNumber", None)
    if callable(line):
        return f"line {line()}: {getattr(exc, 'getMessage', lambda: text)()}"
    return text


def _absolute(link: str, bases: Sequence[str]) -> str:
    """``link`` made absolute against the first web address among ``bases`` (a Jekyll or Hugo
    feed often gives ``/2026/10/post/``); unchanged when it already is or no base is known."""
    if not link or urlsplit(link).scheme:
        return link
    for base in bases:
        if urlsplit(base).scheme in ("http", "https"):
            return urljoin(base, link)
    return link


def _entry_article(entry: Any, source: str, fmt: str, position: int, bases: Sequence[str] = ()) -> RawArticle:
    title = _clean(entry.get("title", ""))
    name = title or f"item {position + 1}"
    html = _entry_html(entry)
    if not html.strip():
        raise ItemError(f"{source} › {name!r}", "item has no content (no content:encoded, content or description)")
    xml_base = [str(c.get("base", "")) for c in entry.get("content") or []]  # Atom xml:base
    url = _absolute(entry.get("link") or "", [*xml_base, *bases]) or entry.get("id") or ""
    return RawArticle(
        origin=Origin(source=source, article=name),
        title=title or _title_from_url(url) or name,
        url=url,
        html=html,
        author=_clean(entry.get("author", "")),
        published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        tags=tuple(_clean(t.get("term", "")) for t in entry.get("tags", []) if t.get("term")),
        feed_format=fmt,
    )


def _entry_html(entry: Any) -> str:
    """Full content first (content:encoded / Atom content), the description/summary second."""
    contents = entry.get("content") or []
    for preferred in ("text/html", "application/xhtml+xml"):
        for c in contents:
            if c.get("type") == preferred and c.get("value", "").strip():
                return str(c["value"])
    for c in contents:
        if c.get("value", "").strip():
            return str(c["value"])
    return str(entry.get("summary", "") or "")


def parse_page(data: bytes, source: str) -> RawArticle:
    """A single HTML page: the article element (or main/body) is the content."""
    soup = BeautifulSoup(data, "lxml")
    body = soup.find("article") or soup.find("main") or soup.body or soup
    title = ""
    for candidate in (
        soup.find("meta", attrs={"property": "og:title"}),
        soup.find("h1"),
        soup.title,
    ):
        if candidate is None:
            continue
        title = _clean(str(candidate.get("content", "")) if candidate.name == "meta" else candidate.get_text())
        if title:
            break
    canonical = soup.find("link", attrs={"rel": "canonical"})
    url = str(canonical.get("href")) if canonical and canonical.get("href") else source
    author_meta = soup.find("meta", attrs={"name": "author"})
    published_meta = soup.find("meta", attrs={"property": "article:published_time"})
    tags = tuple(
        _clean(str(m.get("content", "")))
        for m in soup.find_all("meta", attrs={"property": "article:tag"})
        if m.get("content")
    )
    if not title:
        title = _title_from_url(url) or Path(source).stem
    return RawArticle(
        origin=Origin(source=source, article=title),
        title=title,
        url=url,
        html=str(body),
        author=_clean(str(author_meta.get("content", ""))) if author_meta else "",
        published=_iso_text(str(published_meta.get("content", ""))) if published_meta else "",
        tags=tags,
        feed_format="html",
    )


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _iso(parsed: Any) -> str:
    if not parsed:
        return ""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)


def _iso_text(text: str) -> str:
    parsed = feedparser.datetimes._parse_date(text)
    return _iso(parsed) if parsed else text


def _title_from_url(url: str) -> str:
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[-_]+", " ", re.sub(r"\.\w+$", "", tail)).strip()
