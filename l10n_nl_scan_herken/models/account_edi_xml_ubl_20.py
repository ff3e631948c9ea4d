from odoo import models

from .account_edi_common import IMPORT_FLAG

PARTY_NAMES = ("cac:PartyName/cbc:Name", "cac:PartyLegalEntity/cbc:RegistrationName")


class AccountEdiXmlUbl20(models.AbstractModel):
    """The supplier's name as the UBL party states it: Odoo takes the first
    cbc:Name anywhere in the party, which is often the contact person, so
    suppliers were created as 'Antonio Salesmacher'."""

    _inherit = "account.edi.xml.ubl_20"

    def _import_retrieve_partner_vals(self, tree, role):
        values = super()._import_retrieve_partner_vals(tree, role)
        if self.env.context.get(IMPORT_FLAG):
            for path in PARTY_NAMES:
                name = self._find_value(f"./cac:{role}Party/cac:Party/{path}", tree)
                if name:
                    values["name"] = name
                    break
        return values
