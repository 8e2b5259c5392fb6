"""Values a reader must replace before a snippet can run: ``REPLACE_ME``, ``<your-value>``,
``YOUR_USERNAME``, ``x.y.z``... and which of them are credentials."""

from __future__ import annotations

import re

from extractor.understand.tables import CREDENTIAL_WORDS

# Placeholders in angle brackets: ``<your-token>``, ``<NAMESPACE>``, ``<cluster-name>``.
ANGLED = re.compile(r"<(?:(?i:(?:your|my|the)[-_ ][^<>\n]{1,40})|[A-Z][A-Z0-9_-]{2,40}|"
                    r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)>")

PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bREPLACE[_-]?[A-Z0-9_]*"),
    re.compile(r"\b[A-Z0-9_]*YOUR_[A-Z0-9_]+\b"),
    re.compile(r"\b[A-Z][A-Z0-9_]*_HERE\b"),
    ANGLED,
    re.compile(r"\byour[-_][a-z0-9]+(?:[-_][a-z0-9]+)*\b"),
    re.compile(r"(?<![\w.])x\.y(?:\.z)?(?![\w.])"),
    re.compile(r"\b(?:CHANGEME|CHANGE_ME|TODO_[A-Z_]+|XXXX+|xxxx+)\b"),
)


def placeholders(text: str) -> list[str]:
    """Every placeholder in ``text``, in order of the patterns."""
    found: list[str] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if m.group(0) not in found:
                found.append(m.group(0))
    return found


def credential(name: str) -> bool:
    upper = name.upper().replace("-", "_")
    return any(word in upper for word in CREDENTIAL_WORDS)
