"""Every gettext catalog in locales/ (both domains, every locale) is complete, sound and in step
with the source: nothing a person reads falls back to English because a catalog was forgotten.

Each failure names the catalog file and the msgid, so whoever sees it knows what to translate.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from content.i18n import DEFAULT_LOCALE, DOMAINS, LOCALES, LOCALES_DIR

ROOT = LOCALES_DIR.parent
CATALOGS = sorted(LOCALES_DIR.glob("*/LC_MESSAGES/*.po"))
# As `make translations-update` extracts: Babel's keywords plus Flask-Babel's lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
# {name} (str.format) and %(name)s / %s (the %-operator and Flask-Babel).
PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|%\([^)]+\)[-#0 +]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[diouxXeEfFgGcrsa]")


def relative(path: Path) -> str:
    """locales/<locale>/LC_MESSAGES/<domain>.po"""
    return "/".join(path.parts[-4:])


def read(path: Path):
    with open(path, encoding="utf-8") as handle:
        return read_po(handle)


def messages(path: Path):
    return [m for m in read(path) if m.id]


def show(message) -> str:
    return repr(message.id if isinstance(message.id, str) else message.id[0])


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def test_there_is_a_catalog_for_every_domain_and_locale():
    expected = {LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
                for domain in DOMAINS for locale in LOCALES if locale != DEFAULT_LOCALE}
    missing = sorted(relative(p) for p in expected - set(CATALOGS))
    assert not missing, "run `make translations-update`; missing: " + ", ".join(missing)


@pytest.mark.parametrize("path", CATALOGS, ids=relative)
def test_every_message_is_translated_and_none_is_fuzzy(path):
    problems = []
    for message in messages(path):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{relative(path)}: {show(message)} is marked fuzzy: check it and remove the flag")
        if not all(form and form.strip() for form in forms):
            problems.append(f"{relative(path)}: {show(message)} is not translated")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGS, ids=relative)
def test_placeholders_are_kept_exactly(path):
    problems = []
    for message in messages(path):
        where = f"{relative(path)}: {show(message)}"
        if isinstance(message.id, tuple):
            # A plural form may leave out the number, and only the number, as a language says
            # it: Arabic's "two organisations" is one word, "منظمتان". Nothing may be added, and
            # at least one form keeps every placeholder.
            wanted = placeholders(message.id[0]) | placeholders(message.id[1])
            forms = [form for form in message.string if form]
            for form in forms:
                found = placeholders(form)
                if found - wanted or len(wanted - found) > 1:
                    problems.append(f"{where} has {sorted(found)}, needs {sorted(wanted)}: {form!r}")
            if forms and not any(placeholders(form) == wanted for form in forms):
                problems.append(f"{where}: no plural form has all of {sorted(wanted)}")
        elif message.string and placeholders(message.string) != placeholders(message.id):
            problems.append(f"{where} has {sorted(placeholders(message.string))}, "
                            f"needs {sorted(placeholders(message.id))}: {message.string!r}")
    assert not problems, "\n".join(problems)


def extracted(domain: str) -> dict[tuple[str, str | None], str]:
    """What `make translations-update` would extract for a domain now: (msgid, context) -> where."""
    with open(LOCALES_DIR / f"babel-{domain}.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)

    def wanted(path: str) -> bool:  # the mapping decides what is read; skip the heavy folders early
        return not any(part in ("node_modules", "var", "models") or part.startswith((".", "_"))
                       for part in Path(path).parts)

    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=wanted):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogs_hold_every_string_marked_in_the_source(domain):
    source = extracted(domain)
    problems = []
    for locale in LOCALES:
        path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
        if locale == DEFAULT_LOCALE or not path.exists():
            continue  # English is the source; a missing catalog fails its own test above
        catalog = read(path)
        for (msgid, context), where in sorted(source.items()):
            if catalog.get(msgid, context=context) is None:
                problems.append(f"{relative(path)}: {msgid!r} (from {where}) is missing")
    assert not problems, "run `make translations-update DOMAINS=" + domain + "` and translate:\n" + \
        "\n".join(problems)


def test_the_checks_see_an_untranslated_fuzzy_or_broken_message(tmp_path):
    # The tests above must be able to fail: a catalog with one of each fault.
    path = tmp_path / "locales" / "cy" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                    'msgid "Send"\nmsgstr ""\n\n'
                    '#, fuzzy\nmsgid "Close"\nmsgstr "Cau"\n\n'
                    'msgid "Call {phone}."\nmsgstr "Ffoniwch {ffôn}."\n\n'
                    'msgid "{count} file from {who}"\nmsgid_plural "{count} files from {who}"\n'
                    'msgstr[0] "{count} ffeil"\nmsgstr[1] "un ffeil gan {who}"\n', encoding="utf-8")
    with pytest.raises(AssertionError, match=r"locales/cy/LC_MESSAGES/messages.po: 'Send' is not translated"):
        test_every_message_is_translated_and_none_is_fuzzy(path)
    with pytest.raises(AssertionError, match=r"'Close' is marked fuzzy"):
        test_every_message_is_translated_and_none_is_fuzzy(path)
    with pytest.raises(AssertionError, match=r"'Call \{phone\}\.' has \['\{ffôn\}'\]"):
        test_placeholders_are_kept_exactly(path)
    with pytest.raises(AssertionError, match=r"'\{count\} file from \{who\}': no plural form has all"):
        test_placeholders_are_kept_exactly(path)
