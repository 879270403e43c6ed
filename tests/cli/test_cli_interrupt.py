"""Ctrl-C ends ``smskit`` at once: real SIGINTs to the process group, at many moments.

A terminal sends SIGINT to the whole foreground process group, so the tests do the
same (``os.killpg``) to a command started in a session of its own, and check: exit
130, exactly one line on stderr, no traceback, and no process of the group left
(workers killed and reaped), within a bounded wait.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _cli import ROOT, SMSKIT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the process table from /proc"
)

INTERRUPTED = "smskit: interrupted\n"
BOUND = 10.0  # seconds: far above the second or two it takes, far below a hang


def _group(pgid: int) -> list[int]:
    """Processes (zombies included) whose process group is ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if int(fields[2]) == pgid:  # state, ppid, pgrp
            members.append(int(entry.name))
    return members


def _interrupt(args: list[str], moment: float) -> tuple[int, str, str, int]:
    """Start ``smskit ARGS``, SIGINT its group after ``moment`` seconds; return the exit
    code, stdout, stderr and how many processes the group had just before the signal."""
    process = subprocess.Popen(
        [SMSKIT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
    )
    time.sleep(moment)
    members = len(_group(process.pid))
    with contextlib.suppress(ProcessLookupError):  # already finished
        os.killpg(process.pid, signal.SIGINT)
    try:
        out, err = process.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"still running {BOUND} s after Ctrl-C at {moment} s") from None
    deadline = time.monotonic() + BOUND
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group(process.pid) == [], f"processes left after Ctrl-C at {moment} s"
    return process.returncode, out.decode(), err.decode(), members


@pytest.fixture(scope="module")
def big_campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """60,000 distinct valid numbers: enough for the worker processes (20,000+)."""
    folder = tmp_path_factory.mktemp("interrupt")
    areas = (212, 415, 206, 305, 617, 312)
    rows = [f"+1 {area} 555 {n:04d},Ann\n" for area in areas for n in range(10_000)]
    campaign = folder / "campaign.csv"
    campaign.write_text("number,name\n" + "".join(rows), encoding="utf-8")
    rates = folder / "rates.toml"
    rates.write_text('currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.0079\n')
    return campaign, rates


@pytest.mark.parametrize("moment", [0.5, 0.8, 1.0, 1.3, 1.5, 2.0, 2.5, 3.0])
def test_interrupting_a_large_estimate_ends_every_process_at_once(
    big_campaign: tuple[Path, Path], moment: float
) -> None:
    campaign, rates = big_campaign
    args = ["estimate", str(campaign), "--template-text", "Hi {name}", "--rates", str(rates)]
    code, out, err, _ = _interrupt(args, moment)
    if code == 0:  # a fast machine finished first: nothing to check but the output
        assert "Messages            60,000" in out
        return
    assert (code, err) == (130, INTERRUPTED)


def test_the_workers_are_really_there_when_interrupted(big_campaign: tuple[Path, Path]) -> None:
    """Guards the test above: some moment must catch the worker processes running."""
    campaign, rates = big_campaign
    args = ["estimate", str(campaign), "--template-text", "Hi {name}", "--rates", str(rates)]
    seen = 0
    # Rows are priced 50,000 at a time, each block's numbers parsed by the workers: how
    # soon they run depends on the machine's load, so try moments from early on.
    for moment in (0.2, 0.35, 0.5, 0.7, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0):
        code, out, err, members = _interrupt(args, moment)
        if code == 0:  # finished before the signal: nothing was interrupted
            assert "Messages            60,000" in out
            continue
        assert (code, err) == (130, INTERRUPTED)
        seen = max(seen, members)
        if seen > 1:
            break
    assert seen > 1, "no interrupt came while the worker processes ran"


# CPython's import machinery, interrupted in a weak-reference callback before our handler
# exists (a module lock's; on 3.13 also its weak-value dictionary's, seen in CI), reports
# the KeyboardInterrupt as "ignored" and goes on (seen under load); every frame is frozen
# importlib, none ours, and the command then ends normally or by our handler.
_IMPORTLIB_NOISE = re.compile(
    r"Exception ignored in: <function [\w.<>]+ at 0x[0-9a-f]+>\n"
    r"Traceback \(most recent call last\):\n"
    r'(  File "<frozen importlib\._bootstrap>", line \d+, in \w+\n)+'
    r"KeyboardInterrupt: \n"
)


# CPython's start-up, interrupted while it checks whether the script's path is an import
# path entry (to set sys.path[0]), prints this and goes on: every frame frozen zipimport
# or frozen importlib (3.11.7 showed both in CI), none ours.
_ARGV0_NOISE = re.compile(
    r"Failed checking if argv\[0\] is an import path entry\n"
    r"(?:(?:Traceback \(most recent call last\):"
    r'|  File "<frozen (?:zipimport|importlib\._bootstrap_external)>", line \d+, in \w+'
    r"|KeyError: '[^'\n]*'"
    r"|During handling of the above exception, another exception occurred:"
    r"|)\n)*"
    r"KeyboardInterrupt(?:: )?\n"
)


def _without_importlib_noise(err: str) -> str:
    return _ARGV0_NOISE.sub("", _IMPORTLIB_NOISE.sub("", err))


def test_only_cpython_importlib_noise_is_tolerated() -> None:
    noise = (
        "Exception ignored in: <function _get_module_lock.<locals>.cb at 0x7f7e8830e020>\n"
        "Traceback (most recent call last):\n"
        '  File "<frozen importlib._bootstrap>", line 198, in cb\n'
        "KeyboardInterrupt: \n"
    )
    assert _without_importlib_noise(noise + INTERRUPTED) == INTERRUPTED
    weakref_noise = (
        "Exception ignored in: <function _WeakValueDictionary.__init__.<locals>.KeyedRef.remove"
        " at 0x7fe29c3f0b80>\n"
        "Traceback (most recent call last):\n"
        '  File "<frozen importlib._bootstrap>", line 82, in remove\n'
        "KeyboardInterrupt: \n"
    )
    assert _without_importlib_noise(weakref_noise) == ""
    ours = noise.replace("<frozen importlib._bootstrap>", "/x/smskit/cli/_app.py")
    assert _without_importlib_noise(ours) == ours
    # Seen in CI (Python 3.11.7), an interrupt 10 ms into `smskit count hi`:
    argv0_noise = (
        "Failed checking if argv[0] is an import path entry\n"
        "Traceback (most recent call last):\n"
        '  File "<frozen zipimport>", line 92, in __init__\n'
        "KeyError: '/tmp/ciclone/.venv-ci/bin/smskit'\n"
        "\n"
        "During handling of the above exception, another exception occurred:\n"
        "\n"
        "Traceback (most recent call last):\n"
        '  File "<frozen zipimport>", line 94, in __init__\n'
        '  File "<frozen zipimport>", line 433, in _read_directory\n'
        "KeyboardInterrupt\n"
    )
    assert _without_importlib_noise(argv0_noise) == ""
    assert _without_importlib_noise(argv0_noise + INTERRUPTED) == INTERRUPTED
    ours = argv0_noise.replace("<frozen zipimport>", "/x/smskit/__init__.py", 1)
    assert _without_importlib_noise(ours) == ours
    # Seen in CI (Python 3.11.7), an interrupt 10 ms into `smskit estimate - --help`:
    path_hook_noise = (
        "Failed checking if argv[0] is an import path entry\n"
        "Traceback (most recent call last):\n"
        '  File "<frozen importlib._bootstrap_external>", line 1696, in path_hook_for_FileFinder\n'
        "KeyboardInterrupt\n"
    )
    assert _without_importlib_noise(path_hook_noise + INTERRUPTED) == INTERRUPTED
    ours = path_hook_noise.replace("<frozen importlib._bootstrap_external>", "/x/smskit/a.py")
    assert _without_importlib_noise(ours) == ours


@pytest.mark.parametrize("moment", [0.0, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.25])
@pytest.mark.parametrize("command", [["count", "hi"], ["estimate", "-", "--help"]])
def test_an_interrupt_while_starting_never_prints_a_traceback_of_ours(
    command: list[str], moment: float
) -> None:
    code, _, err, _ = _interrupt(command, moment)
    if code in (0, 130):
        assert _without_importlib_noise(err) in ("", INTERRUPTED), err
        return
    # Interrupted before the handler was installed: CPython's own start-up (site),
    # the entry-point script's ``import re``, or the two light package ``__init__``
    # modules (a few milliseconds in all), which no package can prevent. Never a
    # frame of a subcommand's import or run. (CPython ends silently with -SIGINT
    # before it installs its own handler, with a traceback after, or with 1 and
    # "Fatal Python error" when site itself was interrupted.)
    frames = re.findall(r'File "([^"]+)"', err)
    ours = [f for f in frames if f"{os.sep}smskit{os.sep}" in f]
    assert all(f.endswith("__init__.py") for f in ours), err


def test_the_entry_point_imports_nothing_heavy_before_its_handler() -> None:
    """What runs before ``main`` installs the handler: ``smskit`` and ``smskit.cli``,
    without the subcommands, ``phonenumbers``, ``regex`` or the rule tables (``smskit._version``,
    one string, is all ``smskit`` itself loads)."""
    code = (
        "import sys, smskit.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'smskit', 'phonenumbers', 'regex', 'typing', 'sqlite3', 'json'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "['smskit', 'smskit._version', 'smskit.cli']"


def test_an_interrupt_during_the_import_of_multiprocessing_still_ends_cleanly() -> None:
    # Seen in CI: Ctrl-C arrived while multiprocessing was half imported, and the handler
    # failed on the missing active_children with a traceback instead of exiting 130.
    code = (
        "import os, sys, types; sys.modules['multiprocessing'] = types.ModuleType("
        "'multiprocessing'); import smskit.cli as cli; cli._MAIN_PID[0] = os.getpid(); "
        "cli._interrupted(2, None)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stderr) == (130, INTERRUPTED)
