"""What the ``compare_*.py`` scripts share: another version of smskit imported beside
this one, and cases timed in interleaved rounds."""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType


def load_before(package: Path, name: str = "smskit_before") -> ModuleType:
    """The smskit package directory ``package``, copied to a temporary directory and
    imported as ``name`` (its imports are relative, so it runs apart from this one)."""
    where = Path(tempfile.mkdtemp(prefix="smskit-before-"))
    shutil.copytree(package, where / name)
    sys.path.insert(0, str(where))
    return importlib.import_module(name)


def corpora_from_args(
    argv: Sequence[str] | None,
    description: str,
    *,
    rounds: int,
    size: int,
    mix: int,
    aa: bool = False,
) -> tuple[argparse.Namespace, dict[str, list[str]]]:
    """The options every compare script takes (``--before``, ``--rounds``, ``--size``,
    ``--mix``, ``--only``; ``--aa`` where ``aa``) and the corpora they select: the
    realistic mix, then each class."""
    from bench_segments import CLASSES, class_corpus, corpus

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--before", type=Path, required=True, help="the other src/smskit")
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--size", type=int, default=size, help="texts a class")
    parser.add_argument("--mix", type=int, default=mix, help="texts of the mix")
    parser.add_argument("--only", default=None, help="one class, or 'mix'")
    if aa:
        parser.add_argument(
            "--aa", action="store_true", help="a second copy of each version: A/A and pooled"
        )
    args = parser.parse_args(argv)
    corpora = {"realistic mix": corpus(args.mix)}
    corpora.update((kind, class_corpus(kind, args.size)) for kind in CLASSES)
    if args.only:
        corpora = {k: v for k, v in corpora.items() if args.only in k}
        if not corpora:  # "names" is not in "ASCII + a name beyond Latin-1": say so
            parser.error(f"--only {args.only!r} is in no class: 'mix' or one of {CLASSES}")
    return args, corpora


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
