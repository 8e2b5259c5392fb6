"""A Python program the page shows in two pieces: its definitions, then the lines that use them."""

from __future__ import annotations

from dataclasses import replace

from extractor.understand import python
from extractor.understand.block import Understood


def continued(firsts: list[Understood | None]) -> list[Understood | None]:
    """A Python file that uses names only the code block right before it defines (``hello()``
    after a fragment that defines ``hello``) is that block and this one: a program shown in two
    pieces (``if __name__ == '__main__': hello()`` under its definitions). The file starts where
    its first piece stands, and is written there whole; the second piece is the rest of it."""
    out = list(firsts)
    for k in range(1, len(out)):
        u, prev = out[k], out[k - 1]
        if not (u and prev and u.block.kind == "file" and u.block.lang == "python" and u.block.written is None
                and prev.block.kind == "fragment" and prev.block.lang == "python" and prev.block.filename is None):
            continue
        tree, before = python.parse(u.block.text), python.parse(prev.block.text)
        free = python.free_names(tree) if tree is not None else set()
        if not free or before is None or free & python.free_names(before) or free - python.defined(before):
            continue
        name = u.block.filename
        note = (f"{name} is this block and the next one: the next uses "
                f"{', '.join(sorted(free))}, which only this block defines")
        joined = prev.block.text.rstrip("\n") + "\n\n\n" + u.block.text
        out[k - 1] = replace(prev, block=replace(prev.block, kind="file", filename=name, written=joined,
                                                 notes=(*prev.block.notes, *u.block.notes, note)))
        rest = f"the rest of {name}, written whole with block {prev.block.index}"
        out[k] = replace(u, block=replace(u.block, kind="fragment", filename=None, notes=(rest,)))
    return out


__all__ = ["continued"]
