"""Command line: parses arguments and calls the modules; no logic lives here.

Exit status: 0 all good, 1 some check failed, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from extractor.display import terminal
from extractor.errors import ExtractorError
from extractor.options import (
    DEFAULT_ARTICLE_TIMEOUT_S,
    DEFAULT_STEP_TIMEOUT_S,
    LEARNER_SESSION_LIFETIME_S,
    RunOptions,
    network_options,
    seconds,
    tcp_port,
)

PRIVATE_HELP = "--allow-network=private also opens this host, private and link-local addresses"
# spellings of one option that argparse cannot take as they are typed
ALLOW_HOST_HELP = ("let the sandbox reach this destination and no other (repeatable; turns the network on): "
                   "a name, an address, a range, or *.NAME for the names below NAME the steps use; "
                   "a private or host address named here is reachable")
ARG_SPELLINGS = {"--allow-network=private": ("--allow-network", "--allow-private-network"),
                 "--allow-network=public": ("--allow-network",)}



def _network_options(p: argparse.ArgumentParser, network_help: str) -> None:
    """--allow-network (with its hidden older spelling) and --allow-host, as step, notebook and lab take them."""
    p.add_argument("--allow-network", action="store_true", help=network_help)
    p.add_argument("--allow-private-network", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--allow-host", dest="allow_hosts", action="append", default=None, metavar="HOST[:PORT]",
                   help=ALLOW_HOST_HELP)

def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tutorcheck",
        description="Turn technical tutorials into notebooks and sandboxed checks.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser("extract", help="feeds/pages → tutorial model, notebooks, check scripts")
    ex.add_argument("sources", nargs="+", metavar="SOURCE", help="feed file, page, URL or directory")
    ex.add_argument("-o", "--output", default="generated", metavar="DIR")
    ex.add_argument("--jobs", type=int, default=None, metavar="N",
                    help="worker processes (default: the CPUs available, at most 4)")

    ck = sub.add_parser("check", help="run every step of the tutorials in a Docker sandbox")
    ck.add_argument("targets", nargs="*", metavar="DIR|SOURCE",
                    help="a generated DIR or sources (default: the sources of the project's configuration)")
    # the defaults of these are the project's configuration's, else tutorcheck's (check_command.py)
    ck.add_argument("--jobs", type=int, default=None, metavar="N", help="articles at once (default 1)")
    ck.add_argument("--timeout", type=seconds, default=None, metavar="SECONDS",
                    help=f"per step (default {DEFAULT_STEP_TIMEOUT_S:g})")
    ck.add_argument("--article-timeout", type=seconds, default=None, metavar="SECONDS",
                    help=f"per article, from its sandbox's start (default {DEFAULT_ARTICLE_TIMEOUT_S:g})")
    ck.add_argument("--allow-network", action=argparse.BooleanOptionalAction, default=None,
                    help=f"let steps reach public addresses; {PRIVATE_HELP}")
    ck.add_argument("--allow-private-network", action="store_true", help=argparse.SUPPRESS)
    ck.add_argument("--allow-host", dest="allow_hosts", action="append", default=None, metavar="HOST[:PORT]",
                    help=ALLOW_HOST_HELP)
    ck.add_argument("--kubeconfig", metavar="FILE",
                    help="run the cluster steps against this cluster (with --allow-network, which lets its "
                         "API servers through)")
    ck.add_argument("--env", action="append", default=[], metavar="NAME[=VALUE]",
                    help="a secret or value for the steps; lifts 'secret' skips that name it. NAME alone takes "
                         "the value from tutorcheck's environment; NAME=VALUE is visible in ps to local users")
    ck.add_argument("--env-file", action="append", default=[], metavar="FILE",
                    help="NAME=VALUE lines (or NAME, from the environment), as docker run --env-file")
    ck.add_argument("--json", dest="json_path", metavar="FILE")
    ck.add_argument("--junit", dest="junit_path", metavar="FILE")
    ck.add_argument("--report", dest="report_path", metavar="FILE.md")
    ck.add_argument("--html", dest="html_path", metavar="FILE.html", help="a self-contained HTML report")
    ck.add_argument("--no-cache", action="store_true")
    ck.add_argument("--shard", metavar="K/N")
    ck.add_argument("--cache-dir", default=None, metavar="DIR")
    ck.add_argument("--update", action="store_true",
                    help="rewrite recorded outputs that differ (and autolinks in commands) in Markdown/reST sources")
    ck.add_argument("--dry-run", action="store_true", help="with --update: print the diff, write nothing")

    st = sub.add_parser("step", help="step through a generated tutorial in the terminal (sandboxed)",
                        description="Walk a generated tutorial step by step in a sandbox: run, edit or skip each "
                                    "step, or run anyway one the sandbox would not run; open a shell in the "
                                    "sandbox; go back to the checkpoint taken after each step; quit and continue "
                                    "later. Without a terminal on stdin, prints the plan (or, with --yes, runs it).")
    st.add_argument("path", metavar="DIR/SLUG", help="an article folder written by `tutorcheck extract`")
    _network_options(st, "give the sandbox the network: public addresses (off by default; steps that need it are "
                         f"otherwise skipped); {PRIVATE_HELP}")
    st.add_argument("--yes", action="store_true",
                    help="run every runnable step without asking and print the transcript (for scripts and CI)")
    st.add_argument("--restart", action="store_true",
                    help="start over: forget where the last walk of this article stopped, and its checkpoints")

    nb = sub.add_parser("notebook", help="Run All of a generated notebook inside the sandbox, judged cell by cell")
    nb.add_argument("path", metavar="DIR/SLUG", help="a generated article folder, or an .ipynb")
    nb.add_argument("-o", "--output", default=None, metavar="FILE.ipynb", help="write the executed notebook")
    nb.add_argument("--timeout", type=seconds, default=DEFAULT_STEP_TIMEOUT_S, metavar="SECONDS", help="per cell")
    _network_options(nb, f"let cells reach public addresses; {PRIVATE_HELP}")

    lb = sub.add_parser("lab", help="JupyterLab on a generated notebook, served from a sandbox on 127.0.0.1")
    lb.add_argument("path", metavar="DIR/SLUG",
                    help="a generated article folder (its files are copied in), or an .ipynb")
    _network_options(lb, "give the kernels a route out to public addresses (default: none; the server is reached "
                         f"through tutorcheck); {PRIVATE_HELP}")
    lb.add_argument("--port", type=tcp_port, default=0, metavar="PORT",
                    help="the port on 127.0.0.1 to serve on (default: a free one, printed in the URL)")
    lb.add_argument("--lifetime", type=seconds, default=LEARNER_SESSION_LIFETIME_S, metavar="SECONDS",
                    help="remove the sandbox after this long even if the lab is still open "
                         f"(default: {LEARNER_SESSION_LIFETIME_S:g})")

    rp = sub.add_parser("report", help="reports from results files: merge the shards of one check")
    rp.add_argument("action", choices=["merge"])
    rp.add_argument("inputs", nargs="+", metavar="RESULTS.json", help="check --json files (one per shard)")
    rp.add_argument("--json", dest="json_path", metavar="FILE")
    rp.add_argument("--junit", dest="junit_path", metavar="FILE")
    rp.add_argument("--report", dest="report_path", metavar="FILE.md")
    rp.add_argument("--html", dest="html_path", metavar="FILE.html")
    rp.add_argument("--cache-dir", default=None, metavar="DIR", help="where earlier runs' history is (for --html)")

    sb = sub.add_parser("sandbox", help="images and leftover containers")
    sb.add_argument("action", choices=["build", "list", "prune"])
    return p


def _network(args: argparse.Namespace) -> RunOptions:
    """The network options of step, notebook and lab (check adds its configuration's: check_command.py)."""
    return RunOptions(**network_options(args.allow_network or None, args.allow_private_network, args.allow_hosts))


def _optional(path: str | None) -> Path | None:
    return Path(path) if path else None


def main(argv: Sequence[str] | None = None) -> int:
    typed = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args([word for arg in typed for word in ARG_SPELLINGS.get(arg, (arg,))])
    try:
        if args.command == "extract":
            from extractor.pipeline import extract_command

            return extract_command([str(s) for s in args.sources], Path(args.output), workers=args.jobs)
        if args.command == "check":
            from extractor.check_command import check_command

            return check_command(args)
        if args.command == "step":
            from extractor.learner import step_command

            return step_command(Path(args.path), _network(args), yes=args.yes, restart=args.restart)
        if args.command == "notebook":
            from extractor.sandbox.notebook_run import notebook_command

            output = Path(args.output) if args.output else None
            return notebook_command(Path(args.path), output=output, timeout_s=args.timeout,
                                    network=_network(args))
        if args.command == "lab":
            from extractor.sandbox.lab import lab_command

            return lab_command(Path(args.path), network=_network(args), port=args.port, lifetime_s=args.lifetime)
        if args.command == "report":
            from extractor.cache import DEFAULT_DIR
            from extractor.history import load
            from extractor.reports import ReportPaths
            from extractor.shards import merge_command

            paths = ReportPaths(json=_optional(args.json_path), junit=_optional(args.junit_path),
                                markdown=_optional(args.report_path), html=_optional(args.html_path),
                                history=load(Path(args.cache_dir or DEFAULT_DIR)))
            return merge_command(args.inputs, paths)
        if args.command == "sandbox":
            from extractor.sandbox.commands import sandbox_command

            return sandbox_command(args.action)
    except ExtractorError as e:
        print(terminal(f"tutorcheck: {e}"), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other CLI tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:  # an output that cannot be written (read-only, full): said, not a traceback
        where = f"{e.filename}: " if e.filename else ""
        print(terminal(f"tutorcheck: error: {where}{e.strerror or e}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tutorcheck: interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
