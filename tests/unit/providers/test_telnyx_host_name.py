"""TelnyxProvider: a base_url host that no resolver can encode is refused when built.

``https://api..telnyx.com`` (a doubled dot) or a label past 63 characters passed the
constructor's checks, then every send raised the idna codec's bare ``UnicodeError``
from deep inside ``socket.getaddrinfo``: a traceback at send time, where the
constructor promises a ``ConfigurationError`` naming ``base_url``.
"""

from __future__ import annotations

import pytest

from smskit.errors import ConfigurationError
from smskit.providers import TelnyxProvider


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("api..telnyx.com", id="empty-label"),
        pytest.param("a" * 64 + ".telnyx.com", id="label-too-long"),
    ],
)
def test_a_host_the_resolver_cannot_encode_is_a_configuration_error(host: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider("KEY123", base_url=f"https://{host}", proxy=None)
    assert caught.value.field == "base_url"


@pytest.mark.parametrize(
    "host", ["api.telnyx.com", "api.telnyx.com.", "127.0.0.1", "[::1]", "t\u00e9lnyx.example"]
)
def test_hosts_a_resolver_takes_are_still_accepted(host: str) -> None:
    scheme = "http" if host in ("127.0.0.1", "[::1]") else "https"
    TelnyxProvider("KEY123", base_url=f"{scheme}://{host}", proxy=None)


def test_a_proxy_host_the_resolver_cannot_encode_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxProvider("KEY123", proxy="http://proxy..corp.example:3128")
    assert caught.value.field == "proxy"
