from odoo import Command, _, _lt, api, models
from odoo.exceptions import AccessError, UserError

# Every VAT rate an EU member state charges (standard, reduced, parking
# rates and regional ones): a tax made from a document is one of these.
EU_VAT_RATES = frozenset(
    {
        2.1,
        3.0,
        4.0,
        4.8,
        5.0,
        5.5,
        6.0,
        7.0,
        8.0,
        9.0,
        9.5,
        10.0,
        11.0,
        12.0,
        13.0,
        13.5,
        14.0,
        16.0,
        17.0,
        18.0,
        19.0,
        20.0,
        21.0,
        22.0,
        23.0,
        24.0,
        25.0,
        25.5,
        27.0,
    }
)
NOT_DEDUCTIBLE_GROUP = _lt("VAT not deductible")


class L10nNlScanPurchaseTaxes(models.AbstractModel):
    """The VAT rates a document charges and the company's purchase taxes
    for them. A tax is never made from a document by the queue or a user:
    a rate without tax is a warning, and an accounting manager creates it
    (foreign VAT, booked as cost) with one click, once per rate and only
    for a rate some EU country charges."""

    _name = "l10n_nl_scan_herken.purchase_taxes"
    _description = "Scan en herken purchase taxes"

    @api.model
    def _create_missing(self, move):
        """Create VAT taxes on a bill: the purchase taxes of the document's
        VAT rates the company lacks, then the bill is read again with them."""
        move.ensure_one()
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(_("Only an accounting manager can create taxes."))
        move.check_access("write")
        missing = self._missing_rates_of(move)
        odd = [rate for rate in missing if rate not in EU_VAT_RATES]
        if odd:
            raise UserError(
                _(
                    "No EU country charges VAT of %(rates)s: check the document; such a tax is not created from it.",
                    rates=", ".join(f"{rate:g}%" for rate in odd),
                )
            )
        taxes = self.env["account.tax"]
        for rate in missing:
            taxes |= self._create_tax(move.company_id, rate)
        if taxes:
            move._l10n_nl_scan_post_list(
                _("Created by %(user)s for this bill:", user=self.env.user.name), taxes.mapped("name")
            )
        if move.state == "draft":
            move.invoice_line_ids = [Command.clear()]
            self.env["l10n_nl_scan_herken.queue"]._recognize_now(move)
        return True

    @api.model
    def _name_missing(self, move, reading):
        """Name the e-invoice's VAT rates this company has no purchase tax
        for (foreign VAT: 19 %, 25 %). They are never created here: a
        document from any sender would otherwise make taxes (150 rates, 150
        taxes); the bill warns and a manager creates them with one click
        (_create_missing). A 0 % line may stay without tax:
        it changes no amount."""
        missing = self._missing_rates(move.company_id, self._rates(reading))
        if not missing:
            return []
        return [
            _(
                "This company has no purchase tax of %(rates)s: those lines have no VAT yet. An accounting "
                "manager can create the tax from the bill (Create VAT taxes).",
                rates=", ".join(f"{rate:g}%" for rate in missing),
            )
        ]

    @api.model
    def _missing_rates(self, company, rates):
        """The rates (0-100 %, not 0) without a percent purchase tax of the company."""
        Tax = self.env["account.tax"]
        return [
            rate
            for rate in sorted({float(rate) for rate in rates if rate and 0 < rate <= 100})
            if not Tax.search_count(
                [
                    *Tax._check_company_domain(company),
                    ("type_tax_use", "=", "purchase"),
                    ("amount_type", "=", "percent"),
                    ("amount", "=", rate),
                ],
                limit=1,
            )
        ]

    @api.model
    def _create_tax(self, company, rate):
        """A purchase tax that books foreign VAT as cost (not deductible in
        the Dutch return), in its own tax group; only for a rate some EU
        country charges, once per rate."""
        label = f"{rate:g}"
        return (
            self.env["account.tax"]
            .with_company(company)
            .create(
                {
                    "name": _("%(rate)s%% VAT not deductible (e-invoice)", rate=label),
                    "amount": rate,
                    "amount_type": "percent",
                    "type_tax_use": "purchase",
                    "company_id": company.id,
                    "country_id": company.account_fiscal_country_id.id,
                    "description": _("%(rate)s%% foreign VAT", rate=label),
                    "tax_group_id": self._not_deductible_group(company).id,
                }
            )
        )

    @api.model
    def _not_deductible_group(self, company):
        """The tax group of the taxes made above, one per company and fiscal
        country: without it Odoo puts them in the country's first group, and
        the bill's totals showed their VAT as "VAT 0%"."""
        country = company.account_fiscal_country_id
        # sudo: a manager creating a tax may not manage tax groups; this one is fixed, not from the document.
        Group = self.env["account.tax.group"].sudo().with_context(lang="en_US")
        name = Group.env._(NOT_DEDUCTIBLE_GROUP)
        group = Group.search(
            [("company_id", "=", company.id), ("country_id", "=", country.id), ("name", "=", name)], limit=1
        )
        if group:
            return group
        # The accounts of the company's purchase VAT, so the tax closing finds the group complete.
        model = company.account_purchase_tax_id.tax_group_id
        group = Group.create(
            {
                "name": name,
                "company_id": company.id,
                "country_id": country.id,
                "sequence": model.sequence + 1,
                "tax_payable_account_id": model.tax_payable_account_id.id,
                "tax_receivable_account_id": model.tax_receivable_account_id.id,
                "advance_tax_payment_account_id": model.advance_tax_payment_account_id.id,
            }
        )
        group.update_field_translations(
            "name",
            {
                code: self.with_context(lang=code).env._(NOT_DEDUCTIBLE_GROUP)
                for code, _name in self.env["res.lang"].get_installed()
                if code != "en_US"
            },
        )
        return group

    @api.model
    def _rates(self, reading):
        """The e-invoice's VAT rates; a minimum profile states only the VAT
        total, whose rate is then derived from it."""
        return self._rates_in(reading.value("tax_lines"), reading.value("amount_untaxed"), reading.value("amount_tax"))

    @api.model
    def _rates_in(self, tax_lines, untaxed, tax):
        rates = {line["rate"] for line in tax_lines or []}
        if not rates and untaxed and tax:
            rates.add(float(round(abs(tax) / abs(untaxed) * 100)))  # as the bill builder rounds it
        return rates

    @api.model
    def _missing_rates_of(self, move):
        """The VAT rates of the bill's document without a purchase tax of its
        company (for an e-invoice without VAT breakdown, the rate its totals
        imply)."""
        result = move.l10n_nl_scan_result or {}
        if move.l10n_nl_scan_source in ("ubl", "cii", "facturx"):
            rates = self._rates_in(result.get("tax_lines"), result.get("amount_untaxed"), result.get("amount_tax"))
        else:
            rates = {line.get("rate") for line in result.get("tax_lines") or []}
        return self._missing_rates(move.company_id, rates)
