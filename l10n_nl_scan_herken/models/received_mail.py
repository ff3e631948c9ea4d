import hashlib

from odoo import fields, models


class L10nNlScanReceivedMail(models.Model):
    """One mail taken in by a vendor-bills mailbox. Its key (the Message-ID,
    else a hash of the raw mail) is unique per company in the database, so
    two fetches racing for one mail, or a mail read again after a crash,
    can never make a second set of bills."""

    _name = "l10n_nl_scan_herken.received_mail"
    _description = "Scan en herken received mail"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    message_key = fields.Char(string="Message-ID", required=True, readonly=True,
                              help="The mail's Message-ID, or a hash of the whole mail when it has none.")
    server_id = fields.Many2one("fetchmail.server", string="Mailbox", readonly=True, ondelete="set null")
    subject = fields.Char(readonly=True)
    email_from = fields.Char(string="From", readonly=True)
    date = fields.Datetime(string="Received", readonly=True)
    bill_ids = fields.One2many("account.move", "l10n_nl_scan_mail_id", string="Bills", readonly=True)

    _sql_constraints = [
        ("message_key_company_uniq", "unique(company_id, message_key)",
         "This mail was already taken in for this company."),
    ]

    def _message_key(self, message_id, raw):
        """The Message-ID as received, or a hash of the raw bytes of a mail
        without one (the same mail read twice hashes the same)."""
        return (message_id or "").strip() or "sha256:" + hashlib.sha256(raw).hexdigest()
