"""Generates the server's VAPID key pair for Web Push (docs/NOTIFICATIONS.md, "Web Push").

Prints the environment lines to set: VAPID_PRIVATE_KEY (secret: keep it with SECRET_KEY) and,
for reference, the public key browsers will subscribe with (the server derives it from the
private key; GET /api/push/public-key/ gives it). Changing the key makes every browser's
subscription useless: they subscribe again on their next visit to the notifications page.
"""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Command(BaseCommand):
    help = "Prints a new VAPID key pair for Web Push, as environment variables."

    def handle(self, *args, **options) -> None:
        private = ec.generate_private_key(ec.SECP256R1())
        raw_private = private.private_numbers().private_value.to_bytes(32, "big")
        raw_public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(f"VAPID_PRIVATE_KEY={_b64url(raw_private)}")
        self.stdout.write(f"# public key (derived by the server): {_b64url(raw_public)}")
