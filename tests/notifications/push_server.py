"""A Web Push service on the loopback for the tests: it records every push it receives and
checks it as a real push service would, and decrypts it as the browser would.

- VAPID (RFC 8292): `Authorization: vapid t=<JWT>,k=<public key>`; the JWT's ES256 signature
  is checked against `k` with cryptography, its `aud` must be this server's origin, its `exp`
  in the future and at most 24 h away, its `sub` a mailto: or https: contact.
- Encryption (RFC 8291/8188): `Content-Encoding: aes128gcm`, and the body is decrypted with
  the subscription's private key and auth secret (held here, as the browser holds them) by
  http_ece; the result must be JSON.

`status` sets what it answers (201 Created, or 410 Gone for an expired subscription).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class BrowserKeys:
    """The keys a browser makes when it subscribes: an ECDH P-256 pair and an auth secret."""

    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def as_subscription_keys(self) -> dict:
        public = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url_encode(public), "auth": b64url_encode(self.auth)}


@dataclass
class ReceivedPush:
    path: str
    headers: dict
    body: bytes
    vapid_claims: dict | None = None
    vapid_public_key: str | None = None
    problems: list[str] = field(default_factory=list)
    payload: dict | None = None


def vapid_check(authorization: str, origin: str) -> tuple[dict | None, str | None, list[str]]:
    """(claims, public key, problems) of a VAPID Authorization header."""
    problems: list[str] = []
    scheme, _space, rest = authorization.partition(" ")
    if scheme.lower() != "vapid":
        return None, None, [f"scheme {scheme!r} is not vapid"]
    parts = dict(item.strip().split("=", 1) for item in rest.split(",") if "=" in item)
    token, key = parts.get("t", ""), parts.get("k", "")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        signature = b64url_decode(signature_b64)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except (ValueError, InvalidSignature) as error:
        return None, key, [f"bad VAPID signature: {error!r}"]
    header = json.loads(b64url_decode(header_b64))
    claims = json.loads(b64url_decode(claims_b64))
    if header.get("alg") != "ES256":
        problems.append(f"alg {header.get('alg')!r}")
    if claims.get("aud") != origin:
        problems.append(f"aud {claims.get('aud')!r} is not {origin!r}")
    if not (time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600 + 60):
        problems.append(f"exp {claims.get('exp')!r} out of range")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
        problems.append(f"sub {claims.get('sub')!r}")
    return claims, key, problems


class PushServer:
    """`with PushServer() as server:` — `server.endpoint(name)` for a subscription's URL,
    `server.received` the pushes, `server.status` the answer."""

    def __init__(self) -> None:
        self.received: list[ReceivedPush] = []
        self.status = 201
        self.browsers: dict[str, BrowserKeys] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                # Header names are case-insensitive: kept lower-cased.
                headers = {name.lower(): value for name, value in self.headers.items()}
                outer._record(self.path, headers, body)
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def subscription(self, name: str) -> dict:
        """A new browser's subscription (endpoint and keys), as PushSubscription.toJSON()."""
        self.browsers[name] = BrowserKeys()
        return {
            "endpoint": f"{self.origin}/push/{name}",
            "keys": self.browsers[name].as_subscription_keys(),
        }

    def _record(self, path: str, headers: dict, body: bytes) -> None:
        push = ReceivedPush(path=path, headers=headers, body=body)
        claims, key, problems = vapid_check(headers.get("authorization", ""), self.origin)
        push.vapid_claims, push.vapid_public_key, push.problems = claims, key, problems
        if headers.get("content-encoding") != "aes128gcm":
            push.problems.append(f"Content-Encoding {headers.get('content-encoding')!r}")
        if not headers.get("ttl"):
            push.problems.append("no TTL header")
        browser = self.browsers.get(path.rsplit("/", 1)[-1])
        if browser is not None and not push.problems:
            try:
                plain = http_ece.decrypt(
                    body, private_key=browser.private, auth_secret=browser.auth, version="aes128gcm"
                )
                push.payload = json.loads(plain)
            except Exception as error:  # noqa: BLE001 — reported by the test
                push.problems.append(f"cannot decrypt: {error!r}")
        self.received.append(push)

    def __enter__(self) -> PushServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
