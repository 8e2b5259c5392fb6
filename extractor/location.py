"""Where a block or step is in its source (a file and line, or a feed, an item and a block)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Location:
    """Where a block or step is in its source. A Markdown/reST file: ``path`` and ``line``
    (1-based, the block's first line of code or the step's command). A feed or page: ``path``
    is the feed, ``item`` the article in it (its URL, else its title), ``block`` the index."""

    path: str
    line: int | None = None
    item: str | None = None
    block: int | None = None

    def to_json(self) -> dict[str, Any]:
        if self.item is None:
            return {"path": self.path, "line": self.line}
        return {"feed": self.path, "item": self.item, "block": self.block}

    def __str__(self) -> str:
        if self.item is None:
            return f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.path} › {self.item} › block {self.block}"


def location_from_json(d: dict[str, Any] | None) -> Location | None:
    if not d:
        return None
    if "feed" in d:
        return Location(path=d["feed"], item=d.get("item") or "", block=d.get("block"))
    return Location(path=d["path"], line=d.get("line"))
