"""``smskit check`` and ``plan`` take the business's own sending windows (``--window``):
a tenant who sends 09:00-18:00 on weekdays got ALLOW from the command line for a Friday
19:30 text its application defers to Monday, so the audit and the live system disagreed
(user34)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smskit.cli import main

NUMBER = "+12125550123"  # New York
FRIDAY_EVENING = "2026-11-20T19:30:00-05:00"


def _check(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, object]]:
    code = main(["check", NUMBER, "--at", FRIDAY_EVENING, "--purpose", "informational",
                 "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_without_a_window_an_informational_text_may_go(capsys: pytest.CaptureFixture[str]) -> None:
    code, record = _check(capsys)
    assert (code, record["verdict"]) == (0, "allow")


def test_outside_the_window_it_waits_for_the_next_weekday(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, record = _check(capsys, "--window", "09:00-18:00@mon-fri")
    assert (code, record["verdict"]) == (3, "defer")
    assert record["not_before_utc"] == "2026-11-23T14:00:00+00:00"  # Monday 09:00 in New York
    assert "quiet_hours.sender_window" in [f["code"] for f in record["findings"]]


def test_a_second_window_and_a_day_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, record = _check(capsys, "--window", "09:00-12:00@mon-thu",
                          "--window", "19:00-20:00@fri,sat")
    assert (code, record["verdict"]) == (0, "allow")


@pytest.mark.parametrize(
    ("window", "says"),
    [("9-18", "HH:MM-HH:MM"), ("18:00-09:00", "after the start"),
     ("09:00-18:00@funday", "days are"), ("09:00+01:00-18:00", "drop the offset")],
)
def test_a_window_written_wrong_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], window: str, says: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", NUMBER, "--at", FRIDAY_EVENING, "--window", window])
    assert caught.value.code == 2
    assert says in capsys.readouterr().err


def test_plan_reads_it_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"phone\n{NUMBER}\n", encoding="utf-8")
    argv = ["plan", str(rows), "--template-text", "Your visit is Monday. Reply STOP to opt out",
            "--at", FRIDAY_EVENING, "--purpose", "informational", "--json"]
    assert main([*argv, "--window", "09:00-18:00@mon-fri"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["by_verdict"] == {"defer": 1}
    assert plan["groups"]["defer"][0]["not_before"] == "2026-11-23T09:00:00-05:00"
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["by_verdict"] == {"allow": 1}


@pytest.mark.parametrize(
    ("window", "says"),
    [("09:00-18:00@", "days are"), ("09:00-18:00@mon-", "days are"),
     ("09-18", "HH:MM-HH:MM"), ("0900-1800", "HH:MM-HH:MM"), ("T09:00-18:00", "HH:MM-HH:MM"),
     ("09:00-18:00.5", "HH:MM-HH:MM"), ("24:00-00:00", "00:00 as the end"),
     ("22:00-02:00", "give two"),
     # Read before as an end of 18:00 at a UTC offset of -20:00, "drop the offset".
     ("09:00-18:00-20:00", "HH:MM-HH:MM")],
)
def test_only_hh_mm_and_whole_day_lists_are_read(
    capsys: pytest.CaptureFixture[str], window: str, says: str
) -> None:
    # Review rev29u: time.fromisoformat took "09-18", "0900" and "T09:00", and a bare
    # "@" meant every day.
    with pytest.raises(SystemExit) as caught:
        main(["check", NUMBER, "--at", FRIDAY_EVENING, "--window", window])
    assert caught.value.code == 2
    assert says in capsys.readouterr().err


def test_a_number_given_as_the_window_is_not_echoed_in_full(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--at", FRIDAY_EVENING, "--window", "+13125550188", NUMBER])
    err = capsys.readouterr().err
    assert "HH:MM-HH:MM" in err
    assert "3125550188" not in err


def test_spaces_and_capitals_in_the_days_are_read(capsys: pytest.CaptureFixture[str]) -> None:
    code, record = _check(capsys, "--window", "09:00-18:00@ Sat - Sun , MON")
    assert (code, record["verdict"]) == (3, "defer")
    assert record["not_before_utc"] == "2026-11-21T14:00:00+00:00"  # Saturday 09:00
