"""Rewrite tests/data/shipped_quiet_rules.json from the shipped rules.

Run after changing ``src/smskit/timing/_jurisdictions.py`` and review the diff: the
snapshot test fails until the data and the snapshot agree.

    python tools/regen_quiet_snapshot.py
"""

from __future__ import annotations

import json
from pathlib import Path

from smskit.timing.quiet_hours import SHIPPED_RULES
from smskit.timing.quiet_rules import rules_to_data

TARGET = Path(__file__).resolve().parent.parent / "tests" / "data" / "shipped_quiet_rules.json"


def main() -> None:
    """Write the snapshot."""
    text = json.dumps(rules_to_data(SHIPPED_RULES), indent=2, ensure_ascii=False) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
