"""CI runs every ``benchmarks/bench_*.py`` with ``--quick`` (``.ci/run``): each must accept it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).parent.parent / "benchmarks").glob("bench_*.py"))


def _flags(path: Path) -> set[str]:
    """The option strings given to ``add_argument`` calls in the file."""
    flags = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"):
            flags.update(arg.value for arg in node.args
                         if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return flags


def test_benchmarks_are_found() -> None:
    assert len(BENCHMARKS) >= 5


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_takes_quick(path: Path) -> None:
    assert "--quick" in _flags(path)


def test_compare_only_naming_no_class_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # "--only names" matched no class ("ASCII + a name beyond Latin-1") and the compare
    # scripts then failed on an empty table; they stop with the classes instead.
    monkeypatch.syspath_prepend(str(BENCHMARKS[0].parent))
    from _compare import corpora_from_args

    with pytest.raises(SystemExit):
        corpora_from_args(["--before", ".", "--only", "names"], "", rounds=1, size=1, mix=1)
    assert "'names' is in no class" in capsys.readouterr().err
    _, corpora = corpora_from_args(
        ["--before", ".", "--only", "name"], "", rounds=1, size=1, mix=1
    )
    assert list(corpora) == ["ASCII + a name beyond Latin-1"]
