"""Properties of reply classification: total, normalisation-stable, decoration-proof."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smskit.keywords import (
    Confidence,
    KeywordMatch,
    KeywordSet,
    MatchKind,
    classify_reply,
    normalize_reply,
)
from smskit.routes import Route

DEFAULT = KeywordSet.default()
WORDS = sorted({(k.word, k.kind) for k in DEFAULT.keywords})
DECORATION = st.text(alphabet=" \t\n.!?,;:\"'()-…🛑😡👍*", max_size=5)


@given(st.text())
def test_classify_never_crashes_on_any_text(body: str) -> None:
    for route in (None, *Route):
        result = classify_reply(body, route=route)
        assert result is None or isinstance(result, KeywordMatch)


@given(st.binary())
def test_classify_handles_any_decoded_bytes(raw: bytes) -> None:
    for encoding in ("utf-8", "latin-1", "utf-16-le"):
        result = classify_reply(raw.decode(encoding, errors="replace"))
        assert result is None or isinstance(result, KeywordMatch)


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_reply(text)
    assert normalize_reply(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.sampled_from(WORDS), DECORATION, DECORATION, st.booleans())
def test_keyword_with_any_case_and_decoration_is_exact(
    entry: tuple[str, MatchKind], before: str, after: str, upper: bool
) -> None:
    word, kind = entry
    body = before + (word.upper() if upper else word.title()) + after
    match = classify_reply(body)
    assert match is not None
    assert (match.kind, match.confidence) == (kind, Confidence.EXACT)


@given(st.sampled_from(WORDS))
def test_full_width_keyword_is_exact(entry: tuple[str, MatchKind]) -> None:
    word, kind = entry
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in word.upper())
    match = classify_reply(wide)
    assert match is not None
    assert match.kind is kind


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=40))
def test_case_does_not_change_the_answer(body: str) -> None:
    assert classify_reply(body) == classify_reply(body.upper())


# Latin letters, their Cyrillic and Greek twins, accented forms of both, marks and
# letters with no twin: where folding twins and removing accents could interact.
TWIN_ALPHABET = "stopSTOPxXeE" "оОтТрРѕЅеЕхХ" "οΟόΌτΤρΡ" "\u0301\u0308" "йπдλ" " .!"


@given(st.text(alphabet=TWIN_ALPHABET, max_size=12))
def test_normalisation_is_idempotent_with_look_alike_letters(text: str) -> None:
    once = normalize_reply(text)
    assert normalize_reply(once) == once


@given(
    st.sampled_from(["", "Veuillez "]),
    st.sampled_from(["Arrêtez", "arrête", "ARRETER", "Cessez"]),
    st.sampled_from(["de me ", "de m'", "de nous ", "les ", "vos ", "l'envoi des "]),
    st.sampled_from(["texter", "envoyer des SMS", "messages", "textos", "contacter"]),
    st.sampled_from(["", " svp", " merci", "!", "."]),
)
def test_french_request_to_stop_the_texts_is_acted_on(
    before: str, verb: str, middle: str, rest: str, after: str
) -> None:
    # Only the combinations French allows: a pronoun takes a verb, an article a noun.
    pronoun = middle.startswith("de ") or middle == "de m'"
    noun = rest in ("messages", "textos")
    if pronoun == noun:
        return
    body = before + verb + " " + middle + rest + after
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language) == (MatchKind.OPT_OUT, "fr"), body
    assert match.actionable, body


COURTESY_CLAUSE = st.sampled_from(
    ["thanks", "Thank you", "THX", "pls", "please", "merci", "gracias", "cheers", "ty", "ok"]
)
SEPARATOR = st.sampled_from([",", ", ", ". ", "! ", "; ", " - ", "\n", "!! "])


@given(
    st.sampled_from(["", "Yes", "No", "Oui", "Non", "Sí", "Hmm"]),
    st.sampled_from(["stop", "STOP", "Stop", "unsubscribe", "Opt out", "arrêtez", "Arrêter"]),
    st.lists(st.tuples(SEPARATOR, COURTESY_CLAUSE), max_size=2),
    st.lists(st.tuples(COURTESY_CLAUSE, SEPARATOR), max_size=2),
    st.sampled_from(["", "!", ".", " "]),
)
def test_stop_clause_beside_courtesy_only_clauses_is_acted_on(
    lead: str, stop: str, after: list[tuple[str, str]], before: list[tuple[str, str]],
    end: str,
) -> None:
    # Reviewer finding, 2026-12-05: "Yes, stop, thanks" was an ordinary reply.
    head = "".join(c + s for c, s in before) + (lead + ", " if lead else "")
    body = head + stop + "".join(s + c for s, c in after) + end
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
    assert match.actionable, body


@given(
    st.sampled_from(["", "Yes", "Yes please", "Oui", "Hi"]),
    st.sampled_from(["Stop by the office", "Don't stop", "stop by at 3", "non-stop flights",
                     "je vais arrêter de fumer", "never stop", "stop by later"]),
    st.lists(st.tuples(SEPARATOR, COURTESY_CLAUSE), max_size=2),
    st.lists(st.tuples(COURTESY_CLAUSE, SEPARATOR), max_size=2),
)
def test_other_stop_sentences_beside_courtesy_are_never_acted_on(
    lead: str, sentence: str, after: list[tuple[str, str]], before: list[tuple[str, str]],
) -> None:
    head = "".join(c + s for c, s in before) + (lead + ", " if lead else "")
    body = head + sentence + "".join(s + c for s, c in after)
    match = classify_reply(body)
    assert match is None or not match.actionable, body


@given(
    st.lists(st.tuples(COURTESY_CLAUSE, SEPARATOR), min_size=1, max_size=2),
    st.sampled_from(["stop", "STOP", "Stop", "arrêtez"]),
    SEPARATOR,
    st.sampled_from(["I meant Tuesday", "it's fine", "I'll call you", "see you Tuesday",
                     "je rappelle demain"]),
    st.lists(st.tuples(SEPARATOR, COURTESY_CLAUSE), max_size=2),
)
def test_a_stop_after_a_greeting_and_before_more_text_is_never_acted_on(
    before: list[tuple[str, str]], stop: str, gap: str, rest: str,
    after: list[tuple[str, str]],
) -> None:
    # Review rev25k: "Sorry, stop, I meant Tuesday" reads as the labelled near miss
    # "Wait, stop, I meant Tuesday"; a greeting is a clause, the stop stays inside.
    body = "".join(c + s for c, s in before) + stop + gap + rest + "".join(
        s + c for s, c in after
    )
    match = classify_reply(body)
    assert match is None or not match.actionable, body


# -- fix27k: answers, "and", threats of any length, numbers in any script's digits ------

# Zero of each script's decimal digits: ASCII, full-width, Arabic-Indic, extended
# Arabic-Indic (Persian, Urdu), Devanagari, Bengali.
DIGIT_ZEROS = (0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6)
PHONE_DIGITS = st.lists(st.integers(0, 9), min_size=10, max_size=10).map(
    lambda ds: [2, *ds[1:]]  # a NANP area code never starts with 0 or 1
)


def _written(digits: list[int], zero: int) -> str:
    return "".join(chr(zero + d) for d in digits)


@given(
    PHONE_DIGITS, PHONE_DIGITS, st.sampled_from(DIGIT_ZEROS),
    st.sampled_from(["STOP {n}", "stop texting {n}", "{n} stop", "remove me {n}",
                     "Stop texting {n} and {m}", "STOP texting {n} and text {m} instead",
                     "Not interested stop texting {n}", "stop texting {n} or I will report "
                     "you to the FCC and my lawyer and the news tomorrow"]),
)
def test_an_opt_out_naming_numbers_in_any_digits_is_acted_on_and_never_shows_them(
    first: list[int], second: list[int], zero: int, template: str,
) -> None:
    n, m = _written(first, zero), _written(second, zero)
    match = classify_reply(template.format(n=n, m=m))
    assert match is not None, template
    assert match.kind is MatchKind.OPT_OUT, template
    assert match.actionable, template
    shown = repr(match)
    for digits in (first, second):
        for script in (zero, 0x30):
            # masked_digits shows the first digit and the last two: never the middle.
            assert _written(digits[1:-2], script) not in shown, shown


ANSWERS = st.sampled_from(["Not interested", "no thanks", "No thank you", "nope", "Yes",
                           "I'm not interested", "no", "No longer interested"])


@given(
    ANSWERS, st.sampled_from(["stop", "STOP", "Stop texting me", "unsubscribe", "opt out",
                              "stop sending me these texts", "remove me"]),
    st.booleans(), st.sampled_from(["", "!", " please", " thanks", "."]),
)
def test_an_answer_and_an_opt_out_in_one_clause_is_acted_on(
    answer: str, stop: str, answer_first: bool, end: str,
) -> None:
    body = (f"{answer} {stop}" if answer_first else f"{stop} {answer}") + end
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
    assert match.actionable, body


@given(
    ANSWERS, st.sampled_from(["don't stop", "never stop", "stop by the office", "stop by at 3",
                              "bus stop", "can't stop laughing", "cancel", "end",
                              "don't stop texting me", "stop by 2125550123"]),
    st.booleans(), st.sampled_from(["", "!", " please", " thanks", "."]),
)
def test_an_answer_beside_anything_else_is_never_acted_on(
    answer: str, other: str, answer_first: bool, end: str,
) -> None:
    body = (f"{answer} {other}" if answer_first else f"{other} {answer}") + end
    match = classify_reply(body)
    assert match is None or not (match.kind is MatchKind.OPT_OUT and match.actionable), body


THREAT_WORDS = st.lists(
    st.sampled_from(["report", "you", "to", "the", "FCC", "and", "my", "lawyer", "tomorrow",
                     "block", "this", "number", "sue", "company", "FTC", "attorney",
                     "general", "right", "now", "2125550123"]),
    max_size=40,
)


@given(
    st.sampled_from(["Stop texting me", "stop sending me these messages",
                     "Stop calling and texting me", "STOP texting 2125550123"]),
    st.sampled_from(["or I will", "or I'll", "otherwise I will", "or else", "or my lawyer",
                     "or you will"]),
    THREAT_WORDS, st.sampled_from(["", "!", "!!", "."]),
)
def test_an_opt_out_with_a_threat_of_any_length_is_acted_on(
    stop: str, threat: str, words: list[str], end: str,
) -> None:
    body = " ".join([stop, threat, *words]) + end
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
    assert match.actionable, body


MIXED = st.lists(
    st.sampled_from(
        [*"stopand ", *"٢١٥٠۲۵२१５０", " and ", " or I will ", "not interested ", "no ",
         "yes ", "texting ", "me ", ",", ".", "#", "wrong number", "this isnt ", "new number "]
    ),
    max_size=60,
).map("".join)


@given(MIXED)
def test_classify_never_crashes_on_answers_conjunctions_and_any_digits(body: str) -> None:
    for route in (None, *Route):
        match = classify_reply(body, route=route)
        assert match is None or isinstance(match, KeywordMatch)
        if match is not None:
            # A run of seven digits or more is shown masked whatever its script.
            assert not any(
                run.isdigit() and len(run) >= 7 for run in repr(match).split("'")
            ), repr(match)


@given(MIXED)
def test_normalisation_is_idempotent_with_any_digits(text: str) -> None:
    once = normalize_reply(text)
    assert normalize_reply(once) == once
    assert all(c.isascii() for c in once if c.isdigit()), once


# -- review rev27k: what follows an opt-out, and whole-reply opt-outs --------------------

REQUESTS = st.sampled_from(["Stop texting me", "stop sending me texts", "STOP TEXTING ME",
                            "quit messaging me", "Stop harassing me"])
RELATIONS = st.sampled_from(["wife", "husband", "son", "daughter", "mom", "partner"])


@given(REQUESTS, RELATIONS, st.sampled_from(["separately", "the same reminder",
                                             "at different times", "twice a day"]))
def test_more_of_what_is_texted_with_how_after_it_is_no_opt_out(
    request: str, relation: str, how: str
) -> None:
    # "Stop texting me and my wife separately": how to text, not whether.
    body = f"{request} and my {relation} {how}"
    match = classify_reply(body)
    assert match is None or not (match.kind is MatchKind.OPT_OUT and match.actionable), body


@given(REQUESTS, RELATIONS, st.sampled_from(["", " please", "!", " thanks"]))
def test_more_of_what_is_texted_alone_is_an_opt_out(
    request: str, relation: str, end: str
) -> None:
    body = f"{request} and my {relation}{end}"
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
    assert match.actionable, body


@given(st.sampled_from(["Stop texting me", "stop sending me reminders", "stop messaging me"]),
       st.sampled_from(["early", "often", "late", "much", "many times", "early in the morning"]))
def test_a_request_qualified_by_this_is_no_opt_out(request: str, how: str) -> None:
    # "Stop texting me this early": at another hour, not never.
    body = f"{request} this {how}"
    match = classify_reply(body)
    assert match is None or not (match.kind is MatchKind.OPT_OUT and match.actionable), body


@given(st.sampled_from(["Stop it", "quit it", "NO MORE", "unsub"]),
       st.sampled_from(["", "!", "!!", " please", " now", "."]))
def test_a_short_opt_out_is_one_as_the_whole_reply_only(short: str, end: str) -> None:
    match = classify_reply(short + end)
    assert match is not None, short + end
    assert match.kind is MatchKind.OPT_OUT
    assert match.actionable
    for body in (f"{short}?", f"{short}{end}? I want to keep it", f"Can I {short.lower()}"):
        match = classify_reply(body)
        assert match is None or not (match.kind is MatchKind.OPT_OUT and match.actionable), body


@given(st.sampled_from(["No es mi número", "este no es mi numero", "Ya no es mi número",
                        "Ce n'est pas mon numéro", "c'est plus mon numero"]),
       st.booleans(), DECORATION)
def test_this_isnt_my_number_in_spanish_and_french_is_a_wrong_number(
    text: str, upper: bool, decoration: str
) -> None:
    body = (text.upper() if upper else text) + decoration
    match = classify_reply(body)
    assert match is not None, body
    if "?" in decoration:  # asked, not told: held for review, never acted on (fix29k)
        assert match.kind is MatchKind.OPT_OUT, body
        assert not match.actionable, body
        assert not match.wrong_number, body
    else:
        assert match.wrong_number, body


@given(
    st.sampled_from(["", "Ya ", "Por favor, "]),
    st.sampled_from(["no me envíe", "no me mande", "No me escriba", "NO ME CONTACTE",
                     "Deje de enviarme", "Pare de escribirme", "Favor de no enviarme",
                     "favor no mandarme", "No me vuelva a escribir"]),
    st.sampled_from(["", " más", " mensajes", " más mensajes", " textos", " SMS"]),
    st.sampled_from(["", " gracias", ".", "!", ", gracias"]),
)
def test_spanish_usted_request_to_stop_the_texts_is_acted_on(
    lead: str, request: str, rest: str, after: str
) -> None:
    # user29: a borrower writes to a business as usted; only plural and familiar forms
    # were read. "Ya" goes only before "no".
    if lead == "Ya " and not request.lower().startswith("no"):
        return
    if rest and request.startswith(("Deje", "Pare")) and "más" in rest:
        return  # "deje de enviarme más" is not Spanish word order for these verbs
    body = lead + request + rest + after
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language) == (MatchKind.OPT_OUT, "es"), body
    assert match.actionable, body


@given(
    st.sampled_from(["No envié", "No mandé", "Dejé de enviar", "Dejé de mandar", "No envie"]),
    st.sampled_from([" mensajes", " los mensajes", " más mensajes", " textos"]),
    st.sampled_from(["", " ayer", ".", " todavía"]),
)
def test_spanish_first_person_past_stays_ordinary(verb: str, rest: str, after: str) -> None:
    # Without its accent "envié" reads as the usted "envíe": only the pronoun ("no ME
    # envíe") tells a request from "I did not send messages".
    assert classify_reply(verb + rest + after) is None


KINDS = st.sampled_from(["rate", "rate lock", "payment", "promo", "loan status", "open house"])
NOUNS = st.sampled_from(["alerts", "texts", "updates", "reminders", "messages", "offers"])


@given(
    st.sampled_from(["Stop sending me ", "stop ", "Please stop the ", "No more ",
                     "Unsubscribe me from ", "Cancel ", "I don't want ", "Opt me out of "]),
    KINDS, NOUNS, st.sampled_from(["", " please", "!", " now", "."]),
)
def test_a_request_naming_the_kind_of_message_is_acted_on(
    request: str, kind: str, noun: str, after: str
) -> None:
    # user29: "Stop sending me rate alerts" was an ordinary reply.
    body = request + kind + " " + noun + after
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
    assert match.actionable, body


@given(st.sampled_from(["two", "2", "three", "a few"]), NOUNS,
       st.sampled_from(["", " a day", " a week please", "?"]))
def test_no_more_than_a_number_of_messages_is_no_opt_out(
    count: str, noun: str, after: str
) -> None:
    body = f"No more than {count} {noun}{after}"
    assert classify_reply(body) is None, body


@given(
    st.sampled_from(["No más ", "Ya no quiero ", "No deseo recibir ", "No me envíen más ",
                     "Deje de enviarme ", "Dejen de mandarme ", "Favor de no enviarme "]),
    st.sampled_from(["mensajes de texto", "alertas", "ofertas", "promociones",
                     "notificaciones", "recordatorios", "mensajes", "textos"]),
    st.sampled_from(["", " de ustedes", " sobre préstamos", " de tasas", " acerca de la tasa"]),
    st.sampled_from(["", ", gracias", ".", "!"]),
)
def test_spanish_request_naming_the_messages_is_acted_on(
    request: str, words: str, topic: str, after: str
) -> None:
    # user29: "No más mensajes de texto" and "No más alertas" were ordinary replies.
    body = request + words + topic + after
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language) == (MatchKind.OPT_OUT, "es"), body
    assert match.actionable, body


@given(
    st.sampled_from(["Stop sending me ", "No more ", "Unsubscribe me from ",
                     "Stop sending me the ", "I don't want "]),
    st.sampled_from(["email", "voicemail", "whatsapp", "so many", "too many", "duplicate",
                     "double", "3", "two", "early morning", "late night", "Spanish",
                     "english"]),
    NOUNS, st.sampled_from(["", " please", "!", "."]),
)
def test_messages_named_by_channel_count_hour_or_language_are_no_opt_out(
    request: str, how: str, noun: str, after: str
) -> None:
    # Review rev27u: "Stop sending me email alerts", "... so many texts", "... early
    # morning texts" stopped every text.
    body = f"{request}{how} {noun}{after}"
    match = classify_reply(body)
    assert match is None or match.kind is not MatchKind.OPT_OUT, body


@given(
    st.sampled_from(["No más ", "Dejen de enviarme ", "Deje de enviarme ",
                     "No me envíe ", "Favor de no enviarme "]),
    st.sampled_from(["mensajes", "alertas", "notificaciones", "textos"]),
    st.sampled_from([" de voz", " de WhatsApp", " de correo", " de la app", " de noche",
                     " de madrugada", " de dos en dos"]),
    st.sampled_from(["", ", gracias", "."]),
)
def test_spanish_messages_named_by_channel_or_hour_are_no_opt_out(
    request: str, words: str, how: str, after: str
) -> None:
    body = request + words + how + after
    match = classify_reply(body)
    assert match is None or match.kind is not MatchKind.OPT_OUT, body
