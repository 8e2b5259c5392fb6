"""``tutorcheck lab`` without an engine: its options and their help, what it copies in, bad input,
and the wheel tags JupyterLab is fetched for (the real lab: tests/test_lab.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from extractor import cli
from extractor.errors import UsageError
from extractor.sandbox import lab
from extractor.sandbox.layers import image_platforms


def _lab_parser() -> argparse.ArgumentParser:
    sub = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["lab"]


def test_every_option_of_lab_has_help_text() -> None:
    actions = [a for a in _lab_parser()._actions  # a suppressed one is a spelling (--allow-network=private)
               if not isinstance(a, argparse._HelpAction) and a.help != argparse.SUPPRESS]
    assert {o for a in actions for o in a.option_strings} == {"--allow-network", "--allow-host", "--port", "--lifetime"}
    assert all(a.help and len(a.help) > 20 for a in actions), [(a.dest, a.help) for a in actions]


def test_when_the_path_is_no_article_folder_then_exit_2_naming_it(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lab", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "not a generated article folder" in err


def test_the_article_folder_files_go_in_and_a_lone_notebook_goes_alone(tmp_path: Path) -> None:
    folder = tmp_path / "gen" / "slug"
    folder.mkdir(parents=True)
    for name in ("slug.ipynb", "slug.md", "tutorial.json", "check.sh"):
        (folder / name).write_text(name, encoding="utf-8")
    (folder / "sub").mkdir()
    assert [f.name for f in lab.article_files(folder / "slug.ipynb")] == ["check.sh", "slug.ipynb", "slug.md",
                                                                          "tutorial.json"]
    (tmp_path / "mine.ipynb").write_text("{}", encoding="utf-8")
    assert [(f.name, f.data) for f in lab.article_files(tmp_path / "mine.ipynb")] == [("mine.ipynb", b"{}")]


def test_when_the_folder_is_too_big_then_a_usage_error_names_it(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "slug").mkdir()
    (tmp_path / "slug" / "slug.ipynb").write_bytes(b"x" * 2048)
    monkeypatch.setattr(lab, "MAX_FILES_BYTES", 1024)
    with pytest.raises(UsageError, match="slug"):
        lab.article_files(tmp_path / "slug" / "slug.ipynb")


def test_the_url_quotes_the_notebook_name() -> None:
    assert lab.lab_url(8888, "a b.ipynb", "tok") == "http://127.0.0.1:8888/lab/tree/a%20b.ipynb?token=tok"


@pytest.mark.parametrize(("engine", "machine"), [("x86_64", "x86_64"), ("amd64", "x86_64"), ("arm64", "aarch64")])
def test_wheels_are_fetched_for_the_image_and_the_engine_machine(engine: str, machine: str) -> None:
    tags = image_platforms(engine)
    assert f"manylinux_2_36_{machine}" in tags and f"manylinux2014_{machine}" in tags
    assert f"manylinux_2_37_{machine}" not in tags  # newer than bookworm's glibc: would not load
    assert all(t.endswith(machine) for t in tags)


def test_when_the_port_is_taken_then_exit_2_before_any_container(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    import nbformat

    folder = tmp_path / "slug"
    folder.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), folder / "slug.ipynb")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert cli.main(["lab", str(folder), "--port", str(port)]) == 2
    assert "Address already in use" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["99999", "-1", "http", "8888.5"])
def test_a_port_out_of_range_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["lab", "DIR/SLUG", "--port", port])
    assert exited.value.code == 2 and "expected a port number from 0 to 65535" in capsys.readouterr().err
