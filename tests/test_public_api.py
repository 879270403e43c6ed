"""The public API: __all__ is sorted, complete, and every name imports from smskit."""

from __future__ import annotations

import importlib
import pkgutil

import smskit


def test_all_is_sorted_and_unique() -> None:
    assert list(smskit.__all__) == sorted(set(smskit.__all__))


def test_every_name_in_all_exists() -> None:
    for name in smskit.__all__:
        assert hasattr(smskit, name), name


def test_every_public_module_name_is_reexported() -> None:
    missing = []
    for info in pkgutil.walk_packages(smskit.__path__, "smskit."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or leaf in {"cli", "testing"}:
            continue
        if info.name.startswith("smskit.frames"):
            continue  # optional extras (pyarrow, polars...), imported on demand
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            if not name.isupper() and name not in smskit.__all__:
                missing.append(f"{info.name}.{name}")
    assert missing == []


def test_audit_names_are_public() -> None:
    # feat28a: replay (known_at) and which rules decided (version, rule data fingerprint).
    import inspect
    from dataclasses import fields

    assert "rules_fingerprint" in smskit.__all__
    assert smskit.rules_fingerprint is smskit.policy.rules_fingerprint
    assert isinstance(smskit.__version__, str)
    for method in (smskit.CompliancePipeline.decide, smskit.CompliancePipeline.decide_many):
        parameter = inspect.signature(method).parameters["known_at"]
        assert parameter.kind is parameter.KEYWORD_ONLY
        assert parameter.default is None
    names = {f.name for f in fields(smskit.Decision)}
    assert {"known_at", "smskit_version", "rules_fingerprint"} <= names
    assert "known_at" in {f.name for f in fields(smskit.PolicyContext)}


def test_the_revoke_all_rule_docs_name_is_public() -> None:
    # docs/engine.md tells users to pass another `RevokeAllRule(..., zone=...)` and names
    # `consent.FCC_REVOKE_ALL`; both lived only in the private smskit.consent._rules.
    from smskit.consent import FCC_REVOKE_ALL, RevokeAllRule

    assert smskit.RevokeAllRule is RevokeAllRule
    assert FCC_REVOKE_ALL.effective.isoformat() == "2027-01-31"
