"""Signed media URLs and a byte-exact check of range responses, for bench/media/run.

    media_urls.py sign MODE SECRET KEY_ID EXPIRES VIDEO_ID FILE
        prints the signed path /media/s/<token>,<expires>/videos/<video-id>/<file>, as
        Shared/MediaStreaming/MediaURLSigner.swift makes it: MODE hmac (the service's default,
        <token> = <kid>.base64url(HMAC-SHA256)) or nginx (base64url(MD5), nginx's secure_link).
    media_urls.py check URL FILE COUNT
        asks URL for COUNT random 1-4 MiB ranges of FILE (the same file, on disk) and stops
        with a message unless each answer is 206 with the right Content-Range, Content-Length
        and bytes; prints one line per range.
"""

import base64
import hashlib
import hmac
import http.client
import random
import sys
import urllib.parse

RANGE_MIN = 1 << 20
RANGE_MAX = 4 << 20


def base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign(mode: str, secret: str, key_id: str, expires: str, video_id: str, file: str) -> str:
    scope = f"/videos/{video_id}/"
    if mode == "hmac":
        message = f"clipset-media-url-v1\n{key_id}\n{expires}\n{scope}".encode()
        token = f"{key_id}.{base64url(hmac.new(secret.encode(), message, hashlib.sha256).digest())}"
    elif mode == "nginx":
        token = base64url(hashlib.md5(f"{expires}{scope} {secret}".encode()).digest())
    else:
        raise SystemExit(f"unknown signing mode {mode!r} (hmac, nginx)")
    return f"/media/s/{token},{expires}{scope}{urllib.parse.quote(file, safe='/')}"


def check(url: str, path: str, count: int) -> None:
    with open(path, "rb") as f:
        data = f.read()
    size = len(data)
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    for _ in range(count):
        length = random.randint(RANGE_MIN, min(RANGE_MAX, size))
        first = random.randint(0, size - length)
        last = first + length - 1
        connection.request("GET", target, headers={"Range": f"bytes={first}-{last}"})
        response = connection.getresponse()
        body = response.read()
        where = f"GET {url} Range: bytes={first}-{last}"
        if response.status != 206:
            raise SystemExit(f"{where}: status {response.status}, not 206: {body[:300]!r}")
        content_range = response.getheader("Content-Range")
        if content_range != f"bytes {first}-{last}/{size}":
            raise SystemExit(f"{where}: Content-Range {content_range!r}, not 'bytes {first}-{last}/{size}'")
        content_length = response.getheader("Content-Length")
        if content_length != str(length):
            raise SystemExit(f"{where}: Content-Length {content_length!r}, not {length}")
        if body != data[first : last + 1]:
            raise SystemExit(f"{where}: {len(body)} bytes received, not the file's {length} bytes at {first}")
        print(f"  206, Content-Length {content_length}, Content-Range {content_range}: bytes match")
    connection.close()


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 7 and args[0] == "sign":
        print(sign(*args[1:]))
    elif len(args) == 4 and args[0] == "check":
        check(args[1], args[2], int(args[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
