"""Random access to media bytes without reading a large input whole.

A :class:`MediaReader` gives the sniffer ``read(offset, n)`` over ``bytes``,
``bytearray``, ``memoryview``, a file path or a seekable binary file object.
In-memory input is sliced through a ``memoryview``, so only the few bytes a
parser asks for are copied; files are read through one small window, so a
50 MB video costs a handful of reads from its header and its tail.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, Final

from ..errors import MediaError

__all__: list[str] = []  # private module

#: What ``sniff_media`` accepts: bytes-like objects, a path, or a binary file.
MediaInput = bytes | bytearray | memoryview | os.PathLike[str] | BinaryIO

_WINDOW: Final = 64 * 1024


class MediaReader:
    """Read byte ranges of one media input; never reads past what is asked."""

    __slots__ = ("_file", "_view", "_window", "_window_start", "size")

    def __init__(self, *, view: memoryview | None = None, file: BinaryIO | None = None,
                 size: int) -> None:
        self._view = view
        self._file = file
        self._window = b""
        self._window_start = 0
        self.size = size

    def read(self, offset: int, n: int) -> bytes:
        """Up to ``n`` bytes from ``offset``; fewer (or none) at the end of the input."""
        if offset < 0 or n <= 0 or offset >= self.size:
            return b""
        if self._view is not None:
            return bytes(self._view[offset : offset + n])
        window_end = self._window_start + len(self._window)
        if self._window_start <= offset and offset + n <= window_end:
            start = offset - self._window_start
            return self._window[start : start + n]
        assert self._file is not None
        chunk = self._read_file(offset, max(n, _WINDOW))
        if n >= _WINDOW:
            return chunk
        self._window = chunk
        self._window_start = offset
        return chunk[:n]

    def _read_file(self, offset: int, n: int) -> bytes:
        assert self._file is not None
        try:
            self._file.seek(offset)
            chunk = self._file.read(n)
        except (OSError, ValueError) as exc:
            raise MediaError(f"cannot read the media file: {exc}") from exc
        if not isinstance(chunk, bytes):
            raise MediaError("media file object must be opened in binary mode ('rb')")
        return chunk

    def tail(self, n: int) -> bytes:
        """The last ``n`` bytes (all of them if the input is shorter)."""
        start = max(0, self.size - n)
        return self.read(start, self.size - start)


def _view_of(data: bytes | bytearray | memoryview) -> memoryview:
    view = memoryview(data)
    if view.format == "B" and view.ndim == 1:
        return view
    if not view.c_contiguous:
        raise MediaError("media memoryview must be contiguous; pass bytes(view) instead")
    return view.cast("B")


def _size_of(file: BinaryIO) -> int:
    try:
        if not file.seekable():
            raise MediaError(
                "media file object must be seekable (opened in binary mode from a file "
                "or io.BytesIO); read it into bytes first"
            )
        return file.seek(0, io.SEEK_END)
    except (OSError, ValueError) as exc:
        raise MediaError(f"cannot read the media file object: {exc}") from exc


@contextmanager
def open_media(data: MediaInput) -> Iterator[MediaReader]:
    """A reader over ``data``; files are closed, and file objects rewound, afterwards.

    Raises:
        MediaError: the input is not bytes-like, a path or a seekable binary
            file, or the file cannot be read.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        view = _view_of(data)
        yield MediaReader(view=view, size=view.nbytes)
        return
    if isinstance(data, str):
        raise MediaError(
            "media must be bytes, a pathlib.Path or a binary file object, not str; "
            "wrap a file name in pathlib.Path"
        )
    if isinstance(data, os.PathLike):
        try:
            file = open(data, "rb")  # noqa: SIM115 - closed in finally below
        except OSError as exc:
            # The name says which of a message's files it was (repr: control characters escaped).
            raise MediaError(
                f"cannot open media file {os.fsdecode(data)!r}: {exc.strerror}; check the path"
            ) from exc
        try:
            yield MediaReader(file=file, size=_size_of(file))
        finally:
            file.close()
        return
    if not (hasattr(data, "read") and hasattr(data, "seek")):
        raise MediaError(
            f"media must be bytes, a pathlib.Path or a binary file object, "
            f"not {type(data).__name__}"
        )
    try:
        position = data.tell()
    except (OSError, ValueError) as exc:
        raise MediaError(f"cannot read the media file object: {exc}") from exc
    # Sized before the try: a file that cannot seek has not moved, and rewinding
    # it would hide this MediaError behind the file's own error.
    size = _size_of(data)
    try:
        yield MediaReader(file=data, size=size)
    finally:
        # The caller may still want to upload the file: leave it where it was.
        data.seek(position)
