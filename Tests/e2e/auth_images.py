"""Image helpers of the avatar tests: test pictures made with ffmpeg, and the
dimensions of a WebP read from its header (VP8, VP8L or VP8X)."""

import struct
import subprocess
from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_image(folder: Path, name: str, size: str = "640x360") -> bytes:
    """The bytes of an ffmpeg test picture of `size`; the format follows `name`'s extension."""
    path = folder / name
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}", "-frames:v", "1", str(path)],
        check=True, timeout=60,
    )
    return path.read_bytes()


def webp_dimensions(data: bytes) -> tuple:
    """(width, height) of a WebP file; fails when `data` is not one."""
    assert len(data) >= 30 and data[:4] == b"RIFF" and data[8:12] == b"WEBP", f"not a WebP file: {data[:16]!r}"
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    if chunk == b"VP8 ":
        assert data[23:26] == b"\x9d\x01\x2a", "VP8 chunk without its start code"
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        assert data[20] == 0x2F, "VP8L chunk without its signature"
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    raise AssertionError(f"unknown WebP chunk {chunk!r}")
