"""The layering in docs/architecture.md holds: no import from a lower layer to a higher one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "smskit"
TOP = {"__init__", "__main__"}


def _layers() -> dict[str, int]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```layers block"
    layers: dict[str, int] = {}
    for line in block.group(1).splitlines():
        level, _, names = line.partition(":")
        for name in names.split():
            layers[name] = int(level)
    return layers


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every smskit module `path` imports (absolute names), with its line number."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("smskit")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("smskit"):
                target = node.module
            else:
                continue
            if node.module is None:  # from . import a, b: each name may be a module
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def _owner(module: str) -> str | None:
    """The package or leaf a module belongs to; None for smskit itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] not in TOP else None


def violations(layers: dict[str, int]) -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        owner = _owner(_module_name(path))
        if owner is None:
            continue
        if owner not in layers:
            problems.append(f"{path.name}: package {owner!r} is not in docs/architecture.md")
            continue
        for line, target in _imports(path):
            other = _owner(target)
            if other is None or other == owner:
                continue
            if other not in layers:
                problems.append(f"{path}:{line}: imports unlisted {other!r}")
            elif layers[other] >= layers[owner]:
                problems.append(
                    f"{path.relative_to(ROOT)}:{line}: {owner} (layer {layers[owner]}) imports "
                    f"{target} ({other}, layer {layers[other]})"
                )
    return problems


def test_no_import_goes_up_or_sideways() -> None:
    assert violations(_layers()) == []


def test_a_back_edge_is_caught() -> None:
    # The checker itself can fail: move `segments` above `pricing` and pricing's imports of it
    # become back-edges.
    layers = _layers()
    layers["segments"] = layers["pricing"]
    problems = violations(layers)
    assert any("pricing" in p and "segments" in p for p in problems)


def test_every_package_is_listed() -> None:
    layers = _layers()
    on_disk = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in TOP} | {
        p.parent.name for p in PACKAGE.glob("*/__init__.py")
    }
    assert on_disk - layers.keys() == set()


def unmapped(page: str) -> list[str]:
    """Modules of src/smskit that the page's package table does not name: a package's
    modules in its own row (`| `pkg/` | ...`), a top-level module in any row."""
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in {"__init__.py", "__main__.py"}:
            continue
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1:
            found = any(f"`{path.name}`" in row for row in rows)
        else:
            row = next((r for r in rows if r.startswith(f"| `{relative.parts[0]}/`")), "")
            found = f"`{path.name}`" in row or f"`{relative.as_posix()}`" in row
        if not found:
            missing.append(str(relative))
    return missing


def test_every_module_is_in_the_package_table() -> None:
    # The module map is what a contributor reads to find where code lives; a module it
    # does not name (messenger/postgres_lock.py, policy/_audit.py) is one they cannot find.
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert unmapped(page) == []
