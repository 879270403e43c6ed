"""Review of rev31c: a rate card or sender profile saved with a UTF-8 byte-order mark.

rev31c dropped the mark from template files and piped text (the recipients CSV already
did); a rate card or sender profile saved by Windows Notepad, the same way, was refused
with "not valid TOML: Invalid statement (at line 1, column 1)", pointing at nothing a
person can see. The mark says how the file is encoded and is dropped on reading.
"""

from __future__ import annotations

from pathlib import Path

from smskit import SenderProfile
from smskit.pricing import RateCard

_EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _with_bom(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    target.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    return target


def test_a_rate_card_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    plain = RateCard.load(_EXAMPLES / "rates.toml")
    assert RateCard.load(_with_bom(_EXAMPLES / "rates.toml", tmp_path)) == plain


def test_a_json_rate_card_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    card = tmp_path / "plain.json"
    card.write_text(
        '{"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": "0.0079"}}}}',
        encoding="utf-8")
    (tmp_path / "bom").mkdir()
    assert RateCard.load(_with_bom(card, tmp_path / "bom")) == RateCard.load(card)


def test_a_sender_profile_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    plain = SenderProfile.from_toml(_EXAMPLES / "sender.toml")
    assert SenderProfile.from_toml(_with_bom(_EXAMPLES / "sender.toml", tmp_path)) == plain
