"""The plan: one stage decides what every step of an article does, in every place it runs.

``make_plan(tutorial, place, options)`` → :class:`Plan`, the ordered :class:`Action`\\ s (run
shell / run a Python example / run a program / write a file / static check / skip with a
reason and a typed need / provided by the image) and the Debian packages the article's image
layer adds. It is computed once per article and place, and handed to every consumer: the
notebook and check.sh writers (``extractor.render``), ``tutorcheck check`` and the pytest
plugin (``extractor.sandbox.runner``), ``tutorcheck step`` (``extractor.learner``).

The places (check, check.sh, notebook, step) differ only where a row of
:data:`~extractor.plan.places.PLACES` says so. Facts about commands come typed from
``extractor.understand`` (``Step.facts``); the plan never reads a command's text.
"""

from __future__ import annotations

from extractor.plan.actions import Action, Plan
from extractor.plan.make import SCRIPT_DIR, depends_on, make_plan, needs_of, steps_of
from extractor.plan.pinning import Pinned
from extractor.plan.places import PLACES, Place, PlaceRules
from extractor.plan.rules import NEED_RULES, in_background, install_reason
from extractor.plan.tools import ToolTable, parse_tools, tool_table

__all__ = ["NEED_RULES", "PLACES", "SCRIPT_DIR", "Action", "Pinned", "Place", "PlaceRules", "Plan", "ToolTable",
           "depends_on", "in_background", "install_reason", "make_plan", "needs_of", "parse_tools", "steps_of",
           "tool_table"]
