"""MMS: what each attachment is, whether the message fits its route, and what to do if not.

:func:`sniff_media` reads a file's header (no third-party code); :class:`MmsPolicy`
checks a message's attachments against the size limits and media types that
apply to its route (10DLC, toll-free, short code), destination carrier and
provider, all kept as cited data in :mod:`smskit.mms._limits`. When the carrier
is unknown, every carrier's limit for the route applies, so the smallest one
binds. Toll-free limits are *smaller* than 10DLC ones at every source found.

An over-size message gets an :class:`OversizeAction`: reject it, send a link
instead, or shrink its images with :func:`fit_image` (extra ``smskit-compliance[images]``).

Pricing note: an MMS is billed per message, not per segment; see
:attr:`MmsVerdict.sends_as_mms`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from ..errors import ConfigurationError, install_hint
from ..findings import Finding, Severity, _shown, reduce_frozen
from ..routes import Route
from ._limits import (
    CARRIER_LIMITS,
    DEFAULT_ALLOWED_TYPES,
    DEFAULT_ALLOWED_TYPES_SOURCE,
    PROVIDER_LIMITS,
    PROVIDERS,
    Carrier,
    LimitScope,
    MediaScope,
    SizeLimit,
    canonical_type,
)
from ._reader import MediaInput
from ._shrink import IMAGES_EXTRA, SHRINKABLE_TYPES, fit_image
from ._sniff import MediaInfo, MediaKind, sniff_media

__all__ = [
    "MMS_FINDING_CODES",
    "Carrier",
    "LimitScope",
    "MediaInfo",
    "MediaKind",
    "MediaScope",
    "MmsPolicy",
    "MmsVerdict",
    "OversizeAction",
    "ShrinkTarget",
    "SizeLimit",
    "fit_image",
    "sniff_media",
]

_SNIFF_SOURCE: Final = "smskit.mms.sniff_media (file signature and header)"
_MISMATCH_SOURCE: Final = "https://www.twilio.com/docs/messaging/guides/accepted-mime-types"
_LOCATION_SOURCE: Final = "smskit.mms.sniff_media (EXIF GPS latitude/longitude, XMP GPS)"

#: Every code :class:`MmsPolicy` emits, with its default severity. Public API.
MMS_FINDING_CODES: Final[Mapping[str, Severity]] = MappingProxyType({
    "mms.empty_media": Severity.BLOCK,
    "mms.unknown_type": Severity.BLOCK,
    "mms.truncated_media": Severity.WARNING,
    "mms.type_mismatch": Severity.WARNING,
    "mms.type_not_allowed": Severity.BLOCK,
    "mms.too_many_attachments": Severity.BLOCK,
    "mms.too_large": Severity.BLOCK,
    "mms.above_recommended": Severity.WARNING,
    "mms.shrink_unavailable": Severity.WARNING,
    "mms.location_metadata": Severity.WARNING,
})

#: Smallest byte budget worth shrinking an image to; below it, fall back.
_MIN_SHRINK_BYTES: Final = 2_000


class OversizeAction(StrEnum):
    """What to do with a message that is too large. Values are stored."""

    #: Do not send it.
    REJECT = "reject"
    #: Send the text with a link to the media instead of the media.
    LINK = "link"
    #: Shrink the images with :func:`fit_image` to the budgets in ``shrink_targets``.
    SHRINK = "shrink"


@dataclass(frozen=True, slots=True)
class ShrinkTarget:
    """An image to shrink and the most bytes it may take afterwards."""

    index: int
    max_bytes: int


@dataclass(frozen=True, slots=True)
class MmsVerdict:
    """The outcome of :meth:`MmsPolicy.check`.

    Attributes:
        findings: every finding, message-level and per attachment, in order.
        attachments: what each attachment is, in the order given.
        per_attachment: the findings about each attachment, by index.
        text_bytes: size of the text part (UTF-8).
        total_bytes: text plus every attachment.
        limit_bytes: the smallest whole-message ceiling that applies, ``None``
            if none does. With a provider that resizes images itself, carrier
            ceilings count only the non-image media.
        action: what to do because the message is too large; ``None`` if it fits.
        shrink_targets: with ``action == SHRINK``, the images to pass to
            :func:`fit_image` and their budgets.

    .. versionadded:: 0.1.0
    """

    findings: tuple[Finding, ...]
    attachments: tuple[MediaInfo, ...]
    per_attachment: tuple[tuple[Finding, ...], ...]
    text_bytes: int
    total_bytes: int
    limit_bytes: int | None
    action: OversizeAction | None
    shrink_targets: tuple[ShrinkTarget, ...] = ()

    @property
    def ok(self) -> bool:
        """No finding blocks the message as it is."""
        return all(f.severity is not Severity.BLOCK for f in self.findings)

    @property
    def sends_as_mms(self) -> bool:
        """The message goes out as one MMS (billed per message, not per segment).

        False without attachments, or when the action replaces the media with a
        link (then the text is an SMS, billed per segment) or rejects it.
        """
        return bool(self.attachments) and self.action not in (
            OversizeAction.LINK,
            OversizeAction.REJECT,
        )


def _pillow_installed() -> bool:
    try:
        return importlib.util.find_spec("PIL") is not None
    except (ImportError, ValueError):  # a module entry set to None, or a broken one
        return False


#: The routes the carrier and provider limit data describe.
US_CA_ROUTES = (Route.TEN_DLC, Route.TOLL_FREE, Route.SHORT_CODE)


@dataclass(frozen=True, slots=True)
class MmsPolicy:
    """Size, count and media-type rules for MMS on one route, as cited data.

    Args:
        route: the sender number's route.
        carrier: the destination carrier, ``None`` when unknown (then the
            smallest limit of every carrier for the route applies).
        provider: ``"twilio"``, ``"telnyx"``, ``"bandwidth"``, ``"signalwire"``,
            ``"aws"``, ``"plivo"`` or ``None``; adds that provider's limits,
            attachment count and accepted types.
        oversize_action: what to do with a message that is too large.
        fallback_action: used when ``SHRINK`` cannot work (a non-image is too
            large, or Pillow is missing); ``REJECT`` or ``LINK``.
        allowed_types: media types allowed per route; routes not listed use the
            provider's accepted list, or the default list.
        max_attachments: most attachments per message; ``None`` uses the
            provider's published count (no limit if it publishes none).
        extra_limits: your own limits (for example a stricter house rule).
        severities: severity per finding code, overriding the defaults in
            :data:`MMS_FINDING_CODES`.
        shrink_available: whether :func:`fit_image` can run; ``None`` detects
            Pillow once, here.

    Raises:
        ConfigurationError: an unknown route, carrier, action, provider or
            finding code, a severity that is not a :class:`Severity`, a
            ``SHRINK`` fallback, an attachment count that is not a positive
            int, or a route mapped to one string instead of a set of types.

    .. versionadded:: 0.1.0
    """

    route: Route = Route.TEN_DLC
    carrier: Carrier | None = None
    provider: str | None = None
    oversize_action: OversizeAction = OversizeAction.REJECT
    fallback_action: OversizeAction = OversizeAction.LINK
    allowed_types: Mapping[Route, frozenset[str]] = field(default_factory=dict)
    max_attachments: int | None = None
    extra_limits: tuple[SizeLimit, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    shrink_available: bool | None = None
    _limits: tuple[SizeLimit, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        # Stored values may come back as plain strings: accept those, refuse typos
        # (an unknown carrier would match no carrier row, so no carrier limit).
        for name, enum in (("route", Route), ("oversize_action", OversizeAction),
                           ("fallback_action", OversizeAction), ("carrier", Carrier)):
            value = getattr(self, name)
            if value is None and name == "carrier":
                continue
            try:
                setattr_(self, name, enum(value))
            except ValueError:
                raise ConfigurationError(
                    f"{name} must be one of {[m.value for m in enum]}, not {_shown(value)}",
                    field=name,
                ) from None
        if self.route not in US_CA_ROUTES:
            raise ConfigurationError(
                f"MMS limits are known for US/Canada routes only ({', '.join(US_CA_ROUTES)}), "
                f"not {self.route!r}; pass extra_limits and a US/Canada route to model another",
                field="route",
            )
        if self.provider is not None and self.provider not in PROVIDERS:
            raise ConfigurationError(
                f"unknown MMS provider {self.provider!r}; use one of "
                f"{sorted(PROVIDERS)} or None",
                field="provider",
            )
        if self.fallback_action is OversizeAction.SHRINK:
            raise ConfigurationError(
                "fallback_action is used when shrinking cannot work: use REJECT or LINK",
                field="fallback_action",
            )
        if self.max_attachments is not None and (
            type(self.max_attachments) is not int or self.max_attachments < 1
        ):
            raise ConfigurationError(
                f"max_attachments must be a whole number of at least 1 or None, "
                f"not {self.max_attachments!r}",
                field="max_attachments",
            )
        unknown = sorted(set(self.severities) - set(MMS_FINDING_CODES))
        if unknown:
            raise ConfigurationError(
                f"unknown MMS finding codes in severities: {unknown}", field="severities"
            )
        for code, severity in self.severities.items():
            if not isinstance(severity, Severity):
                raise ConfigurationError(
                    f"severities[{code!r}] must be a Severity, not {severity!r}",
                    field="severities",
                )
        if any(isinstance(types, str) for types in self.allowed_types.values()):
            raise ConfigurationError(
                "allowed_types maps each route to a set of media types, "
                "e.g. {Route.TEN_DLC: {'image/jpeg'}}, not to one string",
                field="allowed_types",
            )
        setattr_(self, "severities", MappingProxyType(dict(self.severities)))
        setattr_(self, "allowed_types", MappingProxyType(
            {route: frozenset(canonical_type(t) for t in types)
             for route, types in self.allowed_types.items()}
        ))
        if self.shrink_available is None:
            setattr_(self, "shrink_available", _pillow_installed())
        setattr_(self, "_limits", tuple(
            limit for limit in (*CARRIER_LIMITS, *PROVIDER_LIMITS, *self.extra_limits)
            if self._applies(limit)
        ))

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though severities is a read-only mapping.
        return reduce_frozen(self)

    def _applies(self, limit: SizeLimit) -> bool:
        return (
            limit.route in (None, self.route)
            and limit.provider in (None, self.provider)
            # Unknown carrier: every carrier's limit applies, so the smallest binds.
            and (self.carrier is None or limit.carrier in (None, self.carrier))
        )

    @property
    def limits(self) -> tuple[SizeLimit, ...]:
        """Every size limit (and recommendation) that applies to this policy."""
        return self._limits

    @property
    def attachment_limit(self) -> int | None:
        """Most attachments per message, ``None`` when no limit is known."""
        if self.max_attachments is not None:
            return self.max_attachments
        profile = PROVIDERS.get(self.provider) if self.provider else None
        return profile.max_attachments if profile else None

    def allowed(self) -> tuple[frozenset[str], str]:
        """The media types allowed on this policy's route, and where that list comes from."""
        if self.route in self.allowed_types:
            return self.allowed_types[self.route], "MmsPolicy.allowed_types"
        profile = PROVIDERS.get(self.provider) if self.provider else None
        if profile is not None and profile.accepted_types is not None:
            return profile.accepted_types, profile.source
        return DEFAULT_ALLOWED_TYPES, DEFAULT_ALLOWED_TYPES_SOURCE

    def check(
        self, attachments: Iterable[MediaInfo | MediaInput], *, text: str = ""
    ) -> MmsVerdict:
        """Check one message: each attachment, their number, and the total size.

        Args:
            attachments: sniffed :class:`MediaInfo` values, or raw media (sniffed
                here, without a declared type).
            text: the message body; its UTF-8 size counts toward the total.

        Returns:
            An :class:`MmsVerdict`. Violations are findings, never exceptions.

        Raises:
            MediaError: a raw attachment cannot be read at all.
            TypeError: ``attachments`` is one file rather than a list of them, or
                ``text`` is not a str.
        """
        if isinstance(attachments, bytes | bytearray | memoryview | str | MediaInfo):
            # One file is iterable too (bytes give ints): say what to pass instead.
            raise TypeError(
                "attachments is a list of files or MediaInfo values; wrap one file in a list"
            )
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        media = tuple(a if isinstance(a, MediaInfo) else sniff_media(a) for a in attachments)
        text_bytes = len(text.encode("utf-8", "surrogatepass"))
        per: list[list[Finding]] = [self._media_findings(i, m) for i, m in enumerate(media)]
        general: list[Finding] = []
        limit = self.attachment_limit
        if limit is not None and len(media) > limit:
            general.append(self._finding(
                "mms.too_many_attachments",
                f"{len(media)} attachments; this route and provider allow at most {limit}: "
                "send fewer files or split the message",
                self._count_source(), count=len(media), limit=limit,
            ))
        size_findings, violated = self._size_findings(media, text_bytes, per)
        general.extend(size_findings)
        action, targets = (None, ()) if not violated else self._oversize(
            media, text_bytes, violated, general
        )
        findings = tuple(general) + tuple(f for fs in per for f in fs)
        return MmsVerdict(
            findings=findings,
            attachments=media,
            per_attachment=tuple(tuple(fs) for fs in per),
            text_bytes=text_bytes,
            total_bytes=text_bytes + sum(m.size for m in media),
            limit_bytes=min(
                (lim.max_bytes for lim in self._limits
                 if lim.scope is LimitScope.MESSAGE and not lim.advisory
                 and lim.media is MediaScope.ALL),
                default=None,
            ),
            action=action,
            shrink_targets=targets,
        )

    # --- per attachment ----------------------------------------------------------------

    def _finding(self, code: str, message: str, source: str, **details: object) -> Finding:
        severity = self.severities.get(code, MMS_FINDING_CODES[code])
        return Finding(code, severity, message, source, MappingProxyType(details))

    def _media_findings(self, index: int, media: MediaInfo) -> list[Finding]:
        label = f"attachment {index + 1}"
        if media.size == 0:
            return [self._finding(
                "mms.empty_media", f"{label} is empty: attach the file's content",
                _SNIFF_SOURCE, attachment=index,
            )]
        if media.content_type is None:
            return [self._finding(
                "mms.unknown_type",
                f"{label} ({media.size} bytes) is not a media format smskit recognises: "
                "check that the right file is attached",
                _SNIFF_SOURCE, attachment=index, declared_type=media.declared_type,
            )]
        found: list[Finding] = []
        if media.truncated:
            found.append(self._finding(
                "mms.truncated_media",
                f"{label} ({media.content_type}) looks cut short or has trailing data: "
                "re-export or re-upload it",
                _SNIFF_SOURCE, attachment=index, content_type=media.content_type,
            ))
        if media.type_mismatch:
            found.append(self._finding(
                "mms.type_mismatch",
                f"{label} is declared {media.declared_type!r} but its bytes are "
                f"{media.content_type}: declare {media.content_type}",
                _MISMATCH_SOURCE, attachment=index, declared_type=media.declared_type,
                content_type=media.content_type,
            ))
        allowed, source = self.allowed()
        if media.content_type not in allowed:
            found.append(self._finding(
                "mms.type_not_allowed",
                f"{label} is {media.content_type}, which is not accepted on "
                f"{self.route.value} MMS here: convert it or send a link",
                source, attachment=index, content_type=media.content_type,
                route=self.route.value,
            ))
        if media.location:
            # Sent to a list, a listing photo tells every recipient where it was taken.
            # fit_image takes JPEG, PNG and GIF only: a WebP is to be converted first.
            convert = ("" if media.content_type in SHRINKABLE_TYPES
                       else "convert it to JPEG or PNG and ")
            found.append(self._finding(
                "mms.location_metadata",
                f"{label} ({media.content_type}) carries the GPS position where it was "
                f"taken: {convert}pass it through fit_image, which drops it, before hosting it",
                _LOCATION_SOURCE, attachment=index, content_type=media.content_type,
            ))
        return found

    def _count_source(self) -> str:
        if self.max_attachments is not None:
            return "MmsPolicy.max_attachments"
        profile = PROVIDERS.get(self.provider) if self.provider else None
        return profile.source if profile else ""

    # --- sizes -------------------------------------------------------------------------

    def _counts(self, limit: SizeLimit, media: MediaInfo) -> bool:
        """Whether ``media`` counts toward ``limit``."""
        if limit.media is MediaScope.IMAGE and not media.is_image:
            return False
        if limit.media is MediaScope.NON_IMAGE and media.is_image:
            return False
        if media.content_type in limit.excluded_types or (
            limit.types is not None and media.content_type not in limit.types
        ):
            return False
        profile = PROVIDERS.get(self.provider) if self.provider else None
        # A provider that resizes images to each carrier's limit exempts them from it.
        resized = profile is not None and profile.transcodes_images
        return not (
            resized and limit.provider is None and media.content_type in SHRINKABLE_TYPES
        )

    def _size_findings(
        self, media: tuple[MediaInfo, ...], text_bytes: int, per: list[list[Finding]]
    ) -> tuple[list[Finding], list[SizeLimit]]:
        general: list[Finding] = []
        violated: list[SizeLimit] = []
        over_message: list[tuple[SizeLimit, int]] = []
        for limit in self._limits:
            if limit.scope is LimitScope.ATTACHMENT:
                continue
            counted = text_bytes + sum(m.size for m in media if self._counts(limit, m))
            if counted > limit.max_bytes:
                over_message.append((limit, counted))
        hard = sorted((x for x in over_message if not x[0].advisory), key=_tightest)
        soft = sorted((x for x in over_message if x[0].advisory), key=_tightest)
        if hard:
            limit, counted = hard[0]
            violated.extend(lim for lim, _ in hard)
            counted_media = [m for m in media if self._counts(limit, m)]
            fixed = text_bytes + sum(
                m.size for m in counted_media if m.content_type not in SHRINKABLE_TYPES)
            # Shrinking is worth naming only if the text and other files leave room.
            helps = fixed < limit.max_bytes and len(counted_media) > 0 and any(
                m.content_type in SHRINKABLE_TYPES for m in counted_media)
            general.append(self._size_finding("mms.too_large", None, limit, counted, helps))
        elif soft:
            limit, counted = soft[0]
            general.append(self._size_finding("mms.above_recommended", None, limit, counted))
        for index, item in enumerate(media):
            over = sorted(
                (lim for lim in self._limits
                 if lim.scope is LimitScope.ATTACHMENT and self._counts(lim, item)
                 and item.size > lim.max_bytes),
                key=lambda lim: (lim.advisory, lim.max_bytes),
            )
            if over:
                code = "mms.above_recommended" if over[0].advisory else "mms.too_large"
                violated.extend(lim for lim in over if not lim.advisory)
                helps = item.content_type in SHRINKABLE_TYPES
                per[index].append(self._size_finding(code, index, over[0], item.size, helps))
        return general, violated

    def _size_finding(
        self, code: str, index: int | None, limit: SizeLimit, counted: int,
        shrinking_helps: bool = False,
    ) -> Finding:
        what = "the message" if index is None else f"attachment {index + 1}"
        verb = "exceeds the recommended" if limit.advisory else "exceeds the"
        return self._finding(
            code,
            f"{what} is {counted:,} bytes, which {verb} {limit.max_bytes:,}-byte "
            f"limit ({limit.note or limit.scope.value}; status {limit.status})"
            f"{'' if limit.advisory else _too_large_hint(index, shrinking_helps)}",
            limit.source,
            attachment=index, size_bytes=counted, limit_bytes=limit.max_bytes,
            scope=limit.scope.value, status=limit.status,
        )

    def _oversize(
        self, media: tuple[MediaInfo, ...], text_bytes: int, violated: list[SizeLimit],
        general: list[Finding],
    ) -> tuple[OversizeAction, tuple[ShrinkTarget, ...]]:
        if self.oversize_action is not OversizeAction.SHRINK:
            return self.oversize_action, ()
        if not self.shrink_available:
            reason = f"Pillow is not installed: {install_hint(IMAGES_EXTRA)}"
            targets: tuple[ShrinkTarget, ...] | str = reason
        else:
            targets = self._plan(media, text_bytes, violated)
        if isinstance(targets, str):
            general.append(self._finding(
                "mms.shrink_unavailable",
                f"cannot shrink this message ({targets}); "
                f"falling back to {self.fallback_action.value}",
                "smskit.mms.fit_image", reason=targets, fallback=self.fallback_action.value,
            ))
            return self.fallback_action, ()
        return OversizeAction.SHRINK, targets

    def _plan(
        self, media: tuple[MediaInfo, ...], text_bytes: int, violated: list[SizeLimit]
    ) -> tuple[ShrinkTarget, ...] | str:
        """Per-image budgets that satisfy every violated limit, or why there are none."""
        budget = {i: m.size for i, m in enumerate(media) if m.content_type in SHRINKABLE_TYPES}
        # Per-file limits first: the room a message limit shares out is then known.
        for limit in sorted(violated, key=lambda limit: limit.scope is not LimitScope.ATTACHMENT):
            covered = [i for i, m in enumerate(media) if self._counts(limit, m)]
            if limit.scope is LimitScope.ATTACHMENT:
                for i in covered:
                    if media[i].size > limit.max_bytes:
                        if i not in budget:
                            return f"attachment {i + 1} ({media[i].content_type}) is too large"
                        budget[i] = min(budget[i], limit.max_bytes)
                continue
            fixed = text_bytes + sum(media[i].size for i in covered if i not in budget)
            shrinkable = [i for i in covered if i in budget]
            room = limit.max_bytes - fixed
            if not shrinkable or room < _MIN_SHRINK_BYTES * len(shrinkable):
                return "the text and non-image media alone leave no room for the images"
            budget.update(_fair_shares(room, {i: budget[i] for i in shrinkable}))
        return tuple(
            ShrinkTarget(i, b) for i, b in sorted(budget.items()) if b < media[i].size
        )


def _too_large_hint(index: int | None, shrinking_helps: bool) -> str:
    """What to do about a message or file over a hard limit (the finding said only how much)."""
    if index is not None:
        return (": shrink it with fit_image or send a link instead" if shrinking_helps
                else ": send a smaller file or a link instead")
    if shrinking_helps:
        return ": shrink the images with fit_image, send fewer files, or send a link instead"
    return ": send fewer or smaller files, or a link instead"


def _fair_shares(room: int, wanted: dict[int, int]) -> dict[int, int]:
    """Split ``room`` bytes so no image is cut below an equal share (max-min fairness).

    An image that fits in an equal share keeps its size; the others split what is
    left equally. In proportion to size, a 19 kB floor plan beside a 4.7 MB photo
    got 819 bytes (a thumbnail) while the photo had room to give.
    """
    shares: dict[int, int] = {}
    left = dict(wanted)
    while left:
        share = room // len(left)
        small = {i: size for i, size in left.items() if size <= share}
        if not small:
            return shares | dict.fromkeys(left, share)
        for i, size in small.items():
            shares[i] = size
            room -= size
            del left[i]
    return shares


def _tightest(item: tuple[SizeLimit, int]) -> tuple[int, int]:
    limit, counted = item
    return (limit.max_bytes, -counted)

