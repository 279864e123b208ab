"""Starts the Rasa server (``rasa run``) with one addition: a public ``GET /status``.

Rasa's own ``/status`` comes only with ``--enable-api``, which also opens endpoints that read and
rewrite any conversation or replace the model. Front Door keeps that API off and adds just the
read-only status that health checks and the fixed interfaces need.

Usage (from bot/): python serve.py run --model ... (the same arguments as ``rasa run``)
"""
from __future__ import annotations

import sys

import rasa.core.run
from sanic import Sanic, response
from sanic.request import Request

_configure_app = rasa.core.run.configure_app


def add_status(app: Sanic) -> Sanic:
    @app.get("/status")
    async def status(request: Request):
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or not agent.is_ready():
            return response.json({"status": "loading"}, status=503)
        return response.json({
            "status": "ok",
            "model_file": agent.processor.model_filename,
            "model_id": agent.model_id,
            "num_active_training_jobs": 0,
        })

    return app


def configure_app(*args, **kwargs) -> Sanic:
    return add_status(_configure_app(*args, **kwargs))


# serve_application looks configure_app up in its module when it runs, so this takes effect.
rasa.core.run.configure_app = configure_app

if __name__ == "__main__":
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
