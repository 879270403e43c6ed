"""rev21i: ``screen`` leaves the euro sign in the texts it hands ``wide_counts`` (since
perf21i), whose callees read it as "|". ``_mostly_latin1`` read it as beyond Latin-1:
texts of prices in euros beside a name in Greek or Cyrillic lost the ``_named_counts``
route, and where a text held a U+E0xx character every text of the group was left at 0
(each then counted on its own). The counts stay the reference's either way; these
hold the route as it was before perf21i."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _reference as ref
from smskit import count_many
from smskit.segments import _batch as batch


@pytest.mark.parametrize(
    "texts",
    [  # the first character beyond Latin-1 not an euro sign: it stays in the texts
        ["Ω\ue001", "€" * 300],  # Greek and a private-use character beside euro prices
        ["ééé|ééΩ", "€" * 300, "a" * 160, "Δ" * 24 + "\ue001" + "Δ" * 40 + "€"],
        ["é" * 17 + "\ue042Ж", "€" * 120 + "\ue000ÿ" + "€" * 40, "a" * 110 + "€"],
    ],
)
def test_euro_texts_keep_the_named_route(texts: list[str]) -> None:
    # Nothing left at 0: the named route counts them all (the padded one gives up on
    # the U+E0xx character and leaves every text of the group to be counted alone).
    assert batch.screen(texts) == [ref.count(text) for text in texts]
    assert count_many(texts) == [ref.count(text) for text in texts]


def test_the_euro_sign_samples_as_latin1() -> None:
    assert batch._mostly_latin1("€" * 640 + "\x00Жx")
    assert batch._mostly_latin1("€5 " * 200)
    assert not batch._mostly_latin1("Ж€" * 300)


_CHARS = st.sampled_from([*"€€€a é|ΩΔЖ中क्\u200d\r\ue000\ue001\ue042\x01", "🙂"])


@given(st.lists(st.text(_CHARS, max_size=300) | st.sampled_from(["€" * 161, "€5"]), max_size=8))
def test_euro_groups_count_as_the_reference(texts: list[str]) -> None:
    assert count_many(texts) == [ref.count(text) for text in texts]
    counts = batch.screen(texts)
    assert all(count in (0, ref.count(text)) for count, text in zip(counts, texts, strict=True))
