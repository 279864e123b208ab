"""What a new installation needs before it can answer anyone: the schema, the advice from
content/, and (for the fictional demo council only) the demo service directory."""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import store
from .directory import load_demo_if_empty


def first_start(session: Session) -> list[str]:
    """Loads whatever is still empty; never overwrites what staff have changed. Says what it did."""
    return [
        "content store loaded from content/" if store.load_if_empty(session) else "content store ready",
        "demo service directory loaded" if load_demo_if_empty(session) else "service directory ready",
    ]
