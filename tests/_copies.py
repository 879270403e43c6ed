"""Copying a value every way a user can (each pickle protocol, ``copy.copy``,
``copy.deepcopy``), a time that only survives some of them, and smskit's public
dataclasses, for the tests that must cover each one."""

from __future__ import annotations

import copy
import importlib
import pickle
import pkgutil
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import smskit

T = TypeVar("T")

NEW_YORK = ZoneInfo("America/New_York")
# The second 01:30 of the night New York's clocks go back: 06:30 UTC (the first is
# 05:30 UTC). ``datetime`` keeps ``fold`` only from pickle protocol 4.
SECOND = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
UTC_OF_SECOND = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)

COPIES = [*(f"pickle{p}" for p in range(pickle.HIGHEST_PROTOCOL + 1)), "deepcopy", "copy"]


def copied(value: T, how: str) -> T:
    """``value`` copied as ``how`` (one of ``COPIES``) says."""
    if how == "deepcopy":
        return copy.deepcopy(value)
    if how == "copy":
        return copy.copy(value)
    again: T = pickle.loads(pickle.dumps(value, protocol=int(how.removeprefix("pickle"))))
    return again


def public_dataclasses(field_type: str) -> list[type]:
    """smskit's public dataclasses with a field whose annotation mentions ``field_type``
    (``"Mapping"``, ``"datetime"``), in a stable order."""
    found: dict[str, type] = {}
    for module in pkgutil.walk_packages(smskit.__path__, "smskit."):
        if any(part.startswith("_") for part in module.name.split(".")):
            continue  # private, or __main__ (the command line)
        try:
            loaded = importlib.import_module(module.name)
        except ImportError:  # an optional extra that is not installed
            continue
        for name in getattr(loaded, "__all__", ()):
            value = getattr(loaded, name)
            if isinstance(value, type) and is_dataclass(value) and any(
                field_type in str(f.type) for f in fields(value)
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]
