"""Reads and writes the reviewable content files under content/ (see content/README.md)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .models import TOPIC_SLUGS, TRANSLATION_STATES
from .render import FORMATS

CONTENT_DIR = Path(__file__).resolve().parent
ADVICE_DIR = CONTENT_DIR / "advice"
FIGURES_FILE = CONTENT_DIR / "figures.yml"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.S)


class ContentFileError(ValueError):
    """A content file that cannot be loaded; the message names the file and the problem."""


@dataclass
class AdviceFile:
    topic: str
    locale: str
    title: str
    body: str
    sms_body: str = ""
    owner: str = ""
    reviewed: dt.date | None = None
    review_due: dt.date | None = None
    related: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    # Translations: "needs_review" until a fluent reader has checked them against the English
    # version they were made from (translated_from: that English version's number).
    translation_state: str = "reviewed"
    translated_from: int | None = None


@dataclass
class FigureRow:
    key: str
    value: Decimal
    format: str
    applies: str
    source: str = ""
    note: str = ""


def _date(value, name: str, path: Path) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentFileError(f"{path}: {name} must be a date like 2026-11-20") from exc


def parse_advice(text: str, path: Path) -> AdviceFile:
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ContentFileError(f"{path}: must start with front matter between '---' lines")
    meta = yaml.safe_load(match.group(1)) or {}
    for key in ("topic", "locale", "title"):
        if not meta.get(key):
            raise ContentFileError(f"{path}: front matter needs '{key}'")
    if meta["topic"] not in TOPIC_SLUGS:
        raise ContentFileError(f"{path}: unknown topic '{meta['topic']}'")
    related = list(meta.get("related") or [])
    unknown = [slug for slug in related if slug not in TOPIC_SLUGS]
    if unknown:
        raise ContentFileError(f"{path}: related names unknown topics {unknown}")
    state = str(meta.get("translation_state") or "reviewed")
    if state not in TRANSLATION_STATES:
        raise ContentFileError(f"{path}: translation_state must be one of {', '.join(TRANSLATION_STATES)}")
    translated_from = meta.get("translated_from")
    if translated_from is not None and (not isinstance(translated_from, int) or isinstance(translated_from, bool)
                                        or translated_from < 1):
        raise ContentFileError(f"{path}: translated_from must be the number of an English version, like 3")
    sources = list(meta.get("sources") or [])
    if any(not isinstance(s, dict) or not s.get("url") for s in sources):
        raise ContentFileError(f"{path}: every source needs a title and a url")
    return AdviceFile(
        topic=meta["topic"],
        locale=str(meta["locale"]),
        title=str(meta["title"]).strip(),
        body=match.group(2).strip() + "\n",
        sms_body=" ".join(str(meta.get("sms_body") or "").split()),
        owner=str(meta.get("owner") or ""),
        reviewed=_date(meta.get("reviewed"), "reviewed", path),
        review_due=_date(meta.get("review_due"), "review_due", path),
        related=related,
        sources=[{"title": str(s.get("title", "")), "url": str(s["url"])} for s in sources],
        translation_state=state,
        translated_from=translated_from,
    )


def dump_advice(advice: AdviceFile) -> str:
    meta = {
        "topic": advice.topic,
        "locale": advice.locale,
        "title": advice.title,
        "owner": advice.owner,
        "reviewed": advice.reviewed,
        "review_due": advice.review_due,
        "related": advice.related,
        "sources": advice.sources,
        "sms_body": advice.sms_body,
    }
    if advice.translation_state != "reviewed" or advice.translated_from:
        meta.update(translation_state=advice.translation_state, translated_from=advice.translated_from)
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n{advice.body.strip()}\n"


def read_advice(root: Path = ADVICE_DIR) -> list[AdviceFile]:
    found = []
    for path in sorted(root.glob("*/*.md")):
        advice = parse_advice(path.read_text(encoding="utf-8"), path)
        if (advice.locale, advice.topic) != (path.parent.name, path.stem):
            raise ContentFileError(f"{path}: front matter says {advice.locale}/{advice.topic}")
        found.append(advice)
    return found


def write_advice(advice: AdviceFile, root: Path = ADVICE_DIR) -> Path:
    path = root / advice.locale / f"{advice.topic}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_advice(advice), encoding="utf-8")
    return path


def read_figures(path: Path = FIGURES_FILE) -> list[FigureRow]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = []
    for key, item in raw.items():
        if not isinstance(item, dict) or "value" not in item:
            raise ContentFileError(f"{path}: {key} needs a value")
        if item.get("format") not in FORMATS:
            raise ContentFileError(f"{path}: {key} format must be one of {', '.join(FORMATS)}")
        if not item.get("applies"):
            raise ContentFileError(f"{path}: {key} must say which year it applies to")
        rows.append(FigureRow(key=key, value=Decimal(str(item["value"])), format=item["format"],
                              applies=str(item["applies"]), source=str(item.get("source") or ""),
                              note=str(item.get("note") or "")))
    return rows


def write_figures(rows: list[FigureRow], path: Path = FIGURES_FILE) -> None:
    data = {}
    for row in rows:
        item = {"value": float(row.value) if row.value != row.value.to_integral_value() else int(row.value),
                "format": row.format, "applies": row.applies, "source": row.source}
        if row.note:
            item["note"] = row.note
        data[row.key] = item
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
