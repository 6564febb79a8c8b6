"""Forged access tokens are refused: GET /api/auth/me answers 401
"Could not validate credentials" (with WWW-Authenticate: Bearer) for each.

The control test signs a token with the real key from secrets.env and gets a
200, which proves the forging harness builds tokens the service would accept
but for the one thing each forgery gets wrong."""

import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth_client import assert_bearer_challenge, assert_detail, random_uuid, register
from auth_jwt import (
    b64url_decode, claims_for, decode, real_token, sign_eddsa, sign_hs256, signing_key, unsigned, with_claims,
)


def jwks_x(api) -> str:
    kid, _ = signing_key()
    keys = api.get("/.well-known/jwks.json").json()["keys"]
    return next(key["x"] for key in keys if key["kid"] == kid)


def alg_none(api, user):
    return unsigned(claims_for(user.id, user.username))


def payload_tampered(api, user):
    return with_claims(user.access_token, role="admin")


def hs256_with_raw_public_key(api, user):
    kid, _ = signing_key()
    return sign_hs256(claims_for(user.id, user.username), b64url_decode(jwks_x(api)), kid)


def hs256_with_public_key_text(api, user):
    kid, _ = signing_key()
    return sign_hs256(claims_for(user.id, user.username), jwks_x(api).encode(), kid)


def foreign_key_unknown_kid(api, user):
    return sign_eddsa(claims_for(user.id, user.username), Ed25519PrivateKey.generate(), "e2e-unknown-kid")


def foreign_key_real_kid(api, user):
    kid, _ = signing_key()
    return sign_eddsa(claims_for(user.id, user.username), Ed25519PrivateKey.generate(), kid)


def expired(api, user):
    now = int(time.time())
    return real_token(claims_for(user.id, user.username, iat=now - 1000, exp=now - 100))


def wrong_audience(api, user):
    return real_token(claims_for(user.id, user.username, aud="not-clipset"))


def wrong_issuer(api, user):
    return real_token(claims_for(user.id, user.username, iss="not-clipset"))


def unknown_user(api, user):
    stranger = random_uuid()
    return real_token(claims_for(stranger, "e2e_stranger", sub=stranger))


def truncated_signature(api, user):
    return user.access_token[:-4]


FORGERIES = [
    alg_none, payload_tampered, hs256_with_raw_public_key, hs256_with_public_key_text, foreign_key_unknown_kid,
    foreign_key_real_kid, expired, wrong_audience, wrong_issuer, unknown_user, truncated_signature,
]


def test_properly_signed_token_is_accepted(api, admin):
    user = register(api, admin)
    token = real_token(claims_for(user.id, user.username))
    response = api.get("/api/auth/me", token=token)
    assert response.status_code == 200, f"the forging harness is wrong: {response.status_code} {response.text}"
    assert response.json()["id"] == user.id


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda f: f.__name__)
def test_forged_token_is_refused(api, admin, forge):
    user = register(api, admin)
    token = forge(api, user)
    assert token != user.access_token
    response = api.get("/api/auth/me", token=token)
    assert_detail(response, 401, "Could not validate credentials")
    assert_bearer_challenge(response)


def test_tampered_admin_role_does_not_open_admin_routes(api, admin):
    user = register(api, admin)
    token = with_claims(user.access_token, role="admin")
    assert decode(token)[1]["role"] == "admin"
    assert_detail(api.get("/api/users/", token=token), 401, "Could not validate credentials")
