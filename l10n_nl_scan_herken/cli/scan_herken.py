"""``odoo-bin scan-herken``: the engine on the command line.

``recognize`` needs no database: it prints one JSON object per file, one
per line, and goes on after a file it cannot read.
"""

import argparse
import collections
import datetime
import json
import os
import sys
import time
from pathlib import Path

from odoo.cli import Command

from ..engine import RecognitionContext, sandbox
from ..engine.recognizers.identifiers import normalize_identifier


def build_parser():
    parser = argparse.ArgumentParser(prog="odoo-bin scan-herken", description=ScanHerken.__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    rec = sub.add_parser("recognize", help="Recognise invoice files and print one JSON line each.")
    rec.add_argument("--company-vat", action="append", default=[], help="Own VAT number (repeatable).")
    rec.add_argument("--company-iban", action="append", default=[], help="Own IBAN (repeatable).")
    rec.add_argument("--company-kvk", action="append", default=[], help="Own KvK number (repeatable).")
    rec.add_argument("--date-order", choices=["dmy", "mdy"], help="How the supplier writes dates.")
    rec.add_argument("--today", type=datetime.date.fromisoformat, help="Reference date (YYYY-MM-DD).")
    rec.add_argument("--seconds", type=float, default=sandbox.DEFAULT_SECONDS, help="Time budget per file.")
    rec.add_argument(
        "--memory", type=int, default=sandbox.DEFAULT_MEMORY // (1024 * 1024), help="Memory budget per file, in MiB."
    )
    rec.add_argument("files", nargs="+", metavar="FILE")
    imp = sub.add_parser("import", help="Import files or folders as draft vendor bills (bulk scans).")
    imp.add_argument("-d", "--database", required=True)
    imp.add_argument("--company", type=int, help="Company id (default: the main company).")
    imp.add_argument("--journal", type=int, help="Purchase journal id (default: the company's first).")
    imp.add_argument("--recognize", action="store_true", help="Recognise the imported bills right away.")
    imp.add_argument("--config", "-c", help="Odoo configuration file.")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    work = sub.add_parser("work", help="Recognise queued bills until stopped (a second server's worker).")
    work.add_argument("-d", "--database", required=True)
    work.add_argument("--config", "-c", help="Odoo configuration file.")
    work.add_argument("--once", action="store_true", help="Stop when the queue is empty.")
    work.add_argument("--idle", type=float, default=10.0, help="Seconds to wait when the queue is empty.")
    return parser


def collect_files(paths):
    """(files, skipped): the files named, and the files in folders named
    (recursively, sorted). Inside a folder a link is followed only when it
    stays in that folder: a scanned folder must not hand over /etc/passwd.
    ``skipped`` holds (path, reason) for every file left out."""
    found, skipped = [], []
    for name in paths:
        path = Path(name)
        if not path.is_dir():
            found.append(path)
            continue
        root = path.resolve()
        for folder, dirs, files in os.walk(path, followlinks=False):
            for dirname in sorted(dirs):
                if os.path.islink(os.path.join(folder, dirname)):
                    skipped.append((Path(folder, dirname), "a link to a folder, not followed"))
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
            for filename in sorted(files):
                file_path = Path(folder, filename)
                if filename.startswith("."):
                    continue
                if file_path.is_symlink() and not file_path.resolve().is_relative_to(root):
                    skipped.append((file_path, "a link to a file outside the folder, not followed"))
                    continue
                found.append(file_path)
    return found, skipped


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
    """Every file given ends as a draft bill (an empty or unreadable one with
    a note) or in the summary with the reason it was left out."""
    import odoo
    from odoo import SUPERUSER_ID, api

    args = ["-d", options.database, f"--addons-path={odoo.tools.config['addons_path']}"]
    args += ["-c", options.config] if options.config else []
    odoo.tools.config.parse_config(args)
    files, skipped = collect_files(options.paths)
    registry = odoo.modules.registry.Registry(options.database)
    made = unreadable = 0
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(options.company) if options.company else env.ref("base.main_company")
        journal = (
            env["account.journal"].browse(options.journal)
            if options.journal
            else env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1)
        )
        if not journal:
            raise SystemExit(f"Company {company.display_name} has no purchase journal.")
        intake = (
            env["l10n_nl_scan_herken.intake"]
            .with_company(journal.company_id)
            .with_context(lang=journal.company_id.partner_id.lang or "en_US")
        )
        for index, path in enumerate(files, start=1):
            try:
                data = path.read_bytes()
            except OSError as exc:
                intake._intake_unreadable(journal, path.name, exc.strerror or str(exc))
                out.write(f"{path}: cannot be read ({exc.strerror}); a draft bill holds the note\n")
                unreadable += 1
                made += 1
            else:
                made += len(intake._intake_files(journal, [(path.name, data)]))
            env["account.move"]._l10n_nl_scan_commit()
            progress(index, len(files))
        if options.recognize:
            while env["account.move"]._cron_l10n_nl_scan_recognize(batch_size=20):
                pass
        env["account.move"]._l10n_nl_scan_commit()
    for path, reason in skipped:
        out.write(f"{path}: skipped, {reason}\n")
    out.write(
        f"{len(files)} file(s) read, {made} draft bill(s) made, {unreadable} unreadable, {len(skipped)} skipped.\n"
    )
    return unreadable + len(skipped)


def run_work(options, out=sys.stdout):
    """Drain the recognition queue beside the cron. Odoo runs one cron in one
    worker at a time; this command, on a second server against the same
    database, claims bills with the same SKIP LOCKED lease, so its reader
    processes add to the cron's."""
    import odoo
    from odoo import SUPERUSER_ID, api

    args = ["-d", options.database, f"--addons-path={odoo.tools.config['addons_path']}"]
    args += ["-c", options.config] if options.config else []
    odoo.tools.config.parse_config(args)
    registry = odoo.modules.registry.Registry(options.database)
    total = 0
    while True:
        with registry.cursor() as cr:
            done = api.Environment(cr, SUPERUSER_ID, {})["account.move"]._cron_l10n_nl_scan_recognize(batch_size=50)
        total += done
        if not done:
            if options.once:
                break
            time.sleep(options.idle)
    out.write(f"{total} bill(s) recognised.\n")
    return total


def run_recognize(options, out=sys.stdout):
    """One JSON line per file, whatever the file: each is read in a
    sandboxed child, several at once, printed in the order given."""
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
    pool = sandbox.get_pool(memory=options.memory * 1024 * 1024)
    pending, failures = collections.deque(), 0

    def emit():
        name, job = pending.popleft()
        result = job if isinstance(job, dict) else job.result().to_dict()
        out.write(json_line(name, result) + "\n")
        out.flush()
        return "error" in result

    for name in options.files:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            pending.append((name, {"file": name, "error": f"The file cannot be opened: {exc.strerror}."}))
        else:
            pending.append((name, sandbox.submit_recognize(pool, data, name, context, seconds=options.seconds)))
        while len(pending) > 2 * pool.size:  # a large folder never sits in memory at once
            failures += emit()
    while pending:
        failures += emit()
    return failures


def json_line(name, result):
    """Strict JSON (no NaN or Infinity), or an error line saying why not."""
    try:
        return json.dumps(result, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return json.dumps({"file": name, "error": f"The result could not be written as JSON: {exc}."})


class ScanHerken(Command):
    """Scan en herken: recognise purchase invoices"""

    name = "scan-herken"

    def run(self, args):
        options = build_parser().parse_args(args)
        if options.action == "recognize":
            run_recognize(options)
        elif options.action == "import":
            sys.exit(1 if run_import(options) else 0)
        elif options.action == "work":
            run_work(options)
