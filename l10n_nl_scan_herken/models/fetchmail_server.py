import email
import email.policy
import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .received_mail import MailTakenBefore
from .res_company import SPLIT_MODES

_logger = logging.getLogger(__name__)

# Documents Fetch now recognises while the user waits; the cron takes the rest.
MANUAL_BATCH = 50

# First key of the PostgreSQL advisory lock a mailbox's fetch holds (the
# second is the mailbox's id); any constant no other addon uses.
FETCH_LOCK = 0x5CA4


class FetchmailServer(models.Model):
    """A mailbox used only for purchase invoices: what arrives becomes draft
    bills in one purchase journal, and each mail moves to a 'done' folder
    once its bills are committed."""

    _inherit = "fetchmail.server"

    l10n_nl_scan_journal_id = fields.Many2one(
        "account.journal",
        string="Vendor bills journal",
        domain=[("type", "=", "purchase")],
        help="Inbox type 'Vendor bills': every attachment becomes a draft bill in this journal.",
    )
    l10n_nl_scan_split = fields.Selection(
        SPLIT_MODES,
        string="Split batch scans",
        default="none",
        required=True,
        help="A scan of a stack of invoices becomes one bill per invoice: at blank or separator pages (the "
        "separator text is set in Settings), or also where a page starts a new invoice.",
    )
    l10n_nl_scan_company_id = fields.Many2one(related="l10n_nl_scan_journal_id.company_id", string="Bills company")
    l10n_nl_scan_done_folder = fields.Char(
        string="Folder for processed mail",
        default="Afgerond",
        help="IMAP folder the mail moves to once its bills exist; created when missing.",
    )

    @api.model
    def _fetch_mails(self):
        # EXTENDS mail: scan en herken inboxes are fetched by their own cron.
        return self.search(
            [("state", "=", "done"), ("server_type", "!=", "local"), ("l10n_nl_scan_journal_id", "=", False)]
        ).fetch_mail(raise_exception=False)

    def fetch_mail(self, raise_exception=True):
        # EXTENDS mail
        scan = self.filtered("l10n_nl_scan_journal_id")
        for server in scan:
            server._l10n_nl_scan_fetch(raise_exception)
        return super(FetchmailServer, self - scan).fetch_mail(raise_exception=raise_exception)

    @api.model
    def _cron_l10n_nl_scan_fetch(self):
        servers = self.search([("state", "=", "done"), ("l10n_nl_scan_journal_id", "!=", False)])
        for server in servers:
            server._l10n_nl_scan_fetch(raise_exception=False)
        if servers:
            self.env.ref("l10n_nl_scan_herken.ir_cron_scan_recognize")._trigger()

    @api.model
    def _l10n_nl_scan_fetch_now(self, companies):
        """Fetch now in To process: read the mailboxes of these companies,
        recognise what is waiting for them, and say what happened."""
        messages, kind = self._l10n_nl_scan_fetch_for(companies)
        recognised = self.env["account.move"]._cron_l10n_nl_scan_recognize(batch_size=MANUAL_BATCH, companies=companies)
        messages.append(_("%(count)s document(s) recognised.", count=recognised))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Fetch now"),
                "message": "\n".join(messages),
                "type": kind,
                "sticky": kind == "warning",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _l10n_nl_scan_fetch_for(self, companies):
        """Fetch now: the vendor-bills mailboxes of these companies; (sentences, notification kind)."""
        # sudo: mail servers are Settings records; an accounting user fetches the vendor-bills mailboxes of
        # the companies they work in, nothing else (what a mail brings is read as by the scheduled fetch).
        servers = self.sudo().search(
            [("state", "=", "done"), ("l10n_nl_scan_journal_id.company_id", "in", companies.ids)]
        )
        messages, kind = [], "success"
        if not servers:
            kind = "warning"
            messages.append(
                _(
                    "No vendor-bills mailbox is set up for this company: add an incoming mail server "
                    "with a purchase journal on its Scan en herken tab (Settings, Technical, Incoming "
                    "Mail Servers)."
                )
            )
        for server in servers:
            fetched = server._l10n_nl_scan_fetch(raise_exception=True)
            if fetched is None:
                kind = "warning"
                messages.append(
                    _(
                        "%(server)s is already being fetched (by the scheduled fetch or another user); "
                        "its mail appears here shortly.",
                        server=server.name,
                    )
                )
            else:
                messages.append(_("%(server)s: %(count)s mail(s) fetched.", server=server.name, count=fetched[0]))
        return messages, kind

    def _l10n_nl_scan_fetch(self, raise_exception=True):
        """Store every waiting mail as queued bills and move it away once
        they are committed. Only one fetch per mailbox runs at a time (a
        PostgreSQL advisory lock, held by this connection across the fetch's
        commits and freed if the process dies). Returns (mails taken, mails
        failed), or None when another fetch of this mailbox is running."""
        self.ensure_one()
        if not self._l10n_nl_scan_lock():
            _logger.info("Scan en herken: %s is already being fetched", self.name)
            return None
        connection = None
        count = failed = 0
        try:
            connection = self.connect()
            if self._get_connection_type() == "imap":
                count, failed = self._l10n_nl_scan_fetch_imap(connection)
            else:
                count, failed = self._l10n_nl_scan_fetch_pop(connection)
        except Exception as exc:
            _logger.info("Scan en herken: fetching %s failed", self.name, exc_info=True)
            if raise_exception:
                raise UserError(
                    _("Fetching mail from %(server)s failed: %(error)s", server=self.name, error=str(exc))
                ) from exc
        finally:
            self._l10n_nl_scan_close(connection)
            self._l10n_nl_scan_unlock()
        self.write({"date": fields.Datetime.now()})
        _logger.info("Scan en herken: %s mail(s) from %s, %s failed", count, self.name, failed)
        return count, failed

    def _l10n_nl_scan_lock(self):
        self.env.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (FETCH_LOCK, self.id))
        return self.env.cr.fetchone()[0]

    def _l10n_nl_scan_unlock(self):
        try:
            self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", (FETCH_LOCK, self.id))
        except psycopg2.Error:  # the connection is gone, and the lock with it
            _logger.info("Scan en herken: releasing the fetch lock of %s failed", self.name, exc_info=True)

    def _l10n_nl_scan_take(self, raw):
        """Take one mail in; True when its bills are stored (or were before),
        False when it must stay in the mailbox for the next fetch."""
        journal = self.l10n_nl_scan_journal_id
        intake = self.env["l10n_nl_scan_herken.intake"].with_context(
            lang=journal.company_id.partner_id.lang or self.env.lang
        )
        try:
            with self.env.cr.savepoint():
                bills = intake._intake_mail(raw, journal, self)
                # sudo: received mails are written by scan en herken only; the note goes on the mail's own bills.
                bills.l10n_nl_scan_mail_id.sudo()._note_reused_message_id()
            return True
        except MailTakenBefore:
            _logger.info("Scan en herken: a mail on %s was taken in before (by an earlier version)", self.name)
            return True
        except psycopg2.errors.UniqueViolation:
            # Another process took this very mail in at the same moment; it moves the mail.
            _logger.info("Scan en herken: a mail on %s was taken in by another fetch", self.name)
            return False
        except Exception:
            _logger.exception("Scan en herken: a mail on %s could not be taken in", self.name)
            return False

    def _l10n_nl_scan_fetch_imap(self, imap):
        folder = self.l10n_nl_scan_done_folder or "Afgerond"
        imap.create(folder)  # an existing folder answers NO, which is fine
        imap.select("INBOX")
        # A mail marked deleted was moved already (a crash before its expunge).
        _typ, data = imap.uid("search", None, "UNDELETED")
        count = failed = 0
        for uid in data[0].split():
            _typ, fetched = imap.uid("fetch", uid, "(RFC822)")
            raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
            if raw is None:
                continue
            count += 1
            known = self._l10n_nl_scan_known(raw)
            if not self._l10n_nl_scan_take(raw):
                failed += 1
                continue
            self.env["account.move"]._l10n_nl_scan_commit()
            self._l10n_nl_scan_release_cache()
            # Only now, with the bills safely stored, does the mail leave the inbox. A mail taken in
            # before may be in the done folder already: a fetch killed mid-MOVE leaves the server
            # finishing that move while the next fetch still sees the mail in the inbox.
            if known and self._l10n_nl_scan_in_folder(imap, folder, raw):
                self._l10n_nl_scan_delete(imap, uid)
            else:
                self._l10n_nl_scan_move(imap, uid, folder)
        return count, failed

    def _l10n_nl_scan_known(self, raw):
        """Whether this mail was taken in before (its key is stored)."""
        try:
            message = email.message_from_bytes(raw, policy=email.policy.SMTP)
            message_id = str(message.get("Message-Id") or "")
        except Exception:  # a mail Python cannot parse is keyed by its bytes alone
            message_id = ""
        key = self.env["l10n_nl_scan_herken.received_mail"]._message_key(message_id, raw)
        company = self.l10n_nl_scan_journal_id.company_id
        return self.env["l10n_nl_scan_herken.intake"]._taken(key, company) is not None

    def _l10n_nl_scan_in_folder(self, imap, folder, raw):
        """Whether ``folder`` holds this very mail: searched read-only by its
        Message-ID (else its subject), then compared by key."""
        Mail = self.env["l10n_nl_scan_herken.received_mail"]

        def key_of(data):
            message = email.message_from_bytes(data, policy=email.policy.SMTP)
            return Mail._message_key(str(message.get("Message-Id") or ""), data), message

        try:
            wanted, message = key_of(raw)
            message_id = str(message.get("Message-Id") or "").strip()
            header, value = ("Message-ID", message_id) if message_id else ("Subject", str(message.get("Subject") or ""))
        except Exception:  # a mail Python cannot parse: moved as always
            return False
        if not value.strip():
            return False
        quoted = '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'
        try:
            imap.select(folder, readonly=True)
            _typ, data = imap.uid("search", None, "HEADER", header, quoted)
            for uid in (data[0] or b"").split():
                _typ, fetched = imap.uid("fetch", uid, "(RFC822)")
                other = next((part[1] for part in fetched if isinstance(part, tuple)), None)
                if other is not None and key_of(other)[0] == wanted:
                    return True
            return False
        except Exception:  # a server that cannot search: moved as always
            _logger.info("Scan en herken: searching %s on %s failed", folder, self.name, exc_info=True)
            return False
        finally:
            imap.select("INBOX")

    def _l10n_nl_scan_delete(self, imap, uid):
        """Remove one mail from the inbox (it is in the done folder already)."""
        capabilities = {c.upper() for c in getattr(imap, "__obj__", imap).capabilities}
        imap.uid("store", uid, "+FLAGS", "(\\Deleted)")
        if "UIDPLUS" in capabilities:
            imap.uid("expunge", uid)
        else:
            imap.expunge()

    def _l10n_nl_scan_move(self, imap, uid, folder):
        """Move one mail at once (RFC 6851 MOVE, else copy, flag and expunge
        that one mail), so a crash later in the fetch re-reads nothing."""
        # Odoo's connection wraps imaplib's, which read the server's capabilities at login.
        capabilities = {c.upper() for c in getattr(imap, "__obj__", imap).capabilities}
        if "MOVE" in capabilities:
            imap.uid("move", uid, folder)
            return
        if imap.uid("copy", uid, folder)[0] != "OK":
            return
        imap.uid("store", uid, "+FLAGS", "(\\Deleted)")
        if "UIDPLUS" in capabilities:
            imap.uid("expunge", uid)
        else:
            imap.expunge()

    def _l10n_nl_scan_fetch_pop(self, pop):
        """POP3 deletes only at the end of the session: a mail read again
        after a crash is recognised by its key and makes no second bill."""
        count = failed = 0
        number, _size = pop.stat()
        for index in range(1, number + 1):
            _resp, lines, _octets = pop.retr(index)
            count += 1
            if not self._l10n_nl_scan_take(b"\r\n".join(lines) + b"\r\n"):
                failed += 1
                continue
            self.env["account.move"]._l10n_nl_scan_commit()
            self._l10n_nl_scan_release_cache()
            pop.dele(index)
        return count, failed

    def _l10n_nl_scan_release_cache(self):
        """After a commit, forget cached attachment data: a large fetch must
        not grow the worker's memory."""
        if self.env["account.move"]._can_commit():
            self.env.invalidate_all()

    def _l10n_nl_scan_close(self, connection):
        if not connection:
            return
        try:
            if self._get_connection_type() == "imap":
                connection.logout()
            else:
                connection.quit()
        except Exception:
            _logger.info("Closing the connection to %s failed", self.name, exc_info=True)
