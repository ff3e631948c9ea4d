from odoo import models

from ..engine.einvoice.read import CREDIT_CODES
from .account_edi_common import IMPORT_FLAG


class AccountEdiXmlCii(models.AbstractModel):
    """CII documents Odoo skips: it reads only type codes 380 and 381, so a
    corrected invoice (384), a self-billed one (389), a partial or prepayment
    invoice (326, 386) came out as an empty bill."""

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
