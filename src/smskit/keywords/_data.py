"""Reply-keyword data: which words and phrases mean opt-out, opt-in or help.

Data only; :mod:`smskit.keywords` turns it into a matcher. Every keyword names
the sources that document it. ``documented=False`` marks a word that no
provider documents as a default (chosen because it is the common word in that
language); it is a configurable default, not a certainty.

Words are written the way they are matched: case-folded, accents removed,
punctuation as single spaces ("opt out"). The matcher applies the same
normalisation to replies, so "ARRÊT", "Arret" and "arrêt!" all match "arret".
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ANSWER_WORDS",
    "CLAUSE_KEYWORDS",
    "COURTESY_CLAUSES",
    "FUZZY_EXCLUDED_WORDS",
    "KEYWORDS",
    "KIN_NOT_CUSTOMER",
    "PHRASES",
    "POLITENESS_WORDS",
    "PROVIDER_ANSWERED",
    "PROVIDER_ANSWERED_TOLL_FREE",
    "PROVIDER_ANSWERED_UNVERIFIED",
    "REVIEW_CUES",
    "REVIEW_PHRASES",
    "SOURCES",
    "TELNYX_ANSWERED",
    "TELNYX_ANSWERED_TOLL_FREE",
    "TELNYX_OPT_OUT",
    "TOLL_FREE_OPT_IN",
    "TOLL_FREE_SOURCE",
    "WHOLE_REPLY_PHRASES",
    "WRONG_NUMBER_CUES",
    "WRONG_NUMBER_PHRASES",
]

TWILIO_DEFAULTS = "https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out.md"
TWILIO_23002 = "https://static0.twilio.com/docs/api/errors/23002"
TWILIO_PROXY = "https://www.twilio.com/docs/proxy/opt-out-keywords"
TELNYX = "https://developers.telnyx.com/docs/messaging/messages/advanced-opt-in-out"
AWS = "https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html"
VONAGE = "https://developer.vonage.com/en/opt-out-assist/guides/key-word-setup"
BRAZE = "https://braze.com/docs/user_guide/message_building_by_channel/sms/keywords/optin_optout"
FCC_PER_SE = (
    "https://bankingjournal.aba.com/2024/02/"
    "fcc-clarifies-right-to-revoke-consent-for-autodialed-calls"
)
FCC_REASONABLE_MEANS = "https://www.govinfo.gov/content/pkg/FR-2024-03-05/html/2024-04587.htm"
NO_MAS_ARGUMENT = (
    "https://compliancepoint.com/marketing-compliance/"
    "fccs-consent-revocation-rule-language-analysis-and-compliance-insights"
)
TOLL_FREE_SOURCE = (
    "https://support.twilio.com/hc/en-us/articles/"
    "360058144374-Opt-out-keyword-handling-SMS-STOP-Filtering-for-Toll-Free-SMS"
)
TWILIO_STOP_FILTERING = "https://help.twilio.com/hc/en-us/articles/223134027"
TWILIO_RESERVED = (
    "https://support.twilio.com/hc/en-us/articles/"
    "223181748-Customizing-HELP-STOP-messages-for-SMS-filtering"
)

SOURCES = (
    TWILIO_DEFAULTS,
    TWILIO_23002,
    TWILIO_PROXY,
    TELNYX,
    AWS,
    VONAGE,
    BRAZE,
    FCC_PER_SE,
    FCC_REASONABLE_MEANS,
    NO_MAS_ARGUMENT,
    TOLL_FREE_SOURCE,
    TWILIO_STOP_FILTERING,
    TWILIO_RESERVED,
)


class RawKeyword(NamedTuple):
    """One default keyword: ``kind`` is ``"opt_out"``, ``"opt_in"`` or ``"help"``."""

    word: str
    kind: str
    language: str
    sources: tuple[str, ...]
    documented: bool


class RawPhrase(NamedTuple):
    """A phrase pattern, matched in full against one normalised clause of a reply."""

    name: str
    pattern: str
    kind: str
    language: str
    source: str


_OUT, _IN, _HELP = "opt_out", "opt_in", "help"
# The answers that leave a bare REMOVE beside them doubtful (see doubtful_opt_out): as
# a clause of their own; in REMOVE's clause ("yes remove") an opt-out (rev28k).
_REMOVE_ANSWERS = r"(?:no|nope|nah|no thanks|no thank you|no thx|no ty|yes|yeah|yep|yea)"

KEYWORDS: tuple[RawKeyword, ...] = (
    # English opt-out: Twilio's default list (V), Telnyx adds the two-word STOP ALL (V),
    # the FCC 2024 order lists "opt out" and "revoke" as per-se revocations (V); AWS,
    # Vonage (short codes) and Braze document their own lists (V), all within this one:
    # opt-out words are never scoped to a provider (any reasonable request counts).
    RawKeyword("stop", _OUT, "en", (TWILIO_DEFAULTS, TELNYX, AWS, VONAGE, BRAZE, FCC_PER_SE),
               True),
    RawKeyword("stopall", _OUT, "en", (TWILIO_DEFAULTS, TELNYX, BRAZE), True),
    RawKeyword("stop all", _OUT, "en", (TELNYX,), True),
    RawKeyword("unsubscribe", _OUT, "en",
               (TWILIO_DEFAULTS, TELNYX, AWS, VONAGE, BRAZE, FCC_PER_SE), True),
    RawKeyword("cancel", _OUT, "en",
               (TWILIO_DEFAULTS, TELNYX, AWS, VONAGE, BRAZE, FCC_PER_SE), True),
    RawKeyword("end", _OUT, "en", (TWILIO_DEFAULTS, TELNYX, AWS, VONAGE, BRAZE, FCC_PER_SE),
               True),
    RawKeyword("quit", _OUT, "en", (TWILIO_DEFAULTS, TELNYX, AWS, VONAGE, BRAZE, FCC_PER_SE),
               True),
    RawKeyword("revoke", _OUT, "en", (TWILIO_DEFAULTS, FCC_PER_SE), True),
    RawKeyword("optout", _OUT, "en", (TWILIO_DEFAULTS, AWS), True),
    # "OPT-OUT" (AWS) normalises to this too: inner punctuation becomes a space.
    RawKeyword("opt out", _OUT, "en", (FCC_PER_SE, AWS), True),
    RawKeyword("remove", _OUT, "en", (AWS,), True),
    RawKeyword("td", _OUT, "en", (AWS,), True),
    # English opt-in and help (HELP is a required keyword at AWS, V). Adobe's Sinch
    # connector adds NO as an opt-out and SUBSCRIBE, CONTINUE, RESUME, BEGIN as opt-ins
    # (V for Adobe; Sinch documents no list): not defaults here, since a bare "No" answers
    # a question and an opt-in re-starts texts to someone who said stop.
    RawKeyword("start", _IN, "en", (TWILIO_DEFAULTS, TWILIO_23002, TELNYX, VONAGE, BRAZE),
               True),
    RawKeyword("yes", _IN, "en", (TWILIO_DEFAULTS, TWILIO_23002, BRAZE), True),
    RawKeyword("unstop", _IN, "en", (TWILIO_DEFAULTS, TWILIO_23002, TELNYX, BRAZE), True),
    RawKeyword("join", _IN, "en", (VONAGE,), True),
    RawKeyword("help", _HELP, "en", (TWILIO_DEFAULTS, AWS, VONAGE, BRAZE), True),
    RawKeyword("info", _HELP, "en", (TWILIO_DEFAULTS, BRAZE), True),
    # French: ARRET is an AWS US/CA default; ARRETE and ARRETT appear in Twilio Proxy's
    # list. The others are the common French words, documented by no provider.
    RawKeyword("arret", _OUT, "fr", (AWS, TWILIO_PROXY), True),
    RawKeyword("arrete", _OUT, "fr", (TWILIO_PROXY,), True),
    RawKeyword("arrett", _OUT, "fr", (TWILIO_PROXY,), True),
    # The vous imperative of ARRETE, the form a customer writes to a business.
    RawKeyword("arretez", _OUT, "fr", (), False),
    # The infinitive, which French instructions use for a command ("Arrêter"): what a
    # French-Canadian customer replies. It was one edit from ARRETE, so only FUZZY.
    RawKeyword("arreter", _OUT, "fr", (), False),
    RawKeyword("desabonner", _OUT, "fr", (), False),
    # The nouns a French unsubscribe button or link reads, sent back alone.
    RawKeyword("desabonnement", _OUT, "fr", (), False),
    RawKeyword("desinscription", _OUT, "fr", (), False),
    RawKeyword("desinscrire", _OUT, "fr", (), False),
    RawKeyword("aide", _HELP, "fr", (), False),
    # Spanish: no provider documents Spanish defaults (reference 1a, U). "No mas" is
    # argued for under the FCC's "reasonable means" (S); the rest are the common words.
    RawKeyword("no mas", _OUT, "es", (NO_MAS_ARGUMENT,), False),
    RawKeyword("parar", _OUT, "es", (), False),
    RawKeyword("alto", _OUT, "es", (), False),
    RawKeyword("baja", _OUT, "es", (), False),
    RawKeyword("cancelar", _OUT, "es", (), False),
    RawKeyword("detener", _OUT, "es", (), False),
    RawKeyword("ayuda", _HELP, "es", (), False),
    RawKeyword("comenzar", _IN, "es", (), False),
)

# On US toll-free numbers the carrier lifts a STOP block only for these words.
TOLL_FREE_OPT_IN: frozenset[str] = frozenset({"start", "unstop"})

# Replies Twilio's default keyword handling answers itself on long codes (a whole reply
# of one word, case aside): the opt-out words of TWILIO_DEFAULTS; STOP, HELP and START,
# "automatically handled" with standard replies (TWILIO_RESERVED); UNSTOP, with
# automatic replies, and INFO, beside HELP (TWILIO_STOP_FILTERING). Not on a standalone
# short code: there Twilio answers neither HELP nor STOP by default (TWILIO_RESERVED). A
# messenger with keyword_replies="provider" sends no answer of its own to these.
PROVIDER_ANSWERED: frozenset[str] = frozenset(
    {
        "stop", "unsubscribe", "end", "quit", "stopall", "revoke", "optout", "cancel",
        "start", "unstop", "help", "info",
    }
)  # fmt: skip

# On a US toll-free number the network answers STOP, START and UNSTOP itself, whatever
# the provider's settings, and Twilio answers HELP and INFO (while the person is not
# opted out) (TOLL_FREE_SOURCE). The other opt-out words above are not verified for
# toll-free numbers on Twilio's current pages: smskit answers them there.
PROVIDER_ANSWERED_TOLL_FREE: frozenset[str] = frozenset(
    {"stop", "start", "unstop", "help", "info"}
)

# Telnyx's default handling on a messaging profile (TELNYX): these whole replies set or
# lift its block rule. Not HELP or INFO, nor Twilio's REVOKE and OPTOUT: Telnyx's page
# lists none of them, so a messenger with keyword_replies="provider" on Telnyx still
# answers them (a guest's HELP would otherwise get no answer from anyone).
TELNYX_ANSWERED: frozenset[str] = frozenset(
    {"stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "start", "unstop"}
)
# The words of TELNYX_ANSWERED that set Telnyx's block rule (the rest lift it).
TELNYX_OPT_OUT: frozenset[str] = frozenset(
    {"stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit"}
)
# On a US toll-free number the network answers STOP, START and UNSTOP whatever the
# provider (TOLL_FREE_SOURCE); Telnyx's pages name no HELP answer of its own there.
TELNYX_ANSWERED_TOLL_FREE: frozenset[str] = frozenset({"stop", "start", "unstop"})

# Named as a default opt-in word of Twilio's only by copies of an older version of
# TWILIO_STOP_FILTERING, not on Twilio's current pages: unverified, so smskit still
# answers it (a YES may confirm a double opt-in, and that confirmation is ours to send).
PROVIDER_ANSWERED_UNVERIFIED: frozenset[str] = frozenset({"yes"})

# Unambiguous opt-out words that also count when they make up the first or the last
# clause of a longer reply ("Wrong number. STOP", "Stop. I already paid"); a clause in
# the middle ("Wait, stop, I meant Tuesday") is too often an interjection. Words such
# as CANCEL or END stay whole-reply only: "Cancel, I can't make it" is about an appointment.
CLAUSE_KEYWORDS: frozenset[str] = frozenset(
    {
        "stop", "stopall", "stop all", "unsubscribe", "optout", "opt out", "revoke", "arret",
        # French "stop" as a command ("Non merci, arrêtez"; "Oui, arrête, merci" from a
        # customer who says tu): no other sense as a clause of its own.
        "arretez", "arreter", "arrete",
    }
)  # fmt: skip

# Answers that may lead or close a clause keyword or an opt-out phrase in one clause,
# with no punctuation between ("Not interested stop", "no thanks stop texting me",
# "stop not interested", "Yes stop"): the answer says nothing against the request. Whole
# answers only: "don't stop", "never stop", "bus stop", "stop by" lead or close with
# other words and stay ordinary, and CANCEL, END and QUIT are not clause keywords.
ANSWER_WORDS: frozenset[str] = frozenset(
    {
        "no", "nope", "nah", "no thanks", "no thank you", "no thx", "no ty", "no way",
        "not interested", "im not interested", "i m not interested", "i am not interested",
        "no longer interested", "not interested anymore", "not interested any more",
        "yes", "yeah", "yep", "yea",
        # French and Spanish (review rev27k): "Non merci stop", "Oui stop", "no me interesa
        # stop". Not a bare "non": "non stop" is the word nonstop.
        "non merci", "pas interesse", "pas interessee", "ca ne minteresse pas",
        "ca minteresse pas", "oui", "no me interesa", "no gracias",
    }
)  # fmt: skip

# Courtesy words that may surround a keyword without changing what it asks for
# ("stop please", "unsubscribe thanks"). Stripped only at the ends of a reply.
POLITENESS_WORDS: frozenset[str] = frozenset(
    {
        "please", "pls", "plz", "plse", "kindly", "thanks", "thank", "you", "thx", "ty",
        "now", "asap", "ok", "okay", "hi", "hello", "hey", "sorry", "already", "just",
        "merci", "svp", "sil", "vous", "plait", "bonjour", "por", "favor", "gracias",
        "hola", "ya", "porfavor", "porfa", "porfis",  # "por favor" run together
        # Sign-offs in the UK, Australia and New Zealand: "ta" and "cheers" (thanks),
        # "mate", a kiss ("x", "xx", "xxx").
        "ta", "cheers", "mate", "x", "xx", "xxx",
    }
)  # fmt: skip

# Whole clauses of thanks or farewell longer than courtesy words ("Yes, stop, thanks a
# lot"): after a stop clause they ask nothing, as a clause of courtesy words does. Only
# ever skipped after the stop, never matched as a request.
COURTESY_CLAUSES: frozenset[str] = frozenset(
    {
        "thanks a lot", "thanks so much", "thanks very much", "thank you very much",
        "thank you so much", "many thanks", "thank u", "thanku", "tyvm", "bye", "goodbye",
        "bye bye", "merci beaucoup", "merci bien", "merci bcp", "muchas gracias",
        "thanks bye", "thx bye", "ok bye", "have a nice day", "have a good day",
        "au revoir", "bonne journee", "bonne soiree", "adios",
    }
)  # fmt: skip

# Real words one edit away from an opt-out keyword: never reported as fuzzy.
FUZZY_EXCLUDED_WORDS: frozenset[str] = frozenset(
    {
        "shop", "step", "stops", "stoop", "stomp", "atop", "slop", "stow", "stay",
        "quiet", "quite", "quilt", "suit", "quits", "squit",
        "cancer", "cancels", "camel", "candle", "revoked", "remote", "removed", "removes",
        "alta", "auto", "alti", "baby", "bajo", "parad", "pasar", "parer",
        # opt-in words and everyday words within reach of UNSUBSCRIBE, QUIT, ALTO,
        # PARAR and ARRET: never a likely opt-out.
        "subscribe", "subscribed", "resubscribe", "quiz", "also", "para", "arrest",
        # French for subscribing again, two edits from DESINSCRIRE, DESINSCRIPTION,
        # DESABONNER and DESABONNEMENT (d->r, s dropped): the opposite request.
        "reinscrire", "reinscription", "reabonner", "reabonnement",
    }
)  # fmt: skip

# A phone number as normalize_reply leaves it ("+1 (212) 555-0123" -> "1 212 555 0123"):
# "STOP texting 2125550123" names the phone, as people on a shared or work phone write.
_PHONE = (
    r"(?:(?:this |my )?(?:number |phone |cell )?"
    r"(?:1 )?(?:[0-9]{3} [0-9]{3} [0-9]{4}|1?[0-9]{10}))"
)
_ME_ONLY = r"(?:me|us|this number|my number|my phone|my cell)"
# Opt-outs only: "stop texting 2125550123" names the phone to stop, but "start texting
# 4155550123" names a number to text instead, not the replier re-subscribing.
_ME = rf"(?:me|us|this number|my number|my phone|my cell|{_PHONE})"
# The kind of message named before the word, one or two words: "stop sending me rate
# alerts", "cancel the rate lock alerts" (user29: a borrower names the campaign). Never
# a linking word, so "no more than two texts" is no request.
# Nor a word saying how, when or where they come (review rev27u): another channel
# ("email alerts": as "Don't call me", no SMS opt-out), a count or a repeat ("so many
# texts", "duplicate texts", "3 texts": send fewer), an hour ("early morning texts", as
# "Stop texting me this early") or a language ("Spanish texts"). Digits never name one.
# Nor another channel with the texts asked for after it (review rev28k): "no more calls,
# just texts please", "no more cartas, solo texts" (the comma is gone in the whole reply).
_KIND_NOT = (
    r"than|of|and|or|but|to|for|from|by|at|in|on|with|"
    r"e|email|emails|mail|voice|voicemail|whatsapp|facebook|fb|messenger|instagram|ig|"
    r"telegram|signal|wechat|app|"
    r"calls|calling|letters|paper|cartas|llamadas|correos|just|only|solo|send|instead|"
    r"so|too|many|much|multiple|several|duplicate|duplicates|duplicated|double|repeat|"
    r"repeated|same|separate|individual|blank|empty|extra|two|three|four|five|ten|"
    r"early|late|morning|mornings|night|nighttime|midnight|overnight|weekend|weekends|"
    r"english|spanish|french|chinese|korean|vietnamese"
)
_KIND = rf"(?:(?!(?:{_KIND_NOT})\b)[a-z]+ ){{0,2}}"
_MSGS = (
    rf"(?:{_KIND}(?:texts?|txts?|messages?|msgs?|sms|alerts?|notifications?|reminders?|"
    r"updates?|promotions?|promos?|offers?|deals?|ads|adverts?|spam|"
    r"marketing(?: texts| messages)?))"
)
_MSGS_PLURAL = (
    r"(?:texts|txts|messages|msgs|sms|alerts|notifications|reminders|promotions|promos|"
    r"ads|adverts|spam|marketing(?: texts| messages)?)"
)
_THESE = r"(?:these |the |your |ur |any |all |all these |all the |all your |this |those )?"
_LIST = (
    r"(?:the |your |ur |this |that |my |all |all your |all the )?"
    r"(?:(?:mailing|texting|text|sms|contact|call|marketing|distribution) )?"
    r"(?:list|lists|database|system|contacts|contact list|texts|messages)"
)
_CALLING = r"(?:calling|phoning|ringing|emailing|e mailing|dialing|dialling)"
_TEXTING = r"(?:texting|txting|messaging|msging)"
# The relatives a parent or spouse names for the number's user ("Quit texting my
# daughter", "stop texting my wife's phone"; fix28k), and whose phone a wrong number is
# ("this isn't my number it's my husband's").
_KIN_WORDS = (
    r"(?:daughter|son|husband|hubby|wife|wifey|mom|mum|mother|dad|father|kid|child|"
    r"grandma|grandmother|grandpa|grandfather|brother|sister|boyfriend|girlfriend|"
    r"partner|fiance|fiancee|stepson|stepdaughter|aunt|uncle|niece|nephew)"
)
# "my wife's old number" too (fix28j): the number the reply came from, or one the
# replier asks about; with "use mine" beside it the reply is held for review.
_KIN = rf"(?:(?:my|our) {_KIN_WORDS}(?:s (?:old )?(?:phone|number|cell|cell phone))?)"
# "stop texting me about mortgages": the campaign's topic, one to four words.
_ABOUT_WORDS = r" (?:about|regarding) [a-z0-9]+(?: [a-z0-9]+){0,3}"
_ABOUT = rf"(?:{_ABOUT_WORDS})?"
# After "don't text my wife" a topic says what not to tell her ("about the surprise
# party"), not texts to stop, unless "anymore" or "again" follows (rev28j).
_ABOUT_AGAIN = rf"(?:{_ABOUT_WORDS}(?= (?:anymore|any more|again|ever again)))?"
_END = (
    r"(?: (?:now|right now|right away|anymore|any more|again|ever again|immediately|asap"
    r"|for good|forever|permanently))*"
)
_END_LASTING = r"(?: (?:anymore|any more|again|ever again|for good|forever|permanently))*"
# Why a relative's texts should stop for good, said after the request: the relative is no
# customer ("dont text my wife she doesnt have the account", "stop texting my mom she never
# signed up"; fix29k). A lasting reason, unlike "she's driving" (for now, held for review).
KIN_NOT_CUSTOMER = (
    r"(?:she|he|they) (?:doesnt|does not|dont|do not|didnt|did not|never) "
    r"(?:have|has|had|own|hold|open|opened) (?:an |the |this |that |any |your )?account"
    r"|(?:she|he|they) (?:didnt|did not|never) (?:sign up|signed up|agree|agreed|consent|"
    r"consented|opt in|opted in)(?: (?:for|to) (?:this|these|it|them|that|any of this))?"
    # The negation is needed: "she is the account holder" says the opposite.
    r"|(?:(?:she|he) (?:is not|isnt|is no longer)|they (?:are not|arent|are no longer)"
    r"|(?:shes|hes|theyre) (?:not|no longer)) (?:on |an |a |the )?(?:the |this |that |your )?"
    r"(?:account|account holder|customer|client|member)"
    # Nor can the texts reach them, or they want none (review rev29k: "please stop
    # texting my husband he passed away" and "... she doesn't want them" were ordinary).
    r"|(?:she|he|they) (?:passed away|passed|died|is deceased|are deceased)"
    r"|(?:shes|hes|theyre) (?:deceased|dead|passed away|passed)"
    r"|(?:she|he|they) (?:doesnt|does not|dont|do not) want (?:them|these|those|it|this|"
    r"any|(?:the |these |your |any )?(?:texts|messages|txts|msgs))"
)
# "Stop texting me or I will report you": a threat after the request does not undo it,
# however long ("... or I will report you to the FCC and my lawyer tomorrow"). The words
# after it are a possessive loop: nothing after them is matched, so nothing backtracks.
_OR_ELSE = (
    r"(?: (?:or|otherwise) (?:else|i will|i ll|ill|i am going to|im going to|"
    r"i m going to|i shall|you will|you ll|youll|my lawyer|my attorney|we will|we ll)"
    r"(?: [^ ]+)*+)?"
)
_WANT = (
    r"(?:i |we )?(?:want to|wanna|would like to|id like to|d like to|wish to|need to|"
    r"would like|want|need|d like)"
)

# What Spanish calls the messages: "mensajes de texto" is a text; "alertas", "ofertas"
# name the campaign (user29). Then whose or what about, up to three words: "de ustedes",
# "sobre préstamos", "de tasas" ("de" followed by a number is a count: "No más de dos
# mensajes" is no request, and it never reaches here, being "mas de").
# Nor after "de" a channel ("mensajes de voz", "de WhatsApp", "alertas de correo", "de
# la app"), an hour ("mensajes de noche") or a count ("de dos en dos"), as in English
# (review rev27u).
_ES_NOT_KIND = (
    "voz|correo|correos|email|emails|e mail|whatsapp|facebook|messenger|instagram|"
    "telegram|app|aplicacion|madrugada|noche|manana|tarde|dia|uno|una|dos|tres|cuatro|"
    "cinco|diez"
)
# English plurals too: people who write Spanish to a business mix in the English word
# ("ya no me manden texts", "no más messages"; fix28k).
_ES_MSGS = (
    r"(?:mensajes?(?: de texto)?|sms|textos?|msjs?|msgs?|alertas|notificaciones|"
    r"promociones|ofertas|recordatorios|texts|txts|messages)"
    r"(?: (?:de|sobre|acerca de) (?!\d|(?:la )?(?:" + _ES_NOT_KIND + r")\b)"
    r"[a-z]+(?: [a-z]+){0,2})?"
)

_WN_LEAD = r"(?:(?:sorry|oops|hi|hello|hey|um|uh|nope|no|lol|oh) )?"
# Whose the phone is, said after the statement with no stop between ("wrong number this
# is my work phone", "this isnt my number its my husbands"; fix28k): it repeats that the
# texts reached someone else. Never a statement of its own: "This is my work phone" alone
# may be a customer saying where to text.
_WN_WHOSE = (
    r" (?:its|it s|it is|this is|thats|that s|this phone is|this number is|belongs to) "
    rf"(?:(?:my|our) {_KIN_WORDS}s?(?: (?:phone|number|cell|cell phone|phone number|line))?"
    r"|(?:my|our|a) (?:work|office|business|company|home|personal|new) "
    r"(?:phone|number|cell|cell phone|phone number|line))"
)
_WN_YOU = (
    r"(?:(?:i think |i believe |pretty sure |i guess )?(?:you|u|youve|uve|youre|ur)"
    r"(?: (?:have|ve|got|are|re|must|texted|messaged|reached|sent this to|sent that to|"
    r"texting|messaging))+ )"
)
# Words that follow "this isn't" in ordinary replies; anything else there reads as a name.
_WN_NOT_NAMES = (
    "a|an|the|my|your|our|their|his|her|its|it|me|us|you|him|them|that|this|what|how|why|"
    "who|when|where|about|for|to|on|in|at|by|with|from|of|as|so|too|very|really|just|even|"
    "only|all|any|anymore|enough|here|there|now|working|right|correct|true|ok|okay|fair|"
    "fine|good|great|bad|funny|fun|helpful|possible|necessary|needed|spam|urgent|real|clear|"
    "mine|yours|ours|going|happening|over|done|acceptable|legit|valid|accurate|cool|nice|"
    "safe|free|new|old|easy|hard|worth|available|making|looking|sense|ready|finished|"
    "complete|open|closed|important|relevant|helping|normal|fixed|paid|included|covered|"
    "allowed|ideal|resolved|professional|"
    # Nouns after a name ("this isn't John's fault"): the reply is about John, to John.
    "fault|problem|issue|job|business|concern|idea|decision|choice|call|order|account|"
    "appointment|bill|invoice|car|house|phone|number|address|name|time|day|date|"
    # A state, a time or a language ("this is not delivered yet", "this isn't Tuesday",
    # "this is not English"): a complaint, not a wrong number (review rev26q). Months
    # that are also names (April, May, June, August) stay names.
    "yet|sure|exactly|quite|late|early|expensive|cheap|legal|illegal|required|"
    "today|tonight|tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday|"
    "saturday|sunday|weekend|january|february|march|july|september|october|november|"
    "december|english|spanish|french|german|italian|chinese|portuguese"
)
# A name is no word in the list above, nor a participle of five letters or more
# ("delivered", "confirmed", "cancelled", "happening"; Ted, Fred and Ned stay names).
_WN_NAME = rf"(?!(?:{_WN_NOT_NAMES})\b)(?!\p{{L}}{{3,}}(?:ed|ing)\b)\p{{L}}+"
# The verbs of "Bob doesn't have / no longer has this number" (user31).
_WN_GONE = r"(?:doesnt|does not|dont|do not|no longer|hasnt|has not|havent|have not) "
# Words after "no es el número de" that name no person: "de trabajo", "de mi esposa".
_ES_WN_NOT_NAMES = (
    "mi|mis|su|sus|tu|tus|la|el|los|las|un|una|uno|unos|unas|ningun|ninguna|nadie|ella|"
    "ellos|ellas|usted|ustedes|nosotros|esta|este|ese|esa|aqui|alli|que|quien|alguien|"
    "otra|otro|persona|trabajo|casa|oficina|hogar|contacto|emergencia|empresa|negocio|"
    "celular|telefono|cuenta|prestamo|cliente|banco|antes|ahora|hoy|siempre|nunca|ya|"
    "verdad|texto|mensajes|whatsapp|fax|linea|fijo|"
    # A number quoted in the text, checked by the borrower (review rev27u): "Ese no es el
    # número de ruta" says the routing number is wrong, not the phone.
    "referencia|confirmacion|ruta|seguro|social|pago|pagos|reclamo|orden|caso|poliza|"
    "factura|tarjeta|rastreo|seguimiento|folio|solicitud|transaccion|autorizacion|"
    "atencion|servicio|soporte|ventas|cobranza|cobros|credito|debito|sucursal|puerto|"
    "identificacion|licencia|contrato|pedido|envio|guia|codigo|clave|pin|registro|"
    "expediente|reservacion|reserva|serie|miembro|socio|empleado|agente|asesor|oficial|"
    "cobro|confianza|usuario|ayuda|informacion|info|recepcion|quejas|reclamos|tel|cel|"
    "negocios|familia|whats"
)
_ES_WN_NAME = rf"(?!(?:{_ES_WN_NOT_NAMES})\b)\p{{L}}+"
# A word every wrong-number statement holds (tests check each phrase and labelled row):
# clauses without one are not searched for a wrong number beside an opt-out.
WRONG_NUMBER_CUES = frozenset({
    "wrong", "this", "mauvais", "mauvaise", "faux", "erreur", "trompe", "trompes", "bon",
    "bonne", "equivocado", "equivocada", "incorrecto", "equivoco", "equivocaste",
    "equivocaron", "new", "numero", "este", "ese", "not", "longer",
})
# The names of the wrong-number phrases above (KeywordMatch.wrong_number).
WRONG_NUMBER_PHRASES = frozenset(
    {"wrong_number", "wrong_number_person", "wrong_number_fr", "wrong_number_es"}
)
# Phrases that count only as the whole reply, never as one clause of it, nor as a question.
WHOLE_REPLY_PHRASES = frozenset({"short_opt_out", "doubtful_opt_out", "es_doubtful_opt_out"})
# Phrases whose match is FUZZY, for a human to decide (the ledger's needs_review), never
# acted on: a reading a compliance officer could not defend either way (fix28k).
REVIEW_PHRASES = frozenset({"doubtful_opt_out", "es_doubtful_opt_out"})
# A word each of them holds: a reply with neither is not matched against them (speed).
REVIEW_CUES = frozenset({"enough", "remove", "basta", "stop"})

# Phrases name texting or contact in general, never calls or emails alone: "Don't call
# me, text me instead" asks for texts, and a call or email opt-out is another channel's.
PHRASES: tuple[RawPhrase, ...] = (
    RawPhrase(
        "stop_contacting",
        # "You can stop texting me now": permission in form, a request in fact.
        rf"(?:(?:please|pls|plz|kindly|just|you can|u can|you may|"
        rf"you can just|u can just"
        # "Can you please stop texting me?", "why won't you stop texting me?": asked, a
        # request all the same (review rev29k: both were ordinary replies).
        rf"|(?:(?:can|could|would|will) (?:you|u)|why (?:wont|will not|dont|do not|cant|"
        rf"cannot|can not) (?:you|u))(?: (?:please|pls|plz|kindly|just))?) )?"
        rf"(?:stop|quit|cease|end) (?:all )?"
        # "Stop harassing me", "quit bugging me": what the texts do to the person, said
        # with the person as its object (review rev27k).
        # "Stop texting it", "stop texting this line": the phone the reply came from
        # (review rev29k: "Not my number? stop texting it" was held for review). Texting
        # verbs only: "stop sending it" stays the bill or a package (rev28j).
        rf"(?:(?:texting|txting|textin|messaging|msging) (?:it|this (?:phone|cell|cell phone|"
        rf"line|phone number|cell number))|"
        rf"texting|txting|textin|texing|messaging|msging|contacting|spamming|bothering|harassing|"
        rf"harrassing|harasing|bugging|pestering|hounding|"
        rf"sending (?:{_ME} )?{_THESE}{_MSGS}|sending {_ME}(?: {_THESE}{_MSGS})?|"
        rf"sending (?:{_ME} )?(?:stuff|things|these|this)|sending|"
        rf"{_THESE}{_MSGS})(?: {_ME})?{_ABOUT}{_END}"
        # A laugh after it softens nothing: "stop texting me pls lol" (rev28j); "lol jk"
        # is a joke said outright, and the clause must end at the laugh.
        rf"(?:(?: (?:please|pls|plz))? (?:lol|lmao|lmfao|haha|hahaha))?{_OR_ELSE}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    # A parent or spouse for the number's user ("Quit texting my daughter", "stop texting
    # my wife's phone"; fix28k): an opt-out for the number the reply came from. Texting
    # verbs only: "Stop harassing my mother about this loan, call me instead" (rev27k)
    # is about how the debt is pursued, not whether this number gets texts.
    RawPhrase(
        "stop_texting_kin",
        # No leading courtesy: "please" and "just" are stripped from a reply's ends.
        rf"(?:(?:can you|could you|can u) )?"
        # "stop sending texts to my wife", "don't text my husband" (fix28j).
        rf"(?:(?:do not|dont|don t|never) (?:ever )?(?:text|txt|message|msg|sms|contact) {_KIN}"
        # "Don't text my wife now" is for now only: not "now", "asap", "immediately".
        rf"{_ABOUT_AGAIN}{_END_LASTING}"
        rf"|(?:stop|quit|cease) (?:texting|txting|messaging|msging|contacting"
        rf"|sending (?:(?:the |these |those |your |any |all )?(?:texts|txts|messages|msgs|sms)"
        # Not "it" or "them": the bill or a package, as "stop sending it to me" (rev28j).
        rf") to) {_KIN}{_ABOUT}{_END})"
        # The reason run on without a stop (fix29k): as it is after a comma.
        rf"(?: (?:{KIN_NOT_CUSTOMER}))?{_OR_ELSE}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    # Calls and texts in one breath ("stop calling and texting me", "don't call or text
    # me"): texting is named, so it is an SMS opt-out. A conjunction is needed where the
    # text word is a bare verb: "Don't call, text me" asks for texts instead. The loops
    # are possessive: backtracking into them made a long run of "calling me and" quadratic.
    RawPhrase(
        "stop_calls_and_texts",
        rf"(?:(?:please|pls|plz|kindly|can you|could you|can u|just) )?"
        rf"(?:stop|quit|cease) (?:{_CALLING}(?: {_ME})? (?:(?:and|or) )?)++"
        rf"{_TEXTING}(?: {_ME})?(?: (?:and|or) {_CALLING}(?: {_ME})?)?{_ABOUT}{_END}{_OR_ELSE}"
        rf"|(?:(?:please|pls|plz|kindly|can you|could you|can u|just) )?"
        rf"(?:stop|quit|cease) {_TEXTING}(?: {_ME})?(?: (?:(?:and|or) )?{_CALLING})++"
        rf"(?: {_ME})?{_ABOUT}{_END}{_OR_ELSE}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "dont_call_or_text",
        rf"(?:please |pls )?(?:do not|dont|never|don t) (?:ever )?"
        rf"(?:(?:call|phone|email|ring)(?: {_ME})? (?:or|and|nor) (?:text|txt|message|msg|sms)"
        rf"|(?:text|txt|message|msg|sms)(?: {_ME})? (?:or|and|nor) (?:call|phone|email|ring))"
        rf"(?: {_ME})?{_ABOUT}{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "unsubscribe_me",
        rf"(?:(?:please|pls|plz|kindly|can you|could you|can u) )?"
        rf"(?:unsubscribe|remove|delete|drop|erase|unenroll) {_ME}"
        # "unsubscribe me from this": the texts, pointed at (review rev27k).
        rf"(?: (?:from|off|out of|of) (?:{_LIST}|{_THESE}{_MSGS}|this|these|everything|all))?"
        rf"{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "take_me_off",
        rf"(?:(?:please|pls|plz|kindly|can you|could you|can u) )?"
        rf"(?:take|get|put) {_ME} (?:off|out of|of)(?: (?:of )?(?:{_LIST}|this|these))?{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "opt_me_out",
        rf"(?:(?:please|pls|plz|kindly|can you|could you|can u) )?"
        rf"opt {_ME} out(?: of (?:{_THESE}{_MSGS}|{_LIST}|this|everything|all))?{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "want_out",
        rf"{_WANT} (?:to )?(?:opt out|optout|unsubscribe|be removed|be taken off|"
        rf"stop (?:receiving|getting) {_THESE}{_MSGS}|"
        rf"stop (?:these|the|your|all) {_MSGS}|"
        rf"(?:no|zero) more {_MSGS})"
        rf"(?: (?:from|of) (?:{_LIST}|this|these|you|your company))?{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "unsubscribe_from",
        rf"(?:unsubscribe|opt out|optout|remove me) (?:from|of) "
        rf"(?:{_LIST}|{_THESE}{_MSGS}|this|these|you|everything|all){_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "no_more",
        # Without "more", only plural messages: "No message" (for the driver), "No deal"
        # (to an offer) and "No reminder?" are ordinary answers.
        rf"(?:(?:no|zero) more (?:{_THESE})?{_MSGS}{_ABOUT}|(?:no|zero) (?:{_THESE})?"
        rf"{_MSGS_PLURAL}"
        # "Enough with the texts": only with the texts named ("enough already" is not).
        rf"|enough (?:with |of )?{_THESE}{_MSGS_PLURAL}(?: already)?)"
        rf"(?: (?:please|pls|plz|thanks|thank you))?{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "do_not_contact",
        rf"(?:please |pls )?(?:do not|dont|never|don t) "
        rf"(?:ever )?(?:text|txt|message|msg|contact|sms)(?: {_ME})?{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "dont_want",
        rf"(?:i |we )?(?:do not|dont|don t|no longer) (?:want|wish to receive|need|"
        rf"want to receive|want to get) {_THESE}{_MSGS}{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "cancel_messages",
        rf"(?:please )?cancel (?:my )?(?:subscription|{_THESE}{_MSGS}){_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    # "revoke" and "opt out" are per-se revocation words in the FCC order; said in the
    # first person, or as revoking consent, they ask for nothing else.
    RawPhrase(
        "revoke_consent",
        rf"(?:i |we )?(?:hereby )?(?:revoke|withdraw|rescind|retract) "
        rf"(?:my |our |all |any |the )?(?:consent|permission|authori[sz]ation)"
        rf"(?: (?:to|for) (?:be (?:texted|contacted|messaged)|texting|contact|{_THESE}{_MSGS}))?"
        rf"{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    # "I never gave you permission to text me": denying the consent the texts rest on
    # asks, to a reasonable reader, for no more of them (review rev27k). Not "I never
    # agreed to this" (a fee, a charge) nor permission for something other than contact.
    RawPhrase(
        "never_consented",
        rf"(?:i|we) (?:never|did not|didnt|did nt|have never) (?:ever )?"
        rf"(?:gave|give|given) (?:you |u |ya |yall |y all |anyone )?"
        rf"(?:my |our |any |the |no )?(?:permission|consent|authori[sz]ation)"
        rf"(?: (?:to (?:text|txt|message|msg|sms|contact|send)(?: {_ME})?(?: {_THESE}{_MSGS})?"
        rf"|for (?:{_THESE}{_MSGS}|this|texts|texting|contact)))?"
        rf"|(?:i|we) (?:never|did not|didnt|did nt|have never) "
        rf"(?:agreed|agree|signed up|sign up|subscribed|subscribe|opted in|opt in|consented) "
        rf"(?:to|for) {_THESE}{_MSGS_PLURAL}{_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    # Whole replies only (classify.py checks each against the whole reply): "Stop it",
    # "Quit it", "NO MORE", "unsub". As one clause among others "it" or "more" may be
    # anything ("Stop it? I want to keep the autopay"), and as a question too ("No more?"
    # to "your last payment is due").
    RawPhrase(
        "short_opt_out",
        r"(?:stop|quit|cease) it|no more|unsub",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    # As the whole reply, and held for review (REVIEW_PHRASES): "Enough" to a promotion
    # reads as stop, to "Is 3pm enough time?" as an answer; "No thanks, remove" to "keep
    # the card on file?" removes the card, to a promotion it opts out. The reply alone
    # cannot tell them apart, so a human does (fix28k), rather than the texts going on.
    RawPhrase(
        "doubtful_opt_out",
        r"(?:(?:thats|that s|that is) )?enough(?: already| is enough)?"
        rf"|{_REMOVE_ANSWERS}(?: please| pls| plz)? remove|remove(?: please| pls| plz)? "
        rf"{_REMOVE_ANSWERS}"
        # "STOP ME" (review rev30r): to a promotion a stop, or "stop me before I buy it all".
        r"|stop me",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "i_opt_out",
        rf"(?:i|we) (?:hereby )?(?:revoke|opt out|optout|unsubscribe){_END}",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "said_stop",
        r"(?:(?:i|we) (?:already |just |have |ve )?(?:said|told you|asked you to)"
        # "how many times do I have to say stop" (review rev29k: an ordinary reply).
        r"|how many (?:times|more times) (?:do i have to|do i need to|must i|have i|did i) "
        r"(?:say|said|tell you|told you|ask you|asked you)(?: to)?) "
        r"(?:stop|unsubscribe|opt out|optout|remove me)",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase("leave_me_alone", r"leave (?:me|us) alone", _OUT, "en", FCC_REASONABLE_MEANS),
    RawPhrase(
        "lose_my_number",
        r"(?:please )?(?:lose|forget|erase) (?:my|this) number", _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "can_you_stop",
        r"(?:can|could|will|would) (?:you|u) (?:please )?(?:stop|unsubscribe me|opt me out)"
        r"(?: please)?",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "how_do_i_stop",
        # "Can I opt out?" asks to as "How do I opt out?" does (fix29w); not "can I
        # stop" nor "can I cancel": "Can I stop by?", "Can I cancel?" (a booking).
        rf"(?:how (?:do|can) (?:i|we) (?:stop|unsubscribe|opt out|cancel)"
        rf"|can (?:i|we) (?:unsubscribe|opt out))"
        # "opt out of these texts" as "unsubscribe from these texts" (rev29w).
        rf"(?: (?:from |of )?{_THESE}{_MSGS})?",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "fr_arretez",
        # "de me texter" as well as "de m'envoyer"; or the texts as the object:
        # "(veuillez) arrêter les messages", "cessez vos envois de SMS".
        r"(?:veuillez )?(?:arretez|arrete|arreter|cessez|cesser) (?:"
        r"(?:de )?(?:m ?|me |nous )?(?:envoyer|ecrire|texter|contacter|harceler)"
        r"(?: (?:des |les |vos |ces )?(?:sms|messages|textos|texto|courriels))?"
        r"|(?:l ?envoi (?:de |des |d )?|(?:les |vos |ces )envois (?:de |des |d )?)?"
        r"(?:les |vos |ces |des )?(?:sms|messages|textos|texto))",
        _OUT, "fr", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "fr_ne_plus",
        r"(?:ne )?(?:m ?|me |nous )?(?:envoyez|ecrivez|contactez|textez) plus"
        r"(?: (?:de |d )?(?:sms|messages|textos|courriels))?(?: (?:svp|merci))?",
        _OUT, "fr", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "fr_desabonner",
        r"(?:je (?:veux|voudrais|souhaite) (?:me |m ?)?)?"
        r"(?:desabonnez moi|desinscrivez moi|desabonner|desinscrire|me desabonner|me desinscrire|"
        r"retirez moi|supprimez moi|enlevez moi|retirer mon numero|supprimer mon numero)"
        r"(?: (?:de|du) (?:la |votre |cette )?(?:liste|service|sms|envoi))?",
        _OUT, "fr", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "fr_ne_veux_plus",
        # "Je ne veux plus recevoir de messages"; "veux pas" without "ne" is still a no,
        # "veux plus" without it reads as "want more", so it needs the "ne".
        r"(?:je |j )?(?:ne (?:veux|souhaite|desire) (?:plus|pas)|(?:veux|souhaite) pas) "
        r"(?:recevoir |avoir )?(?:de |d |vos |les |ces |des )?(?:sms|messages|textos|texto)",
        _OUT, "fr", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "fr_plus_de",
        r"(?:plus|pas) (?:de |d )?(?:sms|messages|textos)", _OUT, "fr", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_no_envien",
        # After "y" only with "me": "no me llamen y escriban" may ask for texts (the
        # affirmative "escriban" reads the same), "y me escriban" cannot.
        r"(?:ya )?no (?:me |nos )?(?:(?:llamen|llames) (?:ni (?:me |nos )?|y (?:me |nos )))?"
        r"(?:envien|envies|manden|mandes|escriban|escribas|contacten)"
        rf"(?: mas)?(?: {_ES_MSGS})?(?: mas)?"
        # "no envíen texts a este número": the number the reply came from (fix28j).
        r"(?: (?:a|al) (?:este|mi) (?:numero|telefono|celular))?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_no_me_envie",
        # Usted, the form a borrower writes to a business in: "No me envíe más mensajes".
        # The pronoun is required: without accents "no envie mensajes" is also "I did
        # not send messages" (envié), a statement. "No me vuelva(n) a escribir" too.
        r"(?:ya )?no (?:me|nos) (?:vuelva a |vuelvan a )?"
        r"(?:envie|mande|escriba|contacte|enviar|mandar|escribir|contactar)"
        rf"(?: mas)?(?: {_ES_MSGS})?(?: mas)?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_deje_de",
        # Usted and the stop verbs: "Deje de enviarme mensajes", "Pare de escribirme".
        # Only the verbs with "me": without the accent "deje de enviar mensajes" is also
        # "I stopped sending messages" (dejé), a statement.
        r"(?:quiero que )?(?:deje|pare|paren|para|parar) de "
        r"(?:enviarme|mandarme|escribirme|contactarme|textearme)"
        rf"(?: {_ES_MSGS})?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_favor_de_no",
        # "(Por) favor (de) no enviarme mensajes", a common written request. "por" and
        # "favor" are courtesy words, stripped at the ends of a reply ("Favor de no
        # enviarme gracias" reads "de no enviarme"), so "favor" is optional.
        r"(?:favor )?(?:de )?no (?:enviarme|mandarme|escribirme|contactarme|textearme)"
        rf"(?: mas)?(?: {_ES_MSGS})?(?: mas)?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_dejen_de",
        # Asked, as "Can you stop texting me?" is (review rev27u): "¿Puede dejar de
        # enviarme mensajes?", "Quiero que dejen de ...". Not "puedo": "¿Puedo dejar de
        # pagar?" asks about the replier (and names no message verb).
        r"(?:(?:me |nos )?(?:puede|pueden|puedes|podria|podrian|podrias) dejar"
        r"|(?:quiero que )?(?:dejen|deja|dejar)) de (?:llamarme (?:y|ni) (?:de )?)?"
        r"(?:enviarme|mandarme|escribirme|enviar|mandar|contactarme)"
        rf"(?: {_ES_MSGS})?(?: (?:y|ni) (?:de )?llamarme)?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_baja",
        # "Favor de darme de baja", "Den de baja mi número" (user29).
        r"(?:(?:quiero|deseo|favor de|favor|me quiero|me gustaria) )?"
        r"(?:darme de baja|dar de baja|denme de baja|me doy de baja|den de baja|de de baja|"
        # The commands with their "me" (review rev30r): "Deme de baja" (usted), "dame de
        # baja" (tu), and "desuscribirme", Spanish for "unsubscribe me".
        r"deme de baja|dame de baja|desuscribirme|desuscribame|desuscribanme|desuscribeme|"
        r"borrenme|eliminenme|sacame|saquenme|quitame|quitenme|quiteme|"
        # usted and the familiar singular: "Sáqueme", "Bórrame", "Elimíneme", "Bájeme".
        r"saqueme|borreme|borrame|eliminame|elimineme|"
        r"cancelar (?:mi )?suscripcion)"
        r"(?: (?:este|mi|a este) (?:numero|telefono|celular))?"
        r"(?: (?:de|del) (?:la |su |esta )?(?:lista|servicio|mensajes))?"
        # "Bájeme" alone, to a text about a rate or a payment, is "lower it for me"
        # (review rev27u): only with what it takes the replier off.
        r"|(?:(?:quiero|deseo|favor de|favor) )?(?:bajame|bajeme) (?:de|del) "
        r"(?:la |su |esta )?(?:lista|servicio|mensajes)",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "es_no_mas",
        r"(?:ya )?no (?:(?:quiero|deseo)(?: recibir)? )?(?:mas )?(?:mensajes|sms|textos)"
        r"(?: mas)?"
        # The other message words need "más" or a verb: a bare "No alertas?" may ask.
        rf"|(?:ya )?no (?:(?:quiero|deseo)(?: recibir)? (?:mas )?|mas ){_ES_MSGS}(?: mas)?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "spanglish_stop",
        # English words of stopping with the Spanish for the texts or for "sending me"
        # ("No more mensajes", "stop con los mensajes", "Stop mandarme mensajes";
        # fix28k). "No more preguntas" and "stop con la música" name no message.
        rf"(?:no|zero) more {_ES_MSGS}(?: (?:please|pls|plz))?"
        r"|(?:stop|quit) (?:(?:con )?(?:los |las |tus |sus |esos |estos |esas |estas )?"
        rf"{_ES_MSGS}|(?:de )?(?:enviarme|mandarme|escribirme|textearme|contactarme)"
        rf"(?: {_ES_MSGS})?)"
        # A laugh after it softens nothing: "stop con los mensajes lol" (fix28j).
        r"(?: lol)?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    # "Basta de mensajes", "Ya basta con los textos": enough of the texts, named (fix28j).
    # "Basta ya con la lluvia" names no message. "Basta con X" without "ya" is also "X
    # is enough": "Basta con los mensajes, no me llamen" asks for the texts (rev28j).
    RawPhrase(
        "es_basta",
        r"(?:(?:ya )?basta(?: ya)? de|ya basta con|basta ya con) "
        r"(?:(?:los|las|tus|sus|esos|estos|esas|estas|tantos|tantas) )?"
        rf"{_ES_MSGS}(?: ya)?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    # "Basta" alone is "Enough": held for review as doubtful_opt_out is (fix28j).
    RawPhrase("es_doubtful_opt_out", r"(?:ya )?basta(?: ya)?", _OUT, "es", FCC_REASONABLE_MEANS),
    # "Wrong number": the person who answers is not the one who consented (a reassigned
    # or mistyped number). Not on the FCC's per-se list, but a reasonable person reads it
    # as "do not text me", and the FCC order makes revocation by any reasonable means
    # binding (Federal Register 2024-04587). Whole clauses only: "is this the wrong
    # number for billing?" and "I dialled the wrong number yesterday" are not matched.
    # Checked after every other opt-out: "Wrong number. STOP" stays a STOP.
    RawPhrase(
        "wrong_number",
        rf"{_WN_LEAD}(?:{_WN_YOU}|this is |this number is )?(?:the |a )?wrong "
        rf"(?:number|num|no|nbr|person|phone|phone number|cell|cell number|guy|girl|man|"
        rf"woman|lady|dude)"
        rf"(?: (?:sorry|lol|buddy|pal|mate|dude|bud|friend|again))*(?:{_WN_WHOSE})?",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "wrong_number_person",
        # "This isn't John": a name (one or two words), never a common word ("this
        # isn't working", "this isn't my order", "this is not a good time").
        rf"{_WN_LEAD}(?:this (?:is not|isnt|aint|is no longer) {_WN_NAME}(?: {_WN_NAME})?"
        r"(?: anymore| now)?"
        # "This is not Maria's number" (the apostrophe is dropped: "marias number").
        rf"|this (?:is not|isnt|aint|is no longer) {_WN_NAME}s (?:number|phone|cell)"
        r"(?: anymore| now)?"
        r"|this (?:number|phone) (?:belongs to|is) (?:someone|somebody) else(?: now)?"
        # "This isn't my number": the number on file is not the replier's, so the consent
        # on it was someone else's (a reassigned or mistyped number).
        r"|this (?:is not|isnt|aint|is no longer) (?:my|our) (?:number|phone number|cell number)"
        r"(?: anymore| now)?"
        r"|this (?:number|phone number) (?:is not|isnt|is no longer) (?:mine|ours)"
        r"(?: anymore| now)?"
        # "Not my number", "That's not my number" (user31): the same statement with its
        # subject left out or said as "that"; a whole clause only, so "the number on the
        # bill is not my number" and "is this not my number?" stay ordinary.
        # "Not my phone" alone is as often said of the handset ("it's not my phone,
        # it's your link"): a phone is the number only when no longer owned (rev28u).
        r"|(?:that is |thats |that s |its |it s |it is )?(?:(?:not|no longer) (?:my|our) "
        r"(?:number|phone number|cell number|cell)(?: anymore| now)?"
        r"|no longer (?:my|our) phone(?: anymore| now)?|not (?:my|our) phone (?:anymore|now))"
        r"(?: sorry| lol)?"
        # "New number, who dis": the number is new to the replier, so whoever consented
        # on it before is not who answers (a reassigned number); said in jest by the
        # one who consented, reading it so loses only sends (see docs/keywords.md).
        # Not "new phone, who dis": a new handset with its contacts lost, most often
        # the customer who consented (rev28u; user31 had added it).
        r"|(?:(?:i have|i got|ive got|i ve got|got) (?:a )?)?new (?:number|phone number|num)"
        r" (?:who (?:dis|this|is this|dat|is that|are you|r u|dis is)|whos (?:this|dis))"
        r"|this is not (?:his|her|their) (?:number|phone|cell)(?: anymore| now)?"
        # "Bob doesn't have this number anymore", "She no longer has this number", "This
        # number was reassigned" (user31): whoever consented is gone from the number.
        # "Bob doesn't have this number" without "anymore" may say he does not know it.
        # The lookahead spares the name test (a long list) in every other clause.
        rf"|(?=(?:\S+ ){{1,2}}{_WN_GONE})(?:he|she|they|{_WN_NAME}(?: {_WN_NAME})?) "
        r"(?:(?:doesnt|does not|dont|do not) have this (?:number|phone number|phone) anymore"
        r"|(?:no longer has|no longer have|hasnt had|has not had|havent had|have not had) "
        r"this (?:number|phone number|phone)(?: anymore| in years| for years| for a while)?)"
        r"|this (?:number|phone number) (?:was|has been|got|is|has) (?:been )?reassigned"
        r"(?: to me)?)"
        # Whose the phone is, said after the statement (fix28k).
        rf"(?:{_WN_WHOSE})?",
        _OUT, "en", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "wrong_number_fr",
        r"(?:(?:desole|desolee|pardon|bonjour|allo|oups) )?(?:"
        r"(?:(?:vous avez|tu as|tas|vous ecrivez au|vous textez au|vous avez ecrit au) )?"
        r"(?:le |un )?(?:mauvais (?:numero|no|num)|faux numero|erreur de numero|"
        r"mauvaise personne)(?: (?:desole|desolee))?"
        r"|(?:vous vous etes|tu tes|vous etes) trompes? (?:de numero|de personne)"
        r"|(?:ce nest pas|cest pas) (?:le bon numero|la bonne personne)"
        # "Ce n'est pas mon numéro", as "This isn't my number" (review rev27k).
        r"|(?:ce nest pas|cest pas|ce nest plus|cest plus|ce n est pas|ce n est plus) "
        r"(?:mon|notre) numero)",
        _OUT, "fr", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "wrong_number_es",
        r"(?:(?:perdon|disculpe|disculpa|lo siento|hola) )?(?:"
        r"(?:(?:tiene|tienes|tienen|usted tiene) (?:el |un )?)?"
        r"(?:numero equivocado|numero incorrecto|persona equivocada)"
        r"|(?:se equivoco|te equivocaste|se equivocaron) de (?:numero|persona)"
        # "No es mi número", as "This isn't my number" (review rev27k).
        r"|(?:este |ese )?(?:ya )?no es (?:mi|nuestro) numero(?: ya| mas)?"
        r"|(?:este|ese) numero (?:ya )?no es (?:mio|nuestro)(?: ya| mas)?"
        # "Este no es el número de María", the Spanish of "This is not Maria's number"
        # (user29). "de" must name a person: not a work or home number, a relative's
        # ("de mi esposa"), an office's. "Este número no es de X" is left out: "de"
        # there is also "from" ("no es de Puerto Rico").
        rf"|(?:este|ese) (?:ya )?no es el (?:numero|telefono|celular) de "
        rf"{_ES_WN_NAME}(?: {_ES_WN_NAME})?"
        # Whoever consented is gone from the number, the Spanish of user31's "Bob no
        # longer has this number", "This is no longer Bob's number" and "This number
        # was reassigned" (user36): "José ya no tiene este número", "Ya no tiene este
        # número" (Spanish drops the subject), "Ya no es el número de José", "Este
        # número fue reasignado". "Ya no" is "no longer": no "anymore" is needed.
        rf"|(?:(?:el|ella|ellos|ellas|{_ES_WN_NAME}(?: {_ES_WN_NAME})?) )?ya no "
        r"(?:tiene|tienen) (?:este|ese) (?:numero|telefono|celular)"
        rf"|ya no es el (?:numero|telefono|celular) de {_ES_WN_NAME}(?: {_ES_WN_NAME})?"
        r"|(?:este|ese) numero (?:fue|ha sido) reasignado)"
        r"(?: (?:lo siento|perdon|disculpe))?",
        _OUT, "es", FCC_REASONABLE_MEANS,
    ),
    RawPhrase(
        "resubscribe",
        r"(?:please )?(?:(?:resubscribe|re subscribe)(?: me)?|subscribe me|"
        r"(?:sign|opt|add|put) me (?:back )?(?:in|up|on)|opt (?:back )?in|"
        r"(?:start|unstop|subscribe) again)"
        r"(?: again| back)?",
        _IN, "en", TWILIO_23002,
    ),
    RawPhrase(
        "start_again",
        rf"(?:please )?(?:start|resume|restart) (?:texting|messaging|sending)(?: {_ME_ONLY})?"
        rf"(?: {_THESE}{_MSGS})?(?: again| back)?",
        _IN, "en", TWILIO_23002,
    ),
    RawPhrase(
        "need_help",
        r"(?:i )?(?:need|want) help|help me|help please|"
        r"what is this|who is this|what is this about",
        _HELP, "en", TWILIO_DEFAULTS,
    ),
    RawPhrase(
        "es_need_help",
        # The Spanish of "I need help" and "who is this?" (user29): answered with the
        # Spanish HELP text, as AYUDA is.
        r"(?:necesito|quiero) ayuda|ayudeme|ayudame|"
        r"quien es|quien es este|quien habla|quien me escribe|que es esto|de que se trata",
        _HELP, "es", TWILIO_DEFAULTS,
    ),
)
