"""Context the article shows of the machine it was written on, which the sandbox pins (a pure
value, part of the model: ``Tutorial.pins``; understand/pins.py decides them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pin:
    """What (``git-identity``, ``hostname``, ``workdir``, ``clock``, ``terminal-width``,
    ``version:NAME``), its value, and where the article shows it."""

    what: str
    value: str
    shown_in: str


__all__ = ["Pin"]
