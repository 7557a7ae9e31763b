#!/usr/bin/env python3
"""Generates tests/jwt/vectors.json: keys, two JWKS documents and JWT test tokens for
tests/app/api_auth/, made with PyJWT and cryptography (an implementation independent of the
service's Rust `jsonwebtoken`).

    pip install pyjwt cryptography
    python3 tests/jwt/make_vectors.py          # rewrites tests/jwt/vectors.json

Keys and the HS256 secret are generated afresh on each run (so tokens change); claims and
timestamps are fixed, so a diff of two runs shows only keys and signatures. The file is
committed: the Rust tests do not need Python.
"""

import base64
import hashlib
import hmac
import json
import secrets
import sys
from pathlib import Path

import cryptography
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

OUT = Path(__file__).resolve().parent / "vectors.json"

ISSUER = "crossborder"
AUDIENCE = "crossborder-api"
SUBJECT = "vector-client"
SCOPE = "registry:read intake:write"
ENDPOINT = "/api/v1/organisations"

IAT = 1735689600  # 2025-01-01T00:00:00Z
FAR_EXP = 4102444800  # 2100-01-01T00:00:00Z
PAST_EXP = 946684800  # 2000-01-01T00:00:00Z, far beyond the 30 s leeway
FAR_NBF = 4070908800  # 2099-01-01T00:00:00Z


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def compact_json(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def claims(**overrides):
    """The standard claims, with overrides; an override of None removes the claim."""
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": SUBJECT,
        "iat": IAT,
        "exp": FAR_EXP,
        "scope": SCOPE,
    }
    for key, value in overrides.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def pem_private(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def pem_public(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo,
    )


def jwk(key, kid: str, alg: str) -> dict:
    public = key.public_key()
    if isinstance(key, rsa.RSAPrivateKey):
        doc = RSAAlgorithm.to_jwk(public, as_dict=True)
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        doc = ECAlgorithm.to_jwk(public, as_dict=True)
    else:
        doc = OKPAlgorithm.to_jwk(public, as_dict=True)
    doc.pop("key_ops", None)  # RFC 7517 §4.3: "use" alone, not both
    doc.update({"kid": kid, "alg": alg, "use": "sig"})
    return doc


def hand_signed_hs256(header: dict, payload: dict, secret: bytes) -> str:
    """HS256 by hand (PyJWT refuses to use a PEM public key as an HMAC secret)."""
    signing_input = b64url(compact_json(header)) + "." + b64url(compact_json(payload))
    mac = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + b64url(mac)


def header_of(token: str) -> dict:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def unsigned(header: dict, payload: dict) -> str:
    return b64url(compact_json(header)) + "." + b64url(compact_json(payload)) + "."


def main() -> int:
    hs256_secret = secrets.token_urlsafe(48)  # 64 printable characters
    assert len(hs256_secret) >= 32
    other_secret = secrets.token_urlsafe(48)

    rsa1 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_unrelated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec1 = ec.generate_private_key(ec.SECP256R1())
    ed1 = ed25519.Ed25519PrivateKey.generate()

    keys = {
        "rsa-1": (rsa1, "RS256"),
        "ec-1": (ec1, "ES256"),
        "ed-1": (ed1, "EdDSA"),
        "rsa-2": (rsa2, "RS256"),
        "rsa-unrelated": (rsa_unrelated, "RS256"),
    }
    jwks = {"keys": [jwk(rsa1, "rsa-1", "RS256"), jwk(ec1, "ec-1", "ES256"), jwk(ed1, "ed-1", "EdDSA")]}
    jwks_rotated = {
        "keys": [jwk(ec1, "ec-1", "ES256"), jwk(ed1, "ed-1", "EdDSA"), jwk(rsa2, "rsa-2", "RS256")]
    }

    def hs(payload, secret=hs256_secret, headers=None):
        return jwt.encode(payload, secret, algorithm="HS256", headers=headers)

    def signed(kid, payload, key=None, algorithm=None):
        private, alg = keys[kid]
        return jwt.encode(
            payload,
            key if key is not None else private,
            algorithm=algorithm or alg,
            headers={"kid": kid},
        )

    valid_hs256 = hs(claims())
    rsa1_public_pem = pem_public(rsa1)

    # A valid signature over one payload, put under another (scope raised to registry:write).
    escalated = b64url(compact_json(claims(scope="registry:read registry:write intake:write")))
    h, _, sig = valid_hs256.split(".")
    tampered_hs256 = f"{h}.{escalated}.{sig}"
    valid_rs256 = signed("rsa-1", claims())
    h, _, sig = valid_rs256.split(".")
    tampered_rs256 = f"{h}.{escalated}.{sig}"

    # (name, token, expected status with `jwks`, with `jwks_rotated`, why)
    cases = [
        ("valid_hs256", valid_hs256, 200, 200,
         "HS256 without kid, signed with the configured secret"),
        ("valid_rs256", valid_rs256, 200, 401,
         "RS256 with kid rsa-1 from the JWKS (rsa-1 is gone from the rotated set)"),
        ("valid_es256", signed("ec-1", claims()), 200, 200,
         "ES256 (P-256) with kid ec-1 from the JWKS"),
        ("valid_eddsa", signed("ed-1", claims()), 200, 200,
         "EdDSA (Ed25519) with kid ed-1 from the JWKS"),
        ("valid_rs256_rotated", signed("rsa-2", claims()), 401, 200,
         "RS256 with kid rsa-2, only in the rotated JWKS: unknown until the app refetches"),
        ("expired", hs(claims(exp=PAST_EXP)), 401, 401,
         "exp is 2000-01-01, far beyond the 30 s leeway"),
        ("expired_eddsa", signed("ed-1", claims(exp=PAST_EXP)), 401, 401,
         "expired, on a JWKS key: claim checks apply whatever the algorithm"),
        ("not_yet_valid", hs(claims(nbf=FAR_NBF)), 401, 401,
         "nbf is 2099-01-01"),
        ("wrong_audience", hs(claims(aud="someone-else-api")), 401, 401,
         "aud is not crossborder-api"),
        ("wrong_audience_es256", signed("ec-1", claims(aud="someone-else-api")), 401, 401,
         "aud is not crossborder-api, on a JWKS key"),
        ("wrong_issuer", hs(claims(iss="https://idp.invalid")), 401, 401,
         "iss is not crossborder"),
        ("wrong_issuer_rs256", signed("rsa-1", claims(iss="https://idp.invalid")), 401, 401,
         "iss is not crossborder, on a JWKS key"),
        ("wrong_key_hs256", hs(claims(), secret=other_secret), 401, 401,
         "HS256 signed with another secret"),
        ("wrong_key_rs256", signed("rsa-1", claims(), key=rsa_unrelated), 401, 401,
         "kid rsa-1 but signed by an unrelated RSA key"),
        ("alg_none", unsigned({"alg": "none"}, claims()), 401, 401,
         "header {\"alg\":\"none\"}, no signature"),
        ("alg_none_with_kid", unsigned({"alg": "none", "kid": "rsa-1"}, claims()), 401, 401,
         "alg none with a known kid, no signature"),
        ("alg_mismatch_ps256", signed("rsa-1", claims(), algorithm="PS256"), 401, 401,
         "a correct PS256 signature by rsa-1, whose JWK says RS256: the key fixes the algorithm"),
        ("hs256_with_rsa_public_key",
         hand_signed_hs256({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}, claims(), rsa1_public_pem),
         401, 401,
         "key confusion: alg HS256 with kid rsa-1, HMAC keyed with rsa-1's public key PEM"),
        ("hs256_with_rsa_public_key_no_kid",
         hand_signed_hs256({"alg": "HS256", "typ": "JWT"}, claims(), rsa1_public_pem),
         401, 401,
         "key confusion without kid: HMAC keyed with rsa-1's public key PEM, not the secret"),
        ("unknown_kid",
         jwt.encode(claims(), rsa_unrelated, algorithm="RS256", headers={"kid": "no-such-key"}),
         401, 401,
         "kid no-such-key is in neither JWKS"),
        ("missing_exp", hs(claims(exp=None)), 401, 401,
         "no exp claim (exp is required)"),
        ("missing_sub", hs(claims(sub=None)), 401, 401,
         "no sub claim (sub is required)"),
        ("read_only", hs(claims(scope="registry:read")), 200, 200,
         "scope registry:read only: may read, may not write intake (403 on POST /api/v1/intake)"),
        ("no_scope", hs(claims(scope=None)), 403, 403,
         "no scope claim: authenticated but may do nothing"),
        ("tampered_payload", tampered_hs256, 401, 401,
         "valid_hs256's signature under a payload with registry:write added"),
        ("tampered_payload_rs256", tampered_rs256, 401, 401,
         "valid_rs256's signature under a payload with registry:write added"),
    ]

    # Verify with PyJWT every token that should pass authentication under some key set, so the
    # file never ships a broken "valid" case; and check every case is decided one way or another.
    publics = {kid: k.public_key() for kid, (k, _) in keys.items()}
    algs = {kid: alg for kid, (_, alg) in keys.items()}
    assert len({c[0] for c in cases}) == len(cases), "duplicate case names"
    for name, token, status, status_rotated, _ in cases:
        assert status in (200, 401, 403) and status_rotated in (200, 401, 403), name
        if status == status_rotated == 401:
            continue  # meant to fail
        kid = jwt.get_unverified_header(token).get("kid")
        key = hs256_secret if kid is None else publics[kid]
        alg = "HS256" if kid is None else algs[kid]
        jwt.decode(token, key, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER)

    out = {
        "generated_by": "tests/jwt/make_vectors.py",
        "generator": {"pyjwt": jwt.__version__, "cryptography": cryptography.__version__},
        "endpoint": ENDPOINT,
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "subject": SUBJECT,
        "hs256_secret": hs256_secret,
        "keys": {
            kid: {
                "alg": alg,
                "in_jwks": kid in ("rsa-1", "ec-1", "ed-1"),
                "in_jwks_rotated": kid in ("rsa-2", "ec-1", "ed-1"),
                "private_pem": pem_private(key),
                "public_pem": pem_public(key).decode("ascii"),
            }
            for kid, (key, alg) in keys.items()
        },
        "jwks": jwks,
        "jwks_rotated": jwks_rotated,
        "cases": [
            {
                "name": name,
                "why": why,
                "header": header_of(token),
                "expected_status": status,
                "expected_status_rotated": status_rotated,
                "token": token,
            }
            for name, token, status, status_rotated, why in cases
        ],
    }
    OUT.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(cases)} cases)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
