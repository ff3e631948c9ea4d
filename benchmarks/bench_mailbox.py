"""Mailbox benchmark: mixed mails through a real Dovecot to recognised bills.

    $ODOO_PYTHON benchmarks/bench_mailbox.py -d DATABASE [--counts 100,1000] [--readers 2] [--scans 40]

DATABASE must have l10n_nl_scan_herken installed and is changed (use a copy,
e.g. the test command's scan_herken_test_work). For each count it appends
that many mails (mostly text PDFs, some with two invoices, some with the
invoice in the body, a few scans), fetches them as the cron does and runs the
recognition queue, once with one reader process and once with ``--readers``;
then the same for ``--scans`` scanned mails. It prints mails per second, the
share of time spent applying readings to bills and the worker's own resident
memory, which must stay flat from the smaller to the larger count, and last
the pool-versus-one ratios.
"""

import argparse
import importlib.util
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
sys.path.insert(0, ODOO_PATH)


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_mails(count, seed, fixtures, render, mails):
    rng = random.Random(seed)
    built = []
    for index in range(count):
        spec = fixtures.make_spec(seed + index)
        spec.long = False
        kind = rng.random()
        if kind < 0.1:
            body = (
                f"Factuurnummer: {spec.number}\nFactuurdatum: {spec.date:%d-%m-%Y}\n"
                f"Totaal te betalen {spec.expected['amount_total']:.2f}\nIBAN {spec.supplier['iban']}"
            )
            built.append(mails.invoice_mail(body=body))
        elif kind < 0.2:
            other = fixtures.make_spec(seed + index + 100000)
            built.append(
                mails.invoice_mail(
                    [mails.pdf("a.pdf", render.render_pdf(spec)), mails.pdf("b.pdf", render.render_pdf(other))]
                )
            )
        elif kind < 0.22:
            image = render.scan(render.render_pdf(spec), seed + index, rotate=0, noise=False)
            built.append(mails.invoice_mail([mails.png("scan.png", render.image_bytes(image, "PNG"))]))
        else:
            built.append(mails.invoice_mail([mails.pdf("factuur.pdf", render.render_pdf(spec))]))
    return built


WORKER = """
import time
Queue = type(env['l10n_nl_scan_herken.queue'])
applying = [0.0]
original = Queue._finish
def timed(self, *args):
    start = time.perf_counter()
    try:
        return original(self, *args)
    finally:
        applying[0] += time.perf_counter() - start
Queue._finish = timed
env['ir.config_parameter'].sudo().set_param('l10n_nl_scan_herken.reader_processes', {readers})
env.cr.commit()
start = time.perf_counter()
env['fetchmail.server'].browse({server_id})._l10n_nl_scan_fetch()
fetched = time.perf_counter() - start
while env['account.move']._cron_l10n_nl_scan_recognize(batch_size=50):
    pass
status = {{line.split(':')[0]: int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('Vm')}}
print('RESULT', time.perf_counter() - start, fetched, applying[0], status['VmHWM'] / 1024, status['VmRSS'] / 1024,
      flush=True)
"""


def run_worker(database, server_id, readers):
    """The fetch and the queue in a real Odoo worker process (odoo-bin
    shell) with ``readers`` reader children; returns elapsed seconds, the
    seconds of the fetch, of applying readings to bills, and the worker's
    peak and final resident memory in MiB (its own, not its children's)."""
    import subprocess

    command = [
        sys.executable,
        f"{ODOO_PATH}/odoo-bin",
        "shell",
        "--no-http",
        "--log-level=warn",
        f"--addons-path={ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{ROOT}",
        "-d",
        database,
    ]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    process.stdin.write(WORKER.format(server_id=server_id, readers=readers))
    process.stdin.close()
    out = process.stdout.read()
    process.wait()
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    # VmHWM, read by the worker itself: ru_maxrss would carry over this
    # process's own size from the fork.
    return tuple(float(v) for v in line.split()[1:])


def build_scans(count, seed, fixtures, render, mails):
    built = []
    for index in range(count):
        spec = fixtures.make_spec(seed + index)
        spec.long = False
        image = render.scan(render.render_pdf(spec), seed + index, rotate=0, noise=False)
        built.append(mails.invoice_mail([mails.png("scan.png", render.image_bytes(image, "PNG"))]))
    return built


def measure(server, database, server_id, label, messages, readers):
    for message in messages:
        server.append(message)
    elapsed, fetched, applying, peak, end = run_worker(database, server_id, readers)
    count = len(messages)
    print(
        f"{label}, {readers} reader(s): {count} mails in {elapsed:.1f} s, {count / elapsed:.2f} mails/s "
        f"(fetch {fetched:.1f} s, applying readings to bills {applying / elapsed:.0%} of the time), "
        f"worker memory peak {peak:.0f} MiB, at the end {end:.0f} MiB",
        flush=True,
    )
    return count / elapsed, peak, end


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--counts", default="100,1000")
    parser.add_argument("--readers", type=int, default=2, help="Reader processes to compare with one.")
    parser.add_argument("--scans", type=int, default=40, help="Scanned mails for the serial-versus-pool ratio.")
    options = parser.parse_args()

    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        ["-d", options.database, "--log-level=warn", f"--addons-path={ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{ROOT}"]
    )
    registry = odoo.modules.registry.Registry(options.database)
    from odoo.addons.l10n_nl_scan_herken.engine.samples import fixtures, render

    # By path: importing the addon's tests package would load Odoo's test framework.
    dovecot = load("scan_dovecot", ROOT / "l10n_nl_scan_herken" / "tests" / "dovecot.py")
    mails = load("scan_mails", ROOT / "l10n_nl_scan_herken" / "tests" / "mails.py")
    server = dovecot.Dovecot().start()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            journal = env["account.journal"].search(
                [("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1
            )
            company.l10n_nl_scan_enabled = True
            fetchmail = env["fetchmail.server"].create(
                {
                    "name": "Benchmark",
                    "server_type": "imap",
                    "server": "127.0.0.1",
                    "port": server.imap_port,
                    "is_ssl": False,
                    "user": dovecot.USER,
                    "password": dovecot.PASSWORD,
                    "state": "done",
                    "l10n_nl_scan_journal_id": journal.id,
                }
            )
            cr.commit()
            server_id = fetchmail.id
        results, ratios = [], []
        for count in [int(c) for c in options.counts.split(",") if c]:
            rates = {}
            for readers in sorted({1, options.readers}):
                mails_built = build_mails(count, count * 1000 + readers, fixtures, render, mails)
                rates[readers], peak, end = measure(
                    server, options.database, server_id, "mixed mail (mostly text PDFs)", mails_built, readers
                )
            results.append((count, peak, end))
            ratios.append(
                f"mixed mail, {count}: {options.readers} readers / 1 = {rates[options.readers] / rates[1]:.2f}x"
            )
        if options.scans:
            rates = {}
            for readers in sorted({1, options.readers}):
                scans = build_scans(options.scans, 50000 + readers * 1000, fixtures, render, mails)
                rates[readers], _peak, _end = measure(server, options.database, server_id, "scans", scans, readers)
            ratios.append(
                f"scans, {options.scans}: {options.readers} readers / 1 = {rates[options.readers] / rates[1]:.2f}x"
            )
    finally:
        server.stop()
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"worker memory from {first[0]} to {last[0]} mails: peak {last[1] / first[1]:.2f}x, "
            f"at the end {last[2] / first[2]:.2f}x"
        )
    for ratio in ratios:
        print("ratio", ratio)


if __name__ == "__main__":
    main()
