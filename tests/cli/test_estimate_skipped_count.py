"""``smskit estimate --skip-invalid`` counts every skipped row (user32).

The text summary said ``Skipped rows 20`` for a campaign with 25 empty numbers: it
counted the rows kept to be listed on stderr (the first 20), not the rows left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit.cli import _estimate as _cli_estimate
from smskit.cli import main

RATES = 'name = "t"\ncurrency = "USD"\n[countries.US.10dlc]\nsms_per_segment = "0.0100"\n'


@pytest.mark.parametrize("chunk", [None, 7])
def test_the_summary_counts_every_skipped_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    chunk: int | None,
) -> None:
    if chunk is not None:  # blocks of 7 rows: the count adds up across blocks
        monkeypatch.setattr(_cli_estimate, "_CHUNK_ROWS", chunk)
    lines = ["name,phone"] + ["Ann,+1 415 555 0123"] * 3 + ["Bob,"] * 25
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    code = main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "Hi {name}", "--skip-invalid"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Messages            3\n" in captured.out
    assert "Skipped rows        25 (listed on stderr)" in captured.out
    assert "smskit: skipped 5 more rows" in captured.err
