"""Values given with ``--env`` (often secrets) hidden in every output (where they come from:
``extractor.options.parse_env``).

Every verdict leaves the sandbox runner through ``mask_result``: each value, and the simple
transforms a step might print (reversed, base64 at any alignment, URL-encoded, hex), becomes
``***`` in every text field. Verdicts are judged before masking; what is cached, written
(JSON, JUnit, Markdown, the partial results) and shown is the masked result.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_MASKED = 3  # shorter values ("1", "on") are not secrets and would blank the output
MIN_TRANSFORM = 6  # transforms of shorter values match by chance
T = TypeVar("T")


def _base64_fragments(raw: bytes) -> set[str]:
    """The base64 text of ``raw`` wherever it sits in a longer stream: the characters that
    depend on ``raw`` alone, for each of the three byte alignments."""
    found = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw + b"\0\0").decode()
        start = 4 if shift else 0
        end = 4 * ((shift + len(raw)) // 3)
        for text in (encoded[start:end], base64.b64encode(raw).decode()):
            found |= {text, text.replace("+", "-").replace("/", "_")}
    return found


def variants(value: str) -> set[str]:
    """``value`` and the forms a step may print it in."""
    if len(value) < MIN_MASKED:
        return set()
    found = {value}
    if len(value) >= MIN_TRANSFORM:
        raw = value.encode("utf-8")
        found |= {value[::-1], quote(value, safe=""), quote_plus(value), raw.hex(), raw.hex().upper()}
        found |= _base64_fragments(raw) | _base64_fragments(raw[::-1])
    return {v for v in found if len(v) >= MIN_MASKED and (v == value or len(v) >= MIN_TRANSFORM)}


class Masker:
    """Replaces every variant of the given values with ``***`` (longest first)."""

    def __init__(self, values: Iterable[str]) -> None:
        forms = sorted({v for value in values for v in variants(value)}, key=lambda v: (-len(v), v))
        self._pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def __call__(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self._pattern else text

    def __bool__(self) -> bool:
        return self._pattern is not None

    def deep(self, value: T) -> T:
        """``value`` with every string in it masked (dataclasses, tuples, lists, dicts)."""
        return self._deep(value)  # type: ignore[no-any-return]

    def _deep(self, value: Any) -> Any:
        if type(value) is str:
            return self(value)
        if isinstance(value, str):  # a vocabulary (StrEnum): never a secret
            return value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self._deep(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        if isinstance(value, tuple):
            return tuple(self._deep(v) for v in value)
        if isinstance(value, list):
            return [self._deep(v) for v in value]
        if isinstance(value, dict):
            return {k: self._deep(v) for k, v in value.items()}
        return value


def mask_result(result: T, values: Iterable[str]) -> T:
    """A verdict with every ``--env`` value (and its simple transforms) shown as ``***``."""
    masker = Masker(values)
    return masker.deep(result) if masker else result
