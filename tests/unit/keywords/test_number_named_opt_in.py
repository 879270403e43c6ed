"""A number named after "start texting" is not the replier re-subscribing (rev26u).

user27 let the opt-out phrases take a phone number where they take "me" ("STOP texting
2125550123"); the shared pattern also reached the opt-in phrase ``start_again``, so
"Please start texting 4155550123" (a new number, or someone else's) re-subscribed the
number that sent it, which may have opted out: a text to a revoked number.
"""

from __future__ import annotations

import pytest

from smskit import MatchKind, classify_reply


@pytest.mark.parametrize(
    "reply",
    [
        "start texting 4155550123",
        "Please start texting 415-555-0123",
        "resume texting 415.555.0123",
        "Start sending 4155550123 again",
        "start texting my cell 4155550123",
    ],
)
def test_start_texting_another_number_is_no_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_IN


@pytest.mark.parametrize("reply", ["start texting me", "Please resume texting me again"])
def test_start_texting_me_is_still_an_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_IN


def test_classify_json_does_not_print_the_number_either(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # CLI output, machine-read or not, never shows a phone number in full (the ledger's
    # --json masks evidence the same way).
    import json

    from smskit.cli import main

    assert main(["classify", "--json", "STOP texting 212 555 0123"]) == 0
    out = capsys.readouterr().out
    assert "555" not in out
    data = json.loads(out)
    assert data["kind"] == "opt_out"
    assert data["keyword"].startswith("stop texting 2")
    assert data["keyword"].endswith("23")
