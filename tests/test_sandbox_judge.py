"""Verdicts from what a step printed (no Docker): shell by output or exit status, python by doctest rules."""

from __future__ import annotations

from extractor.sandbox.runner import judge_python, judge_shell


def test_when_no_output_is_recorded_then_the_exit_status_decides() -> None:
    assert judge_shell(None, "anything", 0).status == "passed"
    v = judge_shell(None, "bash: ehco: command not found\n", 127)
    assert v.status == "failed" and "command not found" in v.reason


def test_when_output_is_recorded_then_it_decides_and_a_mismatch_carries_a_diff() -> None:
    assert judge_shell("hi\n", "hi\n", 0).match == "exact"
    v = judge_shell("hello\n", "goodbye\n", 0)
    assert v.status == "failed" and v.match == "mismatch" and "-hello" in v.diff and "+goodbye" in v.diff


def test_python_examples_follow_doctest_rules() -> None:
    assert judge_python("x", "42\n", "42\n", 0).match == "exact"
    assert judge_python("x", "42", "42\n", 0).status == "passed"  # the recorded text lost its newline
    assert judge_python("list(range(30))", "[0, 1, ..., 29]\n", str(list(range(30))) + "\n", 0).status == "passed"
    tb = ('Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n'
          "ZeroDivisionError: division by zero\n")
    want = "Traceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n"
    assert judge_python("1/0", want, tb, 1).match == "normalized"
    wrong = judge_python("1/0", want.replace("division by zero", "oops"), tb, 1)
    assert wrong.status == "failed" and wrong.diff


def test_when_a_python_example_records_nothing_then_an_exception_fails_it() -> None:
    assert judge_python("x = 1", None, "", 0).status == "passed"
    assert judge_python("1/0", None, "Traceback ...", 1).status == "failed"


def test_a_program_not_found_inside_a_substitution_is_no_pass_even_with_status_0() -> None:
    from extractor.sandbox.runner import judge_shell

    v = judge_shell(None, "bash: line 1: i3-msg: command not found\n", 0)
    assert v.status == "failed" and "i3-msg: command not found" in v.reason
    assert judge_shell(None, "the word 'found' is fine\n", 0).status == "passed"
