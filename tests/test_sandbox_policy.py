"""The sandbox policy and the egress settings, as pure logic (the engine tests are in
test_hostile_sandbox.py)."""

from __future__ import annotations

from typing import Any

from extractor.cli import _parser
from extractor.sandbox.egress import _v4_local, _v6_local
from extractor.sandbox.policy import Policy

FIB_TRIE = """Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
        |-- 127.0.0.1
           /32 host LOCAL
     |-- 172.17.0.1
        /32 host LOCAL
     |-- 172.17.255.255
        /32 link BROADCAST
     |-- 203.0.113.7
        /32 host LOCAL
"""


def test_when_the_network_is_off_then_no_filter_and_no_net_admin() -> None:
    p = Policy()
    assert p.network == "none" and not p.filtered
    assert "NET_ADMIN" not in p.capabilities()
    assert p.entrypoint("driver") == ["python3", "/opt/tutorcheck/launch.py", "driver"]


def test_when_the_network_is_allowed_then_the_launcher_filters_it_with_net_admin() -> None:
    p = Policy().with_network(True)
    assert p.network == "bridge" and p.filtered
    assert "NET_ADMIN" in p.capabilities()
    assert p.entrypoint("driver", blocked=("203.0.113.7",)) == [
        "python3", "/opt/tutorcheck/launch.py", "--net=public", "--block=203.0.113.7", "driver"]


def test_when_private_addresses_are_allowed_then_nothing_is_filtered() -> None:
    p = Policy().with_network(True, private=True)
    assert p.network == "bridge" and not p.filtered
    assert "NET_ADMIN" not in p.capabilities() and "--net=public" not in p.entrypoint("driver")


def test_the_container_logs_nothing_and_starts_as_root_only_to_drop() -> None:
    args = Policy().cli_args()
    assert "--log-driver=none" in args and "--user=0:0" in args
    assert "--cap-drop=ALL" in args and "--security-opt=no-new-privileges:true" in args
    assert [a for a in args if a.startswith("--cap-add=")] == ["--cap-add=KILL", "--cap-add=SETGID",
                                                              "--cap-add=SETUID"]
    assert all("nr_inodes=" in opts for opts in Policy().tmpfs().values())


def test_the_hosts_own_addresses_come_from_the_kernel_tables() -> None:
    assert _v4_local(FIB_TRIE) == {"127.0.0.1", "172.17.0.1", "203.0.113.7"}
    line = "fd000000000000000000000000000002 02 40 00 80     eth0\n"
    assert _v6_local(line) == {"fd00::2"}


def test_allow_network_private_is_one_option_as_typed() -> None:
    args = _parser().parse_args(["check", "--allow-network", "--allow-private-network", "d"])
    assert args.allow_network and args.allow_private_network
    # main spells --allow-network=private as both flags (a usage error would exit 2 here)
    from extractor.cli import ARG_SPELLINGS

    assert ARG_SPELLINGS["--allow-network=private"] == ("--allow-network", "--allow-private-network")


def test_a_kubeconfigs_servers_are_opened_by_address_and_port_and_only_with_the_filter(monkeypatch: Any) -> None:
    import importlib.util
    import pwd
    from pathlib import Path

    from extractor.sandbox.egress import kube_servers

    config = ("clusters:\n- name: a\n  cluster: {server: 'https://10.1.2.3:6443'}\n"
              "- name: b\n  cluster: {server: 'https://127.0.0.1'}\n- name: c\n  cluster: {}\n")
    assert kube_servers(config) == ("10.1.2.3:6443", "127.0.0.1:443")
    assert kube_servers("not: [a kubeconfig") == () and kube_servers("- 1\n- 2\n") == ()
    filtered = Policy().with_network(True).opening(kube_servers(config))
    assert "--open=10.1.2.3:6443,127.0.0.1:443" in filtered.entrypoint("driver")
    assert not any(a.startswith("--open") for a in Policy().opening(("10.1.2.3:6443",)).entrypoint("driver"))
    # the launcher lets exactly that address and port through, before any rejection
    spec = importlib.util.spec_from_file_location(
        "launch", Path(__file__).resolve().parents[1] / "sandboxes" / "toolbox" / "launch.py")
    assert spec is not None and spec.loader is not None
    launch = importlib.util.module_from_spec(spec)
    # the launcher looks up the image's users when loaded; this host has none of them
    monkeypatch.setattr(pwd, "getpwnam", lambda name: pwd.struct_passwd((name, "x", 1000, 1000, "", "/", "/bin/sh")))
    spec.loader.exec_module(launch)
    rules = launch.filter_rules(False, [], ["10.1.2.3:6443", "[2001:db8::1]:443"]).splitlines()
    accept = rules.index("-A OUTPUT -d 10.1.2.3 -p tcp --dport 6443 -j ACCEPT")
    assert accept < min(i for i, r in enumerate(rules) if "REJECT" in r)
    assert not any("2001:db8::1" in r for r in rules)
