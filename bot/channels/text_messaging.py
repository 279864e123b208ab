"""The bot's replies as text messages, for SMS and WhatsApp: what a basic phone can show.

- Buttons become numbered choices, and a reply of "2" (or the choice's words) picks one.
- Markdown is flattened: links are printed in full; bold becomes *bold* on WhatsApp and plain
  text on SMS, where stars would only be noise.
- Long replies are split where a reader would pause (paragraph, line, sentence, word), never in
  the middle of a word: on SMS by segments as networks count them (content.sms), on WhatsApp at
  Twilio's limit of 1,600 characters a message.
- The keywords of UK mobile rules (STOP, START, HELP...) are recognised here.

Pure Python (standard library and the repository's content.sms), so both environments can use it:
the Rasa server runs it, and the product's tests check it directly.
"""
from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from content import sms  # noqa: E402  (needs ROOT on the path)

SMS, WHATSAPP = "sms", "whatsapp"
# Each outgoing SMS stays within this many segments (459 GSM-7 characters, 201 in UCS-2): long
# enough for an answer and its choices, short enough that a reply is never an essay.
SMS_MAX_SEGMENTS = 3
WHATSAPP_MAX_CHARS = 1600  # Twilio's limit for one WhatsApp message body

# Twilio's standard keywords (and the UK mobile operators' rules): whole-message, any case.
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN = frozenset({"START", "YES", "UNSTOP"})
HELP = frozenset({"HELP", "INFO"})

LOCALES_DIR = ROOT / "locales"
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
LINK = re.compile(r"\[([^\]]+)\]\(((?:https?:|mailto:|tel:)[^)\s]+)\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CHOICE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def translator(locale: Optional[str]) -> Callable[[str], str]:
    """gettext for the channel's own words, in the person's language when a catalog has them."""
    return gettext.translation("messages", str(LOCALES_DIR), languages=[locale or "en"], fallback=True).gettext


# --- Markdown to text -------------------------------------------------------------------------

def _link_as_text(match: "re.Match[str]") -> str:
    label, url = match.group(1).strip(), match.group(2)
    address = url.split(":", 1)[1] if url.startswith(("mailto:", "tel:")) else url
    return address if label in (url, address) else f"{label} ({address})"


def flatten_markdown(text: str, channel: str) -> str:
    """The safe Markdown of the content as plain text: links in full, bold as WhatsApp shows it."""
    text = LINK.sub(_link_as_text, text)
    text = BOLD.sub(r"*\1*" if channel == WHATSAPP else r"\1", text)
    return text.strip()


# --- Buttons as numbered choices --------------------------------------------------------------

def numbered_choices(buttons: Sequence[Dict[str, str]], _: Callable[[str], str]) -> str:
    """'Reply with a number:' and one line per button, e.g. '1 Equipment'."""
    if not buttons:
        return ""
    lines = [_("Reply with a number:")]
    lines += [f"{number} {button['title']}" for number, button in enumerate(buttons, 1)]
    return "\n".join(lines)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def chosen_payload(body: str, choices: Sequence[Dict[str, str]]) -> Optional[str]:
    """The payload of the choice a reply picks ("2", "2.", or the choice's words), if any."""
    number = CHOICE_NUMBER.match(body)
    if number:
        index = int(number.group(1)) - 1
        return choices[index]["payload"] if 0 <= index < len(choices) else None
    words = _words(body)
    for choice in choices:
        if words and words == _words(choice["title"]):
            return choice["payload"]
    return None


# --- Splitting into messages ------------------------------------------------------------------

def sms_fits(text: str) -> bool:
    return sms.count(text).segments <= SMS_MAX_SEGMENTS


def whatsapp_fits(text: str) -> bool:
    return len(text) <= WHATSAPP_MAX_CHARS


# From the biggest pause to the smallest: paragraph, line, sentence, word.
_BREAKS = (
    (lambda text: text.split("\n\n"), "\n\n"),
    (lambda text: text.split("\n"), "\n"),
    (lambda text: SENTENCE_END.split(text), " "),
    (lambda text: text.split(" "), " "),
)


def split_message(text: str, fits: Callable[[str], bool], level: int = 0) -> List[str]:
    """Splits text into messages that each fit, at the biggest pause that makes them fit.

    Pieces are packed greedily: as many whole paragraphs as fit go in one message; a paragraph
    too long on its own is split into lines, then sentences, then words.
    """
    text = text.strip()
    if fits(text) or not text:
        return [text] if text else []
    if level == len(_BREAKS):
        return _split_characters(text, fits)  # one "word" longer than a message: a long URL
    split, joiner = _BREAKS[level]
    messages: List[str] = []
    current = ""
    for part in (p.strip() for p in split(text)):
        if not part:
            continue
        pieces = [part] if fits(part) else split_message(part, fits, level + 1)
        for index, piece in enumerate(pieces):
            joined = f"{current}{joiner}{piece}" if current else piece
            # Only a part's first piece may join the message before it: the rest of a part
            # that had to be split already starts new messages.
            if index == 0 and fits(joined):
                current = joined
            else:
                if current:
                    messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _split_characters(text: str, fits: Callable[[str], bool]) -> List[str]:
    messages, current = [], ""
    for character in text:
        if current and not fits(current + character):
            messages.append(current)
            current = ""
        current += character
    return messages + ([current] if current else [])


# --- A whole turn -----------------------------------------------------------------------------

def render(texts: Sequence[str], buttons: Sequence[Dict[str, str]], channel: str,
           _: Callable[[str], str]) -> List[str]:
    """The bot's texts and buttons for one turn as the text messages to send, in order."""
    paragraphs = [flatten_markdown(text, channel) for text in texts if text and text.strip()]
    choices = numbered_choices(buttons, _)
    if choices:
        paragraphs.append(choices)
    fits = sms_fits if channel == SMS else whatsapp_fits
    return split_message("\n\n".join(paragraphs), fits)


def keyword(body: str) -> Optional[str]:
    """'opt_out', 'opt_in' or 'help' when the whole message is one of the standard keywords."""
    word = body.strip().strip(".!").upper()
    if word in OPT_OUT:
        return "opt_out"
    if word in OPT_IN:
        return "opt_in"
    if word in HELP:
        return "help"
    return None
