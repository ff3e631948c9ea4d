from odoo import api, fields, models
from odoo.tools import float_compare, float_round


class L10nNlScanBillBuilder(models.AbstractModel):
    """From a recognised document to a bill that fits this company's master
    data: proposals from the supplier and its history, one line per VAT rate
    with the company's purchase tax of that rate, totals equal to the
    document's."""

    _name = "l10n_nl_scan_herken.bill_builder"
    _description = "Scan en herken bill builder"

    # ---- Proposals ---------------------------------------------------------

    @api.model
    def _proposals(self, move, partner, result):
        values = {}
        if partner:
            term = partner.with_company(move.company_id).property_supplier_payment_term_id
            if term and not result.get("due_date"):
                values["invoice_payment_term_id"] = term.id
            if not result.get("currency") and "property_purchase_currency_id" in partner._fields:
                currency = partner.with_company(move.company_id).property_purchase_currency_id
                if currency:
                    values["currency_id"] = currency.id
        return values

    def _last_posted_line(self, move, partner):
        if not partner:
            return self.env["account.move.line"]
        return self.env["account.move.line"].search([
            ("move_id.partner_id.commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("move_id.state", "=", "posted"), ("move_id.company_id", "=", move.company_id.id),
            ("move_id.move_type", "in", ("in_invoice", "in_refund")), ("display_type", "=", "product"),
        ], order="date desc, id desc", limit=1)

    def _label(self, move, partner, template):
        """The label of the supplier's last validated bill, else its name."""
        if template.label:
            return template.label
        last = self._last_posted_line(move, partner)
        return last.name or partner.name or move.ref or "/"

    def _account(self, move, partner, template):
        """Booking template, else the supplier's last validated bill, else the journal's default."""
        if template.account_id:
            return template.account_id
        last = self._last_posted_line(move, partner)
        return last.account_id or move.journal_id.default_account_id

    def _tax_for_rate(self, move, rate, partner):
        company = move.company_id
        taxes = self.env["account.tax"].search([
            *self.env["account.tax"]._check_company_domain(company),
            ("type_tax_use", "=", "purchase"), ("amount_type", "=", "percent"),
            ("price_include", "=", False), ("amount", "=", rate),
            ("country_id", "=", company.account_fiscal_country_id.id),
        ], order="sequence, id")
        # A plain domestic tax before reverse-charge or import variants.
        plain = taxes.filtered(lambda t: not any(line.factor_percent < 0 for line in t.invoice_repartition_line_ids))
        tax = (plain or taxes)[:1]
        position = move.fiscal_position_id
        if not position and partner:
            position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        return position.map_tax(tax) if position and tax else tax

    # ---- Lines -------------------------------------------------------------

    @api.model
    def _line_values(self, move, partner, result, merge=True):
        """One line per VAT rate (the document's bases), or one line for the
        untaxed amount when the document shows no rates."""
        # A template an automation rule assigned to the bill wins over the supplier's.
        template = move.l10n_nl_scan_booking_template_id or (
            partner.with_company(move.company_id).l10n_nl_scan_booking_template_id
            if partner else self.env["l10n_nl_scan_herken.booking_template"])
        account = self._account(move, partner, template)
        label = self._label(move, partner, template)
        lines = []
        tax_lines = result.get("tax_lines") or []
        for tax_line in tax_lines:
            tax = self._tax_for_rate(move, tax_line["rate"], partner) or template.tax_ids
            lines.append(self._line(label, abs(tax_line["base"]), account, tax, template))
        if not lines and result.get("amount_untaxed") is not None:
            untaxed, tax_amount = abs(result["amount_untaxed"]), abs(result.get("amount_tax") or 0.0)
            rate = float_round(tax_amount / untaxed * 100, 0) if untaxed else 0.0
            tax = self._tax_for_rate(move, rate, partner) or template.tax_ids
            lines.append(self._line(label, untaxed, account, tax, template))
        return lines

    def _line(self, label, amount, account, taxes, template):
        values = {"name": label, "quantity": 1, "price_unit": amount, "tax_ids": [fields.Command.set(taxes.ids)]}
        if account:
            values["account_id"] = account.id
        if template.analytic_distribution:
            values["analytic_distribution"] = template.analytic_distribution
        return values

    @api.model
    def _one_rate(self, result):
        """A document that prints its VAT without a base per rate still
        states the VAT amount: as one rate's line, so that it corrects Odoo's
        rounding too (the bill was a cent off)."""
        untaxed, tax = result.get("amount_untaxed"), result.get("amount_tax")
        if not untaxed or tax is None:
            return []
        rate = float_round(abs(tax) / abs(untaxed) * 100, 0)
        return [{"rate": rate, "base": abs(untaxed), "amount": abs(tax)}]

    @api.model
    def _correct_taxes(self, move, result, tolerance=0.05):
        """Rounding as on the document: per rate, the tax amount the supplier
        states wins over Odoo's recomputation — for a scan only when they
        differ by cents (``tolerance`` per tax line), for an e-invoice always
        (``tolerance`` None)."""
        currency = move.currency_id
        for tax_line in result.get("tax_lines") or self._one_rate(result):
            lines = move.line_ids.filtered(
                lambda line, r=tax_line["rate"]: line.tax_line_id and line.tax_line_id.amount == r)
            if not lines:
                continue
            current = move.direction_sign * sum(lines.mapped("amount_currency"))
            wanted = -abs(tax_line["amount"]) if current < 0 else abs(tax_line["amount"])
            difference = currency.round(wanted - current)
            if currency.is_zero(difference) or (
                    tolerance is not None and float_compare(abs(difference), tolerance * len(lines), 2) > 0):
                continue
            lines[0].amount_currency += move.direction_sign * difference
