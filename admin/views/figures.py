"""The yearly figures: every amount that changes each April, shared by all answers. Everyone
can read them; approvers and admins change them, and every change is audited."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import select

from content import render
from content.models import Figure

from .. import audit, database
from ..forms import FigureForm
from ..permissions import PUBLISH, roles, staff_only

figures_pages = Blueprint("figures", __name__, url_prefix="/admin/figures")
staff_only(figures_pages)


def shown(figure: Figure) -> str:
    """The amount as residents read it in English."""
    return render.format_figure(render.FigureValue(figure.key, figure.value, figure.format, figure.applies), "en")


@figures_pages.get("/")
def index():
    figures = list(database.session().scalars(select(Figure).order_by(Figure.key)))
    return render_template("figures/index.html", page_title=gettext("Yearly figures"), figures=figures, shown=shown)


@figures_pages.route("/<key>", methods=["GET", "POST"])
@roles(*PUBLISH)
def edit(key: str):
    db = database.session()
    figure = db.get(Figure, key)
    if figure is None:
        abort(404)
    form = FigureForm(obj=figure)
    if not form.validate_on_submit():
        return render_template("figures/edit.html", page_title=gettext("Change %(figure)s", figure=key), form=form, figure=figure)
    before = {"value": str(figure.value), "format": figure.format, "applies": figure.applies,
              "source": figure.source, "note": figure.note}
    figure.value, figure.format, figure.applies = form.value.data, form.format.data, form.applies.data.strip()
    figure.source, figure.note = (form.source.data or "").strip(), (form.note.data or "").strip()
    after = {"value": str(figure.value), "format": figure.format, "applies": figure.applies,
             "source": figure.source, "note": figure.note}
    audit.record(db, "figure.edit", key, {"before": before, "after": after})
    db.commit()
    flash(gettext("%(figure)s is now %(amount)s (%(applies)s). Every answer uses it from the next message.",
                  figure=key, amount=shown(figure), applies=figure.applies), "success")
    return redirect(url_for("figures.index"))
