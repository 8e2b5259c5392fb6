"""Caption lines: a listing's first line that is a comment naming only the file it is
(pytest's ``# content of test_x.py``, ``// file: main.go``, ``# file: app.py``) titles the
listing; it is not a line of the file. The file is written without it, so the line numbers
the page's output shows (``test_x.py:6: AssertionError``) count as the author's did. Which
file the listing is (that line among the evidence) is decided in block.py; this pass sees the
file's final name, after the article pass named and followed it.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.model import CodeBlock
from extractor.understand.files import NAME, NAME_COMMENT


def caption_line(text: str, filename: str) -> tuple[str, str] | None:
    """(the first line, the text without it) when that line is a comment naming only
    ``filename`` (or the same file with fewer or more folders), else None."""
    head, _, rest = text.lstrip("\n").partition("\n")
    m = NAME_COMMENT.match(head)
    name = m.group(1) if m else ""
    if not m or not NAME.fullmatch(name) or not (
            name == filename or filename.endswith(f"/{name}") or name.endswith(f"/{filename}")):
        return None
    return head.strip(), rest


def uncaptioned(block: CodeBlock) -> CodeBlock:
    """A file block written without its caption line, with a note saying so."""
    found = caption_line(block.content, block.filename) if block.kind == "file" and block.filename else None
    if found is None:
        return block
    note = f"its first line ({found[0]}) names the file: a caption, not a line of the file"
    return replace(block, written=found[1], notes=(*block.notes, note))
