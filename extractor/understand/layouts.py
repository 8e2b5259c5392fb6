"""Project layouts: where a file the page names by its short name lives, in the kind of project
the article builds. A reader of a Debian packaging page knows that ``control``, ``changelog``
and ``rules`` are ``debian/control``, ``debian/changelog``, ``debian/rules``; a reader of an
MkDocs page knows that its Markdown pages (``SUMMARY.md``, ``borgs/index.md``) are named
relative to the site's ``docs/`` folder. A layout applies when the article shows it is about
such a project (it names a ``debian/`` path; it names ``mkdocs.yml``), and only to names
given without that folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from extractor.understand.block import Understood

# The files of a Debian source package's debian/ folder a page names by their short name.
_DEBIAN = frozenset({"control", "changelog", "copyright", "rules", "watch", "compat", "source/format",
                     "postinst", "preinst", "postrm", "prerm", "gbp.conf", "links", "manpages"})
# Markdown files that live at a project's root, beside mkdocs.yml, not among the site's pages.
_ROOT_PAGES = frozenset({"readme.md", "changelog.md", "contributing.md", "license.md", "code_of_conduct.md",
                         "security.md"})


def _site_page(path: str) -> bool:
    return (path.endswith((".md", ".markdown")) and not path.startswith(("docs/", "/", "~", ".", "$"))
            and path.rsplit("/", 1)[-1].lower() not in _ROOT_PAGES)


@dataclass(frozen=True)
class Layout:
    """A kind of project: the text that shows an article builds one, the folder its short
    names live in, and which names those are."""

    name: str
    shown_by: re.Pattern[str]
    folder: str
    holds: Callable[[str], bool]


LAYOUTS: tuple[Layout, ...] = (
    Layout("a Debian source package", re.compile(r"(?<![\w/.-])debian/[\w.-]"), "debian/", lambda p: p in _DEBIAN),
    Layout("an MkDocs site", re.compile(r"(?<![\w/.-])mkdocs\.ya?ml\b"), "docs/", _site_page),
)


def placed(firsts: list[Understood | None], article_text: str) -> list[Understood | None]:
    """The file blocks with their paths completed by the layout of the project the article
    builds, each with a note saying so."""
    layouts = [layout for layout in LAYOUTS if layout.shown_by.search(article_text)]
    out = list(firsts)
    for k, u in enumerate(out):
        name = u.block.filename if u and u.block.kind == "file" else None
        layout = next((layout for layout in layouts if name and layout.holds(name)), None)
        if u is None or name is None or layout is None:
            continue
        note = f"{name} of {layout.name}: {layout.folder}{name}"
        out[k] = replace(u, block=replace(u.block, filename=layout.folder + name, notes=(*u.block.notes, note)))
    return out
