"""The compliance engine: one call that says allow, defer until T, or block, with
cited findings, for one message (:meth:`CompliancePipeline.decide`) or a whole
campaign (:meth:`CompliancePipeline.decide_many`).
"""

from __future__ import annotations

from ..consent.sender import Registration, Requirement, SenderProfile, ServiceLevel
from ._audit import rules_fingerprint
from ._codes import FINDING_CODES
from .builtin import (
    POLICY_FINDING_CODES,
    CodeInfo,
    ConfirmationPolicy,
    ConsentPolicy,
    ContentPolicy,
    FrequencyCapPolicy,
    LengthPolicy,
    MediaPolicy,
    NumberPolicy,
    OptOutPolicy,
    QuietHoursPolicy,
    RegistrationPolicy,
    default_policies,
)
from .model import Decision, Policy, PolicyContext, SendRequest, Verdict
from .pipeline import CampaignDecisions, CompliancePipeline, prepare_body

__all__ = [
    "FINDING_CODES",
    "POLICY_FINDING_CODES",
    "CampaignDecisions",
    "CodeInfo",
    "CompliancePipeline",
    "ConfirmationPolicy",
    "ConsentPolicy",
    "ContentPolicy",
    "Decision",
    "FrequencyCapPolicy",
    "LengthPolicy",
    "MediaPolicy",
    "NumberPolicy",
    "OptOutPolicy",
    "Policy",
    "PolicyContext",
    "QuietHoursPolicy",
    "Registration",
    "RegistrationPolicy",
    "Requirement",
    "SendRequest",
    "SenderProfile",
    "ServiceLevel",
    "Verdict",
    "default_policies",
    "prepare_body",
    "rules_fingerprint",
]
