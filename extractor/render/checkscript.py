"""The standalone check of one article: ``check.sh`` and its ``Dockerfile`` (pure, deterministic),
rendered from the article's check.sh plan and the sandbox's container spec (``Container``:
the policy as docker flags and the image recipe, given by ``extractor.sandbox.standalone``).

``check.sh`` needs only bash and the docker CLI: it builds the Dockerfile (FROM a tutorcheck
sandbox image), starts ONE container under the same policy as ``tutorcheck check``,
feeds it a program that runs every planned step in order in one shell
(state carried, stdin /dev/null, a per-step watchdog), prints a verdict per step and exits 1
when a step failed or timed out. Output is judged by tutorcheck's own matcher, which the
toolbox image carries (``matching.py``; ``replmatch.py`` for ``>>>`` examples, which all run in
ONE interpreter, the toolbox's ``pyrepl.py``, as ``tutorcheck check`` runs them); servers the
tutorial assumes installed start before the first step that uses them. Differences from
``tutorcheck check``: the steps' output goes to files, not a terminal, the article's clock is not
pinned (``PlaceRules.pins``; the directory, terminal width, git identity and host name are, as the
plan's ``pinned`` says, and the script says which), a package a failed step's error asks for
is not added (``sandbox/asked.py``: check runs the article again), and there is no ``blocked``
(``extractor.blocked``): a state-dependent step after a gap is skipped before it runs. A failure
whose output shows the missing network is skipped as check skips it (``extractor.unreached``,
carried into the container, with no network only: check.sh takes no allow-list).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from extractor import unreached
from extractor.model import Tutorial
from extractor.options import DEFAULT_ARTICLE_TIMEOUT_S, DEFAULT_STEP_TIMEOUT_S
from extractor.outputrules import expected_for
from extractor.plan import Action, Plan
from extractor.quoting import comment, delimiter, heredoc, sh_path, sh_word
from extractor.render.directed import directed_prelude, directed_steps, settings
from extractor.unreached import OFFLINE_ENVIRONMENT
from extractor.vocab import NO_GAP_NEEDS, ActionKind

PROVIDED, PYTHON, SCRIPT, SHELL, SKIP, STATIC, WRITE = (
    ActionKind.PROVIDED, ActionKind.PYTHON, ActionKind.SCRIPT, ActionKind.SHELL, ActionKind.SKIP,
    ActionKind.STATIC, ActionKind.WRITE)

INNER_EOF = "TUTORCHECK_INNER"


@dataclass(frozen=True)
class Container:
    """What check.sh needs of the sandbox: its policy as ``docker run`` flags (without the
    network, which check.sh sets), its process limit, and the article image's Dockerfile."""

    flags: tuple[str, ...]
    pids_limit: int
    dockerfile: str
    labels: tuple[tuple[str, str], ...] = ()  # (key, shell expression): the reaper's labels, as check.sh sets them


def _label_args(labels: tuple[tuple[str, str], ...]) -> str:
    """``--label`` arguments, three to a line; an expression the shell expands is double-quoted."""
    words = [f"--label {k}={v}" if re.fullmatch(r"[\w.=-]+", f"{k}={v}") else f'--label "{k}={v}"' for k, v in labels]
    return " \\\n    ".join(" ".join(words[i:i + 3]) for i in range(0, len(words), 3))


DEFAULT_STEP_TIMEOUT = int(DEFAULT_STEP_TIMEOUT_S)
DEFAULT_ARTICLE_TIMEOUT = int(DEFAULT_ARTICLE_TIMEOUT_S)

# Shell functions of the in-container program: verdicts, counters, a watchdog per step.
INNER_PRELUDE = r"""set -u
NETWORK=${NETWORK:-none}
exec 2>/dev/null  # the steps' output goes to files; the driver shell's own noise nowhere
tc=/tmp/.tutorcheck; mkdir -p "$tc"; mkfifo "$tc/tick"
passed=0 failed=0 skipped=0 timedout=0 notrun=0
say() { printf '%-8s block %s step %s: %s\n' "$1" "$2" "$3" "$4"; }
skip() { skipped=$((skipped + 1)); notrun=$((notrun + 1)); say SKIP "$1" "$2" "$3 -- $4"; }
provided() { skipped=$((skipped + 1)); say SKIP "$1" "$2" "$3 -- $4"; }  # the image did it: no gap
static() { if [ "$4" = ok ]; then passed=$((passed + 1)); say PASS "$1" "$2" "$3";
  else failed=$((failed + 1)); say FAIL "$1" "$2" "$3 -- $5"; fi; }
needs_state() { [ "$notrun" -eq 0 ] && return 0  # state comes from steps that ran
  skip "$1" "$2" "$3" "depends on earlier steps that did not run"; return 1; }
stop_step() {  # every process but init, this shell and the watchdog ($1): what the step started
  for p in /proc/[0-9]*; do p=${p#/proc/}
    case " 1 $$ $1 " in *" $p "*) continue ;; esac
    kill -KILL "$p" 2>/dev/null; done; }
watchdog() {  # after STEP_TIMEOUT: kill the step's processes, and interrupt this shell until it is back
  # waits with a builtin and no trap: run() ends it with KILL, which a step's `trap '' TERM` (inherited
  # by this subshell) cannot turn into a wait of the whole limit
  read -r -t "$STEP_TIMEOUT" <>"$tc/tick"
  printf "" >"$tc/timeout"  # builtins only: a step that fills the pids limit leaves no fork
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e "$tc/done" ] && return
    stop_step "$BASHPID"; kill -USR1 $$ 2>/dev/null; read -r -t 0.2 <>"$tc/tick"; done
  [ -e "$tc/done" ] && return  # still not back: the step ignores USR1 in a loop of this shell itself
  timedout=$((timedout + 1))
  say TIMEOUT "$1" "$2" "$3 -- did not finish within ${STEP_TIMEOUT}s and ignored the signal that stops it: \
the check stops here"
  printf '%s passed, %s failed, %s timed out, %s skipped (the later steps did not run)\n' \
    "$passed" "$failed" "$timedout" "$skipped"
  kill -KILL $$; }
step() {  # a shell loop is the shell's own: USR1 makes it return from here (the state stays)
  trap 'return 124' USR1
  eval "$src" </dev/null >"$tc/out" 2>&1; }
run() {  # run BLOCK STEP TITLE: the step's source is in $tc/step, its recorded output (if any) in $tc/want
  rm -f "$tc/timeout" "$tc/done"; count; base=$np
  watchdog "$1" "$2" "$3" &
  dog=$!
  IFS= read -r -d '' src <"$tc/step"
  step
  rc=$?
  trap '' USR1; printf "" >"$tc/done"
  kill -KILL "$dog" 2>/dev/null; wait "$dog" 2>/dev/null
  trap - USR1
  verdict "$1" "$2" "$3" "$rc"
}
py() {  # py BLOCK STEP TITLE: a >>> example (JSON request in $tc/req) in ONE interpreter, as check runs it
  [ -n "${PYREPL_PID:-}" ] || coproc PYREPL { exec python3 -u /opt/tutorcheck/pyrepl.py 0 tc 2>&1; }
  rm -f "$tc/timeout"; rc=1; count; base=$np
  cat "$tc/req" >&"${PYREPL[1]}"
  if IFS= read -r -d '' -t "$STEP_TIMEOUT" out <&"${PYREPL[0]}" \
     && IFS= read -r -d '' -t 5 mark <&"${PYREPL[0]}"; then rc=${mark#* }; rc=${rc%% *}
  else printf "" >"$tc/timeout"; kill -9 "$PYREPL_PID"; unset PYREPL_PID; fi
  printf '%s' "${out:-}" >"$tc/out"; out= ; printf '' >"$tc/step"
  judge=replmatch.py; verdict "$1" "$2" "$3" "$rc"; judge=matching.py
}
count() { np=0; for p in /proc/[0-9]*; do np=$((np + 1)); done; }
runaway() {  # a step that leaves a swarm of processes (a fork bomb) fails; a few jobs are fine
  # what it left is watched until its count and the last pid handed out stay the same for 0.15 s (at
  # most a second): on a loaded machine a bomb's first process may not have run yet when the step ends
  local seen='' look lp same=0
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    count; [ "$np" -le "$base" ] && return 1; [ "$np" -ge $((PIDS_LIMIT / 2)) ] && break
    read -r _ _ _ _ lp </proc/loadavg; look="$np $lp"
    if [ "$look" = "$seen" ]; then same=$((same + 1)); [ "$same" -ge 3 ] && return 1
    else same=0 seen=$look; fi
    read -r -t 0.05 <>"$tc/tick"; done
  [ "$np" -ge $((PIDS_LIMIT / 2)) ] || return 1
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -9 -1; read -r -t 0.02 <>"$tc/tick"; done  # all but init and us
  return 0
}
verdict() {
  if runaway; then failed=$((failed + 1)); printf "" >"$tc/out"; rm -f "$tc/want" "$tc/like"
    say FAIL "$1" "$2" "$3 -- left $np processes running (the limit is $PIDS_LIMIT); they were killed"; return; fi
  verdict_of "$@"; printf "" >"$tc/out"; rm -f "$tc/like"
}
judge=matching.py  # replmatch.py for a >>> example: doctest's rules, completed, as check judges it
same_output() {  # tutorcheck's own matcher (in the toolbox image); what an older image has, else plain diff
  for j in "$judge" matching.py; do [ -f "/opt/tutorcheck/$j" ] || continue
    python3 "/opt/tutorcheck/$j" "$1" "$2" >"$tc/rule" && return 0
    cat "$tc/rule"; return 1; done
  diff -u -Z -B --label expected --label actual "$1" "$2"; }
verdict_of() {
  if [ -e "$tc/timeout" ]; then timedout=$((timedout + 1));
    say TIMEOUT "$1" "$2" "$3 -- did not finish within ${STEP_TIMEOUT}s"; return; fi
  if [ -e "$tc/want" ]; then
    if same_output "$tc/want" "$tc/out" >"$tc/diff"; then
      passed=$((passed + 1)); say PASS "$1" "$2" "$3";
    elif ! offline "$@" "$tc/want"; then failed=$((failed + 1)); say FAIL "$1" "$2" "$3 -- output differs (exit $4)";
      sed 's/^/    /' "$tc/diff"; fi
    rm -f "$tc/want"; return; fi
  if [ "$4" -eq 0 ]; then passed=$((passed + 1)); say PASS "$1" "$2" "$3";
  elif [ -e "$tc/like" ] && same_output "$tc/like" "$tc/out" >/dev/null; then passed=$((passed + 1))
    say PASS "$1" "$2" "$3 -- exit status $4, with the output the article shows for an earlier run of it"
  elif ! offline "$@"; then failed=$((failed + 1)); say FAIL "$1" "$2" "$3 -- exit status $4";
    head -c 2000 "$tc/out" | head -n 20 | sed 's/^/    /'; fi
}
offline() {  # BLOCK STEP TITLE RC [WANT]: with no network, a failure whose output shows it missing is a
  # skip, and a gap for the steps after it (extractor/unreached.py, carried into the container)
  [ "$NETWORK" = none ] || return 1
  local missing  # not $why: the author's words, which a FAIL line after it still says
  missing=$(python3 "$tc/unreached.py" none "$4" "$tc/step" "$tc/out" ${5:+"$5"}) || return 1
  skip "$1" "$2" "$3" "$missing"; }
"""

INNER_SUMMARY = r"""
printf '%s passed, %s failed, %s timed out, %s skipped\n' "$passed" "$failed" "$timedout" "$skipped"
[ "$failed" -eq 0 ] && [ "$timedout" -eq 0 ]
"""


def _heredoc(path: str, text: str, base: str) -> list[str]:
    return heredoc(f"cat >{path}", text, base)


def _title(a: Action) -> str:
    first = a.command.strip().splitlines()[0] if a.command.strip() else ""
    more = " ..." if len(a.command.strip().splitlines()) > 1 else ""
    return sh_word(first[:100] + more)


def _action_lines(a: Action) -> list[str]:
    ids = f"{a.block} {a.step} {_title(a)}"
    tag = f"TC_{a.block}_{a.step}"
    if a.kind == PROVIDED:
        return [f"provided {ids} {sh_word(a.reason)}"]
    if a.kind == SKIP:  # the author's skip leaves no gap (render/directed.py)
        return [f"skip {ids} {sh_word(a.reason)}" + (" nogap" if a.need in NO_GAP_NEEDS else "")]
    if a.kind == STATIC:
        return [f"static {ids} {'ok' if a.ok else 'failed'} {sh_word(a.reason)}"]
    lines = [f"# block {a.block} step {a.step}"]
    guard = f"needs_state {ids} && {{" if a.needs_state else "{"
    lines.append(guard)
    if a.kind == SHELL:
        lines += _heredoc('"$tc/step"', a.source, tag)
        if expected_for(a.output_rule, a.expected_output) is not None:
            lines += _heredoc('"$tc/want"', a.expected_output or "", tag + "_WANT")
        elif a.like_output is not None and not a.output_rule:  # plan/reruns.py
            lines += _heredoc('"$tc/like"', a.like_output, tag + "_LIKE")
    elif a.kind == WRITE:
        lines += _heredoc('"$tc/file"', a.source, tag)
        q = sh_path(a.path)
        lines += _heredoc('"$tc/step"', f'mkdir -p "$(dirname {q})" && cp "$tc/file" {q}', tag + "_W")
    elif a.kind == SCRIPT:
        lines += _heredoc(sh_word(a.path), a.source, tag)
        lines += _heredoc('"$tc/step"', f"python3 {sh_word(a.path)}", tag + "_RUN")
        if expected_for(a.output_rule, a.expected_output) is not None:
            lines += _heredoc('"$tc/want"', a.expected_output or "", tag + "_WANT")
    lines += [f"{settings(a)}run {ids}", "}"]
    return lines


def _python_lines(a: Action) -> list[str]:
    """A >>> example (or definitions typed before a session) sent to the one interpreter."""
    ids = f"{a.block} {a.step} {_title(a)}"
    tag = f"TC_{a.block}_{a.step}"
    request = json.dumps({"src": a.source, "mode": "definitions" if a.pasted else "example",
                          "answers": list(a.answers)}, sort_keys=True)
    lines = [f"# block {a.block} step {a.step}", f"needs_state {ids} && {{" if a.needs_state else "{"]
    lines += _heredoc('"$tc/req"', request, tag)
    if expected_for(a.output_rule, a.expected_output) is not None:
        lines += _heredoc('"$tc/want"', a.expected_output or "", tag + "_WANT")
    return [*lines, f"{settings(a)}py {ids}", "}"]


def _services(a: Action, started: set[str]) -> list[str]:
    """Start the servers the tutorial assumes installed before the first step that uses them."""
    from extractor.plan.services import SERVICES

    lines: list[str] = []
    for name in a.services:
        if name in started:
            continue
        started.add(name)
        lines += [f"# start {name}: the tutorial assumes it installed and running"]
        lines += _heredoc('"$tc/service"', SERVICES[name].start, f"TC_SERVICE_{name.upper()}")
        lines += ['{ IFS= read -r -d \'\' src <"$tc/service"; eval "$src"; } </dev/null >"$tc/service.log" 2>&1 '
                  f"|| say ERROR - - {sh_word(f'could not start {name}')}"]
    return lines


def _pinned_lines(plan: Plan) -> list[str]:
    """Say what the plan pins (and leaves out), and export the environment it pins; the start
    directory and host name are the container's (``standalone.py``)."""
    pins = plan.pinned
    lines = [f"echo {sh_word('PINNED   ' + line)}" for line in (*pins.said, *pins.left)]
    return lines + [f"export {name}={sh_word(value)}" for name, value in pins.env]


def _offline_lines() -> list[str]:
    """The missing network's rule (``extractor.unreached``), written where ``offline`` runs it, and
    the settings that make a tool say at once that the network is missing."""
    source = Path(unreached.__file__).read_text(encoding="utf-8")
    quiet = " ".join(f"{name}={sh_word(value)}" for name, value in OFFLINE_ENVIRONMENT)
    return [*_heredoc('"$tc/unreached.py"', source, "TC_UNREACHED"), f'[ "$NETWORK" = none ] && export {quiet}']


def render_inner(plan: Plan) -> str:
    """The program the container runs: every planned step, in article order, in one shell."""
    out = [INNER_PRELUDE, *_offline_lines(), *_pinned_lines(plan)]
    out += directed_prelude() if directed_steps(plan) else []
    started: set[str] = set()
    for a in plan.actions:
        out += _services(a, started)
        out += _python_lines(a) if a.kind == PYTHON else _action_lines(a)
    out.append(INNER_SUMMARY)
    return "\n".join(out)


def image_tag(t: Tutorial, box: Container) -> str:
    digest = hashlib.sha256(render_dockerfile(t, box).encode()).hexdigest()[:12]
    return f"tutorcheck/check:{digest}"


def render_dockerfile(t: Tutorial, box: Container) -> str:
    """The article's sandbox image: a tutorcheck image plus the packages its steps' tools need."""
    head = f"# Sandbox for {comment(repr(t.slug))}: the tutorcheck toolbox plus the tools its steps name.\n"
    return head + box.dockerfile


def _pinned_comment(plan: Plan) -> str:
    pins = plan.pinned
    lines = [f"# Pinned as the article shows it: {comment(line)}\n" for line in pins.said]
    return "".join(lines + [f"# Not pinned: {comment(line)}\n" for line in pins.left])


def render_check_sh(t: Tutorial, plan: Plan, box: Container) -> str:
    """A standalone ``check.sh`` for ``t`` (bash + docker CLI only); deterministic text."""
    flags = " \\\n    ".join(sh_word(f) for f in box.flags)
    inner = render_inner(plan)
    inner_eof = delimiter(inner, INNER_EOF)  # a step's text can never end the host-side heredoc
    return f"""#!/usr/bin/env bash
# Standalone check of {comment(repr(t.title))}
#   {comment(t.url)}
# Generated by tutorcheck; needs bash and the docker CLI, and the tutorcheck sandbox images
# (`tutorcheck sandbox build`). Runs every step in order in ONE sandbox container (no network,
# no capabilities, read-only root, unprivileged user, pids/memory/cpu limits), prints a
# verdict per step and exits 1 when a step failed or timed out.
# usage: ./check.sh [--allow-network[=private]]      env: STEP_TIMEOUT (s), ARTICLE_TIMEOUT (s),
#   TUTORCHECK_TOOLBOX (the toolbox image to build on)
{_pinned_comment(plan)}set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STEP_TIMEOUT=${{STEP_TIMEOUT:-{DEFAULT_STEP_TIMEOUT}}}
ARTICLE_TIMEOUT=${{ARTICLE_TIMEOUT:-{DEFAULT_ARTICLE_TIMEOUT}}}
network=none launch=(python3 /opt/tutorcheck/launch.py) caps=()
case "${{1:-}}" in  # --allow-network: public addresses only; =private also this host and private ranges
  --allow-network|--allow-network=public) network=bridge caps=(--cap-add=NET_ADMIN)
    launch+=(--net=public "--block=$(awk '/[|]--/ {{a=$2}} /[/]32 host LOCAL/ {{print a}}' \\
      /proc/net/fib_trie 2>/dev/null | grep -v '^127[.]' | sort -u | paste -sd, -)") ;;
  --allow-network=private) network=bridge ;;
esac
image={image_tag(t, box)}
base=()  # TUTORCHECK_TOOLBOX: build on that toolbox image rather than the moving tutorcheck/toolbox tag
[ -n "${{TUTORCHECK_TOOLBOX:-}}" ] && base=(--build-arg "TOOLBOX=$TUTORCHECK_TOOLBOX")
if ! log=$(docker build -q --network host --label tutorcheck.image=check ${{base[@]+"${{base[@]}}"}} -t "$image" - \
    <"$here/Dockerfile" 2>&1); then
    printf '%s\\n' "$log" >&2
    echo "check.sh: cannot build $here/Dockerfile (are the tutorcheck images built? tutorcheck sandbox build)" >&2
    exit 2
fi
name=tutorcheck-check-$$
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT INT TERM
IFS= read -r -d '' inner <<'{inner_eof}' || true
{inner}
{inner_eof}
status=0
printf 'STEP_TIMEOUT=%s PIDS_LIMIT=%s NETWORK=%s\\n%s\\n' "$STEP_TIMEOUT" {box.pids_limit} "$network" "$inner" |
  timeout -s KILL "$ARTICLE_TIMEOUT" docker run --rm -i --name "$name" \\
    {_label_args(box.labels)} \\
    --network="$network" ${{caps[@]+"${{caps[@]}}"}} \\
    {flags} \\
    "${{log##*[[:space:]]}}" "${{launch[@]}}" exec -- \\
    bash -c 'cat >/tmp/check-main.sh && exec bash /tmp/check-main.sh </dev/null' |
  LC_ALL=C tr -d '\\000-\\010\\013-\\037\\177' || status=$?  # no control character of a step reaches the terminal
exit $(( status == 0 ? 0 : 1 ))
"""
