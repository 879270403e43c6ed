"""A country priced by the card's ``"*"`` rate is named wherever smskit prices (fix30a).

Review rev30m made ``estimate()`` name such countries (``Estimate.priced_by_default``,
the CLI's ``Default:`` line): a card that forgot Canada priced Toronto at its "*"
international rate (0.0900 instead of 0.0079) without a word. ``Messenger.usage``,
``smskit plan`` and ``frames.arrow.measure`` still priced it silently. Amounts worked
out by hand from RATES; the wording is the one estimate prints.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smskit.cli import main
from smskit.messenger.history import MemoryMessageHistory, MessageRecord
from smskit.messenger.usage import usage
from smskit.pricing import Direction, RateCard

RATES = """\
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0079"
[countries.GB.international]
sms_per_segment = "0.0460"
[countries."*".international]
sms_per_segment = "0.0900"
"""
CARD = RateCard.from_toml(RATES)
NUMBERS = ["+1 415 555 0123", "+1 416 555 0199", "+44 7400 123456", "+1 787 555 0123"]
NOTE = 'CA, PR priced at the card\'s "*" rate (no price of their own)'

T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
OURS = "+12125550199"
WINDOW = {"since": T0 - timedelta(hours=1), "until": T0 + timedelta(hours=1)}


def _history(*contacts: str) -> MemoryMessageHistory:
    history = MemoryMessageHistory()
    for n, contact in enumerate(contacts):
        history.record_message(MessageRecord(
            direction=Direction.OUTBOUND, sender=OURS, contact=contact,
            at=T0 + timedelta(minutes=n), segments=1,
        ))
    return history


def test_usage_names_the_countries_priced_by_the_default_rate() -> None:
    numbers = [n.replace(" ", "") for n in NUMBERS]
    # PR twice: named once. US 0.0079 + CA 0.0900 + GB 0.0460 + PR 2 x 0.0900 = 0.3239
    used = usage(_history(*numbers, numbers[3]), OURS, rates=CARD, **WINDOW)  # type: ignore[arg-type]
    assert used.cost == Decimal("0.3239")
    assert used.priced_by_default == ("CA", "PR")
    assert "priced_by_default=('CA', 'PR')" in repr(used)
    own = usage(_history(numbers[0], numbers[2]), OURS, rates=CARD, **WINDOW)  # type: ignore[arg-type]
    assert (own.cost, own.priced_by_default) == (Decimal("0.0539"), ())
    unpriced = usage(_history(numbers[1]), OURS, **WINDOW)  # type: ignore[arg-type]
    assert unpriced.priced_by_default == ()


def _plan(tmp_path: Path, *extra: str) -> list[str]:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text("phone\n" + "\n".join(NUMBERS) + "\n", encoding="utf-8")
    return ["plan", str(tmp_path / "c.csv"), "--template-text", "hi",
            "--at", "2026-12-07T12:00:00-05:00", "--rates", str(tmp_path / "rates.toml"),
            *extra]


def test_plan_names_them_in_text_json_and_beside_the_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_plan(tmp_path)) == 0
    out = capsys.readouterr().out
    assert f"Default: {NOTE}" in out
    assert main(_plan(tmp_path, "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["priced_by_default"] == ["CA", "PR"]
    costs = sorted(row["cost"] for rows in data["groups"].values() for row in rows)
    assert costs == ["0.0079", "0.0460", "0.0900", "0.0900"]  # amounts unchanged
    assert main(_plan(tmp_path, "--csv")) == 0
    captured = capsys.readouterr()
    assert f"smskit: default: {NOTE}" in captured.err
    assert "default" not in captured.out  # the CSV stays rows only


def test_plan_without_a_default_priced_country_says_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text("phone\n+1 415 555 0123\n", encoding="utf-8")
    assert main(["plan", str(tmp_path / "c.csv"), "--template-text", "hi",
                 "--at", "2026-12-07T12:00:00-05:00",
                 "--rates", str(tmp_path / "rates.toml")]) == 0
    assert "Default:" not in capsys.readouterr().out


def test_arrow_measure_names_them_in_the_schema_metadata() -> None:
    pa = pytest.importorskip("pyarrow")
    from smskit.frames.arrow import PRICED_BY_DEFAULT, measure

    batch = pa.record_batch({"text": ["hi"] * 5, "number": [*NUMBERS, NUMBERS[1]]})
    out = measure(batch, text="text", rates=CARD, number="number")
    assert out.column("cost").to_pylist() == [
        Decimal("0.0079"), Decimal("0.0900"), Decimal("0.0460"), Decimal("0.0900"),
        Decimal("0.0900"),
    ]
    assert out.schema.metadata[PRICED_BY_DEFAULT] == b"CA,PR"
    own = measure(batch.slice(0, 1), text="text", rates=CARD, number="number")
    assert PRICED_BY_DEFAULT not in (own.schema.metadata or {})
