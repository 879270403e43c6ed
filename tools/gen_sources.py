"""Generate docs/sources.md: every shipped rule and fact with its status and source URLs.

    python tools/gen_sources.py          # rewrite docs/sources.md
    python tools/gen_sources.py --check  # exit 1 if the committed page is stale

The table is read from the data modules themselves, so the docs cannot cite what the code
does not ship; ``tests/test_sources.py`` checks the page is current and every source is a URL.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from smskit.consent import CASL, US
from smskit.consent._rules import FCC_REVOKE_ALL, SOURCE_STATUS
from smskit.content._data import NOT_SHORTENERS, RULES, SHORTENERS
from smskit.keywords._data import KEYWORDS
from smskit.mms._limits import CARRIER_LIMITS, PROVIDER_LIMITS, PROVIDERS
from smskit.providers._gateways import CARRIER_GATEWAYS
from smskit.providers._telnyx_codes import TELNYX_ERROR_CODES
from smskit.providers._twilio_codes import TWILIO_ERROR_CODES
from smskit.timing._jurisdictions import CAP_RULES, DEFAULT_ELSEWHERE, QUIET_HOURS_RULES

TARGET = Path(__file__).resolve().parents[1] / "docs" / "sources.md"

#: Hosts whose pages are primary sources for law: the statute or regulation as its
#: government publishes it, or the regulator's own page. A legal rule graded V must cite one.
PRIMARY_LAW_HOSTS = (
    "ecfr.gov",
    "govinfo.gov",
    "uscode.house.gov",
    "fcc.gov",
    "crtc.gc.ca",
    "laws-lois.justice.gc.ca",
    "flsenate.gov",
    "app.leg.wa.gov",
    "le.utah.gov",
    "oklegislature.gov",
    "mgaleg.maryland.gov",
    "cga.ct.gov",
    "capitol.texas.gov",
    "statutes.capitol.texas.gov",
    "olis.oregonlegislature.gov",
    "oregonlegislature.gov",
    "law.lis.virginia.gov",
    "lis.virginia.gov",
    "legis.la.gov",
    "legislature.mi.gov",
    "revisor.mo.gov",
    "sos.state.co.us",
)

STATUS = {
    "verified": "V",
    "secondary": "S",
    "unverified": "U",
    "conflicting": "C",
    "default": "default",
}


def urls(source: str) -> list[str]:
    """The URLs in a ``" ; "``-separated source field; other text is kept as written."""
    return [part.strip() for part in source.split(";") if part.strip()]


def is_primary_law(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in PRIMARY_LAW_HOSTS)


def _status(value: object) -> str:
    text = str(getattr(value, "value", value))
    return STATUS.get(text, text)


def _links(sources: Iterable[str]) -> str:
    out = []
    for source in sources:
        for part in urls(source):
            out.append(f"<{part}>" if part.startswith("https://") else part)
    return "<br>".join(dict.fromkeys(out))


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def _quiet_hours() -> Iterator[str]:
    yield "## Quiet hours and frequency caps"
    yield ""
    yield "| rule | jurisdiction | effective | status | sources |"
    yield "| --- | --- | --- | --- | --- |"
    for rule in (*QUIET_HOURS_RULES, DEFAULT_ELSEWHERE, *CAP_RULES):
        effective = rule.effective.isoformat() if rule.effective else "—"
        yield _row(
            f"`{rule.code}`", rule.jurisdiction, effective, _status(rule.status),
            _links([rule.source]),
        )


def _consent() -> Iterator[str]:
    yield "## Consent"
    yield ""
    yield ("Status: the reference's mark the code records for the source "
           "(`SOURCE_STATUS`; V/S counts as S); a source without one is V where it is the "
           "law or the regulator's page, else S. Implied-consent periods are S. CASL "
           "`transactional` is exempt from consent (s.6(6)); asking for a recorded "
           "relationship all the same is a default.")
    yield ""
    yield "| rule | jurisdiction | effective | status | sources |"
    yield "| --- | --- | --- | --- | --- |"
    for rules, place in ((US, "US"), (CASL, "CA")):
        for purpose, source in rules.sources.items():
            mark = SOURCE_STATUS.get(source)
            if mark is not None:
                status = "V" if mark == "verified" else "S"
            else:
                status = "V" if any(is_primary_law(u) for u in urls(source)) else "S"
            yield _row(
                f"`consent.{rules.name}.{purpose.value}`", place, "—", status, _links([source])
            )
    yield _row(
        "`opt_out.revoke_all`", "US",
        f"{FCC_REVOKE_ALL.effective.isoformat()} (from "
        f"{FCC_REVOKE_ALL.starts:%Y-%m-%d %H:%M} UTC: 00:00 {FCC_REVOKE_ALL.zone})",
        _status(FCC_REVOKE_ALL.status), _links([FCC_REVOKE_ALL.source]),
    )


def _keywords() -> Iterator[str]:
    yield "## Reply keywords"
    yield ""
    yield "V: documented by the provider or regulator cited; U: a labelled default."
    yield ""
    yield "| keyword | kind | language | status | sources |"
    yield "| --- | --- | --- | --- | --- |"
    for word in KEYWORDS:
        yield _row(
            f"`{word.word}`", word.kind, word.language, "V" if word.documented else "U",
            _links(word.sources),
        )


def _mms() -> Iterator[str]:
    yield "## MMS limits"
    yield ""
    yield "| limit | applies to | status | sources |"
    yield "| --- | --- | --- | --- |"
    for limit in (*CARRIER_LIMITS, *PROVIDER_LIMITS):
        where = ", ".join(
            str(v) for v in (limit.route, limit.carrier, limit.provider) if v is not None
        )
        what = f"{limit.max_bytes:,} bytes per {limit.scope}, {limit.media}"
        yield _row(what, where or "every route", limit.status, _links([limit.source]))
    for profile in PROVIDERS.values():
        yield _row(
            f"{profile.name}: media profile", profile.name, profile.status,
            _links([profile.source]),
        )


def _content() -> Iterator[str]:
    yield "## Content rules"
    yield ""
    yield "| rule | status | sources |"
    yield "| --- | --- | --- |"
    for rule in RULES.values():
        yield _row(f"`{rule.code}`", rule.status, _links([rule.source]))
    by_source: dict[tuple[str, str], list[str]] = {}
    for shortener in SHORTENERS.values():
        by_source.setdefault((shortener.source, shortener.status), []).append(shortener.domain)
    for (source, status), domains in by_source.items():
        yield _row(f"URL shorteners: {', '.join(sorted(domains))}", status, _links([source]))
    for host, source in NOT_SHORTENERS.items():
        yield _row(f"not a shared shortener: {host}", "U", _links([source]))


def _providers() -> Iterator[str]:
    yield "## Provider error codes and email gateways"
    yield ""
    yield "| fact | category or date | status | sources |"
    yield "| --- | --- | --- | --- |"
    for code in TWILIO_ERROR_CODES.values():
        yield _row(
            f"Twilio {code.code}: {code.title}", code.category.value, code.status,
            _links([code.source]),
        )
    for telnyx in TELNYX_ERROR_CODES.values():
        yield _row(
            f"Telnyx {telnyx.code}: {telnyx.title}", telnyx.category.value, telnyx.status,
            _links([telnyx.source]),
        )
    for gateway in CARRIER_GATEWAYS:
        when = gateway.closes_on.isoformat() if gateway.closes_on else "open"
        yield _row(
            f"{gateway.carrier} {gateway.kind} gateway `{gateway.domain}`", f"closes {when}",
            gateway.status, _links([gateway.source]),
        )


def render() -> str:
    lines = [
        "# Sources",
        "",
        "Every rule and fact smskit ships, with its status and the pages it comes from.",
        "Generated from the data modules by `tools/gen_sources.py`; do not edit by hand.",
        "",
        "Status: **V** verified (for law: the statute or regulation as its government publishes",
        "it, or the regulator's own page; for a provider's behaviour: that provider's own",
        "documentation), **S** secondary (a law firm, vendor or news page reporting it),",
        "**U** unverified and **C** conflicting (shipped as labelled, switchable defaults),",
        "**default** (smskit's own configurable choice, not law).",
        "",
    ]
    for section in (_quiet_hours, _consent, _keywords, _mms, _content, _providers):
        lines += [*section(), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
