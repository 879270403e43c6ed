"""Segment counting speed against in-process baselines.

    python benchmarks/bench_segments.py [--quick] [--repeats N]

Times ``count_many``, ``count_segments`` (one call per message) and ``segment``
over a fixed, seeded corpus of realistic messages, and in the same run two
baselines: ``str.encode("utf-16-le")`` per message (C speed: our floor) and a
plain per-character Python loop (what most peers do). Reports the median of
several repeats as messages/s and as ratios, because these machines are shared
and noisy; like ``timeit``, each timing runs with the garbage collector off.
If ``smpplib`` is installed its ``make_parts`` is timed too.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence

from smskit import count_many, count_segments, segment

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXT = set("\x0c^{}\\[~]|€")

_WORDS = " ".join(
    [
        "hi your appointment is confirmed for tomorrow at pm am reply to reschedule thanks",
        "the team we have a new listing near you open house this weekend call us today",
        "payment due reminder balance of account ready for pickup technician on the way",
    ]
).split(" ")


def corpus(size: int, seed: int = 20261122) -> list[str]:
    """Mostly GSM text of 40-300 characters, some emoji, extension characters, other scripts."""
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        length = rng.randint(40, 300)
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < length:
            words.append(rng.choice(_WORDS))
        text = " ".join(words)[:length].capitalize()
        kind = rng.random()
        if kind < 0.10:  # an emoji or two
            text = text[: length // 2] + rng.choice("😀👍🙏🎉❤️🏡") + text[length // 2 :]
        elif kind < 0.18:  # extension characters
            text += rng.choice([" [ref {42}]", " €20", " ~10 min", " a|b"])
        elif kind < 0.24:  # another script
            text = rng.choice(["Здравствуйте, ", "您好，", "Merhaba Ayşe, ", "Olá João, "]) + text
        texts.append(text)
    return texts


def per_character_loop(text: str) -> int:
    """The obvious implementation: classify every character in Python."""
    gsm = True
    septets = 0
    for char in text:
        if char in _GSM_BASIC:
            septets += 1
        elif char in _GSM_EXT:
            septets += 2
        else:
            gsm = False
            break
    if gsm:
        return 1 if septets <= 160 else -(-septets // 153)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
    return 1 if units <= 70 else -(-units // 67)


def _median_seconds(func: Callable[[], object], repeats: int) -> float:
    # Like timeit, time with the cyclic garbage collector off: otherwise whichever
    # case allocates most pays for collections triggered by the others' garbage.
    samples = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            func()
            samples.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(samples)


def run(texts: Sequence[str], repeats: int) -> list[tuple[str, float]]:
    cases: list[tuple[str, Callable[[], object]]] = [
        ('encode("utf-16-le") [floor]', lambda: [t.encode("utf-16-le") for t in texts]),
        ("per-character loop [peers]", lambda: [per_character_loop(t) for t in texts]),
        ("count_many", lambda: count_many(texts)),
        ("count_segments per call", lambda: [count_segments(t) for t in texts]),
        ("segment (full split)", lambda: [segment(t) for t in texts]),
    ]
    try:
        import smpplib.gsm  # type: ignore[import-not-found]

        def peer() -> object:
            return [smpplib.gsm.make_parts(t) for t in texts]

        cases.append(("smpplib make_parts [peer]", peer))
    except ImportError:
        pass
    return [(name, _median_seconds(func, repeats)) for name, func in cases]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, few repeats (CI)")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args(argv)
    size = 5_000 if args.quick else 50_000
    repeats = args.repeats or (5 if args.quick else 11)
    texts = corpus(size)
    assert count_many(texts) == [segment(t).segment_count for t in texts]
    results = run(texts, repeats)
    floor = results[0][1]
    loop = results[1][1]
    print(f"{size} messages, median of {repeats} runs")
    print(f"{'case':32} {'msgs/s':>12} {'time / floor':>13} {'speed vs loop':>14}")
    for name, seconds in results:
        rate = size / seconds
        print(f"{name:32} {rate:12,.0f} {seconds / floor:12.2f}x {loop / seconds:13.2f}x")


if __name__ == "__main__":
    main()
