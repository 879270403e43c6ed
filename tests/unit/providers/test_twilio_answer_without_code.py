"""TwilioProvider: a refusal whose body names no Twilio code keeps no code.

twilio-python, given an error body without ``code`` (or one that is not JSON: a
proxy's or load balancer's page), puts the HTTP status in ``exc.code``
(``error_payload.get("code", response.status_code)``). smskit read that as Twilio's
code: a 401 was ``provider_code="401"``, category ``unknown`` (not ``account``), and
the message linked https://www.twilio.com/docs/api/errors/401, a page that is no
Twilio error code. Twilio's codes have five digits; an HTTP status is never one.
"""

from __future__ import annotations

import pytest

from fake_twilio_api import Action, FakeMessagesApi
from smskit.errors import ProviderRejectedError
from smskit.providers import ErrorCategory, OutboundMessage, RetryPolicy, TwilioProvider
from smskit.testing import FixedClock

from .conftest import NOW
from .test_twilio_provider import ACCOUNT, TOKEN

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")


def _provider(base_url: str) -> TwilioProvider:
    client = twilio_rest.Client(
        ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=0.5)
    )
    client.api.base_url = base_url
    return TwilioProvider(
        client, retry=RetryPolicy(attempts=1), sleep=lambda _s: None, clock=FixedClock(NOW)
    )


@pytest.mark.parametrize(
    ("status", "body", "category", "code"),
    [
        (401, "<html>Unauthorized</html>", ErrorCategory.ACCOUNT, None),
        (403, {"message": "Forbidden"}, ErrorCategory.ACCOUNT, None),
        (400, {"message": "Bad request"}, ErrorCategory.UNKNOWN, None),
        # Twilio: a 429 is 20429, "never processed and always safe to retry".
        (429, "<html>Too Many Requests</html>", ErrorCategory.RATE_LIMITED, "20429"),
    ],
)
def test_an_http_status_is_not_taken_for_a_twilio_code(
    fake_api: FakeMessagesApi,
    status: int,
    body: object,
    category: ErrorCategory,
    code: str | None,
) -> None:
    fake_api.post_script.append(Action(status=status, body=body, create=False))  # type: ignore[arg-type]
    with pytest.raises(ProviderRejectedError) as caught:
        _provider(fake_api.base_url).send(MSG)
    error = caught.value
    assert error.status == status
    assert error.provider_code == code
    assert error.category is category
    assert f"errors/{status}" not in str(error)
