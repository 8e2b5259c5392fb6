"""Synthetic corpora for benchmarks: the seed feeds' items replicated with distinct titles
and links, written as RSS files of ``per_feed`` items each (as a blog platform pages them)."""

from __future__ import annotations

import html
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parent.parent
SEED_FEEDS = sorted((ROOT / "feeds").glob("*-*.rss.xml"))


def _seed_items() -> list[dict[str, str]]:
    items = []
    for feed in SEED_FEEDS:
        parsed = feedparser.parse(str(feed), sanitize_html=False)
        for entry in parsed.entries:
            body = (entry.get("content") or [{}])[0].get("value") or entry.get("summary", "")
            items.append({"title": entry.title, "link": entry.link, "body": body,
                          "date": entry.get("published", "")})
    return items


def write_corpus(directory: Path, articles: int, per_feed: int = 100) -> list[Path]:
    """Write ``articles`` distinct items into ``directory``; returns the feed files."""
    seeds = _seed_items()
    directory.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for start in range(0, articles, per_feed):
        rows = []
        for n in range(start, min(start + per_feed, articles)):
            seed = seeds[n % len(seeds)]
            copy = n // len(seeds)
            rows.append(
                "<item>"
                f"<title>{html.escape(seed['title'])} (part {copy})</title>"
                f"<link>{html.escape(seed['link'])}-part-{copy}</link>"
                f"<pubDate>{html.escape(seed['date'])}</pubDate>"
                f"<description>{html.escape(seed['body'])}</description>"
                "</item>"
            )
        path = directory / f"corpus-{start // per_feed:04d}.rss.xml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>corpus</title>'
            "<link>https://corpus.invalid/</link><description>benchmark</description>"
            + "".join(rows) + "</channel></rss>\n",
            encoding="utf-8",
        )
        files.append(path)
    return files
