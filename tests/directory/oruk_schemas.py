"""Validation against the vendored Open Referral UK 3.0 schemas and OpenAPI document.

Every file is registered under the address the standard's openapi.json uses for it
(raw.githubusercontent.com/openreferral/uk-profile/main/schema/...), so its ``$ref``s resolve
to our copies and nothing is fetched. Formats (uuid, email, uri, date-time) are checked too.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from content.directory import STANDARD

BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
PAGE_FIELDS = {"total_items": int, "total_pages": int, "page_number": int, "size": int,
               "first_page": bool, "last_page": bool, "empty": bool, "contents": list}


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in sorted(STANDARD.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((BASE + path.relative_to(STANDARD).as_posix(),
                          Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


FORMATS = FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and not re.search(r"\s", value)


@FORMATS.checks("date-time")
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value):
        return False
    dt.datetime.fromisoformat(value)
    return True


def schema(name: str) -> str:
    """The address of one of the standard's files: 'compiled/service.json', 'taxonomy.json'."""
    return BASE + name


def response_schema(path: str) -> str:
    """The address of an endpoint's 200 response schema in the standard's openapi.json."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return f"{BASE}openapi.json#/paths/{pointer}/get/responses/200/content/application~1json/schema"


def errors(instance, ref: str) -> list[str]:
    validator = Draft202012Validator({"$ref": ref}, registry=registry(), format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]


def assert_valid(instance, ref: str) -> None:
    found = errors(instance, ref)
    assert not found, f"invalid against {ref}:\n" + "\n".join(found[:20])


def assert_page(body: dict, path: str | None, item_schema: str | None = None) -> None:
    """A paged list: the envelope's fields, the openapi response schema for that path (if the
    standard lists it), and each item against ``item_schema``."""
    for field, kind in PAGE_FIELDS.items():
        assert isinstance(body.get(field), kind), f"{field} missing or not {kind.__name__}: {body.get(field)!r}"
    assert body["size"] == len(body["contents"])
    assert body["empty"] == (not body["contents"])
    assert body["first_page"] == (body["page_number"] == 1)
    assert body["last_page"] == (body["page_number"] >= body["total_pages"])
    if path:
        assert_valid(body, response_schema(path))
    for item in body["contents"] if item_schema else ():
        assert_valid(item, schema(item_schema))
