"""Notebook kernels as a table: bash_kernel for shell-led articles, the Python kernel (with a
``%%shell`` helper keeping one bash alive) as soon as a step is Python."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.plan import Plan


@dataclass(frozen=True)
class KernelStyle:
    kernelspec: dict[str, str]
    language_info: dict[str, str]
    fence: str  # the language name jupytext puts on code fences
    shell_prefix: str  # first line of a shell step cell ('' = the kernel is bash)
    setup: str = ""  # a first code cell the style needs ('' = none)
    export: str = "export {name}={value}"  # one pinned environment variable ({value} quoted for the kernel)
    quote: str = "shell"  # how {value} is quoted: "shell" (sh_word) or "python" (repr)
    # before the pinned variables: an interactive bash (bash_kernel's) would set COLUMNS back to
    # its pty's width after every command
    pins_prelude: tuple[str, ...] = ("shopt -u checkwinsize",)


SHELL_HELPER = r"""
# tutorcheck: the shell steps of this notebook (%%shell cells) all run in ONE bash process,
# so `cd`, `export` and files carry from cell to cell as in a terminal. Python follows the
# shell: its working directory and environment are updated after each shell cell.
# Run this cell first (Run All does).
import os
import shlex
import subprocess
import tempfile

from IPython.core.magic import register_cell_magic


class ShellStepFailed(Exception):
    def _render_traceback_(self):
        return [f"shell step failed: {self}"]


_tc_bash = None


def _tc_follow(env_file, cwd):
    try:
        with open(env_file, encoding="utf-8", errors="replace") as fh:
            pairs = [item.partition("=") for item in fh.read().split("\0") if "=" in item]
    except OSError:
        pairs = []
    for name, _, value in pairs:
        if name not in ("_", "SHLVL", "PWD", "OLDPWD") and os.environ.get(name) != value:
            os.environ[name] = value
    if os.path.isdir(cwd):
        os.chdir(cwd)


@register_cell_magic
def shell(line, cell):
    # The cell runs in the notebook's one bash; stdin is /dev/null, stderr shows with stdout.
    global _tc_bash
    if _tc_bash is None or _tc_bash.poll() is not None:
        _tc_bash = subprocess.Popen(
            ["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace", bufsize=1)
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False, encoding="utf-8") as fh:
        fh.write(cell if cell.endswith("\n") else cell + "\n")
    mark, env_file = "__tutorcheck_" + os.path.basename(fh.name) + "__", fh.name + ".env"
    _tc_bash.stdin.write(
        f"cd {shlex.quote(os.getcwd())} && source {shlex.quote(fh.name)} </dev/null\n"
        f"__tc_rc=$?; env -0 > {shlex.quote(env_file)}; printf '%s %s %s\\n' {mark} \"$__tc_rc\" \"$PWD\"\n")
    _tc_bash.stdin.flush()
    status, cwd = "the shell exited", os.getcwd()
    for out in _tc_bash.stdout:
        head, found, tail = out.partition(mark)
        print(head, end="", flush=True)
        if found:
            status, _, cwd = tail.strip().partition(" ")
            break
    _tc_follow(env_file, cwd)
    for name in (fh.name, env_file):
        if os.path.exists(name):
            os.unlink(name)
    if status != "0":
        raise ShellStepFailed(f"exit status {status}" if status.isdigit() else status)
""".lstrip("\n")

KERNELS: dict[str, KernelStyle] = {
    "bash": KernelStyle(
        kernelspec={"name": "bash", "display_name": "Bash", "language": "bash"},
        language_info={"name": "bash", "codemirror_mode": "shell", "file_extension": ".sh",
                       "mimetype": "text/x-sh"},
        fence="bash",
        shell_prefix="",
    ),
    "python3": KernelStyle(
        kernelspec={"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        language_info={"name": "python", "codemirror_mode": "ipython", "file_extension": ".py",
                       "mimetype": "text/x-python"},
        fence="python",
        shell_prefix="%%shell\n",
        setup=SHELL_HELPER,
        export="os.environ[{name!r}] = {value}",  # before the first %%shell cell starts its bash
        quote="python",
        pins_prelude=("import os",),
    ),
}


def choose_kernel(plan: Plan) -> str:
    """bash for shell-led articles (and prose-only ones); python3 as soon as a step is Python."""
    return "python3" if any(a.lang == "python" for a in plan.actions) else "bash"


__all__ = ["KERNELS", "SHELL_HELPER", "KernelStyle", "choose_kernel"]
