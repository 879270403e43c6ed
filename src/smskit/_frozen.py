"""Pickling for values that hold read-only mappings (``MappingProxyType``).

A mapping proxy cannot be pickled, so a value holding one could not go on a queue
(multiprocessing, celery) nor through ``copy.deepcopy``. Such a value reduces to its
constructor's arguments with each proxy, however deep, carried as a :class:`_Proxied`
dict, and :func:`rebuild` makes proxies of them again: the copy is equal and as
read-only as the original.
"""

from __future__ import annotations

from dataclasses import fields
from types import MappingProxyType
from typing import Any


class _Proxied(dict[Any, Any]):
    """A mapping proxy's contents on the wire (a dict, so it pickles)."""


def _thaw(value: object) -> object:
    # Exact types only: a named tuple or a dict subclass is left to pickle itself.
    if isinstance(value, MappingProxyType):
        return _Proxied({k: _thaw(v) for k, v in value.items()})
    if type(value) is dict:
        return {k: _thaw(v) for k, v in value.items()}
    if type(value) is tuple:
        return tuple(_thaw(v) for v in value)
    if type(value) is list:
        return [_thaw(v) for v in value]
    return value


def _freeze(value: object) -> object:
    if isinstance(value, _Proxied):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if type(value) is dict:
        return {k: _freeze(v) for k, v in value.items()}
    if type(value) is tuple:
        return tuple(_freeze(v) for v in value)
    if type(value) is list:
        return [_freeze(v) for v in value]
    return value


def rebuild(cls: type[Any], args: tuple[object, ...]) -> Any:
    """``cls`` built again from what :func:`reduce_frozen` gave."""
    return cls(*(_freeze(a) for a in args))


def reduce_frozen(value: Any) -> tuple[Any, tuple[type[Any], tuple[object, ...]]]:
    """``__reduce__`` for a dataclass whose fields are all constructor arguments."""
    return rebuild, (type(value), tuple(_thaw(getattr(value, f.name)) for f in fields(value)))
