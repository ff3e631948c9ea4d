from odoo import Command, api, fields, models

from ..engine.samples.fixtures import expected_values, make_spec
from ..engine.samples.render import image_bytes, render_pdf, scan

# VAT rates a Dutch administration books as printed with the l10n_nl chart's
# purchase taxes. A Belgian supplier invoices a Dutch company VAT-free
# (intra-Community supply, the buyer accounts for the VAT), so its invoices
# print 0 %; Belgian rates (12 %, 6 %) never reach a Dutch company.
DEMO_RATES = {"NL": (21, 9), "BE": (0,)}
DEMO_LANG = "nl_NL"


class L10nNlScanIntakeDemo(models.AbstractModel):
    _inherit = "l10n_nl_scan_herken.intake"

    @api.model
    def _create_demo_bills(self, company_id, partner_ids):
        """Demo: a Dutch administration (l10n_nl chart, EUR, Dutch, scan en
        herken on) that admin works in, and two invoices per demo supplier (a
        text PDF and a scan) recognised into its purchase journal, waiting in
        To process."""
        company = self._demo_company(self.env["res.company"].browse(company_id))
        partners = self.env["res.partner"].browse(partner_ids)
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "purchase")], limit=1
        )
        self._demo_booking_templates(journal, partners)
        intake = self.with_company(company).with_context(lang=company.partner_id.lang)
        bills = self.env["account.move"]
        for _partner, variant, spec in self._demo_documents(company, partners):
            pdf = render_pdf(spec)
            files = [(f"{spec.number}.pdf", pdf)]
            if variant == "scan":
                files = [(f"scan-{spec.number}.png", image_bytes(scan(pdf, spec.seed, rotate=0, noise=False), "PNG"))]
            bills |= intake._intake_files(journal, files)
        bills._l10n_nl_scan_company_lang(company).action_l10n_nl_scan_recognize()
        return bills

    @api.model
    def _demo_company(self, company):
        """Dutch language, the Dutch chart of accounts (which sets EUR) and
        scan en herken on; admin logs in to this company, in Dutch."""
        lang = self.env["res.lang"]._activate_lang(DEMO_LANG)
        installed = self.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations(DEMO_LANG)
        company.partner_id.lang = lang.code
        if company.chart_template != "nl":
            # As core loads the chart of a company created during an install
            # (res.company.create); try_loading would warn that the registry
            # is not loaded yet.
            self.env["account.chart.template"]._load("nl", company, install_demo=False)
        company.l10n_nl_scan_enabled = True
        self.env.ref("base.user_admin").write(
            {"company_ids": [Command.link(company.id)], "company_id": company.id, "lang": lang.code}
        )
        return company

    @api.model
    def _demo_booking_templates(self, journal, partners):
        """A supplier from another EU country invoices without VAT (0 %),
        which no purchase tax of the Dutch chart matches: its booking
        template books what its fiscal position maps the company's purchase
        tax and the journal's account to (21 % EX EU, the reverse charge, on
        the EU cost account)."""
        company = journal.company_id
        for partner in partners:
            position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
            tax = position.map_tax(company.account_purchase_tax_id)
            if not tax or tax == company.account_purchase_tax_id:
                continue
            template = self.env["l10n_nl_scan_herken.booking_template"].create(
                {
                    "name": "Purchases within the EU (reverse charge)",
                    "company_id": company.id,
                    "account_id": position.map_account(journal.default_account_id).id,
                    "tax_ids": [Command.set(tax.ids)],
                }
            )
            template.with_context(lang=DEMO_LANG).name = "Inkoop binnen de EU (btw verlegd)"
            partner.with_company(company).l10n_nl_scan_booking_template_id = template

    @api.model
    def _demo_documents(self, company, partners):
        """(supplier, "pdf" or "scan", invoice) for the demo's six invoices:
        generated for each supplier and addressed to the company, at the
        rates of DEMO_RATES and never a credit note, so that each bill ends
        as the document says, without a warning."""
        today = fields.Date.context_today(self)
        customer = company.partner_id
        for index, partner in enumerate(partners):
            country = partner.country_id.code
            for offset, variant in enumerate(("pdf", "scan")):
                seed = 100 + index * 2 + offset
                spec = make_spec(seed, today=today, lang="be" if country == "BE" else "nl", credit=False)
                rates = DEMO_RATES.get(country, DEMO_RATES["NL"])
                spec.lines = [
                    (desc, qty, price, rate if rate in rates else rates[0]) for desc, qty, price, rate in spec.lines
                ]
                spec.long = False  # a scan is one page: the totals must be on it
                spec.supplier.update(
                    name=partner.name,
                    vat=partner.vat,
                    kvk=partner.company_registry,
                    iban=partner.bank_ids[:1].sanitized_acc_number,
                )
                spec.customer.update(
                    name=company.name,
                    street=customer.street,
                    city=f"{customer.zip} {customer.city}",
                    vat=company.vat,
                    iban=company.bank_ids[:1].sanitized_acc_number or spec.customer["iban"],
                )
                spec.expected = expected_values(spec)
                yield partner, variant, spec
