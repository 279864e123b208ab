"""Content store commands: ``python -m content init|import|export|check``."""
from __future__ import annotations

import argparse
import sys

from . import council, db, files, store
from .first_start import first_start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content", description=__doc__)
    parser.add_argument("command", choices=["init", "import", "export", "check"])
    args = parser.parse_args(argv)
    if args.command == "check":
        council.load()
        files.read_figures()
        print(f"content files are valid: {len(files.read_advice())} answers")
        return 0
    db.migrate()
    with db.session_scope() as session:
        if args.command == "init":
            print("\n".join(first_start(session)))
        elif args.command == "import":
            figures = store.import_figures(session, files.read_figures())
            answers = store.import_advice(session, files.read_advice())
            print(f"imported {answers} changed answers and {figures} changed figures")
        else:
            print(f"exported {store.export_files(session)} answers and the figures to content/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
