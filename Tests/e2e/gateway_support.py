"""Helpers of the gateway end-to-end tests: JSON error checks, raw HTTP for
what `requests` would rewrite (`..` segments, pipelining) and log lookups."""

import http.client
import socket
import threading
from dataclasses import dataclass, field as dc_field
from urllib.parse import urlsplit

import requests

from auth_client import assert_json
from support import TIMEOUT, Process, field, json_log_lines, wait_for

SERVER_HEADER = "clipset-gateway"
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def assert_json_error(response: requests.Response, status: int) -> dict:
    """The response is `status` with a JSON body {"detail": ...} (never HTML or empty)."""
    assert response.status_code == status, \
        f"{response.request.method} {response.url}: expected {status}, got {response.status_code}: {response.text[:300]}"
    body = assert_json(response)
    assert isinstance(body, dict) and body.get("detail"), f"error without detail: {response.text[:300]!r}"
    return body


def assert_from_gateway(response: requests.Response) -> None:
    """The response names the gateway, never the service behind it, and has a request id."""
    assert response.headers.get("Server") == SERVER_HEADER, \
        f"Server header {response.headers.get('Server')!r} (expected {SERVER_HEADER!r}) on {response.url}"
    assert response.headers.get("X-Request-ID"), f"no X-Request-ID on {response.url}"


def assert_rate_limit_headers(response: requests.Response, limit: int) -> tuple:
    """X-RateLimit-Limit == limit, Remaining and Reset non-negative integers; returns (remaining, reset)."""
    missing = [name for name in RATE_LIMIT_HEADERS if name not in response.headers]
    assert not missing, f"{response.status_code} {response.url} lacks {missing}: {dict(response.headers)}"
    assert response.headers["X-RateLimit-Limit"] == str(limit), dict(response.headers)
    remaining, reset = response.headers["X-RateLimit-Remaining"], response.headers["X-RateLimit-Reset"]
    assert remaining.isdigit() and reset.isdigit(), dict(response.headers)
    assert int(remaining) <= limit, dict(response.headers)
    return int(remaining), int(reset)


def log_entry(proc: Process, request_id: str, wanted: dict = None, timeout: float = 5):
    """The first JSON line of proc's log with request.id == request_id and the
    `wanted` dotted fields (e.g. {"http.path": "/x"}), waiting up to `timeout` s."""
    wanted = wanted or {}

    def find():
        for entry in json_log_lines(proc.log_path):
            if field(entry, "request.id") == request_id and all(
                    str(field(entry, name)) == str(value) for name, value in wanted.items()):
                return entry
        return None

    return wait_for(find, timeout=timeout)


@dataclass
class RawResponse:
    status: int
    headers: dict = dc_field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def json(self):
        import json
        return json.loads(self.body)


def raw_request(base_url: str, method: str, path: str, headers: dict = None) -> RawResponse:
    """Sends `path` exactly as given (no dot-segment removal, unlike requests)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return RawResponse(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def pipelined(base_url: str, requests_: list) -> list:
    """Sends every (path, headers) GET on one connection in one write (HTTP/1.1
    pipelining), so the server sees them as fast as it can take them; returns
    the RawResponses in order (bodies must have a Content-Length)."""
    parts = urlsplit(base_url)
    payload = b""
    for path, headers in requests_:
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        payload += ("\r\n".join(lines) + "\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        # Written from a thread: the server may answer before it has read everything.
        writer = threading.Thread(target=sock.sendall, args=(payload,), daemon=True)
        writer.start()
        reader = sock.makefile("rb")
        responses = [read_response(reader) for _ in requests_]
        writer.join(timeout=5)
        return responses


def read_response(reader) -> RawResponse:
    status_line = reader.readline().decode("latin-1")
    assert status_line.startswith("HTTP/1.1 "), f"not an HTTP response: {status_line!r}"
    headers = {}
    while True:
        line = reader.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    assert "content-length" in headers, f"pipelined response without Content-Length: {headers}"
    return RawResponse(int(status_line.split()[1]), headers, reader.read(int(headers["content-length"])))
