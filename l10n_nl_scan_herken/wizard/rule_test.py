from markupsafe import Markup

from odoo import _, api, fields, models

from ..tools import markup


class L10nNlScanRuleTest(models.TransientModel):
    """Test rules on a bill: each active rule in the order they run, whether
    its condition holds and, for one that does not, which part fails.
    Nothing on the bill changes."""

    _name = "l10n_nl_scan_herken.rule_test"
    _description = "Scan en herken: test automation rules"

    move_id = fields.Many2one("account.move", string="Bill", required=True, readonly=True)
    result_html = fields.Html(string="Result", compute="_compute_result_html", sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        # The bill comes from the client: only one the user may read is tested.
        wizards = super().create(vals_list)
        wizards.move_id.check_access("read")
        return wizards

    @api.depends("move_id")
    def _compute_result_html(self):
        Rule = self.env["l10n_nl_scan_herken.rule"]
        kinds = dict(Rule._fields["rule_type"]._description_selection(self.env))
        for test in self:
            move = test.move_id
            rules = Rule.search([("company_id", "in", move.company_id.parent_ids.ids)])
            if not rules:
                test.result_html = Markup("<p class='text-muted'>%s</p>") % _("There are no active automation rules.")
                continue
            rows, acting = Markup(), set()
            for kind in ("assign_supplier", "assign_booking_template", "approve"):
                for rule in rules.filtered(lambda r, kind=kind: r.rule_type == kind):
                    failing = rule._explain(move)
                    if failing:
                        verdict = Markup("<span class='text-danger'>%s</span>") % _(
                            "Does not hold: %(parts)s", parts="; ".join(failing)
                        )
                    elif kind in acting:
                        verdict = _("Holds, but an earlier rule of this kind acts first")
                    else:
                        acting.add(kind)
                        verdict = Markup("<span class='text-success'>%s</span>") % _("Holds: this rule acts")
                        if kind == "approve" and move.l10n_nl_scan_warning_count:
                            verdict = Markup("<span class='text-warning'>%s</span>") % _(
                                "Holds, but the bill has warnings and is never approved: %(warnings)s",
                                warnings=move.l10n_nl_scan_warning_text,
                            )
                    rows += Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                        rule.sequence,
                        kinds[kind],
                        rule.name,
                        verdict,
                    )
            test.result_html = markup.table([_("Sequence"), _("Action"), _("Rule"), _("Result")], rows)
