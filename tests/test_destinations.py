"""Where a step that needs the network goes (understand/destinations.py): the values of its
network needs, which the plan compares with the allow-list."""

from __future__ import annotations

import pytest

from extractor.understand.destinations import destinations
from extractor.understand.facts import command_facts
from extractor.vocab import NeedKind


@pytest.mark.parametrize(("command", "expected"), [
    ("curl -fsSL https://example.org/install.sh | sh", ("example.org:443",)),
    ("curl http://10.0.0.5:8080/health", ("10.0.0.5:8080",)),
    ("git clone git@github.com:org/repo.git", ("github.com:22",)),
    ("git clone https://github.com/org/repo.git && cd repo", ("github.com:443",)),
    ("ssh deploy@203.0.113.9", ("203.0.113.9:22",)),
    ("pip download requests", ("pypi.org:443", "files.pythonhosted.org:443")),
    ("ping -c 1 example.com", ("example.com",)),
    ("git push", ("",)),  # where its remote is, the command does not say
    ("wget $URL", ("",)),
])
def test_where_a_shell_step_goes(command: str, expected: tuple[str, ...]) -> None:
    assert destinations(command) == expected
    facts = command_facts(command, ("network",))
    assert [n.value for n in facts.needs if n.kind == NeedKind.NETWORK] == list(expected)


def test_where_a_python_step_goes_is_the_urls_it_names() -> None:
    assert destinations('requests.get("https://api.github.com/users")', shell=False) == ("api.github.com:443",)
