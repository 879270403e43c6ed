"""``smskit estimate --sender``: price the text as the engine sends it (user29).

The engine adds the sender's prefix and opt-out footer to a first or marketing message
(docs/engine.md), so a campaign that fit one segment as written went out in two:
`estimate` said 0.0812 USD where `plan` said 0.1624 for the same eight rows. With
``--sender`` the estimate prices each row with the prefix and footer the profile requires
of a first message of ``--purpose``, and on the profile's route. Segment counts and
amounts below are worked out by hand (GSM-7: 160 characters in one segment, 153 a part).
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smskit.cli import main
from smskit.cli._as_sent import OPT_OUT_STEMS, RowSender, Variant, holds
from smskit.consent.sender import SenderProfile
from smskit.content.checks import mentions_opt_out
from smskit.policy.pipeline import sender_additions
from smskit.pricing.templates import Template, escape_template
from smskit.purpose import Purpose

RATES = """\
name = "t"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.US.toll_free]
sms_per_segment = "0.0300"
"""

SENDER = """\
[sender]
sender_id = "+13055550100"
route = "10dlc"
registration = "approved"
brand = "Sunrise Mortgage"
prefix = "Sunrise Mortgage: "
footer = "Reply STOP to opt out"
[sender.prefix_when]
first_message = false
marketing = true
[sender.footer_when]
first_message = false
marketing = true
"""

TOLL_FREE = """\
[sender]
sender_id = "+18445550100"
route = "toll_free"
registration = "verified"
"""

CAMPAIGN = "name,phone\nAnn,+1 212 555 0123\nBob,+1 415 555 0188\n"
# "Hi Ann " (7) + 140 = 147 characters: one segment as written. With the prefix (18)
# and a newline and the footer (1 + 21): 187 characters, two segments.
TEMPLATE = "Hi {name} " + "x" * 140


def _estimate(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str,
              template: str = TEMPLATE, sender: str = SENDER) -> tuple[int, str, str]:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "sender.toml").write_text(sender, encoding="utf-8")
    extra = tuple(str(tmp_path / "sender.toml") if a == "SENDER" else a for a in extra)
    code = main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", template, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _totals(out: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(out)
    return data


def test_without_a_sender_the_text_is_priced_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _estimate(tmp_path, capsys, "--json")
    assert code == 0
    data = _totals(out)
    assert (data["segments"], data["total"]) == (2, "0.0200")


def test_a_sender_adds_its_prefix_and_footer_to_a_marketing_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _estimate(tmp_path, capsys, "--sender", "SENDER", "--json")
    assert code == 0
    data = _totals(out)
    assert (data["segments"], data["total"]) == (4, "0.0400")


def test_an_informational_purpose_gets_what_the_profile_requires_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # This profile adds both to marketing only: an informational first message is as written.
    code, out, _ = _estimate(tmp_path, capsys, "--sender", "SENDER", "--purpose",
                             "informational", "--json")
    assert code == 0
    assert _totals(out)["segments"] == 2


def test_a_text_that_names_the_brand_and_the_opt_out_is_not_added_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = "Sunrise Mortgage: Hi {name} " + "x" * 110 + " Reply STOP to opt out"
    code, out, _ = _estimate(tmp_path, capsys, "--sender", "SENDER", "--json",
                             template=template)
    assert code == 0
    assert _totals(out)["segments"] == 2  # 18 + 7 + 110 + 22 = 157 characters each


def test_braces_in_the_prefix_are_text_not_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sender = SENDER.replace('prefix = "Sunrise Mortgage: "', 'prefix = "{Sunrise}: "')
    code, out, err = _estimate(tmp_path, capsys, "--sender", "SENDER", "--json",
                               sender=sender)
    assert code == 0, err
    # "{Sunrise}: " is 11 characters, two of them escapes in GSM-7 (13 septets):
    # 13 + 147 + 22 = 182 septets, two segments each.
    assert _totals(out)["segments"] == 4


def test_the_route_is_the_profiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _estimate(tmp_path, capsys, "--sender", "SENDER", "--json",
                             sender=TOLL_FREE)
    assert code == 0
    data = _totals(out)
    assert (data["route"], data["segments"], data["total"]) == ("toll_free", 2, "0.0600")


def test_a_route_that_contradicts_the_profile_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _estimate(tmp_path, capsys, "--sender", "SENDER", "--route", "10dlc",
                               sender=TOLL_FREE)
    assert code == 2
    assert "--route 10dlc" in err
    assert "toll_free" in err
    assert out == ""


def test_a_missing_sender_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _estimate(tmp_path, capsys, "--sender", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "nope.toml: no such file" in err


def test_the_text_output_says_what_was_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _estimate(tmp_path, capsys, "--sender", "SENDER")
    assert code == 0
    assert "prefix and footer of a first marketing message" in out


def test_purpose_without_a_sender_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _estimate(tmp_path, capsys, "--purpose", "informational")
    assert code == 2
    assert "--purpose needs --sender" in err


def test_the_estimate_with_a_sender_matches_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two code paths, one answer: the engine's plan of the same rows at noon in New York.
    code, out, _ = _estimate(tmp_path, capsys, "--sender", "SENDER", "--json")
    assert code == 0
    estimated = _totals(out)["total"]
    code = main(["plan", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", TEMPLATE, "--sender", str(tmp_path / "sender.toml"),
                 "--at", "2026-12-07T12:00:00-05:00", "--json"])
    planned: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == 0
    assert planned["by_verdict"] == {"allow": 2}
    assert sum(Decimal(r["cost"]) for r in planned["groups"]["allow"]) == Decimal(estimated)


# fix28c: the brand and the opt-out were looked for in the template, not in each row as
# sent. A row whose field names the brand ("{company}" = "Sunrise Mortgage") or tells
# how to opt out was priced with the prefix or footer the engine does not add to it.
FIELDS = ("name,phone,company,note\n"
          "Ann,+1 212 555 0123,Sunrise Mortgage,x\n"
          "Bob,+1 415 555 0188,Acme,Reply STOP to opt out\n"
          "Cy,+1 415 555 0189,Acme,x\n")
# Worked out by hand (GSM-7, 160 characters a segment; prefix "Sunrise Mortgage: " 18,
# footer "\nReply STOP to opt out" 22). Ann: "Hi Ann from Sunrise Mortgage. " 30 + 100 x's
# + " x" 2 = 132, names the brand: footer only, 154, one segment (with the prefix too,
# 172: two). Bob: "Hi Bob from Acme. " 18 + 100 + " Reply STOP to opt out" 22 = 140,
# opts out: prefix only, 158, one (with the footer too, 180: two). Cy: 17 + 100 + 2 =
# 119, both added, 159, one.
FIELD_TEMPLATE = "Hi {name} from {company}. " + "x" * 100 + " {note}"


def _estimate_and_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       *extra: str) -> tuple[dict[str, Any], dict[str, Any]]:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "f.csv").write_text(FIELDS, encoding="utf-8")
    (tmp_path / "sender.toml").write_text(SENDER, encoding="utf-8")
    common = [str(tmp_path / "f.csv"), "--rates", str(tmp_path / "rates.toml"),
              "--template-text", FIELD_TEMPLATE, "--sender", str(tmp_path / "sender.toml")]
    assert main(["estimate", *common, "--json", *extra]) == 0
    estimated: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert main(["plan", *common, "--at", "2026-12-07T12:00:00-05:00", "--json"]) == 0
    planned: dict[str, Any] = json.loads(capsys.readouterr().out)
    return estimated, planned


def test_a_field_that_names_the_brand_or_the_opt_out_is_judged_per_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estimated, planned = _estimate_and_plan(tmp_path, capsys)
    by_line = {row["line"]: row["segments"] for row in planned["groups"]["allow"]}
    assert by_line == {2: 1, 3: 1, 4: 1}
    assert (estimated["segments"], estimated["total"]) == (3, "0.0300")
    assert Decimal(estimated["total"]) == sum(
        Decimal(r["cost"]) for r in planned["groups"]["allow"])


def test_a_field_glued_to_the_brand_is_judged_per_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Sunrise Mortgage{tail}": the template names the brand, but "Sunrise Mortgages" (Bob)
    # does not, so the engine adds the prefix to Bob's text. By hand: Ann "Hi Ann, Sunrise
    # Mortgage here. " 31 + 100 + " Reply STOP to opt out" 22 = 153, one segment; Bob 32 +
    # 100 + 22 = 154, plus the 18-character prefix: 172, two. The estimate said 2 in all.
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "g.csv").write_text(
        "name,phone,tail\nAnn,+1 212 555 0123,\nBob,+1 415 555 0188,s\n", encoding="utf-8")
    (tmp_path / "sender.toml").write_text(SENDER, encoding="utf-8")
    template = "Hi {name}, Sunrise Mortgage{tail|} here. " + "x" * 100 + " Reply STOP to opt out"
    code = main(["estimate", str(tmp_path / "g.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", template, "--sender", str(tmp_path / "sender.toml"),
                 "--json"])
    assert code == 0
    assert _totals(capsys.readouterr().out)["segments"] == 3


_PIECES = st.sampled_from([
    "reply", "Text", "txt", "send", "respond", "Responda", "envíe", "contesta", "Répondez",
    "textez", "tapez", "with", "con", "avec", "STOP", "ſtop", "stopall", "end", "cancel",
    "unsubscribe", "quit", "QUİT", "quıt", "revoke", "optout", "opt-out", "opt", "out",
    "alto", "baja", "arrête", "ARRET", "to", "2", "=", "for", "unsub", "para", "cancelar",
    "darte", "de", "désabonner", "désinscription", " ", "  ", ":", "'", "«", "\n", "-",
    "x", "ß",
])


@settings(max_examples=200)
@given(st.lists(_PIECES, max_size=8).map("".join))
@example("replyQUİT")  # "İ" casefolds to "i" and a combining dot; the patterns read "i"
@example("reply quıt")
def test_every_opt_out_the_content_rules_read_holds_a_stem_the_estimate_looks_for(
    text: str,
) -> None:
    # The estimate reads a row's text for an opt-out only when a field holds one of these
    # stems (or the template does): a text with none of them must never tell how to opt out.
    if mentions_opt_out(text):
        assert holds(OPT_OUT_STEMS, text), text


def test_the_text_output_counts_the_rows_judged_by_their_own_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _estimate_and_plan(tmp_path, capsys)  # writes the files
    code = main(["estimate", str(tmp_path / "f.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", FIELD_TEMPLATE, "--sender", str(tmp_path / "sender.toml")])
    out = capsys.readouterr().out
    assert code == 0
    assert ("           2 rows priced with the prefix and footer their own text calls for, "
            "not the template's (a field names the brand or the opt-out)\n") in out


# --- the rows read again are every row whose answer differs (rev28c) -------------------


def _brute_force(template: str, sender: SenderProfile, rows: list[dict[str, str]],
                 purpose: Purpose = Purpose.MARKETING) -> tuple[list[Variant], list[Variant]]:
    """What RowSender says of each row, and what the engine's rule says of the row's
    own text: they must be equal."""
    written = Template(template)
    escaped = replace(
        sender,
        prefix=escape_template(sender.prefix) if sender.prefix else sender.prefix,
        footer=escape_template(sender.footer) if sender.footer else sender.footer,
    )
    row_sender = RowSender(written, sender, purpose, escaped)
    found = row_sender.variants(rows) or [row_sender.usual] * len(rows)
    engine = [sender_additions(written.render(row), sender, purpose=purpose, first=True,
                               sent_before=0) for row in rows]
    return found, engine


@pytest.mark.parametrize(("brand", "prefix", "template", "value", "other"), [
    # A field with no word in it completes the brand: "Hi from A & B" names "A & B".
    ("A & B", "A & B: ", "Hi from A {x} B, big sale", "&", "and"),
    # An empty field before the prefix: " Acme: ..." starts with it once stripped.
    ("", "Acme: ", "{x} Acme: big sale", "", "Hi"),
    # A field right after a brand ending in a non-word character unnames it:
    # "Yahoo!Deals" does not name "Yahoo!" as a word.
    ("Yahoo!", "Yahoo!: ", "Yahoo!{x} big sale", "Deals", ""),
    # A format spec writes words the cell lacks: "2026-06-01" as "%B" is "June".
    ("June Bakery", "June Bakery: ", "Hi from {x:%B} Bakery, big sale", "2026-06-01",
     "2026-07-01"),
], ids=["completes the brand", "empty before the prefix", "unnames the brand",
        "a date spec names the brand"])
def test_a_row_whose_field_decides_the_prefix_is_read_again(
    brand: str, prefix: str, template: str, value: str, other: str
) -> None:
    sender = SenderProfile(brand=brand, prefix=prefix, footer="Reply STOP")
    found, engine = _brute_force(template, sender, [{"x": value}, {"x": other}])
    # By hand: the engine's prefix decision differs between the two rows.
    assert engine[0][0] != engine[1][0]
    assert found == engine


_BITS = st.sampled_from([
    "Acme", "A", "B", "&", "!", "Yahoo!", ":", " ", "  ", "-", ">", "Reply", "STOP", "to",
    "opt", "out", "x", "\n", ".", "Co", "Hi",
])
_FRAGMENT = st.lists(_BITS, max_size=4).map("".join)


@settings(max_examples=300)
# Found by this test at a larger budget: a brand with no word in it, given by a field.
@example(parts=["{a}"], brand="&", prefix="Acme", footer="", rows=[{"a": "&", "b": ""}])
# A field glued to the prefix's last word: "unsubscribeYahoo!" tells no opt-out.
@example(parts=["{a}"], brand="", prefix="unsubscribe", footer="Reply STOP",
         rows=[{"a": "Yahoo!", "b": ""}])
# A footer of no word, given by a field with words: "Yahoo!" holds the footer "!".
@example(parts=["{b}"], brand="", prefix="", footer="!", rows=[{"a": "", "b": "Yahoo!"}])
@given(
    parts=st.lists(st.one_of(_FRAGMENT, st.sampled_from(["{a}", "{b}"])), max_size=6),
    brand=st.one_of(st.just(""), _FRAGMENT.filter(str.strip)),
    prefix=st.one_of(st.just(""), _FRAGMENT.filter(str.strip)),
    footer=st.sampled_from(["", "Reply STOP", "Txt STOP 2 end", "!", "!!", "&&"]),
    rows=st.lists(st.fixed_dictionaries({"a": _FRAGMENT, "b": _FRAGMENT}),
                  min_size=1, max_size=3),
)
def test_each_row_gets_what_the_engine_gives_its_own_text(
    parts: list[str], brand: str, prefix: str, footer: str,
    rows: list[dict[str, str]],
) -> None:
    template = "".join(p if p in ("{a}", "{b}") else escape_template(p) for p in parts)
    sender = SenderProfile(brand=brand, prefix=prefix, footer=footer)
    found, engine = _brute_force(template, sender, rows)
    assert found == engine
