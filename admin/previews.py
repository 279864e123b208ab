"""What an answer will look like to residents (web chat, text message, WhatsApp), and the
checks staff see beside it, for a saved version or for text not saved yet."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy.orm import Session

from content import council, markdown, readability, render, sms, store
from content.models import AdviceVersion

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Preview:
    answer: store.Answer
    web_html: Markup  # sanitised, so safe to put in the page as it is
    sms_text: str
    sms_count: sms.SmsCount
    whatsapp_text: str


@dataclass(frozen=True)
class Checks:
    readability: readability.Report
    unknown_placeholders: list[str]
    typed_pounds: bool  # amounts must come from figure placeholders (content/README.md)
    typed_html: bool  # answers are Markdown only; any HTML is removed before residents see it
    sms_count: sms.SmsCount

    @property
    def sms_too_long(self) -> bool:
        return self.sms_count.segments > 2


def unsaved_version(topic: str, locale: str, title: str, body: str, sms_body: str, base: AdviceVersion | None,
                    reviewed=None) -> AdviceVersion:
    """A version that is not in the database, for previewing text before it is saved."""
    return AdviceVersion(topic_slug=topic, locale=locale, version=0, title=title or "", body=body or "",
                         sms_body=" ".join((sms_body or "").split()), reviewed=reviewed,
                         related=list(base.related) if base else [], sources=list(base.sources) if base else [])


def placeholder_values(session: Session, locale: str) -> dict[str, str]:
    return render.values(council.current(), store.figure_values(session), locale)


def preview(session: Session, version: AdviceVersion) -> Preview:
    answer = store.filled(session, version, council.current())
    return Preview(
        answer=answer,
        web_html=Markup(markdown.to_html(answer.body)),
        sms_text=answer.sms_body,
        sms_count=sms.count(answer.sms_body),
        whatsapp_text=markdown.to_whatsapp(answer.body),
    )


def checks(session: Session, version: AdviceVersion) -> Checks:
    known = placeholder_values(session, version.locale)
    typed = " ".join((version.title, version.body, version.sms_body))
    filled_sms = render.fill(version.sms_body, known).strip()
    return Checks(
        readability=readability.check(version.body),
        unknown_placeholders=sorted(render.placeholders_in(typed) - set(known)),
        typed_pounds="£" in render.PLACEHOLDER.sub("", typed),
        typed_html=bool(HTML_TAG.search(version.body or "")),
        sms_count=sms.count(filled_sms),
    )
