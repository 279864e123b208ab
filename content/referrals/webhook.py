"""The optional webhook to the council's case management system: the full referral as JSON,
signed so the receiver knows it came from Front Door and is fresh.

    X-FrontDoor-Timestamp: <unix seconds>
    X-FrontDoor-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>
    X-FrontDoor-Delivery:  <outbox id>   (the same on every retry: receivers can drop repeats)

The receiver recomputes the HMAC over the timestamp, a dot and the raw body, compares it in
constant time, and rejects timestamps more than a few minutes old, so a captured request
cannot be replayed.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from urllib.parse import urlsplit

import requests

TIMEOUT = 10  # seconds
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class WebhookError(Exception):
    """A failure whose message is safe to store and log (no personal data)."""


def configured() -> bool:
    return bool(os.environ.get("FRONTDOOR_REFERRAL_WEBHOOK_URL"))


def event(referral: dict) -> dict:
    return {"event": "referral.created", "referral": referral}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _settings() -> tuple[str, str]:
    url = os.environ.get("FRONTDOOR_REFERRAL_WEBHOOK_URL", "")
    secret = os.environ.get("FRONTDOOR_REFERRAL_WEBHOOK_SECRET", "")
    if not url:
        raise WebhookError("FRONTDOOR_REFERRAL_WEBHOOK_URL is not set")
    if not secret:
        raise WebhookError("FRONTDOOR_REFERRAL_WEBHOOK_SECRET is not set")
    parts = urlsplit(url)
    # The body is personal data: only TLS may carry it off this machine.
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS):
        raise WebhookError("the webhook URL must use https")
    return url, secret


def post(payload: dict, delivery_id: int) -> None:
    url, secret = _settings()
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "FrontDoor-Referrals/1",
        "X-FrontDoor-Timestamp": timestamp,
        "X-FrontDoor-Signature": sign(secret, timestamp, body),
        "X-FrontDoor-Delivery": str(delivery_id),
    }
    # No redirects: a redirect could hand the personal data to another host.
    reply = requests.post(url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    if not 200 <= reply.status_code < 300:
        raise WebhookError(f"HTTP {reply.status_code}")
