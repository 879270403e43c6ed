"""Media sniffing and content lint speed.

    python benchmarks/bench_mms_content.py [--quick] [--repeats N]

Sniffing should cost the same for a 1 KB and a 50 MB file (only the header is
read), so it reports the ratio of the two medians rather than absolute times,
which vary on shared machines. A single-frame GIF is the exception: telling it
from an animated one means walking its blocks, so its time grows with its size
and is reported separately. Lint is reported as messages/s over a seeded corpus.
"""

from __future__ import annotations

import argparse
import random
import statistics
import struct
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from smskit.content import lint
from smskit.mms.policy import MmsPolicy, Route, sniff_media


def _median_seconds(func: Callable[[], object], repeats: int, number: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            func()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def _jpeg(total: int) -> bytes:
    head = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 3024, 4032, 1) + b"\x01\x11\x00"
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    )
    return head + b"\x12" * (total - len(head) - 2) + b"\xff\xd9"


def _gif(total: int) -> bytes:
    head = b"GIF89a\x10\x00\x10\x00\x00\x00\x00,\x00\x00\x00\x00\x10\x00\x10\x00\x00\x02"
    blocks = (total - len(head) - 2) // 256
    return head + (b"\xff" + b"\x00" * 255) * blocks + b"\x00;"


_WORDS = " ".join([
    "hi your appointment is confirmed for tomorrow at 3pm reply STOP to opt out thanks",
    "the team has a new listing near you open house this weekend visit bit.ly/x wine",
    "payment due {first_name} balance ready for pickup technician on the way Acme",
]).split(" ")


def _corpus(size: int, seed: int = 20261122) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 50))]
        text = " ".join(words)
        if rng.random() < 0.15:
            text = text.replace(" ", " ’", 1)
        texts.append(text)
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 7)
    big = 5_000_000 if args.quick else 50_000_000

    small_jpeg, big_jpeg = _jpeg(1_000), _jpeg(big)
    small = _median_seconds(lambda: sniff_media(small_jpeg), repeats, 200)
    large = _median_seconds(lambda: sniff_media(big_jpeg), repeats, 200)
    view = memoryview(big_jpeg)
    large_view = _median_seconds(lambda: sniff_media(view), repeats, 200)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jpg"
        path.write_bytes(big_jpeg)
        large_path = _median_seconds(lambda: sniff_media(path), repeats, 50)
    policy = MmsPolicy(route=Route.TOLL_FREE, provider="twilio")
    info = sniff_media(big_jpeg)
    check = _median_seconds(lambda: policy.check([info], text="See you soon"), repeats, 500)
    gif = _gif(big)
    gif_time = _median_seconds(lambda: sniff_media(gif), repeats, 1)

    texts = _corpus(500 if args.quick else 5_000)
    lint_time = _median_seconds(
        lambda: [lint(t, purpose="marketing", first_message=True, brand="Acme") for t in texts],
        repeats, 1,
    )

    # Pathological texts: runs of URL-ish characters and many links. Linear time
    # shows as a ratio near 2 when the input doubles (quadratic would be near 4).
    n = 10_000 if args.quick else 40_000
    hostile = {
        "a-a-a-...": lambda k: "a-" * k,
        "x.yx.y...": lambda k: "x.y" * k,
        "k links": lambda k: "see http://example.com/a " * (k // 10),
    }
    hostile_ratios = {
        name: _median_seconds(lambda make=make: lint(make(2 * n), purpose="marketing",
                                                     first_message=False), repeats, 1)
        / _median_seconds(lambda make=make: lint(make(n), purpose="marketing",
                                                  first_message=False), repeats, 1)
        for name, make in hostile.items()
    }

    mb = big // 1_000_000
    print(f"sniff_media 1 KB JPEG (bytes)         {small * 1e6:9.1f} µs")
    print(f"sniff_media {mb} MB JPEG (bytes)        {large * 1e6:9.1f} µs  "
          f"ratio {large / small:5.2f}")
    print(f"sniff_media {mb} MB JPEG (memoryview)   {large_view * 1e6:9.1f} µs  "
          f"ratio {large_view / small:5.2f}")
    print(f"sniff_media {mb} MB JPEG (path)         {large_path * 1e6:9.1f} µs  "
          f"ratio {large_path / small:5.2f}")
    print(f"sniff_media {mb} MB single-frame GIF    {gif_time * 1e3:9.1f} ms  (walks every block)")
    print(f"MmsPolicy.check, one sniffed file    {check * 1e6:9.1f} µs")
    print(f"lint, {len(texts)} messages             {len(texts) / lint_time:9.0f} messages/s")
    for name, ratio in hostile_ratios.items():
        print(f"lint {name:<12} 2n / n time ratio      {ratio:9.2f}")


if __name__ == "__main__":
    main()
