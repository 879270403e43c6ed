"""``LintConfig`` is hashable, as every public frozen value is (fix31c).

Its ``severities`` is kept as a read-only mapping, which has no hash, so
``hash(LintConfig())`` raised TypeError and a config could not key a cache or sit in a set.
"""

from __future__ import annotations

import pickle

from smskit.content import LintConfig
from smskit.findings import Severity


def test_the_default_config_hashes() -> None:
    assert hash(LintConfig()) == hash(LintConfig())


def test_equal_configs_hash_equal_whatever_the_order_of_severities() -> None:
    warn = Severity.WARNING
    off = frozenset({"content.url_shortener"})
    a = LintConfig(severities={"content.empty": warn, "content.too_long": warn}, disabled=off)
    b = LintConfig(severities={"content.too_long": warn, "content.empty": warn}, disabled=off)
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1


def test_equality_repr_and_pickling_are_unchanged() -> None:
    a = LintConfig(severities={"content.empty": Severity.WARNING})
    assert a != LintConfig()
    assert "severities=mappingproxy({'content.empty'" in repr(a)
    copy = pickle.loads(pickle.dumps(a))
    assert copy == a
    assert hash(copy) == hash(a)
