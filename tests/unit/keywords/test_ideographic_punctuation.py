"""rough29: the ideographic full stop and comma ("。", "、", U+3002 and U+3001) and their
half-width forms ("｡", "､", U+FF61 and U+FF64) end a clause as "." and "," do.

NFKC keeps them ideographic, so before rough29 they joined clauses: "停止、STOP" was no
match while "停止, STOP" is an opt-out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.keywords import Confidence, MatchKind, classify_reply

DATA = Path(__file__).parents[2] / "data"


def _punctuated() -> list[str]:
    """The labelled replies holding a "." or a ",": the ones the property can change."""
    texts = []
    for name in ("replies.jsonl", "wrong_number_replies.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts.extend(r["text"] for r in map(json.loads, fh) if r)
    return [t for t in texts if "." in t or "," in t]


_PUNCTUATED = _punctuated()
_STOPS = {".": (".", "\u3002", "\uff61"), ",": (",", "\u3001", "\uff64")}


def _swap(text: str, picks: list[int]) -> str:
    out, i = [], 0
    for ch in text:
        if ch in _STOPS:
            ch = _STOPS[ch][picks[i % len(picks)]]
            i += 1
        out.append(ch)
    return "".join(out)


def test_the_corpora_hold_replies_with_stops_and_commas() -> None:
    # 97 when rough29 wrote this; the property below means little with a handful.
    assert len(_PUNCTUATED) >= 90


@pytest.mark.parametrize(("wide", "kind", "confidence"), [
    ("STOP\u3002", MatchKind.OPT_OUT, Confidence.EXACT),
    ("stop\uff61", MatchKind.OPT_OUT, Confidence.EXACT),
    ("\u505c\u6b62\u3001STOP", MatchKind.OPT_OUT, Confidence.PHRASE),  # 停止、STOP
    ("stop\u3001thanks", MatchKind.OPT_OUT, Confidence.PHRASE),
    ("Yes\uff64stop\uff64thanks", MatchKind.OPT_OUT, Confidence.PHRASE),
    ("HELP\u3002", MatchKind.HELP, Confidence.EXACT),
])
def test_ideographic_stops_and_commas_end_a_keyword(
    wide: str, kind: MatchKind, confidence: Confidence
) -> None:
    match = classify_reply(wide)
    assert match is not None, wide
    assert (match.kind, match.confidence) == (kind, confidence)


@pytest.mark.parametrize(("wide", "plain"), [
    # Each of these read differently from its ASCII form before rough29.
    ("\u505c\u6b62\u3001STOP", "\u505c\u6b62, STOP"),
    ("Wrong number\u3001who is this?", "Wrong number, who is this?"),
    ("texting me at work is not ok\u3002 stop", "texting me at work is not ok. stop"),
    ("this is my business line\uff64 stop texting it", "this is my business line, stop texting it"),
])
def test_an_ideographic_stop_reads_as_the_ascii_one(wide: str, plain: str) -> None:
    assert classify_reply(plain) is not None
    assert classify_reply(wide) == classify_reply(plain)


def test_an_ordinary_reply_stays_ordinary_with_ideographic_commas() -> None:
    assert classify_reply("I can't stop by\u3001sorry") is None


@given(text=st.sampled_from(_PUNCTUATED),
       picks=st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=4))
def test_ideographic_stops_never_change_the_answer(text: str, picks: list[int]) -> None:
    assert classify_reply(_swap(text, picks)) == classify_reply(text)
