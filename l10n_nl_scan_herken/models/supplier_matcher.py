import re

from odoo import _, api, fields, models

from ..engine.recognizers.identifiers import format_iban, normalize_identifier


class L10nNlScanSupplierMatcher(models.AbstractModel):
    """From recognised identifiers to a supplier of the bill's company:
    IBAN (bank accounts), KVK (company registry or Peppol 0106 endpoint),
    VAT; an identifier shared by several suppliers proposes nobody; without a
    deciding identifier, history (the supplier earlier validated bills with
    the same IBAN or KVK always went to) decides."""

    _name = "l10n_nl_scan_herken.supplier_matcher"
    _description = "Scan en herken supplier matching"

    # A supplier name read with at least this confidence (a letterhead with a
    # legal form near the top) is used as it is; a guess is left to the user.
    SURE_NAME = 0.5

    @api.model
    def _create_supplier(self, move):
        """Create supplier on a bill: the supplier from what the document
        says. When the name read is not certain, a new supplier form opens
        with the rest filled in and the name left for the user, so the
        addressee's name is never made a supplier."""
        result = move.l10n_nl_scan_result or {}
        values = self._new_supplier_values(result)
        name_confidence = ((result.get("fields") or {}).get("supplier_name") or {}).get("confidence") or 0.0
        if not result.get("supplier_name") or name_confidence < self.SURE_NAME:
            context = {f"default_{key}": value for key, value in values.items() if value}
            if result.get("supplier_iban"):
                context["default_bank_ids"] = [fields.Command.create({"acc_number": result["supplier_iban"]})]
            return {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "view_mode": "form",
                "target": "new",
                "name": _("New supplier"),
                "context": context,
            }
        values["name"] = result["supplier_name"]
        if result.get("supplier_iban"):
            values["bank_ids"] = [fields.Command.create({"acc_number": result["supplier_iban"]})]
        partner = self.env["res.partner"].create(values)
        move.partner_id = partner
        move.message_post(body=_("Supplier %(name)s created from the document.", name=partner.display_name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _new_supplier_values(self, result):
        """What Create supplier fills in from the document: street, postcode,
        city, country, VAT and KvK (the name and IBAN are the caller's)."""
        country = result.get("supplier_country") and self.env["res.country"].search(
            [("code", "=", result["supplier_country"])], limit=1
        )
        return {
            "is_company": True,
            "supplier_rank": 1,
            "street": result.get("supplier_street") or False,
            "zip": result.get("supplier_zip") or False,
            "city": result.get("supplier_city") or False,
            "country_id": country.id if country else False,
            "company_registry": result.get("supplier_kvk") or False,
            "vat": result.get("supplier_vat") or False,
        }

    @api.model
    def _match(self, company, result):
        """(partner, message): the supplier and one sentence on how it was
        found, or no partner and why not."""
        own_partner = company.partner_id.commercial_partner_id
        found, ambiguous = {}, []
        lookups = (
            ("iban", result.get("supplier_iban"), self._by_iban),
            ("kvk", result.get("supplier_kvk"), self._by_kvk),
            ("vat", result.get("supplier_vat"), self._by_vat),
        )
        for kind, value, finder in lookups:
            if not value:
                continue
            partners = (finder(company, value) - own_partner).commercial_partner_id
            if len(partners) == 1:
                found[kind] = (value, partners)
            elif len(partners) > 1:
                ambiguous.append((kind, value, partners))
        candidates = {partner for _value, partner in found.values()}
        if len(candidates) == 1:
            partner = next(iter(candidates))
            return partner, _("Supplier recognised by %(how)s.", how=self._describe(found))
        if len(candidates) > 1:
            return self.env["res.partner"], _(
                "The identifiers on the document belong to different suppliers (%(how)s): choose the supplier.",
                how=self._describe(found),
            )
        partner = self._by_history(company, result)
        if partner:
            return partner, _("Supplier recognised from earlier validated bills with the same IBAN or KvK.")
        if ambiguous:
            kind, value, partners = ambiguous[0]
            return self.env["res.partner"], _(
                "%(identifier)s belongs to several suppliers (%(names)s): no supplier was chosen.",
                identifier=self._describe({kind: (value, None)}),
                names=", ".join(partners.mapped("display_name")),
            )
        return self.env["res.partner"], _("No known supplier has the identifiers on this document.")

    def _describe(self, found):
        labels = {"iban": "IBAN", "kvk": "KvK", "vat": _("VAT number")}
        parts = []
        for kind, (value, _partner) in found.items():
            shown = format_iban(value) if kind == "iban" else value
            parts.append(f"{labels[kind]} {shown}")
        return _(" and ").join(parts) if len(parts) < 3 else ", ".join(parts)

    def _partner_domain(self, company):
        return [*self.env["res.partner"]._check_company_domain(company), ("active", "=", True)]

    def _by_iban(self, company, iban):
        banks = self.env["res.partner.bank"].search(
            [
                ("sanitized_acc_number", "=", normalize_identifier("iban", iban)),
                *self.env["res.partner.bank"]._check_company_domain(company),
            ]
        )
        return banks.partner_id.filtered("active")

    def _by_kvk(self, company, kvk):
        kvk = normalize_identifier("kvk", kvk)
        Partner = self.env["res.partner"]
        domain = self._partner_domain(company)
        partners = Partner.search([*domain, ("company_registry", "!=", False), ("company_registry", "ilike", kvk[:4])])
        partners = partners.filtered(lambda p: normalize_identifier("kvk", p.company_registry) == kvk)
        if "peppol_endpoint" in Partner._fields:
            partners |= Partner.search([*domain, ("peppol_eas", "=", "0106"), ("peppol_endpoint", "=", kvk)])
        return partners

    def _by_vat(self, company, vat):
        """With and without country prefix, dots, spaces and leading zeros."""
        vat = normalize_identifier("vat", vat)
        digits = vat[2:].lstrip("0")
        partners = self.env["res.partner"].search(
            [*self._partner_domain(company), ("vat", "!=", False), ("vat", "ilike", digits[:6])]
        )
        return partners.filtered(lambda p: self._same_vat(p.vat, vat))

    @staticmethod
    def _same_vat(stored, vat):
        stored = normalize_identifier("vat", stored)
        if not re.match(r"^[A-Z]{2}", stored):
            stored = vat[:2] + stored
        return stored[:2] == vat[:2] and stored[2:].lstrip("0") == vat[2:].lstrip("0")

    def _by_history(self, company, result):
        """The supplier every validated bill with this IBAN or KVK went to."""
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("in_invoice", "in_refund")),
        ]
        for field_name, value in (
            ("l10n_nl_scan_iban", result.get("supplier_iban")),
            ("l10n_nl_scan_kvk", result.get("supplier_kvk")),
        ):
            if not value:
                continue
            partners = self.env["account.move"].search([*domain, (field_name, "=", value)]).commercial_partner_id
            if len(partners) == 1:
                return partners
        return self.env["res.partner"]
