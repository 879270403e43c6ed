"""Fix fix31a: the labelled default list of ordinary phrases can be switched off.

ORDINARY_PATTERNS (U, smskit's own default) keeps "gas line hookup", "nail gun", "the
price gun" from being reported as restricted words. A sender who wants every listed word
reported (a reviewer of a gun shop's texts) had no way to turn it off.
"""

from __future__ import annotations

import pickle

import pytest

from smskit.content import LintConfig, lint
from smskit.errors import ConfigurationError

_TEXTS = {
    "Your tech is on the way for the gas line hookup.": "content.restricted.sex",
    "Bringing the nail gun tomorrow.": "content.restricted.firearms",
    "Grab the price gun from the back room.": "content.restricted.firearms",
    "Card on file: loan XXX-4521.": "content.restricted.sex",
}


def _codes(text: str, config: LintConfig) -> list[str]:
    return [f.code for f in lint(text, purpose="conversational", first_message=False,
                                 config=config)]


@pytest.mark.parametrize(("text", "code"), _TEXTS.items())
def test_switched_off_every_listed_word_is_reported(text: str, code: str) -> None:
    assert code not in _codes(text, LintConfig())  # the default: an ordinary phrase
    assert code in _codes(text, LintConfig(ordinary_phrases=False))


def test_the_default_is_on_and_survives_a_pickle() -> None:
    assert LintConfig().ordinary_phrases is True
    off = LintConfig(ordinary_phrases=False)
    assert pickle.loads(pickle.dumps(off)) == off


@pytest.mark.parametrize("value", ["no", 0, None])
def test_a_non_bool_is_a_configuration_error(value: object) -> None:
    # "false" from a config file is a true string: read as True it would keep the list.
    with pytest.raises(ConfigurationError) as info:
        LintConfig(ordinary_phrases=value)  # type: ignore[arg-type]
    assert info.value.field == "ordinary_phrases"
