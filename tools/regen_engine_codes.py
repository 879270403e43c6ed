"""Rewrite the finding-code table of docs/engine.md from smskit.policy.FINDING_CODES.

Run after adding or changing a finding code and review the diff; the docs test fails
until the page and the data agree.

    python tools/regen_engine_codes.py
"""

from __future__ import annotations

from pathlib import Path

from smskit.policy._codes import codes_markdown

PAGE = Path(__file__).resolve().parent.parent / "docs" / "engine.md"
START, END = "<!-- finding-codes:start -->\n", "<!-- finding-codes:end -->"


def main() -> None:
    """Replace the text between the markers."""
    text = PAGE.read_text(encoding="utf-8")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    PAGE.write_text(head + START + codes_markdown() + END + tail, encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
