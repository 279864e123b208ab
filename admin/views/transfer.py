"""Import and export (admins only): the same round trip as `python -m content import|export`,
so the published advice can also live in git as reviewable files."""
from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext

from content import files, store

from .. import audit, database
from ..permissions import MANAGE, roles, staff_only

transfer_pages = Blueprint("transfer", __name__, url_prefix="/admin/import-export")
staff_only(transfer_pages)


@transfer_pages.get("/")
@roles(*MANAGE)
def index():
    return render_template("transfer/index.html", page_title=gettext("Import and export"),
                           content_dir=files.CONTENT_DIR)


@transfer_pages.post("/import")
@roles(*MANAGE)
def run_import():
    """Loads the content files on this server into the store. Files that differ from what is
    live are published as new versions (they were reviewed in git), so this is admins only."""
    db = database.session()
    try:
        figures = store.import_figures(db, files.read_figures())
        answers = store.import_advice(db, files.read_advice())
    except files.ContentFileError as problem:
        db.rollback()
        flash(gettext("Nothing was imported: %(problem)s", problem=problem), "info")
        return redirect(url_for("transfer.index"))
    audit.record(db, "content.import", "content files", {"answers": answers, "figures": figures})
    db.commit()
    flash(gettext("Imported %(answers)s changed answers and %(figures)s changed figures.", answers=answers,
                  figures=figures), "success")
    return redirect(url_for("transfer.index"))


@transfer_pages.post("/export")
@roles(*MANAGE)
def export():
    """The published answers and the figures as a zip of content files. Drafts are not in it."""
    db = database.session()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        count = store.export_files(db, root / "advice", root / "figures.yml")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    zipped.write(path, Path("content") / path.relative_to(root))
    audit.record(db, "content.export", "content files", {"answers": count})
    db.commit()
    archive.seek(0)
    name = f"frontdoor-content-{dt.date.today().isoformat()}.zip"
    return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)
