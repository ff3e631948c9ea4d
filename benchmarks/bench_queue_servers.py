"""Does a second Odoo process on the same database add throughput?

    $ODOO_PYTHON benchmarks/bench_queue_servers.py -d DATABASE [--scans 24]

DATABASE must have l10n_nl_scan_herken installed and is changed (use a copy,
e.g. the test command's scan_herken_test_work). Odoo runs a given cron in
one worker at a time, so a second server adds throughput only through
``odoo-bin scan-herken work``, which claims queued bills beside the cron.
This queues the same scans three times and drains them with: one ``work``
process with one reader; two such processes at once (as a second server
would); one process with two readers (the pool). It prints bills per second
and the ratios against the first, measured in the same run.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
ADDONS = f"--addons-path={ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{ROOT}"


def odoo(*args, **kwargs):
    return [sys.executable, f"{ODOO_PATH}/odoo-bin", ADDONS, *args]


def psql(database, query):
    return subprocess.run(
        ["psql", "-d", database, "-Atc", query], capture_output=True, text=True, check=True
    ).stdout.strip()


def queue(database, folder):
    psql(
        database,
        "UPDATE account_move SET l10n_nl_scan_state = 'failed' WHERE l10n_nl_scan_state IN ('queued', 'processing')",
    )
    subprocess.run(odoo("scan-herken", "import", "-d", database, str(folder)), check=True, capture_output=True)


def drain(database, processes, readers):
    psql(
        database,
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
        f"VALUES ('l10n_nl_scan_herken.reader_processes', '{readers}', now(), now()) "
        f"ON CONFLICT (key) DO UPDATE SET value = '{readers}'",
    )
    count = int(psql(database, "SELECT count(*) FROM account_move WHERE l10n_nl_scan_state = 'queued'"))
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            odoo("scan-herken", "work", "-d", database, "--once"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _i in range(processes)
    ]
    for worker in workers:
        worker.wait()
    return count / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scans", type=int, default=24)
    options = parser.parse_args()
    sys.path.insert(0, ODOO_PATH)
    sys.path.insert(0, str(ROOT / "tests_engine"))
    __import__("engine_loader").load()
    from scan_engine.samples.fixtures import make_spec
    from scan_engine.samples.render import image_bytes, render_pdf, scan

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for index in range(options.scans):
            spec = make_spec(60000 + index)
            image = scan(render_pdf(spec), 60000 + index, rotate=0, noise=False)
            (folder / f"scan{index:03d}.png").write_bytes(image_bytes(image, "PNG"))
        rates = {}
        for label, processes, readers in (
            ("one process, one reader", 1, 1),
            ("two processes (a second server), one reader each", 2, 1),
            ("one process, two readers", 1, 2),
        ):
            queue(options.database, folder)
            rates[label] = drain(options.database, processes, readers)
            print(f"{label}: {rates[label]:.2f} scans/s", flush=True)
    base = rates["one process, one reader"]
    for label, rate in rates.items():
        print(f"ratio {label} / one process, one reader = {rate / base:.2f}x")


if __name__ == "__main__":
    main()
