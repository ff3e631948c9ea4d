import logging
from concurrent import futures
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

LEASE_MINUTES = 10
MAX_ATTEMPTS = 3


class L10nNlScanQueue(models.AbstractModel):
    """Queued bills to read: claim one with a lease, send its document to a
    reader child, fill the bill when the reading is done, commit per
    document. Several workers (crons, `scan-herken work` servers) share the
    queue: each bill is claimed with FOR UPDATE SKIP LOCKED, and a crash
    loses at most the bills in hand, which are retried when their lease
    runs out."""

    _name = "l10n_nl_scan_herken.queue"
    _description = "Scan en herken queue"

    @api.model
    def _recognize(self, batch_size=20, companies=None):
        """Recognise queued bills (of ``companies`` only, when given): the
        pool's children read several documents at once while this thread
        fills each bill whose reading finished, in its own transaction."""
        pool = self.env["l10n_nl_scan_herken.reader"]._pool()
        moves = self.env["account.move"]
        in_flight = {}
        processed, exhausted = 0, False
        while True:
            while not exhausted and len(in_flight) < pool.size and processed + len(in_flight) < batch_size:
                move = self._claim(companies)
                if not move:
                    exhausted = True
                    break
                move = move._l10n_nl_scan_company_lang()
                started = self.with_env(move.env)._start(move)
                if started is None:
                    processed += 1
                else:
                    in_flight[started[1].future] = (move.id, *started)
            if not in_flight:
                break
            done, _pending = futures.wait(list(in_flight), return_when=futures.FIRST_COMPLETED)
            for future in done:
                move_id, job, reading = in_flight.pop(future)
                move = moves.browse(move_id)._l10n_nl_scan_company_lang()
                self.with_env(move.env)._finish(move, job, reading)
                processed += 1
        if not exhausted and companies is None and self._claimable_count():
            self.env.ref("l10n_nl_scan_herken.ir_cron_scan_recognize")._trigger()
        return processed

    @api.model
    def _claim(self, companies=None):
        """Lock the next claimable bill. The claim is the first statement of
        its own transaction: under Odoo's REPEATABLE READ a snapshot taken
        before another worker's commit makes FOR UPDATE fail, so such a
        failure means 'look again', not an error."""
        moves = self.env["account.move"]
        row = None
        for _attempt in range(5):
            moves._l10n_nl_scan_commit()
            moves.flush_model(["l10n_nl_scan_state", "l10n_nl_scan_lease", "company_id"])
            try:
                with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                    # ``companies``: only their bills (Fetch now by a user reads only what the user may see).
                    self.env.cr.execute(
                        """
                        SELECT id FROM account_move
                         WHERE (l10n_nl_scan_state = 'queued'
                            OR (l10n_nl_scan_state = 'processing' AND l10n_nl_scan_lease < now() at time zone 'utc'))
                           AND (%s OR company_id = ANY(%s))
                         ORDER BY id
                         LIMIT 1
                         FOR UPDATE SKIP LOCKED
                    """,
                        [companies is None, list(companies.ids) if companies is not None else []],
                    )
                    row = self.env.cr.fetchone()
                break
            except psycopg2.errors.SerializationFailure:
                continue
        if not row:
            return moves
        move = moves.browse(row[0])
        move._l10n_nl_scan_write(
            {
                "l10n_nl_scan_state": "processing",
                "l10n_nl_scan_attempts": move.l10n_nl_scan_attempts + 1,
                "l10n_nl_scan_lease": fields.Datetime.now() + timedelta(minutes=LEASE_MINUTES),
            }
        )
        # The next claim's SQL must see this one, committed or not (tests).
        move.flush_recordset()
        moves._l10n_nl_scan_commit()
        return move

    @api.model
    def _claimable_count(self):
        return self.env["account.move"].search_count([("l10n_nl_scan_state", "=", "queued")])

    @api.model
    def _start(self, move):
        """Hand a claimed bill's document to a reader child: (job, Future),
        or None when the bill is settled here already (given up after
        repeated crashes, or nothing to read)."""
        if move.l10n_nl_scan_attempts > MAX_ATTEMPTS:
            move._l10n_nl_scan_fail(
                _(
                    "Recognition was stopped %(count)s times before finishing; "
                    "the document is kept for manual booking.",
                    count=MAX_ATTEMPTS,
                )
            )
        else:
            try:
                return self._read(move)
            except Exception as exc:
                _logger.exception("Scan en herken: reading bill %s could not start", move.id)
                move._l10n_nl_scan_fail(_("Recognition failed: %(error)s", error=str(exc)))
        move._l10n_nl_scan_commit()
        return None

    @api.model
    def _finish(self, move, job, reading):
        """Fill the bill from one finished reading; whatever happens the
        bill ends recognised or failed with a note, never silently gone."""
        try:
            with self.env.cr.savepoint():
                self._fill(move, job, reading.result())
        except Exception as exc:
            _logger.exception("Scan en herken: recognising bill %s failed", move.id)
            move._l10n_nl_scan_fail(_("Recognition failed: %(error)s", error=str(exc)))
        move._l10n_nl_scan_commit()
        if move._can_commit():
            # A worker's memory stays flat over thousands of documents.
            self.env.invalidate_all()

    @api.model
    def _recognize_now(self, move):
        """Recognise the bill now (upload, Recognise again): the reading
        still happens in a child, under the same budget."""
        move.ensure_one()
        queue = self.with_env(move.env)  # the bill's language and company, for what the steps write
        job, reading = queue._read(move)
        return queue._fill(move, job, reading.result())

    @api.model
    def _read(self, move):
        """(job, Future of its Recognition): the bill's document handed to a reader child."""
        job = self._job(move)
        split = self._split_mode(move) if job["op"] == "recognize" else "none"
        return job, self.env["l10n_nl_scan_herken.reader"]._submit(
            job["op"], job["data"], job["name"], move.company_id, move.partner_id, split=split
        )

    @api.model
    def _split_mode(self, move):
        """How this bill's file may be split: its mailbox's setting, else the
        company's for uploads; a bill that is itself a part is not split again."""
        if move.l10n_nl_scan_part_of_id or move.l10n_nl_scan_keep_whole:
            return "none"
        server = move.l10n_nl_scan_mail_id.server_id
        return server.l10n_nl_scan_split if server else move.company_id.l10n_nl_scan_split

    @api.model
    def _job(self, move):
        """What to read for this bill: its e-invoice (alone or beside its
        PDF, read as the structured data it is), else its document, else
        its mail text."""
        move.ensure_one()
        xml = move._l10n_nl_scan_xml_attachment()
        if xml:
            return {"op": "recognize_xml", "attachment": xml, "data": xml.raw or b"", "name": xml.name or ""}
        attachment = move._l10n_nl_scan_document()
        if attachment:
            return {
                "op": "recognize",
                "attachment": attachment,
                "data": attachment.raw or b"",
                "name": attachment.name or "",
            }
        return {
            "op": "recognize_text",
            "attachment": None,
            "data": (move.l10n_nl_scan_text or "").encode(),
            "name": move.display_name,
        }

    @api.model
    def _fill(self, move, job, recognition):
        """Turn a reading into the bill: e-invoices through Odoo's decoders,
        a batch scan into a bill per invoice, everything else through the
        bill builder."""
        if job["op"] == "recognize_xml" or (recognition.source == "facturx" and not recognition.error):
            return self.env["l10n_nl_scan_herken.einvoice_import"]._fill_bill(move, job["attachment"], recognition)
        if len(recognition.parts) > 1 and job["attachment"]:
            return self.env["l10n_nl_scan_herken.intake"]._split(move, job["attachment"], recognition)
        return self.env["l10n_nl_scan_herken.bill_builder"]._fill_bill(move, recognition)
