"""The recognition queue with real worker processes: a worker killed
mid-batch loses nothing and doubles nothing; two workers never take the
same document. Also the command-line bulk import."""

import os
import signal
import subprocess
import time

from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import render_pdf
from workers import odoo_cmd, run_shell, shell, sql

QUEUE_SCRIPT = """
import time
Queue = type(env['l10n_nl_scan_herken.queue'])
original = Queue._finish
def slow(self, *args):
    time.sleep({delay})
    return original(self, *args)
Queue._finish = slow
while env['account.move']._cron_l10n_nl_scan_recognize(batch_size=100):
    pass
print('DONE', flush=True)
"""


def make_folder(tmp_path, count, seed):
    folder = tmp_path / f"scans{seed}"
    folder.mkdir()
    for index in range(count):
        (folder / f"{index:03d}.pdf").write_bytes(render_pdf(make_spec(seed + index, credit=False)))
    return folder


def import_folder(work_db, folder, *extra):
    return subprocess.run(
        odoo_cmd(work_db, "scan-herken", "import", *extra, str(folder)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def states(work_db, marker):
    rows = sql(
        work_db,
        "SELECT m.l10n_nl_scan_state, count(*) FROM account_move m JOIN ir_attachment a "
        "ON a.id = m.message_main_attachment_id "
        f"WHERE a.name LIKE '{marker}%' GROUP BY 1",
    )
    return dict(line.split("|") for line in rows.splitlines() if line)


def reset_queue(work_db):
    """Leave no queued bill of an earlier test for these workers to take."""
    sql(
        work_db,
        "UPDATE account_move SET l10n_nl_scan_state = 'failed' WHERE l10n_nl_scan_state IN ('queued', 'processing')",
    )


def test_cli_import_folder_and_recognize(work_db, tmp_path):
    reset_queue(work_db)
    folder = make_folder(tmp_path, 3, 300)
    (folder / "notes.txt").write_text("geen factuur")
    proc = import_folder(work_db, folder, "--recognize")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "4 file(s) read, 4 draft bill(s) made, 0 unreadable, 0 skipped." in proc.stdout
    refs = sql(
        work_db,
        "SELECT ref FROM account_move m JOIN ir_attachment a ON a.id = m.message_main_attachment_id "
        "WHERE a.name LIKE '00_.pdf' AND m.l10n_nl_scan_state = 'done' ORDER BY a.name",
    )
    expected = [make_spec(300 + i, credit=False).expected["invoice_number"] for i in range(3)]
    assert all(number in refs.splitlines() for number in expected)
    assert sql(
        work_db,
        "SELECT l10n_nl_scan_error FROM account_move WHERE l10n_nl_scan_state = 'failed' "
        "AND l10n_nl_scan_error LIKE 'This file is not%' LIMIT 1",
    )


def test_killed_worker_loses_and_doubles_nothing(work_db, tmp_path):
    reset_queue(work_db)
    folder = make_folder(tmp_path, 10, 400)
    for path in folder.iterdir():
        path.rename(path.with_name("kill-" + path.name))
    proc = import_folder(work_db, folder)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert states(work_db, "kill-") == {"queued": "10"}
    worker, script = shell(work_db, QUEUE_SCRIPT.format(delay=0.3), start_new_session=True)
    worker.stdin.write(script)
    worker.stdin.close()
    deadline = time.time() + 120
    while time.time() < deadline and int(states(work_db, "kill-").get("done", 0)) < 3:
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    after_kill = states(work_db, "kill-")
    assert int(after_kill.get("done", 0)) >= 3
    assert int(after_kill.get("queued", 0)) > 0
    # In hand at the kill: the documents its reader pool was reading.
    in_hand = int(after_kill.get("processing", 0))
    assert 1 <= in_hand <= os.cpu_count()
    # The next run finishes the queue; a document in hand of the dead worker
    # waits for its lease, then is retried once.
    run_shell(work_db, QUEUE_SCRIPT.format(delay=0))
    sql(
        work_db,
        "UPDATE account_move SET l10n_nl_scan_lease = now() at time zone 'utc' - interval '1 minute' "
        "WHERE l10n_nl_scan_state = 'processing'",
    )
    run_shell(work_db, QUEUE_SCRIPT.format(delay=0))
    assert states(work_db, "kill-") == {"done": "10"}
    attempts = sql(
        work_db,
        "SELECT m.l10n_nl_scan_attempts FROM account_move m JOIN ir_attachment a "
        "ON a.id = m.message_main_attachment_id WHERE a.name LIKE 'kill-%'",
    ).split()
    assert len(attempts) == 10
    assert sum(int(a) > 1 for a in attempts) == in_hand


def test_two_workers_share_the_queue(work_db, tmp_path):
    reset_queue(work_db)
    folder = make_folder(tmp_path, 16, 500)
    for path in folder.iterdir():
        path.rename(path.with_name("duo-" + path.name))
    assert import_folder(work_db, folder).returncode == 0
    workers = [shell(work_db, QUEUE_SCRIPT.format(delay=0.05)) for _i in range(2)]
    for process, script in workers:
        process.stdin.write(script)
        process.stdin.close()
    outputs = [process.stdout.read() for process, _s in workers]
    for process, _s in workers:
        assert process.wait(300) == 0, process.stderr.read()[-3000:]
    assert all("DONE" in out for out in outputs)
    assert states(work_db, "duo-") == {"done": "16"}
    attempts = sql(
        work_db,
        "SELECT m.l10n_nl_scan_attempts FROM account_move m JOIN ir_attachment a "
        "ON a.id = m.message_main_attachment_id WHERE a.name LIKE 'duo-%'",
    ).split()
    assert attempts == ["1"] * 16


def test_cli_import_never_follows_a_link_out_of_its_folder(work_db, tmp_path):
    """A link in a scanned folder to /etc/passwd is skipped and named; an
    empty and an unreadable file each become a draft with a note; the
    summary accounts for every file."""
    reset_queue(work_db)
    outside = tmp_path / "geheim.txt"
    outside.write_text("root:x:0:0")
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "link-passwd.pdf").symlink_to("/etc/passwd")
    (folder / "link-geheim.pdf").symlink_to(outside)
    (folder / "link-map").symlink_to(tmp_path, target_is_directory=True)
    (folder / "cli-echt.pdf").write_bytes(render_pdf(make_spec(310, credit=False)))
    (folder / "link-binnen.pdf").symlink_to(folder / "cli-echt.pdf")
    (folder / "cli-leeg.pdf").write_bytes(b"")
    (folder / "cli-weg.pdf").symlink_to(folder / "verdwenen.pdf")  # inside the folder, but gone
    proc = import_folder(work_db, folder)
    assert "link-passwd.pdf: skipped, a link to a file outside the folder, not followed" in proc.stdout
    assert "link-geheim.pdf: skipped, a link to a file outside the folder, not followed" in proc.stdout
    assert "link-map: skipped, a link to a folder, not followed" in proc.stdout
    assert "root:x" not in sql(work_db, "SELECT string_agg(name, ',') FROM ir_attachment WHERE name LIKE 'link-%'")
    notes = sql(
        work_db, "SELECT l10n_nl_scan_error FROM account_move WHERE l10n_nl_scan_error LIKE '%cli-%' ORDER BY id"
    )
    assert "The file cli-leeg.pdf could not be read: the file is empty (0 bytes)." in notes
    assert "The file cli-weg.pdf could not be read: No such file or directory." in notes
    assert "cli-weg.pdf: cannot be read (No such file or directory); a draft bill holds the note" in proc.stdout
    assert sql(work_db, "SELECT count(*) FROM ir_attachment WHERE name = 'link-binnen.pdf'") == "1"
    assert "3 skipped." in proc.stdout
    assert proc.returncode == 1
