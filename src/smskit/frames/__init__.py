"""Campaign costing on data-frame engines: one Arrow batch kernel and thin adapters.

:mod:`smskit.frames.arrow` is the kernel: an Arrow array or record batch of texts
(or of template values) in, Arrow columns ``encoding``, ``segments``, ``units`` and,
with a rate card, ``country`` and ``cost`` out. The engine adapters only move
batches in and out of it:

- :mod:`smskit.frames.polars`: an expression (``map_batches``) giving a struct column;
- :mod:`smskit.frames.duckdb`: Arrow UDFs for SQL (``select sms_segments(body) ...``);
- :mod:`smskit.frames.spark`: ``DataFrame.mapInArrow`` adding the columns.

Each needs its optional extra (``arrow``, ``polars``, ``duckdb``, ``spark``); importing
a module without it raises :class:`~smskit.errors.MissingExtraError` naming the extra.
Recipes and measured speeds: ``docs/scale.md``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..errors import MissingExtraError, install_hint

__all__: list[str] = []  # the engines' modules hold the API; require() is internal


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming ``extra``.

    >>> require("json", "none", "this doctest").__name__
    'json'
    """
    try:
        return import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{feature} needs {module.split('.')[0]}: {install_hint(extra)}",
            extra=extra,
        ) from exc
