"""Review rev31c: a template file saved with a UTF-8 byte-order mark (Windows Notepad).

The mark says how the file is encoded; it is no character of the message. Read into the
template it made every message UCS-2 (70 characters a part instead of 160) and was sent
at the head of every text; the recipients CSV already drops it (utf-8-sig).
"""

from __future__ import annotations

import json
from pathlib import Path

from _cli import run

_TEXT = "Hi {name}, your visit is tomorrow at 9. Reply STOP to opt out"


def test_lint_and_estimate_read_a_template_file_without_its_byte_order_mark(
    tmp_path: Path,
) -> None:
    template = tmp_path / "reminder.txt"
    template.write_bytes(b"\xef\xbb\xbf" + _TEXT.encode("utf-8") + b"\r\n")
    linted = run("lint", "--template", str(template), "--field-length", "name=20", "--json")
    assert json.loads(linted.stdout)["worst_case"]["encoding"] == "gsm7", linted.stderr
    campaign = tmp_path / "campaign.csv"
    campaign.write_text("phone,name\n+12025550123,Ann\n", encoding="utf-8")
    priced = run("estimate", str(campaign), "--template", str(template),
                 "--rates", "examples/rates.toml", "--json")
    assert priced.returncode == 0, priced.stderr
    assert "\\ufeff" not in priced.stdout
    assert "\ufeff" not in priced.stdout
    assert "UCS-2" not in priced.stdout
    assert "ucs2" not in priced.stdout


def test_a_text_piped_from_a_file_with_a_byte_order_mark_is_counted_without_it() -> None:
    counted = run("count", "-", stdin=b"\xef\xbb\xbf" + b"Hello there\n")
    assert counted.stdout.splitlines()[0].split() == ["Encoding:", "GSM-7"], counted.stdout
    assert "Characters: 11" in counted.stdout


def test_lint_of_a_template_says_how_to_write_a_field_not_to_render_it() -> None:
    # "{{first_name}}" is the literal text "{first_name}" in an smskit template; "render the
    # template first" was the wrong fix for someone linting the template itself.
    linted = run("lint", "--template-text", "Hi {{first_name}}, Reply STOP to opt out")
    assert linted.returncode == 1
    assert "render the template first" not in linted.stdout
    assert "{{ and }} are literal braces" in linted.stdout
    assert "{first_name}" in linted.stdout
