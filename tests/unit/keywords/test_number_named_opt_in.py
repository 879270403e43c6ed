"""A number named after "start texting" is not the replier re-subscribing (rev26u).

user27 let the opt-out phrases take a phone number where they take "me" ("STOP texting
2125550123"); the shared pattern also reached the opt-in phrase ``start_again``, so
"Please start texting 4155550123" (a new number, or someone else's) re-subscribed the
number that sent it, which may have opted out: a text to a revoked number.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import MatchKind, classify_reply


@pytest.mark.parametrize(
    "reply",
    [
        "start texting 4155550123",
        "Please start texting 415-555-0123",
        "resume texting 415.555.0123",
        "Start sending 4155550123 again",
        "start texting my cell 4155550123",
    ],
)
def test_start_texting_another_number_is_no_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_IN


@pytest.mark.parametrize("reply", ["start texting me", "Please resume texting me again"])
def test_start_texting_me_is_still_an_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_IN


def test_classify_json_does_not_print_the_number_either(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # CLI output, machine-read or not, never shows a phone number in full (the ledger's
    # --json masks evidence the same way).
    import json

    from smskit.cli import main

    assert main(["classify", "--json", "STOP texting 212 555 0123"]) == 0
    out = capsys.readouterr().out
    assert "555" not in out
    data = json.loads(out)
    assert data["kind"] == "opt_out"
    assert data["keyword"].startswith("stop texting 2")
    assert data["keyword"].endswith("23")


# fix26o: the brackets, colon or full stop of a written number split the reply into
# clauses, and "start texting" alone is a whole clause: "Start texting (415) 555-0123"
# re-subscribed the number that sent it.
@pytest.mark.parametrize(
    "reply",
    [
        "Start texting (415) 555-0123",
        "Please start texting (415)555-0123",
        "Start texting (415) 555-0123 please",
        "start texting +1 (415) 555-0123",
        "Start texting: 415 555 0123",
        "Resume texting. 415-555-0123",
        "start texting, 4155550123",
        "Please start texting me: 415 555 0123",
        "opt me back in (415) 555-0123",
    ],
)
def test_a_number_in_brackets_or_after_a_stop_is_no_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_IN


_AREA = st.integers(2, 9).map(str).flatmap(
    lambda a: st.text("0123456789", min_size=2, max_size=2).map(lambda r: a + r))
_EXCHANGE = _AREA  # NANP: area code and exchange both start 2-9
_LINE = st.text("0123456789", min_size=4, max_size=4)
_FORMATS = (
    "{a}{e}{l}", "{a} {e} {l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "({a}) {e}-{l}",
    "({a}){e}-{l}", "+1 {a} {e} {l}", "+1-{a}-{e}-{l}", "+1 ({a}) {e}-{l}", "1 ({a}) {e}-{l}",
    "1-{a}-{e}-{l}", "+1.{a}.{e}.{l}", "+1{a}{e}{l}", "1{a}{e}{l}", "({a}) {e} {l}",
    "{a}/{e}-{l}", "+1 {a}.{e}.{l}",
)


@given(
    area=_AREA, exchange=_EXCHANGE, line=_LINE, layout=st.sampled_from(_FORMATS),
    lead=st.sampled_from(["start texting", "Start texting", "START TEXTING", "Please start texting",
                          "resume texting", "Restart messaging", "start sending"]),
    join=st.sampled_from([" ", ": ", ", ", ". ", " - ", " at ", " me at ", "\n"]),
    tail=st.sampled_from(["", " please", " again", ".", "!", " thanks", " instead"]),
)
def test_start_texting_any_nanp_number_in_any_format_is_never_an_opt_in(
    area: str, exchange: str, line: str, layout: str, lead: str, join: str, tail: str
) -> None:
    number = layout.format(a=area, e=exchange, l=line)
    match = classify_reply(f"{lead}{join}{number}{tail}")
    assert match is None or match.kind is not MatchKind.OPT_IN


@pytest.mark.parametrize(
    "reply",
    ["START", "start", "Unstop", "UNSTOP", "start texting me again", "Start texting me",
     "Resume texting me please", "Please start texting me again", "Start again",
     "opt me back in", "Comenzar", "YES"],
)
def test_real_opt_ins_stay_opt_ins(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_IN
