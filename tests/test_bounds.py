"""Parser bounds for untrusted text (pure): over a bound is OverBound naming it; ordinary
documents, aliases included, parse as before."""

from __future__ import annotations

import pytest

from extractor import bounds
from extractor.bounds import OverBound


def _alias_bomb(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghijk"[:levels]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_ordinary_aliases_still_parse() -> None:
    compose = "x-base: &base\n  image: alpine\n  restart: always\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n"
    docs = bounds.load_yaml(compose)
    assert docs[0]["services"]["b"]["image"] == "alpine"
    assert len(bounds.load_yaml(_alias_bomb(3))[0]) == 4  # 9**4 nodes: within the bound


def test_an_alias_bomb_is_refused_before_anything_is_built() -> None:
    with pytest.raises(OverBound, match="expands to more than 100000 nodes"):
        bounds.load_yaml(_alias_bomb(9))


def test_depth_and_documents_are_bounded() -> None:
    deep = "".join("  " * i + f"k{i}:\n" for i in range(120)) + "  " * 120 + "v: 1\n"
    with pytest.raises(OverBound, match="YAML nested deeper than 100"):
        bounds.load_yaml(deep)
    with pytest.raises(OverBound, match="more than 1000 documents"):
        bounds.load_yaml("".join(f"---\nn: {i}\n" for i in range(1001)))
    assert len(bounds.load_yaml("".join(f"---\nn: {i}\n" for i in range(1000)))) == 1000


def test_json_and_toml_depth_and_size() -> None:
    assert bounds.load_json('{"a": ["[[[[", {"b": 1}]}') == {"a": ["[[[[", {"b": 1}]}  # brackets in strings
    with pytest.raises(OverBound, match="JSON nested deeper than 100"):
        bounds.load_json("[" * 101 + "]" * 101)
    with pytest.raises(OverBound, match="JSON of 300000 characters"):
        bounds.load_json('"' + "x" * 299998 + '"')
    with pytest.raises(OverBound, match="TOML nested deeper"):
        bounds.load_toml("a = " + "[" * 200 + "]" * 200)
    assert bounds.load_toml("a = [[1], [2]]\n") == {"a": [[1], [2]]}


def test_shell_nesting_is_bounded_but_ordinary_scripts_pass() -> None:
    bounds.check_shell('for f in *; do echo "$(basename "${f%.*}")"; done\n' * 500)
    bounds.check_shell("echo 'sad :('  # :( :(\n" * 200)  # parentheses in quotes and comments open nothing
    with pytest.raises(OverBound, match="shell text nested deeper than 100"):
        bounds.check_shell("echo " + "$(" * 101 + "x" + ")" * 101)


def test_a_limited_tool_runs_and_is_capped() -> None:
    import subprocess

    done = subprocess.run(bounds.limited(["bash", "-c", "ulimit -t; ulimit -v"]), capture_output=True, text=True)
    assert done.stdout.split() == [str(bounds.TOOL_CPU_SECONDS), str(bounds.TOOL_MEMORY_BYTES // 1024)]
