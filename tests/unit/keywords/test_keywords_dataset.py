"""Precision and recall on the hand-labelled reply set in tests/data/replies.jsonl.

Labels were written by hand from what each reply asks for, not from the
classifier's output. An "acted-on opt-out" is an EXACT or PHRASE opt-out: the
ones a sender records without a human.
"""

from __future__ import annotations

import json
from pathlib import Path

from smskit.keywords import classify_reply

DATA = Path(__file__).parents[2] / "data" / "replies.jsonl"


def _rows() -> list[dict[str, str | None]]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _acted_opt_out(kind: str | None, confidence: str | None) -> bool:
    return kind == "opt_out" and confidence in ("exact", "phrase")


def test_labelled_set_is_large_enough_and_covers_every_class() -> None:
    rows = _rows()
    assert len(rows) >= 150
    labels = {(r["kind"], r["confidence"]) for r in rows}
    for kind in ("opt_out", "opt_in", "help"):
        assert (kind, "exact") in labels
        assert (kind, "phrase") in labels
    assert ("opt_out", "fuzzy") in labels
    assert (None, None) in labels


def test_no_false_opt_outs_and_high_recall() -> None:
    tp = fp = fn = 0
    for row in _rows():
        match = classify_reply(str(row["text"]))
        got = _acted_opt_out(
            match.kind.value if match else None, match.confidence.value if match else None
        )
        want = _acted_opt_out(row["kind"], row["confidence"])
        tp += got and want
        fp += got and not want
        fn += want and not got
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision == 1.0, f"false opt-outs: {fp}"
    assert recall >= 0.95, f"recall {recall:.3f}"


def test_labels_agree_on_kind_and_confidence_for_most_replies() -> None:
    rows = _rows()
    agree = 0
    for row in rows:
        match = classify_reply(str(row["text"]))
        got = (match.kind.value, match.confidence.value) if match else (None, None)
        agree += got == (row["kind"], row["confidence"])
    assert agree / len(rows) >= 0.95
