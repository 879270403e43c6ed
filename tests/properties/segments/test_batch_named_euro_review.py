"""Review of ``_named_counts`` (5 December 2026): ``wide_counts`` documents ``joined``
as the texts joined with NUL, and tests call it so (``test_batch_escapes_and_wide_units``),
but ``_named_counts`` read an euro sign left in it as a character beyond Latin-1 ("?"
after the Latin-1 "replace"): a GSM-7 text with one counted as UCS-2, 2 parts where the
reference says 1. ``screen`` hands the euro sign as "|", so ``count_many`` was right;
the route now makes sure of it itself, as ``_astral_counts`` does. Expected counts from
the readable reference.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit.segments import _batch as batch

LATIN = st.text(st.sampled_from(list("ab ,.?é€{Ж")), max_size=120)
GSM = st.text(st.sampled_from(list("ab ?€{|ü")), min_size=1, max_size=200)


@given(st.lists(LATIN, max_size=6), GSM)
@example(["a" * 70 + "Ж"], "€" + "a" * 100)  # 102 septets: 1 part; 101 units: 2
@example(["Ayşe"], "€" * 80)  # 160 septets: 1 part
def test_the_euro_sign_left_in_joined_is_gsm7(others: list[str], gsm: str) -> None:
    texts = [*others, gsm, "Ayşe " * 3]
    joined = batch.SEP.join(texts)  # the euro sign as it is, not "|"
    for text, count in zip(texts, batch.wide_counts(texts, joined), strict=True):
        assert count in (0, ref.count(text)), text
    for text, count in zip(texts, batch._named_counts(texts, joined), strict=True):
        assert count in (0, ref.count(text)), text
