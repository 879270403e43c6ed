"""``smskit estimate`` says when the template's own text forces UCS-2 (user29).

A Spanish campaign ("... para no recibir más mensajes") went out in UCS-2 in every row,
twice the segments, and the estimate said only "UCS-2": the rows to fix name values,
and no value was at fault. The text output now names the template's characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit.cli import main

RATES = """\
name = "t"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
"""
CAMPAIGN = "name,phone\nAnn,+1 212 555 0123\nBob,+1 415 555 0188\n"


def _estimate(tmp_path: Path, capsys: pytest.CaptureFixture[str], template: str,
              *extra: str) -> str:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    code = main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", template, *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_the_templates_own_characters_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _estimate(tmp_path, capsys, "Hola {name}, responda PARAR para no recibir más mensajes")
    assert "the template's own text forces UCS-2 in every row: 'á'" in out


def test_a_gsm_template_gets_no_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _estimate(tmp_path, capsys, "Hola {name}, responda PARAR para no recibir mas mensajes")
    assert "forces UCS-2" not in out


def test_with_smart_only_characters_it_cannot_replace_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Smart encoding sends the curly quotes as straight ones; á has no look-alike.
    out = _estimate(tmp_path, capsys, "“Hola” {name}: no más mensajes", "--smart")
    assert "forces UCS-2 in every row: 'á'" in out
    out = _estimate(tmp_path, capsys, "“Hola” {name}: no mas mensajes", "--smart")
    assert "forces UCS-2" not in out


SPANISH_SENDER = """\
[sender]
sender_id = "+13055550100"
route = "10dlc"
registration = "approved"
prefix = "Sol: "
footer = "Envíe BAJA para cancelar"
"""


def test_the_senders_footer_is_named_as_the_footer_not_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Review rev27u: with --sender the 'í' of the footer "Envíe BAJA ..." was named as
    # "the template's own text", a character the user searched the template for in vain.
    (tmp_path / "sender.toml").write_text(SPANISH_SENDER, encoding="utf-8")
    out = _estimate(tmp_path, capsys, "Hola {name}, su tasa esta lista",
                    "--sender", str(tmp_path / "sender.toml"))
    assert "the template's own text" not in out
    assert "the sender's prefix or footer forces UCS-2 in every row: 'í'" in out
    out = _estimate(tmp_path, capsys, "Hola {name}, su tasa está lista",
                    "--sender", str(tmp_path / "sender.toml"))
    assert "the template's own text forces UCS-2 in every row: 'á'" in out
    assert "the sender's prefix or footer forces UCS-2 in every row: 'í'" in out
