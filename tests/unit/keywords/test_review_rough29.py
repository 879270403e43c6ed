"""Review of rough29: the wrong-number pattern of a ``KeywordSet`` is compiled on first
use, yet a set it cannot be compiled for is still refused when built (as before
rough29), never on the first reply that names a wrong number."""

from __future__ import annotations

import pickle

import pytest

from smskit.errors import KeywordError
from smskit.keywords import KeywordSet, MatchKind, _data, classify_reply
from smskit.keywords.classify import Keyword, Phrase

# A small set (cheap to compile): the English wrong-number statements and two words.
_WRONG = tuple(
    Phrase(p.name, p.pattern, MatchKind(p.kind), p.language, p.source)
    for p in _data.PHRASES if p.name in _data.WRONG_NUMBER_PHRASES and p.language == "en"
)
_WORDS = (Keyword("stop", MatchKind.OPT_OUT, "en"), Keyword("halt", MatchKind.OPT_OUT, "en"))


@pytest.mark.parametrize("pattern", [r"(quit) \1", r"halt \g<2>", r"(?(3)a|b)halt"])
def test_an_opt_out_phrase_the_wrong_number_pattern_cannot_hold_is_refused_when_built(
    pattern: str,
) -> None:
    # Each compiles among the phrases of its kind (named groups around each), not in
    # the wrong-number pattern, where the numbers differ.
    mine = Phrase("mine", pattern, MatchKind.OPT_OUT, "en", "https://example.com/")
    with pytest.raises(KeywordError, match="refer to a group by name"):
        KeywordSet(_WORDS, (*_WRONG, mine))


def test_a_help_phrase_is_not_in_the_wrong_number_pattern() -> None:
    mine = Phrase("mine", r"(aide) \2", MatchKind.HELP, "fr", "https://example.com/")
    built = KeywordSet(_WORDS, (*_WRONG, mine))
    assert classify_reply("wrong number halt", keywords=built) is not None


def test_a_copy_reads_as_the_set_before_and_after_the_pattern_is_compiled() -> None:
    built = KeywordSet(_WORDS, _WRONG)
    before = pickle.loads(pickle.dumps(built))
    found = classify_reply("wrong number halt", keywords=built)  # compiles it
    assert found is not None
    assert found.kind is MatchKind.OPT_OUT
    assert found.rule == "keyword+wrong_number"
    after = pickle.loads(pickle.dumps(built))
    assert before == built == after
    assert hash(before) == hash(built) == hash(after)
    assert classify_reply("wrong number halt", keywords=before) == found
    assert classify_reply("wrong number halt", keywords=after) == found


@pytest.mark.parametrize(("other", "plain"), [
    ("stop\ufe51thanks", "stop, thanks"),  # SMALL IDEOGRAPHIC COMMA, NFKC "、"
    ("\u505c\u6b62\ufe11STOP", "\u505c\u6b62, STOP"),  # vertical ideographic comma
    ("texting me at work is not ok\ufe12 stop", "texting me at work is not ok. stop"),
    ("Wrong number\ufe10who is this?", "Wrong number, who is this?"),  # vertical comma
])
def test_the_small_and_vertical_forms_of_a_stop_read_as_the_ascii_one(
    other: str, plain: str
) -> None:
    # Review of rough29: the half-width forms were added one by one and these left out.
    assert classify_reply(plain) is not None
    assert classify_reply(other) == classify_reply(plain)
