from markupsafe import Markup

from odoo import _, api, fields, models

from ..tools import engine_messages, markup
from .mask_test import check_sources


class L10nNlScanMaskCheck(models.TransientModel):
    """Check masks: the supplier's masks run again on its last posted bills
    (from the words kept, no second OCR), with every field where they now
    read something else than was booked, so a mask change cannot silently
    break an earlier layout."""

    _name = "l10n_nl_scan_herken.mask_check"
    _description = "Scan en herken: check masks"

    partner_id = fields.Many2one("res.partner", string="Supplier", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    result_html = fields.Html(string="Result", compute="_compute_result_html", sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        checks = super().create(vals_list)
        check_sources(checks)
        return checks

    def write(self, vals):
        result = super().write(vals)
        check_sources(self)
        return result

    @api.depends("partner_id", "company_id")
    def _compute_result_html(self):
        names = dict(self.env["l10n_nl_scan_herken.mask"]._fields["field"]._description_selection(self.env))
        for check in self:
            rows, checked = self.env["l10n_nl_scan_herken.mask_learning"]._check(check.partner_id, check.company_id)
            if not checked:
                check.result_html = Markup("<p class='text-muted'>%s</p>") % _(
                    "The supplier has no posted bills read by scan en herken to check the masks on."
                )
                continue
            head = Markup("<p>%s</p>") % (
                _("The masks read what was booked on all %(count)s bills checked.", count=checked)
                if not rows
                else _(
                    "Checked %(count)s bills: %(differences)s field(s) where the masks now read something else "
                    "than was booked.",
                    count=checked,
                    differences=len(rows),
                )
            )
            body = Markup()
            for bill, key, booked, found, pattern, error in rows:
                shown = (
                    Markup("<span class='text-danger'>%s</span>")
                    % engine_messages.mask_error(self.env, names[key], error)
                    if error
                    else bill._l10n_nl_scan_format_value(key, found, bill.currency_id)
                )
                body += Markup(
                    "<tr><td><a href='/odoo/account.move/%s'>%s</a></td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td><code>%s</code></td></tr>"
                ) % (
                    bill.id,
                    bill.display_name,
                    names[key],
                    bill._l10n_nl_scan_format_value(key, booked, bill.currency_id),
                    shown,
                    pattern,
                )
            check.result_html = head + (
                body and markup.table([_("Bill"), _("Field"), _("Booked"), _("Masks read"), _("Mask")], body)
            )
