"""Review rev31c: smart encoding kept "1½" a mixed number only when the digit before the
fraction was an ASCII one; a full-width digit (made ASCII by the same replacement) or an
invisible character between them (removed by it) made "11/2", eleven halves."""

from __future__ import annotations

import pytest

from smskit.segments.segmentation import segment


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("Add \uff11\u00bd cups", "Add 1 1/2 cups"),  # full-width 1
        ("Add 1\u00ad\u00bd cups", "Add 1 1/2 cups"),  # soft hyphen between
        ("Add 1\u200b\u00bc cups", "Add 1 1/4 cups"),  # zero-width space between
        ("Add \u00bd\u00bd cups", "Add 1/2 1/2 cups"),  # a fraction ends in a digit too
        ("Add 1\u00bd cups", "Add 1 1/2 cups"),  # as before
        ("Add \u00bd cup", "Add 1/2 cup"),  # no digit before: no space
        ("Add x\u00ad\u00bd cup", "Add x1/2 cup"),
    ],
)
def test_a_mixed_number_stays_a_mixed_number(text: str, sent: str) -> None:
    assert segment(text, smart=True).text == sent
