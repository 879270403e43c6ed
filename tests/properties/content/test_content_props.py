"""Hypothesis: lint never crashes, reports only known codes, and obeys its switches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smskit.content.checks import (
    _RESTRICTED,
    CONTENT_FINDING_CODES,
    LintConfig,
    extract_hosts,
    lint,
)
from smskit.purpose import Purpose

_ALL_OFF = LintConfig(disabled=frozenset(CONTENT_FINDING_CODES))
_PATH = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=12)
_PIECES = [
    *"abc .:/@{}%$|[]’—🙂é-s", "bit.ly", "http://", "STOP", "Acme", "wine", "GUN", "vape",
    "juice", "e-cig", "payday", "loan", "delta", "8", "Sussex",
]
_texts = st.text(max_size=400) | st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@given(_texts, st.sampled_from(list(Purpose)), st.booleans(), st.booleans())
def test_lint_never_crashes_and_uses_known_codes(
    text: str, purpose: Purpose, first: bool, has_media: bool
) -> None:
    findings = lint(text, purpose=purpose, first_message=first, brand="Acme",
                    segments_limit=3, has_media=has_media)
    for finding in findings:
        assert finding.code in CONTENT_FINDING_CODES
        assert finding.source
        assert finding.message
    assert lint(text, purpose=purpose, first_message=first, config=_ALL_OFF) == []


@given(_texts)
def test_extract_hosts_never_crashes_and_hosts_are_lowercase(text: str) -> None:
    for url, host in extract_hosts(text):
        assert url.strip() == url
        assert host == host.lower()


@given(st.sampled_from(["bit.ly", "tinyurl.com", "t.co", "is.gd"]), _PATH,
       st.sampled_from(["", "https://", "http://www."]), st.sampled_from(["", ".", "!", ")"]))
def test_shortener_links_are_always_found(domain: str, path: str, scheme: str, end: str) -> None:
    text = f"Offer ends soon ({scheme}{domain}/{path}{end}"
    codes = [f.code for f in lint(text, purpose="informational", first_message=False)]
    assert "content.url_shortener" in codes


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), _PATH)
def test_a_longer_label_is_a_different_domain(prefix: str, path: str) -> None:
    text = f"Visit {prefix}bit.ly/{path} today"
    codes = [f.code for f in lint(text, purpose="informational", first_message=False)]
    assert "content.url_shortener" not in codes


@given(_texts)
def test_restricted_prefilter_matches_running_every_pattern(text: str) -> None:
    """The first-word prefilter never hides a match the full patterns would find."""
    expected = {}
    for code, _, pattern in _RESTRICTED:
        words = tuple(dict.fromkeys(" ".join(m.group().casefold().split())
                                   for m in pattern.finditer(text)))
        if words:
            expected[code] = words
    found = {f.code: f.details["words"] for f in lint(text, purpose="informational",
                                                     first_message=False)
             if f.code.startswith("content.restricted.")}
    assert found == expected
