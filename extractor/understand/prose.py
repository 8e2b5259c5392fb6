"""What the sentence right before a block says the block is: output a program printed, data it
answered with, or commands of a program the sentence names."""

from __future__ import annotations

import re

from extractor.understand import files

_OUTPUT_WORDS = re.compile(r"\b(output|prints?|printed|you should see|you'll see|you will see|shows?|displays?|"
                           r"returns?|result|response|responds?)\b", re.IGNORECASE)


# Stricter than _OUTPUT_WORDS: "shows" and "result" also introduce an excerpt of a config.
_PRINTED_WORDS = re.compile(r"\b(output|outputs|prints?|printed|respon(ds?|se)|replies|returns|you should see|"
                            r"you'll see|you will see|comes back|gives back)\b", re.IGNORECASE)
# "try the newly built `Tutorial` with these commands:", "run `Widget` as follows:".
_RUN_WORDS = re.compile(r"\b(?:commands?|run|running|type|typing|invoke|execute|call)\b", re.IGNORECASE)
_CODE = re.compile(r"`([A-Za-z][\w.+-]*)`")


def _last_sentence(before: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", before) if s.strip()]
    return sentences[-1] if sentences else ""


def printed_data(before: str) -> bool:
    """Does the sentence right before a JSON/YAML block say a program printed it?"""
    return bool(_PRINTED_WORDS.search(_last_sentence(before))) and not files.told_to_save(before, "json")


def introduces_output(before: str) -> bool:
    """Does the sentence right before a block say that what follows is output?"""
    return bool(_OUTPUT_WORDS.search(_last_sentence(before)))


# "compiled to an oct-file using the command", "run this command:", "For example,": the words a
# sentence ends with when a command (or, at a console, an example typed there) comes next.
_COMMAND_NEXT = re.compile(r"\bcommands?\s*:?\s*$", re.IGNORECASE)
_EXAMPLE_NEXT = re.compile(r"\b(?:for example|for instance|e\.g\.)\s*[,:]?\s*$", re.IGNORECASE)


def introduces_command(before: str, examples: bool = False) -> bool:
    """Does the prose right before a block end by announcing a command ("using the command")
    or, with ``examples``, an example ("For example,")?"""
    tail = before.rstrip()[-200:].replace("\n", " ")
    return bool(_COMMAND_NEXT.search(tail) or (examples and _EXAMPLE_NEXT.search(tail)))


# "execute i3 with a line like this:", "add the following lines": lines of a file, not commands
_FILE_LINES = re.compile(r"\b(?:a|the|this|these|following|such) lines?\b", re.IGNORECASE)


def speaks_of_lines(before: str) -> bool:
    """Does the sentence right before a block call it a line or lines (of some file)?"""
    return bool(_FILE_LINES.search(_last_sentence(before)))


# "On Windows, ...", "On platforms that don't support symbolic links you can ...", "If you are on
# macOS:": the block is for another system than the sandbox's Linux (named as the sentence says).
_OTHER_PLATFORM = re.compile(
    r"^(?:on|for|under|if you(?:'re|’re| are) (?:on|using|running))\s+(?P<p>windows|macos|mac os(?: x)?|os x|"
    r"freebsd|openbsd|netbsd|solaris|aix|(?:platforms|systems|file ?systems)\s+(?:that|which)\s+"
    r"(?:do not|don['’]t|does not|doesn['’]t|cannot|can['’]t|lack)\s+(?:support\s+)?[\w -]{3,40}?|"
    r"(?:platforms|systems)\s+without\s+[\w -]{3,40}?)(?=\s*[,:]|\s+(?:you|use|run|type|the|it|one)\b)",
    re.IGNORECASE)


def other_platform(before: str) -> str:
    """The other system the sentence right before a block says the block is for ("On platforms
    that don't support symbolic links you can copy…" → "platforms that don't support symbolic
    links"), else ""."""
    paragraph = " ".join(before.strip().split("\n\n")[-1].split())  # its lines wrapped as the page wrote them
    m = _OTHER_PLATFORM.match(re.split(r"(?<=[.!?])\s+", paragraph)[-1])
    return m.group("p") if m else ""


def programs_run(before: str) -> frozenset[str]:
    """The programs the sentence right before a block names in code when it says the block runs
    them ("try the newly built `Tutorial` with these commands:"); empty when it does not."""
    paragraph = before.strip().split("\n\n")[-1].replace("\n", " ")  # its lines wrapped as the page wrote them
    last = re.split(r"(?<=[.!?])\s+", paragraph)[-1]
    if not last.rstrip().endswith(":") or not _RUN_WORDS.search(last) or _OUTPUT_WORDS.search(last):
        return frozenset()
    return frozenset(_CODE.findall(last))


__all__ = ["introduces_command", "introduces_output", "other_platform", "printed_data", "programs_run",
           "speaks_of_lines"]
