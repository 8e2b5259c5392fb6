"""Sources → raw articles, including the bad inputs a real feed directory contains."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA, FEEDS

from extractor.errors import ItemError, SourceError
from extractor.feeds import load_source, load_sources

BAD = DATA / "feeds"


def test_rss_items_keep_author_date_tags_and_link() -> None:
    articles = load_source(str(FEEDS / "hashnode-moelove.rss.xml")).articles
    first = articles[0]
    assert len(articles) == 6
    assert first.author == "Jintao Zhang"
    assert first.published == "2026-01-13T15:03:32Z"
    assert "llm" in first.tags
    assert first.url.startswith("https://blog.moelove.info/")
    assert first.feed_format == "rss20"
    assert "<pre>" in first.html  # content:encoded, not the short description


def test_atom_summary_is_the_fallback_for_missing_content() -> None:
    [article] = load_source(str(BAD / "atom-summary-only.atom.xml")).articles
    assert article.feed_format == "atom10"
    assert article.author == "Ada" and article.tags == ("demo",)
    assert article.published == "2025-01-02T03:04:05Z"
    assert "date -u" in article.html


def test_truncated_feed_keeps_complete_items_and_names_the_problem() -> None:
    loaded = load_source(str(BAD / "truncated.rss.xml"))
    assert len(loaded.articles) >= 2
    assert any("malformed" in n and "line" in n for n in loaded.notes)


def test_item_without_content_is_an_error_and_its_neighbour_survives() -> None:
    loaded = load_source(str(BAD / "item-without-content.rss.xml"))
    assert [a.title for a in loaded.articles] == ["A good item"]
    [error] = loaded.errors
    assert isinstance(error, ItemError)
    assert "An item with no body" in str(error) and "no content" in str(error)


def test_html_saved_as_feed_is_read_as_a_page_with_a_note() -> None:
    loaded = load_source(str(BAD / "html-as-feed.xml"))
    assert [a.title for a in loaded.articles] == ["Not a feed at all"]
    assert "HTML page" in loaded.notes[0]


def test_wrong_declared_encoding_still_reads() -> None:
    loaded = load_source(str(BAD / "wrong-encoding.rss.xml"))
    assert loaded.articles[0].title == "Résumé of a shell session"
    assert "windows-1252" in loaded.notes[0]


def test_empty_feed_is_a_note_not_a_crash() -> None:
    loaded = load_source(str(BAD / "empty-channel.rss.xml"))
    assert loaded.articles == [] and loaded.errors == []
    assert "no items" in loaded.notes[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"just words\n", "not an RSS/Atom feed"),
        (b"<?xml version='1.0'?><rss><chan", "invalid feed"),
    ],
    ids=["empty", "text", "broken-xml"],
)
def test_unreadable_file_raises_naming_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        load_source(str(path))
    assert str(path) in str(info.value) and reason in str(info.value)


def test_missing_file_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_source("does/not/exist.xml")


def test_directory_skips_unrelated_files_and_collects_errors() -> None:
    loaded = load_sources([str(BAD)])
    assert any("notes.txt: skipped" in n for n in loaded.notes)
    titles = {a.title for a in loaded.articles}
    assert {"A good item", "Summary only", "Not a feed at all"} <= titles
    assert all(isinstance(e, ItemError) for e in loaded.errors)


@pytest.fixture
def served() -> Iterator[str]:
    """A throwaway HTTP server on 127.0.0.1 serving tests/data."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(DATA), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_feed_url(served: str) -> None:
    loaded = load_source(f"{served}/feeds/atom-summary-only.atom.xml")
    assert [a.title for a in loaded.articles] == ["Summary only"]


def test_page_url(served: str) -> None:
    [article] = load_source(f"{served}/pages/rouge.html").articles
    assert article.title == "Rouge (dev.to, Jekyll)" and article.feed_format == "html"


def test_http_error_names_the_url(served: str) -> None:
    with pytest.raises(SourceError, match="HTTP 404"):
        load_source(f"{served}/feeds/missing.xml")


def test_unreachable_url_names_the_url() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    with pytest.raises(SourceError) as info:
        load_source(url)
    assert url in str(info.value) and "unreachable" in str(info.value)


RELATIVE_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id><updated>2026-10-01T00:00:00Z</updated>
<link href="https://blog.example.net/"/>
<entry><title>Relative</title><id>urn:1</id><link href="/2026/10/post/"/><updated>2026-10-01T00:00:00Z</updated>
<content type="html">&lt;p&gt;hi &lt;a href="../other/"&gt;other&lt;/a&gt;&lt;/p&gt;</content></entry>
<entry><title>Based</title><id>urn:2</id><link href="post-2/"/><updated>2026-10-01T00:00:00Z</updated>
<content type="html" xml:base="https://mirror.example.org/blog/">&lt;p&gt;hi&lt;/p&gt;</content></entry>
<entry><title>Absolute</title><id>urn:3</id><link href="https://elsewhere.example.com/p"/>
<updated>2026-10-01T00:00:00Z</updated><content type="html">&lt;p&gt;hi&lt;/p&gt;</content></entry>
</feed>"""


def test_when_entry_links_are_relative_then_they_resolve_against_xml_base_or_the_feed_link(tmp_path: Path) -> None:
    from extractor.feeds import parse_feed

    urls = [a.url for a in parse_feed(RELATIVE_ATOM, "feed.atom").articles]
    assert urls == ["https://blog.example.net/2026/10/post/", "https://mirror.example.org/blog/post-2/",
                    "https://elsewhere.example.com/p"]


def test_when_a_relative_entry_link_is_resolved_then_the_prose_links_follow_it(tmp_path: Path) -> None:
    from extractor.pipeline import load_tutorials

    (tmp_path / "feed.atom").write_bytes(RELATIVE_ATOM)
    tutorials, errors = load_tutorials([tmp_path / "feed.atom"])
    assert not errors
    prose = {t.title: " ".join(getattr(b, "markdown", "") for b in t.blocks) for t in tutorials}
    assert "(https://blog.example.net/2026/10/other/)" in prose["Relative"]
