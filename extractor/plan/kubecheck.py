"""What can be checked of a ``kubectl create/apply/run/expose/set`` step without a cluster.

The step runs in the sandbox as written, except that ``kubectl`` (Debian's ``kubernetes-client``
in the article's layer) gets ``--dry-run=client --output=yaml`` after its own arguments, for that
step only. kubectl then parses every flag and argument: a misspelt flag or resource fails as it
would for the reader. A generator (``create deployment``, ``create ns``) prints the object it
would send, which is validated against the bundled Kubernetes schemas; anything that needs the
API server (``apply``'s lookup, ``expose``'s target) stops at the connection to the default
server, the sign that kubectl accepted the command up to there. Reported as a ``static`` step.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.model import Need, Step
from extractor.plan.actions import Action
from extractor.plan.rules import Provides, unmet
from extractor.quoting import sh_word
from extractor.vocab import ActionKind, NeedKind

# kubectl with no kubeconfig talks to localhost:8080; nothing listens there in the sandbox
NO_SERVER = "localhost:8080"
MARK = "tutorcheck: kubectl accepted the command; the rest needs a cluster's API server"
_SHIM = ('kubectl() { local __tc_a=() __tc_x __tc_d=; for __tc_x in "$@"; do '
         'if [ "$__tc_x" = -- ] && [ -z "$__tc_d" ]; then __tc_a+=(--dry-run=client --output=yaml); __tc_d=1; fi; '
         '__tc_a+=("$__tc_x"); done; [ -n "$__tc_d" ] || __tc_a+=(--dry-run=client --output=yaml); '
         'command kubectl "${__tc_a[@]}"; }')


_SET_ASIDE = frozenset({NeedKind.CLUSTER, NeedKind.STATE, NeedKind.NETWORK, NeedKind.TOOL})


def client_checkable(step: Step, needs: Sequence[Need], here: Provides, written: set[str]) -> bool:
    """A kubectl step that needs a cluster the run does not have, which kubectl can check
    without one: its other needs met, its manifest (if a file) written earlier by the article,
    one read from a URL only when the network is allowed."""
    if here.options.kubeconfig or step.lang != "shell" or not any(n.kind == NeedKind.CLUSTER for n in needs):
        return False
    if here.tools.package_for("kubectl") is None or unmet([n for n in needs if n.kind not in _SET_ASIDE], here):
        return False
    if not step.client_check:
        return False
    manifest = step.client_check[1] if len(step.client_check) > 1 else None
    if manifest and manifest.startswith(("http://", "https://")):
        return here.options.allow_network
    return manifest is None or manifest in written


def client_check(block: int, index: int, step: Step) -> Action:
    """The check, as a step of its own after the block's steps (reported as ``static``)."""
    return Action(ActionKind.SHELL, block, index, title(step.command), source=source(step.command),
                  client_check=True, needs=("tool:kubectl",))


def title(command: str) -> str:
    """The check as the result shows it: the line of the step that runs kubectl."""
    lines = command.strip().split("\n")
    line = next((ln[ln.index("kubectl"):].strip() for ln in lines if "kubectl" in ln), lines[0])
    return f"kubectl --dry-run=client (no cluster): {line}" + (" ..." if len(lines) > 1 else "")


def source(command: str) -> str:
    """The shell of the check: the step with kubectl in client dry-run, the exit status kept
    unless kubectl stopped only at the missing API server."""
    return (f"{_SHIM}\n__tc_out=$( {{ {command}\n}} 2>&1 ); __tc_rc=$?\nunset -f kubectl\n"
            'printf \'%s\\n\' "$__tc_out"\n'
            f'if [ "$__tc_rc" -ne 0 ] && printf \'%s\' "$__tc_out" | grep -q {NO_SERVER}; then '
            f"__tc_rc=0; echo {sh_word(MARK)}; fi\n"
            "(exit $__tc_rc)")
