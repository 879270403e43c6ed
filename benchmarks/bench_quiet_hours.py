"""Benchmark QuietHours.check over distinct US numbers at random instants (seeded).

    python benchmarks/bench_quiet_hours.py          # 100,000 numbers, 5 repeats
    python benchmarks/bench_quiet_hours.py --quick  # 10,000 numbers, 1 repeat

Prints checks per CPU second of this process (median of the repeats) for: parsed numbers passed in
(PhoneNumber), number strings with the parse cache warm, and the first cold
pass that parses every number. Target: >= 50,000 checks/s with parsing cached.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from smskit.errors import InvalidPhoneNumber
from smskit.numbers.parse import PhoneNumber, _parse_cached, parse_number
from smskit.purpose import Purpose
from smskit.timing.quiet_hours import QuietHours

# Real US geographic area codes across every zone (a fixed sample, by hand).
AREA_CODES: tuple[str, ...] = tuple(
    " ".join(
        (
            "201 202 203 205 206 207 208 210 212 213 214 215 216 217 218 219 224 225 228 229",
            "231 234 239 240 248 251 252 253 254 256 260 262 267 269 270 281 301 302 303 304",
            "305 307 308 309 310 312 313 314 315 316 317 318 319 320 321 323 325 330 334 336",
            "337 339 347 352 360 361 385 386 401 402 404 405 406 407 408 409 410 412 413 414",
            "415 417 419 423 424 425 432 434 435 440 443 469 478 479 480 484 501 502 503 504",
            "505 507 508 509 510 512 513 515 516 517 518 520 530 540 541 551 559 561 562 563",
            "567 570 571 573 574 575 580 585 586 601 602 603 605 606 607 608 609 610 612 614",
            "615 616 617 618 619 620 623 626 630 631 636 641 646 650 651 657 660 661 662 678",
            "682 689 701 702 703 704 706 707 708 712 713 714 715 716 717 718 719 720 724 727",
            "731 732 734 740 754 757 760 763 765 770 772 773 774 775 779 781 785 786 801 802",
            "803 804 805 806 808 810 812 813 814 815 816 817 818 828 830 831 832 843 845 847",
            "848 850 856 857 858 859 860 862 863 864 865 870 872 878 901 903 904 906 907 908",
            "909 910 912 913 914 915 916 917 918 919 920 925 928 931 936 937 940 941 947 949",
            "951 952 954 956 959 970 971 972 973 978 979 980 985 989",
        )
    ).split()
)


def make_numbers(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct, valid US numbers (validity checked once, untimed)."""
    seen: set[str] = set()
    while len(seen) < count:
        text = f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if text in seen:
            continue
        try:
            parse_number(text)
        except InvalidPhoneNumber:
            continue
        seen.add(text)
    return sorted(seen)


def timed(fn: object) -> float:
    """CPU seconds of this process: steadier than wall time on a shared machine."""
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 numbers, 1 repeat")
    args = parser.parse_args()
    count, repeats = (10_000, 1) if args.quick else (100_000, 5)
    rng = random.Random(20261122)
    texts = make_numbers(count, rng)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [base + timedelta(seconds=rng.randrange(366 * 86_400)) for _ in texts]
    qh = QuietHours()
    marketing = Purpose.MARKETING

    _parse_cached.cache_clear()
    cold_texts = list(zip(texts, instants, strict=True))
    cold = timed(lambda: [qh.check(t, at, purpose=marketing) for t, at in cold_texts])
    parsed: list[PhoneNumber] = [parse_number(t) for t in texts]
    pairs = list(zip(parsed, instants, strict=True))
    allowed = sum(qh.check(n, at, purpose=marketing).allowed for n, at in pairs)

    def run_parsed() -> None:
        for number, at in pairs:
            qh.check(number, at, purpose=marketing)

    def run_cached_text() -> None:
        for text, at in cold_texts:
            qh.check(text, at, purpose=marketing)

    parsed_times = [timed(run_parsed) for _ in range(repeats)]
    text_times = [timed(run_cached_text) for _ in range(repeats)]
    print(f"quiet hours: {count:,} distinct US numbers, random instants in 2026, seed 20261122")
    print(f"  allowed: {allowed / count:.1%} (the rest compute next_allowed and findings)")
    rows = (
        ("PhoneNumber passed in", statistics.median(parsed_times)),
        ("str, parse cache warm", statistics.median(text_times)),
        ("str, cold (parses each number once)", cold),
    )
    for name, seconds in rows:
        print(f"  {name:<38} {count / seconds:>10,.0f} checks/s  ({seconds / count * 1e6:.1f} us)")
    ratio = statistics.median(text_times) / statistics.median(parsed_times)
    print(f"  warm-cache str / PhoneNumber time ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
