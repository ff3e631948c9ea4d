from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date, format_datetime, formatLang

from ..engine.recognizers.dates import in_window
from ..engine.recognizers.identifiers import format_iban


class L10nNlScanApproval(models.AbstractModel):
    """The conditions a recognised bill must meet before anything may
    approve it automatically; each failing one is a warning on the bill."""

    _name = "l10n_nl_scan_herken.approval"
    _description = "Scan en herken approval conditions"

    @api.model
    def _checks(self, move):
        """(holds, sentence) for every condition of automatic approval."""
        result = move.l10n_nl_scan_result or {}
        partner = move.partner_id.commercial_partner_id
        checks = [(bool(partner), _("The supplier is known.") if partner else _("No supplier was recognised."))]
        duplicate = bool(move.ref) and bool(move.duplicated_ref_ids)
        checks.append(
            (
                bool(move.ref) and not duplicate,
                _("Invoice number %(ref)s is already used on another bill of this supplier.", ref=move.ref)
                if duplicate
                else _("The invoice number is unique for the supplier.")
                if move.ref
                else _("No invoice number was recognised."),
            )
        )
        if move.l10n_nl_scan_iban and partner:
            known = not move.l10n_nl_scan_iban_unknown
            checks.append(
                (
                    known,
                    _("The IBAN on the document is one of the supplier's bank accounts.")
                    if known
                    else _(
                        "IBAN %(iban)s is not a known account of %(supplier)s: check with the supplier by "
                        "phone before paying.",
                        iban=format_iban(move.l10n_nl_scan_iban),
                        supplier=partner.name,
                    ),
                )
            )
        untaxed, tax, total = (result.get(k) for k in ("amount_untaxed", "amount_tax", "amount_total"))

        def money(value):  # in the reader's notation: "€ 17.166,96" for a Dutch reader
            return formatLang(self.env, value, currency_obj=move.currency_id)

        if None not in (untaxed, tax, total):
            adds_up = abs(untaxed + tax - total) < 0.005
            checks.append(
                (
                    adds_up,
                    _("The document's totals add up.")
                    if adds_up
                    else _(
                        "The document's totals do not add up: %(untaxed)s + %(tax)s is not %(total)s.",
                        untaxed=money(untaxed),
                        tax=money(tax),
                        total=money(total),
                    ),
                )
            )
        if total is not None and move.invoice_line_ids:
            same = move.currency_id.compare_amounts(abs(total), move.amount_total) == 0
            checks.append(
                (
                    same,
                    _("The bill's total equals the document's.")
                    if same
                    else _(
                        "The bill's total %(bill)s differs from the document's %(document)s.",
                        bill=money(move.amount_total),
                        document=money(abs(total)),
                    ),
                )
            )
        missing = self.env["l10n_nl_scan_herken.purchase_taxes"]._missing_rates_of(move)
        if missing:
            checks.append(
                (
                    False,
                    _(
                        "This company has no purchase tax of %(rates)s: those lines have no VAT yet.",
                        rates=", ".join(f"{rate:g}%" for rate in missing),
                    ),
                )
            )
        if move.invoice_date:
            inside = in_window(move.invoice_date, fields.Date.context_today(self))
            checks.append(
                (
                    inside,
                    _("The invoice date lies within the expected period.")
                    if inside
                    else _(
                        "The invoice date %(date)s is more than six months old or outside the previous, current and "
                        "next year.",
                        date=format_date(self.env, move.invoice_date),
                    ),
                )
            )
        return checks

    @api.model
    def _autopost_einvoice(self, move, reading, missing, problems=()):
        """Post an e-invoice without a human touch when every line code is
        mapped, the header equals its lines and no warning stands."""
        if move.company_id.l10n_nl_scan_einvoice_validation:
            return move.message_post(body=_("E-invoice waits for validation (company setting)."))
        if missing:
            return move.message_post(
                body=_("E-invoice waits in To process: no template entry for %(codes)s.", codes=", ".join(missing))
            )
        line_sum = sum(abs(line["amount"] or 0.0) for line in reading.lines)
        untaxed = abs(reading.value("amount_untaxed") or 0.0)
        failing = [label for ok, label in self._checks(move) if not ok] + list(problems)
        if abs(line_sum - untaxed) >= 0.005:
            failing.append(
                _(
                    "The e-invoice's lines (%(lines)s) do not add up to its untaxed amount (%(untaxed)s).",
                    lines=formatLang(self.env, line_sum, currency_obj=move.currency_id),
                    untaxed=formatLang(self.env, untaxed, currency_obj=move.currency_id),
                )
            )
        if failing:
            return move.message_post(body=_("E-invoice waits in To process: %(reasons)s", reasons=" ".join(failing)))
        move.action_post()
        return move.message_post(
            body=_(
                "Posted automatically: every line code is in the supplier's e-invoice template, the amounts add up "
                "and nothing needs attention."
            )
        )

    @api.model
    def _guard_payee(self, move):
        """The payee is the supplier's account the document names, else its
        usual one; never an account only the document names: then there is
        no payee until a manager accepts the IBAN."""
        move.ensure_one()
        if not move.l10n_nl_scan_iban or not move.partner_id:
            return
        move.partner_bank_id = self.env["res.partner.bank"]._l10n_nl_scan_known(
            move.partner_id, move.company_id, [move.l10n_nl_scan_iban]
        )

    @api.model
    def _check_values(self, move):
        """The bill's warning fields from its checks: count, text, the warning
        list and the approval checklist."""
        checks = self._checks(move) if move.l10n_nl_scan_state == "done" else []
        failing = [label for ok, label in checks if not ok]
        return {
            "l10n_nl_scan_warning_count": len(failing),
            "l10n_nl_scan_has_warning": bool(failing),
            "l10n_nl_scan_warning_text": (
                " · ".join(failing) or (move.l10n_nl_scan_state == "failed" and move.l10n_nl_scan_error) or False
            ),
            "l10n_nl_scan_warning_html": failing
            and Markup("<ul class='mb-0'>%s</ul>") % Markup().join(Markup("<li>%s</li>") % label for label in failing),
            "l10n_nl_scan_checklist_html": checks
            and Markup("<ul class='list-unstyled mb-0'>%s</ul>")
            % Markup().join(
                Markup("<li><i class='fa %s me-1'></i>%s</li>")
                % ("fa-check text-success" if ok else "fa-times text-danger", label)
                for ok, label in checks
            ),
        }

    @api.model
    def _accept_iban(self, move):
        """A manager accepts the document's IBAN as the supplier's account
        (after checking it with the supplier): it becomes a bank account of
        the supplier and the bill's payee, and the chatter records who
        accepted which IBAN when."""
        move.ensure_one()
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(_("Only an accounting manager can accept a new IBAN for a supplier."))
        move.check_access("write")
        if not move.l10n_nl_scan_iban_unknown:
            raise UserError(_("This bill has no unknown IBAN to accept."))
        partner, iban = move.partner_id.commercial_partner_id, move.l10n_nl_scan_iban
        Bank = self.env["res.partner.bank"]
        other = Bank.search(
            [("sanitized_acc_number", "=", iban), ("company_id", "in", [False, move.company_id.id])], limit=1
        )
        if other:
            raise UserError(
                _(
                    "IBAN %(iban)s already belongs to %(owner)s; it cannot be accepted for %(supplier)s.",
                    iban=format_iban(iban),
                    owner=other.partner_id.display_name,
                    supplier=partner.name,
                )
            )
        # sudo: an accounting manager decides (checked above) even without the right to edit contacts;
        # the values are the checked IBAN and the bill's supplier, nothing else.
        bank = Bank.sudo().create({"acc_number": iban, "partner_id": partner.id}).sudo(False)
        move.partner_bank_id = bank
        move.message_post(
            body=_(
                "IBAN %(iban)s accepted as a bank account of %(supplier)s by %(user)s on %(date)s.",
                iban=format_iban(iban),
                supplier=partner.name,
                user=self.env.user.name,
                date=format_datetime(self.env, fields.Datetime.now()),
            )
        )
        return True
