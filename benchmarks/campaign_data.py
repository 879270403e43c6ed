"""Deterministic fake campaigns: the one in ``examples/`` and the large ones benchmarks use.

Every number is in a range reserved for fiction: NANP 555-0100..0199 (US, CA) and
Ofcom's London drama range 020 7946 0000..0999 (GB), so no real person is in the data.
Run ``python benchmarks/campaign_data.py examples/campaign.csv 320`` to rewrite the example.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

GSM_NAMES = (
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mia", "Lucas", "Sophia", "Mason",
    "Isabella", "Logan", "Harper", "James", "Amelia", "Benjamin", "Ella", "Henry", "Grace",
    "Jack", "Chloe", "Owen", "Lily", "Samuel", "Nora", "Daniel", "Zoe", "David", "Hannah",
    "Michael", "Aria", "Carlos", "Maria", "Luis", "Sofia", "Diego", "Ana", "Juan", "Priya",
    "Arjun", "Wei", "Mei", "Kenji", "Yuki", "Fatima", "Omar", "Aisha", "Tyrone", "Keisha",
    "Patrick", "Siobhan", "José", "Renée", "Andrés", "Chloé", "Jürgen", "Søren", "Åsa", "Björn",
    "Núria", "Ümit",
)  # fmt: skip
LONG_NAMES = (
    "Maximilian",
    "Christopher",
    "Alexandria",
    "Anastasia-Marie",
    "Jean-Christophe",
    "Guadalupe Esperanza",
    "Mary-Elizabeth",
)
NON_GSM_NAMES = (
    "Zoë", "Łukasz", "王芳", "Ana María", "Ramón", "Joaquín", "Zofia Wójcik", "Dương", "Chloë",
    "Mónica", "Siân", "Nguyễn", "Ольга", "Νίκος", "Kateřina",
)  # fmt: skip
US_AREA_CODES = ("212", "312", "415", "617", "206", "512", "303", "404", "713", "305", "702")
CA_AREA_CODES = ("416", "604", "514", "613")
TIMES = ("8:00 AM", "8:30 AM", "9:15 AM", "10:30 AM", "11:45 AM", "1:00 PM", "2:30 PM", "4:15 PM")


def make_rows(count: int, seed: int = 20261122) -> list[list[str]]:
    """``count`` rows of number, first_name, date, time (numbers may repeat past ~5,000)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.82:
            number = f"+1 ({rng.choice(US_AREA_CODES)}) 555-01{rng.randint(0, 99):02d}"
        elif draw < 0.93:
            number = f"+1 ({rng.choice(CA_AREA_CODES)}) 555-01{rng.randint(0, 99):02d}"
        else:
            number = f"+44 20 7946 0{rng.randint(0, 999):03d}"
        kind = rng.random()
        if kind < 0.08:
            name = rng.choice(NON_GSM_NAMES)
        elif kind < 0.16:
            name = rng.choice(LONG_NAMES)
        elif kind < 0.19:
            name = ""
        else:
            name = rng.choice(GSM_NAMES)
        date = f"2026-12-{rng.randint(1, 18):02d}"
        rows.append([number, name, date, rng.choice(TIMES)])
    return rows


def write_campaign(path: Path, count: int, seed: int = 20261122) -> None:
    """Write a campaign CSV with a header line."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["number", "first_name", "date", "time"])
        writer.writerows(make_rows(count, seed))


if __name__ == "__main__":
    write_campaign(Path(sys.argv[1]), int(sys.argv[2]))
