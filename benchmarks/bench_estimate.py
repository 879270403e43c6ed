"""Throughput of ``smskit estimate`` on large campaigns (not collected by pytest).

    python benchmarks/bench_estimate.py            # 100,000 rows, median of 3 runs
    python benchmarks/bench_estimate.py --quick    # 10,000 rows, 1 run

Two cases: numbers repeated (the fictional 555-01xx ranges of the example, so
number parsing is mostly cached) and every number distinct (the realistic worst
case: one phonenumbers parse per row). Prints the median wall time of the real
command and rows per second, and an in-process split by phase.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import phonenumbers
from campaign_data import make_rows

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "examples" / "reminder.txt"
RATES = ROOT / "examples" / "rates.toml"


def distinct_numbers(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct valid NANP numbers (checked with phonenumbers itself)."""
    rng = random.Random(seed)
    area_codes = ("212", "312", "415", "617", "206", "512", "416", "604", "303", "404")
    seen: set[str] = set()
    while len(seen) < count:
        number = f"+1{rng.choice(area_codes)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if number not in seen and phonenumbers.is_valid_number(phonenumbers.parse(number)):
            seen.add(number)
    return sorted(seen, key=lambda _: rng.random())


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["number", "first_name", "date", "time"])
        writer.writerows(rows)


def time_command(campaign: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system) of the real command.

    CPU time is what to compare between runs on a shared machine; wall time is
    what a person waits on an idle one.
    """
    smskit = shutil.which("smskit", path=str(Path(sys.executable).parent))
    assert smskit, "install the package first: pip install -e ."
    args = [smskit, "estimate", str(campaign), "--template", str(TEMPLATE), "--rates", str(RATES)]
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def phases(campaign: Path) -> dict[str, float]:
    """CPU seconds per phase, in process (first run, cold caches)."""
    from smskit.numbers import region_of
    from smskit.pricing import RateCard, estimate
    from smskit.pricing.templates import Template, measure

    split: dict[str, float] = {}
    start = time.process_time()
    with campaign.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    split["read CSV"] = time.process_time() - start
    template = Template(TEMPLATE.read_text(encoding="utf-8").rstrip("\n"))
    start = time.process_time()
    texts = [template.render(row) for row in rows]
    split["render"] = time.process_time() - start
    start = time.process_time()
    measure(texts)
    split["count segments"] = time.process_time() - start
    start = time.process_time()
    for row in rows:
        region_of(row["number"])
    split["numbers' regions"] = time.process_time() - start
    card = RateCard.load(RATES)
    start = time.process_time()
    estimate(template, rates=card, recipients=rows)
    # region_of's cache holds 131,072 numbers: the numbers were just looked up, so
    # this phase measures pricing itself.
    split["estimate(), one process"] = time.process_time() - start
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 rows, one run")
    args = parser.parse_args()
    count, runs = (10_000, 1) if args.quick else (100_000, 3)
    with tempfile.TemporaryDirectory() as tmp:
        repeated = Path(tmp) / "repeated.csv"
        write(repeated, make_rows(count))
        distinct = Path(tmp) / "distinct.csv"
        rows = make_rows(count)
        for row, number in zip(rows, distinct_numbers(count), strict=True):
            row[0] = number
        write(distinct, rows)
        print(f"smskit estimate, {count:,} rows, median of {runs} run(s)")
        print(f"{'case':<20}{'wall s':>8}{'CPU s':>8}{'rows/CPU s':>12}")
        for name, path in (("repeated numbers", repeated), ("distinct numbers", distinct)):
            wall, cpu = time_command(path, runs)
            print(f"{name:<20}{wall:>8.2f}{cpu:>8.2f}{count / cpu:>12,.0f}")
        print("\nphases, distinct numbers, in process (CPU seconds)")
        for name, seconds in phases(distinct).items():
            print(f"  {name:<28}{seconds:>8.2f}")


if __name__ == "__main__":
    main()
