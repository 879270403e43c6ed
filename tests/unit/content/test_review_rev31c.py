"""Review rev31c: lint reads a word or a link as the handset shows it.

Smart encoding (smskit's own, ``segment(text, smart=True)``, and the providers') removes
invisible characters and turns full-width letters into ASCII before the text is sent,
and a reader sees a Cyrillic look-alike letter as its Latin twin: a restricted word or a
shortener link written with them reached the handset as the plain word or link, with no
finding.
"""

from __future__ import annotations

import pytest

from smskit import Purpose, Registration, SenderProfile
from smskit.content import extract_hosts, lint, mentions_opt_out, promotion
from smskit.policy import prepare_body
from smskit.segments.segmentation import segment

_OPT_OUT = " Reply STOP to opt out"


def _codes(text: str) -> list[str]:
    return [f.code for f in lint(text, purpose="marketing", first_message=False)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Great ｗｉｎｅ tasting tonight.", "ｗｉｎｅ"),  # full-width letters
        ("Great w\u00adine tasting tonight.", "w\u00adine"),  # soft hyphen
        ("Great wi\u200bne tasting tonight.", "wi\u200bne"),  # zero-width space
        ("Great w\u0456ne tasting tonight.", "w\u0456ne"),  # Cyrillic i
        ("Great WIN\u0415 tasting tonight.", "win\u0435"),  # Cyrillic capital E, folded
    ],
)
def test_a_restricted_word_written_with_look_alikes_is_found(text: str, written: str) -> None:
    [finding] = lint(text + _OPT_OUT, purpose="marketing", first_message=False)
    assert finding.code == "content.restricted.alcohol"
    # Reported as written, so the person finds it in the text.
    assert finding.details["words"] == (written,)


def test_the_plain_word_is_still_reported_as_before() -> None:
    [finding] = lint("Great WINE tasting." + _OPT_OUT, purpose="marketing",
                     first_message=False)
    assert finding.details["words"] == ("wine",)


@pytest.mark.parametrize(
    "text",
    [
        "Вино и сыр в пятницу.",  # Russian: "wine and cheese on Friday", no Latin twin word
        "Наш хор поёт в 7.",  # "хор" is all look-alikes (reads "xop"): no listed word
        "Sussex office: open at 9",
        "Café Lumière, table for 2",
        "Randevunuz 3 gün sonra, saat 10:00.",  # Turkish: "gün" is a day, not a gun
        "Cảm ơn quý khách, hẹn gặp lại!",  # Vietnamese, accents kept
    ],
)
def test_ordinary_words_in_other_scripts_stay_clean(text: str) -> None:
    assert not [c for c in _codes(text + _OPT_OUT) if c.startswith("content.restricted")]


@pytest.mark.parametrize(
    "link",
    ["bit\u00ad.ly/spring", "b\u200bit.ly/spring", "bit.l\u2060y/spring", "\ufeffbit.ly/spring"],
)
def test_a_shortener_link_with_an_invisible_character_is_found(link: str) -> None:
    text = "Spring sale: " + link + _OPT_OUT
    # What smart encoding sends is the plain shortener link ...
    assert "bit.ly/spring" in segment(text, smart=True).text
    # ... so lint, which blocks that link, blocks this one too.
    assert "content.url_shortener" in _codes(text)
    assert [host for _, host in extract_hosts(text)] == ["bit.ly"]


# --- ordinary business words that hold a listed word ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Your tech Mike is on the way for the gas line hookup.",
        "Install includes washer and dryer hookups and haul-away.",
        "The RV hookup fee is $35 a night.",
        "Unit 4B: W/D hookups, 2BR, $1,450.",
        "Bringing the nail gun and the caulk gun tomorrow.",
        "Hi Ann, your loan XXX-4521 is clear to close!",
        "Payment received from account XXX-XX-1234.",
        "Call us from the number on file, (XXX) XXX-1234.",
    ],
)
def test_ordinary_business_words_are_not_restricted(text: str) -> None:
    codes = [f.code for f in lint(text, purpose="transactional", first_message=False)]
    assert not [c for c in codes if c.startswith("content.restricted")], codes


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("Lonely? Find a hookup tonight.", "content.restricted.sex", ("hookup",)),
        ("XXX videos, new every day.", "content.restricted.sex", ("xxx",)),
        ("XXX-rated fun.", "content.restricted.sex", ("xxx",)),
        ("Gun show this weekend, and a nail gun raffle.", "content.restricted.firearms",
         ("gun show",)),
        ("New pistols and a gun cleaning kit in stock.", "content.restricted.firearms",
         ("pistols", "gun")),
    ],
)
def test_the_listed_meaning_is_still_found(text: str, code: str, words: tuple[str, ...]) -> None:
    [finding] = [f for f in lint(text, purpose="transactional", first_message=False)
                 if f.code.startswith("content.restricted")]
    assert (finding.code, finding.details["words"]) == (code, words)


# --- plurals in -ies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("Tour three local wineries Saturday", "content.restricted.alcohol", ("wineries",)),
        ("Craft breweries tour, 2pm", "content.restricted.alcohol", ("breweries",)),
        ("Rare whiskies in stock", "content.restricted.alcohol", ("whiskies",)),
        ("Both our dispensaries open at 9", "content.restricted.cannabis", ("dispensaries",)),
        ("We now accept cryptocurrencies", "content.restricted.high_risk_finance",
         ("cryptocurrencies",)),
    ],
)
def test_a_plural_in_ies_is_found_as_a_plural_in_s_is(
    text: str, code: str, words: tuple[str, ...]
) -> None:
    # docs/content.md: "an optional plural"; "wines" was found, "wineries" was not.
    [finding] = lint(text, purpose="conversational", first_message=False)
    assert (finding.code, finding.details["words"]) == (code, words)


# --- opt-out language: an opt-out word inside another word is no instruction ----------

_NO_OPT_OUT = [
    "Acme: we text end-of-season deals to VIPs first. Shop now!",
    "Acme: we text end of month reminders. 20% off today!",
    "Acme: stop for end-of-year savings, today only!",
    "Acme: send stop-motion videos to win a prize!",
    "Acme: reply stop-watch for the giveaway!",
]


@pytest.mark.parametrize("text", _NO_OPT_OUT)
def test_an_opt_out_word_in_another_word_is_no_opt_out(text: str) -> None:
    assert not mentions_opt_out(text)
    codes = [f.code for f in lint(text, purpose="marketing", first_message=True, brand="Acme")]
    assert "content.opt_out_missing" in codes


@pytest.mark.parametrize("text", _NO_OPT_OUT)
def test_the_engine_adds_the_footer_to_such_a_text(text: str) -> None:
    sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                           brand="Acme", consent_scope="acme", footer="Reply STOP to opt out")
    prepared = prepare_body(text, sender, purpose=Purpose.MARKETING, first=True,
                            sent_before=0)
    assert prepared == text + "\nReply STOP to opt out"


@pytest.mark.parametrize(
    "text",
    [
        "Reply STOP to opt out", "Text END to stop", "Reply STOP2END", "STOP to opt-out",
        "Reply STOP. Msg rates apply", "Txt 'STOP' to end", "Reply: STOP", "Reply OPT-OUT",
        "To unsub, text back STOP", "Reply back with STOP",
    ],
)
def test_opt_out_instructions_are_still_read(text: str) -> None:
    assert mentions_opt_out(text)


# --- offers written with look-alikes ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("Take \uff12\uff10\uff05 \uff4f\uff46\uff46 today",
         "\uff12\uff10\uff05 \uff4f\uff46\uff46"),
        ("Take 20% o\u00adff today", "20% o\u00adff"),
        ("Take 20\u200b% off today", "20\u200b% off"),
        ("Take 20% \u043eff today", "20% \u043eff"),  # a Cyrillic o
        ("Take 20% off today", "20% off"),  # as before
    ],
)
def test_an_offer_written_with_look_alikes_is_an_offer(text: str, offer: str) -> None:
    # Smart encoding sends "20% off": the same offer, as written in the text.
    assert promotion(text) == offer
    [finding] = lint(text, purpose="transactional", first_message=False)
    assert finding.code == "content.offer_not_marketing"
