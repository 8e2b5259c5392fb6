"""Cross-posts become one tutorial; same-titled different posts do not; slugs are stable."""

from __future__ import annotations

from extractor.merge import assign_slugs, group_copies, slugify, to_tutorial
from extractor.model import Origin, RawArticle


def _article(title: str, url: str, html: str, source: str = "a.xml") -> RawArticle:
    return RawArticle(origin=Origin(source, title), title=title, url=url, html=html)


BODY = "<p>" + " ".join(f"word{i}" for i in range(200)) + "</p>"


def test_cross_post_is_one_tutorial_with_alias() -> None:
    a = _article("Hello, World!", "https://a.invalid/hello", BODY, "a.xml")
    b = _article("hello world", "https://b.invalid/hello-world", BODY + "<p>extra</p>", "b.xml")
    [(slug, group)] = assign_slugs(group_copies([a, b]))
    tutorial = to_tutorial(slug, group, [])
    assert slug == "hello-world"
    assert tutorial.url == "https://a.invalid/hello"
    assert tutorial.aliases == ("https://b.invalid/hello-world",)
    assert [s.feed for s in tutorial.also_in] == ["b.xml"]


def test_same_title_different_post_stays_apart_with_deterministic_suffix() -> None:
    a = _article("Introduction", "https://a.invalid/intro", BODY, "a.xml")
    b = _article("Introduction", "https://b.invalid/intro", "<p>something else entirely</p>", "b.xml")
    forward = dict((g.primary.url, s) for s, g in assign_slugs(group_copies([a, b])))
    backward = dict((g.primary.url, s) for s, g in assign_slugs(group_copies([b, a])))
    expected = {"https://a.invalid/intro": "introduction", "https://b.invalid/intro": "introduction-2"}
    assert forward == backward == expected


def test_suffix_avoids_a_slug_another_article_already_has() -> None:
    arts = [
        _article("Intro", "https://x.invalid/1", "<p>one</p>"),
        _article("Intro", "https://x.invalid/2", "<p>two two</p>"),
        _article("Intro 2", "https://x.invalid/3", "<p>three</p>"),
    ]
    slugs = sorted(s for s, _ in assign_slugs(group_copies(arts)))
    assert slugs == ["intro", "intro-2", "intro-3"]


def test_slug_is_ascii_and_bounded() -> None:
    assert slugify("Ünïcode — and C++ / CI/CD: a “guide”") == "unicode-and-c-ci-cd-a-guide"
    assert len(slugify("word " * 100)) <= 80


def test_title_without_latin_letters_falls_back_to_url() -> None:
    a = _article("深入理解", "https://a.invalid/posts/deep-dive.html", "<p>x</p>")
    [(slug, _)] = assign_slugs(group_copies([a]))
    assert slug == "deep-dive"
