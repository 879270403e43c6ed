"""Content lint: each rule, its switches, and the texts that must not trip it."""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit.content import CONTENT_FINDING_CODES, LintConfig, extract_hosts, lint
from smskit.errors import ConfigurationError
from smskit.findings import Finding, Severity
from smskit.purpose import Purpose

OPT_OUT = " Reply STOP to opt out."


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def _info(text: str, **kwargs: object) -> list[Finding]:
    """Lint as a follow-up informational message: only content rules can fire."""
    return lint(text, purpose=Purpose.INFORMATIONAL, first_message=False, **kwargs)  # type: ignore[arg-type]


# --- empty and placeholders ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_body_without_media(text: str) -> None:
    assert _codes(_info(text)) == ["content.empty"]
    assert _info(text, has_media=True) == []


def test_unfilled_placeholders_in_every_common_syntax() -> None:
    text = "Hi {first_name}, order {{ order.id }} ships ${date}; %LAST_NAME% *|FNAME|* [[code]]"
    (finding,) = _info(text)
    assert finding.code == "content.placeholder"
    assert finding.severity is Severity.BLOCK
    assert finding.details["placeholders"] == (
        "{first_name}", "{{ order.id }}", "${date}", "%LAST_NAME%", "*|FNAME|*", "[[code]]",
    )


@pytest.mark.parametrize(
    "text",
    ["50% off and 20% more today", "Use the { key on the keyboard", "Total: {5} items", "a}b{c"],
)
def test_text_that_only_looks_like_a_placeholder(text: str) -> None:
    assert "content.placeholder" not in _codes(_info(text))


# --- opt-out and sender identification -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "20% off today. Reply STOP to opt out",
        "20% off today. Text END to quit",
        "20% off today. Txt 'STOP' to end",
        "20% off today. STOP2END",
        "20% off today. STOP=cancel",
        "20% off today. Opt-out: reply stop",
        "20% off today. To unsubscribe visit example.com/u",
        "20% de descuento. Responde BAJA para cancelar",
    ],
)
def test_opt_out_language_is_recognised(text: str) -> None:
    assert lint(text, purpose="marketing", first_message=False) == []


@pytest.mark.parametrize(
    "text",
    ["20% off today!", "We have got to STOP this bill", "Don't stop believing, 20% off"],
)
def test_marketing_without_opt_out_language(text: str) -> None:
    (finding,) = lint(text, purpose="marketing", first_message=False)
    assert finding.code == "content.opt_out_missing"
    assert finding.severity is Severity.WARNING
    assert "1260803966670" in finding.source  # Twilio's filtering guidance


@pytest.mark.parametrize(
    ("purpose", "first", "expected"),
    [
        (Purpose.MARKETING, False, True),
        (Purpose.INFORMATIONAL, False, False),
        (Purpose.INFORMATIONAL, True, True),
        (Purpose.TRANSACTIONAL, True, True),
        (Purpose.TRANSACTIONAL, False, False),
        (Purpose.CONVERSATIONAL, True, False),  # the customer wrote first
    ],
)
def test_when_opt_out_language_is_required(purpose: Purpose, first: bool, expected: bool) -> None:
    found = lint("Acme: your order shipped", purpose=purpose, first_message=first, brand="Acme")
    assert ("content.opt_out_missing" in _codes(found)) is expected


def test_sender_identification_in_first_message() -> None:
    def codes(text: str, brand: object) -> list[str]:
        return _codes(lint(text, purpose="informational", first_message=True, brand=brand))  # type: ignore[arg-type]

    assert codes("ACME  dental: your visit is at 3pm." + OPT_OUT, "Acme Dental") == []
    assert codes("Acme: your visit is at 3pm." + OPT_OUT, "Acme Dental") == [
        "content.sender_id_missing"
    ]
    assert codes("Acme: your visit is at 3pm." + OPT_OUT, ["Acme Dental", "Acme"]) == []
    assert codes("AT&T: your bill is ready." + OPT_OUT, "AT&T") == []
    assert codes("Acmedental: visit at 3pm." + OPT_OUT, "Acme Dental") == [
        "content.sender_id_missing"
    ]
    assert codes("Your visit is at 3pm." + OPT_OUT, None) == ["content.sender_id_unchecked"]
    assert codes("Your visit: https://acme.example/visit" + OPT_OUT, "Acme") == [
        "content.sender_id_missing"  # the name only inside a link does not count
    ]
    follow_up = lint("Your visit is at 3pm.", purpose="informational", first_message=False,
                     brand="Acme")
    assert follow_up == []


# --- URL shorteners ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("Deals: bit.ly/abc", "bit.ly"),
        ("Deals: https://bit.ly/abc", "bit.ly"),
        ("Deals: HTTPS://BIT.LY/ABC", "bit.ly"),
        ("Deals at bit.ly.", "bit.ly"),
        ("Deals (see www.bit.ly/x)", "bit.ly"),
        ("Deals: go.tinyurl.com/x", "tinyurl.com"),
        ("Deals: https://user@bit.ly/x", "bit.ly"),
        ("Deals: t.co/xyz", "t.co"),
        ("Deals: goo.gl/maps/1", "goo.gl"),
        ("Deals: rebrand.ly:8080/x", "rebrand.ly"),
    ],
)
def test_public_shorteners_are_found(text: str, domain: str) -> None:
    (finding,) = _info(text)
    assert finding.code == "content.url_shortener"
    assert finding.details["domain"] == domain


@pytest.mark.parametrize(
    "text",
    [
        "Listen to habit.lyrics tonight",
        "Our shop is habit.ly/x",  # a different domain that ends like one
        "See https://bit.ly.example.com/x",
        "See http://bit.ly@example.com/x",  # userinfo: the host is example.com
        "See https://example.com/?next=bit.ly/x",  # inside another link's query
        "Mail john@bit.ly for help",  # an address, not a link
        "Don't.Come late",
        "Visit orbit.ly/x",
        "Your technician is here: https://maps.app.goo.gl/AbC123",  # a Maps share link
    ],
)
def test_look_alikes_are_not_shorteners(text: str) -> None:
    assert "content.url_shortener" not in _codes(_info(text))


def test_extract_hosts_parses_urls() -> None:
    assert extract_hosts("Go to https://Example.COM/a?b=1, or bit.ly/x. Or 192.168.0.1") == [
        ("https://Example.COM/a?b=1", "example.com"),
        ("bit.ly/x", "bit.ly"),
    ]


def test_shortener_allow_and_extra_lists() -> None:
    config = LintConfig(allowed_domains=frozenset({"acme.app.link"}),
                        extra_shorteners=frozenset({"sho.rt"}))
    assert _info("acme.app.link/x", config=config) == []
    (other,) = _info("other.app.link/x", config=config)
    assert other.details["domain"] == "app.link"
    (extra,) = _info("sho.rt/x", config=config)
    assert extra.source == "LintConfig.extra_shorteners"
    # A user who wants Maps share links flagged too can still list them.
    maps = LintConfig(extra_shorteners=frozenset({"maps.app.goo.gl"}))
    (listed,) = _info("maps.app.goo.gl/x", config=maps)
    assert listed.details["domain"] == "maps.app.goo.gl"


# --- restricted categories -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("Wine tasting this Friday, beers on us", "content.restricted.alcohol",
         ["wine", "beers"]),
        ("GUNS and ammo expo", "content.restricted.firearms", ["guns", "ammo"]),
        ("New vape juice flavours", "content.restricted.tobacco", ["vape juice"]),
        ("CBD gummies in stock", "content.restricted.cannabis", ["cbd"]),
        ("Fast debt-relief and payday loans", "content.restricted.high_risk_finance",
         ["debt-relief", "payday loans"]),
    ],
)
def test_restricted_words_are_reported(text: str, code: str, words: list[str]) -> None:
    (finding,) = _info(text)
    assert finding.code == code
    assert finding.severity is Severity.WARNING
    assert finding.details["words"] == tuple(words)


@pytest.mark.parametrize(
    "text", ["Sussex office begins at 9", "No rumors: engine repair", "Begin the gingerbread"]
)
def test_restricted_words_match_whole_words_only(text: str) -> None:
    assert _info(text) == []


# --- length and cost -----------------------------------------------------------------------


def test_provider_character_limit() -> None:
    assert _info("x" * 1600) == []
    (finding,) = _info("x" * 1601)
    assert finding.code == "content.too_long"
    assert finding.details == {"characters": 1601, "limit": 1600}


def test_sender_segment_limit() -> None:
    assert _info("x" * 160, segments_limit=1) == []  # 160 septets: one segment
    (finding,) = _info("x" * 161, segments_limit=1)  # 161 septets: 153 + 8, two segments
    assert finding.details == {"segments": 2, "limit": 1}


def test_sender_segment_limit_past_255_parts_is_worded_as_a_lower_bound() -> None:
    # 19,507 "{" are 39,014 septets; escapes that cannot straddle a cut push the parts
    # past 255, where the count is the fewest parts the septets could fill, not exact.
    findings = _info("{" * 19507, segments_limit=10)
    (finding,) = [f for f in findings if f.code == "content.segments_over_limit"]
    assert finding.message.startswith("at least 257 segments;")
    assert finding.details == {"segments": 257, "limit": 10}


def test_ucs2_cost_that_smart_encoding_removes() -> None:
    text = "We’re open until 9 tonight and all weekend, see you at the store soon!!"
    assert len(text) == 71  # UCS-2: 71 > 70 units, two segments; GSM-7: one
    (finding,) = _info(text)
    assert finding.code == "content.ucs2_cost"
    assert finding.details == {
        "characters": ("’",), "segments": 2, "segments_gsm7": 1, "saved": 1,
        "smart_encoding_fixes": True,
    }


def test_ucs2_cost_from_an_emoji_names_it() -> None:
    text = "x" * 100 + "🙂"  # 102 UTF-16 units: 2 segments; with one GSM stand-in: 101 septets
    (finding,) = _info(text)
    assert finding.details["characters"] == ("🙂",)
    assert finding.details["segments"] == 2
    assert finding.details["segments_gsm7"] == 1
    assert finding.details["smart_encoding_fixes"] is False


def test_no_cost_warning_when_nothing_is_saved_or_the_text_is_not_latin() -> None:
    assert _info("We’re open") == []  # one segment either way
    assert _info("Привет! " * 12) == []  # many non-GSM characters: UCS-2 is the price


# --- configuration -------------------------------------------------------------------------


def test_rules_can_be_disabled_or_reweighted() -> None:
    text = "Deals at bit.ly/x"
    assert _codes(lint(text, purpose="marketing", first_message=False)) == [
        "content.opt_out_missing", "content.url_shortener"
    ]
    config = LintConfig(
        disabled=frozenset({"content.url_shortener"}),
        severities={"content.opt_out_missing": Severity.BLOCK},
    )
    (finding,) = lint(text, purpose="marketing", first_message=False, config=config)
    assert finding.code == "content.opt_out_missing"
    assert finding.severity is Severity.BLOCK


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"disabled": frozenset({"content.nope"})}, "disabled"),
        ({"severities": {"mms.too_large": Severity.INFO}}, "severities"),
        ({"severities": {"content.empty": "block"}}, "severities"),
        ({"extra_shorteners": frozenset({"not a domain"})}, "extra_shorteners"),
        ({"allowed_domains": frozenset({"https://acme.com"})}, "allowed_domains"),
        ({"max_characters": 0}, "max_characters"),
    ],
)
def test_bad_configuration(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        LintConfig(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_bad_arguments() -> None:
    with pytest.raises(ConfigurationError, match="unknown purpose"):
        lint("hi", purpose="promo", first_message=False)
    # Review of audit30: a number given as the purpose (a column mapped to the wrong
    # argument) was quoted in full; masked as the consent model's unknown values are.
    with pytest.raises(ConfigurationError) as caught:
        lint("hi", purpose="+12015550123", first_message=False)
    assert "unknown purpose '+1********23'" in str(caught.value)
    with pytest.raises(ConfigurationError):
        lint("hi", purpose="marketing", first_message=True, brand="!!!")
    with pytest.raises(ConfigurationError):
        lint("hi", purpose="marketing", first_message=True, segments_limit=0)


def test_every_code_has_a_source_and_is_documented() -> None:
    docs = (Path(__file__).parents[3] / "docs" / "content.md").read_text()
    for code in CONTENT_FINDING_CODES:
        assert code.startswith("content.")
        assert f"`{code}`" in docs


# --- review fixes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sale today. Responde ALTO para salir",  # Spanish imperative (tú)
        "Oferta hoy. Envía BAJA",
        "Oferta hoy. Responda ALTO",
        "Sale today. Reply with STOP",
        "Sale today. Text with 'END'",
    ],
)
def test_opt_out_wording_the_first_version_missed(text: str) -> None:
    assert "content.opt_out_missing" not in _codes(
        lint(text, purpose="marketing", first_message=False)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Sale today! Don't stop now",
        "We offer end to end service, 20% off",
        "Stop for stop signs, drive safe and shop with us",
    ],
)
def test_phrases_that_are_not_opt_out_instructions(text: str) -> None:
    assert "content.opt_out_missing" in _codes(
        lint(text, purpose="marketing", first_message=False)
    )


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("Deal: https://ｂｉｔ.ｌｙ/x", "bit.ly"),  # full-width letters, as browsers map them
        ("Deal: ＢＩＴ．ＬＹ/x", "bit.ly"),  # full-width dot, no scheme
        ("Deal: https://bit。ly/x", "bit.ly"),  # ideographic full stop is a label separator
    ],
)
def test_shorteners_written_in_unicode_forms(text: str, host: str) -> None:
    (finding,) = _info(text)
    assert finding.code == "content.url_shortener"
    assert finding.details["domain"] == host


def test_unicode_domains_are_compared_in_punycode() -> None:
    # bücher.example is xn--bcher-kva.example (RFC 3492 sample domain).
    config = LintConfig(extra_shorteners=frozenset({"bücher.example"}))
    assert config.extra_shorteners == frozenset({"xn--bcher-kva.example"})
    for text in ("see https://bücher.example/x", "see xn--bcher-kva.example/x"):
        (finding,) = _info(text, config=config)
        assert finding.details["domain"] == "xn--bcher-kva.example"


def test_many_links_each_found_once() -> None:
    # Links are blanked out by span before the bare-host scan (was one string
    # copy per link: quadratic; timings live in benchmarks/bench_mms_content.py).
    text = " ".join(f"https://ex{i}.com/bit.ly/{i}" for i in range(300))
    assert [host for _, host in extract_hosts(text)] == [f"ex{i}.com" for i in range(300)]


def test_shortener_at_the_end_of_a_very_long_host() -> None:
    host = "a." * 200 + "bit.ly"  # longer than DNS allows: only its tail can be listed
    (finding,) = _info(f"see https://{host}/x")
    assert finding.details["domain"] == "bit.ly"


@pytest.mark.parametrize(
    "text",
    [
        "Menu: https://example.com/search?q=caf%C3%A9%20bar",  # percent-encoded URL
        "Menu: example.com/q?x=%E2%80%99s%20menu%",
        "Menu: example.com/%Tacos%20Menu",
    ],
)
def test_percent_encoding_in_a_link_is_not_a_placeholder(text: str) -> None:
    assert "content.placeholder" not in _codes(_info(text))


def test_placeholders_inside_links_are_still_found() -> None:
    (finding,) = _info("Track: https://example.com/t/{order_id} and %FNAME% too")
    assert finding.details["placeholders"] == ("{order_id}", "%FNAME%")


def test_lint_rejects_wrong_argument_types() -> None:
    with pytest.raises(TypeError, match="str"):
        lint(b"hi", purpose="marketing", first_message=False)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError) as caught:
        lint("hi", purpose="marketing", first_message=False, segments_limit=True)
    assert caught.value.field == "segments_limit"
    with pytest.raises(ConfigurationError) as caught:
        LintConfig(max_characters=True)
    assert caught.value.field == "max_characters"


def test_link_glued_to_a_long_word_is_found() -> None:
    (finding,) = _info("Visit " + "x" * 40 + "https://bit.ly/x")
    assert finding.details["domain"] == "bit.ly"


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        # Twilio Content templates and WhatsApp templates number their variables.
        ("Your code is {{1}}. It expires in {{2}} minutes.", "{{1}}"),
        ("Hi {{ first_name | default: 'there' }}, your order shipped", (
            "{{ first_name | default: 'there' }}")),  # Liquid filter (Braze, Klaviyo)
        ("Hi {{first name}}, see you soon", "{{first name}}"),
        ("{% if vip %}Early access today{% endif %}", "{% if vip %}"),  # Liquid tag
    ],
)
def test_unrendered_template_fields_with_numbers_filters_or_tags(
    text: str, placeholder: str
) -> None:
    # These went out as literal braces: only a name made of word characters was seen.
    finding = next(f for f in _info(text) if f.code == "content.placeholder")
    assert finding.details["placeholders"][0] == placeholder


@pytest.mark.parametrize(
    "text",
    [
        # French (Canada, where CASL needs an unsubscribe in every commercial message):
        # ARRET is an AWS US/Canada default and Twilio Proxy lists it (reference 1a).
        "Soldes aujourd'hui. Répondez STOP pour vous désabonner",
        "Soldes aujourd'hui. Textez ARRET",
        "Soldes aujourd'hui. Répondez ARRÊT",
        "Soldes aujourd'hui. Pour vous désabonner, écrivez-nous",
        "Sale today. Reply: STOP",
    ],
)
def test_french_and_colon_opt_out_wording_is_recognised(text: str) -> None:
    # Each was reported as "should say how to opt out" although it does.
    assert "content.opt_out_missing" not in _codes(
        lint(text, purpose="marketing", first_message=False)
    )


@pytest.mark.parametrize(
    "text", ["Soldes: arrêt de bus Laurier, 20% off", "Les abonnés: 20% de rabais"]
)
def test_french_words_that_are_not_opt_out_instructions(text: str) -> None:
    assert "content.opt_out_missing" in _codes(
        lint(text, purpose="marketing", first_message=False)
    )


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"first_message": "no"}, "first_message"),  # a non-empty str is truthy: "first"
        ({"first_message": None}, "first_message"),
        ({"first_message": False, "has_media": "no"}, "has_media"),  # hid content.empty
        ({"first_message": True, "brand": [1]}, "brand"),
        ({"first_message": True, "brand": b"Acme"}, "brand"),
        ({"first_message": True, "brand": 5}, "brand"),
    ],
)
def test_options_of_the_wrong_type_are_refused(options: dict[str, object], field: str) -> None:
    # These were used by truthiness ("no" counted as yes: an empty body with
    # has_media="no" passed without content.empty), or failed with AttributeError.
    with pytest.raises(ConfigurationError) as err:
        lint("", purpose="marketing", **options)  # type: ignore[arg-type]
    assert err.value.field == field


def test_a_config_that_is_not_a_lint_config_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="LintConfig"):
        lint("hi", purpose="marketing", first_message=False, config={})  # type: ignore[arg-type]


def test_one_code_given_as_a_str_is_named_as_such() -> None:
    # disabled="content.empty" was read letter by letter: "unknown codes ['.', 'c', ...]".
    with pytest.raises(ConfigurationError, match=r"\['content.empty'\]") as err:
        LintConfig(disabled="content.empty")  # type: ignore[arg-type]
    assert err.value.field == "disabled"


def test_emoji_count_twice_toward_the_provider_limit() -> None:
    # Twilio's 1,600 limit counts non-GSM characters as more than one (error 21617,
    # reference 5a/7): an emoji is two UTF-16 units. 1,590 characters with 20 emoji
    # are 1,610 units, refused by the provider, and lint passed them.
    text = "x" * 1570 + "\U0001f600" * 20
    assert len(text) == 1590
    codes = [f.code for f in lint(text, purpose="conversational", first_message=False)]
    assert "content.too_long" in codes
    (finding,) = [f for f in lint(text, purpose="conversational", first_message=False)
                  if f.code == "content.too_long"]
    assert finding.details["characters"] == 1590
    assert finding.details["utf16_units"] == 1610
    # Plain text at the limit is still fine, and BMP non-GSM letters count once.
    assert "content.too_long" not in [
        f.code for f in lint("é" * 1600, purpose="conversational", first_message=False)
    ]


@pytest.mark.parametrize(
    ("brand", "text"),
    [
        ("Café Lumière", "Cafe Lumiere: your table for 2 is ready at 7pm. Reply STOP to opt out"),
        ("Cafe Lumiere", "Café Lumière: your table for 2 is ready at 7pm. Reply STOP to opt out"),
    ],
)
def test_the_brand_is_found_with_or_without_accents(brand: str, text: str) -> None:
    # Senders drop accents (out of habit, or to stay in GSM-7, which lacks ê, â, ô...):
    # the brand is still named, but content.sender_id_missing was reported.
    codes = _codes(lint(text, purpose="informational", first_message=True, brand=brand))
    assert "content.sender_id_missing" not in codes


def test_a_different_brand_is_still_missing() -> None:
    codes = _codes(lint("Cafe Lumen: table ready. Reply STOP to opt out",
                        purpose="informational", first_message=True, brand="Café Lumière"))
    assert "content.sender_id_missing" in codes
