"""What the ``compare_*.py`` scripts share: another version of smskit imported beside
this one, and cases timed in interleaved rounds."""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType


def load_before(package: Path) -> ModuleType:
    """The smskit package directory ``package``, copied to a temporary directory and
    imported as ``smskit_before`` (its imports are relative, so it runs apart from this
    one)."""
    where = Path(tempfile.mkdtemp(prefix="smskit-before-"))
    shutil.copytree(package, where / "smskit_before")
    sys.path.insert(0, str(where))
    return importlib.import_module("smskit_before")


def interleaved(cases: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of each case per round; the order rotates every round so drift and
    collections fall on every case alike. A result is dropped before the next case runs."""
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.process_time()
            result = cases[name]()
            samples[name].append(time.process_time() - start)
            del result
    return samples
