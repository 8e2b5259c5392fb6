"""Services a tutorial assumes installed, run inside the article's container (data in its tmpfs).

A row per service: the Debian packages the article's layer adds, and the shell that starts it as
the sandbox user before the first step that needs it. The script runs in the article's shell,
so what it exports (``PGHOST``) is there for every later step, as on a reader's machine where the
server was set up before the tutorial. The container's end stops it, with everything else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

STATE = "/tmp/.tutorcheck"


@dataclass(frozen=True)
class Service:
    name: str
    packages: tuple[str, ...]
    start: str  # shell, run in the article's session; exit 0 when the server answers


# PostgreSQL as Debian sets it up for a developer: a superuser role named after the user, and one
# called postgres, a database named after the user; a socket in /tmp and localhost over TCP.
_POSTGRESQL = f"""export PGHOST=/tmp PGDATA={STATE}/pgdata
__tc_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
"$__tc_bin/initdb" -D "$PGDATA" -U "$USER" -A trust -E UTF8 --locale=C.UTF-8 >{STATE}/postgresql.log 2>&1 \\
&& "$__tc_bin/pg_ctl" -D "$PGDATA" -l {STATE}/postgresql.log -w -t 30 start \\
     -o "-k /tmp -c listen_addresses=localhost -c shared_buffers=16MB -c max_connections=20" >/dev/null \\
&& createuser -s postgres && createdb "$USER"
__tc_rc=$?; unset __tc_bin; (exit $__tc_rc)"""

_REDIS = f"""redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir {STATE} --save '' \\
  --appendonly no --logfile {STATE}/redis.log \\
&& for __tc_i in $(seq 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done; redis-cli ping >/dev/null"""

# MariaDB (Debian's MySQL) as a developer sets it up: root and a user named after the reader, both
# without a password; a socket in the state folder (MYSQL_HOME's my.cnf tells every client) and
# 127.0.0.1:3306. The server is started from a subshell, so the reader's shell shows no job notice.
_MYSQL = f"""export MYSQL_HOME={STATE}/mysql
mkdir -p "$MYSQL_HOME" && printf '%s\\n' '[client-server]' "socket=$MYSQL_HOME/mysqld.sock" 'port=3306' '[mysqld]' \\
  "datadir=$MYSQL_HOME/data" 'bind-address=127.0.0.1' "pid-file=$MYSQL_HOME/mysqld.pid" \\
  'log-error={STATE}/mysql.log' 'innodb-buffer-pool-size=16M' >"$MYSQL_HOME/my.cnf" \\
&& mariadb-install-db --auth-root-authentication-method=normal --skip-test-db >{STATE}/mysql-install.log 2>&1 \\
&& (/usr/sbin/mariadbd >/dev/null 2>&1 &) \\
&& for __tc_i in $(seq 100); do mysqladmin -uroot ping >/dev/null 2>&1 && break; sleep 0.1; done \\
&& mysql -uroot -e "CREATE USER '$USER'@localhost; GRANT ALL ON *.* TO '$USER'@localhost WITH GRANT OPTION\""""

SERVICES: dict[str, Service] = {
    "postgresql": Service("postgresql", ("postgresql", "postgresql-client"), _POSTGRESQL),
    "redis": Service("redis", ("redis-server", "redis-tools"), _REDIS),
    "mysql": Service("mysql", ("mariadb-server", "mariadb-client"), _MYSQL),
}


def to_start(needed: tuple[str, ...], started: Collection[str]) -> list[Service]:
    """The services a step needs that its container does not run yet, in the step's order."""
    return [SERVICES[name] for name in needed if name in SERVICES and name not in started]


def service_packages(names: tuple[str, ...]) -> set[str]:
    """The Debian packages the article's layer adds for these services."""
    return {p for name in names if name in SERVICES for p in SERVICES[name].packages}
