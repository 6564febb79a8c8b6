"""HTTP helpers of the auth end-to-end tests: a session with its own client
address, the admin's login, users made through invitations, and the shapes
and assertions the tests share.

Every session carries a random `X-Forwarded-For: 10.a.b.c` (auth trusts it
from loopback and throttles per address), so tests never share a throttle
counter unless they mean to."""

import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import requests

from support import TIMEOUT, required_env

# PUBLIC_URL of the test environment: links are built on it.
PUBLIC_URL = "http://localhost:28080"
ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.com"
ACCESS_TOKEN_SECONDS = 900

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
URLSAFE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")

USER_RESPONSE_KEYS = {
    "email", "username", "id", "role", "created_at", "is_active", "video_count", "playlist_count", "avatar_url",
}
USER_WITH_QUOTA_KEYS = USER_RESPONSE_KEYS | {"weekly_upload_bytes", "last_upload_reset"}
USER_PROFILE_KEYS = {"id", "username", "created_at", "video_count", "playlist_count", "avatar_url"}
DIRECTORY_KEYS = {"id", "username", "video_count", "playlist_count", "avatar_url"}
INVITATION_KEYS = {"id", "email", "token", "created_by", "created_at", "expires_at", "used", "used_at"}


def random_ip() -> str:
    """A fresh private client address, 10.a.b.c."""
    return "10.{}.{}.{}".format(secrets.randbelow(256), secrets.randbelow(256), 1 + secrets.randbelow(254))


def unique_name(prefix: str = "u") -> str:
    """A username nobody else uses: `<prefix>_<12 hex>`."""
    return f"{prefix}_{secrets.token_hex(6)}"


def random_uuid() -> str:
    return str(uuid.uuid4())


class Api(requests.Session):
    """A session on one process: paths are relative to its URL, every request
    carries this session's X-Forwarded-For, `token=` adds a bearer token, and
    redirects are not followed (a 307 must show)."""

    def __init__(self, base_url: str, ip: str = None):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.ip = ip or random_ip()
        self.headers["X-Forwarded-For"] = self.ip

    def request(self, method, url, *args, token=None, **kwargs):
        if token is not None:
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "Authorization": f"Bearer {token}"}
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs["allow_redirects"] = False  # Session.get would default it to True
        return super().request(method, self.base_url + url, *args, **kwargs)

    def elsewhere(self, ip: str = None) -> "Api":
        """A new session on the same process from another (or the given) address."""
        return Api(self.base_url, ip)


def read_secrets() -> dict:
    """The NAME=value lines of $CLIPSET_E2E_STATE_DIR/secrets.env (parsed, never sourced)."""
    path = Path(required_env("CLIPSET_E2E_STATE_DIR")) / "secrets.env"
    values = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def admin_password() -> str:
    """The initial admin's password: the caller's INITIAL_ADMIN_PASSWORD when it
    gave one (then secrets.env has none), else the generated one in secrets.env."""
    password = os.environ.get("INITIAL_ADMIN_PASSWORD") or read_secrets().get("INITIAL_ADMIN_PASSWORD")
    assert password, "no INITIAL_ADMIN_PASSWORD in the environment or in secrets.env"
    return password


# --- assertions -----------------------------------------------------------


def assert_json(response: requests.Response) -> object:
    assert "json" in response.headers.get("Content-Type", ""), \
        f"{response.status_code} is not JSON: {response.headers.get('Content-Type')!r} {response.text[:300]!r}"
    return response.json()


def assert_detail(response: requests.Response, status: int, detail: str) -> None:
    """The response is `status` with body {"detail": detail}."""
    assert response.status_code == status, \
        f"expected {status} {detail!r}, got {response.status_code}: {response.text[:500]}"
    body = assert_json(response)
    assert body.get("detail") == detail, f"expected detail {detail!r}, got {body!r}"


def assert_bearer_challenge(response: requests.Response) -> None:
    assert response.headers.get("WWW-Authenticate") == "Bearer", \
        f"401 without WWW-Authenticate: Bearer: {dict(response.headers)}"


def assert_validation_error(response: requests.Response, loc) -> list:
    """A 422 in the pydantic shape, one of whose errors is at `loc`."""
    assert response.status_code == 422, f"expected 422 at {loc}, got {response.status_code}: {response.text[:500]}"
    errors = assert_json(response).get("detail")
    assert isinstance(errors, list) and errors, f"422 detail is not a list of errors: {response.text[:500]}"
    for error in errors:
        assert {"type", "loc", "msg"} <= error.keys(), f"error without type/loc/msg: {error}"
    locs = [error["loc"] for error in errors]
    assert list(loc) in locs, f"no error at {list(loc)}; errors at {locs}"
    return errors


def assert_datetime(value, name: str = "datetime") -> datetime:
    """`value` is a datetime like 2026-11-23T05:46:04.622191Z; returns it parsed."""
    assert isinstance(value, str) and DATETIME.match(value), f"{name} {value!r} is not like 2026-11-23T05:46:04.622191Z"
    return parse_datetime(value)


def parse_datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def seconds_from_now(value: str) -> float:
    return (parse_datetime(value) - datetime.now(timezone.utc)).total_seconds()


def assert_user_with_quota(body: dict) -> None:
    missing = USER_WITH_QUOTA_KEYS - body.keys()
    assert not missing, f"UserWithQuota lacks {sorted(missing)}: {body}"
    assert UUID.match(body["id"]), body
    assert body["role"] in ("admin", "user"), body
    assert isinstance(body["is_active"], bool), body
    assert_datetime(body["created_at"], "created_at")
    assert_datetime(body["last_upload_reset"], "last_upload_reset")


# --- users ----------------------------------------------------------------


@dataclass
class User:
    """A registered user with the tokens of its first login."""

    id: str
    username: str
    email: str
    password: str
    access_token: str = ""
    refresh_token: str = ""


def login(api: Api, username: str, password: str) -> requests.Response:
    return api.post("/api/auth/login", json={"username": username, "password": password})


def login_tokens(api: Api, username: str, password: str) -> dict:
    response = login(api, username, password)
    assert response.status_code == 200, f"login of {username} failed: {response.status_code} {response.text[:300]}"
    return response.json()


def admin_user(base_url: str) -> User:
    """The initial admin, logged in (from an address of its own)."""
    with Api(base_url) as api:
        tokens = login_tokens(api, ADMIN_USERNAME, admin_password())
        me = api.get("/api/auth/me", token=tokens["access_token"])
        assert me.status_code == 200, me.text
        return User(me.json()["id"], ADMIN_USERNAME, ADMIN_EMAIL, admin_password(), tokens["access_token"],
                    tokens["refresh_token"])


def invite(api: Api, admin: User, email: str) -> dict:
    """A new invitation (InvitationWithLink) for `email`."""
    response = api.post("/api/invitations/", json={"email": email}, token=admin.access_token)
    assert response.status_code == 201, f"invitation failed: {response.status_code} {response.text[:300]}"
    return response.json()


def register_body(invitation: dict, username: str, email: str = None, password: str = "password-123") -> dict:
    return {"email": email or invitation["email"], "username": username, "password": password,
            "invitation_token": invitation["token"]}


def register(api: Api, admin: User, username: str = None, email: str = None, password: str = None) -> User:
    """A new user, invited by the admin, registered and logged in."""
    username = username or unique_name()
    email = email or f"{username.lower()}@example.com"
    password = password or "pw-" + secrets.token_hex(8)
    invitation = invite(api, admin, email)
    response = api.post("/api/auth/register", json=register_body(invitation, username, email, password))
    assert response.status_code == 201, f"register failed: {response.status_code} {response.text[:300]}"
    tokens = login_tokens(api, username, password)
    return User(response.json()["id"], username.lower(), email.lower(), password,
                tokens["access_token"], tokens["refresh_token"])


def me(api: Api, user: User) -> dict:
    response = api.get("/api/auth/me", token=user.access_token)
    assert response.status_code == 200, f"/me of {user.username}: {response.status_code} {response.text[:300]}"
    return response.json()


def deactivate(api: Api, admin: User, user: User) -> None:
    response = api.delete(f"/api/users/{user.id}", token=admin.access_token)
    assert response.status_code == 200, f"deactivate failed: {response.status_code} {response.text[:300]}"
