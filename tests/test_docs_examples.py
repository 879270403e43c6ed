"""The examples in the docs pages are doctests: the page cannot drift from the code.

Every ```python fenced block that holds ``>>>`` lines is run with :mod:`doctest`.
The page's first such block holds its imports; each other block runs in a fresh
namespace where that first block has already run, so blocks do not depend on
each other's variables (a reader can copy any one of them after the imports).
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = (
    "segments.md",
    "keywords.md",
    "consent.md",
    "quiet-hours.md",
    "mms.md",
    "content.md",
    "pricing.md",
    "cli.md",
    "national-tables.md",
    "providers.md",
    "messenger.md",
    "index.md",
    "engine.md",
    "../README.md",
)

_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _blocks(page: str) -> list[tuple[int, str]]:
    """(first line number, text) of each python block with doctest prompts."""
    source = (DOCS / page).read_text(encoding="utf-8")
    return [
        (source.count("\n", 0, match.start(1)) + 1, match.group(1))
        for match in _FENCE.finditer(source)
        if re.search(r"^\s*>>> ", match.group(1), re.MULTILINE)
    ]


def _run(
    page: str, line: int, text: str, globs: dict[str, object]
) -> tuple[int, str, dict[str, object]]:
    """Run one block; return its failure count, the report, and its namespace afterwards."""
    # DocTest copies ``globs``, so the namespace after the run is read back from it.
    test = doctest.DocTestParser().get_doctest(text, globs, f"{page}:{line}", page, line - 1)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append, clear_globs=False)
    return runner.failures, "".join(report), test.globs


CASES = [(page, line, text) for page in PAGES for line, text in _blocks(page)]


def test_pages_have_examples() -> None:
    # Guards the extraction itself: a broken fence regex would otherwise pass vacuously.
    assert len(_blocks("segments.md")) >= 15


@pytest.mark.parametrize(
    ("page", "line", "text"), CASES, ids=[f"{page}:{line}" for page, line, _ in CASES]
)
def test_doc_example(page: str, line: int, text: str) -> None:
    globs: dict[str, object] = {}
    setup_line, setup = _blocks(page)[0]
    if line != setup_line:
        failures, report, globs = _run(page, setup_line, setup, globs)
        assert failures == 0, f"setup block of {page} failed:\n{report}"
    failures, report, _ = _run(page, line, text, globs)
    assert failures == 0, f"{page} line {line}:\n{report}"
