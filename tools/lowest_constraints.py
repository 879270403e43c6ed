"""Print a pip constraints file that pins every declared dependency to its floor.

CI installs smskit with these constraints in one job, so the floors in pyproject.toml are
proved, not hoped for:

    python tools/lowest_constraints.py images > lowest.txt
    pip install -c lowest.txt -e ".[test,images]"

Arguments name the extras whose floors are pinned too (the runtime dependencies always are).
Every pinned requirement must declare a ``>=`` floor; one without is an error.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([^;]*)")


def floors(extras: list[str]) -> list[str]:
    """``name==floor`` for the runtime dependencies and the named extras, in order."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        if extra not in project["optional-dependencies"]:
            raise SystemExit(f"unknown extra {extra!r}")
        requirements += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match is None:
            raise SystemExit(f"cannot read requirement {requirement!r}")
        name, _, specifiers = match.groups()
        if name.startswith("smskit"):
            continue  # an extra that names other extras
        floor = re.search(r">=\s*([^,\s]+)", specifiers)
        if floor is None:
            raise SystemExit(f"{requirement!r} declares no >= floor")
        pins[name.lower()] = floor.group(1)
    return [f"{name}=={version}" for name, version in pins.items()]


if __name__ == "__main__":
    print("\n".join(floors(sys.argv[1:])))
