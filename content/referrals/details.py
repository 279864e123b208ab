"""What a referral says (ReferralDetails), what submitting one returns (Submission), and the
reference a resident quotes when they phone."""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import asdict, dataclass, field

from .models import CHANNELS, CONSENTS, CONTACT_KINDS, FOR_WHOM, RISKS, URGENCIES

# No 0/O, 1/I/L: a reference is read aloud over the phone and typed from a text message.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PATTERN = re.compile(rf"^FD-[{REFERENCE_ALPHABET}]{{6}}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass
class ReferralDetails:
    """Everything the conversation collected. The form validates what the person typed (phone
    numbers with phonenumbers, postcodes against the area); submit() checks the shape again."""

    name: str
    contact: str                      # a phone number in E.164 (+447700900123) or an e-mail address
    contact_kind: str                 # phone | email
    postcode: str
    needs: str                        # in the person's own words
    urgency: str                      # today | week | later
    for_whom: str                     # self | other
    consent: str                      # self | agreed | safeguarding | cannot_decide
    date_of_birth: dt.date | None = None
    relationship: str | None = None   # to the person, when for_whom is "other"
    risks: list[str] = field(default_factory=list)  # lives_alone, falls, carer_unable
    locale: str = "en"
    channel: str = "web"              # web | sms | whatsapp

    def to_json(self) -> dict:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ReferralDetails":
        data = dict(data)
        if data.get("date_of_birth"):
            data["date_of_birth"] = dt.date.fromisoformat(data["date_of_birth"])
        return cls(**data)


@dataclass(frozen=True)
class Submission:
    reference: str
    stored: bool  # False: the database was down, the referral is spooled and will follow


def new_reference() -> str:
    return "FD-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def normalise_reference(text: str) -> str:
    return text.strip().upper()


def check(details: ReferralDetails) -> None:
    """Raises ValueError naming the first field that is wrong. Messages name fields, never
    values: they end up in logs."""
    choices = {"urgency": URGENCIES, "for_whom": FOR_WHOM, "consent": CONSENTS,
               "channel": CHANNELS, "contact_kind": CONTACT_KINDS}
    for name, allowed in choices.items():
        if getattr(details, name) not in allowed:
            raise ValueError(f"referral {name} must be one of {', '.join(allowed)}")
    unknown = [risk for risk in details.risks if risk not in RISKS]
    if unknown:
        raise ValueError(f"referral risks must be among {', '.join(RISKS)}")
    for name in ("name", "contact", "postcode", "needs"):
        if not str(getattr(details, name) or "").strip():
            raise ValueError(f"referral {name} is empty")
    if details.contact_kind == "phone" and not E164.match(details.contact):
        raise ValueError("referral contact must be a phone number in E.164 form (+447700900123)")
    if details.contact_kind == "email" and "@" not in details.contact:
        raise ValueError("referral contact must be an e-mail address")
    if details.date_of_birth is not None and not isinstance(details.date_of_birth, dt.date):
        raise ValueError("referral date_of_birth must be a date")
