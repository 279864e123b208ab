"""Service directory commands.

    python -m content.directory load-postcodes ONSPD.csv      # or a Code-Point Open CSV
    python -m content.directory load-places places.csv        # name,lat,long
    python -m content.directory import services.json          # Open Referral UK services
    python -m content.directory export services.json
    python -m content.directory load-demo                      # the fictional demo directory

``load-postcodes`` keeps only the postcode districts listed under ``area.postcode_districts``
in council.yml (or those given with --districts, or a local authority's with --local-authority);
--all keeps every postcode in the file.
"""
from __future__ import annotations

import argparse
import json
import sys

from content import council, db

from . import area, demo, exporter, importer, postcodes


class DemoRefused(Exception):
    """load-demo was asked of a real council."""


def _load_postcodes(session, args) -> str:
    districts = None if args.all else (args.districts.split(",") if args.districts else area.postcode_districts())
    count = postcodes.load_postcodes(session, postcodes.read_postcode_file(args.file), districts=districts,
                                     local_authority=args.local_authority)
    where = "all districts" if not districts else ", ".join(districts)
    return f"loaded {count} postcodes ({where})" + ("" if count else ": none matched, see --districts or --all")


def _import(session, args) -> str:
    with open(args.file, encoding="utf-8") as handle:
        data = json.load(handle)
    return f"imported {importer.import_services(session, data)} services from {args.file}"


def _export(session, args) -> str:
    services = exporter.export_services(session)
    with open(args.file, "w", encoding="utf-8") as handle:
        json.dump(services, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    return f"exported {len(services)} services to {args.file}"


def _load_demo(session, args) -> str:
    if not council.current().fictional and not args.force:
        raise DemoRefused("council.yml is a real council's (fictional: false): the demo's made-up services "
                          "would reach its residents. Use --force to load them anyway.")
    services = demo.load_demo_directory(session)
    return f"loaded the demo directory: {services} services, {demo.load_demo_places(session)} postcodes"


def _load_places(session, args) -> str:
    return f"loaded {postcodes.load_places(session, postcodes.read_places_file(args.file))} places"


COMMANDS = {"load-postcodes": _load_postcodes, "load-places": _load_places, "import": _import,
            "export": _export, "load-demo": _load_demo}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content.directory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=list(COMMANDS))
    parser.add_argument("file", nargs="?", help="the CSV or JSON file")
    parser.add_argument("--districts", help="comma-separated postcode districts to keep, e.g. CB1,CB2")
    parser.add_argument("--local-authority", help="keep postcodes of this local authority code only")
    parser.add_argument("--all", action="store_true", help="keep every postcode in the file")
    parser.add_argument("--force", action="store_true", help="load-demo even for a council that is not fictional")
    args = parser.parse_args(argv)
    if args.command != "load-demo" and not args.file:
        parser.error(f"{args.command} needs a file")
    db.migrate()
    try:
        with db.session_scope() as session:
            print(COMMANDS[args.command](session, args))
    except (importer.OrukImportError, postcodes.PostcodeFileError, DemoRefused, OSError,
            json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
