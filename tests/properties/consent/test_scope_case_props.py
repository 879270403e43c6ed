"""Properties of case-insensitive consent scopes (user29: a STOP under "Sunrise" missed
a grant under "sunrise").

The oracle is Unicode's canonical caseless match (D145: NFD, full case folding, NFD),
written here with the standard library, not smskit's own key.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smskit.consent import (
    ConsentLedger,
    ConsentScope,
    ConsentState,
    ConsentStore,
    Evidence,
    MemoryStore,
    SQLiteStore,
)
from smskit.errors import ConsentError

T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
N = "+14155550123"
_DEFAULT = settings.default
assert _DEFAULT is not None
FEW = settings(_DEFAULT, max_examples=max(10, _DEFAULT.max_examples // 5), deadline=None)

# Letters whose case mappings are not one to one: German ß and ẞ (fold to "ss"),
# Turkish dotted İ (folds to i + U+0307) and dotless ı (folds to itself), the long
# s ſ (folds to s), the Kelvin sign K (folds to k), Greek final sigma ς (folds to σ),
# and é both precomposed and decomposed.
_LETTERS = "aAsSßẞiIİıſkKKσΣςé\u00c9e\u0301-"
_PARTS = st.text(alphabet=_LETTERS, min_size=1, max_size=6).filter(
    lambda p: p == p.strip() and not unicodedata.combining(p[0]))
_CASINGS: list[Callable[[str], str]] = [
    str.upper, str.lower, str.casefold, str.swapcase, str.title, str.capitalize]


def _caseless(text: str) -> str:
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


def _scope(parts: list[str]) -> str:
    return "/".join(parts)


def _recased(parts: list[str], casings: list[Callable[[str], str]]) -> list[str]:
    out = [casing(part) for part, casing in zip(parts, casings, strict=False)]
    return out + parts[len(out):]


def _grant(ledger: ConsentLedger, scope: str) -> None:
    ledger.grant(N, scope=scope, purposes="informational", kind="express", source="api",
                 at=T0, evidence=Evidence(actor="crm"))


def _each_store(check: Callable[[ConsentStore], None]) -> None:
    check(MemoryStore())
    with (tempfile.TemporaryDirectory() as directory,
          SQLiteStore(Path(directory) / "l.db", durable=False) as store):
        check(store)


@FEW
@given(st.lists(_PARTS, min_size=1, max_size=3),
       st.lists(st.sampled_from(_CASINGS), min_size=1, max_size=3),
       st.integers(0, 2), st.booleans())
def test_a_revocation_in_any_case_blocks_grants_in_any_other_case(
    parts: list[str], casings: list[Callable[[str], str]], cut: int, by_reply: bool,
) -> None:
    """Revoked under a recasing of the grant's scope (or of a scope above it), the
    grant no longer allows a send, asked in either case."""
    other = _recased(parts, casings)
    assume(all(_caseless(a) == _caseless(b) for a, b in zip(parts, other, strict=True)))
    try:
        ConsentScope.parse(_scope(other))
    except ConsentError:
        assume(False)  # a recasing that is no scope part (none seen; kept honest)
    revoked_at = other[:max(1, len(other) - cut)]

    def check(store: ConsentStore) -> None:
        ledger = ConsentLedger(store)
        _grant(ledger, _scope(parts))
        at = T0 + timedelta(days=1)
        if by_reply:
            ledger.handle_reply(N, "STOP", scope=_scope(revoked_at), at=at)
        else:
            ledger.revoke(N, scope=_scope(revoked_at), at=at)
        for asked in (parts, other):
            status = ledger.status(N, "informational", scope=_scope(asked), at=at)
            assert status.state is ConsentState.REVOKED, (parts, other, revoked_at)
            assert not status.allows_send

    _each_store(check)


@given(st.lists(_PARTS, min_size=1, max_size=3), st.lists(_PARTS, min_size=1, max_size=3),
       st.lists(st.sampled_from(_CASINGS), max_size=3), st.integers(0, 2))
def test_scopes_are_equal_and_cover_exactly_as_the_caseless_match_says(
    a: list[str], drawn: list[str], casings: list[Callable[[str], str]], keep: int,
) -> None:
    """Case is all that is ignored: no grant is widened beyond it. ``b`` is ``a``
    recased (some casings change more than case: "ı".upper() is "I"), cut or grown,
    or unrelated text."""
    b = _recased(a, casings)[:len(a) - keep] + drawn[:keep] if casings else drawn
    assume(b)
    try:
        sb = ConsentScope.parse(_scope(b))
    except ConsentError:
        assume(False)
    sa = ConsentScope.parse(_scope(a))
    fa, fb = [_caseless(p) for p in a], [_caseless(p) for p in b]
    assert (sa == sb) == (fa == fb)
    assert (hash(sa) == hash(sb)) or fa != fb
    assert sa.covers(sb) == (fb[:len(fa)] == fa)
    assert str(sa) == unicodedata.normalize("NFC", _scope(a))  # the text kept as given


@given(st.lists(_PARTS, min_size=1, max_size=3))
def test_a_scope_key_is_its_own_key(parts: list[str]) -> None:
    scope = ConsentScope.parse(_scope(parts))
    assert ConsentScope(scope.key).key == scope.key
