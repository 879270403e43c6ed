"""ConsentLedger(rules=...) takes the rules object, and says so when given a name."""

from __future__ import annotations

import pytest

from smskit.consent import CASL, ConsentLedger, MemoryStore
from smskit.errors import ConfigurationError
from smskit.policy import ConsentPolicy


@pytest.mark.parametrize("given", ["casl", "CASL", None, {"marketing": "express"}])
def test_a_name_or_other_value_for_rules_is_refused_with_the_fix(given: object) -> None:
    with pytest.raises(ConfigurationError) as error:
        ConsentLedger(MemoryStore(), rules=given)  # type: ignore[arg-type]
    assert error.value.field == "rules"
    assert "smskit.consent.CASL" in str(error.value)


def test_the_rules_object_is_kept() -> None:
    assert ConsentLedger(MemoryStore(), rules=CASL).rules is CASL


@pytest.mark.parametrize("rules", [{"CA": "casl"}, {"ca": CASL}, {"Canada": CASL}])
def test_consent_policy_refuses_rules_it_would_not_apply(rules: object) -> None:
    # {"ca": CASL} was kept and never matched: Canadian numbers fell to the US rules.
    with pytest.raises(ConfigurationError) as error:
        ConsentPolicy(MemoryStore(), rules=rules)  # type: ignore[arg-type]
    assert error.value.field == "rules"


def test_consent_policy_refuses_a_default_that_is_not_rules() -> None:
    with pytest.raises(ConfigurationError) as error:
        ConsentPolicy(MemoryStore(), default="us")  # type: ignore[arg-type]
    assert error.value.field == "default"


def test_consent_policy_keeps_a_valid_override() -> None:
    assert ConsentPolicy(MemoryStore(), rules={"CA": CASL}).rules["CA"] is CASL
