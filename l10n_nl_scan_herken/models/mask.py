from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine.recognizers.masks import MASK_FIELDS, MaskError, check
from ..tools import engine_messages
from .recognition_mixin import MASK_FIELD_SELECTION

assert {key for key, _label in MASK_FIELD_SELECTION} == set(MASK_FIELDS)


class L10nNlScanMask(models.Model):
    """A supplier's regular expression for one field (MFS-ERP's masks): its
    first group is the value, and it wins over generic recognition for that
    supplier's documents."""

    _name = "l10n_nl_scan_herken.mask"
    _description = "Supplier mask"
    _order = "partner_id, field, sequence, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    field = fields.Selection(MASK_FIELD_SELECTION, required=True)
    pattern = fields.Char(
        required=True,
        help="A regular expression whose first group is the value, matched against the document text with every "
        "run of white space folded to one space. Tokens: #num2# (an amount with two decimals), #dmyyyy# and "
        "#dmyy# (a date with a four- or two-digit year). Example: Factuurnummer (\\d+)",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    origin = fields.Selection(
        [("manual", "Written"), ("learned", "Learned")], default="manual", required=True, readonly=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Learned from",
        readonly=True,
        ondelete="set null",
        check_company=True,
        help="The posted bill whose correction taught this mask.",
    )

    @api.constrains("pattern")
    def _check_pattern(self):
        """The engine's check, which refuses a pattern too long or repeating
        too much before compiling it: saving cannot take the server's memory."""
        names = dict(self._fields["field"]._description_selection(self.env))
        for mask in self:
            try:
                check(mask.pattern)
            except MaskError as exc:
                raise ValidationError(mask._pattern_problem(exc, names)) from exc

    def _pattern_problem(self, error, names):
        """A MaskError as the sentence for the mask's author."""
        if error.code == "mask_no_group":
            return _(
                "Mask %(pattern)s: %(problem)s",
                pattern=self.pattern,
                problem=_("it has no group: put the value between brackets, as in 'Factuurnummer (\\d+)'."),
            )
        if error.code == "mask_invalid":
            return _(
                "Mask %(pattern)s: %(problem)s",
                pattern=self.pattern,
                problem=_("it is not a valid regular expression (%(detail)s).", detail=error.params["detail"]),
            )
        # Too long or repeating too much: said as Test masks says it, without a pattern that may be long.
        return engine_messages.mask_error(self.env, names.get(self.field, self.field), error)

    @api.model
    def _for_supplier(self, partner, company):
        """[field, pattern] of the supplier's active masks in this company, in order."""
        if not partner:
            return []
        masks = self.search(
            [("partner_id", "=", partner.commercial_partner_id.id), ("company_id", "in", company.parent_ids.ids)]
        )
        return [[mask.field, mask.pattern] for mask in masks]
