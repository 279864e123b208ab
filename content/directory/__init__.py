"""The service directory: local services in the Open Referral UK 3.0 shape, for signposting.

- ``models``: the tables (organisations, services, locations... and postcode centroids)
- ``importer`` / ``exporter``: Open Referral UK JSON in and out
- ``postcodes``: loading ONSPD / Code-Point Open / place names, and ``resolve_place``
- ``search``: ``search_services`` for the bot
- ``demo``: the fictional demo directory, loaded on first start
- ``python -m content.directory``: the commands (load-postcodes, import, export, load-demo)

The read-only Open Referral UK API over it is ``admin/oruk.py`` (``/oruk``).
"""
from pathlib import Path

from .demo import load_demo_if_empty
from .postcodes import resolve_place
from .search import ServiceMatch, category_term_ids, search_services

# The Open Referral UK 3.0 schemas and OpenAPI document, vendored unchanged (see its README).
STANDARD = Path(__file__).resolve().parent / "standard" / "oruk-3.0"

__all__ = ["STANDARD", "ServiceMatch", "category_term_ids", "load_demo_if_empty", "resolve_place", "search_services"]
