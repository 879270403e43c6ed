"""Sender profile loading and the single-send decision, from an adversarial review:
user mistakes in a sender file get a ConfigurationError naming the setting, never a
traceback or a silently different profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit import SenderProfile
from smskit.consent.model import Channel
from smskit.errors import SmskitError


def test_reply_channels_as_one_string_is_that_channel_not_its_letters() -> None:
    # TOML `reply_channels = "sms"`: the Python API takes a single value, so must the file.
    profile = SenderProfile.from_toml('[sender]\nreply_channels = "sms"\n')
    assert profile.reply_channels == frozenset({Channel.SMS})


def test_reply_channels_of_the_wrong_type_is_a_configuration_error() -> None:
    with pytest.raises(SmskitError) as caught:
        SenderProfile.from_toml("[sender]\nreply_channels = 5\n")
    assert getattr(caught.value, "field", None) == "reply_channels"


def test_a_sender_file_not_in_utf8_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "sender.toml"
    path.write_bytes(b"\xff\xfe[\x00s\x00")  # UTF-16 with a byte-order mark
    with pytest.raises(SmskitError, match="UTF-8"):
        SenderProfile.from_toml(path)
