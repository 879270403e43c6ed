"""``smskit estimate`` says when a template sends a placeholder as written (user37).

A CRM's template copied with its merge fields in double braces,
``Hi {{contact.first_name}}``, is literal text in smskit (``{{`` and ``}}`` are escaped
braces): every message says ``Hi {contact.first_name}``. The estimate priced that text
without a word, and ``smskit plan`` (the engine) then blocked every row
(``content.placeholder``). It still prices it, and says so on stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit.cli import main

RATES = 'name = "t"\ncurrency = "USD"\n[countries.US.10dlc]\nsms_per_segment = "0.0100"\n'
CSV = "phone,first_name\n+1 415 555 0123,Omar\n"


def _estimate(tmp_path: Path, template: str, *extra: str) -> list[str]:
    (tmp_path / "c.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    return ["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
            "--template-text", template, *extra]


@pytest.mark.parametrize("extra", [(), ("--json",), ("--csv",)])
def test_a_placeholder_sent_as_written_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    assert main(_estimate(tmp_path, "Hi {{contact.first_name}}, rates are down", *extra)) == 0
    err = capsys.readouterr().err
    assert "'{contact.first_name}'" in err
    assert "content.placeholder" in err
    assert "{{ and }} are literal braces" in err


def test_fields_and_plain_braces_say_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_estimate(tmp_path, "Hi {first_name}, {{ 50% off }} and {{}}")) == 0
    assert "placeholder" not in capsys.readouterr().err


@pytest.mark.parametrize("template", ["Hi %first_name%, rates are down", "Hi *|FNAME|*"])
def test_a_placeholder_without_braces_is_not_explained_by_braces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: str
) -> None:
    # Review: the note said "{{ and }} are literal braces" of a merge field that has none.
    assert main(_estimate(tmp_path, template)) == 0
    err = capsys.readouterr().err
    assert "content.placeholder" in err
    assert "literal braces" not in err
    assert "a field is {name}" in err
