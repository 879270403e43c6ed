"""Findings: the one currency every check (content, consent, quiet hours, MMS) pays in.

A :class:`Finding` says what a rule saw, how serious it is, and which rule and
source it applies, so a decision can be explained to an auditor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .errors import ConfigurationError

__all__ = ["Finding", "Severity"]


class Severity(StrEnum):
    """How a finding weighs on the decision, from least to most serious.

    ``INFO`` and ``WARNING`` never stop a send; ``DEFER`` means "not now, later is
    fine" (quiet hours); ``BLOCK`` means "do not send".
    """

    INFO = "info"
    WARNING = "warning"
    DEFER = "defer"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """Order of seriousness: INFO 0 < WARNING 1 < DEFER 2 < BLOCK 3."""
        return _RANK[self]


_LABELLED = frozenset({"unverified", "conflicting", "default"})

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.DEFER: 2, Severity.BLOCK: 3}


# -- pickling values that hold read-only mappings --------------------------------------
# A mapping proxy cannot be pickled, so a value holding one could not go on a queue
# (multiprocessing, celery) nor through copy.deepcopy. Such a value reduces to its
# constructor's arguments with each proxy, however deep, carried as a _Proxied dict,
# and rebuild() makes proxies of them again: the copy is equal and as read-only.


class _Proxied(dict[Any, Any]):
    """A mapping proxy's contents on the wire (a dict, so it pickles)."""


class _Folded:
    """The second of a repeated hour's times on the wire: ``datetime`` keeps ``fold`` only
    from pickle protocol 4, and before that reads back an hour earlier (yet equal)."""

    __slots__ = ("at",)

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __reduce__(self) -> tuple[Any, ...]:
        return _refold, (self.at.replace(fold=0),)


def _refold(at: datetime) -> datetime:
    return at.replace(fold=1)


# Field values that hold nothing to thaw: the common case, answered first (a campaign of
# 100,000 decisions passes a million of them).
_LEAVES = frozenset({str, int, bool, float, Decimal, type(None)})


def _thaw(value: object) -> object:
    # Exact types only: a named tuple or a dict subclass is left to pickle itself.
    if type(value) in _LEAVES:
        return value
    if isinstance(value, datetime) and value.fold:
        return _Folded(value)
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
    if type(value) in _LEAVES:
        return value
    if isinstance(value, _Folded):  # copy.copy rebuilds from the reduced value itself
        return value.at
    if isinstance(value, _Proxied):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if type(value) is dict:
        return {k: _freeze(v) for k, v in value.items()}
    if type(value) is tuple:
        return tuple(_freeze(v) for v in value)
    if type(value) is list:
        return [_freeze(v) for v in value]
    return value


def rebuild(cls: type[Any], args: tuple[object, ...],
            keywords: Mapping[str, object] | None = None) -> Any:
    """``cls`` built again from what :func:`reduce_frozen` gave."""
    named = {k: _freeze(v) for k, v in (keywords or {}).items()}
    return cls(*(_freeze(a) for a in args), **named)


def reduce_frozen(value: Any) -> tuple[Any, tuple[Any, ...]]:
    """``__reduce__`` for a dataclass built from its constructor arguments.

    Fields left out of ``__init__`` (caches, compiled patterns) are not carried:
    ``__post_init__`` works them out again on the other side. Keyword-only fields (a
    user's subclass may add some) travel by name."""
    cls = type(value)
    layout = _LAYOUTS.get(cls)
    if layout is None:
        layout = _LAYOUTS[cls] = _constructor_fields(cls)
    positional, named = layout
    args = tuple([_thaw(getattr(value, name)) for name in positional])
    if named:
        return rebuild, (cls, args, {name: _thaw(getattr(value, name)) for name in named})
    return rebuild, (cls, args)


# Looked up once per class rather than once per value pickled.
_LAYOUTS: dict[type[Any], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _constructor_fields(cls: type[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names of ``cls``'s positional and keyword-only constructor fields."""
    init = [f for f in fields(cls) if f.init]
    return (tuple(f.name for f in init if not f.kw_only),
            tuple(f.name for f in init if f.kw_only))


# The containers _thaw and _freeze rebuild one level per call (subclasses too: equality,
# which compares details, recurses into them alike), and how deep details may nest them:
# far more than any rule's context, far less than the recursion limit those calls reach.
_NESTED = (dict, list, tuple, MappingProxyType)
_MAX_NESTING = 100


def _check_details(details: Mapping[str, object]) -> None:
    """Refuse details (a dict or a mapping proxy: other mappings pickle themselves) that
    copy, pickle and equality would recurse into without end (a container that holds
    itself) or past the recursion limit (nesting too deep)."""
    for value in details.values():
        # A list or tuple of leaves encloses nothing, so it is in no cycle: the common
        # case (a tuple of zones) needs no walk. A mapping may be details itself.
        if isinstance(value, _NESTED) and not (
            type(value) in _SEQUENCES and _flat(value)  # type: ignore[arg-type]
        ):
            _walk(details)
            return


_SEQUENCES = frozenset({list, tuple})


def _flat(values: list[object] | tuple[object, ...]) -> bool:
    """True when ``values`` holds no container."""
    for value in values:  # noqa: SIM110 - a loop: a generator costs more than short values
        if isinstance(value, _NESTED):
            return False
    return True


def _walk(details: Mapping[str, object]) -> None:
    # Depth first, without recursion; a container is refused only when it encloses
    # itself (is on the path to it): one shared by two branches is no cycle. Each entry
    # keeps the keys that lead to it, for the message. A container walked to the end
    # holds no cycle (one through it would have been met), so it is walked again only
    # when met deeper than before: shared containers cost one walk each, not one a path
    # (20 levels of [below, below] are a million paths).
    on_path: set[int] = set()
    walked: dict[int, int] = {}  # id: the depth its walk ended at, without a fault
    stack: list[tuple[object, tuple[object, ...], bool]] = [(details, (), False)]
    while stack:
        node, keys, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            walked[id(node)] = len(keys)
            continue
        if walked.get(id(node), -1) >= len(keys):
            continue
        if id(node) in on_path:
            raise ConfigurationError(
                f"Finding.details must not hold a container that holds itself: "
                f"{_path(keys)} refers back to a container that encloses it; give a copy "
                "without that reference, or a value such as a string or a count",
                field="details",
            )
        if len(keys) > _MAX_NESTING:
            raise ConfigurationError(
                f"Finding.details must not nest containers more than {_MAX_NESTING} deep "
                f"(copying and pickling would exhaust the stack): {_path(keys[:5])}... "
                "goes deeper; flatten it, or give a summary",
                field="details",
            )
        on_path.add(id(node))
        stack.append((node, keys, True))
        if isinstance(node, dict | MappingProxyType):
            items: list[tuple[object, object]] = list(node.items())
        elif isinstance(node, list | tuple):
            items = list(enumerate(node))
        else:  # pragma: no cover - only _NESTED values are pushed
            continue
        for key, value in reversed(items):
            if isinstance(value, _NESTED):
                stack.append((value, (*keys, key), False))


def _path(keys: tuple[object, ...]) -> str:
    """``details['a'][0]``: where a value sits in a finding's details. Details may be
    keyed by recipient, so a run of digits that may be a phone number is masked."""
    return "details" + "".join(f"[{_shown(key)}]" for key in keys)


def _shown(key: object) -> str:
    """``repr(key)``, phone numbers masked. A str key is searched before its repr, in a
    copy whose control and space characters are plain spaces (one for one): in the
    repr a tab between the digits is "\\t", a letter that would end the run."""
    if not isinstance(key, str):
        return _DIGIT_RUN.sub(masked_digits, repr(key))
    return repr(masked_text(key))


def masked_text(text: str) -> str:
    """``text`` with each run of digits that may be a phone number masked, as
    :func:`_shown` shows a key, without the quotes of a repr."""
    view = _URL_SPACE.sub("   ", "".join(map(_plain, text)))
    view = _JOINER.sub(" ", view)
    out, end = [], 0
    for run in _DIGIT_RUN.finditer(view):
        out += [text[end:run.start()], masked_digits(run.group())]
        end = run.end()
    return "".join(out) + text[end:]


# What may be a phone number in a key: seven characters or more, digits at both ends,
# spaces, dashes, dots, slashes, brackets, commas or colons between them ("212.555.0188",
# "212,555,0188"), glued to letters or not ("tel:+12125550188").
_DIGIT_RUN = re.compile(r"\+?\d[\d ()./,:-]{5,}\d")


def _plain(char: str) -> str:
    """One character of a key as the number search reads it: a space for a control or
    space character, the plain form of a fullwidth one ("\uff08" a bracket, "\uff14" a
    4), a "-" for any dash ("415\u2013555\u20130123" as a spreadsheet writes it)."""
    if not char.isprintable() or char.isspace():
        return " "
    plain = unicodedata.normalize("NFKC", char)
    char = plain if len(plain) == 1 else char
    return "-" if char == "\u2212" or unicodedata.category(char) == "Pd" else char


# A URL's escaped space, and a "+" or "_" between two digits (a query string's space),
# read as spaces, one for one.
_URL_SPACE = re.compile("%20")
_JOINER = re.compile(r"(?<=\d)[+_](?=\d)")


def masked_repr(value: Any, *masked: str) -> str:
    """A dataclass's repr, the fields named in ``masked`` shown as :func:`_shown` shows a
    key (digit runs of seven or more masked): for the caller's own text (an idempotency
    key, an evidence reference) that a CRM may have built from the phone number."""
    parts = []
    for item in fields(value):
        if item.repr:
            shown = getattr(value, item.name)
            parts.append(f"{item.name}={_shown(shown) if item.name in masked else repr(shown)}")
    return f"{type(value).__name__}({', '.join(parts)})"


# What a terminal acts on or cannot write: C0 and C1 controls and DEL (ESC retitles,
# recolours, rewrites lines), the line and paragraph separators, the bidirectional
# controls (which reorder what follows them: "Trojan Source"), and lone surrogates
# (not UTF-8: a stream in strict UTF-8 raises on them). The command line escapes the
# same characters (cli.printable); this is the one place they are listed.
UNSAFE_CHARACTERS = (
    "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")


def escaped(text: str) -> str:
    r"""``text`` safe for a log line or a terminal: each character of
    :data:`UNSAFE_CHARACTERS` written as an escape (``\x1b``, ``\u202e``), the rest as is.

    >>> escaped("Acme\x1b]0;pwned\x07 \u202eabc")
    'Acme\\x1b]0;pwned\\x07 \\u202eabc'
    """
    return _UNSAFE.sub(_escape_one, text)


def escaped_json(text: str) -> str:
    r"""JSON text (from ``json.dumps``) with each character of :data:`UNSAFE_CHARACTERS`
    written as a ``\uXXXX`` escape: it reads back as the same values, and a terminal or a
    log viewer acts on none of them (``ensure_ascii=False`` leaves C1 controls, bidi
    overrides and lone surrogates raw; outside strings JSON holds none of them)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def masked_digits(match: re.Match[str] | str) -> str:
    """The first digit (after any +) and the last two; a star for each digit between
    (``mask_number``'s form, without its country codes: ``numbers`` is a layer above).
    Shared with ``keywords``, which sits above this module and beside ``numbers``."""
    run = match if isinstance(match, str) else match.group()
    digits = [char for char in run if char.isdigit()]
    plus = "+" if run.startswith("+") else ""
    return plus + digits[0] + "*" * (len(digits) - 3) + "".join(digits[-2:])


def _no_details() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Finding:
    """What one rule saw.

    Attributes:
        code: stable, dotted, lowercase identifier (``"content.url_shortener"``);
            public API, never renamed.
        severity: how it weighs on the decision.
        message: a sentence for a human, saying what to fix.
        source: the rule or document the finding applies (a statute URL, a
            provider page), so the answer can be shown to an auditor.
        details: machine-readable context (characters found, limits, times).
        status: how well the rule's facts are established: ``"verified"``,
            ``"secondary"``, ``"unverified"``, ``"conflicting"``, ``"default"``
            (a labelled, switchable default, not law), ``"policy"`` (the
            business's own setting), or ``""`` when not labelled (arithmetic
            such as a size or a segment count).
    """

    code: str
    severity: Severity
    message: str
    source: str = ""
    details: Mapping[str, object] = field(default_factory=_no_details)
    status: str = ""

    @property
    def verified(self) -> bool:
        """False for a labelled default: an unverified, conflicting or default rule."""
        return self.status not in _LABELLED

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.lower() or " " in self.code:
            raise ValueError(f"Finding.code must be dotted lowercase, got {self.code!r}")
        details = self.details
        # Most details hold only numbers and strings: one pass in this frame, no call.
        if type(details) is MappingProxyType or type(details) is dict:
            for value in details.values():
                if type(value) not in _LEAVES:
                    _check_details(details)
                    break

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though details is a read-only mapping.
        return reduce_frozen(self)
