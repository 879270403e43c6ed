"""Classifying inbound replies: opt-out, opt-in (re-subscribe) and help.

:func:`classify_reply` answers with a :class:`KeywordMatch` whose ``confidence``
says what a sender may do with it:

* ``EXACT``: the whole reply is a keyword once normalised ("Stop.", "ＳＴＯＰ",
  "Unsubscribe!"). Act on it.
* ``PHRASE``: a clear request in words ("stop texting me", "take me off your
  list"). The FCC's 2024 order (47 CFR 64.1200(a)(10)) makes revocation "by any
  reasonable means" binding, so these are honoured like ``EXACT``.
* ``FUZZY``: a likely misspelling of an opt-out word ("STPO", "unsubscibe"), or
  a whole reply that may or may not ask to stop ("Enough", "No thanks, remove":
  rule ``"doubtful"``). Reported for a human to review; never acted on
  automatically.

Ordinary replies that merely contain a keyword ("I can't stop by today", "End of
month works") are not matches: keywords must make up the whole reply (or a whole
clause, for a few unambiguous words), and phrases must match a whole clause.
The word lists are data (:mod:`smskit.keywords._data`), each with its sources.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import regex

from ..errors import ConfigurationError, KeywordError
from ..findings import masked_digits, reduce_frozen
from ..routes import Route
from . import _data

__all__ = [
    "Confidence",
    "Keyword",
    "KeywordMatch",
    "KeywordSet",
    "MatchKind",
    "Phrase",
    "classify_reply",
    "normalize_reply",
]


class MatchKind(StrEnum):
    """What a reply asks for."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


class Confidence(StrEnum):
    """How the reply matched, and so whether it may be acted on automatically."""

    EXACT = "exact"
    PHRASE = "phrase"
    FUZZY = "fuzzy"  # a likely misspelling, or a doubtful whole reply: for review

    @property
    def actionable(self) -> bool:
        """``True`` for ``EXACT`` and ``PHRASE``; a ``FUZZY`` match needs a human."""
        return self is not Confidence.FUZZY


_APOSTROPHES = regex.compile(r"['’ʼ‘`´]")
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_MARKS = regex.compile(r"\p{Mn}+")
# Invisible format characters (zero-width space and joiner, soft hyphen, word joiner,
# BOM, direction marks) split nothing a reader sees: "S<ZWSP>TOP" reads STOP.
_INVISIBLE = regex.compile(r"\p{Cf}+")
# Cyrillic and Greek letters drawn exactly like Latin ones ("STОP" with a Cyrillic O, as
# a keyboard layout or a filter-dodging sender types it). A word is read as Latin only
# when each of its letters is Latin or such a twin: real Russian or Greek words hold
# letters with no twin ("стоп", "ΓΕΙΑ") and stay as written.
_LATIN_TWINS = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеѕіјорсху" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
    "ABESIJKMHOPCTXYaesijopcxy" "ABEZHIKMNOPTYXo",
)
_TWIN_LETTERS = frozenset(chr(c) for c in _LATIN_TWINS)
_LETTER_RUN = regex.compile(r"\p{L}+")
# A decimal digit of another script ("٢١٢٥٥٥٠١٢٣" in Arabic-Indic, Devanagari "२", and
# the full-width "２" NFKC already reads): the phone number it writes is a number.
_OTHER_DIGIT = regex.compile(r"(?![0-9])\p{Nd}")
# A letter three or more times in a row is emphasis ("STOOOOP"): no English, French or
# Spanish keyword holds one, so the run reads as the single letter.
_ELONGATED = regex.compile(r"(?i)(\p{L})\1{2,}")
# "Wrong #": the # would become a space and leave a bare "wrong".
_WRONG_HASH = regex.compile(r"(?i)\b(wrong|mauvais)\s*#")
_CLAUSE_BREAKS = regex.compile(r"[.!?;,:\n\r()]+|\s[-–—]+\s")
# Fuzzy variants grow with the square of a word's length; a keyword is a word or a short
# phrase, never longer than one GSM-7 message.
_MAX_KEYWORD_CHARS = 160

# Full-width, small-form and vertical clause punctuation ("？", "，", "！") as ASCII: the
# clause and question steps read the reply before normalising, and "Not my number？" is
# the same question as "Not my number?" (fix29w). The ideographic full stop and comma
# ("。", "、") end a clause as "." and "," do, though NFKC keeps them ideographic, and so
# do their half-width, small and vertical forms, which NFKC makes them: "STOP。" is
# "STOP." (rough29).
_IDEOGRAPHIC_STOPS = {"\u3002": ".", "\u3001": ","}


def _clause_twin(cp: int) -> str:
    plain = unicodedata.normalize("NFKC", chr(cp))
    return _IDEOGRAPHIC_STOPS.get(plain, plain)


_WIDE_PUNCTUATION = {
    cp: _clause_twin(cp)
    for cp in (0x3001, 0x3002, *range(0xFE10, 0xFE1A), *range(0xFE50, 0xFE6C),
               *range(0xFF01, 0xFF66))
    if len(_clause_twin(cp)) == 1 and _clause_twin(cp) in ".!?;,:()"
}

# The words the FCC names as a per-se reasonable revocation of consent in a reply
# text (47 CFR 64.1200(a)(10), FCC 24-24, in force 11 April 2025), as the FCC writes
# them. A US sender's set must keep every one as an opt-out; "opt out" with its space,
# since a set given only OPTOUT reads the FCC's own "OPT OUT" as a mere fuzzy guess.
FCC_REVOCATION_WORDS = frozenset(
    {"stop", "quit", "end", "revoke", "opt out", "cancel", "unsubscribe"}
)
FCC_REVOCATION_SOURCE = "https://www.govinfo.gov/content/pkg/FR-2024-03-05/html/2024-04587.htm"
_FCC_RULE = (
    "the FCC names each a reasonable revocation of consent "
    f"(47 CFR 64.1200(a)(10), FCC 24-24, in force 11 April 2025; {FCC_REVOCATION_SOURCE})"
)


def missing_revocation_words(keywords: KeywordSet) -> tuple[str, ...]:
    """The FCC revocation words (lower case, sorted) ``keywords`` does not act on as an
    opt-out. ``KeywordSet.of`` refuses such a set; ``SenderProfile.advice`` warns of
    one built another way (``KeywordSet(...)`` directly, ``dataclasses.replace``)."""
    return tuple(sorted(
        w for w in FCC_REVOCATION_WORDS if keywords.kind_of(w) is not MatchKind.OPT_OUT
    ))


# Fuzzy matching is for words long enough that one slip still identifies them.
_FUZZY_MIN_LENGTH = 4
_FUZZY_TWO_EDITS_LENGTH = 9
_FUZZY_MAX_TOKENS = 3


def normalize_reply(text: str) -> str:
    """Normalise a reply for matching.

    Unicode NFKC (so full-width "ＳＴＯＰ" is "STOP"), invisible format characters
    removed (zero-width space, soft hyphen), Cyrillic or Greek look-alikes of Latin
    letters read as Latin in a word made only of Latin letters and look-alikes
    ("STОP" with a Cyrillic O), case-folding, accents
    removed ("arrêt" -> "arret"), apostrophes dropped ("don't" -> "dont"), every
    other run of punctuation, symbols, emoji or whitespace turned into one space,
    and the ends trimmed.

    >>> normalize_reply("  ＳＴＯＰ!! 🛑 ")
    'stop'
    >>> normalize_reply("Opt-Out")
    'opt out'
    """
    visible = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    if not visible.isascii():
        visible = _ascii_digits(visible)
        # Accents off first, so "stόp" (an accented Greek o) is judged by its base letter.
        bare = _MARKS.sub("", unicodedata.normalize("NFKD", visible))
        visible = _LETTER_RUN.sub(_latin_twins, bare)
    folded = visible.casefold()
    unmarked = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", unmarked)).strip()


def _ascii_digits(text: str) -> str:
    """``text`` with each decimal digit of another script as its ASCII digit."""
    return _OTHER_DIGIT.sub(_ascii_digit, text)


def _ascii_digit(digit: regex.Match[str]) -> str:
    # regex and unicodedata may know different Unicode versions: a digit one of them
    # does not know stays as written.
    value = unicodedata.decimal(digit.group(), None)
    return digit.group() if value is None else str(value)


def _latin_twins(word: regex.Match[str]) -> str:
    letters = word.group()
    if letters.isascii() or not all(c in _TWIN_LETTERS or c.isascii() for c in letters):
        return letters
    return letters.translate(_LATIN_TWINS)


@dataclass(frozen=True, slots=True)
class Keyword:
    """One keyword of a set.

    Attributes:
        word: the keyword as matched (normalised with :func:`normalize_reply`).
        kind: what the keyword asks for.
        language: ISO 639-1 code, or ``"custom"`` for a sender's own words.
        sources: the provider or regulator pages that document the word.
        documented: ``False`` when no provider documents the word as a default
            (a common word chosen by smskit, to be reviewed per sender).
    """

    word: str
    kind: MatchKind
    language: str = "custom"
    sources: tuple[str, ...] = ()
    documented: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.word, str):
            raise KeywordError(f"word: expected a str, got {type(self.word).__name__}")
        object.__setattr__(self, "kind", _match_kind(self.kind))
        # One URL given as a str would be cited letter by letter.
        if isinstance(self.sources, str) or not all(isinstance(u, str) for u in self.sources):
            raise KeywordError(
                f"sources: give a tuple of URLs, e.g. ({self.sources!r:.60},), not "
                f"{type(self.sources).__name__}"
            )
        object.__setattr__(self, "sources", tuple(self.sources))


@dataclass(frozen=True, slots=True)
class Phrase:
    """A pattern that must match one whole normalised clause of a reply."""

    name: str
    pattern: str
    kind: MatchKind
    language: str
    source: str


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    """What a reply was classified as.

    Attributes:
        kind: opt-out, opt-in or help.
        keyword: the keyword matched (for ``PHRASE``, the clause that matched;
            for ``FUZZY``, the keyword the reply is probably a misspelling of).
        language: the language of the keyword or phrase.
        confidence: ``EXACT``/``PHRASE`` may be acted on; ``FUZZY`` needs review.
        rule: ``"keyword"``, ``"keyword+courtesy"``, ``"keyword+number"``,
            ``"keyword+wrong_number"``, ``"clause_keyword"``, the phrase name,
            ``"fuzzy"``, or ``"doubtful"`` (a ``FUZZY`` reply that may or may not
            ask to stop, such as "Enough").
        sources: where the keyword or phrase rule comes from.
    """

    kind: MatchKind
    keyword: str
    language: str
    confidence: Confidence
    rule: str = "keyword"
    sources: tuple[str, ...] = ()

    @property
    def actionable(self) -> bool:
        """Whether the match may be acted on without a human (not ``FUZZY``)."""
        return self.confidence.actionable

    @property
    def wrong_number(self) -> bool:
        """Whether the reply says the number reached the wrong person ("Wrong number",
        "Mauvais numéro"): an opt-out the ledger records as ``wrong_number``, which a
        START from that number does not lift (the consent was someone else's)."""
        return self.kind is MatchKind.OPT_OUT and self.rule in _data.WRONG_NUMBER_PHRASES

    def __repr__(self) -> str:
        # A phrase may name the phone ("stop texting 2125550123"): masked here, as every
        # number smskit shows is; the attribute keeps the clause as matched.
        return (
            f"KeywordMatch(kind={self.kind!r}, keyword={_masked(self.keyword)!r}, "
            f"language={self.language!r}, confidence={self.confidence!r}, "
            f"rule={self.rule!r}, sources={self.sources!r})"
        )


# Seven digits or more, as a normalised clause writes a phone number ("1 212 555 0123").
_DIGIT_RUN = regex.compile(r"\d(?: ?\d){6,}")


def _masked(text: str) -> str:
    """``text`` with each run of seven digits or more shown as its first and last two."""
    return _DIGIT_RUN.sub(lambda run: masked_digits(run.group()), text)


def _default_keywords(languages: Iterable[str]) -> tuple[Keyword, ...]:
    wanted = set(languages)
    return tuple(
        Keyword(r.word, MatchKind(r.kind), r.language, r.sources, r.documented)
        for r in _data.KEYWORDS
        if r.language in wanted
    )


def _default_phrases(languages: Iterable[str]) -> tuple[Phrase, ...]:
    wanted = set(languages)
    return tuple(
        Phrase(p.name, p.pattern, MatchKind(p.kind), p.language, p.source)
        for p in _data.PHRASES
        if p.language in wanted
    )


@dataclass(frozen=True, slots=True)
class KeywordSet:
    """The keywords and phrases one sender recognises.

    Immutable: :meth:`extend`, :meth:`without` and :meth:`of` return new sets.
    A word may belong to one kind only; a set that puts a word in two kinds
    raises :class:`~smskit.errors.KeywordError` when it is created.

    Attributes:
        keywords: whole-reply keywords.
        phrases: clause patterns (empty to match keywords only).
        fuzzy: whether to report likely misspellings of opt-out words.
    """

    keywords: tuple[Keyword, ...]
    phrases: tuple[Phrase, ...] = ()
    fuzzy: bool = True
    _index: Mapping[str, Keyword] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _phrase_regex: dict[MatchKind, regex.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # The phrases held for review: whole replies only, so kept out of the clause
    # patterns (each clause of every reply would pay for them).
    _review_regex: regex.Pattern[str] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _fuzzy_regex: tuple[tuple[Keyword, regex.Pattern[str], frozenset[str]], ...] = field(
        default=(), init=False, repr=False, compare=False
    )
    # Compiled on first use (None until then): its pattern holds every opt-out word, so
    # it takes most of a set's build, and a set edited step by step (default, without,
    # extend) or only read for its words never needs it.
    _wrong_number_sides: tuple[regex.Pattern[str], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if isinstance(self.keywords, str) or not all(
            isinstance(k, Keyword) for k in self.keywords
        ):
            raise KeywordError(
                "keywords: give Keyword values (or build the set with KeywordSet.of)"
            )
        if type(self.fuzzy) is not bool:
            raise KeywordError(f"fuzzy must be True or False, not {self.fuzzy!r:.40}")
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "phrases", tuple(self.phrases))
        index: dict[str, Keyword] = {}
        for keyword in self.keywords:
            word = normalize_reply(keyword.word)
            if len(word) > _MAX_KEYWORD_CHARS:
                raise KeywordError(
                    f"keyword of {len(word):,} characters; a keyword is at most "
                    f"{_MAX_KEYWORD_CHARS} (one text message): use a phrase pattern for more"
                )
            if not word:
                raise KeywordError(
                    f"keyword {keyword.word!r} is empty once normalised; "
                    "give at least one letter or digit"
                )
            for form in {word, word.replace(" ", "")}:
                seen = index.get(form)
                if seen is not None and seen.kind is not keyword.kind:
                    raise KeywordError(
                        f"keyword {_masked(form)!r} cannot be both {seen.kind.value} and "
                        f"{keyword.kind.value}; remove it from one kind (KeywordSet.without)"
                    )
                index.setdefault(form, Keyword(word, keyword.kind, keyword.language,
                                               keyword.sources, keyword.documented))
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_phrase_regex", self._compile_phrases())
        object.__setattr__(self, "_review_regex", self._compile_phrases(review=True).get(
            MatchKind.OPT_OUT))
        object.__setattr__(self, "_fuzzy_regex", self._compile_fuzzy(index))
        stock = _stock_patterns()
        own = (p for p in self.phrases if not (isinstance(p.pattern, str) and p.pattern in stock))
        if any(p.kind is MatchKind.OPT_OUT for p in own):
            # An opt-out phrase of the sender's own goes into the wrong-number pattern,
            # where its group numbers differ ("(stop) \1" compiles alone, not there):
            # compiled now, a bad set is refused when built, not on the first reply
            # naming a wrong number. The stock phrases compile in any set of them.
            object.__setattr__(self, "_wrong_number_sides", self._compile_wrong_number_sides())

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though its index is a read-only mapping.
        return reduce_frozen(self)

    def _compile_phrases(self, *, review: bool = False) -> dict[MatchKind, regex.Pattern[str]]:
        compiled: dict[MatchKind, regex.Pattern[str]] = {}
        for kind in MatchKind:
            mine = [p for p in self.phrases
                    if p.kind is kind and (p.name in _data.REVIEW_PHRASES) is review]
            if mine:
                body = "|".join(f"(?P<{p.name}>{p.pattern})" for p in mine)
                try:
                    compiled[kind] = regex.compile(f"(?:{body})")
                except regex.error as exc:
                    raise KeywordError(f"phrase pattern does not compile: {exc}") from None
        return compiled

    @staticmethod
    def _compile_fuzzy(
        index: Mapping[str, Keyword],
    ) -> tuple[tuple[Keyword, regex.Pattern[str], frozenset[str]], ...]:
        out = []
        for form, keyword in sorted(index.items()):
            if keyword.kind is not MatchKind.OPT_OUT or " " in form:
                continue
            if len(form) < _FUZZY_MIN_LENGTH:
                continue
            edits = 2 if len(form) >= _FUZZY_TWO_EDITS_LENGTH else 1
            pattern = regex.compile(f"(?b)(?:{regex.escape(form)}){{e<={edits}}}")
            # regex counts a swap of neighbours as two edits; typed swaps are common.
            swaps = frozenset(
                form[:i] + form[i + 1] + form[i] + form[i + 2 :] for i in range(len(form) - 1)
            )
            out.append((keyword, pattern, swaps))
        return tuple(out)

    @classmethod
    def default(cls, languages: Iterable[str] = ("en", "fr", "es")) -> KeywordSet:
        """The default set: provider-documented words plus common French/Spanish ones.

        Args:
            languages: which languages to include (``"en"``, ``"fr"``, ``"es"``).
                A set without ``"en"`` still holds the FCC's revocation words as
                opt-outs (STOP, QUIT, END, REVOKE, OPT OUT/OPTOUT, CANCEL,
                UNSUBSCRIBE); drop them with ``without(..., outside_us=True)``.

        Raises:
            KeywordError: ``languages`` is one string, empty, or names a language
                with no default words (a set without them would miss every STOP).
        """
        if isinstance(languages, str):
            raise KeywordError(
                f"languages: give a tuple such as ({languages!r},), not one string"
            )
        langs = tuple(languages)
        known = sorted({r.language for r in _data.KEYWORDS})
        unknown = [lang for lang in langs if lang not in known]
        if not langs or unknown:
            raise KeywordError(
                f"languages must name at least one of {known}"
                + (f"; no default words for {_masked(repr(unknown)):.60}" if unknown else "")
            )
        keywords = _default_keywords(langs)
        if "en" not in langs:
            # A French- or Spanish-only set still holds the FCC's seven words (STOP is
            # also what French and Spanish speakers text): a US sender choosing its
            # languages must not lose them by leaving out English (review of fix29w).
            fcc = FCC_REVOCATION_WORDS | {w.replace(" ", "") for w in FCC_REVOCATION_WORDS}
            keywords += tuple(k for k in _default_keywords(("en",)) if k.word in fcc)
        return cls(keywords, _default_phrases(langs))

    @classmethod
    def of(
        cls,
        *,
        opt_out: Iterable[str] = (),
        opt_in: Iterable[str] = (),
        help: Iterable[str] = (),
        language: str = "custom",
        phrases: bool = False,
        fuzzy: bool = True,
        outside_us: bool = False,
    ) -> KeywordSet:
        """A set made only of the given words (replaces the defaults entirely).

        Raises:
            KeywordError: ``opt_out`` leaves out a word the FCC rule names (STOP,
                QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE) and ``outside_us``
                is not set: such a set would ignore a revocation a US sender must honour.
        """
        words = [
            *(Keyword(w, MatchKind.OPT_OUT, language) for w in _word_list(opt_out, "opt_out")),
            *(Keyword(w, MatchKind.OPT_IN, language) for w in _word_list(opt_in, "opt_in")),
            *(Keyword(w, MatchKind.HELP, language) for w in _word_list(help, "help")),
        ]
        built = cls(tuple(words), _default_phrases(("en",)) if phrases else (), fuzzy)
        missing = missing_revocation_words(built)
        if missing and not outside_us:
            raise KeywordError(
                f"opt_out leaves out {', '.join(m.upper() for m in missing)}: {_FCC_RULE}; "
                "add them to opt_out, or pass outside_us=True for a sender with no US numbers"
            )
        return built

    def extend(
        self,
        kind: MatchKind | str,
        words: Iterable[str],
        *,
        language: str = "custom",
        sources: tuple[str, ...] = (),
    ) -> KeywordSet:
        """A copy with more words of one kind (a sender's own keywords)."""
        match_kind = _match_kind(kind)
        added = tuple(Keyword(w, match_kind, language, sources) for w in _word_list(words, "words"))
        return KeywordSet(self.keywords + added, self.phrases, self.fuzzy)

    def without(self, *words: str, outside_us: bool = False) -> KeywordSet:
        """A copy without the given words (compared after normalisation).

        Raises:
            KeywordError: a word is one the FCC rule names (STOP, QUIT, END, REVOKE,
                OPT OUT, CANCEL, UNSUBSCRIBE) and ``outside_us`` is not set. A bare
                CANCEL revokes consent even where guests cancel bookings; "cancel my
                table" is no keyword anyway, so dropping CANCEL is never needed for it.
        """
        drop = {normalize_reply(w) for w in words}
        drop |= {w.replace(" ", "") for w in drop}
        refused = sorted(
            w for w in FCC_REVOCATION_WORDS if w in drop or w.replace(" ", "") in drop
        )
        if refused and not outside_us:
            raise KeywordError(
                f"cannot drop {', '.join(r.upper() for r in refused)}: {_FCC_RULE}; "
                "a reply with more words (\"cancel my table\") is no keyword already; "
                "pass outside_us=True only for a sender with no US numbers"
            )
        kept = tuple(k for k in self.keywords if normalize_reply(k.word) not in drop)
        return KeywordSet(kept, self.phrases, self.fuzzy)

    def kind_of(self, word: str) -> MatchKind | None:
        """The kind a word belongs to in this set, or ``None``."""
        found = self._index.get(normalize_reply(word))
        return None if found is None else found.kind

    def words(self, kind: MatchKind) -> tuple[str, ...]:
        """The normalised words of one kind, in the order given."""
        return tuple(
            dict.fromkeys(normalize_reply(k.word) for k in self.keywords if k.kind is kind)
        )

    def lookup(self, text: str, route: Route | None = None) -> Keyword | None:
        """The keyword an already-normalised text is, if it is one on ``route``."""
        route = _route(route)
        found = self._index.get(text)
        if found is None and _spelled_out(text):
            # "s t o p" is STOP spelled out; real fragments joining into a keyword
            # ("Re: move" -> REMOVE) are only a guess, left to the fuzzy pass.
            found = self._index.get(text.replace(" ", ""))
        if found is None or not _route_honours(found, route):
            return None
        return found

    def _compile_wrong_number_sides(self) -> tuple[regex.Pattern[str], ...]:
        # A wrong-number statement leading or closing a clause beside an opt-out (a
        # clause keyword or an opt-out phrase, courtesy around it): "wrong number
        # please stop" holds a STOP that the whole-clause phrases cannot see. The
        # opt-out is in the pattern so that "this isn't Maria stop texting me" splits
        # after "Maria", not after a two-word name "Maria stop".
        wrong = [p.pattern for p in self.phrases
                 if p.name in _data.WRONG_NUMBER_PHRASES and p.kind is MatchKind.OPT_OUT]
        # Beside a wrong-number statement every opt-out keyword is one, not only the
        # clause keywords: "wrong number CANCEL" is not about an appointment.
        spoken = [regex.escape(k) for k, found in sorted(self._index.items())
                  if found.kind is MatchKind.OPT_OUT]
        # A keyword may name the phone it is about ("stop 2125550123").
        said = [f"(?:{'|'.join(spoken)}){_PHONE_AFTER}?"] if spoken else []
        said += [f"(?:{p.pattern})" for p in self.phrases
                 if p.kind is MatchKind.OPT_OUT and p.name not in _data.WRONG_NUMBER_PHRASES
                 and p.name not in _data.REVIEW_PHRASES]
        if not wrong or not said:
            return ()
        polite = "|".join(regex.escape(w) for w in sorted(_data.POLITENESS_WORDS))
        opt_out = f"(?:(?:{polite}) )*(?:{'|'.join(said)})(?: (?:{polite}))*"
        body = "|".join(f"(?:{pattern})" for pattern in wrong)
        try:
            return (regex.compile(f"(?:{body}) (?P<rest>{opt_out})"),
                    regex.compile(f"(?P<rest>{opt_out}) (?:{body})"))
        except regex.error as exc:
            raise KeywordError(
                f"opt-out phrase pattern does not compile beside the wrong-number "
                f"statements: {exc}; refer to a group by name, not by number"
            ) from None

    def beside_wrong_number(self, clause: str) -> tuple[str, ...]:
        """The opt-out ``clause`` says beside a wrong-number statement leading or
        closing it (``"stop"`` in ``"wrong number stop"``), if it does."""
        if _data.WRONG_NUMBER_CUES.isdisjoint(clause.split(" ")):
            return ()
        sides = self._wrong_number_sides
        if sides is None:
            # Two threads may both compile it: the same patterns, one kept.
            sides = self._compile_wrong_number_sides()
            object.__setattr__(self, "_wrong_number_sides", sides)
        found = (side.fullmatch(clause) for side in sides)
        return tuple(m.group("rest") for m in found if m is not None)

    def match_phrase(self, clause: str, kind: MatchKind) -> str | None:
        """The name of the phrase of ``kind`` that matches all of ``clause``, if any."""
        pattern = self._phrase_regex.get(kind)
        if pattern is None:
            return None
        found = pattern.fullmatch(clause)
        return None if found is None else found.lastgroup

    def match_review(self, reply: str) -> str | None:
        """The name of the opt-out phrase held for review (``_data.REVIEW_PHRASES``)
        that the whole normalised ``reply`` is, if any."""
        found = None if self._review_regex is None else self._review_regex.fullmatch(reply)
        return None if found is None else found.lastgroup

    def phrase_source(self, name: str) -> tuple[Phrase, ...]:
        """The phrase records called ``name`` (used to cite a match)."""
        return tuple(p for p in self.phrases if p.name == name)

    def fuzzy_match(self, token: str) -> Keyword | None:
        """The opt-out keyword ``token`` probably misspells, if any."""
        if not self.fuzzy or len(token) < _FUZZY_MIN_LENGTH:
            return None
        if token in _data.FUZZY_EXCLUDED_WORDS or token in self._index:
            return None
        for keyword, pattern, swaps in self._fuzzy_regex:
            if token in swaps or pattern.fullmatch(token) is not None:
                return keyword
        return None


def _match_kind(kind: object) -> MatchKind:
    try:
        return MatchKind(kind)  # type: ignore[arg-type]  # any value: the enum rejects it
    except ValueError:
        raise KeywordError(
            f"kind must be one of {[k.value for k in MatchKind]}, got {kind!r}"
        ) from None


def _word_list(words: Iterable[str], name: str) -> tuple[str, ...]:
    # A bare str is iterable too: "halt" would become four one-letter keywords.
    if isinstance(words, str):
        raise KeywordError(f"{name}: give a list of words, e.g. [{words!r}], not one string")
    out = tuple(words)
    for word in out:
        if not isinstance(word, str):
            raise KeywordError(f"{name}: each word must be a str, got {type(word).__name__}")
    return out


def _route(route: object) -> Route | None:
    # A route read from a config file or a row arrives as its value ("toll_free"); it
    # must limit opt-ins as the member does, and a misspelt one must not mean "any".
    if route is None or isinstance(route, Route):
        return route
    try:
        return Route(route)  # type: ignore[arg-type]  # any value: the enum rejects it
    except ValueError:
        raise ConfigurationError(
            f"route must be one of {[r.value for r in Route]} or None, got {route!r:.40}",
            field="route",
        ) from None


def _spelled_out(text: str) -> bool:
    return " " in text and all(len(token) == 1 for token in text.split(" "))


def _route_honours(keyword: Keyword, route: Route | None) -> bool:
    # On toll-free numbers the carrier lifts a STOP block only for START and UNSTOP, so
    # no other word may re-grant there (reference 1a, Twilio toll-free article).
    if route is Route.TOLL_FREE and keyword.kind is MatchKind.OPT_IN:
        return keyword.word in _data.TOLL_FREE_OPT_IN
    return True


def _strip_courtesy(tokens: list[str]) -> list[str]:
    start, end = 0, len(tokens)
    while start < end and tokens[start] in _data.POLITENESS_WORDS:
        if (tokens[start] == "you" and start + 1 < end and tokens[start + 1] == "never"
                and (start == 0 or tokens[start - 1] != "thank")):
            break  # "you never text me" complains; "you stop texting me" still asks
        start += 1
    while end > start and tokens[end - 1] in _data.POLITENESS_WORDS:
        end -= 1
    return tokens[start:end]


# A phone number closing a normalised reply ("stop 1 212 555 0123", "stop 2125550123").
_PHONE_AFTER = r"(?: (?:1 )?(?:[0-9]{3} [0-9]{3} [0-9]{4}|1?[0-9]{10}))"
_TRAILING_PHONE = regex.compile(f"{_PHONE_AFTER}$")


def _before_phone(core: str) -> str | None:
    """What ``core`` says before a phone number that ends it, if one does."""
    found = _TRAILING_PHONE.search(core)
    return None if found is None else core[: found.start()]


# A phone number as people write it at either end of a reply, in any common format:
# E.164 ("+14155550123", "+33 6 12 34 56 78"), NANP ("(415) 555-0123", "415.555.0123"),
# French ("06 12 34 56 78") or Spanish ("612 345 678"). Its digits are counted apart.
_RAW_PHONE = regex.compile(r"\+?\(?[0-9][0-9 ().\-]*[0-9]")
_PHONE_DIGITS = range(9, 16)  # Spain's 9 (612 345 678) to E.164's 15
# The run an end phone is found in is cut by a scan, not a regex search: a search
# backtracked over every start of a long run of digits and spaces (cubic time).
_PHONE_RUN = frozenset("0123456789 ().+-\t,;:")
_SEPARATORS = " \t,;:"


def _is_phone(text: str) -> bool:
    return (sum(c.isdigit() for c in text) in _PHONE_DIGITS
            and _RAW_PHONE.fullmatch(text) is not None)


_PHONE_MAX_CHARS = 24  # "+1 (415) 555-0123" is 17: one number of a longer run ends within
_MAX_END_PHONES = 4  # a reply naming more is not a request about them; bounds the scans


def _last_phone(run: str) -> str | None:
    """The phone number closing ``run`` after a separator: the run itself ("remove me
    415 555 0123") or else the shortest that is one ("STOP 2125550123 4155550123" is
    two numbers, 20 digits, too many for one; "... 06 12 34 56 78" has 8 digits)."""
    whole = run.lstrip(_SEPARATORS + "-")
    if whole != run and _is_phone(whole):
        return whole
    for i in range(len(run) - 1, max(len(run) - _PHONE_MAX_CHARS, 1) - 1, -1):
        if run[i - 1] in _SEPARATORS and run[i] not in _SEPARATORS and _is_phone(run[i:]):
            return run[i:]
    return None


def _first_phone(run: str) -> str | None:
    """The phone number leading ``run`` before a separator (as :func:`_last_phone`)."""
    whole = run.rstrip(_SEPARATORS + ".-")
    if whole != run and _is_phone(whole):
        return whole
    for i in range(1, min(_PHONE_MAX_CHARS, len(run) - 1) + 1):
        if run[i] in _SEPARATORS and run[i - 1] not in _SEPARATORS and _is_phone(run[:i]):
            return run[:i]
    return None


def _end_phone_bounds(body: str, start: int, end: int) -> tuple[int, int] | None:
    """The bounds of ``body[start:end]`` without a phone number that closes (or else
    leads) it, if one does. Indices, not slices: stripping several numbers copies
    nothing (copying the rest once per number was quadratic in a long reply)."""
    stop = end
    while stop > start and body[stop - 1] in " \t\r\n.!?":
        stop -= 1
    cut = stop
    while cut > start and body[cut - 1] in _PHONE_RUN:
        cut -= 1
    if cut > start and (phone := _last_phone(body[cut:stop])) is not None:
        stop -= len(phone)  # "remove me 4155550123"
        while stop > start and body[stop - 1] in _SEPARATORS + "-":
            stop -= 1
        return start, stop
    begin = start
    while begin < end and body[begin].isspace():
        begin += 1
    cut = begin
    while cut < end and body[cut] in _PHONE_RUN:
        cut += 1
    if cut < end and (phone := _first_phone(body[begin:cut])) is not None:
        begin += len(phone)  # "(415) 555-0123 stop"
        while begin < end and body[begin] in _SEPARATORS + ".-":
            begin += 1
        return begin, end
    return None


def _without_end_phones(body: str) -> str | None:
    """``body`` without the phone numbers that lead or close it, if any do."""
    bounds = (0, len(body))
    for _ in range(_MAX_END_PHONES + 1):
        shorter = _end_phone_bounds(body, *bounds)
        if shorter is None:
            break
        bounds = shorter
    else:
        # More numbers than that: a list, not a request. Removing only some would
        # leave the rest to classify_reply, which removes some more, recursing.
        return None
    if bounds == (0, len(body)):
        return None
    rest = body[bounds[0] : bounds[1]]
    return rest if rest.strip() else None


def _beside_phone(body: str, keywords: KeywordSet, route: Route | None) -> KeywordMatch | None:
    """The opt-out a reply asks for beside the phone number it names ("remove me
    4155550123", "Arrêtez de m'envoyer des SMS 06 12 34 56 78"): a person on a shared
    or work phone names it. Opt-outs only (naming a number never re-subscribes it), and
    a keyword only if it is a clause keyword: "Cancel 4155550123" may cancel a booking.
    A wrong-number statement beside a number may be giving the right one: left alone."""
    rest = _without_end_phones(body)
    if rest is None:
        return None
    found = classify_reply(rest, keywords=keywords, route=route)
    if found is None or found.kind is not MatchKind.OPT_OUT or not found.actionable:
        return None
    if found.wrong_number:
        return None
    if found.rule in ("keyword", "keyword+courtesy", "keyword+number", "clause_keyword"):
        keyword = keywords.lookup(found.keyword, route)
        if found.keyword not in _data.CLAUSE_KEYWORDS or keyword is None:
            return None
        return _keyword_match(keyword, Confidence.PHRASE, "keyword+number")
    return found


# Words closing a stop that say only how soon or for how long (review rev30r): "STOP
# IMMEDIATELY", "stop for good" were ordinary while "STOP NOW" acted. Not courtesy words:
# "don't text my wife immediately" is for now only (rev28j). The clause keywords only:
# "cancel immediately" may be about an order, as CANCEL with more words is.
_URGENT_ENDS = (
    "immediately", "right now", "right away", "at once", "forever", "for good",
    "permanently", "immediatement", "inmediatamente", "ahora mismo", "para siempre",
)  # fmt: skip


def _urgent_stop(
    replies: tuple[str, str], keywords: KeywordSet, route: Route | None
) -> Keyword | None:
    """The opt-out keyword of a reply that is one and an urgency, read without courtesy
    words at its ends ("stop immediately please") and as written ("stop right now":
    "now" alone is a courtesy word), or ``None``."""
    for reply in replies:
        for end in _URGENT_ENDS:
            if not reply.endswith(" " + end):
                continue
            word = " ".join(_strip_courtesy(reply[: -len(end) - 1].split(" ")))
            if word in _data.CLAUSE_KEYWORDS:
                said = keywords.lookup(word, route)
                if said is not None and said.kind is MatchKind.OPT_OUT:
                    return said
    return None


# Signs drawn for "stop": a reply of them alone may be a stop or a reaction (review
# rev30r), so it is held for review, as "Enough" is; it was no match, nothing held.
_STOP_SIGNS = frozenset("\U0001f6d1\u26d4\U0001f6ab")  # octagonal sign, no entry, prohibited


def _stop_sign(body: str, keywords: KeywordSet, route: Route | None) -> KeywordMatch | None:
    """A ``FUZZY`` STOP for a reply of stop signs alone (punctuation, spaces and emoji
    variation selectors aside), or ``None``."""
    signs = {ch for ch in body if unicodedata.category(ch)[0] == "S" and ch != "\ufe0f"}
    if not signs or not signs <= _STOP_SIGNS:
        return None
    said = keywords.lookup("stop", route)
    if said is None or said.kind is not MatchKind.OPT_OUT:
        return None
    return KeywordMatch(MatchKind.OPT_OUT, said.word, said.language, Confidence.FUZZY,
                        "doubtful", (_data.FCC_REASONABLE_MEANS,))


def _courtesy_only(clause: str) -> bool:
    return clause in _data.COURTESY_CLAUSES or all(
        token in _data.POLITENESS_WORDS for token in clause.split(" ")
    )


@functools.cache
def _stock_patterns() -> frozenset[str]:
    """The pattern of every phrase of the default sets, in all their languages."""
    return frozenset(p.pattern for p in _data.PHRASES)


@functools.cache
def _default_set() -> KeywordSet:
    # Built on first use, not at import: its fuzzy variants take most of the import time
    # of smskit, and counting segments never needs them.
    return KeywordSet.default()


def classify_reply(
    body: str, *, keywords: KeywordSet | None = None, route: Route | None = None
) -> KeywordMatch | None:
    """Classify an inbound reply as opt-out, opt-in or help, or ``None``.

    Args:
        body: the reply text as received.
        keywords: the sender's keyword set (default: :meth:`KeywordSet.default`).
        route: the kind of number the reply was sent to (a ``Route`` or its value,
            e.g. ``"toll_free"``); on ``TOLL_FREE`` only START and UNSTOP
            re-subscribe (phrases never do).

    Returns:
        The match, or ``None`` for an ordinary reply. When a reply holds both an
        opt-out and another request, the opt-out wins.

    Raises:
        TypeError: ``body`` is not a str, or ``keywords`` not a ``KeywordSet``.
        ConfigurationError: ``route`` is not a ``Route`` or one of its values.

    >>> classify_reply(" Stop. ").confidence
    <Confidence.EXACT: 'exact'>
    >>> classify_reply("I can't stop by today") is None
    True
    """
    if not isinstance(body, str):
        raise TypeError(f"body must be a str, not {type(body).__name__}")
    route = _route(route)
    if not body.isascii():
        # "STOP ٢١٢٥٥٥٠١٢٣": the end-number steps read the reply before normalising.
        body = _ascii_digits(body).translate(_WIDE_PUNCTUATION)
    if "#" in body:
        body = _WRONG_HASH.sub(
            lambda m: m.group(1) + (" numero" if m.group(1).lower() == "mauvais" else " number"),
            body,
        )
    if keywords is None:
        keywords = _default_set()
    elif not isinstance(keywords, KeywordSet):
        raise TypeError(
            f"keywords must be a KeywordSet (e.g. KeywordSet.of(opt_out=[...])), "
            f"not {type(keywords).__name__}"
        )
    whole = normalize_reply(body)
    if not whole:
        return _stop_sign(body, keywords, route)
    tokens = whole.split(" ")
    exact = keywords.lookup(whole, route)
    if exact is None and len(set(tokens)) == 1:
        exact = keywords.lookup(tokens[0], route)  # "STOP STOP STOP"
    if exact is not None:
        return _keyword_match(exact, Confidence.EXACT, "keyword")
    kept = _strip_courtesy(tokens)
    core = " ".join(kept)
    if core:
        courteous = keywords.lookup(core, route)
        if courteous is None and len(set(kept)) == 1:
            courteous = keywords.lookup(kept[0], route)  # "stop stop please"
        if courteous is None:
            courteous = _urgent_stop((core, whole), keywords, route)  # "STOP IMMEDIATELY"
        if courteous is not None:
            return _keyword_match(courteous, Confidence.PHRASE, "keyword+courtesy")
        named = _before_phone(core)
        if named in _data.CLAUSE_KEYWORDS:  # "STOP 2125550123": the phone it is about
            said = keywords.lookup(named, route)
            if said is not None and said.kind is MatchKind.OPT_OUT:
                return _keyword_match(said, Confidence.PHRASE, "keyword+number")
    clauses = _clauses(body, whole, core)
    for kind in (MatchKind.OPT_OUT, MatchKind.OPT_IN, MatchKind.HELP):
        if kind is MatchKind.OPT_IN and (route is Route.TOLL_FREE or _DIGIT_RUN.search(whole)):
            # A reply naming a phone number ("Start texting (415) 555-0123") asks to
            # text that number, maybe someone else's: re-subscribing the replier on it
            # is a text to a revoked number. Written any way, its brackets or stops
            # split the reply, leaving "start texting" a whole clause; only an exact
            # keyword (START, UNSTOP) re-subscribes then.
            continue
        found = _match_clauses(clauses, kind, keywords, route)
        if kind is MatchKind.OPT_OUT and (found is None or not found.actionable):
            # Before help: "Who is this? Stop texting me 4155550123" is an opt-out. And
            # before a reply held for review: "Not my number, it's my business line. Stop
            # texting it 06 12 34 56 78" asks to stop (review rev29k).
            found = _beside_phone(body, keywords, route) or found
        if found is not None:
            return found
    plain = _ELONGATED.sub(r"\1", body)
    if plain != body:
        # Opt-outs and help only: a drawn-out "Yesss" is more often an answer than a
        # request to re-subscribe.
        again = classify_reply(plain, keywords=keywords, route=route)
        if again is not None and again.kind is not MatchKind.OPT_IN:
            return again
    return _fuzzy(core, keywords)


# The clause candidates, the outer ones, those with an answer off, and the whole reply
# (with and without courtesy words) unless it is a question, for WHOLE_REPLY_PHRASES.
# And the clauses said as questions ("Not my number?"), for the wrong-number statements.
_Asked = tuple[frozenset[str], frozenset[str]]  # the clauses asked, and those told
_Clauses = tuple[list[str], list[str], list[str], frozenset[str], _Asked]
_NOT_ASKED: _Asked = (frozenset(), frozenset())


def _clauses(body: str, whole: str, core: str) -> _Clauses:
    """All clause candidates for phrases, the outer (first, last) ones for keywords, and
    those where an outer one has an answer at an end ("stop" of "Not interested stop")."""
    # A dict keeps the order and dedupes in constant time (a list made this quadratic
    # in the number of clauses).
    out = dict.fromkeys([whole])
    if core:
        out[core] = None
    said = [normalize_reply(p) for p in _CLAUSE_BREAKS.split(body)]
    pieces = [c for c in said if c]
    for clause in pieces:
        stripped = " ".join(_strip_courtesy(clause.split(" ")))
        for candidate in (clause, stripped):
            if candidate:
                out[candidate] = None
    outer: list[str] = []
    if len(pieces) > 1:
        # A clause of courtesy only ("thanks", "thank you", "merci beaucoup") after the
        # rest asks nothing: the last clause is the last that does, so "Yes, stop,
        # thanks" ends with its stop as "Yes, stop" does. Not so before the rest: in
        # "Sorry, stop, I meant Tuesday" the greeting is a clause as "Wait" is in the
        # labelled near miss "Wait, stop, I meant Tuesday", and the stop stays inside.
        asking = [c for c in pieces if not _courtesy_only(c)] or pieces
        for clause in (pieces[0], asking[-1]):
            outer.extend((clause, " ".join(_strip_courtesy(clause.split(" ")))))
    # One clause of an answer and an opt-out ("Not interested stop", "no thanks stop
    # texting me", "stop not interested"): the answer asks nothing against it. Only the
    # clauses where a keyword counts (the whole reply, or its first or last clause).
    # The clauses with their courtesy words off ("ok no thanks stop please"): every
    # second one of outer, or the whole reply's core.
    answered = [rest for clause in dict.fromkeys(outer[1::2] or (core,))
                if clause and (rest := _without_answer(clause))]
    if (len(pieces) == 2 and pieces[1].endswith(_REMOVE_ENDS) and _is_disinterest(pieces[0])
            and _strip_remove(pieces[1])):
        answered.append("remove")  # "Not interested, please remove" (review rev27k)
    # "No more?" answering "your last payment is due" asks; "NO MORE" tells. An answer
    # before it asks nothing more: "Yes stop it", "Yes, stop it" (fix28k).
    if body.rstrip(" \t\r\n!.").endswith("?"):
        entire: frozenset[str] = frozenset()
    elif "?" in body:  # "quit it? no way": the answer is to a question
        entire = frozenset((whole, core))
    else:
        entire = frozenset((whole, core, _beside_answer(pieces, answered) or core))
    asked = _asked(said, _CLAUSE_BREAKS.findall(body)) if "?" in body else _NOT_ASKED
    return list(out), outer, answered, entire, asked


def _asked(said: list[str], stops: list[str]) -> _Asked:
    """The clauses (``said``, normalised, between ``stops``) a question mark closes, as
    written and without courtesy words ("not my number" of "Not my number?"; fix29k),
    and the other clauses."""
    closed: list[tuple[str, str]] = []  # each clause and the stops after it
    for clause, stop in zip(said, [*stops, ""], strict=True):
        if clause:
            closed.append((clause, stop))
        elif closed:  # "No es mi número:…?": nothing but symbols between the stops
            closed[-1] = (closed[-1][0], closed[-1][1] + stop)
    asked: set[str] = set()
    told: set[str] = set()  # "Wrong number? Wrong number!": said once as a statement
    for clause, stop in closed:
        (asked if "?" in stop else told).update(
            (clause, " ".join(_strip_courtesy(clause.split(" ")))))
    return frozenset(asked - told), frozenset(told)


def _beside_answer(pieces: list[str], answered: list[str]) -> str | None:
    """What a reply of one answer and one other clause says beside the answer ("stop it"
    of "Yes, stop it" and of "Yes stop it"), if it is such a reply. Set lookups and the
    clause already answered: this runs for every reply."""
    if len(pieces) == 1:
        return answered[0] if answered else None  # the core with its answer off
    if len(pieces) == 2:
        first, last = (" ".join(_strip_courtesy(p.split(" "))) for p in pieces)
        if first in _data.ANSWER_WORDS:
            return last
        if last in _data.ANSWER_WORDS:
            return first
    return None


# Answers saying the person wants none of it, after which a bare REMOVE can only mean
# "remove me": "Not interested, please remove". Not "No thanks, remove" nor "yes,
# remove" (to "keep the card on file?"), nor CANCEL (an appointment) after any of them.
_DISINTEREST = frozenset(
    {"not interested", "im not interested", "i m not interested", "i am not interested",
     "no longer interested", "not interested anymore", "not interested any more",
     "pas interesse", "pas interessee", "no me interesa"}
)  # fmt: skip


# "remove", or a courtesy word after it: a cheap test before the clauses are stripped.
_REMOVE_ENDS = ("remove", *(" " + word for word in _data.POLITENESS_WORDS))


def _is_disinterest(clause: str) -> bool:
    return " ".join(_strip_courtesy(clause.split(" "))) in _DISINTEREST


def _strip_remove(clause: str) -> bool:
    return _strip_courtesy(clause.split(" ")) == ["remove"]


# The answers as a clause's head or tail, longest first: a tuple str.startswith and
# str.endswith test in one call (reply classification runs on every inbound message).
_ANSWER_HEADS = tuple(sorted((a + " " for a in _data.ANSWER_WORDS), key=len, reverse=True))
_ANSWER_TAILS = tuple(sorted((" " + a for a in _data.ANSWER_WORDS), key=len, reverse=True))


# "no need", "no reason", "no want": the "no" belongs to the noun after it.
_NO_HEADS = frozenset({"no ", "nope ", "nah "})
_NOT_AFTER_NO = frozenset({"need", "needs", "want", "wish", "reason", "point", "use"})


def _without_answer(clause: str) -> str | None:
    """``clause`` without an answer (``_data.ANSWER_WORDS``) leading or closing it, and
    the courtesy words then at its ends, if one does and something is left."""
    if clause.startswith(_ANSWER_HEADS):
        head = next(h for h in _ANSWER_HEADS if clause.startswith(h))
        rest = clause[len(head) :]
        if head in _NO_HEADS and rest.partition(" ")[0] in _NOT_AFTER_NO:
            return None  # "No need to stop the texts": "no need" is no answer
    elif clause.endswith(_ANSWER_TAILS):
        tail = next(t for t in _ANSWER_TAILS if clause.endswith(t))
        rest = clause[: -len(tail)]
    else:
        return None
    return " ".join(_strip_courtesy(rest.split(" "))) or None


def _match_clauses(
    clauses: _Clauses,
    kind: MatchKind,
    keywords: KeywordSet,
    route: Route | None,
) -> KeywordMatch | None:
    candidates, outer, answered, entire, asked = clauses
    wrong: KeywordMatch | None = None
    held: KeywordMatch | None = None
    for clause in candidates:
        name = keywords.match_phrase(clause, kind)
        if name in _data.WHOLE_REPLY_PHRASES and clause not in entire:
            continue  # "Stop it? I want to keep the autopay"
        if name is not None:
            phrase = keywords.phrase_source(name)[0]
            found_phrase = KeywordMatch(
                kind, clause, phrase.language, Confidence.PHRASE, name, (phrase.source,)
            )
            if (doubt := _for_replier(found_phrase, candidates[0], entire)) is not None:
                held = held or doubt  # another clause may still ask to stop
                continue
            if not found_phrase.wrong_number:
                return found_phrase
            if doubt := _wrong_number_doubt(found_phrase, clause, candidates[0], asked, keywords):
                held = held or doubt  # "Not my number?": a plain statement may follow
                continue
            # A plain opt-out elsewhere in the reply wins: "Wrong number. STOP" is a
            # STOP, confirmed as one.
            wrong = wrong or found_phrase
    if kind is not MatchKind.OPT_OUT:
        return None
    for clause in outer:
        found = _clause_keyword(clause, keywords, route)
        if found is not None:
            return found
    for clause in answered:
        # "Yes stop it": the answer off, a whole-reply phrase is the rest of the reply.
        found = _clause_keyword(clause, keywords, route) or _opt_out_phrase(
            clause, keywords, whole=clause in entire
        )
        if found is None and clause == "remove":  # after "not interested" alone
            said = keywords.lookup(clause, route)
            if said is not None and said.kind is MatchKind.OPT_OUT:
                found = _keyword_match(said, Confidence.PHRASE, "keyword+answer")
        if found is not None and (doubt := _for_replier(found, candidates[0], entire)) is not None:
            held = held or doubt
        elif found is not None:
            return found
    # A run-on place in a clause is one in the whole reply too (a clause is a piece of
    # it, cut at punctuation): one search decides for all of them, as most replies have none.
    runs_on = _RUN_ON.search(candidates[0]) is not None
    for clause in candidates:
        found = _opt_out_before_more(clause, keywords) or (
            _opt_out_after_run_on(clause, keywords) if runs_on else None
        )
        if found is not None and (doubt := _for_replier(found, candidates[0], entire)) is not None:
            held = held or doubt
        elif found is not None:
            return found
    for clause in candidates:
        for rest in keywords.beside_wrong_number(clause):
            beside = _opt_out_beside(rest, keywords, route)
            if beside is None or _names_wrong_number(clause, rest, beside):
                continue
            if (doubt := _for_replier(beside, candidates[0], entire)) is None:
                return beside
            held = held or doubt
    if wrong is None and held is None and not _data.REVIEW_CUES.isdisjoint(
        candidates[0].split(" ")
    ):
        return _doubtful(entire, keywords)  # the whole reply holds "enough" or "remove"
    return wrong or held


# The replier asking for the texts beside a relative's opt-out: "text me", "use mine",
# "use this number", "I'm the contact", "I handle her appointments" (rev28k). Not "me
# too" (stop me as well), nor "I'm her father" (why they may ask it). Searched only once
# a relative's opt-out is found.
_FOR_REPLIER = regex.compile(
    r"\b(?:(?:text|txt|message|msg|call|contact|email|reach|send|forward)"
    r"(?: (?:it|them|those|these|that|this|everything|all|the [a-z]+))?(?: to)? me"
    r"|(?:use|text|try|to) mine|mine instead|use (?:my|this)"
    r"|(?:this|my) (?:number|phone|cell|line)|the (?:right|correct) (?:one|number|phone)"
    r"|(?:im|i am) the (?:one|contact|main|primary|account|customer|client|owner|person)"
    r"|i (?:handle|manage|take care of|deal with))\b"
)


# "Don't text my wife" with nothing saying it lasts ("anymore", "again", "ever").
_DONT_ONCE = regex.compile(
    r"(?:(?:can you|could you|can u) )?(?:do not|dont|don t) "
    r"(?!.*\b(?:anymore|any more|again|ever)\b)"
)


# "she doesnt have the account": a lasting reason, so the request stays acted on (fix29k).
_KIN_NOT_CUSTOMER = regex.compile(
    rf"(?:{_data.KIN_NOT_CUSTOMER})(?: (?:please|pls|thanks|thank you))?"
)


def _more_words(rest: str) -> bool:
    """Whether ``rest`` says more than courtesy words and numbers ("please", a phone), or
    than why the relative is no customer."""
    if _KIN_NOT_CUSTOMER.fullmatch(" ".join(rest.split())) is not None:
        return False
    return any(word not in _data.POLITENESS_WORDS for word in regex.findall(r"[a-z]+", rest))


def _for_replier(
    found: KeywordMatch, whole: str, entire: frozenset[str]
) -> KeywordMatch | None:
    """``found`` held for review when it asks to stop texting a relative and the reply
    (``whole``) asks for the texts on the replier's number: "Stop texting my wife, text
    me instead" is sent from the number texted, which the replier wants texted. Also a
    bare "don't text my wife" that is not the whole reply (``entire``): "don't text my
    wife, she's driving" may be for now only (rev28j)."""
    if found.rule != "stop_texting_kin":
        return None
    if _FOR_REPLIER.search(whole) is None and (
        found.keyword in entire or _DONT_ONCE.match(found.keyword) is None
        or not _more_words(whole.replace(found.keyword, " ", 1))
    ):
        return None
    return replace(found, confidence=Confidence.FUZZY, rule="doubtful")


# "its my business line" (fix29k): the replier's own line, so a statement that the
# number is not theirs ("not my number, it's my business line") says only which of
# their numbers it is. Searched only once such a statement is found.
_OWN_LINE = regex.compile(
    r"\b(?:its|it s|it is|this is|thats|that s|this phone is|this number is) (?:my|our) "
    r"(?:work|office|business|company|home|personal|other|main|own) "
    r"(?:phone|number|cell|cell phone|phone number|cell number|line)\b"
)
# The statements that deny the number is the replier's ("not my number", "this number
# isn't mine"), as against "wrong number" or "this isn't John".
_DENIES_OWN = regex.compile(
    r"\b(?:not|no longer|isnt|aint) (?:my|our) (?:number|phone number|cell number|cell|phone)\b"
    r"|\b(?:not|isnt|no longer) (?:mine|ours)\b"
)
# A question about who writes is part of the statement: "New number who is this?".
_WHO = regex.compile(r"\b(?:who|whos|quien|qui)\b")


def _wrong_number_doubt(
    found: KeywordMatch, clause: str, whole: str, asked: _Asked, keywords: KeywordSet
) -> KeywordMatch | None:
    """``found``, a wrong-number statement, held for review when the reply doubts it:
    said as a question ("Not my number?", "wrong number? I signed up last week") or
    beside a claim that the line is the replier's own ("not my number, it's my business
    line"). A revocation on a number its holder consented on loses a customer with no
    confirmation; ignoring a stranger's doubt texts them: a person decides (fix29k)."""
    questions, told = asked
    if (clause in questions and _WHO.search(clause) is None) or (
        _DENIES_OWN.search(clause) is not None and _OWN_LINE.search(whole) is not None
    ):
        doubted = True
    else:
        # "Not my number? lol" read across its question mark as one statement.
        doubted = bool(questions) and clause not in told and any(
            _WHO.search(q) is None and keywords.match_phrase(q, MatchKind.OPT_OUT)
            in _data.WRONG_NUMBER_PHRASES for q in questions
        )
    if not doubted or _asks_to_stop_beside(whole, clause, keywords):
        # "Not my number? lol STOP", "wrong number? STPO", "not my number? stop texting
        # my wife": the rest of the reply asks to stop (a misspelt word too), so both
        # readings ask for no more texts: acted on as before fix29k (review rev29k).
        return None
    return replace(found, confidence=Confidence.FUZZY, rule="doubtful")


# Words beside a doubted statement that ask nothing: "Not my number? lol STOP".
_ASIDE = frozenset({"lol", "lmao", "lmfao", "haha", "hahaha", "sorry", "omg", "ok", "okay"})


def _asks_to_stop_beside(whole: str, clause: str, keywords: KeywordSet) -> bool:
    """Whether the words before or after the doubted statement ``clause`` in the reply
    ``whole`` (both normalised), read alone, ask to stop: an opt-out acted on, or a
    misspelt opt-out word ("stpo"). Runs only for a doubted statement, on a shorter text
    without its punctuation, so it cannot doubt again and recurse further."""
    before, found, after = f" {whole} ".partition(f" {clause} ")
    if not found:
        return False
    for side in (after, before):
        words = side.split()
        while words and words[0] in _ASIDE:
            words.pop(0)
        while words and words[-1] in _ASIDE:
            words.pop()
        if not words:
            continue
        match = classify_reply(" ".join(words), keywords=keywords)
        if (match is not None and match.kind is MatchKind.OPT_OUT and not match.wrong_number
                and (match.actionable or match.rule == "fuzzy")):
            return True
    return False


def _doubtful(entire: frozenset[str], keywords: KeywordSet) -> KeywordMatch | None:
    """The whole reply as one held for review ("Enough", "No thanks, remove"), when
    nothing else in it asks to stop: a FUZZY match, for a human to decide."""
    for reply in sorted(entire):  # a set: sorted, so the keyword shown never varies
        name = keywords.match_review(reply)
        if name is not None:
            phrase = keywords.phrase_source(name)[0]
            return KeywordMatch(MatchKind.OPT_OUT, reply, phrase.language, Confidence.FUZZY,
                                "doubtful", (phrase.source,))
    return None


def _opt_out_phrase(
    clause: str, keywords: KeywordSet, *, whole: bool = False
) -> KeywordMatch | None:
    """``clause`` as an opt-out phrase other than a wrong-number statement, if it is
    one; a whole-reply phrase only if ``whole``."""
    name = keywords.match_phrase(clause, MatchKind.OPT_OUT)
    if name is None or name in _data.WRONG_NUMBER_PHRASES:
        return None
    if name in _data.WHOLE_REPLY_PHRASES and not whole:
        return None
    phrase = keywords.phrase_source(name)[0]
    return KeywordMatch(
        MatchKind.OPT_OUT, clause, phrase.language, Confidence.PHRASE, name, (phrase.source,)
    )


# Phrases whose request stands before an "and" or a new sentence run on without a stop
# ("STOP texting 2125550123 and text 4155550123 instead", "Stop texting me I didn't sign
# up for this"): each starts with its verb (stop, remove, take, opt), so "don't stop
# texting me I love the deals" is none. "Don't text me and my wife separately" is left
# alone: DO NOT / DONT with more after it may be about how, not whether, to text.
_BEFORE_MORE_PHRASES = frozenset(
    {"stop_contacting", "stop_calls_and_texts", "unsubscribe_me", "take_me_off", "opt_me_out"}
)
# The request must end with what it stops (me, a number, the texts): "stop texting and
# driving" is no request to the sender.
_BEFORE_MORE_OBJECTS = frozenset(
    {"me", "us", "number", "phone", "cell", "list", "texts", "messages", "msgs", "txts",
     "sms", "alerts", "notifications", "reminders", "promotions", "promos", "offers",
     "deals", "ads", "spam", "marketing", "out", "off"}
)  # fmt: skip
# The words those phrases may open with (a courtesy word, "can you", the verb): a clause
# opening otherwise is passed over without a search.
_BEFORE_MORE_OPENINGS = frozenset(
    {"please", "pls", "plz", "kindly", "can", "could", "just", "you", "u", "stop", "quit",
     "cease", "end", "unsubscribe", "remove", "delete", "drop", "erase", "unenroll", "take",
     "get", "put", "opt", "ok", "okay", "hi", "hello", "hey", "sorry"}
)  # fmt: skip
# Words that start what follows the request: a conjunction, or a new sentence's subject.
# "this" only before its verb: "Stop texting me this is harassment" runs on, "Stop
# texting me this early" asks for texts at another hour (review rev27k).
# "call" or "email" only as a request for the other channel, to the replier or a number:
# "Stop texting me call 2125550199" (user34), never "take me off call list".
_MORE = regex.compile(
    r" (?:and|i|im|ive|i m|i ve|we|who|its|it s|this(?= (?:is|isnt|was|wasnt|has|aint) )"
    r"|(?:call|email|e mail)(?= (?:(?:me|us|my|our)\b|\d))) "
)
# After "and", more of what is texted ("me and my wife"): a request only if that is all
# ("Stop texting me and my wife"), not "Stop texting me and my wife separately".
_MORE_OBJECTS = frozenset({"my", "our", "his", "her", "their", "both"})
# A list of another channel, then "and" a request for texts to the replier: what was
# stopped was not texting ("Remove me from the mailing list and keep texting me", "take
# me off the call list and text me instead"). Other lists ("the list") stay opt-outs.
_OTHER_CHANNEL_LIST = regex.compile(r"\b(?:mailing|call|calling|phone|email|e mail) lists?$")
_ASKS_FOR_TEXTS = regex.compile(
    r"(?:(?:but|just|only|please|pls) )?(?:(?:keep|continue|still) (?:on )?"
    r"(?:texting|txting|messaging|sending)(?! (?:my|his|her|their|our|the|him|them)\b)|"
    r"(?:text|txt|message|msg) (?:me|us)\b|"
    r"(?:keep|continue) (?:getting |receiving )?(?:the |your |ur )?texts|"
    r"texts? (?:are|is) (?:fine|ok|okay))"
)
_MAX_MORE = 3  # places looked at in one clause: a request comes early; bounds the work


def _opt_out_before_more(clause: str, keywords: KeywordSet) -> KeywordMatch | None:
    """The opt-out phrase ``clause`` opens with before an "and" or a new sentence (one
    of the first three such places), if it ends with what it stops."""
    if clause.partition(" ")[0] not in _BEFORE_MORE_OPENINGS:
        return None
    for place in itertools.islice(_MORE.finditer(clause), _MAX_MORE):
        if clause.startswith("and", place.start() + 1):
            after = clause[place.end() :]
            first = after.partition(" ")[0]
            if (first in _MORE_OBJECTS or first.isdigit()) and len(
                _strip_courtesy(after.split(" "))
            ) > (2 if first in _MORE_OBJECTS else 1):
                continue  # "me and my wife separately": how to text, not whether
        before = " ".join(_strip_courtesy(clause[: place.start()].split(" ")))
        if _OTHER_CHANNEL_LIST.search(before) and _ASKS_FOR_TEXTS.match(
            clause, place.end()
        ):
            continue
        last = before[before.rfind(" ") + 1 :]
        if last in _BEFORE_MORE_OBJECTS or last.isdigit():
            found = _opt_out_phrase(before, keywords)
            if found is not None and found.rule in _BEFORE_MORE_PHRASES:
                return found
    return None


# What may end a sentence run on into an opt-out phrase ("who is this stop texting
# me", "I didn't sign up for this stop texting me", "wtf stop texting me", "Enough is
# enough stop texting me"): a word that
# cannot be the phrase's subject or negate it, unlike "don't", "never", "to", "you".
_RUN_ON = regex.compile(
    r"(?:^| )(?:this|dis|wtf|omg|ugh|smh|seriously|lol|lmao|enough) "
    r"(?=(?:stop|quit|cease|unsubscribe|remove|take|opt|please|pls|plz|just|can you) )"
)


def _opt_out_after_run_on(clause: str, keywords: KeywordSet) -> KeywordMatch | None:
    """The opt-out phrase ``clause`` ends with after a run-on sentence (one of the first
    three places such a sentence may end), if one starting with its verb does."""
    for place in itertools.islice(_RUN_ON.finditer(clause), _MAX_MORE):
        found = _opt_out_phrase(clause[place.end() :], keywords)
        if found is not None and found.rule in _BEFORE_MORE_PHRASES:
            return found
    return None


def _names_wrong_number(clause: str, rest: str, beside: KeywordMatch) -> bool:
    """Whether a keyword such as CANCEL or REMOVE takes the wrong number as its object
    ("remove the wrong number", "cancel a wrong number"): a customer asking to fix the
    numbers on file, not an opt-out (losing the customer). "Wrong number CANCEL" and
    "Cancel. Wrong number" still opt out, as "stop the wrong number" does (STOP is a
    clause keyword)."""
    return beside.rule == "keyword+wrong_number" and beside.keyword not in (
        _data.CLAUSE_KEYWORDS
    ) and clause.startswith((f"{rest} the wrong ", f"{rest} a wrong "))


def _clause_keyword(clause: str, keywords: KeywordSet, route: Route | None) -> KeywordMatch | None:
    """``clause`` as an opt-out clause keyword ("stop"), or one followed by the phone it
    is about ("stop 2125550123", as a whole reply reads it)."""
    rule, said = "clause_keyword", clause
    if said not in _data.CLAUSE_KEYWORDS:
        rule, said = "keyword+number", _before_phone(clause) or ""
        if said not in _data.CLAUSE_KEYWORDS:
            return None
    found = keywords.lookup(said, route)
    if found is None or found.kind is not MatchKind.OPT_OUT:
        return None
    return _keyword_match(found, Confidence.PHRASE, rule)


def _opt_out_beside(rest: str, keywords: KeywordSet, route: Route | None) -> KeywordMatch | None:
    """The opt-out said beside a wrong-number statement in one clause ("wrong number
    please stop", "stop texting me wrong number"): it wins, as in "Wrong number. STOP"."""
    core = " ".join(_strip_courtesy(rest.split(" ")))
    found = _clause_keyword(core, keywords, route)
    if found is not None:
        return found
    keyword = keywords.lookup(_before_phone(core) or core, route)
    if keyword is not None and keyword.kind is MatchKind.OPT_OUT:  # "wrong number CANCEL"
        return _keyword_match(keyword, Confidence.PHRASE, "keyword+wrong_number")
    for said in dict.fromkeys((rest, core)):
        name = keywords.match_phrase(said, MatchKind.OPT_OUT) if said else None
        if name is not None and name not in _data.WRONG_NUMBER_PHRASES:
            phrase = keywords.phrase_source(name)[0]
            return KeywordMatch(
                MatchKind.OPT_OUT, said, phrase.language, Confidence.PHRASE, name,
                (phrase.source,),
            )
    return None


def _fuzzy(core: str, keywords: KeywordSet) -> KeywordMatch | None:
    tokens = core.split(" ") if core else []
    if not tokens or len(tokens) > _FUZZY_MAX_TOKENS:
        return None
    if len(tokens) > 1 and keywords.fuzzy:
        joined = keywords.lookup(core.replace(" ", ""))
        if joined is not None and joined.kind is MatchKind.OPT_OUT:  # "UN-SUBSCRIBE"
            return _keyword_match(joined, Confidence.FUZZY, "fuzzy")
    candidates = [core.replace(" ", ""), *tokens] if len(tokens) > 1 else tokens
    for token in candidates:
        found = keywords.fuzzy_match(token)
        if found is not None:
            return _keyword_match(found, Confidence.FUZZY, "fuzzy")
    return None


def _keyword_match(keyword: Keyword, confidence: Confidence, rule: str) -> KeywordMatch:
    return KeywordMatch(
        keyword.kind, keyword.word, keyword.language, confidence, rule, keyword.sources
    )
