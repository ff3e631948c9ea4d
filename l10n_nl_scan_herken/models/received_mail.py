import hashlib
import logging
import re

from odoo import _, api, fields, models
from odoo.tools.misc import format_datetime

_logger = logging.getLogger(__name__)

# The headers that, with the body, make a mail's content: trace headers
# (Received:, DKIM and spam verdicts) differ when the same mail comes in
# twice through different paths, these do not.
CONTENT_HEADERS = (b"subject", b"from", b"date")
HEADER_END = re.compile(rb"\r?\n\r?\n")
HEADER_LINE = re.compile(rb"\r?\n(?![ \t])")  # a line starting with a blank continues the header above
CONTENT_KEY = re.compile(r"(?P<message_id>.+) sha256:[0-9a-f]{64}", re.DOTALL)


class MailTakenBefore(Exception):
    """The mail was taken in before its key held a content hash; the fetch
    moves it to the done folder like any mail taken before."""


class L10nNlScanReceivedMail(models.Model):
    """One mail taken in by a vendor-bills mailbox. Its key is unique per
    company in the database, so two fetches racing for one mail, or a mail
    read again after a crash, can never make a second set of bills.

    The key is the Message-ID followed by a hash of the mail's content (see
    ``_content_hash``), not the Message-ID alone: a sender decides the
    Message-ID, and a second, different mail with one already used (a broken
    mailer, or an attacker making a real invoice vanish) must become bills
    of its own, with a note, rather than count as read. A mail without a
    Message-ID is keyed by a hash of its raw bytes.

    Keys stored before this (the bare Message-ID) stay as they are; ``create``
    recognises such a mail read again by its Subject and From and refuses it
    with MailTakenBefore, so an upgrade never takes an old mail in twice."""

    _name = "l10n_nl_scan_herken.received_mail"
    _description = "Scan en herken received mail"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    message_key = fields.Char(
        string="Mail key",
        required=True,
        readonly=True,
        help="The mail's Message-ID with a hash of its content, or a hash of the whole mail when it has no Message-ID.",
    )
    message_id = fields.Char(string="Message-ID", compute="_compute_message_id", store=True, index=True)
    earlier_mail_id = fields.Many2one(
        "l10n_nl_scan_herken.received_mail",
        string="Earlier mail with this Message-ID",
        readonly=True,
        ondelete="set null",
        help="A different mail taken in before with the same Message-ID: check this mail's bills are genuine.",
    )
    server_id = fields.Many2one("fetchmail.server", string="Mailbox", readonly=True, ondelete="set null")
    subject = fields.Char(readonly=True)
    email_from = fields.Char(string="From", readonly=True)
    date = fields.Datetime(string="Received", readonly=True)
    bill_ids = fields.One2many("account.move", "l10n_nl_scan_mail_id", string="Bills", readonly=True)

    _sql_constraints = [
        (
            "message_key_company_uniq",
            "unique(company_id, message_key)",
            "This mail was already taken in for this company.",
        ),
    ]

    @api.depends("message_key")
    def _compute_message_id(self):
        for mail in self:
            key = mail.message_key or ""
            match = CONTENT_KEY.fullmatch(key)
            if match:
                mail.message_id = match["message_id"]
            elif key.startswith("sha256:"):  # a mail without Message-ID
                mail.message_id = False
            else:  # stored before keys held a content hash: the bare Message-ID
                mail.message_id = key

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_taken_before(vals)
        return super().create(vals_list)

    def _message_key(self, message_id, raw):
        """The Message-ID with a hash of the mail's content, or a hash of the
        raw bytes of a mail without one (the same mail read twice hashes the
        same). Only the mail's bytes go in: two fetches racing for a mail
        compute the same key, and the unique constraint lets one of them win."""
        message_id = (message_id or "").strip()
        if not message_id:
            return "sha256:" + hashlib.sha256(raw).hexdigest()
        return f"{message_id} sha256:{self._content_hash(raw)}"

    @api.model
    def _content_hash(self, raw):
        """A hash of what makes the mail this mail: the body (everything
        after the header block) and the Subject, From and Date headers. The
        same mail delivered again through another path, with other Received:
        headers, other line ends or headers folded anew, hashes the same; a
        mail with any other text, attachment, subject, sender or date not."""
        end = HEADER_END.search(raw)
        head, body = (raw[: end.start()], raw[end.end() :]) if end else (raw, b"")
        values = {}
        for line in HEADER_LINE.split(head):
            name, colon, value = line.partition(b":")
            name = name.strip().lower()
            if colon and name in CONTENT_HEADERS and name not in values:
                values[name] = b" ".join(value.split())
        digest = hashlib.sha256()
        for name in CONTENT_HEADERS:
            digest.update(name + b": " + values.get(name, b"") + b"\n")
        digest.update(b"\n" + body.replace(b"\r\n", b"\n").rstrip(b"\n"))
        return digest.hexdigest()

    def _check_taken_before(self, vals):
        """Raise MailTakenBefore for a mail stored under its bare Message-ID
        before keys held a content hash: a received mail with that key, the
        same Subject and From (the content hash of such a mail is unknown),
        or a bill from before received mails were kept."""
        match = CONTENT_KEY.fullmatch(vals.get("message_key") or "")
        if not match:
            return
        company_id, message_id = vals.get("company_id"), match["message_id"]
        old = self.search([("company_id", "=", company_id), ("message_key", "=", message_id)])
        same = old.filtered(
            lambda mail: (
                (mail.subject or "", mail.email_from or "") == (vals.get("subject") or "", vals.get("email_from") or "")
            )
        )
        if same:
            raise MailTakenBefore(message_id)
        # sudo: only counts bills of this company carrying this key, from the mail's own bytes; no user data decides it.
        if not old and self.env["account.move"].sudo().search_count(
            [
                ("company_id", "=", company_id),
                ("l10n_nl_scan_message_id", "=", message_id),
                ("l10n_nl_scan_mail_id", "=", False),
            ],
            limit=1,
        ):
            raise MailTakenBefore(message_id)

    def _note_reused_message_id(self):
        """On each bill of a mail whose Message-ID an earlier, different mail
        of its company already had: say so in the chatter, naming that mail,
        so the bookkeeper checks the bill is no forgery or copy. Once per
        mail (earlier_mail_id marks it), however often the mail is read."""
        for mail in self.filtered(lambda m: m.message_id and not m.earlier_mail_id):
            earlier = self.search(
                [("company_id", "=", mail.company_id.id), ("message_id", "=", mail.message_id), ("id", "<", mail.id)],
                order="id",
                limit=1,
            )
            if not earlier:
                continue
            mail.earlier_mail_id = earlier
            _logger.warning(
                "Scan en herken: received mail %s reuses the Message-ID of received mail %s", mail.id, earlier.id
            )
            note = _(
                "The Message-ID of this mail, %(message_id)s, was already used by an earlier, different mail: "
                "%(subject)s, received %(date)s. Check that this bill is genuine and not a copy of that mail's "
                "invoice.",
                message_id=mail.message_id,
                subject=earlier.subject or _("(no subject)"),
                date=format_datetime(self.env, earlier.date or earlier.create_date),
            )
            for bill in mail.bill_ids:
                bill.message_post(body=note, subtype_xmlid="mail.mt_note")
