"""Access tokens, JWKS, refresh rotation and logout.

- GET /.well-known/jwks.json publishes the Ed25519 public key of the signing
  key (kid and seed in secrets.env JWT_PRIVATE_KEYS).
- Access tokens are EdDSA JWTs with kid; claims sub/user_id, username, role,
  exp, iat (exp - iat = 900), jti, iss and aud "clipset".
- POST /api/auth/refresh rotates; reusing a rotated token revokes its family;
  POST /api/auth/logout revokes; bad refresh tokens -> 401 "Invalid refresh token".
- No token -> 401 "Not authenticated", a bad one -> 401 "Could not validate
  credentials", both with WWW-Authenticate: Bearer.
"""

import secrets
import time

import pytest

from auth_client import (
    ACCESS_TOKEN_SECONDS, assert_bearer_challenge, assert_detail, assert_validation_error, login_tokens, register,
)
from auth_jwt import b64url, decode, jwks_public_key, public_bytes, signing_key

TOKEN_ROUTES = ["/api/auth/me", "/api/users/directory", "/api/users/", "/api/invitations/"]


def jwks(api) -> list:
    response = api.get("/.well-known/jwks.json")
    assert response.status_code == 200, response.text
    keys = response.json().get("keys")
    assert isinstance(keys, list) and keys, response.text
    return keys


def refresh(api, refresh_token: str):
    return api.post("/api/auth/refresh", json={"refresh_token": refresh_token})


def rotate(api, refresh_token: str) -> str:
    """The new refresh token of a successful refresh."""
    response = refresh(api, refresh_token)
    assert response.status_code == 200, f"refresh failed: {response.status_code} {response.text[:300]}"
    return response.json()["refresh_token"]


def test_jwks_publishes_the_signing_key(api):
    keys = jwks(api)
    for key in keys:
        assert {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig"}.items() <= key.items(), key
        assert isinstance(key.get("kid"), str) and key["kid"], key
    kid, private_key = signing_key()
    published = {key["kid"]: key["x"] for key in keys}
    assert published.get(kid) == b64url(public_bytes(private_key)), f"kid {kid} missing or wrong in {keys}"


def test_access_token_header_and_claims(api, admin):
    user = register(api, admin)
    header, claims, _, _ = decode(user.access_token)
    kid, _ = signing_key()
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": kid}, header
    assert claims["sub"] == user.id and claims["user_id"] == user.id, claims
    assert claims["username"] == user.username and claims["role"] == "user", claims
    assert claims["iss"] == "clipset", claims
    assert claims["aud"] in ("clipset", ["clipset"]), claims
    assert isinstance(claims.get("jti"), str) and claims["jti"], claims
    assert abs(claims["exp"] - claims["iat"] - ACCESS_TOKEN_SECONDS) <= 1, claims
    assert abs(claims["iat"] - time.time()) < 120, claims


def test_admin_token_claims_the_admin_role(admin):
    _, claims, _, _ = decode(admin.access_token)
    assert claims["role"] == "admin" and claims["username"] == "admin", claims


def test_each_login_gets_its_own_jti(api, admin):
    user = register(api, admin)
    again = login_tokens(api, user.username, user.password)
    assert decode(again["access_token"])[1]["jti"] != decode(user.access_token)[1]["jti"]


def test_access_token_signature_verifies_with_the_jwks_key(api, admin):
    user = register(api, admin)
    header, _, signing_input, signature = decode(user.access_token)
    key = next((k for k in jwks(api) if k["kid"] == header["kid"]), None)
    assert key is not None, f"kid {header['kid']} is not in the JWKS"
    jwks_public_key(key).verify(signature, signing_input)  # raises InvalidSignature when wrong


def test_refresh_rotates_the_refresh_token(api, admin):
    user = register(api, admin)
    response = refresh(api, user.refresh_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("token_type") == "bearer" and body.get("expires_in") == ACCESS_TOKEN_SECONDS, body
    assert body["refresh_token"] and body["refresh_token"] != user.refresh_token, body
    profile = api.get("/api/auth/me", token=body["access_token"])
    assert profile.status_code == 200 and profile.json()["id"] == user.id, profile.text


def test_reusing_a_rotated_refresh_token_revokes_its_family(api, admin):
    user = register(api, admin)
    first = user.refresh_token
    second = rotate(api, first)
    assert_detail(refresh(api, first), 401, "Invalid refresh token")
    assert_detail(refresh(api, second), 401, "Invalid refresh token")


def test_reuse_does_not_revoke_another_login(api, admin):
    user = register(api, admin)
    other = login_tokens(api, user.username, user.password)["refresh_token"]
    rotate(api, user.refresh_token)
    assert_detail(refresh(api, user.refresh_token), 401, "Invalid refresh token")
    response = refresh(api, other)
    assert response.status_code == 200, f"a separate login's refresh token was revoked too: {response.text}"


def test_unknown_refresh_token_is_refused(api):
    assert_detail(refresh(api, secrets.token_urlsafe(32)), 401, "Invalid refresh token")


def test_refresh_without_token_is_422(api):
    assert_validation_error(api.post("/api/auth/refresh", json={}), ["body", "refresh_token"])


def test_logout_revokes_the_refresh_token(api, admin):
    user = register(api, admin)
    response = api.post("/api/auth/logout", json={"refresh_token": user.refresh_token})
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Logged out successfully"}
    assert_detail(refresh(api, user.refresh_token), 401, "Invalid refresh token")


def test_logout_of_unknown_token_succeeds(api):
    response = api.post("/api/auth/logout", json={"refresh_token": secrets.token_urlsafe(32)})
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Logged out successfully"}


@pytest.mark.parametrize("path", TOKEN_ROUTES)
def test_missing_token_is_401_not_authenticated(api, path):
    response = api.get(path)
    assert_detail(response, 401, "Not authenticated")
    assert_bearer_challenge(response)


@pytest.mark.parametrize("path", TOKEN_ROUTES)
def test_invalid_token_is_401_could_not_validate(api, path):
    response = api.get(path, token="not.a.token")
    assert_detail(response, 401, "Could not validate credentials")
    assert_bearer_challenge(response)
