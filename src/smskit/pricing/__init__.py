"""Money: rate cards and currencies, message templates, and the cost of one
message or a whole campaign (:func:`estimate`). Amounts are always ``Decimal``.
"""

from __future__ import annotations

from .campaign import (
    ANY_COUNTRY,
    Bundle,
    CostLine,
    Direction,
    Estimate,
    MessageCost,
    MessageKind,
    Rate,
    RateCard,
    RouteRates,
    RowProblem,
    estimate,
    minor_units,
)
from .templates import (
    Alphabet,
    CampaignReport,
    IssueKind,
    Placeholder,
    RowIssue,
    SegmentBounds,
    Template,
    escape_template,
)

__all__ = [
    "ANY_COUNTRY",
    "Alphabet",
    "Bundle",
    "CampaignReport",
    "CostLine",
    "Direction",
    "Estimate",
    "IssueKind",
    "MessageCost",
    "MessageKind",
    "Placeholder",
    "Rate",
    "RateCard",
    "RouteRates",
    "RowIssue",
    "RowProblem",
    "SegmentBounds",
    "Template",
    "escape_template",
    "estimate",
    "minor_units",
]
