"""The project carries its own sources: every rule cites URLs, graded by what they are."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from smskit.consent import CASL, US
from smskit.timing._jurisdictions import CAP_RULES, DEFAULT_ELSEWHERE, QUIET_HOURS_RULES
from smskit.timing.quiet_rules import CapRule, QuietHoursRule, RuleStatus

ROOT = Path(__file__).resolve().parents[1]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_sources", ROOT / "tools/gen_sources.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
LAW = [*QUIET_HOURS_RULES, *CAP_RULES]


def test_sources_page_is_current() -> None:
    assert (ROOT / "docs/sources.md").read_text(encoding="utf-8") == TOOL.render(), (
        "docs/sources.md is stale: run python tools/gen_sources.py"
    )


@pytest.mark.parametrize("rule", LAW, ids=lambda r: r.code)
def test_every_source_of_a_law_rule_is_an_https_url(rule: QuietHoursRule | CapRule) -> None:
    for part in TOOL.urls(rule.source):
        assert part.startswith("https://"), part


@pytest.mark.parametrize("rule", LAW, ids=lambda r: r.code)
def test_a_verified_law_rule_cites_the_law_or_the_regulator(rule: QuietHoursRule | CapRule) -> None:
    if rule.status is RuleStatus.VERIFIED:
        assert any(TOOL.is_primary_law(u) for u in TOOL.urls(rule.source)), (
            f"{rule.code} is graded V but cites only secondary pages: grade it S "
            "or cite the statute, the regulation or the regulator"
        )


def test_the_default_rule_says_it_is_not_law() -> None:
    assert DEFAULT_ELSEWHERE.status is RuleStatus.DEFAULT


def test_consent_sources_are_urls() -> None:
    for rules in (US, CASL):
        for source in rules.sources.values():
            assert all(u.startswith("https://") for u in TOOL.urls(source)), source


def test_the_primary_classifier_tells_law_from_commentary() -> None:
    assert TOOL.is_primary_law("https://www.ecfr.gov/current/title-47/section-64.1200")
    assert TOOL.is_primary_law("https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040")
    assert not TOOL.is_primary_law("https://www.kelleydrye.com/viewpoints/x")
    assert not TOOL.is_primary_law("https://ecfr.gov.example.com/x")


# "reference/" is the shared notes' folder; a web page under ".../api-reference/" (Telnyx's
# API reference) is no file of ours, so a hyphen before it does not count.
_OUTSIDE_FILES = re.compile(
    r"\b(DESIGN\.md|STYLE\.md|compliance_facts|providers_scale_2026)|(?<![\w-])reference/"
)


def test_the_outside_file_pattern_tells_notes_from_web_pages() -> None:
    assert _OUTSIDE_FILES.search("see /work/shared/reference/x.md")
    assert _OUTSIDE_FILES.search("reference/providers.md")
    assert not _OUTSIDE_FILES.search("https://developers.telnyx.com/api-reference/messages")


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT)
        for pattern in ("docs/*.md", "README.md", "src/**/*.py", "tests/**/*.py", "examples/*")
        for p in ROOT.glob(pattern)
        if p.name != "test_sources.py"
    ),
    ids=str,
)
def test_nothing_cites_a_file_outside_the_repository(path: Path) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert _OUTSIDE_FILES.findall(text) == [], f"{path} cites a file that is not in the repository"
