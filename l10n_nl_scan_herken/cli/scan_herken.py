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
    imp = sub.add_parser("import", help="Import files or folders as draft vendor bills (bulk scans).")
    imp.add_argument("-d", "--database", required=True)
    imp.add_argument("--company", type=int, help="Company id (default: the main company).")
    imp.add_argument("--journal", type=int, help="Purchase journal id (default: the company's first).")
    imp.add_argument("--recognize", action="store_true", help="Recognise the imported bills right away.")
    imp.add_argument("--config", "-c", help="Odoo configuration file.")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    return parser


def collect_files(paths):
    """Files named, and the files in folders named (recursively), sorted."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            found.append(path)
    return found


def progress(done, total, stream=sys.stderr):
    if not stream.isatty():
        return
    width = 30
    filled = int(width * done / max(total, 1))
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        stream.write("\n")
    stream.flush()


def run_import(options, out=sys.stdout):
    import odoo
    from odoo import SUPERUSER_ID, api

    args = ["-d", options.database, f"--addons-path={odoo.tools.config['addons_path']}"]
    args += ["-c", options.config] if options.config else []
    odoo.tools.config.parse_config(args)
    files = collect_files(options.paths)
    registry = odoo.modules.registry.Registry(options.database)
    queued = errors = 0
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(options.company) if options.company else env.ref("base.main_company")
        journal = (env["account.journal"].browse(options.journal) if options.journal else
                   env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", company.id)],
                                                 limit=1))
        if not journal:
            raise SystemExit(f"Company {company.display_name} has no purchase journal.")
        intake = env["l10n_nl_scan_herken.intake"].with_company(journal.company_id)
        for index, path in enumerate(files, start=1):
            try:
                data = path.read_bytes()
            except OSError as exc:
                out.write(f"{path}: cannot be read ({exc.strerror})\n")
                errors += 1
                continue
            bills = intake._intake_files(journal, [(path.name, data)])
            queued += len(bills)
            env["account.move"]._l10n_nl_scan_commit()
            progress(index, len(files))
        if options.recognize:
            while env["account.move"]._cron_l10n_nl_scan_recognize(batch_size=20):
                pass
        env["account.move"]._l10n_nl_scan_commit()
    out.write(f"{len(files)} file(s) read, {queued} draft bill(s) made, {errors} unreadable.\n")
    return errors


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
        elif options.action == "import":
            sys.exit(1 if run_import(options) else 0)
