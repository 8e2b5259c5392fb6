"""Compare a step's expected output (what the article shows) with what the sandbox printed.

Strict where it matters, calm where it doesn't. Both texts go through the same normalisation
stages, in order, and are then compared line by line:

0. what only the run carries and the article leaves out (job notices, one more ``+`` of xtrace)
   goes (``runside.py``); a page's way of rendering is undone (``rendered.py``: ``\\r``, rules, placeholders).
1. ``whitespace`` – CRLF, trailing blanks, leading/trailing blank lines; runs of blanks and tabs
   inside a line become one space (tables whose column widths moved, tabs vs spaces); the
   indentation is kept (tabs expanded), since it is structure in YAML, JSON or Python output.
2. ``table`` – a block under an ALL-CAPS header (``kubectl get``, ``docker ps``, ``helm list``)
   is cut into cells by the header's column positions; columns whose value is a moment
   (``AGE``, ``LAST SEEN``…) become a placeholder whatever they hold.
3. volatile tokens, matched by shape (``TOKEN_RULES``: name, pattern → placeholder): ages,
   timestamps, durations, Kubernetes generated names, hex ids, UUIDs, IPs, ports, temp paths, cargo's status.
4. ``unordered`` – a line that is a Python display of a set, frozenset or dict (literals only,
   parsed, never evaluated) has its elements sorted, so hash order and insertion order do not
   matter; each element keeps its exact repr (``{1}`` and ``{1.0}`` still differ).
5. ``ellipsis`` – an expected line that is only ``...`` (or ``…``) matches zero or more lines.

A changed value that is not volatile (``1/1`` → ``0/1``, ``Running`` → ``Error``, a word, a
missing or extra line) still fails, and so does a different outcome (``OUTCOMES``: a conflict,
an error, a prompt shown on one side only) hidden by an elision. ``Comparison.rule`` names the
stages the match needed. Alternatives (``ALTERNATIVE_MARK``): any of them matching is a match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    from extractor.displays import unordered
    from extractor.rendered import PLACEHOLDER_STAGES, joined_progress, placeholder_versions, rule_line, screen
    from extractor.runside import run_side
except ImportError:  # in the toolbox image, beside displays.py (check.sh judges output with this file)
    from displays import unordered  # type: ignore[no-redef]
    from rendered import PLACEHOLDER_STAGES, joined_progress, placeholder_versions, rule_line, screen  # type: ignore[no-redef]
    from runside import run_side  # type: ignore[no-redef]

EXACT, NORMALIZED, MISMATCH = "exact", "normalized", "mismatch"


@dataclass(frozen=True)
class Comparison:
    """Verdict of ``compare``. ``rule``: ``exact``, the ``+``-joined stages a normalised match
    needed (e.g. ``table+age+k8s-name``), or empty on mismatch. ``diff``: a unified diff of the
    normalised texts on mismatch, else empty."""

    match: str
    rule: str = ""
    diff: str = ""

    @property
    def ok(self) -> bool:
        return self.match != MISMATCH


@dataclass(frozen=True)
class TokenRule:
    """A volatile token: every match of ``pattern`` becomes ``placeholder`` (a ``re.sub``
    replacement, so it may keep groups such as the stable prefix of a generated name)."""

    name: str
    pattern: re.Pattern[str]
    placeholder: str


def _rule(name: str, pattern: str, placeholder: str, flags: int = 0) -> TokenRule:
    return TokenRule(name, re.compile(pattern, flags), placeholder)


_DAY, _MON = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)", r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_HMS, _ZONE = r"\d{2}:\d{2}:\d{2}(?:[.,]\d+)?", r"(?:Z|[+-]\d{2}:?\d{2}|\s?(?:UTC|GMT|[A-Z]{3,4}))"
# Characters kubernetes uses for generated suffixes (pod-template-hash, generateName): no
# vowels, no 0/1/3, so English words almost never look like one.
_K8S = "[bcdfghjklmnpqrstvwxz2456789]"
_NAME_END = r"(?![\w-])"
_H6 = r"(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)"  # colon-separated IPv6 groups

# Order matters: longer, more specific shapes first (a UUID, a replica-set hash before a hex id,
# a timestamp before a bare time, an IP before a port).
TOKEN_RULES: tuple[TokenRule, ...] = (
    _rule("ansi", r"\x1b\[[0-9;?]*[A-Za-z]", ""),
    # cargo's status lines: the reader's folder (a file:// URL in older cargo) and cargo's wording of the profile
    _rule("build-status", r"^(\s*(?:Compiling|Checking|Documenting|Fresh|Installing|Packaging|Verifying) [\w-]+ v\d\S*)"
          r" \((?:file://)?/[^)]*\)$|^(\s*Finished )`?(\w+)`?(?: profile)? \[[^\]]*\] target\(s\) in \S+$", r"\1\2\3"),
    _rule("temp-path", r"(?<![\w./~-])(?:/private)?(?:/tmp|/var/tmp|/var/folders/[\w/]+?/T)/[^\s'\"`:,;)\]]+", "<tmp>"),
    _rule("uuid", r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b", "<uuid>"),
    _rule("timestamp", rf"\b\d{{4}}-\d{{2}}-\d{{2}}[T ]{_HMS}{_ZONE}?", "<timestamp>"),
    _rule("timestamp", rf"\b{_DAY},? (?:{_MON} +\d{{1,2}}|\d{{1,2}} {_MON}) (?:\d{{4}} )?{_HMS}"
          rf"(?:{_ZONE})?(?: \d{{4}})?", "<timestamp>"),
    _rule("timestamp", rf"\b\d{{4}}/\d{{2}}/\d{{2}} {_HMS}", "<timestamp>"),
    _rule("timestamp", rf"\b{_MON} +\d{{1,2}} {_HMS}", "<timestamp>"),
    _rule("date", r"\b\d{4}-\d{2}-\d{2}\b", "<date>"),
    _rule("date", rf"\b{_MON} +\d{{1,2}} +(?:\d{{2}}:\d{{2}}|\d{{4}})\b", "<date>"),  # ls -l
    _rule("time", rf"\b{_HMS}\b", "<time>"),
    _rule("k8s-name", rf"(?<=[a-z0-9])-(?={_K8S}*\d){_K8S}{{6,10}}-{_K8S}{{5}}{_NAME_END}", "-<hash>-<id>"),
    _rule("k8s-name", rf"(?<=[a-z0-9])-(?={_K8S}*\d){_K8S}{{6,10}}{_NAME_END}", "-<hash>"),
    _rule("k8s-name", rf"(?<=[a-z0-9])(?:-{_K8S}{{5}})+{_NAME_END}", "-<id>"),
    _rule("k8s-event-count", r"\(x\d+ over ", "(x<n> over "),
    _rule("k8s-resource-version", r"(resourceVersion: )\"?\d+\"?", r"\1<n>"),
    _rule("address", r"\b0x[0-9a-fA-F]{6,16}\b", "0x<address>"),
    _rule("job-pid", r"^\[(\d+)\] \d+$", r"[\1] <pid>"),
    _rule("digest", r"\b(sha(?:1|256|384|512)):[0-9a-f]{16,128}\b", r"\1:<digest>"),
    _rule("hex", r"^(\[[\w./-]+(?: \(root-commit\))?) [0-9a-f]{7,40}\]", r"\1 <hex>]"),  # git commit: may be all digits
    _rule("hex", r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,128}\b", "<hex>"),
    _rule("ip", r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])", "<ip>"),
    _rule("ip", r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])", "<ip>"),
    _rule("ip", rf"(?<![\w:])(?=[0-9a-fA-F:]*\d){_H6}?::{_H6}?(?![\w:])", "<ip>"),
    _rule("port", r"(<ip>|\blocalhost):\d{1,5}\b", r"\1:<port>"),
    _rule("port", r"(?<=\d:)3[0-2]\d{3}(?=/(?:TCP|UDP|SCTP)\b)", "<port>"),
    _rule("duration", r"\b(?:\d+h)?(?:\d+m)?\d+\.\d+s\b", "<duration>"),
    _rule("duration", r"\b\d+(?:\.\d+)?(?:ns|µs|us|ms)\b", "<duration>"),
    _rule("duration", r"\b\d+(?:\.\d+)? ?(?:nanoseconds?|microseconds?|milliseconds?|seconds?|secs?|minutes?|mins?"
          r"|hours?|days?|weeks?|months?|years?)\b", "<duration>"),
    _rule("duration", r"\b(?:about|less than) an? (?:second|minute|hour)\b", "<duration>", re.IGNORECASE),
    # not a value someone set: `cpu: 250m`, `--timeout=5m`, `"interval": "30s"` are configuration
    _rule("age", r"(?<![\w.:/=\"'-])(?<!: )(?<!:\t)\d+(?:[ywdhm]\d+)*[ywdhms](?![\w.:/-])", "<age>"),
)

# Table columns whose value is a moment or an elapsed time, whatever its shape.
VOLATILE_COLUMNS: dict[str, str] = {
    **dict.fromkeys(("AGE", "LAST SEEN", "FIRST SEEN", "CREATED", "UPDATED", "SINCE", "DURATION",
                     "LAST DEPLOYED", "LAST SCHEDULE"), "<age>"),
    **dict.fromkeys(("CONTAINER ID", "IMAGE ID", "UID"), "<id>"),
}

STAGES: tuple[str, ...] = ("carriage-return", "whitespace", "rule-line", "table", "unordered",
                           *dict.fromkeys(r.name for r in TOKEN_RULES), *PLACEHOLDER_STAGES, "ellipsis")

_ELLIPSIS = frozenset({"...", "…", "[...]", "(...)"})
_HEADER_WORD = r"[A-Z][A-Z0-9()/_.:%-]*"
_HEADER_NAME = rf"{_HEADER_WORD}(?: {_HEADER_WORD})*"
_HEADER = re.compile(rf"^\s*{_HEADER_NAME}(?:(?: {{2,}}|\t+){_HEADER_NAME})+\s*$")
_CELL = re.compile(r"\S+(?: \S+)*")


# What a transcript shows happened, by the shape of a line. The article's output and the run's
# must show the same outcomes, whatever an elision (``...``) absorbed: a merge the article shows
# in conflict does not pass with "Already up to date.", nor a clean run with a hidden error.
OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("conflict", re.compile(r"^CONFLICT \(|^Automatic merge failed|^<<<<<<< ", re.M)),
    ("error", re.compile(r"^(?:error|fatal|Error|ERROR|E|npm ERR!)(?:\[\w+\])?:? |^Traceback \(most recent call "
                         r"last\):|: command not found$|: No such file or directory$|^\w+(?:Error|Exception): ", re.M)),
    ("prompt", re.compile(r"(?:\[[yY]/[nN]\]|\((?:yes/no|y/n)\)|[Pp]assword(?: for \S+)?:|Are you sure[^\n]*\?)\s*$",
                          re.M)),
)


def outcomes(text: str) -> frozenset[str]:
    """The outcomes ``text`` shows (``OUTCOMES``): a conflict, an error, a prompt for an answer."""
    return frozenset(name for name, pattern in OUTCOMES if pattern.search(text))


# Between alternatives the article shows, in the text, so a check.sh handing files here judges them alike.
ALTERNATIVE_MARK = "\n\u2042 or \u2042\n"


def compare(expected: str, actual: str) -> Comparison:
    """Compare what the article shows with what the sandbox printed (see the module doc);
    with alternatives (``ALTERNATIVE_MARK``), the first that matches, else the first's diff."""
    if ALTERNATIVE_MARK in expected:
        tried = [_compare_one(alt, actual) for alt in expected.split(ALTERNATIVE_MARK)]
        return next((c for c in tried if c.ok), tried[0])
    return _compare_one(expected, actual)


def _compare_one(expected: str, actual: str) -> Comparison:
    actual, used = run_side(expected, actual)
    if expected == actual:
        return Comparison(NORMALIZED, "+".join(used)) if used else Comparison(EXACT, EXACT)
    exp, act = _normalized(expected, actual)
    if not _lines_match(exp, act, ellipsis=True):
        return Comparison(MISMATCH, "", _diff(exp, act))
    shown, seen = outcomes("\n".join(exp)), outcomes("\n".join(act))
    if shown != seen:
        what = "; ".join([f"the article shows {o}, the run does not" for o in sorted(shown - seen)]
                         + [f"the run shows {o}, the article does not" for o in sorted(seen - shown)])
        return Comparison(MISMATCH, "", f"# outcome differs: {what}\n" + _diff(exp, act))
    return Comparison(NORMALIZED, "+".join([*used, *_needed_stages(expected, actual)]))


def _normalized(expected: str, actual: str, disabled: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    actual = actual if "carriage-return" in disabled else joined_progress(expected, actual)
    exp, act = normalize(expected, disabled), normalize(actual, disabled)
    return exp, placeholder_versions(exp, act, [s for s in PLACEHOLDER_STAGES if s not in disabled])


def normalize(text: str, disabled: frozenset[str] = frozenset()) -> list[str]:
    """The lines of ``text`` after every stage not in ``disabled`` (but ``ellipsis``, ``version``)."""
    text = screen(text) if "carriage-return" not in disabled else text
    lines = structural_lines(text) if "whitespace" not in disabled else text.split("\n")
    table_rows = _tables(lines) if "table" not in disabled else {}
    out = []
    for i, line in enumerate(lines):
        if i in table_rows:
            line = table_rows[i]
        elif "whitespace" not in disabled:
            line = _squeeze(line)
        if "rule-line" not in disabled and i not in table_rows:
            line = rule_line(line)
        if "unordered" not in disabled:
            line = unordered(line)
        out.append(_tokens(line, disabled))
    return out


def _squeeze(line: str) -> str:
    """Runs of blanks inside a line become one space; the indentation (structure) stays, tabs expanded."""
    if line.strip() in _ELLIPSIS:
        return line.strip()
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)].expandtabs(8)
    return indent + re.sub(r"[ \t]+", " ", body)


def structural_lines(text: str) -> list[str]:
    """CRLF and trailing blanks: never meaningful in a terminal transcript."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _tokens(line: str, disabled: frozenset[str]) -> str:
    for rule in TOKEN_RULES:
        if rule.name not in disabled:
            line = rule.pattern.sub(rule.placeholder, line)
    return line


def _tables(lines: Sequence[str]) -> dict[int, str]:
    """Rows (by line number) of every column table, rendered ``cell | cell | …``."""
    rows: dict[int, str] = {}
    i = 0
    while i < len(lines):
        if not _HEADER.match(lines[i]):
            i += 1
            continue
        starts, names = _columns(lines[i])
        rows[i] = " | ".join(names)
        i += 1
        while i < len(lines) and lines[i].strip() and lines[i].strip() not in _ELLIPSIS:
            rows[i] = " | ".join(_cells(lines[i], starts, names))
            i += 1
    return rows


def _columns(header: str) -> tuple[list[int], list[str]]:
    found = [(m.start(), m.group()) for m in re.finditer(_HEADER_NAME, header.expandtabs(8))]
    return [s for s, _ in found], [n for _, n in found]


def _cells(row: str, starts: list[int], names: list[str]) -> list[str]:
    """Tab-separated rows split at tabs; aligned rows give each text run (words separated by
    single spaces) to the column it starts in, so column widths may differ between texts."""
    if "\t" in row.strip():
        cells = [c.strip() for c in re.split(r"\t+", row.strip())]
        cells = (cells + [""] * len(names))[: len(names)]
    else:
        cells = [""] * len(starts)
        for m in _CELL.finditer(row.expandtabs(8)):
            col = max((k for k, s in enumerate(starts) if s <= m.start() + 1), default=0)
            cells[col] = f"{cells[col]} {m.group()}".strip()
    return [VOLATILE_COLUMNS.get(name, cell) if cell else cell for name, cell in zip(names, cells, strict=True)]


def _lines_match(expected: Sequence[str], actual: Sequence[str], *, ellipsis: bool) -> bool:
    """Line-for-line equality; with ``ellipsis``, an elision line of ``expected`` stands for any
    number of lines. Glob matching over lines: the pieces between elisions are found leftmost
    first, which is linear and never backtracks."""
    if not ellipsis or not any(line.strip() in _ELLIPSIS for line in expected):
        return list(expected) == list(actual)
    pieces: list[list[str]] = [[]]
    for line in expected:
        if line.strip() in _ELLIPSIS:
            pieces.append([])
        else:
            pieces[-1].append(line)
    act = list(actual)
    first, middle, last = pieces[0], pieces[1:-1], pieces[-1]
    start, end = len(first), len(act) - len(last)
    if act[:start] != first or end < start or act[end:] != last:
        return False
    for piece in middle:
        found = next((i for i in range(start, end - len(piece) + 1) if act[i:i + len(piece)] == piece), None)
        if found is None:
            return False
        start = found + len(piece)
    return True


def _needed_stages(expected: str, actual: str) -> list[str]:
    """A minimal set of stages that still makes the texts match: drop each stage in turn unless
    the match needs it, the most generic first (``STAGES`` runs from specific to generic), so
    where two overlap (an ``AGE`` column and the ``age`` token) the specific one is named."""
    # A token rule that changes neither text is not needed: no need to try without it.
    silent = {r.name for r in TOKEN_RULES} - _firing(expected) - _firing(actual)
    off: frozenset[str] = frozenset(silent)
    if not _lines_match(*_normalized(expected, actual, off), ellipsis=True):
        off = frozenset()
    for stage in reversed(STAGES):
        if stage in off:
            continue
        trial = off | {stage}
        if _lines_match(*_normalized(expected, actual, trial), ellipsis="ellipsis" not in trial):
            off = trial
    return [s for s in STAGES if s not in off]


def _firing(text: str) -> set[str]:
    """Names of the token rules that change ``text`` (in order, as ``normalize`` applies them)."""
    fired = set()
    for line in text.split("\n"):  # per line, as normalize does (some rules anchor to a line)
        for rule in TOKEN_RULES:
            line, count = rule.pattern.subn(rule.placeholder, line)
            if count:
                fired.add(rule.name)
    return fired


def _diff(expected: Sequence[str], actual: Sequence[str]) -> str:
    return "\n".join(difflib.unified_diff(
        list(expected), list(actual), "expected (normalized)", "actual (normalized)", lineterm="")) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python3 matching.py EXPECTED_FILE ACTUAL_FILE``: exit 0 when they match (the rule on
    stdout), 1 with the unified diff, 2 on bad usage. Standard library only: the toolbox image
    carries this file, so a standalone check.sh judges output exactly as tutorcheck does."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: matching.py EXPECTED_FILE ACTUAL_FILE", file=sys.stderr)
        return 2
    texts = [Path(a).read_bytes().decode("utf-8", errors="replace") for a in args]  # keeps each \r
    c = compare(texts[0], texts[1])
    sys.stdout.write(f"{c.rule or c.match}\n" if c.ok else c.diff)
    return 0 if c.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
