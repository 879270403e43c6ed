"""The command started with a standard stream closed (``>&-``, ``<&-``): one line and
exit 2, never a traceback, and never a run that looks successful with its answer lost."""

from __future__ import annotations

import os
import subprocess

import pytest

from _cli import ROOT, SMSKIT


def _run_closed(fd: int, *args: str) -> tuple[int, str]:
    """Run ``smskit ARGS`` with file descriptor ``fd`` closed before exec, as a shell's
    ``>&-`` or ``<&-`` does; the exit code and stderr."""
    result = subprocess.run(
        [SMSKIT, *args],
        stdin=None if fd == 0 else subprocess.DEVNULL,
        stdout=None if fd == 1 else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(fd),  # safe: the test starts no threads
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stderr.decode("utf-8")


def test_closed_output_is_an_error_not_a_lost_answer() -> None:
    code, err = _run_closed(1, "count", "hello")
    assert code == 2
    assert err == "smskit: error: standard output is closed; nothing could be shown\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("count", "-"), "give the text as an argument"),
        (
            (
                "estimate", "-", "--template", "examples/reminder.txt",
                "--rates", "examples/rates.toml",
            ),
            "name the CSV file instead of -",
        ),
        (
            ("lint", "--template", "-"),
            "name the template file instead of -, or give it with --template-text",
        ),
    ],
)
def test_closed_input_read_as_dash_is_one_line(args: tuple[str, ...], says: str) -> None:
    code, err = _run_closed(0, *args)
    assert code == 2
    assert err == f"smskit: error: standard input is closed; {says}\n"


def test_closed_input_unused_does_not_matter() -> None:
    code, err = _run_closed(0, "count", "hello")
    assert (code, err) == (0, "")


def _run_without_stderr(*args: str) -> tuple[int, str]:
    """Run ``smskit ARGS`` as ``2>&-`` does; the exit code and stdout."""
    result = subprocess.run(
        [SMSKIT, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        preexec_fn=lambda: os.close(2),  # safe: the test starts no threads
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout.decode("utf-8")


_ESTIMATE = ("estimate", "examples/campaign.csv", "--template", "examples/reminder.txt",
             "--rates", "examples/rates.toml", "--json")


def test_closed_error_stream_still_gives_the_answer() -> None:
    code, out = _run_without_stderr(*_ESTIMATE)
    assert code == 0
    assert out.startswith("{")


def test_closed_error_stream_keeps_errors_out_of_the_answer() -> None:
    code, out = _run_without_stderr("count", "--no-such-option")
    assert (code, out) == (2, "")
    code, out = _run_without_stderr("estimate", "no-such.csv", *_ESTIMATE[2:])
    assert (code, out) == (2, "")
