"""`smskit estimate` reads Parquet and streams: block by block, memory bounded."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _services import require_module
from smskit.cli import _estimate as _cli_estimate
from smskit.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARGS = ["--template", str(EXAMPLES / "reminder.txt"), "--rates", str(EXAMPLES / "rates.toml")]


def estimate_json(capsys: pytest.CaptureFixture[str], campaign: Path | str) -> dict[str, Any]:
    assert main(["estimate", str(campaign), *ARGS, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_blocks_add_up_to_the_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = estimate_json(capsys, EXAMPLES / "campaign.csv")
    monkeypatch.setattr(_cli_estimate, "_CHUNK_ROWS", 7)  # 320 rows: 46 blocks
    blocks = estimate_json(capsys, EXAMPLES / "campaign.csv")
    # Which rows are "longer than usual" is judged per block; everything else is exact.
    del whole["issues"], blocks["issues"]
    assert blocks == whole
    assert whole["recipients"] == 320


def write_parquet(source: Path, target: Path) -> None:
    pa = require_module("pyarrow", "arrow")
    import pyarrow.parquet as pq

    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {name: [row[name] or None for row in rows] for name in rows[0]}
    pq.write_table(pa.table(columns), target, row_group_size=50)


def test_parquet_prices_like_the_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    parquet = tmp_path / "campaign.parquet"
    write_parquet(EXAMPLES / "campaign.csv", parquet)
    from_csv = estimate_json(capsys, EXAMPLES / "campaign.csv")
    from_parquet = estimate_json(capsys, parquet)
    for key in ("recipients", "messages", "segments", "total", "by_country", "by_encoding"):
        assert from_parquet[key] == from_csv[key]
    # Parquet has no lines: rows are numbered from 1; the CSV's first row is on line 2.
    assert [c["line"] + 1 for c in from_parquet["costliest"]] == [
        c["line"] for c in from_csv["costliest"]
    ]


def test_parquet_numbers_and_nulls_read_as_csv_cells(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pa = require_module("pyarrow", "arrow")
    import pyarrow.parquet as pq

    path = tmp_path / "typed.pq"
    table = pa.table(
        {
            "phone": pa.array([12125550123, 12125550124], pa.int64()),  # no "+": region US
            "first_name": pa.array(["Ana", None]),  # null: the template's default
            "date": pa.array(["2026-12-02", "2026-12-03"]),
            "time": pa.array(["8:00 AM", "9:00 AM"]),
        }
    )
    pq.write_table(table, path)
    data = estimate_json(capsys, path)
    assert (data["recipients"], data["messages"], data["segments"]) == (2, 2, 2)


def test_parquet_row_errors_say_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pa = require_module("pyarrow", "arrow")
    import pyarrow.parquet as pq

    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"phone": ["+12125550123", "+1212"], "first_name": ["a", "b"]}), path)
    assert main(["estimate", str(path), "--template-text", "{first_name}", "--rates", ARGS[3]]) == 2
    assert "bad.parquet row 2, column 'phone': " in capsys.readouterr().err


def test_parquet_without_pyarrow_says_what_to_install(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"PAR1")
    code = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "from smskit.cli import main\n"
        f"sys.exit(main(['estimate', {str(path)!r}, *{ARGS!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "pip install 'smskit-compliance[arrow]'" in done.stderr
    assert "Traceback" not in done.stderr


def peak_rss_kb(campaign: Path) -> int:
    code = (
        "import resource, sys\n"
        "from smskit.cli import main\n"
        f"assert main(['estimate', {str(campaign)!r}, *{ARGS!r}, '--top', '5']) == 0\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    return int(done.stderr.strip().splitlines()[-1])


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["number", "first_name", "date", "time"])
        for i in range(rows):  # fictional NANP numbers; every 9th name forces UCS-2
            name = "Zoë" if i % 9 == 0 else f"Name{i % 97}"
            out.writerow([f"+1 212 555 01{i % 100:02d}", name, "2026-12-02", "8:00 AM"])


def test_memory_does_not_grow_with_the_campaign(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_csv(small, 50_000)
    write_csv(large, 200_000)
    ratio = peak_rss_kb(large) / peak_rss_kb(small)
    # Holding every row grows the peak about 2x from 50k to 200k rows (measured on
    # the pre-streaming code: 2.8x); streaming keeps it flat (measured 1.15x).
    assert ratio < 1.5, ratio


def test_a_bundle_split_across_blocks_costs_what_one_pass_costs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A bundle of 3 segments for 1.00: three one-segment texts cost exactly 1.00.
    # Priced a block at a time, each block's share was 1/3 rounded to 28 digits.
    rates = tmp_path / "rates.toml"
    rates.write_text(
        'currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = "0.0079"\n'
        '[[bundles]]\nname = "three"\nsegments = 3\nprice = "1.00"\n'
        'countries = ["US"]\nroutes = ["10dlc"]\n', encoding="utf-8")
    campaign = tmp_path / "campaign.csv"
    campaign.write_text("phone\n+12125550123\n+12125550124\n+12125550125\n", encoding="utf-8")
    monkeypatch.setattr(_cli_estimate, "_CHUNK_ROWS", 1)
    assert main(["estimate", str(campaign), "--template-text", "Hi", "--rates", str(rates),
                 "--bundle", "three", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert Decimal(data["total"]) == Decimal("1.00")
    assert Decimal(data["by_country"]["US"]["cost"]) == Decimal("1.00")
    assert data["bundles_needed"] == 1
