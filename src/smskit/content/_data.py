"""Data only: content-lint rules, word lists and URL-shortener domains, with sources.

Status letters follow the reference: ``"V"`` verified against a first-party
page, ``"S"`` secondary, ``"U"`` unverified (a labelled default, never a
silent certainty). Word lists are deliberately short and literal: they flag
words for a person to review; they do not classify messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from ..findings import Severity

__all__: list[str] = []  # private module: used by smskit.content

_TWILIO_FILTERING: Final = (
    "https://support.twilio.com/hc/en-us/articles/"
    "1260803966670-How-do-I-prevent-my-Twilio-messages-from-being-filtered-blocked"
)
_TWILIO_FORBIDDEN: Final = (
    "https://support.twilio.com/hc/en-us/articles/"
    "360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada"
)
_TWILIO_LENGTH: Final = (
    "https://support.twilio.com/hc/en-us/articles/"
    "360033806753-Maximum-Message-Length-with-Twilio-Programmable-Messaging"
)
_CTIA_HANDBOOK: Final = "https://usshortcodedirectory.com/ctia-short-code-monitoring-handbook/"
_CASL_GUIDE: Final = "https://crtc.gc.ca/eng/com500/guide.htm"
_SHORTENER_LIST: Final = (
    "https://upccell.zendesk.com/hc/en-us/articles/"
    "35150610082323-Important-Prohibit-Using-Shared-Public-URL-Shorteners"
)
_UCS2: Final = "https://www.twilio.com/docs/glossary/what-is-ucs-2-character-encoding"
_CTIA_TYPES: Final = "https://www.10dlc.org/en/home/A2PConsent"
_DUAL_PURPOSE: Final = "https://adotat.com/2016/02/tcpa-consent-how-to-obtain-legally-and-ethically"
_SMART_ENCODING: Final = (
    "https://www.twilio.com/blog/copilot-just-got-even-smarter-announcing-smart-encoding-html"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule: its stable code, default severity, and where it comes from."""

    code: str
    severity: Severity
    source: str
    status: str
    summary: str


RULES: Final = MappingProxyType({rule.code: rule for rule in (
    Rule("content.empty", Severity.BLOCK, "smskit rule: nothing to deliver", "V",
         "empty body and no media"),
    Rule("content.placeholder", Severity.BLOCK, "smskit rule: template not rendered", "V",
         "an unfilled template placeholder such as {first_name}"),
    Rule("content.opt_out_missing", Severity.WARNING,
         f"{_TWILIO_FILTERING} ; {_CTIA_HANDBOOK} ; {_CASL_GUIDE}", "V",
         "no opt-out instructions in a marketing message or a first message"),
    Rule("content.sender_id_missing", Severity.WARNING,
         f"{_TWILIO_FILTERING} ; https://www.twilio.com/docs/api/errors/30823 ; {_CASL_GUIDE}",
         "V", "the brand name is absent from a first message"),
    Rule("content.sender_id_unchecked", Severity.INFO, _TWILIO_FILTERING, "V",
         "first message, but no brand given to look for"),
    Rule("content.offer_not_marketing", Severity.WARNING, f"{_CTIA_TYPES} ; {_DUAL_PURPOSE}",
         "S", "an offer (\"20% off\", a promo code) in a text not sent as marketing"),
    Rule("content.url_shortener", Severity.BLOCK, f"{_TWILIO_FORBIDDEN} ; {_SHORTENER_LIST}",
         "V", "a link through a shared public URL shortener"),
    Rule("content.restricted.sex", Severity.WARNING,
         "https://www.twilio.com/docs/api/errors/30441 ; "
         "https://www.twilio.com/docs/api/errors/30873", "V", "SHAFT: sexual content words"),
    Rule("content.restricted.hate", Severity.WARNING,
         "https://www.twilio.com/docs/api/errors/30874", "V", "SHAFT: hate-speech phrases"),
    Rule("content.restricted.alcohol", Severity.WARNING,
         f"https://www.twilio.com/docs/api/errors/30441 ; {_TWILIO_FORBIDDEN}", "V",
         "SHAFT: alcohol words"),
    Rule("content.restricted.firearms", Severity.WARNING,
         f"https://www.twilio.com/docs/api/errors/30441 ; {_TWILIO_FORBIDDEN}", "V",
         "SHAFT: firearms words"),
    Rule("content.restricted.tobacco", Severity.WARNING,
         f"https://www.twilio.com/docs/api/errors/30441 ; {_TWILIO_FORBIDDEN}", "V",
         "SHAFT: tobacco and vape words"),
    Rule("content.restricted.cannabis", Severity.WARNING, _TWILIO_FORBIDDEN, "V",
         "cannabis and CBD words (forbidden in the US at Twilio)"),
    Rule("content.restricted.high_risk_finance", Severity.WARNING, _TWILIO_FORBIDDEN, "V",
         "high-risk finance: payday loans, debt relief, credit repair, crypto"),
    Rule("content.too_long", Severity.BLOCK,
         f"{_TWILIO_LENGTH} ; https://twilio.com/docs/api/errors/21617", "V",
         "over the provider's 1,600-character limit"),
    Rule("content.segments_over_limit", Severity.BLOCK,
         "sender configuration (segments_limit)", "V",
         "more segments than the sender allows"),
    Rule("content.ucs2_cost", Severity.WARNING, f"{_UCS2} ; {_SMART_ENCODING}", "V",
         "a few non-GSM characters force UCS-2 and cost extra segments"),
)})

#: The provider length limit (characters per message body).
MAX_CHARACTERS: Final = 1_600

# The keyword is a word of its own, not part of another ("we text end-of-season deals",
# "end of month reminders", "stop-motion", "endless"): such a text says nothing of opting
# out, and the engine would leave out the footer that does.
_NOT_A_PART: Final = r"\b(?![-‐‑]\w|\s+of\b)"

#: Opt-out instructions, matched case-insensitively. English forms are the
#: CTIA/Twilio wording (V); the Spanish forms are a labelled default (U).
OPT_OUT_PATTERNS: Final = (
    # "Reply STOP", "Reply with STOP", "Reply: STOP", "text 'END'", "Txt STOP to ...", the
    # Spanish imperatives "Responde/Responda ALTO", "Envía BAJA" (U), and the French
    # "Répondez/Répondre/Textez STOP" or "ARRÊT", "ARRÊTEZ", "ARRÊTER" (ARRET: AWS US/CA
    # default, V; the verbs and the longer forms, opt-out keywords of ours: U).
    r"\b(?:reply|text|txt|send|respond|respond[ae]|env[ií][ae]|contest[ae]|"
    r"r[ée]pondez|r[ée]pondre|textez|envoyez|tapez)"
    # Possessive runs (Python 3.11): none gives spaces back to the next, which tried every
    # split of a long run of spaces ("reply" and 2,000 spaces took minutes).
    r"(?:\s++back)?(?:\s++(?:with|con|avec))?\s*+:?\s*+[\"'“‘«]?\s*+"
    # "Reply HELP/STOP", "Reply HELP or STOP": HELP named first still instructs STOP.
    r"(?:help[\"'”’»]?\s*+(?:/|(?P<then>,|&|or|and))\s*+[\"'“‘«]?\s*+)?"
    r"(?:stop[\s\-]?all|stop|end|cancel|unsubscribe|quit|revoke|optout|opt-out|alto|baja|"
    r"arr[eê]t(?:e|ez|er)?)" + _NOT_A_PART
    # After "or", "and", "&" or "," the keyword may be a verb ("Text HELP or stop by our
    # office", "Reply HELP and end up saving"): it counts where it ends the clause or goes
    # on to its effect ("Reply HELP or STOP.", "... or STOP to cancel", "... anytime").
    + r"(?(then)(?=[\"'”’»]?[ \t]*+(?:$|[^\w\s]|[\r\n]|(?:to|for|anytime|at\s++any)\b)))",
    # "STOP to opt out", "STOP2END", "STOP=cancel"; not "end to end", "stop for stop".
    r"\b(?P<kw>stop|end|cancel|unsubscribe|quit)\s*+(?:to|2|=|for)\s*+(?!(?P=kw)\b)"
    r"(?:opt[\s-]?out|unsubscribe|end|cancel|stop|quit|unsub)" + _NOT_A_PART,
    r"\bopt[\s-]?out\b",
    r"\bunsubscribe\b",
    r"\bpara\s+(?:cancelar|darte\s+de\s+baja)\b",
    # French "pour vous désabonner", "désinscription" (U: no provider publishes them).
    r"\bd[ée]sabonn(?:er|ement)\b|\bd[ée]sinscri(?:re|ption)\b",
)

#: What makes a text promotional, matched case-insensitively: an offer stated outright
#: (an amount or a percentage off, a promo code to use, buy-one-get-one). The opt-out
#: confirmation may carry no marketing or promotional content (FCC 47 CFR 64.1200(a)(12), V:
#: https://natlawreview.com/article/what-just-happened-new-revocation-rule-fcc-indefinitely-delays-majority-new-rules),
#: and a coupon makes a text promotional (CTIA message types, S:
#: https://www.10dlc.org/en/home/A2PConsent). English, with the amounts in French and
#: Spanish (the confirmations smskit ships in those languages). "Use code" followed by
#: digits only is a verification code ("Use code 482913 to sign in"), not a promo code.
PROMOTION_PATTERNS: Final = (
    r"\b\d{1,3}(?:[.,]\d+)?\s*(?:%|percent|pct)\s*off\b",
    r"[$€£]\s*\d+(?:[.,]\d+)?\s*off\b",
    r"\b\d+(?:[.,]\d+)?\s*(?:dollars?|bucks|usd|cad|eur|euros?)\s+off\b",
    r"\bsave\s+(?:up\s+to\s+)?(?:\d{1,3}(?:[.,]\d+)?\s*(?:%|percent)|[$€£]\s*\d+)",
    r"\b\d{1,3}(?:[.,]\d+)?\s*(?:%|percent)\s+(?:discount"
    r"|de\s+(?:descuento|rabais|r[ée]duction|remise))\b",
    r"\bhalf\s+(?:off|price)\b",
    r"\buse\s+(?:the\s+)?code\b(?![\s:#]*\d+\b)",
    r"\bbogo\b|\bbuy\s+one,?\s+get\s+one\b",
)

#: What an offer is called (a coupon, a promo code, free shipping): an offer unless the
#: clause it is in says it stops (``STOP_CUE_PATTERN``): a confirmation may name what
#: stops ("no more promo codes", "free shipping alerts"), so those words alone are no offer.
NAMED_OFFER_PATTERNS: Final = (
    r"\b(?:a|an|your|this|free|bonus)\s+coupons?\b|\bcoupon\s+codes?\b",
    r"\b(?:promo(?:tional)?|discount)\s*codes?\b",
    r"\bfree\s+(?:shipping|delivery|gift|trial)\b",
    r"\bcodes?\s+promo\b|\bc[oó]digos?\s+(?:de\s+descuento|promocional(?:es)?|promo)\b",
    r"\benv[ií]os?\s+gratis\b|\blivraison\s+gratuite\b",
)

#: Words saying that what follows in the same clause stops ("you will no longer receive",
#: "unsubscribed from", "vous ne recevrez plus", "ya no recibirá"), or names a category the
#: confirmation asks about ("reply PROMO to keep getting promo codes": the FCC lets it ask
#: which categories the revocation covers, 47 CFR 64.1200(a)(12), V).
STOP_CUE_PATTERN: Final = (
    r"\bno\s+(?:longer|more)\b|\bany\s?more\b"
    r"|\b(?:keep|continue)\s+(?:receiving|getting|to\s+receive|to\s+get)\b"
    r"|\b(?:not|never|won['’]?t|don['’]?t)\s+(?:receive|get|be\s+sent)\b"
    r"|\bunsubscribed\s+from\b|\bopted\s+out\s+of\b"
    r"|\bstop(?:ped)?\s+(?:receiving|getting|sending)\b"
    r"|\bya\s+no\b|\bno\s+m[aá]s\b|\bn(?:e\s+|['’])\w+\s+plus\b"
)

#: Where a clause ends: a cue before it says nothing about an offer after it.
CLAUSE_END_PATTERN: Final = r"[.!?;:\n]|\b(?:but|however|pero|mais)\b"

#: Template placeholder syntaxes left unrendered: {x}, {{x}}, ${x}, %X%, *|X|*, [[x]],
#: and Liquid tags {% x %}. Anything inside double braces is a field: numbered ones
#: ({{1}}: Twilio Content and WhatsApp templates), Liquid filters ({{ x | default: "y" }}),
#: Handlebars helpers ({{upper name}}); the length cap keeps each scan bounded.
PLACEHOLDER_PATTERN: Final = (
    r"\{\{\s*[^{}\s][^{}\n]{0,99}\}\}"
    r"|\{%\s*[^{}%\s][^{}%\n]{0,99}%\}"
    r"|\$\{\s*[A-Za-z_][\w.]*\s*\}"
    r"|\{\s*[A-Za-z_][\w.]*\s*\}"
    r"|%[A-Za-z_][A-Za-z0-9_]*%"
    r"|\*\|[A-Za-z0-9_]+\|\*"
    r"|\[\[\s*[A-Za-z_][\w.]*\s*\]\]"
)


@dataclass(frozen=True, slots=True)
class Shortener:
    """A shared public URL-shortener domain (subdomains match too)."""

    domain: str
    source: str
    status: str


_LISTED: Final = (
    "9qr.de", "alturl.com", "app.link", "bc.vc", "bit.do", "bit.ly", "bitly.com", "bitly.ws",
    "budurl.com", "clicky.me", "cutt.ly", "is.gd", "lc.chat", "linki.la", "lnkd.in",
    "minm.xyz", "ow.ly", "rb.gy", "rebrand.ly", "s2r.co", "serveirc.com", "shrtco.de",
    "soo.gd", "t.ly", "tiny.cc", "tinyurl.com",
)
#: Widely named public shorteners missing from the vendor list above (U).
_OFTEN_NAMED: Final = ("buff.ly", "goo.gl", "shorturl.at", "t.co", "v.gd")

#: Hosts under a listed shortener that are not shared shorteners: nobody can point them
#: anywhere but the service that made them. maps.app.goo.gl is the link Google Maps'
#: "Share" button makes (a technician's "I'm here" text); Google kept links made by
#: its apps working when it turned goo.gl off (U, labelled default).
NOT_SHORTENERS: Final = MappingProxyType({
    "maps.app.goo.gl": "https://developers.googleblog.com/en/"
    "google-url-shortener-links-will-no-longer-be-available/",
})

SHORTENERS: Final = MappingProxyType({
    **{d: Shortener(d, _SHORTENER_LIST, "S") for d in _LISTED},
    **{d: Shortener(d, "commonly named public shortener (labelled default)", "U")
       for d in _OFTEN_NAMED},
})

#: Restricted-category words, matched as whole words, case-insensitively; a
#: trailing "s" is allowed, and "ies" for a final consonant and "y" ("wineries").
#: Multi-word entries match across spaces or hyphens.
RESTRICTED_WORDS: Final = MappingProxyType({
    "content.restricted.sex": (
        "sex", "sexy", "porn", "porno", "pornography", "xxx", "nude", "naked", "erotic",
        "escort", "onlyfans", "adult content", "adult entertainment", "hookup",
    ),
    "content.restricted.hate": (
        "white power", "white supremacy", "heil hitler", "ethnic cleansing", "race war",
    ),
    "content.restricted.alcohol": (
        "alcohol", "beer", "wine", "vodka", "whiskey", "whisky", "tequila", "rum", "gin",
        "bourbon", "liquor", "brewery", "winery", "cocktail", "champagne", "margarita",
        "prosecco", "sangria", "booze", "happy hour",
    ),
    "content.restricted.firearms": (
        "gun", "firearm", "rifle", "pistol", "handgun", "shotgun", "revolver", "ammo",
        "ammunition", "ar-15", "ar15", "glock", "gun show",
    ),
    "content.restricted.tobacco": (
        "tobacco", "cigarette", "cigar", "cigarillo", "vape", "vaping", "e-cig",
        "e-cigarette", "nicotine", "juul", "hookah", "snus", "vape juice",
    ),
    "content.restricted.cannabis": (
        "cannabis", "marijuana", "cbd", "thc", "dispensary", "edible", "pre-roll", "kush",
        "delta 8", "delta-8",
    ),
    "content.restricted.high_risk_finance": (
        "payday loan", "cash advance", "title loan", "debt relief", "debt consolidation",
        "debt settlement", "credit repair", "student loan forgiveness", "get rich quick",
        "crypto", "cryptocurrency", "bitcoin", "ethereum", "no credit check",
        "guaranteed approval", "forex trading",
    ),
})

#: Ordinary business words that hold a listed word in another meaning (U: smskit's own
#: labelled default): a utility or appliance hookup (a plumber's, an installer's, a rental
#: listing's "W/D hookups"), a tool called a gun (nail, caulk, heat gun), a number masked
#: with x's ("loan XXX-4521", "(XXX) XXX-1234"). Matched case-insensitively; a listed
#: word inside one is not reported. The listed meaning stays found ("find a hookup",
#: "XXX videos", "gun show").
ORDINARY_PATTERNS: Final = (
    r"\b(?:gas|water|sewer|septic|propane|electric(?:al)?|power|utility|utilities|cable|"
    r"internet|washer|dryer|dishwasher|appliance|hose|(?<!\bon\s)(?<!\bon-)line|rv|trailer|"
    r"w/d)[\s\-]+hookups?\b"  # "on line hookups" is the listed meaning
    r"|\bhookups?[\s\-]+(?:fee|charge|cost|kit)s?\b",
    r"\b(?:nail|glue|caulk(?:ing)?|heat|staple|grease|spray|paint|radar|massage|"
    r"soldering)[\s\-]+guns?\b"
    # A price or label gun only after a determiner: "lowest price guns" is a gun offer.
    r"|\b(?:the|a|our|your|my)\s+(?:price|label)[\s\-]+guns?\b",
    r"\bx{3}(?=[\-.]?[x\d])|(?<=[\dx][\-.])x{3}\b|\(x{3}\)",
)
