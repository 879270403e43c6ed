"""Collection rules for the whole repository (tests/conftest.py holds the fixtures).

The doctests of ``src/smskit/frames`` import optional engines (pyarrow, Polars, DuckDB,
PySpark). Without one installed, its module is left out of collection, so a checkout with
only the ``test`` extra still runs; under ``SMSKIT_REQUIRE_SERVICES=1`` (CI) nothing is
left out, and a missing extra fails.
"""

from __future__ import annotations

import os
from importlib.util import find_spec

_ENGINES = {
    "arrow.py": "pyarrow",
    "polars.py": "polars",
    "duckdb.py": "duckdb",
    "spark.py": "pyspark",
}

collect_ignore: list[str] = []
if os.environ.get("SMSKIT_REQUIRE_SERVICES", "") != "1":
    for module, needs in _ENGINES.items():
        if find_spec(needs) is None or find_spec("pyarrow") is None:
            collect_ignore.append(f"src/smskit/frames/{module}")
