"""Translations as XLIFF 1.2 files, for translators and their tools.

One file per language: a ``<file>`` element per topic, whose ``original`` is the topic's slug and
whose ``fd:english-version`` says which published English version its source text is. Each has
three units, ``title``, ``body`` (Markdown) and ``sms_body``: the English as ``<source>`` and
the current translation, if there is one, as ``<target>``. A translator fills in or changes the
targets; uploading the file back makes each changed topic a new draft that needs review, made
from that English version.

Uploaded files are parsed with expat directly: a document type declaration (and so any entity,
internal or external) is refused before anything is expanded, and nothing is ever fetched.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

from babel import Locale
from flask_babel import get_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from content import store
from content.i18n import DEFAULT_LOCALE, babel_locale
from content.models import NEEDS_REVIEW, REVIEWED, TOPIC_SLUGS, TRANSLATION_DRAFT, AdviceVersion

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
FRONT_DOOR = "urn:frontdoor:translation"  # our own attribute: the English version translated
XML = "http://www.w3.org/XML/1998/namespace"
UNITS = ("title", "body", "sms_body")
TITLE_LENGTH = 200  # as the content store holds it
MEDIA_TYPE = "application/x-xliff+xml"

# XLIFF 1.2's target states for ours.
TARGET_STATES = {TRANSLATION_DRAFT: "translated", NEEDS_REVIEW: "needs-review-translation", REVIEWED: "final"}

ET.register_namespace("", XLIFF)
ET.register_namespace("fd", FRONT_DOOR)


def _x(name: str) -> str:
    return f"{{{XLIFF}}}{name}"


ENGLISH_VERSION = f"{{{FRONT_DOOR}}}english-version"


class XliffError(ValueError):
    """A file that cannot be imported. Each message says what is wrong and what to do, for staff."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Translated:
    """One topic's translation from an uploaded file."""

    topic: str
    english_version: int
    title: str
    body: str
    sms_body: str


# --- writing ---------------------------------------------------------------------------------

def export(session: Session, locale: str) -> tuple[bytes, int]:
    """The XLIFF file for translating every published English answer into this language, and
    how many topics it holds."""
    statuses = store.translation_overview(session)
    root = ET.Element(_x("xliff"), {"version": "1.2"})
    count = 0
    for topic in TOPIC_SLUGS:
        status = statuses[(topic, locale)]
        english, current = status.english, status.current
        if english is None:
            continue
        count += 1
        file = ET.SubElement(root, _x("file"), {
            "original": topic, "source-language": DEFAULT_LOCALE, "target-language": locale,
            "datatype": "plaintext", "product-name": "Front Door", ENGLISH_VERSION: str(english.version),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
        header = ET.SubElement(file, _x("header"))
        ET.SubElement(header, _x("note")).text = (
            f"English version {english.version} of '{topic}'. Translate the title, the answer and the text "
            "message version. The answer is Markdown: keep '- ' at the start of list items, ** around bold "
            "words and [words](https://...) links. Keep every {{placeholder}} exactly as it is: the council's "
            "phone numbers and amounts are filled in when the answer is sent.")
        if current is not None:
            made_from = (f"made from English version {current.translated_from}" if current.translated_from
                         else "made from an English version that was not recorded")
            ET.SubElement(header, _x("note")).text = (
                f"The targets are the current translation (version {current.version}, {made_from}).")
        body = ET.SubElement(file, _x("body"))
        for unit in UNITS:
            source_text = getattr(english, unit) or ""
            target_text = getattr(current, unit) if current is not None else ""
            if not source_text.strip() and not (target_text or "").strip():
                continue
            element = ET.SubElement(body, _x("trans-unit"),
                                    {"id": unit, "resname": unit, f"{{{XML}}}space": "preserve"})
            ET.SubElement(element, _x("source"), {f"{{{XML}}}lang": DEFAULT_LOCALE}).text = source_text.strip()
            if current is not None:
                ET.SubElement(element, _x("target"), {
                    f"{{{XML}}}lang": locale,
                    "state": TARGET_STATES.get(current.translation_state or NEEDS_REVIEW, "needs-review-translation"),
                }).text = (target_text or "").strip()
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n", count


def file_name(locale: str) -> str:
    return f"frontdoor-advice-en-to-{locale}-{dt.date.today().isoformat()}.xlf"


# --- reading ---------------------------------------------------------------------------------

def _refuse_declarations(*_args) -> None:
    raise XliffError([gettext("The selected file declares a document type or entities, which an XLIFF file "
                              "from Front Door never has. Upload the file as your translation tool saved it.")])


def parse_xml(data: bytes) -> ET.Element:
    """The document's root element. Refuses any DOCTYPE (so no entity is ever declared, let alone
    expanded) and any external reference; namespaced names are written {uri}name, as ElementTree does."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")

    def name(raw: str) -> str:
        uri, _, local = raw.rpartition(" ")
        return f"{{{uri}}}{local}" if uri else local

    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    parser.UnparsedEntityDeclHandler = _refuse_declarations
    parser.ExternalEntityRefHandler = _refuse_declarations
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = lambda tag, attributes: builder.start(
        name(tag), {name(key): value for key, value in attributes.items()})
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as problem:
        raise XliffError([gettext(
            "The selected file is not valid XML (%(problem)s, line %(line)s). Upload the XLIFF file as your "
            "translation tool saved it.", problem=expat.ErrorString(problem.code), line=problem.lineno)]) from None
    return builder.close()


def _text(element: ET.Element | None) -> str | None:
    """The text of a target, with any inline markup a tool added (segments, placeholders) read as text."""
    if element is None:
        return None
    return "".join(element.itertext()).replace("\r\n", "\n").strip()


def parse(data: bytes, locale: str, english_versions: dict[str, set[int]]) -> list[Translated]:
    """The translations in an uploaded file for this language. english_versions: each topic's
    English version numbers, to check the file's. Raises XliffError listing every problem."""
    if not data.strip():
        raise XliffError([gettext("The selected file is empty")])
    root = parse_xml(data)
    if root.tag != _x("xliff") or root.get("version") != "1.2":
        raise XliffError([gettext("The selected file is not an XLIFF 1.2 file. Download the file for "
                                  "translators from this page, translate it, and upload that.")])
    problems: list[str] = []
    found: list[Translated] = []
    seen: set[str] = set()
    files = root.findall(_x("file"))
    if not files:
        problems.append(gettext("The selected file has no topics in it"))
    for file in files:
        topic = file.get("original", "")
        target = file.get("target-language", "")
        if file.get("source-language", "").split("-")[0].lower() != DEFAULT_LOCALE:
            problems.append(gettext("The translation of '%(topic)s' is not from English. Upload a file that was "
                                    "translated from English.", topic=topic))
            continue
        if not target.strip():
            problems.append(gettext("The selected file does not say which language it is a translation into. "
                                    "Download the file for translators from this page and translate that."))
            continue
        if target.replace("_", "-").split("-")[0].lower() != locale:
            problems.append(gettext(
                "The selected file is a translation into %(found)s, not %(language)s. Upload it on the page for "
                "%(found)s.", found=language_name(target), language=language_name(locale)))
            continue
        if topic not in TOPIC_SLUGS:
            problems.append(gettext("The selected file has a topic that Front Door does not have: '%(topic)s'",
                                    topic=topic[:60]))
            continue
        if topic in seen:
            problems.append(gettext("The selected file has '%(topic)s' more than once", topic=topic))
            continue
        seen.add(topic)
        version = file.get(ENGLISH_VERSION, "")
        if not version.isdigit():
            problems.append(gettext(
                "The translation of '%(topic)s' does not say which English version it was made from. Download a "
                "new file for translators and translate that.", topic=topic))
            continue
        if int(version) not in english_versions.get(topic, set()):
            problems.append(gettext(
                "The translation of '%(topic)s' says it was made from English version %(version)s, which does not "
                "exist. Download a new file for translators and translate that.", topic=topic, version=version[:12]))
            continue
        units: dict[str, str | None] = {}
        for unit in file.iter(_x("trans-unit")):
            unit_id = unit.get("resname") or unit.get("id") or ""
            if unit_id not in UNITS:
                problems.append(gettext("The translation of '%(topic)s' has a part Front Door does not have: "
                                        "'%(part)s'", topic=topic, part=unit_id[:60]))
                continue
            units[unit_id] = _text(unit.find(_x("target")))
        if not any(units.values()):
            continue  # not translated: nothing to import for this topic
        if not units.get("title"):
            problems.append(gettext("The translation of '%(topic)s' needs a title", topic=topic))
        elif len(units["title"]) > TITLE_LENGTH:
            problems.append(gettext("The title of '%(topic)s' must be %(length)s characters or fewer",
                                    topic=topic, length=TITLE_LENGTH))
        if not units.get("body"):
            problems.append(gettext("The translation of '%(topic)s' needs the answer", topic=topic))
        if units.get("title") and units.get("body") and len(units["title"]) <= TITLE_LENGTH:
            found.append(Translated(topic, int(version), units["title"], units["body"], units.get("sms_body") or ""))
    if problems:
        raise XliffError(list(dict.fromkeys(problems)))  # each problem once, in the order found
    return found


def language_name(code: str) -> str:
    """A language's name in the staff member's language ("Welsh"), or the code if it is not one."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(babel_locale(str(get_locale() or "en")))
    except Exception:  # anything a file may say is not a language babel knows
        return f"'{code[:20]}'"


# --- importing -------------------------------------------------------------------------------

def english_versions(session: Session) -> dict[str, set[int]]:
    """Each topic's English version numbers: a translation may be made from any of them."""
    found: dict[str, set[int]] = {}
    for topic, number in session.execute(select(AdviceVersion.topic_slug, AdviceVersion.version).where(
            AdviceVersion.locale == DEFAULT_LOCALE)):
        found.setdefault(topic, set()).add(number)
    return found


def _unchanged(current: AdviceVersion | None, item: Translated) -> bool:
    return current is not None and current.translated_from == item.english_version and (
        current.title.strip(), current.body.strip(), " ".join(current.sms_body.split())) == (
        item.title.strip(), item.body.strip(), " ".join(item.sms_body.split()))


def import_translations(session: Session, locale: str, items: list[Translated], by: str) -> tuple[list, int]:
    """Saves each changed translation as a new draft that needs review, made from the file's English
    version. Returns the new versions and how many topics were unchanged."""
    saved, unchanged = [], 0
    for item in items:
        status = store.translation_status(session, item.topic, locale)
        current = status.current
        if _unchanged(current, item):
            unchanged += 1
            continue
        details = current or status.english  # owner and review dates carry over
        edit = store.Edit(title=item.title, body=item.body, sms_body=item.sms_body,
                          owner=details.owner if details else "", reviewed=details.reviewed if details else None,
                          review_due=details.review_due if details else None)
        saved.append(store.save_draft(session, item.topic, locale, edit, by, translated_from=item.english_version))
    return saved, unchanged
