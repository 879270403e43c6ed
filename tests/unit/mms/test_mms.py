"""MMS: sniffing, limits, policy findings and over-size actions.

Expected limits are written from the published pages cited in docs/sources.md:
AT&T 1 MB / 600 KB / 600 KB, T-Mobile 1.5 MB / 600 KB / 1 MB, Verizon
1 MB / 600 KB / 1.2 MB (long code / toll-free / short code); Twilio 5 MB total,
10 files; sizes read as powers of ten.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import media_helpers as mh
from smskit.errors import ConfigurationError, MediaError, MissingExtraError
from smskit.findings import Severity
from smskit.mms.policy import (
    MMS_FINDING_CODES,
    US_CA_ROUTES,
    Carrier,
    MediaKind,
    MmsPolicy,
    OversizeAction,
    ShrinkTarget,
    fit_image,
    sniff_media,
)
from smskit.routes import Route

# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(mh.every_format()))
def test_sniff_recognises_each_format(name: str) -> None:
    data, expected = mh.every_format()[name]
    info = sniff_media(data)
    assert info.content_type == expected
    assert info.size == len(data)
    assert info.truncated is False


@pytest.mark.parametrize(
    ("data", "width", "height"),
    [
        (mh.jpeg(640, 480), 640, 480),
        (mh.png(3, 2), 3, 2),
        (mh.gif(5, 4), 5, 4),
        (mh.webp_vp8x(300, 200, animated=False), 300, 200),
        (mh.webp_lossless(17, 9), 17, 9),
        (mh.bmp(4, -3), 4, 3),  # negative height: rows stored top-down
        (mh.bmp(7, 5), 7, 5),
        (mh.heic([(512, 512), (4032, 3024), (320, 240)]), 4032, 3024),
    ],
    ids=["jpeg", "png", "gif", "webp", "webp_lossless", "bmp_topdown", "bmp", "heic_grid"],
)
def test_sniff_reads_pixel_size_from_the_header(data: bytes, width: int, height: int) -> None:
    info = sniff_media(data)
    assert (info.width, info.height) == (width, height)
    assert info.kind is MediaKind.IMAGE


def test_sniff_tells_animated_from_still() -> None:
    assert sniff_media(mh.gif(5, 4, frames=2)).animated is True
    assert sniff_media(mh.gif(5, 4)).animated is False
    assert sniff_media(mh.png(2, 2, animated=True)).animated is True
    assert sniff_media(mh.png(2, 2)).animated is False
    assert sniff_media(mh.webp_vp8x(8, 8, animated=True)).animated is True
    assert sniff_media(mh.jpeg(8, 8)).animated is None


def test_gif_frames_larger_than_the_read_window() -> None:
    # 1,000 full sub-blocks (256,000 bytes) in the first frame, then a second frame.
    big_frame = b"," + bytes(9) + b"\x02" + (b"\xff" + b"\x00" * 255) * 1000 + b"\x00"
    still = b"GIF89a\x04\x00\x03\x00\x00\x00\x00" + big_frame + b";"
    info = sniff_media(still)
    assert (info.animated, info.truncated) == (False, False)
    animated = still[:-1] + big_frame + b";"
    assert sniff_media(animated).animated is True
    assert sniff_media(still[:-200]).truncated is True


def test_jpeg_with_thumbnail_segment_before_frame_header() -> None:
    # A 60 KB APP1 (EXIF-like) segment sits between SOI and SOF0: skipped by length.
    base = mh.jpeg(1024, 768)
    app1 = b"\xff\xe1" + (60_002).to_bytes(2, "big") + b"\xab" * 60_000
    info = sniff_media(base[:2] + app1 + base[2:])
    assert (info.width, info.height) == (1024, 768)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\x03",
        b"\xff\xfe\xfd" * 10,
        bytes(range(256)),
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable
    ],
    ids=["empty", "zeros", "junk", "all_bytes", "exe"],
)
def test_non_media_is_unrecognised_not_an_error(data: bytes) -> None:
    info = sniff_media(data)
    assert info.content_type is None
    assert info.kind is MediaKind.UNKNOWN
    assert info.size == len(data)


def test_truncated_files_are_flagged() -> None:
    assert sniff_media(mh.png(3, 2)[:-6]).truncated is True
    assert sniff_media(mh.gif(5, 4)[:-1]).truncated is True
    assert sniff_media(mh.jpeg(640, 480)[:-2]).truncated is True
    assert sniff_media(mh.jpeg(640, 480)[:6]).truncated is True
    assert sniff_media(mh.png(3, 2)[:20]).content_type == "image/png"


def test_text_that_is_not_utf8_is_not_text() -> None:
    assert sniff_media("café".encode("latin-1")).content_type is None
    # A multi-byte character cut by the 4 KB sniffing window is still text.
    text = ("a" + "é" * 3000).encode()
    assert sniff_media(text).content_type == "text/plain"


def test_declared_type_mismatch_and_aliases() -> None:
    jpeg = mh.jpeg(10, 10)
    assert sniff_media(jpeg, declared_type="image/png").type_mismatch is True
    assert sniff_media(jpeg, declared_type="image/jpg").type_mismatch is False
    assert sniff_media(jpeg, declared_type="IMAGE/JPEG; charset=binary").type_mismatch is False
    mp4 = mh.every_format()["mp4"][0]
    assert sniff_media(mp4, declared_type="audio/mp4").type_mismatch is False
    assert sniff_media(mh.wav(), declared_type="audio/vnd.wave").type_mismatch is False
    assert sniff_media(mh.VCARD, declared_type="text/x-vcard").type_mismatch is False
    assert sniff_media(mh.VCARD, declared_type="text/plain").type_mismatch is True


def test_input_kinds_give_the_same_answer(tmp_path: Path) -> None:
    data = mh.png(31, 17)
    path = tmp_path / "a.png"
    path.write_bytes(data)
    expected = sniff_media(data)
    assert sniff_media(memoryview(data)) == expected
    assert sniff_media(bytearray(data)) == expected
    assert sniff_media(path) == expected
    with path.open("rb") as file:
        file.seek(5)
        assert sniff_media(file) == expected
        assert file.tell() == 5  # the caller's position is left alone


class _CountingFile(io.RawIOBase):
    """A file that records how many bytes were read from it."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self.bytes_read += len(chunk)
        return chunk

    def close(self) -> None:
        self._file.close()
        super().close()


def test_a_50_mb_file_is_sniffed_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "big.mp4"
    header = mh.ftyp(b"isom", b"isom", b"mp41")
    with path.open("wb") as out:
        out.write(header + (50_000_000 - len(header)).to_bytes(4, "big") + b"mdat")
        out.truncate(50_000_000 + len(header))
    counting = _CountingFile(path)
    try:
        info = sniff_media(counting)  # type: ignore[arg-type]
    finally:
        counting.close()
    assert info.content_type == "video/mp4"
    assert info.size == 50_000_000 + len(header)
    assert counting.bytes_read < 300_000


def test_bad_inputs_raise_media_error(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=r"pathlib\.Path"):
        sniff_media("photo.jpg")  # type: ignore[arg-type]
    with pytest.raises(MediaError, match="cannot open"):
        sniff_media(tmp_path / "missing.jpg")
    with pytest.raises(MediaError, match="binary mode"):
        sniff_media(io.StringIO("BEGIN:VCARD"))  # type: ignore[arg-type]
    with pytest.raises(MediaError, match="not int"):
        sniff_media(42)  # type: ignore[arg-type]


# --- limits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "carrier", "limit"),
    [
        (Route.TEN_DLC, None, 1_000_000),  # AT&T and Verizon 1 MB are the smallest
        (Route.TOLL_FREE, None, 600_000),
        (Route.SHORT_CODE, None, 600_000),  # AT&T short code
        (Route.TEN_DLC, Carrier.TMOBILE, 1_500_000),
        (Route.SHORT_CODE, Carrier.VERIZON, 1_200_000),
        (Route.SHORT_CODE, Carrier.TMOBILE, 1_000_000),
        (Route.TOLL_FREE, Carrier.ATT, 600_000),
    ],
)
def test_message_limit_per_route_and_carrier(
    route: Route, carrier: Carrier | None, limit: int
) -> None:
    assert MmsPolicy(route=route, carrier=carrier).check([]).limit_bytes == limit


def test_toll_free_is_never_larger_than_10dlc() -> None:
    for carrier in Carrier:
        tf = MmsPolicy(route=Route.TOLL_FREE, carrier=carrier).check([]).limit_bytes
        ten = MmsPolicy(route=Route.TEN_DLC, carrier=carrier).check([]).limit_bytes
        assert tf is not None
        assert ten is not None
        assert tf < ten


def test_every_limit_has_a_source_and_status() -> None:
    for route in US_CA_ROUTES:
        for provider in (None, "twilio", "telnyx", "bandwidth", "signalwire", "aws", "plivo"):
            for limit in MmsPolicy(route=route, provider=provider).limits:
                assert limit.source.startswith("https://")
                assert limit.status in {"V", "S", "U", "C"}


def _pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 9)


def _jpeg_of_size(size: int) -> bytes:
    base = mh.jpeg(2000, 1500)
    return base[:-2] + b"\x12" * (size - len(base)) + b"\xff\xd9"


def test_text_counts_toward_the_total() -> None:
    policy = MmsPolicy(route=Route.TEN_DLC)
    fits = policy.check([_pdf(999_990)], text="0123456789")
    assert fits.total_bytes == 1_000_000
    assert fits.action is None
    assert fits.ok
    over = policy.check([_pdf(999_990)], text="0123456789é")  # é is 2 bytes in UTF-8
    assert over.total_bytes == 1_000_002
    assert [f.code for f in over.findings] == ["mms.too_large"]
    assert over.findings[0].details["limit_bytes"] == 1_000_000
    assert over.action is OversizeAction.REJECT
    assert not over.ok


def test_toll_free_rejects_what_10dlc_accepts() -> None:
    pdf = _pdf(700_000)
    assert MmsPolicy(route=Route.TEN_DLC).check([pdf]).ok
    verdict = MmsPolicy(route=Route.TOLL_FREE).check([pdf])
    assert [f.code for f in verdict.findings] == ["mms.too_large"]
    assert verdict.findings[0].details["limit_bytes"] == 600_000


@pytest.mark.parametrize(("carrier", "name"), [
    (Carrier.ATT, "AT&T"), (Carrier.TMOBILE, "T-Mobile"), (Carrier.VERIZON, "Verizon"),
    (Carrier.SPRINT, "Sprint"),
])
def test_a_size_finding_names_the_carrier_as_its_sources_write_it(
    carrier: Carrier, name: str
) -> None:
    # fix28c: "the 600,000-byte limit (ATT toll_free MMS size...)": the enum's member
    # name, where docs/mms.md and the sources say AT&T. The stored key stays "att".
    verdict = MmsPolicy(route=Route.TOLL_FREE, carrier=carrier).check([_pdf(700_000)])
    [finding] = verdict.findings
    assert f"limit ({name} toll_free MMS size; status V)" in finding.message
    assert Carrier(carrier.value) is carrier
    assert Carrier.ATT.value == "att"


def test_twilio_resizes_images_so_carrier_limits_skip_them() -> None:
    photo = _jpeg_of_size(3_000_000)
    assert MmsPolicy(provider="twilio").check([photo]).ok
    assert not MmsPolicy(provider=None).check([photo]).ok
    # Twilio's own 5 MB cap still counts images.
    over = MmsPolicy(provider="twilio").check([photo, photo])
    assert over.findings[0].code == "mms.too_large"
    assert over.findings[0].details["limit_bytes"] == 5_000_000


def test_twilio_allows_ten_attachments_not_eleven() -> None:
    gif = mh.gif(2, 2)
    policy = MmsPolicy(provider="twilio")
    assert policy.check([gif] * 10).ok
    verdict = policy.check([gif] * 11)
    assert [f.code for f in verdict.findings] == ["mms.too_many_attachments"]
    assert "21623" in verdict.findings[0].source


def test_per_attachment_limit_on_aws() -> None:
    verdict = MmsPolicy(provider="aws", route=Route.TEN_DLC).check(
        [mh.gif(2, 2), _pdf(650_000)]
    )
    assert verdict.per_attachment[0] == ()
    (finding,) = verdict.per_attachment[1]
    assert finding.code == "mms.too_large"
    assert finding.details == {
        "attachment": 1, "size_bytes": 650_000, "limit_bytes": 600_000,
        "scope": "attachment", "status": "V",
    }


def test_recommendation_is_a_warning_only() -> None:
    verdict = MmsPolicy(provider="bandwidth").check([_pdf(510_000)])
    assert [f.code for f in verdict.findings] == ["mms.above_recommended"]
    assert verdict.findings[0].severity is Severity.WARNING
    assert verdict.ok
    assert verdict.action is None


def test_type_findings() -> None:
    policy = MmsPolicy()
    verdict = policy.check([
        sniff_media(mh.jpeg(4, 4), declared_type="image/png"),
        mh.webp_vp8x(4, 4, animated=False),
        mh.heic([(4, 4)]),
        b"",
        b"\x00\x00junk",
        mh.png(3, 2)[:-6],
    ])
    codes = [[f.code for f in fs] for fs in verdict.per_attachment]
    assert codes == [
        ["mms.type_mismatch"],
        ["mms.type_not_allowed"],  # Twilio: WebP only for WhatsApp stickers
        ["mms.type_not_allowed"],
        ["mms.empty_media"],
        ["mms.unknown_type"],
        ["mms.truncated_media"],
    ]
    assert verdict.findings[0].details["attachment"] == 0


def test_allowed_types_per_route_override() -> None:
    policy = MmsPolicy(
        route=Route.SHORT_CODE,
        allowed_types={Route.SHORT_CODE: frozenset({"image/jpg", "image/webp"})},
    )
    assert policy.check([mh.webp_vp8x(4, 4, animated=False), mh.jpeg(4, 4)]).ok
    (finding,) = policy.check([mh.png(2, 2)]).findings
    assert finding.code == "mms.type_not_allowed"
    assert finding.source == "MmsPolicy.allowed_types"


def test_severity_overrides() -> None:
    strict = MmsPolicy(severities={"mms.type_mismatch": Severity.BLOCK})
    verdict = strict.check([sniff_media(mh.jpeg(4, 4), declared_type="image/gif")])
    assert not verdict.ok
    assert verdict.findings[0].severity is Severity.BLOCK
    assert MmsPolicy().check([sniff_media(mh.jpeg(4, 4), declared_type="image/gif")]).ok


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"provider": "acme"}, "provider"),
        ({"fallback_action": OversizeAction.SHRINK}, "fallback_action"),
        ({"max_attachments": 0}, "max_attachments"),
        ({"severities": {"mms.nope": Severity.INFO}}, "severities"),
    ],
)
def test_bad_configuration(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        MmsPolicy(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_finding_codes_are_dotted_and_documented() -> None:
    docs = (Path(__file__).parents[3] / "docs" / "mms.md").read_text()
    for code in MMS_FINDING_CODES:
        assert code.startswith("mms.")
        assert f"`{code}`" in docs


# --- over-size actions ---------------------------------------------------------------------


def test_link_action_means_the_message_is_not_sent_as_mms() -> None:
    verdict = MmsPolicy(route=Route.TOLL_FREE, oversize_action=OversizeAction.LINK).check(
        [_pdf(700_000)]
    )
    assert verdict.action is OversizeAction.LINK
    assert verdict.sends_as_mms is False
    assert MmsPolicy().check([mh.gif(2, 2)]).sends_as_mms is True
    assert MmsPolicy().check([]).sends_as_mms is False


def test_shrink_plan_gives_each_image_an_equal_share_at_least() -> None:
    policy = MmsPolicy(
        route=Route.TOLL_FREE, oversize_action=OversizeAction.SHRINK, shrink_available=True
    )
    # 600,000-byte limit, 100,000-byte PDF and a 2-byte text leave 499,998 for the photo.
    verdict = policy.check([_jpeg_of_size(800_000), _pdf(100_000)], text="hi")
    assert verdict.action is OversizeAction.SHRINK
    assert verdict.shrink_targets == (ShrinkTarget(0, 499_998),)
    # Two photos of 600,000 and 300,000 bytes: 300,000 each is an equal share, so the
    # smaller keeps its size and the larger is cut to 300,000 (not 400,000 and 200,000).
    verdict = policy.check([_jpeg_of_size(600_000), _jpeg_of_size(300_000)])
    assert verdict.shrink_targets == (ShrinkTarget(0, 300_000),)


def test_a_small_image_is_not_cut_to_a_thumbnail_beside_a_large_one() -> None:
    # Listing files on toll-free (600,000 bytes): a 2-byte text and a 360,000-byte PDF
    # leave 239,998 for three images. An equal share is 79,999: the 20,000-byte floor
    # plan fits in it and keeps its size; the photo and the GIF split the 219,998 left,
    # 109,999 each. In proportion to size the floor plan got 239,998 * 20,000 //
    # 5,620,000 = 854 bytes, under the 2,000 bytes the plan holds worth shrinking to.
    policy = MmsPolicy(
        route=Route.TOLL_FREE, oversize_action=OversizeAction.SHRINK, shrink_available=True
    )
    # (All three images are JPEGs here: the plan reads sizes, not formats.)
    media = [_jpeg_of_size(4_800_000), _jpeg_of_size(20_000), _pdf(360_000),
             _jpeg_of_size(800_000)]
    assert [len(m) for m in media] == [4_800_000, 20_000, 360_000, 800_000]
    verdict = policy.check(media, text="hi")
    assert verdict.shrink_targets == (ShrinkTarget(0, 109_999), ShrinkTarget(3, 109_999))


@given(st.lists(st.integers(1, 5_000_000), min_size=1, max_size=10), st.integers(2_000, 5_000_000))
def test_fair_shares_fit_the_room_and_never_cut_below_an_equal_share(
    sizes: list[int], room: int
) -> None:
    from smskit.mms.policy import _fair_shares

    wanted = dict(enumerate(sizes))
    shares = _fair_shares(room, wanted)
    assert shares.keys() == wanted.keys()
    assert sum(shares.values()) <= max(room, 0)
    equal = room // len(sizes)
    for i, size in wanted.items():
        assert shares[i] <= size
        assert shares[i] >= min(size, equal)


def test_shrink_falls_back_when_a_non_image_is_too_large() -> None:
    policy = MmsPolicy(
        route=Route.TOLL_FREE, oversize_action=OversizeAction.SHRINK,
        fallback_action=OversizeAction.REJECT, shrink_available=True,
    )
    verdict = policy.check([_pdf(700_000), mh.gif(2, 2)])
    assert verdict.action is OversizeAction.REJECT
    assert [f.code for f in verdict.findings] == ["mms.too_large", "mms.shrink_unavailable"]


def test_shrink_without_pillow_says_which_extra_to_install() -> None:
    policy = MmsPolicy(
        route=Route.TOLL_FREE, oversize_action=OversizeAction.SHRINK, shrink_available=False
    )
    verdict = policy.check([_jpeg_of_size(800_000)])
    assert verdict.action is OversizeAction.LINK
    unavailable = verdict.findings[-1]
    assert unavailable.code == "mms.shrink_unavailable"
    assert "smskit-compliance[images]" in unavailable.message


def test_fit_image_without_pillow_raises_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    assert MmsPolicy().shrink_available is False
    with pytest.raises(MissingExtraError, match=r"smskit-compliance\[images\]") as caught:
        fit_image(_jpeg_of_size(50_000), 10_000)
    assert caught.value.extra == "images"


def test_fit_image_rejects_what_it_cannot_shrink() -> None:
    with pytest.raises(MediaError, match="JPEG, PNG and GIF"):
        fit_image(_pdf(1000), 10)
    with pytest.raises(MediaError, match="not a recognised format"):
        fit_image(b"\x00" * 100, 10)
    with pytest.raises(ConfigurationError):
        fit_image(mh.gif(2, 2), 0)
    # A bool is an int (True was a 1-byte budget); a float is not a byte count.
    for budget in (True, 100_000.0):
        with pytest.raises(ConfigurationError, match="whole number"):
            fit_image(mh.gif(2, 2), budget)  # type: ignore[arg-type]
    small = mh.gif(2, 2)
    assert fit_image(small, 10_000) == small


# --- review fixes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xfe" + "See you at 5".encode("utf-16-le"), "text/plain"),
        (b"\xfe\xff" + "See you at 5".encode("utf-16-be"), "text/plain"),
        # vCards exported by some phones are UTF-16 with a byte-order mark.
        (b"\xff\xfe" + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n".encode(
            "utf-16-le"), "text/vcard"),
    ],
)
def test_utf16_text_with_a_byte_order_mark(data: bytes, expected: str) -> None:
    # FF FE also reads as an MPEG-1 Layer I frame sync: it was called audio/mpeg.
    info = sniff_media(data)
    assert (info.content_type, info.kind) == (expected, MediaKind.TEXT)


def test_utf16_mark_before_binary_is_not_text() -> None:
    # An MPEG-1 Layer I header with CRC starts FF FE too; its frame is not text.
    frame = b"\xff\xfe\x90\x00" + bytes(range(256)) * 2
    assert sniff_media(frame).content_type == "audio/mpeg"


def test_aws_counts_tiff_against_the_600_kb_limit_for_other_types() -> None:
    # AWS: gif/jpeg/png at most 2 MB each; other types, tiff named among them, 600 KB.
    tiff = b"II*\x00" + b"\x00" * 699_996
    verdict = MmsPolicy(provider="aws").check([tiff])
    assert [f.code for f in verdict.findings] == ["mms.too_large"]
    assert verdict.findings[0].details["limit_bytes"] == 600_000


def test_plivo_total_is_strictly_under_5_mb() -> None:
    (plivo,) = [lim for lim in MmsPolicy(provider="plivo").limits if lim.provider == "plivo"]
    assert plivo.max_bytes == 4_999_999  # "total message < 5 MB"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        # A str severity never equals Severity.BLOCK: ok would stay True.
        ({"severities": {"mms.too_large": "block"}}, "severities"),
        ({"max_attachments": True}, "max_attachments"),
        ({"max_attachments": 2.5}, "max_attachments"),
    ],
)
def test_configuration_of_the_wrong_type(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        MmsPolicy(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    """ISO/IEC 14496-12 ftyp box: size, 'ftyp', major brand, minor version, brands."""
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00" * 16


@pytest.mark.parametrize(
    ("major", "expected"),
    [(b"3gg6", "video/3gpp"), (b"3ge6", "video/3gpp"), (b"3gr6", "video/3gpp"),
     (b"3g2a", "video/3gpp2"), (b"3gp5", "video/3gpp")],
)
def test_every_3gpp_brand_is_3gpp(major: bytes, expected: str) -> None:
    # 3GPP TS 26.244 brands all start "3g" (3gp, 3gr, 3gs, 3ge, 3gg...); 3GPP2 is "3g2".
    assert sniff_media(_ftyp(major, b"isom")).content_type == expected


def test_id3_tag_before_aac_is_aac() -> None:
    # ID3v2 header: "ID3", version 4.0, flags 0, syncsafe size 16; then 16 tag bytes;
    # then an ADTS frame header (sync FFF, MPEG-4, layer 0, no CRC: FF F1).
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x10" + b"\x00" * 16
    adts = b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 32
    mp3 = b"\xff\xfb\x90\x64" + b"\x00" * 32  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
    assert sniff_media(tag + adts).content_type == "audio/aac"
    assert sniff_media(tag + mp3).content_type == "audio/mpeg"
    assert sniff_media(b"ID3\x04\x00\x00\x00\x00\x00\x10").content_type == "audio/mpeg"


def test_enum_fields_given_as_strings() -> None:
    # "verizon" is Carrier.VERIZON's value: same limits as the enum.
    assert MmsPolicy(carrier="verizon").limits == MmsPolicy(  # type: ignore[arg-type]
        carrier=Carrier.VERIZON
    ).limits
    shrink = MmsPolicy(oversize_action="shrink", shrink_available=True)  # type: ignore[arg-type]
    assert shrink.oversize_action is OversizeAction.SHRINK
    for kwargs, field in (
        # An unknown carrier matched no carrier row: no carrier limit applied at all.
        ({"carrier": "Verizon Wireless"}, "carrier"),
        ({"oversize_action": "resize"}, "oversize_action"),
        ({"fallback_action": "shrink"}, "fallback_action"),
        # A str is iterable: "image/jpeg" became a set of single letters.
        ({"allowed_types": {Route.TEN_DLC: "image/jpeg"}}, "allowed_types"),
    ):
        with pytest.raises(ConfigurationError) as caught:
            MmsPolicy(**kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field


def test_jpeg_size_is_the_main_frame_not_the_exif_thumbnail() -> None:
    # The EXIF APP1 segment embeds a whole 160x120 JPEG (its own SOF0) before the
    # main image's SOF2 (progressive, ITU T.81 marker C2). The main one counts.
    thumb = mh.jpeg(160, 120)
    app1_body = b"Exif\x00\x00" + b"MM\x00*\x00\x00\x00\x08" + thumb
    app1 = b"\xff\xe1" + (len(app1_body) + 2).to_bytes(2, "big") + app1_body
    main = mh.jpeg(4032, 3024).replace(b"\xff\xc0", b"\xff\xc2")
    info = sniff_media(main[:2] + app1 + main[2:])
    assert (info.width, info.height, info.truncated) == (4032, 3024, False)


def test_gif_local_color_tables_are_skipped() -> None:
    # Image descriptors with a local color table flag (0x80) and size 2^(1+1) = 4
    # entries, 12 bytes, before each frame's LZW data.
    frame = (b"," + (0).to_bytes(4, "little") + (10).to_bytes(2, "little")
             + (20).to_bytes(2, "little") + b"\x81" + b"\x00" * 12 + b"\x02\x02\x4c\x01\x00")
    head = b"GIF89a" + (10).to_bytes(2, "little") + (20).to_bytes(2, "little") + b"\x00\x00\x00"
    one = sniff_media(head + frame + b";")
    two = sniff_media(head + frame + frame + b";")
    assert (one.width, one.height, one.animated, one.truncated) == (10, 20, False, False)
    assert (two.animated, two.truncated) == (True, False)


def test_webp_lossy_vp8_frame_size() -> None:
    # VP8 key frame: 3-byte frame tag, start code 9D 01 2A, 14-bit width, height.
    body = b"\x30\x01\x00\x9d\x01\x2a" + (640).to_bytes(2, "little") + (480).to_bytes(
        2, "little") + b"\x00" * 10
    data = b"RIFF" + (4 + 8 + len(body)).to_bytes(4, "little") + b"WEBP" + b"VP8 " + len(
        body).to_bytes(4, "little") + body
    info = sniff_media(data)
    assert (info.content_type, info.width, info.height) == ("image/webp", 640, 480)


@pytest.mark.parametrize(
    ("brands", "expected"),
    [
        ((b"heic", b"mif1", b"heic"), "image/heic"),
        ((b"mif1", b"mif1", b"heic"), "image/heic"),
        ((b"avif", b"mif1", b"miaf"), "image/avif"),
        ((b"mif1", b"mif1", b"miaf", b"avif"), "image/avif"),
        ((b"msf1", b"msf1", b"hevc"), "image/heic"),
        ((b"qt  ", b"qt  "), "video/quicktime"),
        ((b"isom", b"isom", b"avc1"), "video/mp4"),
        ((b"M4A ", b"M4A ", b"isom"), "audio/mp4"),
    ],
)
def test_iso_media_brands(brands: tuple[bytes, ...], expected: str) -> None:
    assert sniff_media(_ftyp(*brands)).content_type == expected


def test_a_file_object_that_cannot_seek_is_a_media_error() -> None:
    class Unseekable(io.BytesIO):
        def seekable(self) -> bool:
            return False

        def seek(self, *args: object) -> int:
            raise io.UnsupportedOperation("seek")

    # Was io.UnsupportedOperation from the rewind, hiding the explanation.
    with pytest.raises(MediaError, match="seekable"):
        sniff_media(Unseekable(b"GIF89a"))


def test_check_refuses_one_file_in_place_of_a_list() -> None:
    gif = mh.gif(2, 2)
    # bytes iterate as ints: the error named "int" and not the mistake.
    with pytest.raises(TypeError, match="wrap one file in a list"):
        MmsPolicy().check(gif)
    with pytest.raises(TypeError, match="wrap one file in a list"):
        MmsPolicy().check(sniff_media(gif))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text must be a str"):
        MmsPolicy().check([gif], text=None)  # type: ignore[arg-type]
    assert MmsPolicy().check([gif]).ok


def test_sprint_limits_cite_telnyx_only() -> None:
    # The reference has Sprint in Telnyx's table only; Twilio's lists AT&T, T-Mobile, Verizon.
    sprint = [lim for lim in MmsPolicy(carrier=Carrier.SPRINT).limits if lim.carrier]
    assert {lim.source for lim in sprint} == {
        "https://developers.telnyx.com/docs/messaging/messages/mms-transcoding"
    }


@pytest.mark.parametrize("declared", [5, b"image/gif"])
def test_a_declared_type_that_is_not_a_str_is_a_clear_type_error(declared: object) -> None:
    # A Content-Type taken raw from a header (bytes) failed with "a bytes-like object is
    # required", an int with "'int' object has no attribute 'split'".
    gif = b"GIF89a\x02\x00\x03\x00\x00\x00\x00;"
    with pytest.raises(TypeError, match="declared_type"):
        sniff_media(gif, declared_type=declared)  # type: ignore[arg-type]


def test_a_missing_file_is_named_so_one_of_several_attachments_can_be_found(
    tmp_path: Path,
) -> None:
    # A message with five listing files said only "No such file or directory".
    from smskit.mms import MmsPolicy
    from smskit.routes import Route

    photo = tmp_path / "kitchen.jpg"
    photo.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00"
                      b"\x02\x02D\x01\x00;")
    with pytest.raises(MediaError, match=r"'[^']*floor\\nplan\.png': No such file"):
        MmsPolicy(route=Route.TEN_DLC).check([photo, tmp_path / "floor\nplan.png"], text="hi")


def test_too_large_says_what_to_do() -> None:
    # The finding said how many bytes over which limit, and nothing about what to do.
    tf = MmsPolicy(route=Route.TOLL_FREE)
    (photo,) = tf.check([_jpeg_of_size(700_000)], text="hi").findings
    assert photo.message.endswith(
        ": shrink the images with fit_image, send fewer files, or send a link instead")
    (video,) = tf.check([_pdf(700_000)], text="hi").findings
    assert video.message.endswith(": send fewer or smaller files, or a link instead")
    # The text and a 5,000,000-byte PDF alone are over Twilio's 5 MB: shrinking the photo
    # beside them is no answer, so it is not offered.
    twilio = MmsPolicy(route=Route.TOLL_FREE, provider="twilio")
    big = twilio.check([_jpeg_of_size(100_000), _pdf(5_000_000)], text="hi")
    assert big.findings[0].code == "mms.too_large"  # Twilio's 5 MB, images counted
    assert big.findings[0].message.endswith(": send fewer or smaller files, or a link instead")
    # One file over a per-file limit (AWS: 600,000 bytes for a PDF, 2,000,000 for a JPEG).
    aws = MmsPolicy(route=Route.TEN_DLC, provider="aws")
    (pdf,) = aws.check([_pdf(650_000)]).per_attachment[0]
    assert pdf.message.endswith(": send a smaller file or a link instead")
    (jpeg,) = aws.check([_jpeg_of_size(2_100_000)]).per_attachment[0]
    assert jpeg.message.endswith(": shrink it with fit_image or send a link instead")


def test_telnyx_takes_media_under_1_mb_whatever_the_carrier_allows() -> None:
    # Telnyx's send endpoint: "The total media size must be less than 1 MB"
    # (https://developers.telnyx.com/api-reference/messages/send-a-message). A T-Mobile
    # recipient's 1.5 MB long-code limit let a 1.2 MB file through to be refused there.
    telnyx = MmsPolicy(route=Route.TEN_DLC, provider="telnyx", carrier="tmobile")
    verdict = telnyx.check([_pdf(1_200_000)])
    assert [f.code for f in verdict.findings] == ["mms.too_large"]
    assert verdict.limit_bytes == 999_999
    assert verdict.findings[0].source == (
        "https://developers.telnyx.com/api-reference/messages/send-a-message")
    # "less than 1 MB": 1,000,000 bytes is over, 999,999 is not (smskit reads MB as 10^6).
    unknown = MmsPolicy(route=Route.TEN_DLC, provider="telnyx")
    assert not unknown.check([_pdf(1_000_000)]).ok
    assert unknown.check([_pdf(999_999)]).ok


def test_telnyx_allows_the_types_it_lists() -> None:
    # Telnyx lists JPEG, PNG, GIF, BMP, TIFF, WebP; MP4, 3GP, MOV; MP3, WAV, AMR, OGG; PDF,
    # vCard, iCal (https://developers.telnyx.com/docs/messaging/messages/mms-transcoding).
    # Twilio's list stood in for it: a WebP listing photo was refused, a .docx allowed.
    webp = mh.webp_vp8x(800, 600, animated=False)
    docx = b"PK\x03\x04" + bytes(200)
    telnyx = MmsPolicy(route=Route.TEN_DLC, provider="telnyx")
    assert telnyx.check([webp]).ok
    assert [f.code for f in telnyx.check([docx]).findings] == ["mms.type_not_allowed"]
    twilio = MmsPolicy(route=Route.TEN_DLC, provider="twilio")
    assert [f.code for f in twilio.check([webp]).findings] == ["mms.type_not_allowed"]
