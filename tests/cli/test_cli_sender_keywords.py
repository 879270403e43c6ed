"""``[sender.keywords]`` in sender.toml (rough29): a sender's languages, own words and
words removed, built as the keyword-set API builds them, read by ``classify --sender``
and by ``check``/``plan`` (whose advice reads the set). The API's refusal to drop an FCC
revocation word for a US sender is one line and exit 2, never a traceback (in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import SenderProfile
from smskit.cli import main
from smskit.errors import ConfigurationError
from smskit.keywords import KeywordSet, MatchKind

NOON = "2026-06-02T12:00:00-04:00"
HEAD = ('[sender]\nsender_id = "+14155550100"\nregistration = "approved"\nbrand = "Acme"\n'
        'help_reply = "Acme help: help@example.com. Reply STOP to opt out."\n')


def _profile(tmp_path: Path, keywords: str) -> str:
    path = tmp_path / "sender.toml"
    path.write_text(HEAD + "[sender.keywords]\n" + keywords, encoding="utf-8")
    return str(path)


def _kind(capsys: pytest.CaptureFixture[str], *args: str) -> str | None:
    assert main(["classify", *args, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    return None if found is None else str(found["kind"])


def test_own_words_and_removed_words_change_what_classify_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sender = _profile(tmp_path, 'opt_out = ["HALT"]\nhelp = ["AIDE"]\nremove = ["remove"]\n')
    assert _kind(capsys, "HALT") is None  # not a default word
    assert _kind(capsys, "HALT", "--sender", sender) == "opt_out"
    assert _kind(capsys, "aide", "--sender", sender) == "help"
    assert _kind(capsys, "REMOVE") == "opt_out"
    assert _kind(capsys, "REMOVE", "--sender", sender) is None
    assert _kind(capsys, "STOP", "--sender", sender) == "opt_out"


def test_languages_choose_the_default_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english = _profile(tmp_path, 'languages = ["en"]\n')
    assert _kind(capsys, "ARRET") == "opt_out"  # French, in the default set
    assert _kind(capsys, "ARRET", "--sender", english) is None
    # The FCC's words stay in a set without English (KeywordSet.default says so).
    french = _profile(tmp_path, 'languages = ["fr"]\n')
    assert _kind(capsys, "CANCEL", "--sender", french) == "opt_out"


def test_a_word_moves_between_kinds_through_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sender = _profile(tmp_path, 'remove = ["info"]\nopt_in = ["info"]\n')
    assert _kind(capsys, "INFO") == "help"
    assert _kind(capsys, "INFO", "--sender", sender) == "opt_in"


@pytest.mark.parametrize("command", [
    ["classify", "STOP"],
    ["check", "+1 212 555 0123", "--at", NOON, "--body", "Acme: hi. Reply STOP to opt out"],
])
def test_dropping_an_fcc_word_is_a_usage_error_naming_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    sender = _profile(tmp_path, 'remove = ["Cancel"]\n')
    assert main([*command, "--sender", sender]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    line, = captured.err.splitlines()
    assert line.startswith(f"smskit: error: {sender}: keywords.remove: cannot drop CANCEL")
    assert "64.1200(a)(10)" in line
    assert "outside_us = true in [sender.keywords]" in line


def test_outside_us_drops_it_and_check_warns_of_a_us_sender(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sender = _profile(tmp_path, 'remove = ["cancel"]\noutside_us = true\n')
    assert _kind(capsys, "CANCEL", "--sender", sender) is None
    # The sender_id is a +1 number: the advice says what the set misses, exit unchanged.
    assert main(["check", "+1 212 555 0123", "--at", NOON, "--sender", sender,
                 "--body", "Acme: hi. Reply STOP to opt out"]) == 0
    err = capsys.readouterr().err
    assert "sender.keywords_missing_revocation_words" in err
    assert "CANCEL" in err


@pytest.mark.parametrize(("keywords", "says"), [
    ('opt_out = "HALT"\n', 'keywords.opt_out must be a list of strings'),
    ('languages = ["de"]\n', "keywords.languages: languages must name at least one of"),
    ('opt_in = ["stop"]\n', "keywords.opt_in: keyword 'stop' cannot be both"),
    ('outside_us = true\n', "keywords.outside_us lets remove drop"),
    ('outside_us = "yes"\n', "keywords.outside_us must be true or false"),
    ('stop = ["x"]\n', "unknown keywords settings ['stop']"),
])
def test_a_mistake_in_the_table_is_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keywords: str, says: str
) -> None:
    assert main(["classify", "hi", "--sender", _profile(tmp_path, keywords)]) == 2
    err = capsys.readouterr().err
    assert says in err
    assert len(err.splitlines()) == 1


def test_the_table_builds_the_set_the_api_builds() -> None:
    profile = SenderProfile.from_toml(
        '[sender]\n[sender.keywords]\nlanguages = ["en", "es"]\nremove = ["remove"]\n'
        'opt_out = ["halt"]\nopt_in = ["join"]\nhelp = ["aide"]\n'
    )
    built = (KeywordSet.default(("en", "es")).without("remove")
             .extend(MatchKind.OPT_OUT, ["halt"]).extend(MatchKind.OPT_IN, ["join"])
             .extend(MatchKind.HELP, ["aide"]))
    assert profile.keywords == built
    assert SenderProfile.from_toml("[sender]\n").keywords == KeywordSet.default()


_WORD = st.text(alphabet="abcHALT!é 1", min_size=0, max_size=8)


@given(table=st.dictionaries(
    st.sampled_from(["languages", "remove", "opt_out", "opt_in", "help", "outside_us"]),
    st.one_of(st.lists(_WORD, max_size=3), _WORD, st.booleans()), max_size=4))
def test_any_keywords_table_gives_a_set_or_a_configuration_error(table: dict[str, object]) -> None:
    refused: ConfigurationError | None = None
    try:
        profile = SenderProfile.from_dict({"keywords": table})
    except ConfigurationError as exc:
        refused = exc
    if refused is not None:
        assert refused.field.startswith("keywords"), refused
        return
    assert isinstance(profile.keywords, KeywordSet)


@pytest.mark.parametrize("keywords", [
    'opt_out = ["4155550123"]\nopt_in = ["4155550123"]\n',
    'languages = ["4155550123"]\n',
])
def test_a_phone_number_in_a_refused_table_is_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keywords: str
) -> None:
    # Review of rough29: the library's refusals are now printed by the command line.
    assert main(["classify", "hi", "--sender", _profile(tmp_path, keywords)]) == 2
    err = capsys.readouterr().err
    assert "4155550123" not in err
    assert "4*******23" in err  # the first digit and the last two


def test_classify_help_gives_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    # Review of rough29: it said "Exit 0 in every case", untrue with --sender.
    with pytest.raises(SystemExit) as done:
        main(["classify", "--help"])
    assert done.value.code == 0
    assert "2 for a mistake in the --sender file" in " ".join(capsys.readouterr().out.split())
