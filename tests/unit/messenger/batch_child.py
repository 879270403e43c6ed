"""Child process of the crash test: sends a batch through SQLite + Twilio (loopback).

Usage: python batch_child.py FOLDER BASE_URL COUNT MINUTES
Sends COUNT informational messages with keys ``batch-0``... at T0 + MINUTES and
prints one line per result, flushing each, so the parent can follow it.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for the rig

from smskit.policy import SendRequest
from smskit.purpose import Purpose
from smskit.testing import FixedClock
from unit.messenger.twilio_rig import SENDER, T0, recipient, twilio_messenger


def main() -> None:
    folder, base_url, count, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    at = T0 + timedelta(minutes=minutes)
    messenger = twilio_messenger(Path(folder), base_url, FixedClock(at))
    for result in messenger.reconcile(at):
        print("reconciled", result.key, result.outcome.value, flush=True)
    for i in range(count):
        request = SendRequest(
            recipient=recipient(i), body=f"Order {i} has shipped", purpose=Purpose.INFORMATIONAL,
            idempotency_key=f"batch-{i}",
        )
        result = messenger.send(request, SENDER, at)
        print("sent", result.key, result.outcome.value, flush=True)


if __name__ == "__main__":
    main()
