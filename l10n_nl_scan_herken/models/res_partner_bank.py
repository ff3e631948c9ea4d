from odoo import api, models

from odoo.addons.base.models.res_bank import sanitize_account_number


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model
    def _l10n_nl_scan_known(self, partner, company, numbers):
        """The supplier's own account among these numbers, or nothing. Only
        accounts the supplier already has count: an account number a
        document names is never added to a supplier (its sender must not
        choose where the money goes)."""
        partner = partner.commercial_partner_id
        numbers = [sanitize_account_number(number) for number in numbers or [] if number]
        if not partner or not numbers:
            return self.browse()
        return self.search(
            [
                ("partner_id", "child_of", partner.id),
                ("sanitized_acc_number", "in", numbers),
                ("company_id", "in", [False, company.id]),
            ],
            limit=1,
        )
