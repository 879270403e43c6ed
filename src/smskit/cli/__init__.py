"""The ``smskit`` command line. Only :func:`main` is public; each subcommand lives
in its own private module.

This module stays light: :func:`main` installs the interrupt handling before it
imports the subcommands (and with them ``phonenumbers``, ``regex`` and the rule
tables), so a Ctrl-C at any moment ends the command with one line and exit 130,
never a traceback from an import.
"""

from __future__ import annotations

import os
import signal
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a startup cost)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

__all__ = [
    "EXIT_INTERRUPTED",
    "console",
    "main",
]

#: What a shell reports for a command ended by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """End the command now: kill its worker processes, one line on stderr, exit 130.

    ``os._exit`` rather than an exception: an exception would run ``finally``
    blocks and exit hooks that wait for workers (and, in a worker that inherited
    this handler before it ignored SIGINT, print a traceback).
    """
    if os.getpid() == _MAIN_PID[0]:
        # The signal may come while multiprocessing itself is being imported: a
        # partially initialised module has no active_children yet (then no workers).
        active_children = getattr(sys.modules.get("multiprocessing"), "active_children", None)
        workers = active_children() if active_children is not None else []
        for process in workers:
            process.kill()  # a process already gone is ignored by kill()
        for process in workers:
            process.join(1)  # reap it: no zombie left for an init that may not
        try:  # noqa: SIM105 (contextlib is not imported: this module stays light)
            os.write(2, b"smskit: interrupted\n")
        except OSError:
            pass
    os._exit(EXIT_INTERRUPTED)


_MAIN_PID = [0]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``smskit`` command with ``argv`` (default ``sys.argv[1:]``); return the
    exit code. In the main thread, SIGINT ends the command at once with exit 130."""
    _MAIN_PID[0] = os.getpid()
    try:
        previous = signal.signal(signal.SIGINT, _interrupted)
    except ValueError:  # not the main thread: the caller handles its interrupts
        previous = None
    try:
        from ._app import main as run

        return run(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def console() -> None:
    """The ``smskit`` console script and ``python -m smskit``: :func:`main`, then exit
    with the interrupt handling still in place.

    Python's own shutdown resets SIGINT to its default, so a Ctrl-C that arrived just
    as the command finished would end it by the signal (no line, no 130). The output is
    flushed here and the process ends at once instead.
    """
    _MAIN_PID[0] = os.getpid()
    signal.signal(signal.SIGINT, _interrupted)
    if sys.stdout is None:
        # Started with its output closed (``>&-``): Python then drops every print, so
        # the command would seem to succeed with its answer lost.
        if sys.stderr is not None:
            sys.stderr.write("smskit: error: standard output is closed; nothing could be shown\n")
            sys.stderr.flush()
        os._exit(2)
    if sys.stderr is None:
        # Started with ``2>&-``: print(file=None) would put warnings and errors into the
        # answer on stdout, and the progress checks would fail. They go nowhere instead;
        # the exit code still tells.
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives for the run
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, or closed streams
        pass
    os._exit(code)
