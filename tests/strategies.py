"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\x0c^{}\\[~]|€"

gsm7_text = st.text(alphabet=GSM_BASIC + GSM_EXTENSION, max_size=700)
gsm7_ext_heavy_text = st.text(alphabet="ab " + GSM_EXTENSION, max_size=700)
# Scripts, combining marks, emoji with modifiers and ZWJ, flags, Hangul jamo.
_UCS2_PIECES = st.sampled_from(
    [
        "a", "é", "ç", "Ж", "王", "\u0301", "\u200d", "👍", "🏽", "👨‍👩‍👧", "🇫🇷", "🇩", "🇪",
        "क", "्", "ष", "ि", "\u1100", "\u1161", "\u11a8", "각", "\r", "\n", "😀", "€", "{",
        "\ufe0f", "❤", "“", "…", "\u00a0",
    ]
)
ucs2_text = st.lists(_UCS2_PIECES, max_size=260).map("".join)
astral_text = st.text(
    alphabet=st.characters(min_codepoint=0x10000, max_codepoint=0x1FAFF), max_size=200
)
# Any str at all, lone surrogates included.
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400)
valid_text = st.text(max_size=400)


@st.composite
def boundary_text(draw: st.DrawFn) -> str:
    """Texts whose length sits on a segment boundary, with a costly character on it."""
    plain_length = draw(st.sampled_from([64, 65, 66, 67, 68, 69, 70, 71, 132, 133, 134, 135,
                                         150, 151, 152, 153, 154, 159, 160, 161, 304, 305,
                                         306, 307]))
    filler = draw(st.sampled_from(["a", "é", "Ж"]))
    costly = draw(st.sampled_from(["€", "{", "😀", "👍🏽", "🇫🇷", "é\u0301", "\r\n", "👨‍👩‍👧"]))
    tail = draw(st.integers(min_value=0, max_value=20))
    return filler * plain_length + costly + filler * tail


# Texts an Arrow string column can hold (valid Unicode), nulls among them: what a
# data-frame engine hands the smskit.frames kernel.
sendable_text = st.one_of(
    st.just(""), valid_text, gsm7_text, gsm7_ext_heavy_text, ucs2_text, astral_text,
    boundary_text(),
)
frame_texts = st.lists(st.none() | sendable_text, max_size=30)
