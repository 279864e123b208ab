"""The duty team's e-mail about a new referral.

It carries no personal data, by design: e-mail is not a secure channel, and a duty inbox is
read by many. It says there is a referral, how urgent it is and which risks were flagged, and
links to the queue, where staff sign in to read the rest.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from content import council

from .models import Referral

TIMEOUT = 30  # seconds; well inside the outbox's claim lease
URGENCY_WORDS = {"today": "today", "week": "this week", "later": "not urgent"}
RISK_WORDS = {"lives_alone": "lives alone", "falls": "falls", "carer_unable": "carer unable to continue"}
CHANNEL_WORDS = {"web": "web chat", "sms": "text message", "whatsapp": "WhatsApp"}


class MailError(Exception):
    """A failure whose message is safe to store and log (no personal data)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    starttls: bool
    sender: str

    @classmethod
    def from_environment(cls) -> "SmtpSettings":
        env = os.environ.get
        return cls(host=env("FRONTDOOR_SMTP_HOST") or "localhost",
                   port=int(env("FRONTDOOR_SMTP_PORT") or 25),
                   user=env("FRONTDOOR_SMTP_USER") or "",
                   password=env("FRONTDOOR_SMTP_PASSWORD") or "",
                   starttls=(env("FRONTDOOR_SMTP_STARTTLS") or "").strip().lower() in ("1", "true", "yes", "on"),
                   sender=env("FRONTDOOR_MAIL_FROM") or "frontdoor@localhost")


def summary(referral: Referral) -> dict:
    """What the e-mail may say about a referral: nothing that identifies anyone."""
    return {"reference": referral.reference, "urgency": referral.urgency, "risks": list(referral.risks or []),
            "channel": referral.channel, "safeguarding": referral.consent == "safeguarding"}


def admin_link(reference: str) -> str:
    base = (os.environ.get("FRONTDOOR_ADMIN_URL") or "http://localhost:8000/admin").rstrip("/")
    return f"{base}/referrals/{reference}"


def duty_team() -> str:
    address = council.current().emails.get("duty_team")
    if not address:
        raise MailError("council.yml has no emails.duty_team")
    return address


def compose(facts: dict, to: str, sender: str) -> EmailMessage:
    risks = "; ".join(RISK_WORDS.get(r, r) for r in facts["risks"]) or "none flagged"
    lines = [
        "A new referral has come in through Front Door.",
        "",
        f"Reference: {facts['reference']}",
        f"Urgency: {URGENCY_WORDS.get(facts['urgency'], facts['urgency'])}",
        f"Risks: {risks}",
        f"Came in by: {CHANNEL_WORDS.get(facts['channel'], facts['channel'])}",
    ]
    if facts.get("safeguarding"):
        lines.append("Safeguarding concern: yes (the person may not know about this referral)")
    lines += [
        "",
        "Read it in the referral queue (sign-in needed):",
        admin_link(facts["reference"]),
        "",
        "This e-mail holds no personal details on purpose: e-mail is not a secure channel.",
    ]
    message = EmailMessage()
    message["Subject"] = f"New referral {facts['reference']} (urgency: {facts['urgency']})"
    message["From"], message["To"] = sender, to
    # The sender's domain, not the host's: looking the host name up can hang for seconds.
    domain = sender.rpartition("@")[2].strip("> ") or "localhost"
    message["Message-ID"] = make_msgid(idstring=facts["reference"], domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies, please
    message.set_content("\n".join(lines) + "\n")
    return message


def send(facts: dict, settings: SmtpSettings | None = None) -> None:
    settings = settings or SmtpSettings.from_environment()
    message = compose(facts, duty_team(), settings.sender)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message)
    except smtplib.SMTPResponseException as exc:
        # The server's words may quote the message back; keep the code only.
        raise MailError(f"SMTP {exc.smtp_code}") from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError("SMTP recipient refused") from None
