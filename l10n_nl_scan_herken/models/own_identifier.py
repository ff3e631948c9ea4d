from odoo import api, fields, models

from ..engine.recognizers.identifiers import normalize_identifier


class L10nNlScanOwnIdentifier(models.Model):
    """Extra identifiers of the own company (a second bank account, an old VAT
    number, a trade name's KVK): recognition must never take them for the
    supplier's, exactly like the company's own VAT, KVK and bank accounts."""

    _name = "l10n_nl_scan_herken.own_identifier"
    _description = "Own identifier ignored by scan en herken"
    _order = "company_id, identifier_type, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    identifier_type = fields.Selection(
        [
            ("iban", "IBAN"),
            ("vat", "VAT number"),
            ("kvk", "KvK number"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="iban",
    )
    value = fields.Char(required=True)
    normalized_value = fields.Char(compute="_compute_normalized_value", store=True, index=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "unique_identifier",
            "unique(company_id, identifier_type, normalized_value)",
            "This identifier is already listed for this company.",
        ),
    ]

    @api.depends("identifier_type", "value")
    def _compute_normalized_value(self):
        for record in self:
            record.normalized_value = normalize_identifier(record.identifier_type, record.value or "")
