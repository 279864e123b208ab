"""The web app: the demo council page with the chat widget, the staff admin, the JSON API and
the Open Referral UK directory."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy.exc import SQLAlchemyError

from . import database, i18n, permissions, security, settings
from . import oruk  # the Open Referral UK directory API at /oruk
from . import widget

log = logging.getLogger(__name__)
GOVUK_ASSETS = Path(__file__).resolve().parent / "static" / "vendor" / "govuk-frontend" / "assets"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    database.init_app(app)
    security.init_app(app)
    permissions.init_app(app)
    _init_templates(app)
    i18n.init_app(app)  # after the templates: it replaces wtforms_errors with a translated one
    _register_blueprints(app)
    app.register_blueprint(oruk.blueprint)
    app.register_blueprint(widget.widget_catalog)  # the chat widget's words, next to the widget
    _create_first_admin(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/")
    def home():
        from .demo import page  # the demo council page with the chat widget

        return page()

    return app


def _init_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from . import views

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    WTFormsHelpers(app)
    views.init_templates(app)

    # GOV.UK Frontend's CSS asks for its fonts and images at /assets/.
    @app.get("/assets/<path:filename>")
    def govuk_assets(filename: str):
        return send_from_directory(GOVUK_ASSETS, filename, max_age=86400)


def _register_blueprints(app: Flask) -> None:
    from .api import api
    from .views.audit import audit_pages
    from .views.auth import auth
    from .views.content import content_pages
    from .views.directory import directory_pages
    from .views.figures import figures_pages
    from .views.referrals import referrals_pages
    from .views.transfer import transfer_pages
    from .views.translations import translation_pages
    from .views.users import users_pages

    for blueprint in (auth, content_pages, users_pages, audit_pages, figures_pages, transfer_pages, referrals_pages,
                      directory_pages):
        app.register_blueprint(blueprint)
    app.register_blueprint(translation_pages)
    security.csrf.exempt(api)  # bearer tokens, not cookies, so there is nothing to forge
    app.register_blueprint(api)


def _create_first_admin(app: Flask) -> None:
    from .accounts import bootstrap_admin

    with app.app_context():
        try:
            bootstrap_admin(database.session(), app.config["ADMIN_EMAIL"], app.config["ADMIN_PASSWORD"])
        except SQLAlchemyError as exc:
            log.error("Could not check for staff users (%s). Run `python -m content init` to create "
                      "or update the database, then restart.", exc.__class__.__name__)
