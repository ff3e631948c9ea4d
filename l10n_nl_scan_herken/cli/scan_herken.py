"""``odoo-bin scan-herken``: the engine on the command line.

``recognize`` needs no database: it prints one JSON object per file, one
per line, and goes on after a file it cannot read.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

from odoo.cli import Command

from ..engine import RecognitionContext, recognize
from ..engine.identifiers import normalize_identifier


def build_parser():
    parser = argparse.ArgumentParser(prog="odoo-bin scan-herken", description=ScanHerken.__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    rec = sub.add_parser("recognize", help="Recognise invoice files and print one JSON line each.")
    rec.add_argument("--company-vat", action="append", default=[], help="Own VAT number (repeatable).")
    rec.add_argument("--company-iban", action="append", default=[], help="Own IBAN (repeatable).")
    rec.add_argument("--company-kvk", action="append", default=[], help="Own KVK number (repeatable).")
    rec.add_argument("--date-order", choices=["dmy", "mdy"], help="How the supplier writes dates.")
    rec.add_argument("--today", type=datetime.date.fromisoformat, help="Reference date (YYYY-MM-DD).")
    rec.add_argument("files", nargs="+", metavar="FILE")
    return parser


def run_recognize(options, out=sys.stdout):
    context = RecognitionContext(
        own_identifiers={
            "vat": [normalize_identifier("vat", v) for v in options.company_vat],
            "iban": [normalize_identifier("iban", v) for v in options.company_iban],
            "kvk": [normalize_identifier("kvk", v) for v in options.company_kvk],
        },
        date_order=options.date_order,
    )
    if options.today:
        context.today = options.today
    failures = 0
    for name in options.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = {"file": name, "error": f"The file cannot be opened: {exc.strerror}."}
        else:
            result = recognize(data, name, context).to_dict()
        failures += "error" in result
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return failures


class ScanHerken(Command):
    """Scan en herken: recognise purchase invoices"""

    name = "scan-herken"

    def run(self, args):
        options = build_parser().parse_args(args)
        if options.action == "recognize":
            run_recognize(options)
