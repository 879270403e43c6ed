"""Checked by ``mypy --strict``, never run: the MMS and content APIs as users call them."""

from __future__ import annotations

from pathlib import Path

from smskit.content import LintConfig, lint
from smskit.findings import Finding, Severity
from smskit.mms import (
    MediaInfo,
    MmsPolicy,
    MmsVerdict,
    OversizeAction,
    ShrinkTarget,
    fit_image,
    sniff_media,
)
from smskit.purpose import Purpose
from smskit.routes import Route


def send_photo(path: Path, text: str) -> list[bytes]:
    info: MediaInfo = sniff_media(path, declared_type="image/jpeg")
    policy = MmsPolicy(route=Route.TOLL_FREE, provider="twilio",
                       oversize_action=OversizeAction.SHRINK)
    verdict: MmsVerdict = policy.check([info], text=text)
    targets: tuple[ShrinkTarget, ...] = verdict.shrink_targets
    data = path.read_bytes()
    return [fit_image(data, t.max_bytes) for t in targets]


def without_location(data: bytes) -> bytes:
    # A photo that fits comes back without its GPS position; keep_metadata=True keeps it.
    cleaned: bytes = fit_image(data, len(data))
    return cleaned if cleaned else fit_image(data, len(data), keep_metadata=True)


def check_text(text: str) -> list[Finding]:
    config = LintConfig(severities={"content.opt_out_missing": Severity.BLOCK})
    return lint(text, purpose=Purpose.MARKETING, first_message=True, brand="Acme", config=config)
