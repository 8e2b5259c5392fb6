"""Where a plan runs, and the one table of what really differs between those places."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Place(StrEnum):
    """Where an article's steps run."""

    CHECK = "check"  # `tutorcheck check` (and the pytest plugin): the sandbox, one container per article
    CHECK_SH = "check.sh"  # the standalone check.sh: the same sandbox through the plain docker CLI
    NOTEBOOK = "notebook"  # the generated notebook: a Jupyter kernel, maybe on a learner's own machine
    STEP = "step"  # `tutorcheck step`: a learner's terminal, each step in the sandbox


@dataclass(frozen=True)
class PlaceRules:
    """What one place can do that another cannot. Every field is a row of the table below; a
    decision that differs between places reads it here, never tests the place itself."""

    # Files the article puts outside the working folder (``/etc/x``, ``~/.bashrc``, ``../x``)
    # are written. In a container they land in its throw-away filesystem; a notebook may run
    # on a reader's own machine, where writing there would change it.
    writes_outside_folder: bool
    # A kubectl step that needs a cluster gets a client-side check (--dry-run=client) as a step of
    # its own: a verdict for check and check.sh; a learner's notebook or terminal walks the article.
    client_checks: bool
    # The context the article shows that the place pins (plan/pinning.py), and why it leaves out the
    # rest: a notebook may run on a reader's own machine, where its directory is not the article's
    # to make; check.sh runs on any machine, so it cannot name the library that fakes the clock.
    pins: frozenset[str] = frozenset()
    pins_left: str = ""


_ALL_PINS = frozenset({"workdir", "terminal-width", "git-identity", "hostname", "clock"})

PLACES: Mapping[Place, PlaceRules] = MappingProxyType({
    Place.CHECK: PlaceRules(writes_outside_folder=True, client_checks=True, pins=_ALL_PINS),
    Place.CHECK_SH: PlaceRules(writes_outside_folder=True, client_checks=True, pins=_ALL_PINS - {"clock"},
                               pins_left="the file that fakes the clock is a path of the machine's own"),
    Place.NOTEBOOK: PlaceRules(writes_outside_folder=False, client_checks=False,
                               pins=frozenset({"terminal-width", "git-identity"}),
                               pins_left="a notebook may run on your own machine"),
    Place.STEP: PlaceRules(writes_outside_folder=True, client_checks=False, pins=_ALL_PINS),
})


__all__ = ["PLACES", "Place", "PlaceRules"]
