"""Every finding code a decision of the built-in policies can carry, with its usual
severity and source: the engine's own codes and those of the checks it wraps. The
table in ``docs/engine.md`` is generated from :data:`FINDING_CODES` (and a test keeps
them equal: ``python tools/regen_engine_codes.py`` rewrites it)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ..consent._rules import CASL_GUIDE, CASL_S6_6, CTIA_TYPES, FCC_REVOCATION, TCPA_PEWC
from ..content._data import RULES as CONTENT_RULES
from ..findings import Severity
from ..mms.policy import MMS_FINDING_CODES
from ..timing._windows import CLOSED_DAY, OUTSIDE_WINDOW
from ..timing.caps import CAP_EXCEEDED
from ..timing.quiet_hours import ALLOWED, NO_WINDOW, PROHIBITED, SENDER_WINDOW, ZONE_UNKNOWN
from .builtin import POLICY_FINDING_CODES, CodeInfo

__all__ = ["FINDING_CODES", "codes_markdown"]

_RULE_SOURCE = "the rule's own source (docs/quiet-hours.md lists each with its URL)"
_STATUS = {"V": "verified", "S": "secondary", "U": "unverified", "C": "conflicting"}
_MMS_SOURCE = "the limit's own source (docs/mms.md lists each with its URL)"

_WRAPPED: dict[str, CodeInfo] = {
    "consent.granted": CodeInfo(Severity.INFO,
                                f"{TCPA_PEWC} ; {CTIA_TYPES} ; {CASL_GUIDE} ; {CASL_S6_6}",
                                "secondary", "live consent of a kind the purpose accepts "
                                "(CASL: a transactional text needs none, s.6(6), so a "
                                "lapsed implied consent still allows it)"),
    "consent.exempt": CodeInfo(Severity.INFO, CASL_S6_6, "secondary",
                               "nothing recorded, and the purpose needs no consent (CASL "
                               "s.6(6): transactional) with ConsentRules.exempt_needs_record "
                               "off; never marketing"),
    "consent.pending": CodeInfo(Severity.BLOCK, CTIA_TYPES, "secondary",
                                "double opt-in requested, not confirmed"),
    "consent.revoked": CodeInfo(Severity.BLOCK, FCC_REVOCATION, "verified",
                                "consent was revoked"),
    "consent.expired": CodeInfo(Severity.BLOCK, CASL_GUIDE, "secondary",
                                "implied consent expired (CASL: 2 years after a purchase, "
                                "6 months after an inquiry; V/S in the reference)"),
    "consent.insufficient": CodeInfo(Severity.BLOCK, TCPA_PEWC, "secondary",
                                     "consent of a kind the purpose does not accept"),
    "consent.missing": CodeInfo(Severity.BLOCK, f"{TCPA_PEWC} ; {CTIA_TYPES}", "secondary",
                                "no consent recorded"),
    ALLOWED: CodeInfo(Severity.INFO, _RULE_SOURCE, "per rule",
                      "inside every quiet-hours window in force: the rules, their sources, "
                      "the local time in each zone, and any rule not yet in force"),
    OUTSIDE_WINDOW: CodeInfo(Severity.DEFER, _RULE_SOURCE, "per rule",
                             "outside the allowed hours; deferred to the next allowed instant"),
    CLOSED_DAY: CodeInfo(Severity.DEFER, _RULE_SOURCE, "per rule",
                         "a closed day (Sunday, a holiday); deferred"),
    SENDER_WINDOW: CodeInfo(Severity.DEFER, "sender configuration (QuietHours.sender_windows)",
                            "policy", "outside the business's own sending window"),
    PROHIBITED: CodeInfo(Severity.BLOCK, _RULE_SOURCE, "per rule",
                         "a jurisdiction prohibits the message outright"),
    NO_WINDOW: CodeInfo(Severity.BLOCK, "smskit", "", "no allowed instant within 35 days"),
    ZONE_UNKNOWN: CodeInfo(Severity.DEFER, "smskit", "",
                           "the recipient's zone is unknown (a deferral without a time "
                           "blocks)"),
    CAP_EXCEEDED: CodeInfo(Severity.DEFER, "the cap's own source (docs/quiet-hours.md)",
                           "per rule", "a frequency cap is reached; deferred until one fits"),
}

#: Every code, sorted: its usual severity, source, status and meaning.
FINDING_CODES: Final[Mapping[str, CodeInfo]] = MappingProxyType(dict(sorted({
    **POLICY_FINDING_CODES,
    **_WRAPPED,
    **{code: CodeInfo(rule.severity, rule.source, _STATUS.get(rule.status, rule.status),
                      rule.summary) for code, rule in CONTENT_RULES.items()},
    **{code: CodeInfo(severity, _MMS_SOURCE, "per limit", code.removeprefix("mms.")
                      .replace("_", " ")) for code, severity in MMS_FINDING_CODES.items()
       if code not in POLICY_FINDING_CODES},
}.items())))


def codes_markdown() -> str:
    """The table of :data:`FINDING_CODES` as Markdown (for docs/engine.md)."""
    lines = ["| Code | Severity | Meaning | Status | Source |", "|---|---|---|---|---|"]
    for code, info in FINDING_CODES.items():
        sources = " ; ".join(
            f"<{part.strip()}>" if part.strip().startswith("http") else part.strip()
            for part in info.source.split(" ; ")
        )
        lines.append(f"| `{code}` | {info.severity.value} | {info.meaning} | "
                     f"{info.status or '—'} | {sources} |")
    return "\n".join(lines) + "\n"
