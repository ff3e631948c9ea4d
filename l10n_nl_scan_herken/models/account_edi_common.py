import logging

from odoo import _, models
from odoo.tools import float_round

from ..engine.einvoice.read import line_code

_logger = logging.getLogger(__name__)

IMPORT_FLAG = "l10n_nl_scan_import"
# Passed to _import_partner when the party states an identifier that is no
# VAT number (a tax number, a chamber of commerce number): Odoo used to take
# it for the VAT number, and so created the supplier; it still does, without.
OTHER_ID = "l10n_nl_scan_other_id"


class AccountEdiCommon(models.AbstractModel):
    """Odoo's UBL/CII reader, made to keep the XML's amounts exactly and to
    survive a flaw in one part of a document. Only while scan en herken
    imports (context flag), so Odoo's own import paths stay as they are."""

    _inherit = "account.edi.common"

    def _l10n_nl_scan_importing(self):
        return bool(self.env.context.get(IMPORT_FLAG))

    def _import_partner(
        self, company_id, name, phone, email, vat, country_code=False, peppol_eas=False, peppol_endpoint=False, **kwargs
    ):
        # EXTENDS account_edi_ubl_cii: an identifier scheme Odoo does not know
        # (old Belgian 'BE:CBE', '9956') made creating the supplier fail and
        # aborted the whole import; the supplier is then made without it.
        other_id = kwargs.pop(OTHER_ID, False)
        if not self._l10n_nl_scan_importing():
            return super()._import_partner(
                company_id,
                name,
                phone,
                email,
                vat,
                country_code=country_code,
                peppol_eas=peppol_eas,
                peppol_endpoint=peppol_endpoint,
                **kwargs,
            )
        schemes = dict(self.env["res.partner"]._fields["peppol_eas"]._description_selection(self.env))
        logs = []
        if peppol_eas and peppol_eas not in schemes:
            logs.append(
                _(
                    "Electronic address scheme %(scheme)s is unknown to Odoo; the supplier was read without it.",
                    scheme=peppol_eas,
                )
            )
            peppol_eas = peppol_endpoint = False
        attempts = [(peppol_eas, peppol_endpoint)] + ([(False, False)] if peppol_eas else [])
        for eas, endpoint in attempts:
            try:
                with self.env.cr.savepoint():
                    partner, partner_logs = super()._import_partner(
                        company_id,
                        name,
                        phone,
                        email,
                        vat,
                        country_code=country_code,
                        peppol_eas=eas,
                        peppol_endpoint=endpoint,
                        **kwargs,
                    )
                break
            except Exception as exc:
                _logger.info("Scan en herken: supplier of an e-invoice not created: %s", exc)
                error = exc
        else:
            logs.append(
                _(
                    "The supplier %(name)s could not be created (%(error)s); choose it by hand.",
                    name=name or "?",
                    error=error,
                )
            )
            return self.env["res.partner"], logs
        if eas != peppol_eas:
            logs.append(
                _(
                    "The supplier's electronic address %(scheme)s:%(endpoint)s was refused by Odoo; the "
                    "supplier was read without it.",
                    scheme=peppol_eas,
                    endpoint=peppol_endpoint,
                )
            )
        if not partner and other_id and name and not vat:
            partner = self._l10n_nl_scan_create_partner(name, phone, email, country_code, **kwargs)
            partner_logs.append(
                _("The supplier %(name)s was created without a VAT number: the e-invoice states none.", name=name)
            )
        return partner, logs + partner_logs

    def _l10n_nl_scan_create_partner(
        self, name, phone, email, country_code, street=False, street2=False, city=False, zip_code=False
    ):
        """The supplier as Odoo's _import_partner creates it, without VAT number."""
        country = self.env.ref(f"base.{country_code.lower()}", raise_if_not_found=False) if country_code else False
        return self.env["res.partner"].create(
            {
                "name": name,
                "email": email,
                "phone": phone,
                "street": street,
                "street2": street2,
                "zip": zip_code,
                "city": city,
                "country_id": country.id if country else False,
            }
        )

    def _import_partner_bank(self, invoice, bank_details):
        # EXTENDS account_edi_ubl_cii: Odoo creates every IBAN of the XML it
        # does not know as a bank account of the supplier and makes it the
        # bill's payee, so the sender of an e-invoice chose where the money
        # goes (the most common invoice fraud). While scan en herken imports,
        # an IBAN is only matched against the supplier's existing accounts;
        # an unknown one is a warning on the bill (approval checks) that a
        # manager may accept.
        if not self._l10n_nl_scan_importing():
            return super()._import_partner_bank(invoice, bank_details)
        invoice.partner_bank_id = self.env["res.partner.bank"]._l10n_nl_scan_known(
            invoice.partner_id, invoice.company_id, bank_details
        )
        return None

    def _import_rounding_amount(self, invoice, tree, xpath, qty_factor):
        # EXTENDS account_edi_ubl_cii: Odoo books the payable rounding as an
        # extra untaxed line, so the bill's untaxed amount and total no longer
        # equal the XML's. The bill keeps the XML's totals; the rounding is named.
        line_vals, logs = super()._import_rounding_amount(invoice, tree, xpath, qty_factor)
        if not self._l10n_nl_scan_importing() or not line_vals:
            return line_vals, logs
        amount = sum(values["price_unit"] for values in line_vals)
        return [], [
            _(
                "The e-invoice rounds the amount to pay by %(amount)s; the bill keeps the e-invoice's "
                "total including VAT, so the payment differs by that amount.",
                amount=amount,
            )
        ]

    def _retrieve_line_vals(self, tree, document_type=False, qty_factor=1):
        # EXTENDS account_edi_ubl_cii: unit prices and discounts rounded to
        # Odoo's decimals no longer give the line amount of the XML
        # (0.125 x 100 became 13.00); the line is then made to equal it.
        values = super()._retrieve_line_vals(tree, document_type, qty_factor)
        if not self._l10n_nl_scan_importing():
            return values
        values["l10n_nl_scan_product_code"] = line_code(tree)
        xpaths = self._get_line_xpaths(document_type, qty_factor)
        charges = sum(charge["amount"] for charge in values.get("charges") or [])
        for charge in values.get("charges") or []:
            # Odoo books a line's charges with the XML's sign, also on a negative
            # invoice it turns into a credit note: the charge then counted the wrong way.
            charge["amount"] *= qty_factor
        node = tree.find(xpaths["line_total_amount"])
        if node is None or not (node.text or "").strip():
            return values
        target = float_round(qty_factor * (float(node.text) - charges), 2)
        precision = self.env["decimal.precision"]
        price_digits = precision.precision_get("Product Price")
        quantity = float_round(values["quantity"], precision.precision_get("Product Unit of Measure"))
        price = float_round(values["price_unit"], price_digits)
        discount = float_round(values.get("discount") or 0.0, precision.precision_get("Discount"))
        if abs(float_round(quantity * price * (1 - discount / 100), 2) - target) < 0.005:
            return values
        exact = float_round(target / quantity, price_digits) if quantity else None
        if exact is not None and abs(float_round(exact * quantity, 2) - target) < 0.005:
            values.update(quantity=quantity, price_unit=exact, discount=0.0)
        else:
            values["name"] = f"{values.get('name') or ''} ({values['quantity']:g} x {values['price_unit']:g})".strip()
            values.update(quantity=1.0, price_unit=target, discount=0.0)
        return values

    def _import_document_allowance_charges(self, tree, record, tax_type, qty_factor=1):
        # EXTENDS account_edi_ubl_cii: Odoo computes a document allowance or
        # charge as base x percentage, taking 100 % when the percentage is
        # absent; the XML's amount (BT-92/BT-99) is what the totals hold.
        line_vals, logs = super()._import_document_allowance_charges(tree, record, tax_type, qty_factor)
        if not self._l10n_nl_scan_importing():
            return line_vals, logs
        xpaths = self._get_document_allowance_charge_xpaths()
        for values, node in zip(line_vals, tree.iterfind(xpaths["root"])):
            amount = node.findtext(xpaths["amount"])
            if amount is None or not amount.strip():
                continue
            # xsd:boolean: Odoo only knows 'false', a '0' allowance became a charge.
            indicator = -1 if (node.findtext(xpaths["charge_indicator"]) or "").strip().lower() in ("false", "0") else 1
            values.update(quantity=1.0, price_unit=float(amount) * indicator * qty_factor)
        return line_vals, logs
