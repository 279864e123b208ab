"""The messages catalogs compiled as `make translations` does, for tests that read a reply in
another language: a .po file just translated is never read as its stale .mo."""
from __future__ import annotations

import io

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from content import i18n


def compile_messages() -> None:
    """Compiles any messages catalog newer than its .mo (atomically: the running services may be
    reading it) and forgets the catalogs already loaded."""
    for po in sorted(i18n.LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, encoding="utf-8") as handle:
                catalog = read_po(handle)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            partial = mo.with_name(f".{mo.name}.{id(buffer)}")
            partial.write_bytes(buffer.getvalue())
            partial.replace(mo)
    i18n.translations.cache_clear()
