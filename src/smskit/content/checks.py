"""Content lint: what in a message's text gets it filtered, refused or overcharged.

:func:`lint` checks one message body and returns :class:`~smskit.findings.Finding`
values, each with a stable code, a severity, a message saying what to fix and
the source of the rule. The rules, word lists and shortener domains are cited
data in :mod:`smskit.content._data`; every rule can be switched off or given
another severity per sender with a :class:`LintConfig`.

Restricted-category rules match literal words and report what they found:
they point a person at words to review and do not classify the message.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

import regex

from ..errors import ConfigurationError, MessageTooLongError
from ..findings import Finding, Severity, _shown, reduce_frozen
from ..keywords.classify import _LATIN_TWINS, _TWIN_LETTERS
from ..purpose import Purpose
from ..segments import MAX_SEGMENTS
from ..segments.encoding import Encoding, detect_encoding, non_gsm_characters, utf16_units
from ..segments.segmentation import count_segments, segment
from ._data import (
    CLAUSE_END_PATTERN,
    MAX_CHARACTERS,
    NAMED_OFFER_PATTERNS,
    NOT_SHORTENERS,
    OPT_OUT_PATTERNS,
    ORDINARY_PATTERNS,
    PLACEHOLDER_PATTERN,
    PROMOTION_PATTERNS,
    RESTRICTED_WORDS,
    RULES,
    SHORTENERS,
    STOP_CUE_PATTERN,
)

__all__ = [
    "CONTENT_FINDING_CODES",
    "LintConfig",
    "extract_hosts",
    "lint",
    "mentions_opt_out",
    "promotion",
]

#: Every code :func:`lint` emits, with its default severity. Public API.
CONTENT_FINDING_CODES: Final[Mapping[str, Severity]] = MappingProxyType(
    {code: rule.severity for code, rule in RULES.items()}
)

_DOMAIN: Final = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


@dataclass(frozen=True, slots=True)
class LintConfig:
    """Per-sender lint settings.

    Args:
        disabled: finding codes never reported for this sender.
        severities: severity per finding code, replacing the default.
        extra_shorteners: more public-shortener domains to flag.
        allowed_domains: domains never flagged as shorteners (your own branded
            short domain, even if it sits under a listed one).
        max_characters: the provider's length limit in UTF-16 code units (an
            emoji counts two, as Twilio counts its 1,600). ``None``: the
            sender's ``max_body_characters`` in the engine (``ContentPolicy``),
            Twilio's 1,600 for :func:`lint` alone.
        few_non_gsm: how many non-GSM characters count as "a few" for the
            UCS-2 cost warning.
        ordinary_phrases: leave unreported a restricted word inside an ordinary
            business phrase ("gas line hookup", "nail gun", "loan XXX-4521"; the
            labelled default ``ORDINARY_PATTERNS``, U). ``False`` reports every
            listed word.

    Raises:
        ConfigurationError: an unknown code, a malformed domain, a limit
            below 1, or an ``ordinary_phrases`` that is not a bool.

    .. versionadded:: 0.1.0
    """

    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    extra_shorteners: frozenset[str] = frozenset()
    allowed_domains: frozenset[str] = frozenset()
    max_characters: int | None = None
    few_non_gsm: int = 5
    ordinary_phrases: bool = True

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though severities is a read-only mapping.
        return reduce_frozen(self)

    def __hash__(self) -> int:
        # The generated hash failed on severities (a mappingproxy has none); its items,
        # sorted, hash equal for equal configs (equality compares the mappings).
        return hash((self.disabled, tuple(sorted(self.severities.items())),
                     self.extra_shorteners, self.allowed_domains, self.max_characters,
                     self.few_non_gsm, self.ordinary_phrases))

    def __post_init__(self) -> None:
        if isinstance(self.disabled, str):  # one code: not a set of its letters
            raise ConfigurationError(
                f"disabled must be a set of codes, e.g. frozenset({{{self.disabled!r}}}), "
                f"not one str: [{self.disabled!r}]",
                field="disabled",
            )
        for name, codes in (("disabled", set(self.disabled)), ("severities", set(self.severities))):
            unknown = sorted(codes - set(RULES))
            if unknown:
                raise ConfigurationError(
                    f"unknown content finding codes in {name}: {unknown}; "
                    f"known codes are listed in smskit.content.CONTENT_FINDING_CODES",
                    field=name,
                )
        for code, severity in self.severities.items():
            if not isinstance(severity, Severity):
                raise ConfigurationError(
                    f"severities[{code!r}] must be a Severity, not {severity!r}",
                    field="severities",
                )
        setattr_ = object.__setattr__
        setattr_(self, "disabled", frozenset(self.disabled))
        setattr_(self, "severities", MappingProxyType(dict(self.severities)))
        for name in ("extra_shorteners", "allowed_domains"):
            given = getattr(self, name)
            if isinstance(given, str) or any(not isinstance(d, str) for d in given):
                raise TypeError(f"{name}: give a set of domain names (str), not {given!r:.80}")
            domains = frozenset(_canonical_host(d.strip()) for d in given)
            bad = sorted(d for d in domains if not _DOMAIN.match(d))
            if bad:
                raise ConfigurationError(
                    f"{name} must hold bare domain names like 'go.example.com', got {bad}",
                    field=name,
                )
            setattr_(self, name, domains)
        if self.max_characters is not None and (
            type(self.max_characters) is not int or self.max_characters < 1
        ):
            raise ConfigurationError(
                f"max_characters must be a whole number of at least 1, not "
                f"{self.max_characters!r}",
                field="max_characters",
            )
        if type(self.few_non_gsm) is not int or self.few_non_gsm < 0:
            raise ConfigurationError(
                f"few_non_gsm must be a whole number of at least 0, not {self.few_non_gsm!r}",
                field="few_non_gsm",
            )
        if not isinstance(self.ordinary_phrases, bool):  # "false" from a file is truthy
            raise ConfigurationError(
                f"ordinary_phrases must be True or False, not {self.ordinary_phrases!r:.40}",
                field="ordinary_phrases",
            )


DEFAULT_CONFIG: Final = LintConfig()


def lint(
    text: str,
    *,
    purpose: Purpose | str,
    first_message: bool,
    brand: str | Sequence[str] | None = None,
    segments_limit: int | None = None,
    has_media: bool = False,
    config: LintConfig = DEFAULT_CONFIG,
) -> list[Finding]:
    """Lint one message body.

    Args:
        text: the rendered message body.
        purpose: why it is sent (``Purpose`` or its value, e.g. ``"marketing"``).
        first_message: the first message the sender sends in this conversation.
        brand: the sender's name (or several accepted spellings) that a first
            message must contain; ``None`` if unknown.
        segments_limit: the most segments this sender allows per message.
        has_media: the message carries media (an empty body is then fine).
        config: per-sender rule switches and severities.

    Returns:
        The findings, in rule order; empty when nothing was seen.

    Raises:
        ConfigurationError: an unknown purpose, a blank brand or one that is not a
            str or a list of str, ``first_message`` or ``has_media`` not a bool, or
            a ``segments_limit`` below 1.
        TypeError: ``text`` is not a str, or ``config`` not a ``LintConfig``.
        EncodingError: the text holds a lone surrogate (it cannot be sent).

    Example:
        >>> [f.code for f in lint("Sale! bit.ly/x", purpose="marketing", first_message=False)]
        ['content.opt_out_missing', 'content.url_shortener']

    .. versionadded:: 0.1.0
    """
    if not isinstance(text, str):
        raise TypeError(f"lint() takes the message text as a str, not {type(text).__name__}")
    kind = _purpose(purpose)
    for name, flag in (("first_message", first_message), ("has_media", has_media)):
        # A str such as "no" is truthy: it must not silently mean True.
        if type(flag) is not bool:
            raise ConfigurationError(f"{name} must be True or False, not {flag!r:.40}",
                                     field=name)
    if not isinstance(config, LintConfig):
        raise TypeError(f"config must be a LintConfig, not {type(config).__name__}")
    brands = _brands(brand)
    # Checked by _brands: the sender's own names, which are no offer ("Free Trial Co").
    names: tuple[str, ...] = (
        () if brand is None else (brand,) if isinstance(brand, str) else tuple(brand))
    if segments_limit is not None and (type(segments_limit) is not int or segments_limit < 1):
        raise ConfigurationError(
            f"segments_limit must be a whole number of at least 1 or None, not "
            f"{segments_limit!r}",
            field="segments_limit",
        )
    found = [
        *_presence(text, kind, first_message, brands, has_media),
        *_offer(text, kind, names),
        *_shorteners(text, config),
        *_restricted(text, config.ordinary_phrases),
        *_length(text, segments_limit, config),
    ]
    return [
        _adjusted(f, config) for f in found if f.code not in config.disabled
    ]


def _purpose(purpose: Purpose | str) -> Purpose:
    try:
        return Purpose(purpose)
    except ValueError:
        raise ConfigurationError(
            f"unknown purpose {_shown(purpose)}; use one of {[p.value for p in Purpose]}",
            field="purpose",
        ) from None


def _brands(brand: str | Sequence[str] | None) -> tuple[tuple[str, ...], ...]:
    listed = isinstance(brand, Sequence | set | frozenset) and not isinstance(
        brand, bytes | bytearray
    )
    if not (brand is None or isinstance(brand, str)
            or (listed and all(isinstance(n, str) for n in brand))):
        raise ConfigurationError(
            f"brand must be a name (str) or a list of names, not {brand!r:.60}", field="brand"
        )
    names = () if brand is None else (brand,) if isinstance(brand, str) else tuple(brand)
    tokens = tuple(tuple(_WORD.findall(_unaccented(name.casefold()))) for name in names)
    if any(not t for t in tokens):
        raise ConfigurationError("brand names must contain letters or digits", field="brand")
    return tokens


def _finding(code: str, message: str, source: str | None = None, **details: object) -> Finding:
    rule = RULES[code]
    return Finding(code, rule.severity, message, source or rule.source,
                   MappingProxyType(details))


def _adjusted(finding: Finding, config: LintConfig) -> Finding:
    severity = config.severities.get(finding.code)
    if severity is None or severity is finding.severity:
        return finding
    return Finding(finding.code, severity, finding.message, finding.source, finding.details)


# --- presence rules ------------------------------------------------------------------------

_WORD: Final = re.compile(r"\w+")
# One alternation: a single scan of the text instead of one per pattern.
_OPT_OUT: Final = re.compile("|".join(f"(?:{p})" for p in OPT_OUT_PATTERNS), re.IGNORECASE)
_PROMOTION: Final = re.compile("|".join(f"(?:{p})" for p in PROMOTION_PATTERNS), re.IGNORECASE)
_NAMED_OFFER: Final = re.compile(
    "|".join(f"(?:{p})" for p in NAMED_OFFER_PATTERNS), re.IGNORECASE)
_STOP_CUE: Final = re.compile(STOP_CUE_PATTERN, re.IGNORECASE)
_CLAUSE_END: Final = re.compile(CLAUSE_END_PATTERN, re.IGNORECASE)
_PLACEHOLDER: Final = re.compile(PLACEHOLDER_PATTERN)


def promotion(text: str, *, names: Iterable[str] = ()) -> str | None:
    """The first offer ``text`` states outright ("20% off", "promo code", "free
    shipping"), or ``None``: what makes an opt-out confirmation promotional.

    A coupon, a promo code or free shipping named in a clause that says it stops ("you
    will no longer receive promo codes") is no offer, nor is the sender's own name in
    ``names`` ("Free Shipping Co"), nor a verification code ("use code 482913").

    Example:
        >>> promotion("Take 20% off today"), promotion("You will get no more offers")
        ('20% off', None)
        >>> promotion("You will no longer receive promo codes")
    """
    original = text
    # Read as the handset shows it ("２０％ ｏｆｆ", "20% o<SHY>ff" are sent as "20% off"),
    # the offer given back as written.
    text = text if text.isascii() else _as_read(text)
    for name in names:
        if name.strip():
            # Blanked, not removed: the offsets below stay those of ``text``.
            text = re.sub(rf"(?<!\w){re.escape(name.strip())}(?!\w)",
                          lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    found = [m for m in (_PROMOTION.search(text),) if m is not None]
    # Searched again from the next character after a skipped one: "a\ncoupon code"
    # overlaps "coupon code", which starts a clause of its own.
    # The clause ends found once, and a clause known to hold a stop cue not searched
    # again: looked for from the head of the text for each offer, many offers that stop
    # took time growing with the square of the text.
    ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    cued = -1  # the start of the last clause found to say its offers stop
    named = _NAMED_OFFER.search(text)
    while named is not None:
        at = bisect.bisect_right(ends, named.start()) - 1
        clause = ends[at] if at >= 0 else 0
        if clause != cued:
            if _STOP_CUE.search(text, clause, named.start()) is None:
                found.append(named)
                break
            cued = clause  # a cue before this offer is before every later one of the clause
        named = _NAMED_OFFER.search(text, named.start() + 1)
    first = min(found, key=lambda m: m.start()) if found else None
    if first is None:
        return None
    if text is original:
        return original[first.start():first.end()]
    where = _origins(original)
    return original[where[first.start()]:where[first.end() - 1] + 1]


def mentions_opt_out(text: str) -> bool:
    """Whether ``text`` already tells how to opt out ("Reply STOP", "Text STOP to end").

    The same patterns :func:`lint` uses for ``content.opt_out_missing``.

    Example:
        >>> mentions_opt_out("Text STOP to end"), mentions_opt_out("See you at 5")
        (True, False)
    """
    return _OPT_OUT.search(text) is not None


def _presence(
    text: str, purpose: Purpose, first: bool, brands: tuple[tuple[str, ...], ...],
    has_media: bool,
) -> Iterator[Finding]:
    if not text.strip() and not has_media:
        yield _finding("content.empty", "the message has no text and no media: nothing to send")
        return
    placeholders = _placeholders(text)
    if placeholders:
        yield _finding(
            "content.placeholder",
            f"unfilled template placeholders {list(placeholders)}: render the template first",
            placeholders=placeholders,
        )
    needs_opt_out = purpose is Purpose.MARKETING or (
        first and purpose is not Purpose.CONVERSATIONAL
    )
    if needs_opt_out and not _OPT_OUT.search(text):
        why = "a marketing message" if purpose is Purpose.MARKETING else "a first message"
        yield _finding(
            "content.opt_out_missing",
            f"{why} should say how to opt out, e.g. 'Reply STOP to opt out'",
            purpose=purpose.value, first_message=first,
        )
    if not first:
        return
    if not brands:
        yield _finding(
            "content.sender_id_unchecked",
            "first message, but no brand was given: pass brand= to check that the "
            "sender is named",
        )
        return
    # A brand seen only inside a link ("bit.ly/acme") does not name the sender.
    bare = _BARE_URL.sub(" ", _SCHEME_URL.sub(" ", text))
    words = _WORD.findall(_unaccented(bare.casefold()))
    if not any(_contains(words, name) for name in brands):
        yield _finding(
            "content.sender_id_missing",
            "a first message should name the sender: include the brand name",
            brands=tuple(" ".join(name) for name in brands),
        )


def _offer(text: str, kind: Purpose, names: Sequence[str]) -> Iterator[Finding]:
    # CTIA: an informational text with a coupon or sales call to action is promotional;
    # a dual-purpose text is telemarketing under the TCPA (both S). Sent as anything
    # but marketing it would skip the written consent and the quiet hours it needs.
    if kind is Purpose.MARKETING:
        return
    offer = promotion(text, names=names)
    if offer is not None:
        yield _finding(
            "content.offer_not_marketing",
            f"this {kind.value} text offers {offer!r}: a text that also promotes is "
            "marketing (express written consent, quiet hours); send it with "
            "purpose=marketing, or take the offer out",
            offer=offer, purpose=kind.value,
        )


def _placeholders(text: str) -> tuple[str, ...]:
    """Unfilled placeholders, in order, once each; ``%XX%`` inside a link is
    percent-encoding (``caf%C3%A9``), not a template field."""
    found = list(_PLACEHOLDER.finditer(text))
    if any(m.group().startswith("%") for m in found):
        spans = sorted([m.span() for m in _SCHEME_URL.finditer(text)]
                       + [m.span() for m in _BARE_URL.finditer(text)])
        starts: list[int] = []  # merged, so one bisect answers "inside a link?"
        ends: list[int] = []
        for start, end in spans:
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)

        def in_link(at: int) -> bool:
            i = bisect.bisect_right(starts, at) - 1
            return i >= 0 and at < ends[i]

        found = [m for m in found if not (m.group().startswith("%") and in_link(m.start()))]
    return tuple(dict.fromkeys(m.group() for m in found))


def _unaccented(text: str) -> str:
    """Accents removed: senders write "Creperie" for "Crêperie" (GSM-7 has no ê)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _contains(words: list[str], name: tuple[str, ...]) -> bool:
    """Whether ``name``'s words appear consecutively in ``words``."""
    width = len(name)
    return any(tuple(words[i : i + width]) == name for i in range(len(words) - width + 1))


# --- links ---------------------------------------------------------------------------------

# Schemes are short: capping the length keeps each start's scan bounded (an
# unbounded one made long runs like "a-a-a-..." quadratic), and with no anchor a
# link glued to a long word ("...xxxhttps://bit.ly/x") is still found.
_SCHEME_URL: Final = re.compile(r"[a-z][a-z0-9+.\-]{0,31}://[^\s<>\"']+", re.IGNORECASE)
_BARE_URL: Final = re.compile(
    r"(?<![\w@.\-/])"
    r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9\-]{1,59})"
    r"(?![\w\-])(?::\d{1,5})?(?:[/?#][^\s<>\"']*)?",
    re.IGNORECASE,
)
_TRAILING: Final = ".,;:!?)]}'\"…"
# Zero-width space and joiner, soft hyphen, word joiner, BOM, direction marks.
_INVISIBLE: Final = regex.compile(r"\p{Cf}+")


def extract_hosts(text: str) -> list[tuple[str, str]]:
    """Every link in ``text`` with its host name: ``[(url, host), ...]``.

    Finds URLs with a scheme (``https://bit.ly/x``) and scheme-less ones
    (``bit.ly/x``, ``www.example.com``), strips trailing sentence punctuation,
    and parses each with :func:`urllib.parse.urlsplit`, so ``user@host``
    forms and look-alikes inside longer words are handled by real parsing.
    Hosts come back as DNS sees them: lower case, Unicode labels in punycode;
    text with full-width letters or ideographic full stops is read in its
    NFKC form (``ｂｉｔ。ｌｙ/x`` opens ``bit.ly``), without invisible format characters
    (a soft hyphen or zero-width space, which smart encoding and IDNA remove).
    """
    if not text.isascii():
        # Browsers map full-width letters and ideographic full stops to ASCII
        # (IDNA), so "ｂｉｔ。ｌｙ/x" opens bit.ly: look for links in that form. Invisible
        # format characters go too: smart encoding (smskit's and the providers') and
        # IDNA remove a soft hyphen or a zero-width space, so "bit<SHY>.ly/x" is sent
        # and opened as bit.ly/x.
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_IDNA_DOTS)
    found: list[tuple[str, str]] = []
    pieces: list[str] = []
    end = 0
    for match in _SCHEME_URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        _add(found, url, url)
        # Blank it out so its path and query are not scanned again as bare hosts.
        pieces += (text[end : match.start()], " " * (match.end() - match.start()))
        end = match.end()
    rest = "".join(pieces) + text[end:]
    for match in _BARE_URL.finditer(rest):
        url = match.group().rstrip(_TRAILING)
        _add(found, url, "//" + url)
    return found


def _add(found: list[tuple[str, str]], url: str, parse: str) -> None:
    try:
        host = urlsplit(parse).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return
    if host:
        found.append((url, _canonical_host(host)))


_MAX_LABEL: Final = 63  # RFC 1035 2.3.4
_IDNA_DOTS: Final = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def _canonical_host(host: str) -> str:
    """A host name as DNS sees it: NFKC, case-folded, no final dot, Unicode labels
    in punycode (``"Bücher.example."`` -> ``"xn--bcher-kva.example"``)."""
    host = unicodedata.normalize("NFKC", host.translate(_IDNA_DOTS)).casefold().rstrip(".")
    labels = []
    for label in host.split("."):
        # Punycode takes time quadratic in the label; a Unicode label over 63
        # characters can never fit a DNS label (63 octets), so it is left as is.
        if not label.isascii() and len(label) <= _MAX_LABEL:
            # Not encodable: left as is, so it matches no listed domain.
            with contextlib.suppress(UnicodeError):
                label = "xn--" + label.encode("punycode").decode("ascii")
        labels.append(label)
    return ".".join(labels)


def _listed_suffix(host: str, domains: frozenset[str] | Mapping[str, object]) -> str | None:
    # A domain name has at most 253 characters: only the tail can be listed
    # (and a 20,000-label "host" costs no more than a real one).
    labels = host.split(".") if len(host) <= 254 else host[-254:].split(".")[1:]
    for i in range(len(labels) - 1):
        suffix = ".".join(labels[i:])
        if suffix in domains:
            return suffix
    return None


def _shorteners(text: str, config: LintConfig) -> Iterator[Finding]:
    hits: dict[str, list[str]] = {}
    for url, host in extract_hosts(text):
        if _listed_suffix(host, config.allowed_domains):
            continue
        public = None if _listed_suffix(host, NOT_SHORTENERS) else _listed_suffix(host, SHORTENERS)
        domain = public or _listed_suffix(host, config.extra_shorteners)
        if domain is not None:
            hits.setdefault(domain, []).append(url)
    for domain, urls in hits.items():
        entry = SHORTENERS.get(domain)
        rule_source = RULES["content.url_shortener"].source
        if entry is None:
            source = "LintConfig.extra_shorteners"
        elif entry.source in rule_source:
            source = rule_source
        else:
            source = f"{rule_source} ; {entry.source}"
        yield _finding(
            "content.url_shortener",
            f"{domain} is a shared public URL shortener, which US carriers filter: "
            "use a link on your own (branded) domain",
            source, domain=domain, urls=tuple(urls), status=entry.status if entry else "config",
        )


# --- restricted categories -----------------------------------------------------------------


def _form(word: str) -> str:
    # A consonant and "y" make their plural in "ies": wineries, cryptocurrencies.
    ies = len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou"
    form = re.escape(word[:-1] if ies else word).replace(r"\ ", r"[\s\-]+")
    return form + "(?:y|ies)" if ies else form


def _word_pattern(words: Sequence[str]) -> re.Pattern[str]:
    forms = sorted(map(_form, words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(forms) + r")s?(?!\w)", re.IGNORECASE)


def _first_tokens(words: Sequence[str]) -> frozenset[str]:
    return frozenset(_WORD.findall(w.casefold())[0] for w in words)


# Each category's regex runs only when one of its entries' first words is in the
# text: one findall and a set intersection instead of seven alternation scans.
_RESTRICTED: Final = tuple(
    (code, _first_tokens(words), _word_pattern(words))
    for code, words in RESTRICTED_WORDS.items()
)


# A whole run of letters holding a look-alike. The twins change it only when it is made
# of ASCII letters and look-alikes alone, checked per run: one pattern saying so
# backtracked over a long run of look-alikes ending in another letter ("ооо...ж").
_LETTERS: Final = re.compile(r"[^\W\d_]+")
_TWIN_OR_LATIN: Final = frozenset(_TWIN_LETTERS) | frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


# A Cyrillic or Greek letter with no Latin twin: a text holding one is written in that
# script, where a word of look-alikes alone is a word of it: Russian "ТНС" (TNS energo)
# is no "THC", Greek capitals "ΣΤΗΝ ΑΜΜΟ" (on the sand) hold no "AMMO".
_NATIVE: Final = regex.compile(
    r"[[\p{Cyrillic}\p{Greek}]&&\p{L}--[" + "".join(sorted(_TWIN_LETTERS)) + "]]",
    regex.VERSION1,
)


def _latin_twins(word: re.Match[str], *, native: bool = False) -> str:
    letters = word.group()
    if letters.isascii() or not _TWIN_OR_LATIN.issuperset(letters):
        return letters
    if native and not any(c.isascii() for c in letters):
        return letters  # a word of the text's own script
    return letters.translate(_LATIN_TWINS)


@functools.lru_cache(maxsize=4096)
def _char_as_read(char: str) -> str:
    # Each character on its own, so no accent is composed onto a neighbour and each
    # character read comes from one character written.
    if unicodedata.category(char) == "Cf":
        return ""
    return unicodedata.normalize("NFKC", char)


def _as_read(text: str) -> str:
    """``text`` as the handset shows it to a reader.

    Full-width letters read as plain ones (NFKC), invisible format characters (soft
    hyphen, zero-width space) are gone, as smart encoding sends the text, and Cyrillic or
    Greek look-alikes read as Latin in a word made only of Latin letters and look-alikes
    ("wіne" with a Cyrillic i), as ``normalize_reply`` reads a STOP. Real Russian or Greek
    words hold letters with no twin and stay as written, and so does a word of look-alikes
    alone in a text holding such letters ("ТНС энерго"). Accents stay: Turkish "gün" (a
    day) is no "gun".
    """
    # The twins map one letter to one.
    read = "".join(map(_char_as_read, text))
    if _NATIVE.search(read) is None:
        return _LETTERS.sub(_latin_twins, read)
    return _LETTERS.sub(functools.partial(_latin_twins, native=True), read)


def _origins(text: str) -> list[int]:
    """For each character of ``_as_read(text)``, its index in ``text``."""
    where: list[int] = []
    for index, char in enumerate(text):
        where += [index] * len(_char_as_read(char))
    return where


_ORDINARY: Final = re.compile("|".join(f"(?:{p})" for p in ORDINARY_PATTERNS), re.IGNORECASE)


def _restricted(text: str, ordinary_phrases: bool) -> Iterator[Finding]:
    # A word written with look-alikes is read as the handset shows it, and reported as
    # written, so the person finds it in the text.
    read = text if text.isascii() else _as_read(text)
    tokens = set(_WORD.findall(read.casefold()))
    tokens |= {t[:-1] for t in tokens if t.endswith("s")}
    tokens |= {t[:-3] + "y" for t in tokens if t.endswith("ies")}
    where: list[int] | None = None  # worked out only for a text with a listed word
    starts: list[int] | None = None  # likewise: the ordinary words' spans, in order
    ends: list[int] = []
    for code, first_tokens, pattern in _RESTRICTED:
        if tokens.isdisjoint(first_tokens):
            continue
        found = []
        for match in pattern.finditer(read):
            if starts is None:
                spans = [m.span() for m in _ORDINARY.finditer(read)] if ordinary_phrases else []
                starts, ends = [start for start, _ in spans], [end for _, end in spans]
            # finditer's spans do not overlap: the one starting last at or before the
            # word is the only one that can hold it.
            at = bisect.bisect_right(starts, match.start()) - 1
            if at >= 0 and match.end() <= ends[at]:
                continue  # "gas line hookup", "nail gun", "XXX-4521"
            written = match.group()
            if read is not text:
                where = _origins(text) if where is None else where
                written = text[where[match.start()]:where[match.end() - 1] + 1]
            found.append(" ".join(written.casefold().split()))
        words = tuple(dict.fromkeys(found))
        if words:
            category = code.rsplit(".", 1)[1].replace("_", " ")
            yield _finding(
                code,
                f"words from the restricted category '{category}': {list(words)}. Carriers "
                "filter or forbid such content; review it (a word list, not a classifier)",
                words=words,
            )


# --- length and cost -----------------------------------------------------------------------


def _count(text: str) -> int:
    try:
        return count_segments(text)
    except MessageTooLongError as exc:  # over 255 segments: still a number to report
        return exc.segments


def _length(text: str, segments_limit: int | None, config: LintConfig) -> Iterator[Finding]:
    if not text:
        return
    # A non-GSM character may count as more than one (Twilio 21617): an emoji or other
    # astral character is two UTF-16 units, so count units (the safe reading).
    units = utf16_units(text)
    astral = units - len(text)
    limit = MAX_CHARACTERS if config.max_characters is None else config.max_characters
    if units > limit:
        counted = f"{len(text):,} characters" + (
            f" ({units:,} UTF-16 units: emoji count twice)" if astral else ""
        )
        message = (f"{counted}; the provider limit is {limit:,}: "
                   "shorten the text or send a link")
        if astral:
            yield _finding("content.too_long", message, characters=len(text),
                           utf16_units=units, limit=limit)
        else:
            yield _finding("content.too_long", message, characters=len(text),
                           limit=limit)
    segments = _count(text)
    if segments_limit is not None and segments > segments_limit:
        yield _finding(
            "content.segments_over_limit",
            # Past 255 parts the count is the fewest the text's units could fill.
            f"{'at least ' if segments > MAX_SEGMENTS else ''}{segments} segments; "
            f"this sender allows at most {segments_limit}",
            segments=segments, limit=segments_limit,
        )
    if detect_encoding(text) is Encoding.UCS2:
        yield from _ucs2_cost(text, segments, config)


def _ucs2_cost(text: str, segments: int, config: LintConfig) -> Iterator[Finding]:
    """Warn when a few characters (or only look-alikes) make the message UCS-2."""
    culprits = non_gsm_characters(text)
    try:
        smart = segment(text, smart=True)
    except MessageTooLongError:
        return  # already reported as too long; no saving makes it sendable
    if smart.encoding is Encoding.GSM7:
        cheaper, how = smart.segment_count, "turn on smart encoding"
    elif sum(len(c.positions) for c in culprits) <= config.few_non_gsm:
        # The cost with each culprit replaced by one GSM-7 character.
        positions = {p for c in culprits for p in c.positions}
        cheaper = _count("".join("?" if i in positions else ch for i, ch in enumerate(text)))
        how = "replace or remove them"
    else:
        return
    saved = segments - cheaper
    if saved <= 0:
        return
    chars = tuple(c.char for c in culprits)
    yield _finding(
        "content.ucs2_cost",
        f"non-GSM characters {list(chars)} force UCS-2: {segments} segments instead of "
        f"{cheaper}; {how} to save {saved}",
        characters=chars, segments=segments, segments_gsm7=cheaper, saved=saved,
        smart_encoding_fixes=how.startswith("turn on"),
    )
