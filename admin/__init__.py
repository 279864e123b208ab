"""The web app: the demo council page with the chat widget, the staff admin, the JSON API and
the Open Referral UK directory."""
from __future__ import annotations

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/")
    def home():
        return "<!doctype html><html lang=en><title>Front Door</title><p>Front Door is running.</p>"

    return app
