"""The network allow-list without Docker: its entries, the configuration key and options, and
the plan's rule (plan/rules.py _network); where a step goes is tests/test_destinations.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.allowlist import Entry, parse_entry, parse_list, refused, under_wildcard
from extractor.cli import _parser
from extractor.config import load_config
from extractor.errors import UsageError
from extractor.model import CodeBlock, SourceRef, Step, Tutorial
from extractor.options import RunOptions, network_options
from extractor.plan import Place, make_plan, parse_tools
from extractor.understand.facts import command_facts
from extractor.vocab import ActionKind, NeedKind

TOOLS = parse_tools("", "curl\ngit\nssh\n")


@pytest.mark.parametrize(("text", "entry"), [
    ("pypi.org", Entry("pypi.org")),
    ("PyPI.org.", Entry("pypi.org")),
    ("pypi.org:443", Entry("pypi.org", 443)),
    ("10.0.0.5:8080", Entry("10.0.0.5", 8080)),
    ("10.0.0.0/24", Entry("10.0.0.0/24")),
    ("[2001:db8::1]:443", Entry("2001:db8::1", 443)),
    ("2001:db8::1", Entry("2001:db8::1")),
    ("*.example.com", Entry("*.example.com")),
])
def test_an_entry_is_a_name_an_address_a_range_or_a_wildcard_with_an_optional_port(text: str, entry: Entry) -> None:
    assert parse_entry(text, "--allow-host") == entry
    assert parse_entry(str(entry), "--allow-host") == entry  # written back as it is read


@pytest.mark.parametrize(("text", "said"), [
    ("*", "would admit every name"), ("*.*.com", "would admit every name"),
    ("pypi.org:0", "port must be a number from 1 to 65535"), ("pypi.org:https", "port must be"),
    ("pypi.org:", "port must be"), ("http://pypi.org/", r"is a URL: give its host \(pypi.org\)"),
    ("exa mple.com", "is not a host"), ("-bad.org", "is not a host"), ("[::1", "is not a host"),
])
def test_a_bad_entry_is_a_usage_error_naming_where_and_what_an_entry_may_be(text: str, said: str) -> None:
    with pytest.raises(UsageError, match=said) as e:
        parse_entry(text, "--allow-host")
    assert e.value.where == "--allow-host"


def test_an_entry_admits_its_host_and_port_a_range_its_addresses_a_wildcard_the_names_below() -> None:
    listed = parse_list(["pypi.org", "10.0.0.5:8080", "192.168.1.0/24", "*.example.com"], "x")
    assert refused(listed, "pypi.org:443") == "" and refused(listed, "pypi.org") == ""
    assert refused(listed, "10.0.0.5:8080") == ""
    assert refused(listed, "10.0.0.5:22") == "10.0.0.5:22 is not in the allow-list (it admits 10.0.0.5:8080)"
    assert refused(listed, "192.168.1.77:5432") == ""
    assert refused(listed, "a.b.example.com:443") == "" and refused(listed, "example.com:443") != ""
    assert refused(listed, "example.org:443") == "example.org is not in the allow-list"
    assert refused(listed, "pypi.org.evil.net:443") == "pypi.org.evil.net is not in the allow-list"
    assert refused(listed, "") == ""  # a destination the step does not name: the filter decides
    assert under_wildcard(listed, "a.example.com:443") == "a.example.com"
    assert under_wildcard(listed, "pypi.org:443") == "" and under_wildcard(listed, "example.org:443") == ""


def test_the_network_setting_an_allow_list_turns_it_on_and_cannot_go_with_off_or_everything() -> None:
    assert network_options(None, False, ["pypi.org"]) == {
        "allow_network": True, "private_network": False, "allow_hosts": (Entry("pypi.org"),)}
    assert network_options(True, False, None)["allow_hosts"] == ()
    with pytest.raises(UsageError, match="=private opens every address"):
        network_options(True, True, ["pypi.org"])
    with pytest.raises(UsageError, match="network is turned off too"):
        network_options(False, False, ["pypi.org"])
    with_list = RunOptions(**network_options(None, False, ["pypi.org"]))
    assert with_list.cache_key()["allow_hosts"] == ["pypi.org"] and "allow_hosts" not in RunOptions().cache_key()


def test_allow_host_is_repeatable_on_every_command_with_allow_network() -> None:
    for command in (["check"], ["step", "x"], ["notebook", "x"], ["lab", "x"]):
        args = _parser().parse_args([*command, "--allow-host", "pypi.org", "--allow-host", "10.0.0.5:8080"])
        assert args.allow_hosts == ["pypi.org", "10.0.0.5:8080"], command


def _project(tmp_path: Path, body: str, monkeypatch: Any) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "tutorcheck.toml").write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def test_the_configuration_takes_allow_hosts_and_names_the_key_and_what_it_allows(tmp_path: Path,
                                                                                  monkeypatch: Any) -> None:
    _project(tmp_path, 'allow-hosts = ["pypi.org", "*.example.com", "10.0.0.5:8080"]\n', monkeypatch)
    assert load_config().get("allow-hosts") == ["pypi.org", "*.example.com", "10.0.0.5:8080"]
    for body, said in (('allow-hosts = ["pypi org"]\n', "allow-hosts: expected a list of destinations, each "
                                                               "a host with an optional port"),
                       ('allow-hosts = "pypi.org"\n', "allow-hosts: expected a list"),
                       ('allow-hosts = ["pypi.org", "https://files.pythonhosted.org"]\n',
                        r"got \['pypi.org', 'https://files.pythonhosted.org'\]: 'https://files.pythonhosted.org' "
                        r"is a URL: give its host \(files.pythonhosted.org\)"),
                       ('allow-network = false\nallow-hosts = ["pypi.org"]\n', "allow-network = false")):
        (tmp_path / "tutorcheck.toml").write_text(body, encoding="utf-8")
        with pytest.raises(UsageError, match=said):
            load_config()


def test_the_command_lines_network_setting_replaces_the_configurations_whole(tmp_path: Path,
                                                                             monkeypatch: Any) -> None:
    from extractor.check_command import with_config

    _project(tmp_path, 'allow-hosts = ["pypi.org"]\n', monkeypatch)
    resolved, _ = with_config(_parser().parse_args(["check"]))
    assert resolved.allow_hosts == ["pypi.org"]
    assert resolved.configured == {"allow-hosts": str(tmp_path / "tutorcheck.toml")}
    assert resolved.network_where.endswith("tutorcheck.toml: allow-hosts")
    for line, hosts in ((["--allow-network"], None), (["--allow-host", "files.pythonhosted.org"],
                                                      ["files.pythonhosted.org"])):
        resolved, _ = with_config(_parser().parse_args(["check", *line]))
        assert resolved.allow_hosts == hosts and "allow-hosts" not in resolved.configured


def _plan(hosts: list[str], *commands: str, configured: dict[str, str] | None = None) -> Any:
    steps = [Step(c, None, "shell", ("network",), facts=command_facts(c, ("network",))) for c in commands]
    t = Tutorial(slug="t", title="t", url="", source=SourceRef("test", "json"),  # a block each: no sequence skips
                 blocks=tuple(CodeBlock(index=i, text="", lang="shell", kind="session", steps=(s,))
                              for i, s in enumerate(steps)))
    options = RunOptions(**network_options(None, False, hosts), configured=configured or {})
    return make_plan(t, Place.CHECK, options, tools=TOOLS)


def test_a_step_runs_when_every_destination_it_names_is_listed_else_is_skipped_naming_the_host() -> None:
    p = _plan(["pypi.org", "github.com", "10.0.0.5:8080"],
              "curl -sS https://pypi.org/simple/ && git clone https://github.com/org/repo",
              "curl -sS http://10.0.0.5:8080/",
              "curl -sS https://pypi.org/ https://example.org/",
              "curl -sS http://10.0.0.5:9090/",
              "git push")
    kinds = [(a.kind, a.need, a.reason) for a in p.actions]
    assert kinds[0][0] == kinds[1][0] == ActionKind.SHELL
    assert kinds[2] == (ActionKind.SKIP, NeedKind.NETWORK, "needs the network: example.org is not in the allow-list")
    assert kinds[3] == (ActionKind.SKIP, NeedKind.NETWORK,
                        "needs the network: 10.0.0.5:9090 is not in the allow-list (it admits 10.0.0.5:8080)")
    assert kinds[4][0] == ActionKind.SHELL  # it names no destination: it runs; the filter refuses the unlisted
    assert p.hosts == ()


def test_a_skip_by_a_configured_list_says_so_and_a_wildcard_opens_the_names_running_steps_reach() -> None:
    p = _plan(["*.example.com"], "curl https://api.example.com/v1", "curl https://example.net/",
              configured={"allow-hosts": "pyproject.toml [tool.tutorcheck]"})
    assert p.actions[0].kind == ActionKind.SHELL
    assert p.actions[1].reason == ("needs the network: example.net is not in the allow-list "
                                   "(allow-hosts from pyproject.toml [tool.tutorcheck])")
    assert p.hosts == ("api.example.com",)


def _launcher(monkeypatch: Any) -> Any:
    import importlib.util
    import pwd

    spec = importlib.util.spec_from_file_location(
        "launch", Path(__file__).resolve().parents[1] / "sandboxes" / "toolbox" / "launch.py")
    assert spec is not None and spec.loader is not None
    launch = importlib.util.module_from_spec(spec)
    # the launcher looks up the image's users when loaded; this host has none of them
    monkeypatch.setattr(pwd, "getpwnam", lambda name: pwd.struct_passwd((name, "x", 1000, 1000, "", "/", "/bin/sh")))
    spec.loader.exec_module(launch)
    return launch


def test_the_sandbox_opens_the_lists_addresses_pins_its_names_and_rejects_everything_else(monkeypatch: Any) -> None:
    import socket

    from extractor.sandbox.egress import allowed, network_policy, unresolved

    answers = {"pypi.org": ["151.101.0.223", "2a04:4e42::223"], "api.example.com": ["203.0.113.10"]}
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: [
        (socket.AF_INET6 if ":" in a_ else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a_, 0))
        for a_ in answers.get(host, [])] or (_ for _ in ()).throw(socket.gaierror("no such name")))
    entries = parse_list(["pypi.org:443", "10.0.0.5", "192.168.1.0/24:5432", "*.example.com:8443", "nowhere.invalid"],
                         "x")
    opened, pinned = allowed(entries, ["api.example.com"])
    assert opened == ("10.0.0.5", "151.101.0.223:443", "192.168.1.0/24:5432", "203.0.113.10:8443",
                      "[2a04:4e42::223]:443")
    assert pinned == (("api.example.com", "203.0.113.10"), ("pypi.org", "151.101.0.223"))  # IPv4 when it has one
    assert unresolved(entries) == ["nowhere.invalid"]  # said before the run (check_command)
    policy = network_policy(RunOptions(**network_options(None, False, ["pypi.org:443"])))
    assert policy.network == "bridge" and policy.egress == "listed" and policy.filtered
    assert "--net=listed" in policy.entrypoint("driver") and "--open=151.101.0.223:443,[2a04:4e42::223]:443" in \
        policy.entrypoint("driver")
    kwargs = policy.sdk_kwargs()
    assert kwargs["extra_hosts"] == ["pypi.org:151.101.0.223"] and "NET_ADMIN" in kwargs["cap_add"]
    assert kwargs["environment"]["TUTORCHECK_EGRESS"] == "listed"
    assert "--add-host=pypi.org:151.101.0.223" in policy.cli_args()
    assert not network_policy(RunOptions()).filtered and "extra_hosts" not in network_policy(RunOptions()).sdk_kwargs()
    assert network_policy(RunOptions(allow_network=True)).egress == "public"


def test_the_launchers_allow_list_filter_accepts_what_is_opened_and_then_rejects_all(monkeypatch: Any) -> None:
    launch = _launcher(monkeypatch)
    monkeypatch.setattr(launch, "nameservers", lambda: ["192.168.65.7"])
    rules = launch.filter_rules(False, ["192.0.2.2"], ["151.101.0.223:443", "10.0.0.5", "192.168.1.0/24:5432",
                                                       "[2a04:4e42::223]:443"], listed=True).splitlines()
    assert rules[2:] == ["-A OUTPUT -o lo -j ACCEPT",
                         "-A OUTPUT -d 151.101.0.223 -p tcp --dport 443 -j ACCEPT",
                         "-A OUTPUT -d 10.0.0.5 -j ACCEPT",
                         "-A OUTPUT -d 192.168.1.0/24 -p tcp --dport 5432 -j ACCEPT",
                         "-A OUTPUT -j REJECT --reject-with icmp-admin-prohibited", "COMMIT"]
    assert not any("--dport 53" in r for r in rules)  # no name server: the names are pinned
    v6 = launch.filter_rules(True, [], ["151.101.0.223:443", "[2a04:4e42::223]:443"], listed=True).splitlines()
    assert v6[3:5] == ["-A OUTPUT -d 2a04:4e42::223 -p tcp --dport 443 -j ACCEPT",
                       "-A OUTPUT -j REJECT --reject-with icmp6-adm-prohibited"]
    assert not any("a;b" in r for r in launch.opened_rules(False, ["a;b:80", "1.2.3.4 -j ACCEPT"]))
