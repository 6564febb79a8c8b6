"""JWT helpers of the auth end-to-end tests: reading access tokens and
forging them (unsigned, tampered, HS256 with the public key, foreign keys,
and properly signed ones made with the real key of secrets.env)."""

import base64
import hashlib
import hmac
import json
import os
import secrets
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auth_client import ACCESS_TOKEN_SECONDS, read_secrets

ISSUER = "clipset"
AUDIENCE = "clipset"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def segment(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def decode(token: str) -> tuple:
    """(header, claims, signing input bytes, signature bytes) of a compact JWT."""
    parts = token.split(".")
    assert len(parts) == 3, f"not a compact JWT: {token!r}"
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    return header, claims, f"{parts[0]}.{parts[1]}".encode(), b64url_decode(parts[2])


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def jwks_public_key(jwk: dict) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def signing_key() -> tuple:
    """(kid, private key) of the first JWT_PRIVATE_KEYS entry: the caller's
    environment when it gave the keys (then secrets.env has none), else secrets.env."""
    keys = os.environ.get("JWT_PRIVATE_KEYS") or read_secrets().get("JWT_PRIVATE_KEYS", "")
    assert keys, "no JWT_PRIVATE_KEYS in the environment or in secrets.env"
    kid, sep, seed = keys.split(",")[0].strip().partition(":")
    assert sep and kid and seed, f"JWT_PRIVATE_KEYS entry is not <kid>:<seed>: {keys.split(',')[0]!r}"
    return kid, Ed25519PrivateKey.from_private_bytes(b64url_decode(seed))


def claims_for(user_id: str, username: str, role: str = "user", **overrides) -> dict:
    """Valid-looking access-token claims for a user, with `overrides` applied."""
    now = int(time.time())
    claims = {
        "sub": user_id, "user_id": user_id, "username": username, "role": role,
        "iat": now, "exp": now + ACCESS_TOKEN_SECONDS, "jti": secrets.token_hex(16),
        "iss": ISSUER, "aud": AUDIENCE,
    }
    claims.update(overrides)
    return claims


def sign_eddsa(claims: dict, key: Ed25519PrivateKey, kid: str) -> str:
    signing_input = f"{segment({'alg': 'EdDSA', 'typ': 'JWT', 'kid': kid})}.{segment(claims)}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode()))}"


def sign_hs256(claims: dict, secret: bytes, kid: str) -> str:
    signing_input = f"{segment({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{segment(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def unsigned(claims: dict) -> str:
    """An `alg: none` token: no signature at all."""
    return f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims)}."


def with_claims(token: str, **changes) -> str:
    """`token` with its payload changed and its original signature kept."""
    parts = token.split(".")
    claims = json.loads(b64url_decode(parts[1]))
    claims.update(changes)
    return f"{parts[0]}.{segment(claims)}.{parts[2]}"


def real_token(claims: dict) -> str:
    """A token properly signed with the real signing key of secrets.env."""
    kid, key = signing_key()
    return sign_eddsa(claims, key, kid)
