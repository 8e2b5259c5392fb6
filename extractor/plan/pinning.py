"""How the context an article shows (``Plan.pins``, decided by understand/pins.py) is applied in
each place: the directory the steps start in, the environment they get, the machine's name, and
the lines that tell a reader what was pinned. ONE decision, read by every place (check's runner,
check.sh, the notebook, ``tutorcheck step``); a place applies what its row of
:data:`~extractor.plan.places.PLACES` lets it (``PlaceRules.pins``) and says what it left out.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from extractor.context import Pin
from extractor.plan.places import PLACES, Place

FAKETIME_LIB = f"/usr/lib/{platform.machine()}-linux-gnu/faketime/libfaketime.so.1"


def _identity(value: str) -> dict[str, str]:
    name, _, email = value.rpartition(" <")
    return {f"GIT_{who}_{part}": v for who in ("AUTHOR", "COMMITTER")
            for part, v in (("NAME", name), ("EMAIL", email.rstrip(">")))}


def _clock(value: str) -> dict[str, str]:  # libfaketime (Debian faketime, in the article's layer) starts it there
    return {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": "@" + value.removesuffix(" UTC"), "TZ": "UTC"}


# The environment each kind of pin sets (the others are a place, not a variable).
PIN_ENV: Mapping[str, Callable[[str], dict[str, str]]] = MappingProxyType({
    "git-identity": _identity,
    "terminal-width": lambda v: {"COLUMNS": v},  # tools fill or cut to the terminal where the article's did
    "clock": _clock,
})

# How a reader is told what was pinned, by kind.
PIN_WORDS: Mapping[str, str] = MappingProxyType({
    "workdir": "working directory", "terminal-width": "terminal width (COLUMNS)", "git-identity": "git identity",
    "hostname": "host name", "clock": "clock",
})


@dataclass(frozen=True)
class Pinned:
    """What a place applies of the article's pins."""

    start_dir: str = ""  # the steps start here ('' = the sandbox's home)
    env: tuple[tuple[str, str], ...] = ()  # sorted (name, value)
    hostname: str = ""
    said: tuple[str, ...] = ()  # one line per pin: what, its value, where the article shows it
    left: tuple[str, ...] = ()  # one line per pin this place does not apply, and why

    @property
    def environment(self) -> dict[str, str]:
        return dict(self.env)


def pinned(pins: tuple[Pin, ...], place: Place) -> Pinned:
    """The pins ``place`` applies (its ``PlaceRules.pins``), as a start directory, environment
    and host name, with the lines saying so. ``version:NAME`` pins act on installs, not here."""
    applies = PLACES[place].pins
    env: dict[str, str] = {}
    said: list[str] = []
    left: list[str] = []
    for pin in pins:
        if pin.what not in PIN_WORDS:
            continue
        line = f"{PIN_WORDS[pin.what]} {pin.value} (from {pin.shown_in})"
        if pin.what not in applies:
            left.append(f"{line}: not applied in the {place}, {PLACES[place].pins_left}")
            continue
        said.append(line)
        env |= PIN_ENV[pin.what](pin.value) if pin.what in PIN_ENV else {}
    start = next((p.value for p in pins if p.what == "workdir" and "workdir" in applies), "")
    host = next((p.value for p in pins if p.what == "hostname" and "hostname" in applies), "")
    return Pinned(start, tuple(sorted(env.items())), host, tuple(said), tuple(left))


__all__ = ["FAKETIME_LIB", "PIN_ENV", "PIN_WORDS", "Pinned", "pinned"]
