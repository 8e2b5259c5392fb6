"""A step's facts, typed: its needs with their values, and its nature (:mod:`.nature`).

The labels (``needs``) are decided by :mod:`.needs`; here each gets its value: which tool,
which secret variable, which placeholder. Decided once, stored on the step
(``Step.facts``): the plan and every place that runs a step read them, never the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.model import Facts, Need
from extractor.understand import nature, packages, python
from extractor.understand.destinations import destinations
from extractor.understand.placeholders import (
    credential,
    in_command,
    in_output,
    placeholders,
    stand_in_names,
)
from extractor.vocab import NeedKind


def _needs(labels: Sequence[str], text: str, unset: Sequence[str], shell: bool = True, run: bool = False,
           output: str | None = None) -> tuple[Need, ...]:
    """Each label's need with its values; ``run``: ``text`` is what a step runs (its stand-ins
    and stand-in names are placeholders too), ``output`` what the article shows it print."""
    found: list[Need] = []
    for label in labels:
        need = Need.from_label(label)
        if need.kind == NeedKind.SECRET:  # a variable to supply, or a stand-in the page names (<api-token>)
            names = [v for v in unset if credential(v)] + [
                p for p in placeholders(text) if credential(p) and not p.isidentifier()]  # not a variable's name
            found += [Need(NeedKind.SECRET, v) for v in names] or [need]
        elif need.kind == NeedKind.PLACEHOLDER:
            values = placeholders(text) + [f"${v}" for v in unset if not credential(v)]
            if run:  # the placeholders again, first met above: fromkeys keeps them where they were
                values += in_command(text, shell) + stand_in_names(text) + in_output(output)
            found += [Need(NeedKind.PLACEHOLDER, v) for v in dict.fromkeys(values)] or [need]
        elif need.kind == NeedKind.NETWORK:  # where it goes ("" for a destination the text does not say)
            found += [Need(NeedKind.NETWORK, v) for v in destinations(text, shell)]
        else:
            found.append(need)
    return tuple(found)


def command_facts(command: str, labels: Sequence[str], unset: Sequence[str] = (), shell: bool = True,
                  output: str | None = None, python_step: bool = False) -> Facts:
    """The facts of one step: ``labels`` are its needs, ``unset`` the variables it reads that
    nothing before it sets (:func:`.needs.unset_variables`), ``output`` what the article shows it
    print; ``python_step``: a Python statement (one that only binds literals relies on nothing)."""
    needs = _needs(labels, command, unset, shell, run=True, output=output)
    fetches = any(n.kind == NeedKind.NETWORK for n in needs)
    if not shell:
        return Facts(needs=needs, fetches=fetches, literal=python_step and python.binds_literals(command))
    found = packages.language_packages(command)
    return Facts(needs=needs, installs=nature.system_install(command) or packages.language_install(command),
                 serves=nature.runs_until_stopped(command), editor=nature.editor(command), fetches=fetches,
                 reads_only=nature.only_reads(command), packages=found.packages,
                 packages_offline=packages.offline_with_packages(command, found),
                 venv=nature.venv(command), shows=nature.shows(command))


def text_facts(text: str, labels: Sequence[str], filename: str | None = None) -> Facts:
    """The facts of a block's text that is saved, not run (a file): the values to fill in, and
    for a requirements file the packages it lists (what ``pip install -r`` of it installs)."""
    listed = packages.requirements(text) if filename and packages.is_requirements(filename) else ()
    return Facts(needs=_needs(labels, text, ()), packages=listed)


__all__ = ["command_facts", "text_facts"]
