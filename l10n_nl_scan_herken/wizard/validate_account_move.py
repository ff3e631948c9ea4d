from markupsafe import Markup

from odoo import api, fields, models


class ValidateAccountMove(models.TransientModel):
    """Odoo's "Confirm Entries" dialog, which already stops a bill with an
    abnormal amount or date, also lists the bills' open scan en herken
    warnings, so Confirm never posts a bill with a red warning without a word."""

    _inherit = "validate.account.move"

    l10n_nl_scan_warning_html = fields.Html(
        string="Open warnings", compute="_compute_l10n_nl_scan_warning_html", sanitize=False
    )

    @api.depends("move_ids")
    def _compute_l10n_nl_scan_warning_html(self):
        for wizard in self:
            moves = wizard.move_ids.filtered("l10n_nl_scan_warning_count")
            wizard.l10n_nl_scan_warning_html = (
                Markup().join(
                    Markup("<p class='mb-1'><strong>%s</strong></p>%s")
                    % (move.partner_id.display_name or move.name or move.ref or "/", move.l10n_nl_scan_warning_html)
                    for move in moves
                )
                or False
            )
