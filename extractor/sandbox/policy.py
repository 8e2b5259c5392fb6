"""The security policy of a sandbox container, as one frozen dataclass.

The same policy renders to docker SDK ``containers.create`` keyword arguments (the runner)
and to ``docker run`` flags (the standalone check.sh), so both run steps under one policy.

The container starts as root with only the capabilities its launcher needs to drop
(SETUID, SETGID, and KILL to stop a fork bomb; NET_ADMIN to install the egress filter when
the network is allowed) and ``no-new-privileges``. The launcher (sandboxes/toolbox/launch.py)
runs the driver as ``tcdriver`` and every step as ``tutor``, neither with any capability.
The container writes no log on the host: its only output is the driver's answers, read
through the attach stream.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from extractor.sandbox.engines import DOCKER, Dialect
from extractor.unreached import OFFLINE_ENVIRONMENT

MiB = 1024 * 1024
USER_HOME = "/home/tutor"
LAUNCHER = "/opt/tutorcheck/launch.py"


def in_home(path: str) -> str:
    """A path an article writes, as the sandbox's user finds it: ``~/.bashrc`` is in that user's
    home (other relative paths are written from the shell's current folder)."""
    return USER_HOME + path[1:] if path == "~" or path.startswith("~/") else path

# With the network allowed: "public" keeps the host, private and link-local ranges closed
# (the default of --allow-network); "all" opens them too (--allow-network=private); "listed"
# lets through only what ``opened`` names (the allow-list: --allow-host, allow-hosts).
Egress = Literal["public", "all", "listed"]


@dataclass(frozen=True)
class Policy:
    """Defaults: no network, no capabilities for the steps, read-only root, small limits."""

    network: str = "none"  # "bridge" when the run allows the network
    egress: Egress = "public"
    opened: tuple[str, ...] = ()  # ADDRESS[:PORT] the filter lets through (--kubeconfig's servers, the allow-list)
    pinned: tuple[tuple[str, str], ...] = ()  # (name, address) in the container's /etc/hosts: the allow-list's names
    user: str = "0:0"  # only the launcher: it drops to tcdriver (driver) and tutor (steps)
    # tutor in the toolbox image: the steps, and anything run with docker exec. No account of a
    # usual host has this uid (logins are 1000-59999), so no local user can read the steps' /proc
    step_user: str = "60999:60999"
    read_only: bool = True
    cap_drop: tuple[str, ...] = ("ALL",)
    cap_add: tuple[str, ...] = ("KILL", "SETGID", "SETUID")
    no_new_privileges: bool = True
    log_driver: str = "none"  # nothing a step prints can grow a file on the host
    pids_limit: int = 128
    memory_bytes: int = 512 * MiB
    memory_swap_bytes: int = 512 * MiB  # equal to memory: no swap on top
    cpus: float = 1.0
    nofile: int = 1024
    fsize_bytes: int = 256 * MiB
    workdir: str = USER_HOME
    start_dir: str = ""  # where the steps start when not in the home (a tmpfs of its own), e.g. /srv/app
    work_tmpfs_mib: int = 256
    tmp_tmpfs_mib: int = 128
    # inodes cost kernel memory the size caps do not count: a file-creating loop stops here
    work_inodes: int = 131072
    tmp_inodes: int = 65536
    output_cap_bytes: int = 64 * 1024
    init: bool = True
    kill_grace_s: float = 5.0  # the host kills a silent container this long after a step timeout

    def with_network(self, allow: bool, private: bool = False) -> Policy:
        """The network on (``bridge``) or off; ``private`` also opens the host and private ranges."""
        return replace(self, network="bridge" if allow else "none", egress="all" if private else "public")

    def opening(self, destinations: tuple[str, ...]) -> Policy:
        """The same policy, letting ``destinations`` (``ADDRESS:PORT``) through the filter."""
        return replace(self, opened=tuple(sorted({*self.opened, *destinations})))

    def listing(self, destinations: tuple[str, ...], pinned: tuple[tuple[str, str], ...]) -> Policy:
        """The network on, restricted to ``destinations`` (``ADDRESS[:PORT]``, ranges) and to what it
        opened already; ``pinned`` names resolve to their addresses without DNS."""
        return replace(self, network="bridge", egress="listed", opened=tuple(sorted({*self.opened, *destinations})),
                       pinned=tuple(sorted({*self.pinned, *pinned})))

    @property
    def filtered(self) -> bool:
        """True when the launcher must install the egress filter (network on, not opened wide)."""
        return self.network != "none" and self.egress in ("public", "listed")

    def capabilities(self, dialect: Dialect = DOCKER) -> tuple[str, ...]:
        return tuple(sorted({*self.cap_add, *(("NET_ADMIN",) if self.filtered else ()),
                             *(() if dialect.tmpfs_owner else ("CHOWN",))}))

    def entrypoint(self, *role: str, blocked: tuple[str, ...] = (), dialect: Dialect = DOCKER) -> list[str]:
        """The container's command: the launcher, its network setting (and the folders it gives
        the steps' user, on an engine that cannot), then the role to drop to."""
        net = [f"--net={self.egress}", *([f"--block={','.join(blocked)}"] if blocked else []),
               *([f"--open={','.join(self.opened)}"] if self.opened else [])] if self.filtered else []
        own = [] if dialect.tmpfs_owner else [f"--own={','.join(p for p in (self.workdir, self.start_dir) if p)}"]
        return ["python3", LAUNCHER, *net, *own, *role]

    def with_start_dir(self, path: str) -> Policy:
        return replace(self, start_dir=path)

    def tmpfs(self, dialect: Dialect = DOCKER) -> dict[str, str]:
        # exec: tutorials run ./scripts they just wrote; owner/mode so the steps' user owns its home
        uid, _, gid = self.step_user.partition(":")
        owner = "".join(f",{o}" for o in (dialect.tmpfs_owner.format(uid=uid, gid=gid or uid),) if o)
        work, tmp = ((f",nr_inodes={self.work_inodes}", f",nr_inodes={self.tmp_inodes}") if dialect.tmpfs_inodes
                     else ("", ""))
        mounts = {
            self.workdir: f"rw,exec,nosuid,nodev,size={self.work_tmpfs_mib}m{work}{owner},mode=0755",
            "/tmp": f"rw,exec,nosuid,nodev,size={self.tmp_tmpfs_mib}m{tmp},mode=1777",
        }
        if self.start_dir:  # shares the work size: half each
            half = f"size={self.work_tmpfs_mib // 2}m"
            mounts[self.workdir] = mounts[self.workdir].replace(f"size={self.work_tmpfs_mib}m", half)
            mounts[self.start_dir] = f"rw,exec,nosuid,nodev,{half}{owner},mode=0755"
        return mounts

    def sdk_kwargs(self, dialect: Dialect = DOCKER) -> dict[str, Any]:
        """Keyword arguments for ``docker.client.containers.create`` on an engine of ``dialect``."""
        from docker.types import LogConfig, Ulimit

        return {
            "network_mode": self.network,
            "user": self.user,
            "read_only": self.read_only,
            "cap_drop": list(self.cap_drop),
            "cap_add": list(self.capabilities(dialect)),
            "security_opt": ["no-new-privileges:true"] if self.no_new_privileges else [],
            "log_config": LogConfig(type=self.log_driver),
            "pids_limit": self.pids_limit,
            "mem_limit": self.memory_bytes,
            "memswap_limit": self.memory_swap_bytes,
            "nano_cpus": int(self.cpus * 1e9),
            "ulimits": [
                Ulimit(name="nofile", soft=self.nofile, hard=self.nofile),
                Ulimit(name="fsize", soft=self.fsize_bytes, hard=self.fsize_bytes),
                *(Ulimit(name=name, soft=value, hard=value) for name, value in dialect.ulimits),
            ],
            "tmpfs": self.tmpfs(dialect),
            "working_dir": self.start_dir or self.workdir,
            "init": self.init,
            "environment": {"TUTORCHECK_OUTPUT_CAP": str(self.output_cap_bytes),
                            "TUTORCHECK_PIDS_LIMIT": str(self.pids_limit),
                            **({"TUTORCHECK_EGRESS": self.egress} if self.filtered else {}),
                            **(dict(OFFLINE_ENVIRONMENT) if self.network == "none" else {})},
            **({"extra_hosts": [f"{name}:{address}" for name, address in self.pinned]} if self.pinned else {}),
        }

    def cli_args(self) -> list[str]:
        """The same policy as ``docker run`` flags (deterministic order)."""
        args = [
            f"--network={self.network}",
            f"--user={self.user}",
            *(["--read-only"] if self.read_only else []),
            *[f"--cap-drop={c}" for c in self.cap_drop],
            *[f"--cap-add={c}" for c in self.capabilities()],
            *(["--security-opt=no-new-privileges:true"] if self.no_new_privileges else []),
            f"--log-driver={self.log_driver}",
            f"--pids-limit={self.pids_limit}",
            f"--memory={self.memory_bytes}",
            f"--memory-swap={self.memory_swap_bytes}",
            f"--cpus={self.cpus:g}",
            f"--ulimit=nofile={self.nofile}:{self.nofile}",
            f"--ulimit=fsize={self.fsize_bytes}:{self.fsize_bytes}",
            *[f"--tmpfs={path}:{opts}" for path, opts in self.tmpfs().items()],
            *[f"--add-host={name}:{address}" for name, address in self.pinned],
            f"--workdir={self.start_dir or self.workdir}",
            *(["--init"] if self.init else []),
        ]
        return args
