"""Every public entry point, fed hostile values, raises a SmskitError or a TypeError.

Never AttributeError, OverflowError, RecursionError or a bare ValueError: those are
tracebacks for a user mistake. Each entry point is one parametrised case below; the
hostile values are the same for all.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smskit.consent import ConsentLedger, MemoryStore, SQLiteStore
from smskit.content import LintConfig
from smskit.errors import SmskitError
from smskit.numbers import mask_number
from smskit.pricing import Template
from smskit.segments import pack_septets, unpack_septets
from smskit.timing.quiet_rules import rules_from_data

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**53 + 1, 2**64, -1, 10**5000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=20),
    st.text(max_size=30),
    st.sampled_from(["(415) 555-0123", "\x00", "\ud800", "9" * 5000, "1e99999", "NaN"]),
    st.lists(st.integers(min_value=-300, max_value=300), max_size=10),
    st.sets(st.integers(), max_size=3),
    st.frozensets(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.none() | st.integers() | st.text(max_size=5),
                    max_size=3),
    st.just([None]),
    st.just({"rules": [None]}),
    st.just({"calendars": {"x": {"source": "s", "holidays": [None]}}, "rules": []}),
    st.just([[[[[]]]]]),
)

ANY_INSTANT = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 31, 23, 59),
    timezones=st.just(UTC)
)


def _template_render(value: object) -> object:
    Template("Hi {a}, {b:>16}, {c:.2f}, {d:%d %b}").render({"a": value, "b": value, "c": value,
                                                             "d": value})
    return Template("{a}").render(value)  # type: ignore[arg-type]


def _segment_bounds(value: object) -> object:
    return Template("Hi {a}").segment_bounds({"a": value})  # type: ignore[dict-item]


def _sqlite_timeout(value: object) -> object:
    with tempfile.TemporaryDirectory() as folder:
        SQLiteStore(Path(folder) / "l.db", timeout=value).close()  # type: ignore[arg-type]
    return None


def _import_jsonl(value: object) -> object:
    try:
        line = json.dumps(value)
    except (TypeError, ValueError):  # an int past 4,300 digits, bytes, a set
        line = '{"kind": "granted", "sequence": ' + "9" * 5000 + "}"
    line = "[" * 5000 + line + "]" * 5000 if isinstance(value, list) else line
    return ConsentLedger(MemoryStore()).import_jsonl(io.StringIO(line + "\n"))


ENTRY_POINTS: dict[str, Callable[[object], object]] = {
    "Template.render": _template_render,
    "Template.segment_bounds": _segment_bounds,
    "mask_number": mask_number,  # type: ignore[dict-item]
    "LintConfig(extra_shorteners=)": lambda v: LintConfig(extra_shorteners=v),  # type: ignore[arg-type]
    "LintConfig(allowed_domains=)": lambda v: LintConfig(allowed_domains=v),  # type: ignore[arg-type]
    "pack_septets": pack_septets,  # type: ignore[dict-item]
    "pack_septets(fill_bits=)": lambda v: pack_septets(b"abc", fill_bits=v),  # type: ignore[arg-type]
    "unpack_septets": unpack_septets,  # type: ignore[dict-item]
    "unpack_septets(count=)": lambda v: unpack_septets(b"abcdef", v),  # type: ignore[arg-type]
    "SQLiteStore(timeout=)": _sqlite_timeout,
    "rules_from_data": rules_from_data,  # type: ignore[dict-item]
    "ConsentLedger.import_jsonl": _import_jsonl,
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(value=HOSTILE)
def test_hostile_values_raise_only_smskit_errors_or_type_errors(name: str, value: object) -> None:
    message = "no error"
    try:
        ENTRY_POINTS[name](value)
    except (SmskitError, TypeError) as exc:
        message = str(exc)
    assert message, f"{name}: an error must say what to fix"


@given(granted=ANY_INSTANT, asked=ANY_INSTANT, kind=st.sampled_from(["express", "implied"]))
def test_status_and_replies_at_any_instant_never_overflow(
    granted: datetime, asked: datetime, kind: str
) -> None:
    from smskit.consent import CASL
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    n = "+14165550123"
    ledger.grant(n, scope="acme", purposes="marketing", kind=kind, source="api", at=granted,
                 implied_basis="purchase" if kind == "implied" else None)
    status = ledger.status(n, "marketing", scope="acme", at=asked)
    if kind == "express":
        assert status.allows_send == (asked >= granted)
    else:
        assert not status.allows_send or asked >= granted
    outcome = ledger.handle_reply(n, "STOP", scope="acme", at=asked)
    assert outcome.reply is not None
    assert outcome.reply.send_by is not None
    assert outcome.reply.send_by >= asked


def test_status_two_years_before_the_end_of_the_calendar() -> None:
    # Implied consent (CASL: 2 years) granted in 9999 ends after the last representable
    # day: it lasts until the end of time rather than raising "year 10001 is out of range".
    from smskit.consent import CASL
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    n = "+14165550123"
    ledger.grant(n, scope="acme", purposes="marketing", kind="implied", source="api",
                 at=datetime(9999, 6, 1, tzinfo=UTC), implied_basis="purchase")
    status = ledger.status(n, "marketing", scope="acme", at=datetime(9999, 12, 31, tzinfo=UTC))
    assert status.allows_send
    assert status.expires_at is not None
    assert status.expires_at.year == 9999
    assert status.expires_at - datetime(9999, 12, 31, 23, 59, tzinfo=UTC) < timedelta(minutes=1)


def test_a_stop_in_the_last_minutes_of_the_calendar_gets_its_confirmation() -> None:
    ledger = ConsentLedger(MemoryStore())
    at = datetime(9999, 12, 31, 23, 58, tzinfo=UTC)
    reply = ledger.handle_reply("+14155550123", "STOP", scope="acme", at=at).reply
    assert reply is not None
    assert reply.send_by == datetime.max.replace(tzinfo=UTC)
