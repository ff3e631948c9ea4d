"""150 mails through a real Dovecot, fetched by two Odoo workers at once;
one worker is killed and PostgreSQL is restarted mid-run, then a fresh
worker finishes. Every document gives exactly one bill, nothing is lost,
and every mail lands once in Afgerond."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import render_pdf
from workers import run_shell, shell, sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "l10n_nl_scan_herken" / "tests"))
from dovecot import PASSWORD, USER, Dovecot
from mails import invoice_mail, pdf

MAILS = 150
SUBJECT = "Eenmaal"

SETUP = """
journal = env['account.journal'].search([('type', '=', 'purchase'), ('company_id', '=', env.company.id)], limit=1)
server = env['fetchmail.server'].create({{
    'name': 'Eenmaal', 'server_type': 'imap', 'server': '127.0.0.1', 'port': {port}, 'is_ssl': False,
    'user': '{user}', 'password': '{password}', 'state': 'done', 'l10n_nl_scan_journal_id': journal.id}})
env.cr.commit()
print('SERVER', server.id)
"""

# What the cron does, in a loop, until the mailbox and the queue stay empty.
WORKER = """
import time
server = env['fetchmail.server'].browse({server_id})
idle = 0
while idle < {idle}:
    fetched = server._l10n_nl_scan_fetch(raise_exception=False)
    env.cr.commit()
    recognised = env['account.move']._cron_l10n_nl_scan_recognize(batch_size=10)
    env.cr.commit()
    idle = 0 if recognised or (fetched and fetched[0]) else idle + 1
    time.sleep(0.1)
print('DONE', flush=True)
"""


def bill_count(work_db):
    return int(
        sql(
            work_db,
            "SELECT count(*) FROM account_move m JOIN l10n_nl_scan_herken_received_mail r "
            f"ON r.id = m.l10n_nl_scan_mail_id WHERE r.subject LIKE '{SUBJECT} %'",
        )
    )


def wait_for(work_db, count, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if bill_count(work_db) >= count:
                return
        except subprocess.CalledProcessError:  # PostgreSQL is restarting
            pass
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} bills after {timeout} s")


def restart_postgresql():
    cluster = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    subprocess.run(["pg_ctlcluster", cluster[0], cluster[1], "restart", "-m", "fast"], check=True)
    for _i in range(100):
        if subprocess.run(["pg_isready", "-q"], check=False).returncode == 0:
            return
        time.sleep(0.1)
    raise AssertionError("PostgreSQL did not come back")


def test_150_mails_two_workers_one_killed_postgresql_restarted(work_db):
    dovecot = Dovecot().start()
    try:
        documents = {}
        for index in range(MAILS):
            files = [pdf(f"e{index}.pdf", render_pdf(make_spec(7000 + index, credit=False)))]
            if index % 10 == 0:  # every tenth mail carries two invoices: two bills
                files.append(pdf(f"e{index}b.pdf", render_pdf(make_spec(9000 + index, credit=False))))
            mail = invoice_mail(files, subject=f"{SUBJECT} {index}")
            if index % 25 == 0:
                del mail["Message-ID"]  # identified by a hash of the raw mail
            documents[f"{SUBJECT} {index}"] = len(files)
            dovecot.append(mail)
        expected = sum(documents.values())

        out = run_shell(work_db, SETUP.format(port=dovecot.imap_port, user=USER, password=PASSWORD))
        server_id = int(out.split("SERVER")[1].split()[0])
        workers = [
            shell(work_db, WORKER.format(server_id=server_id, idle=20), start_new_session=True) for _i in range(2)
        ]
        for process, script in workers:
            process.stdin.write(script)
            process.stdin.close()

        wait_for(work_db, expected // 5)
        os.killpg(workers[0][0].pid, signal.SIGKILL)  # a worker dies mid-fetch or mid-recognition
        assert dovecot.count("INBOX") > 0, "the kill must strike mid-run"
        wait_for(work_db, expected // 2)
        assert dovecot.count("INBOX") > 0, "the restart must strike mid-run"
        restart_postgresql()  # every connection drops, the other worker with it
        for process, _script in workers:
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

        # The bills the dead worker held are retried once their lease ends.
        sql(
            work_db,
            "UPDATE account_move SET l10n_nl_scan_lease = now() at time zone 'utc' - interval '1 minute' "
            "WHERE l10n_nl_scan_state = 'processing'",
        )
        run_shell(work_db, WORKER.format(server_id=server_id, idle=3), timeout=600)

        per_mail = dict(
            line.split("|")
            for line in sql(
                work_db,
                (
                    "SELECT r.subject, count(m.id) FROM l10n_nl_scan_herken_received_mail r "
                    "LEFT JOIN account_move m ON m.l10n_nl_scan_mail_id = r.id "
                    f"WHERE r.subject LIKE '{SUBJECT} %' GROUP BY r.subject"
                ),
            ).splitlines()
        )
        assert {subject: int(count) for subject, count in per_mail.items()} == documents
        assert bill_count(work_db) == expected
        states = sql(
            work_db,
            "SELECT DISTINCT m.l10n_nl_scan_state FROM account_move m JOIN "
            "l10n_nl_scan_herken_received_mail r ON r.id = m.l10n_nl_scan_mail_id "
            f"WHERE r.subject LIKE '{SUBJECT} %'",
        )
        assert states.split() == ["done"]
        assert dovecot.count("INBOX") == 0
        assert dovecot.count("Afgerond") == MAILS
    finally:
        dovecot.stop()
