"""Campaign costing on data-frame engines against ``count_many`` (not collected by pytest).

    python benchmarks/bench_dataframes.py            # 1,000,000 and 10,000,000 messages
    python benchmarks/bench_dataframes.py --quick    # 10,000 and 50,000 (CI)
    python benchmarks/bench_dataframes.py --sizes 1000000 --no-spark

For each size N, in one process, the same N messages go through:

- ``count_many``: the baseline (segments only, a Python list in, a list out);
- ``kernel``: ``smskit.frames.arrow.measure`` on Arrow arrays (encoding, segments, units);
- ``kernel+cost``: the same with a rate card and a country column (exact decimals);
- ``polars``: ``sms_columns`` in ``DataFrame.select``;
- ``duckdb``: ``select sum(sms_segments(body)) from campaign`` (an Arrow UDF);
- ``spark``: ``with_sms_columns`` (``mapInArrow``) then ``sum(segments)``, local mode.

The texts are the seeded corpus of ``bench_segments.py`` (100,000 distinct messages,
repeated). The in-process engines take them in blocks of 1,000,000 rows, as an engine
streams a large table, so memory stays near one block; Spark generates its N rows in
the JVM from the corpus and sends them to its Python worker. Every engine's segment
total must equal ``count_many``'s. Prints the median of ``--repeats`` rounds (one round
above 1,000,000 messages; Spark: one job per size, after a warm-up of the session) as
rows per second and as a ratio: how many times slower than ``count_many``. Rounds
interleave the engines so that a shared machine's busy spells hit them alike.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from bench_segments import corpus

from smskit import count_many
from smskit.pricing import RateCard

ENGINES = ("kernel", "kernel+cost", "polars", "duckdb", "spark")
DISTINCT = 100_000
BLOCK = 1_000_000
CARD = RateCard.from_dict(
    {
        "currency": "USD",
        "countries": {
            "US": {"10dlc": {"sms_per_segment": "0.0079", "sms_carrier_fee_per_segment": "0.003"}},
            "*": {"international": {"sms_per_segment": "0.05"}},
        },
    }
)


def _timed(func: Callable[[], int]) -> tuple[float, int]:
    """Seconds of one run and its result (garbage collector off, as timeit does)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = func()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def _blocks(size: int) -> list[int]:
    full, rest = divmod(size, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def run(
    sizes: Sequence[int], repeats: int, spark_cores: int, engines: Sequence[str]
) -> None:
    import duckdb
    import polars as pl
    import pyarrow as pa

    from smskit.frames.arrow import measure
    from smskit.frames.duckdb import register
    from smskit.frames.polars import sms_columns

    texts = corpus(DISTINCT)
    block_rows = min(max(sizes), BLOCK)
    block = [texts[i % DISTINCT] for i in range(block_rows)]
    countries = ["US" if i % 10 else "FR" for i in range(block_rows)]
    arrays = pa.array(block, pa.string())
    table = pa.table({"body": arrays, "cc": countries})
    frame = pl.from_arrow(table)
    con = duckdb.connect()
    register(con, rates=CARD)
    spark = _spark(spark_cores) if "spark" in engines else None
    if spark is not None:
        _spark_sum(spark, texts[:1000], 1000)  # warm-up: JVM code paths, Python worker

    for size in sizes:
        blocks = _blocks(size)

        def baseline(blocks: list[int] = blocks) -> int:
            return sum(sum(count_many(block[:n])) for n in blocks)

        def kernel(blocks: list[int] = blocks) -> int:
            return sum(_sum(measure(arrays.slice(0, n)).column("segments")) for n in blocks)

        def kernel_cost(blocks: list[int] = blocks) -> int:
            return sum(
                _sum(
                    measure(table.slice(0, n), text="body", rates=CARD, country="cc").column(
                        "segments"
                    )
                )
                for n in blocks
            )

        def polars(blocks: list[int] = blocks) -> int:
            segments = sms_columns("body").struct.field("segments").sum()
            return sum(int(frame.head(n).select(segments).item()) for n in blocks)

        def duck(blocks: list[int] = blocks) -> int:
            return sum(_duckdb_sum(con, table.slice(0, n)) for n in blocks)

        def on_spark(size: int = size) -> int:
            return _spark_sum(spark, texts, size)

        cases: dict[str, Callable[[], int]] = {
            "count_many": baseline,
            "kernel": kernel,
            "kernel+cost": kernel_cost,
            "polars": polars,
            "duckdb": duck,
        }
        if spark is not None:
            cases["spark"] = on_spark
        cases = {k: v for k, v in cases.items() if k == "count_many" or k in engines}
        # Rounds interleave the engines, so a busy spell on a shared machine slows all
        # of them alike instead of whichever happened to be running.
        rounds = 1 if size > BLOCK else repeats
        runs: dict[str, list[float]] = {name: [] for name in cases}
        results: dict[str, tuple[float, int]] = {}
        for _ in range(rounds):
            for name, func in cases.items():
                if name == "spark" and runs[name]:
                    continue  # one Spark job per size: each is long
                seconds, total = _timed(func)
                runs[name].append(seconds)
                results[name] = (statistics.median(runs[name]), total)
                print(f"  {size:>11,} {name:<12} {size / seconds:>12,.0f} rows/s", flush=True)
        baseline, expected = results["count_many"]
        print(f"\n{size:,} messages: rows/s (median of {rounds}), x slower than count_many")
        for name, (seconds, total) in results.items():
            if total != expected:
                raise SystemExit(f"{name}: {total} segments, count_many {expected}")
            print(f"  {name:<12} {size / seconds:>12,.0f}   {seconds / baseline:6.2f}x")
        print(flush=True)
    if spark is not None:
        spark.stop()


def _sum(column: Any) -> int:
    import pyarrow.compute as pc

    return int(pc.sum(column).as_py() or 0)


def _duckdb_sum(con: Any, table: Any) -> int:
    con.register("campaign", table)
    [(total,)] = con.sql("select sum(sms_segments(body)) from campaign").fetchall()
    con.unregister("campaign")
    return int(total)


def _spark(cores: int) -> Any:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    start = time.perf_counter()
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("bench_dataframes")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    print(f"spark local[{cores}] started in {time.perf_counter() - start:.1f} s", flush=True)
    return session


def _spark_sum(spark: Any, texts: list[str], size: int) -> int:
    from pyspark.sql import functions as f

    from smskit.frames.spark import with_sms_columns

    bodies = spark.createDataFrame(list(enumerate(texts)), "k long, body string")
    rows = spark.range(size).select((f.col("id") % len(texts)).alias("k"))
    campaign = rows.join(f.broadcast(bodies), "k").select("body")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark 4 about pandas 3
        out = with_sms_columns(campaign, text="body")
    return int(out.agg(f.sum("segments")).collect()[0][0])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 and 50,000 rows (CI)")
    parser.add_argument("--sizes", type=int, nargs="+", help="message counts to run")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--spark-cores", type=int, default=None)
    parser.add_argument("--no-spark", action="store_true", help="skip Spark (no Java here)")
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help=f"comma-separated subset of {','.join(ENGINES)} (count_many always runs)",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000, 50_000] if args.quick else [1_000_000, 10_000_000])
    repeats = args.repeats or (2 if args.quick else 3)
    cores = args.spark_cores or (1 if args.quick else min(os.cpu_count() or 1, 2))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; sizes {sizes}")
    engines = [e for e in args.engines.split(",") if e and not (e == "spark" and args.no_spark)]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(unknown)}")
    run(sizes, repeats, cores, engines)


if __name__ == "__main__":
    main()
