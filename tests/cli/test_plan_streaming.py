"""``smskit plan`` decides each block of rows as it reads it (user32).

A nightly plan of a CRM's contacts read the whole file, then decided every row and kept
every ``Decision`` (findings, body, details) until it printed: about 2 KB a row, 460 MB
at 200,000 rows. It now decides a block as soon as it is read and keeps one slim line
per row; the outputs are unchanged.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest

from smskit.cli import _engine as plan_cli
from smskit.cli import main
from smskit.policy import CompliancePipeline

ROWS = ["Ann,+1 212 555 0123,NY", "Bob,+1 305 555 0123,FL", "Cy,+1 212 555,NY",
        "Dee,+1 206 555 0123,Flori", "Eve,+1 212 555 0123,NY"] * 3


def _plan(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    (tmp_path / "c.csv").write_text("name,phone,state\n" + "\n".join(ROWS) + "\n",
                                    encoding="utf-8")
    code = main(["plan", str(tmp_path / "c.csv"), "--template-text", "Hi {name}",
                 "--state-column", "state", "--at", "2026-12-07T20:30:00-05:00", *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_rows_are_decided_block_by_block_as_they_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_cli, "_PROGRESS_EVERY", 4)  # blocks of 4 rows
    read: list[int] = []  # rows read from the file so far
    asked: list[tuple[int, int]] = []  # (rows read when a batch was decided, its size)
    opened = plan_cli.open_rows

    def open_rows(argument: str, chunk_rows: int) -> Any:
        source = opened(argument, chunk_rows)
        reader = source.read

        def counted(columns: list[str]) -> Any:
            for block in reader(columns):
                read.append(len(block.rows))
                yield block

        return dataclasses.replace(source, read=counted)

    deciding = CompliancePipeline.decide_many

    def decide_many(self: CompliancePipeline, requests: Any, *args: Any, **kw: Any) -> Any:
        asked.append((sum(read), len(requests)))
        return deciding(self, requests, *args, **kw)

    monkeypatch.setattr(plan_cli, "open_rows", open_rows)
    monkeypatch.setattr(CompliancePipeline, "decide_many", decide_many)
    rows = list(csv.DictReader(io.StringIO(_plan(tmp_path, capsys, "--csv"))))
    assert read == [4, 4, 4, 3]
    # Each block decided before the next is read; "Flori" rows are invalid, not asked.
    assert [seen for seen, _ in asked] == [4, 8, 12, 15]
    assert [size for _, size in asked] == [3, 4, 3, 2]
    assert len(rows) == 15
    assert [r["line"] for r in rows] == [str(n) for n in range(2, 17)]
    assert [r["verdict"] for r in rows[:5]] == ["allow", "defer", "block", "invalid", "allow"]


def test_the_text_output_adds_up_across_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_cli, "_PROGRESS_EVERY", 4)
    out = _plan(tmp_path, capsys)
    assert "15 rows" in out
    assert "send now   6\n" in out  # Ann and Eve, three times each
    assert "deferred   3 (until 2026-12-08T" in out  # Bob: Florida stops at 20:00
    assert "blocked    3\n" in out
    assert "3 number.invalid" in out
    assert "invalid    3 " in out
    # Ann and Eve share a number: all but the first of their six rows; Bob twice.
    assert "repeated   7 rows send" in out
