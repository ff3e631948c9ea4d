from odoo import models

from .account_edi_common import IMPORT_FLAG, OTHER_ID

PARTY_NAMES = ("cac:PartyName/cbc:Name", "cac:PartyLegalEntity/cbc:RegistrationName")
# The party's VAT registration: a PartyTaxScheme of another scheme holds a
# tax number (the German Steuernummer, scheme FC) or a local id.
PARTY_VAT = "cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT' or not(cac:TaxScheme/cbc:ID)]/cbc:CompanyID"


class AccountEdiXmlUbl20(models.AbstractModel):
    """The supplier as the UBL party states it. Odoo takes the first
    cbc:Name anywhere in the party, which is often the contact person, so
    suppliers were created as 'Antonio Salesmacher'; and the first
    cbc:CompanyID anywhere in it, which may be the tax number or the
    chamber of commerce number, as its VAT number."""

    _inherit = "account.edi.xml.ubl_20"

    def _import_retrieve_partner_vals(self, tree, role):
        values = super()._import_retrieve_partner_vals(tree, role)
        if self.env.context.get(IMPORT_FLAG):
            for path in PARTY_NAMES:
                name = self._find_value(f"./cac:{role}Party/cac:Party/{path}", tree)
                if name:
                    values["name"] = name
                    break
            any_id, values["vat"] = values["vat"], self._find_value(f"./cac:{role}Party/cac:Party/{PARTY_VAT}", tree)
            values[OTHER_ID] = bool(any_id and not values["vat"])
        return values
