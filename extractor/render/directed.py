"""check.sh's part for the steps an author's directives changed (plan/authored.py): a step's own
timeout, an expected failure, an output rule, a skip that leaves no gap. Only a plan with such
steps gets it, so the other articles' check.sh stay as they were.

A directed step is called with its settings in front (``directed=1 expect=fail rule=regex
STEP_TIMEOUT=5 why='the author: ...' run ...``: bash gives them to that call only); the
program's ``verdict_of`` hands it to ``directed_verdict``, which judges as ``tutorcheck check``
judges (``sandbox/runner.judge_action``): the output rules are :mod:`extractor.outputrules`
itself, carried into the container; a failure whose output shows the missing network is
skipped as for any step (``offline``: :mod:`extractor.unreached`, carried by check.sh).
"""

from __future__ import annotations

from pathlib import Path

from extractor import outputrules
from extractor.plan import Action, Plan
from extractor.quoting import heredoc, sh_word
from extractor.vocab import NO_GAP_NEEDS

DIRECTED_PRELUDE = r"""
directed_pass() { passed=$((passed + 1)); say PASS "$1" "$2" "$3 -- $4; $why"; }
directed_fail() {  # a failure that shows the missing network is a skip here too (offline: unreached.py): 1
  if [ -e "$tc/shown" ]; then offline "$1" "$2" "$3" "$rc" "$tc/shown" && return 1; else offline "$1" "$2" "$3" "$rc" \
    && return 1; fi
  failed=$((failed + 1)); say FAIL "$1" "$2" "$3 -- $4; $why"; }
directed_verdict() {  # BLOCK STEP TITLE RC: judged as the author said ($expect, $rule), words in $why
  if [ -e "$tc/timeout" ]; then timedout=$((timedout + 1))
    say TIMEOUT "$1" "$2" "$3 -- did not finish within ${STEP_TIMEOUT}s; $why"; return; fi
  same=1 recorded=0 rc=$4; rm -f "$tc/shown"
  if [ -e "$tc/want" ]; then recorded=1
    if [ -n "${rule:-}" ]; then python3 "$tc/outputrules.py" "$rule" "$tc/want" "$tc/out" >"$tc/diff" || same=0
    else same_output "$tc/want" "$tc/out" >"$tc/diff" || same=0; fi
    mv -f "$tc/want" "$tc/shown"; fi
  if [ "${expect:-}" = fail ]; then
    if [ "$4" -eq 0 ]; then directed_fail "$1" "$2" "$3" "expected to fail, but it succeeded"
    elif [ "$same" -eq 1 ]; then directed_pass "$1" "$2" "$3" "expected to fail, and failed (exit status $4)"
    else directed_fail "$1" "$2" "$3" "expected to fail, and failed, but output differs" \
      && sed 's/^/    /' "$tc/diff"; fi
  elif [ "$same" -eq 0 ]; then directed_fail "$1" "$2" "$3" "output differs (exit $4)" && sed 's/^/    /' "$tc/diff"
  elif [ "$recorded" -eq 1 ] || [ "$4" -eq 0 ]; then directed_pass "$1" "$2" "$3" "exit status $4"
  else directed_fail "$1" "$2" "$3" "exit status $4"; fi
}
eval "gapped_$(declare -f skip)"  # skip BLOCK STEP TITLE REASON nogap: the author's skip, no gap for later steps
skip() { if [ "${5:-}" != nogap ]; then gapped_skip "$@"; return; fi
  skipped=$((skipped + 1)); say SKIP "$1" "$2" "$3 -- $4"; }
eval "undirected_$(declare -f verdict_of)"
verdict_of() { if [ -n "${directed:-}" ]; then directed_verdict "$@"; else undirected_verdict_of "$@"; fi; }
"""


def directed_steps(plan: Plan) -> bool:
    """The plan has steps whose verdict an author's directive changes."""
    return any((a.runs and a.authored) or a.need in NO_GAP_NEEDS for a in plan.actions)


def directed_prelude() -> list[str]:
    """The functions a directed step needs, and the output rules' module written where they run it."""
    source = Path(outputrules.__file__).read_text(encoding="utf-8")
    return [DIRECTED_PRELUDE, *heredoc('cat >"$tc/outputrules.py"', source, "TC_OUTPUTRULES")]


def settings(a: Action) -> str:
    """What goes in front of a directed step's call ("" for any other step)."""
    if not a.authored:
        return ""
    words = ["directed=1", f"expect={'fail' if a.expect_fail else 'pass'}", f"rule={sh_word(a.output_rule or '')}"]
    if a.timeout:
        words.append(f"STEP_TIMEOUT={max(1, round(a.timeout))}")
    return " ".join([*words, f"why={sh_word(a.authored)}", ""])


__all__ = ["directed_prelude", "directed_steps", "settings"]
