"""One exception family for everything tutorcheck reports about its input or environment.

A failing *snippet* is never an exception (it is a result); these are for input we
cannot read, usage we cannot honour, and an environment we cannot use.
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base of every error tutorcheck raises on purpose. ``where`` names the input."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what

    def __reduce__(self) -> tuple[type[ExtractorError], tuple[str, str]]:
        # Pickle by the two parts, so errors cross from extract's worker processes intact.
        return (self.__class__, (self.where, self.what))


class SourceError(ExtractorError):
    """A source (feed file, URL, page, directory) cannot be read or parsed at all."""


class ItemError(ExtractorError):
    """One item of a source is unusable; the rest of the source is still processed."""


class UsageError(ExtractorError):
    """The command line asks for something that cannot be done (exit status 2)."""


class SandboxError(ExtractorError):
    """The Docker engine or an image is unavailable (not a snippet failure)."""
