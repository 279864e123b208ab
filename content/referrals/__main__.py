"""Referral commands.

    python -m content.referrals worker [--interval 5] [--port 5056] [--host 127.0.0.1] [--once]
    python -m content.referrals purge    delete what retention says must go, now
    python -m content.referrals status   how many referrals are spooled and messages waiting
    python -m content.referrals rotate-key   re-encrypt everything with the first FRONTDOOR_DATA_KEY
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from content import conversations, db

from . import outbox, rotation, spool
from .records import count_by_status
from .retention import purge
from .worker import run, run_once


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content.referrals", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="import the spool and deliver the outbox, in a loop")
    worker.add_argument("--interval", type=float, default=5, help="seconds between passes (5)")
    worker.add_argument("--port", type=int, default=int(os.environ.get("WORKER_PORT", 5056)),
                        help="port of GET /health (WORKER_PORT, 5056); 0 for none")
    worker.add_argument("--host", default=os.environ.get("WORKER_HOST", "127.0.0.1"))
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    commands.add_parser("purge", help="apply retention now")
    commands.add_parser("status", help="spooled referrals, messages waiting, referrals by status")
    commands.add_parser("rotate-key", help="re-encrypt everything with the first key in FRONTDOOR_DATA_KEY")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.command == "worker" and args.once:
        print(run_once())
        return 0
    if args.command == "worker":
        return run(args.interval, args.host, args.port)
    with db.session_scope() as session:
        if args.command == "purge":
            print({**purge(session), **conversations.purge()})
        elif args.command == "rotate-key":
            print({"rows": rotation.reencrypt(session), "spooled": rotation.reencrypt_spool()})
        else:
            print({"spooled": len(spool.pending()), "waiting": outbox.waiting(session), **count_by_status(session)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
