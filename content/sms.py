"""How many SMS segments a text takes, as networks count them.

A text that fits the GSM 03.38 alphabet goes as GSM-7: 160 characters in one message, 153 per
segment when split (characters from the extension table, such as € and [, count twice). Any
other character (Welsh ŵ, Urdu, emoji, curly quotes) sends the whole text as UCS-2: 70 in one
message, 67 per segment, counted in UTF-16 code units.
"""
from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # characters as the network counts them
    segments: int
    per_segment: int

    @property
    def remaining(self) -> int:
        """Characters left before another segment is needed."""
        return self.segments * self.per_segment - self.units if self.segments else self.per_segment


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def count(text: str) -> SmsCount:
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsCount(encoding, units, 1 if units else 0, single)
    return SmsCount(encoding, units, -(-units // multi), multi)
