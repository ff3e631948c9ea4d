from odoo import models

from ..engine.einvoice.read import CREDIT_CODES
from .account_edi_common import IMPORT_FLAG, OTHER_ID


class AccountEdiXmlCii(models.AbstractModel):
    """CII documents Odoo skips: it reads only type codes 380 and 381, so a
    corrected invoice (384), a self-billed one (389), a partial or prepayment
    invoice (326, 386) came out as an empty bill. And the supplier's VAT
    number from its VAT registration only."""

    _inherit = "account.edi.xml.cii"

    def _get_import_document_amount_sign(self, tree):
        move_type, factor = super()._get_import_document_amount_sign(tree)
        if move_type or not self.env.context.get(IMPORT_FLAG):
            return move_type, factor
        code = (tree.findtext(".//{*}ExchangedDocument/{*}TypeCode") or "").strip()
        if not code:
            return move_type, factor
        if code in CREDIT_CODES:
            return "refund", 1
        untaxed = tree.findtext(".//{*}SpecifiedTradeSettlementHeaderMonetarySummation/{*}TaxBasisTotalAmount")
        try:
            negative = float(untaxed or 0) < 0
        except ValueError:
            negative = False
        return ("refund", -1) if negative else ("invoice", 1)

    def _import_retrieve_partner_vals(self, tree, role):
        # EXTENDS account_edi_ubl_cii: Odoo takes the party's first tax
        # registration, which in German invoices is often the Steuernummer
        # (scheme FC); only scheme VA is the VAT number.
        values = super()._import_retrieve_partner_vals(tree, role)
        if self.env.context.get(IMPORT_FLAG):
            any_id, values["vat"] = (
                values["vat"],
                self._find_value(f".//ram:{role}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", tree),
            )
            values[OTHER_ID] = bool(any_id and not values["vat"])
        return values
