"""``smskit estimate --sender``: which rows get the sender's prefix and footer.

The engine adds them to a row's text where that text lacks the brand or an opt-out
(``prepare_body``), and a field may supply either ("{company}" is the brand, a "{note}"
says "Reply STOP"). The estimate prices the template with what its own text lacks; the
rows whose text as sent decides otherwise are found here, cheaply: only a row whose
field values hold a word of the brand or prefix, or a stem every opt-out pattern needs,
can decide otherwise, unless a field is glued to a word of the text ("Acme{suffix}"),
the text itself holds such a stem, or a field's default does (then every row is read).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..consent.sender import SenderProfile
    from ..pricing.templates import Placeholder, Template
    from ..purpose import Purpose

__all__ = ["RowSender", "Variant"]

Variant = tuple[bool, bool]  # (prefix added, footer added)

# A stem each of smskit.content's opt-out patterns needs (checked by a test): a text
# holding none of them cannot tell how to opt out.
OPT_OUT_STEMS = ("stop", "end", "cancel", "unsub", "quit", "revoke", "opt", "alto", "baja",
                 "arr", "sabonn", "sinscri")
_FIELD = "\x00"  # stands for a field in the template's text: not a word character
_GLUED = re.compile(rf"\w{_FIELD}|{_FIELD}\w|{_FIELD}{_FIELD}")
# A text a field with no word can help write: two or more non-word characters in a
# row, or no word at all.
_WORDLESS_PART = re.compile(r"\W{2}|^\W+$")
_WORD = re.compile(r"\w")


def _fold(text: str) -> str:
    """``text`` as the brand check reads it (casefolded: "ß" is "ss", "ſ" is "s"), with the
    "ı" and "İ" the opt-out patterns' ignoring of case reads as "i" made one ("İ"
    casefolds to "i" and a combining dot, dropped here)."""
    return text.casefold().replace("ı", "i").replace("\u0307", "")


def holds(words: Sequence[str], text: str) -> bool:
    """Whether ``text`` holds one of ``words`` (folded alike), as a substring: a plain
    search of each, fast on a whole column."""
    folded = _fold(text)
    return any(_fold(word) in folded for word in words)


def _resolved(placeholder: Placeholder, row: Mapping[str, str]) -> str:
    """``placeholder`` as the row's text holds it; "" where the row cannot be rendered
    (the estimate names that row)."""
    from ..errors import TemplateError

    try:
        return placeholder.resolve(row)
    except TemplateError:
        return ""


class RowSender:
    """The prefix and footer each row gets, against the template's ``usual`` ones."""

    def __init__(self, written: Template, sender: SenderProfile, purpose: Purpose,
                 escaped: SenderProfile) -> None:
        """``escaped``: the sender with its prefix's and footer's braces escaped, to
        add them to the template's source as text."""
        from ..policy.pipeline import sender_additions
        from ..purpose import Purpose

        self.written, self.sender, self.purpose = written, sender, purpose
        self._escaped = escaped
        self._templates: dict[Variant, Template] = {}
        self.fields = tuple(written.fields)
        # The template's text with each field a non-word character: a field's name
        # ("{optout}") is no opt-out, nor its braces a word boundary it lacks.
        text = "".join(
            part if isinstance(part, str) else _FIELD
            for part in written._parts  # the template's own parts, read only
        )
        self.usual: Variant = sender_additions(
            text, sender, purpose=purpose, first=True, sent_before=0
        )
        marketing = purpose is Purpose.MARKETING
        could = (  # what the profile adds to a first message of this purpose that lacks it
            bool(sender.prefix) and sender.prefix_when.applies(
                first=True, marketing=marketing, sent_before=0),
            bool(sender.footer) and sender.footer_when.applies(
                first=True, marketing=marketing, sent_before=0),
        )
        defaults = " ".join(p.default or "" for p in written.placeholders).casefold()
        tokens: list[str] = []
        every_row = False
        # A part the template's text already has stays in every row (unless a field is
        # glued to it, below): only a part it lacks can come from a field.
        if self.usual[0]:  # the prefix is added: a field may name the brand
            words = f"{sender.brand or ''} {sender.prefix or ''}".casefold()
            # Its words, and the prefix whole (one of no word characters, "» ", too).
            tokens += [*re.findall(r"\w+", words), (sender.prefix or "").strip().casefold()]
            tokens = [t for t in tokens if t]
            every_row |= holds(tokens, defaults)
        if self.usual[1]:  # the footer is added: a field may tell how to opt out
            stems = [*OPT_OUT_STEMS, *re.findall(r"\w+", (sender.footer or "").casefold())]
            tokens += stems
            every_row |= holds(stems, text + _FIELD + defaults)
        # A field glued to the text's words may make or unmake the brand or an opt-out.
        # The prefix is one with the text the opt-out patterns read: a field right after
        # it is glued to its last word ("unsubscribe{x}" with "Yahoo!").
        added = (sender.prefix or "") if self.usual[0] else ""
        every_row |= any(could) and _GLUED.search(added + text) is not None
        brand = (sender.brand or "").strip().casefold()
        if could[0] and not self.usual[0] and brand:
            # A field beside the brand the text names may unname it whatever the brand's
            # edge: "Yahoo!{x}" names "Yahoo!", "Yahoo!Deals" does not.
            escaped_brand = re.escape(brand)
            every_row |= re.search(
                f"{_FIELD}{escaped_brand}|{escaped_brand}{_FIELD}", text.casefold()) is not None
        # A field with no word in it (an empty one too) holds no token, yet may complete
        # the brand, prefix or footer where they have no word either, or two or more
        # non-word characters in a row ("A & B": "A {x} B" with "&"), or stand before the
        # prefix (" Acme: ..." starts with "Acme:" once stripped).
        # A field with words may give such a part's characters from its edge ("Yahoo!"
        # for a footer "!!"): each of them is a token then.
        parts = [*([brand, (sender.prefix or "").strip().casefold()] if self.usual[0] else []),
                 *([(sender.footer or "").strip().casefold()] if self.usual[1] else [])]
        loose = [part for part in parts if _WORDLESS_PART.search(part)]
        tokens += [char for part in loose for char in re.findall(r"[^\w\s]", part)]
        self.wordless = bool(loose)
        # A wordless field before the text's first word (" Acme: ..." once an empty
        # field is stripped) where the text goes on with the prefix, or its end.
        self.leading: str | None = None
        if self.usual[0] and not loose and text.lstrip().startswith(_FIELD):
            rest = re.sub(rf"^[\s{_FIELD}]+", "", text.casefold())
            whole = (sender.prefix or "").strip().casefold()
            if any(rest.startswith(whole[i:]) for i in range(len(whole))):
                self.leading = next(p.name for p in written._parts if not isinstance(p, str))
        self.every_row = every_row and bool(self.fields)
        self.tokens = tuple(dict.fromkeys(_fold(t) for t in tokens if t))
        self.active = bool(self.fields) and any(could)

    def variants(self, rows: Sequence[Mapping[str, str]]) -> list[Variant] | None:
        """Each row's variant, or None when every row's is the usual one (the common
        case: nothing else to price)."""
        from ..errors import TemplateError
        from ..policy.pipeline import sender_additions

        if not self.active:
            return None
        found: list[Variant] = [self.usual] * len(rows)
        differ = False
        for index in self._candidates(rows):
            try:
                text = self.written.render(rows[index])
            except TemplateError:
                continue  # the estimate names the row
            variant = sender_additions(
                text, self.sender, purpose=self.purpose, first=True, sent_before=0
            )
            if variant != self.usual:
                found[index], differ = variant, True
        return found if differ else None

    def _candidates(self, rows: Sequence[Mapping[str, str]]) -> Sequence[int]:
        """The rows whose own text may decide otherwise than the template's. A field's
        column is searched whole first: most blocks hold no token at all."""
        if self.every_row:
            return range(len(rows))
        if not self.tokens and not self.wordless and self.leading is None:
            return ()
        hits: set[int] = set()
        columns = [(name, [row.get(name) or "" for row in rows]) for name in self.fields]
        # A format spec writes what the cell lacks ("2026-06-01" as "%B" is "June"): its
        # field is searched as written too.
        columns += [(p.name, [_resolved(p, row) for row in rows])
                    for p in self.written.placeholders if p.spec]
        for name, column in columns:
            if self.tokens and holds(self.tokens, "\x01".join(column)):  # no token holds \x01
                hits.update(i for i, value in enumerate(column) if holds(self.tokens, value))
            if self.wordless or name == self.leading:
                hits.update(i for i, value in enumerate(column) if not _WORD.search(value))
        return sorted(hits)

    def template(self, variant: Variant) -> Template:
        """The template as sent to the rows of ``variant``."""
        from ..policy.pipeline import add_sender_text
        from ..pricing.templates import Template

        if variant not in self._templates:
            prefix, footer = variant
            self._templates[variant] = Template(add_sender_text(
                self.written.source, self._escaped, prefix=prefix, footer=footer))
        return self._templates[variant]
