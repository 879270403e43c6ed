"""Segment counting and splitting speed, as ratios against baselines run alongside.

    python benchmarks/bench_segments.py              # full: 50,000 messages, 11 rounds
    python benchmarks/bench_segments.py --quick      # CI: 5,000 messages, 5 rounds, gate 4.0

Every figure is a ratio to a baseline timed in the same round, in the same process,
on the same texts: ``[t.encode("utf-16-le") for t in texts]`` (C speed, the floor
``count_many`` is held to) and a plain per-character Python loop that only counts
(what most peers do; ``segment`` is held to 3x its speed). Cases run interleaved,
round after round in a rotating order, with the garbage collector on as in an
application, so drift and collections fall on every case alike. Times are this
process's CPU time, so other work on a shared machine does not count. Each ratio is the
median of its per-round ratios, with the lowest and highest round beside it.

Corpora are seeded: a realistic mix (mostly GSM-7 text of 40-300 characters, some
emoji, extension characters and other scripts) and one corpus per message class.
``--gate R`` exits with status 1 when ``count_many`` on the mix takes more than R
times the encode floor; ``--quick`` (what CI runs) sets R to 4.0: a gross regression,
which noise cannot produce (today about 2x; the per-character loop is about 12x). If ``smpplib`` is
installed its ``make_parts`` is timed too.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable, Sequence

from _compare import interleaved

from smskit import MessageTooLongError, count_many, count_segments, segment

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
_LATIN = " ".join(
    [
        "olá joão sua consulta está confirmada para amanhã às horas responda não ação",
        "reçu votre rendez-vous à côté de l'hôtel merci être déjà prêt cuánto año señal",
    ]
).split(" ")
_EMOJI = ["😀", "👍", "🙏", "🎉", "❤️", "🏡", "👍🏽", "👨‍👩‍👧", "🇫🇷", "👩🏾‍💻", "✅"]
_CJK = (
    "您好您的预约已确认明天下午三点请回复确认谢谢"
    "こんにちはご予約を承りました"
    "안녕하세요예약이확인되었습니다"
)
_INDIC = " ".join(
    [
        "नमस्ते आपका अपॉइंटमेंट कल शाम पांच बजे के लिए पक्का है कृपया पुष्टि करें धन्यवाद",
        "வணக்கம் உங்கள் முன்பதிவு உறுதி செய்யப்பட்டது নমস্কার আপনার বুকিং নিশ্চিত",
    ]
).split(" ")


# Names and words beyond Latin-1 (Turkish, Cyrillic, CJK) that a message in English
# carries one of: "Dear Ayşe", "Иван".
_NAMES = ["Ayşe", "Gülşen", "Işıl", "Doğan", "İzmir", "Иван", "Ольга", "Москва", "王芳", "東京"]
_LATIN1_NAMES = ["Gül", "Çelik", "Jürgen", "Zoë", "€20", "€5"]


def _words(rng: random.Random, vocabulary: Sequence[str], length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        words.append(rng.choice(vocabulary))
        size += len(words[-1]) + 1
    return " ".join(words)[:length]


def corpus(size: int, seed: int = 20261122) -> list[str]:
    """The realistic mix: mostly GSM text of 40-300 characters, some emoji,
    extension characters and other scripts."""
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        length = rng.randint(40, 300)
        text = _words(rng, _WORDS, length).capitalize()
        kind = rng.random()
        if kind < 0.10:  # an emoji or two
            text = text[: length // 2] + rng.choice("😀👍🙏🎉❤️🏡") + text[length // 2 :]
        elif kind < 0.18:  # extension characters
            text += rng.choice([" [ref {42}]", " €20", " ~10 min", " a|b"])
        elif kind < 0.24:  # another script
            text = rng.choice(["Здравствуйте, ", "您好，", "Merhaba Ayşe, ", "Olá João, "]) + text
        texts.append(text)
    return texts


def _class_text(kind: str, rng: random.Random) -> str:
    if kind == "short ASCII":
        return _words(rng, _WORDS, rng.randint(10, 80)).capitalize()
    if kind == "long ASCII":
        return _words(rng, _WORDS, rng.randint(161, 900)).capitalize()
    if kind == "ASCII + extension":
        text = _words(rng, _WORDS, rng.randint(40, 300))
        cut = rng.randint(0, len(text))
        return text[:cut] + rng.choice(["[42]", "{x}", "€5", "~", "a|b", "^"]) + text[cut:]
    if kind == "ASCII + a name beyond Latin-1":
        # A bulk send: most texts name someone beyond Latin-1, some a Latin-1 name or a
        # price in euros (GSM-7), some neither; one screen counts them together.
        text = _words(rng, _WORDS, rng.randint(30, 250)).capitalize()
        draw = rng.random()
        names = _NAMES if draw < 0.6 else _LATIN1_NAMES if draw < 0.8 else [""]
        cut = text.find(" ", rng.randint(0, len(text))) + 1  # at a word's start
        return text[:cut] + rng.choice(names) + " " + text[cut:]
    if kind == "Latin accents (UCS-2)":
        return _words(rng, _LATIN, rng.randint(30, 250)).capitalize()
    if kind == "emoji / ZWJ":
        text = _words(rng, _WORDS, rng.randint(30, 250))
        for _ in range(rng.randint(1, 4)):
            cut = rng.randint(0, len(text))
            text = text[:cut] + rng.choice(_EMOJI) + text[cut:]
        return text
    if kind == "CJK":
        return "".join(rng.choice(_CJK) for _ in range(rng.randint(10, 200)))
    if kind == "Indic":
        return _words(rng, _INDIC, rng.randint(20, 250))
    raise ValueError(kind)


QUICK_GATE = 4.0

CLASSES = (
    "short ASCII",
    "long ASCII",
    "ASCII + extension",
    "Latin accents (UCS-2)",
    "ASCII + a name beyond Latin-1",
    "emoji / ZWJ",
    "CJK",
    "Indic",
)


def class_corpus(kind: str, size: int, seed: int = 13) -> list[str]:
    rng = random.Random(f"{seed}-{kind}")
    return [_class_text(kind, rng) for _ in range(size)]


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


def _encode_each(texts: Sequence[str]) -> object:
    return [t.encode("utf-16-le") for t in texts]


def _loop_each(texts: Sequence[str]) -> object:
    return [per_character_loop(t) for t in texts]


def _count_each(texts: Sequence[str]) -> object:
    return [count_segments(t) for t in texts]


def _encode_calls(texts: Sequence[str]) -> None:
    # The single-call baseline: the same Python loop as _count_calls, so only the
    # call itself differs.
    for t in texts:
        t.encode("utf-16-le")


def _count_calls(texts: Sequence[str]) -> None:
    for t in texts:
        count_segments(t)


def _segments_each(texts: Sequence[str]) -> object:
    return [segment(t).segments for t in texts]


def ratio(samples: dict[str, list[float]], case: str, base: str) -> tuple[float, float, float]:
    """Median, lowest and highest of the per-round ratios case / base."""
    ratios = [c / b for c, b in zip(samples[case], samples[base], strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


def _fmt(stats: tuple[float, float, float]) -> str:
    return f"{stats[0]:5.2f}x  [{stats[1]:.2f}-{stats[2]:.2f}]"


def bench_mix(texts: Sequence[str], repeats: int) -> dict[str, list[float]]:
    cases: dict[str, Callable[[], object]] = {
        "encode": lambda: _encode_each(texts),
        "loop": lambda: _loop_each(texts),
        "count_many": lambda: count_many(texts),
        "count_segments each": lambda: _count_each(texts),
        "segment().segments": lambda: _segments_each(texts),
    }
    try:
        import smpplib.gsm  # type: ignore[import-not-found]

        cases["smpplib make_parts"] = lambda: [smpplib.gsm.make_parts(t) for t in texts]
    except ImportError:
        pass
    return interleaved(cases, repeats)


def bench_classes(size: int, repeats: int) -> None:
    print(f"\nper class ({size} texts each): time / encode floor; segment speed vs loop")
    width = max(map(len, CLASSES))  # "ASCII + a name beyond Latin-1" is the longest
    print(f"{'class':{width}} {'count_many':>22} {'segment().segments':>24}")
    for kind in CLASSES:
        texts = class_corpus(kind, size)
        samples = interleaved(
            {
                "encode": lambda t=texts: _encode_each(t),
                "loop": lambda t=texts: _loop_each(t),
                "count_many": lambda t=texts: count_many(t),
                "segments": lambda t=texts: _segments_each(t),
            },
            repeats,
        )
        many = ratio(samples, "count_many", "encode")
        seg = ratio(samples, "loop", "segments")
        print(f"{kind:{width}} {_fmt(many):>22} {_fmt(seg):>24}")


def bench_single_call(size: int, repeats: int) -> None:
    texts = class_corpus("short ASCII", size)
    samples = interleaved(
        {"encode": lambda: _encode_calls(texts), "count": lambda: _count_calls(texts)}, repeats
    )
    stats = ratio(samples, "count", "encode")
    per_call = statistics.median(samples["count"]) / size * 1e9
    print(
        f"\ncount_segments(text) on short ASCII, one call each: {_fmt(stats)} of "
        f"text.encode('utf-16-le'); {per_call:.0f} ns a call"
    )


def bench_growth(texts: Sequence[str], quick: bool) -> None:
    """Doubling-free growth check: time per item at 10x steps should stay flat."""
    print("\nlinear growth (time per item relative to the smallest size)")
    sizes = (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000)
    per_item = []
    for size in sizes:
        batch = [texts[i % len(texts)] for i in range(size)]
        samples = interleaved({"count_many": lambda b=batch: count_many(b)}, 3)
        per_item.append(statistics.median(samples["count_many"]) / size)
    print("count_many  " + "  ".join(
        f"{size:>9,}: {item / per_item[0]:.2f}" for size, item in zip(sizes, per_item, strict=True)
    ))
    for label, unit in (("ASCII", "hello world "), ("emoji", "hi 👨‍👩‍👧 ok ")):
        per_char = []
        lengths = (1_000, 10_000, 100_000)
        for length in lengths:
            text = (unit * (length // len(unit) + 1))[:length]

            def split(text: str = text) -> object:
                try:
                    return segment(text).segments
                except MessageTooLongError:
                    return None  # past 255 parts: the error's own time is what counts

            samples = interleaved({"segment": split}, 5)
            per_char.append(statistics.median(samples["segment"]) / length)
        print(f"segment {label:6} " + "  ".join(
            f"{n:>7,} chars: {c / per_char[0]:.2f}"
            for n, c in zip(lengths, per_char, strict=True)
        ))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, few rounds (CI)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument(
        "--gate", type=float, default=None,
        help="exit 1 if count_many on the mix exceeds this multiple of the encode floor",
    )
    args = parser.parse_args(argv)
    if args.gate is None and args.quick:
        args.gate = QUICK_GATE
    size = 5_000 if args.quick else 50_000
    repeats = args.repeats or (5 if args.quick else 11)
    texts = corpus(size)
    assert count_many(texts) == [segment(t).segment_count for t in texts]

    samples = bench_mix(texts, repeats)
    print(f"mix: {size:,} messages, {repeats} interleaved rounds, GC on; median [low-high]")
    print(f"{'case':22} {'msgs/s':>11} {'time / encode floor':>22} {'speed vs loop':>22}")
    for name, seconds in samples.items():
        rate = size / statistics.median(seconds)
        floor = _fmt(ratio(samples, name, "encode"))
        speed = _fmt(ratio(samples, "loop", name))
        print(f"{name:22} {rate:11,.0f} {floor:>22} {speed:>22}")
    bench_classes(size // 5, repeats)
    bench_single_call(size, repeats)
    bench_growth(texts, args.quick)

    gate = ratio(samples, "count_many", "encode")[0]
    if args.gate is not None and gate > args.gate:
        print(f"FAIL: count_many takes {gate:.2f}x the encode floor (gate {args.gate:.2f}x)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
