"""smskit's Twilio signature check gives the official SDK's verdict on every request.

Requests are generated (URL, form parameters with repeated values, JSON bodies),
signed correctly or not, and tampered with; twilio's ``RequestValidator`` and
:class:`TwilioSignatureVerifier` must agree each time. The documented
differences are left out: the SDK, given a raw body without ``bodySHA256`` in
the URL, signs the body's characters as parameter names, and given form
parameters for a URL with ``bodySHA256``, never checks the body; smskit refuses both.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.providers import TwilioSignatureVerifier, compute_twilio_signature

validator_module = pytest.importorskip("twilio.request_validator")
RequestValidator = validator_module.RequestValidator

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
names = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True))
    port = draw(st.one_of(st.none(), st.sampled_from([80, 443, 8080]), st.integers(1, 65535)))
    path = draw(st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,8}", fullmatch=True), max_size=3))
    query = draw(st.lists(st.tuples(names, text), max_size=3))
    netloc = host if port is None else f"{host}:{port}"
    url = f"{scheme}://{netloc}/" + "/".join(path)
    if query:
        url += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
    return url


class MultiDict:
    """Repeated form values, as Flask/Werkzeug hand them over (``getall``)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(dict.fromkeys(k for k, _ in self.pairs))

    def __len__(self) -> int:
        return len(dict.fromkeys(k for k, _ in self.pairs))

    def __getitem__(self, name: str) -> str:
        return next(v for k, v in self.pairs if k == name)

    def getall(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]


params_strategy = st.one_of(
    st.dictionaries(names, text, max_size=6),
    st.lists(st.tuples(names, text), max_size=8).map(MultiDict),
)
# SHA-256 shared keys reached the SDK in 9.13; with an older SDK only SHA-1 is compared
# (test_twilio_webhooks.py checks SHA-256 against hand-computed signatures either way).
SDK_HAS_SHA256 = hasattr(validator_module, "HMAC_SHA256")
algorithms = st.sampled_from(["HMAC_SHA1", "HMAC_SHA256"] if SDK_HAS_SHA256 else ["HMAC_SHA1"])
TOKEN = "auth-token-Ω"


def _toggle_port(url: str) -> str:
    parts = urlsplit(url)
    if parts.port is not None:
        return parts._replace(netloc=parts.hostname or "").geturl()
    default = 443 if parts.scheme == "https" else 80
    return parts._replace(netloc=f"{parts.netloc}:{default}").geturl()


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, object, str, str, str]:
    url = draw(urls())
    params = draw(params_strategy)
    algorithm = draw(algorithms)
    signature = compute_twilio_signature(url, params, TOKEN, algorithm)  # type: ignore[arg-type]
    tamper = draw(st.sampled_from(["none", "url", "param", "signature", "port", "random"]))
    if tamper == "url":
        url = url + draw(st.sampled_from(["x", "/", "?a=1", "&b="]))
    elif tamper == "param":
        extra = draw(names)
        params = {**{k: params[k] for k in params}, extra: draw(text)}  # type: ignore[index, union-attr]
    elif tamper == "signature":
        signature = signature[:-3] + draw(st.sampled_from(["AAA", "zz=", "+/="]))
    elif tamper == "port":  # the default port added, or the port removed
        url = _toggle_port(url)
    elif tamper == "random":
        signature = draw(st.text(max_size=40))
    return url, params, signature, algorithm, tamper


@given(requests())
def test_same_verdict_as_the_sdk(request: tuple[str, object, str, str, str]) -> None:
    url, params, signature, algorithm, tamper = request
    validator = RequestValidator(TOKEN)
    if SDK_HAS_SHA256:
        sdk = validator.validate(url, params, signature, algorithm=algorithm)
    else:
        sdk = validator.validate(url, params, signature)
    headers = {"X-Twilio-Signature": signature}
    if algorithm == "HMAC_SHA256":
        headers["X-Twilio-Webhooks-Signature-Settings"] = f"key=k1,algorithm={algorithm}"
    if algorithm == "HMAC_SHA256":  # the shared key's secret, never the Auth Token
        verifier = TwilioSignatureVerifier("not-this-one", shared_keys={"k1": TOKEN})
    else:
        verifier = TwilioSignatureVerifier(TOKEN)
    assert verifier.verify(url, params, headers) == sdk  # type: ignore[arg-type]
    if tamper == "none":  # keeps the comparison from passing by both always refusing
        assert sdk


@given(urls(), st.text(max_size=60), st.booleans(), st.booleans())
def test_json_bodies_same_verdict_as_the_sdk(
    url: str, body: str, tamper_body: bool, tamper_sig: bool
) -> None:
    import hashlib

    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    url = url + ("&" if "?" in url else "?") + "bodySHA256=" + digest
    signature = compute_twilio_signature(url, {}, TOKEN)
    if tamper_body:
        body += "x"
    if tamper_sig:
        signature = "A" + signature[1:] if not signature.startswith("A") else "B" + signature[1:]
    sdk = RequestValidator(TOKEN).validate(url, body, signature)
    ours = TwilioSignatureVerifier(TOKEN).verify(url, body, {"x-twilio-signature": signature})
    assert ours == sdk
    assert ours == (not tamper_body and not tamper_sig)
