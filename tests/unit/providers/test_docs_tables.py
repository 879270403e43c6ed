"""docs/providers.md shows the same error codes and gateway dates as the data."""

from __future__ import annotations

import re
from pathlib import Path

from smskit.providers import CARRIER_GATEWAYS, TELNYX_ERROR_CODES, TWILIO_ERROR_CODES

PAGE = Path(__file__).resolve().parents[3] / "docs" / "providers.md"


def _codes_table() -> str:
    rows = [
        "| Code | Twilio's meaning | Category | Retry helps | Status |",
        "|---|---|---|---|---|",
    ]
    for code, info in TWILIO_ERROR_CODES.items():
        title = info.title + (" (early warning)" if info.early_warning else "")
        retry = "yes" if info.retryable else "no"
        category = f"`{info.category.value}`"
        rows.append(f"| [{code}]({info.source}) | {title} | {category} | {retry} | {info.status} |")
    return "\n".join(rows)


def test_error_code_table_matches_the_data() -> None:
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"<!-- twilio-codes:start -->\n(.*?)\n<!-- twilio-codes:end -->", text, re.S)
    assert match is not None
    assert match.group(1) == _codes_table()


def test_gateway_table_matches_the_data() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for gateway in CARRIER_GATEWAYS:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{gateway.domain}` |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[1] == gateway.carrier
        assert cells[2] == gateway.kind.upper()
        assert gateway.closes_on is not None
        assert gateway.closes_on.isoformat() in cells[3]
        assert cells[4] == gateway.status
        assert cells[5] == gateway.source


def test_telnyx_code_table_matches_the_data() -> None:
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"<!-- telnyx-codes:start -->\n(.*?)\n<!-- telnyx-codes:end -->", text, re.S)
    assert match is not None
    rows = [line.strip("|").split("|") for line in match.group(1).splitlines()[2:]]
    shown = {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows}
    assert set(shown) == set(TELNYX_ERROR_CODES)
    for code, info in TELNYX_ERROR_CODES.items():
        retry = "yes" if info.retryable else "no"
        assert shown[code] == [info.title, f"`{info.category.value}`", retry, f"<{info.source}>"]
