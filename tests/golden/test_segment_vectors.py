"""Hand-written vectors from TS 23.038 / 23.040 (see data/segments.json for each source)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smskit.segments.segmentation import count_segments, segment

DATA = json.loads((Path(__file__).parent / "data" / "segments.json").read_text("utf-8"))


def _text(pieces: list[list[Any]]) -> str:
    return "".join(piece * times for piece, times in pieces)


@pytest.mark.parametrize("vector", DATA["vectors"], ids=lambda v: v["name"])
def test_vector(vector: dict[str, Any]) -> None:
    text = _text(vector["text"])
    message = segment(text)
    assert message.encoding.value == vector["encoding"]
    assert message.units == vector["units"]
    assert [s.units for s in message.segments] == vector["parts"]
    assert count_segments(text) == len(vector["parts"])


@pytest.mark.parametrize("vector", DATA["grapheme_vectors"], ids=lambda v: v["name"])
def test_grapheme_vector(vector: dict[str, Any]) -> None:
    text = _text(vector["text"])
    assert [s.units for s in segment(text).segments] == vector["safe_parts"]
    assert [s.units for s in segment(text, grapheme_safe=False).segments] == vector["minimum_parts"]


@pytest.mark.parametrize("vector", DATA["reference_16bit"], ids=lambda v: v["name"])
def test_16bit_reference_vector(vector: dict[str, Any]) -> None:
    message = segment(_text(vector["text"]), reference_bits=16)
    assert [s.units for s in message.segments] == vector["parts"]
