"""Typed usage of the public API, checked by ``mypy --strict`` in CI (not run by pytest).

If a public signature changes in a way that breaks callers, this file stops type-checking.
"""

from __future__ import annotations

import smskit
from smskit import Encoding, NonGsmCharacter, Replacement, Segment, SegmentedMessage

message: SegmentedMessage = smskit.segment("Hi Zoë", smart=True, reference_bits=16)
count: int = message.segment_count
parts: tuple[Segment, ...] = message.segments
packed: bytes = parts[0].user_data
# The fields read by namedtuple's C descriptor at run time (perf26s) type as properties.
part_text: str = parts[0].text
part_units: int = parts[0].units
header: bytes = parts[0].udh
part_encoding: Encoding = parts[0].encoding
locking: str | None = parts[0].locking_shift
single: str | None = parts[0].single_shift
sent: str = message.text
units: int = message.units
encoding: Encoding = message.encoding
left: int = message.remaining
flagged: tuple[NonGsmCharacter, ...] = message.non_gsm
changed: tuple[Replacement, ...] = message.replacements
counts: list[int] = smskit.count_many(["a", "b"], smart=False)
fast: int = smskit.count_segments("hello", grapheme_safe=False)
septets: bytes = smskit.gsm7_encode("hello")
text: str = smskit.gsm7_decode(smskit.unpack_septets(smskit.pack_septets(septets), 5))
turkish: SegmentedMessage = smskit.segment("Ayşe", languages=("turkish",))
