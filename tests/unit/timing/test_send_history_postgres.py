"""PostgresSendHistory on a real server: schema check, shared by hosts, frequency caps.

The shared behaviour is in tests/contract/test_send_history_contract.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import _services
from smskit import FrequencyCap, PostgresConsentStore, PostgresSendHistory
from smskit.errors import StoreError

psycopg = _services.require_module("psycopg", "postgres")
psycopg_pool = _services.require_module("psycopg_pool", "postgres")

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
FL = "+13055550123"  # a Florida number: 3 solicitations per 24 hours


def test_a_missing_table_says_to_call_create_schema(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as history:
        with pytest.raises(StoreError, match=r"call create_schema\(\)"):
            history.sent_at(since=T0, until=T0)
        # The consent tables of the same schema do not stand in for the send table.
        with PostgresConsentStore(postgres_dsn, schema=pg_schema) as consent:
            consent.create_schema()
        with pytest.raises(StoreError, match="no send_history tables"):
            history.sent_at(since=T0, until=T0)
        assert history.create_schema() is True
        assert history.create_schema() is False
        assert history.sent_at(since=T0, until=T0) == ()


def test_hosts_sharing_one_table_see_each_others_sends(postgres_dsn: str, pg_schema: str) -> None:
    with psycopg_pool.ConnectionPool(postgres_dsn, min_size=1, max_size=2, open=True) as pool:
        web, worker = (PostgresSendHistory(pool, schema=pg_schema) for _ in range(2))
        web.create_schema()
        cap_web, cap_worker = FrequencyCap(web), FrequencyCap(worker)
        for hours in (0, 1, 2):
            (cap_web if hours % 2 else cap_worker).record(
                FL, T0 + timedelta(hours=hours), sender="acme", subject="sale"
            )
        decision = cap_web.check(FL, T0 + timedelta(hours=3), sender="acme",
                                 purpose="marketing", subject="sale")
        assert not decision.allowed
        assert decision.next_allowed == T0 + timedelta(hours=24)
        assert cap_worker.check(FL, T0 + timedelta(hours=24, seconds=1), sender="acme",
                                purpose="marketing", subject="sale").allowed


def test_a_batch_deferral_counts_sends_after_at_as_decide_does(
    postgres_dsn: str, pg_schema: str
) -> None:
    """Deciding for a past instant on PostgreSQL: a send at at+10h moves the cap's
    deferral from at+23h to at+34h, in decide_many as in decide."""
    from smskit import CapLimit, CompliancePipeline, Registration, SenderProfile, SendRequest
    from smskit.policy.builtin import FrequencyCapPolicy

    sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                           brand="Acme", consent_scope="acme")
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as history:
        history.create_schema()
        cap = FrequencyCap(history, limits=(CapLimit("house", 1, timedelta(hours=24)),),
                           rules=())
        cap.record(FL, T0 - timedelta(hours=1), sender=sender.sender_id)
        cap.record(FL, T0 + timedelta(hours=10), sender=sender.sender_id)
        request = SendRequest(FL, body="Spring sale", first_message=False)
        for shared in (history, None):
            engine = CompliancePipeline((FrequencyCapPolicy(cap),), history=shared)
            one = engine.decide(request, sender, T0)
            assert one.not_before == T0 + timedelta(hours=34)
            assert engine.decide_many([request], sender, T0).decisions == (one,)
