import ast

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

RULE_TYPES = [
    ("assign_supplier", "Assign supplier"),
    ("assign_booking_template", "Assign booking template"),
    ("approve", "Approve"),
]
# Text comparisons are case-insensitive, whatever the domain editor wrote.
TEXT_TYPES = ("char", "text", "html", "selection")
# A condition is a literal domain of at most this many characters and
# conditions: never an expression to evaluate ('x' * 10**9).
MAX_DOMAIN_LENGTH = 10000
MAX_LEAVES = 100
OPERATORS = {
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "like",
    "not like",
    "ilike",
    "not ilike",
    "=like",
    "=ilike",
    "in",
    "not in",
    "child_of",
    "parent_of",
    "any",
    "not any",
}


class ConditionError(ValueError):
    """A condition that is no literal domain on bills, or that reaches
    beyond the bill (a one2many path into other records)."""


class L10nNlScanRule(models.Model):
    """An automation rule (as Zenvoices has them): when a recognised bill
    meets the rule's condition, assign its supplier or booking template, or
    approve it. Rules run by sequence; the first matching rule of a kind wins;
    an approve rule never acts on a bill with a warning."""

    _name = "l10n_nl_scan_herken.rule"
    _description = "Automation rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    # No default: saving a rule half written must not confirm every bill.
    rule_type = fields.Selection(RULE_TYPES, string="Action", required=True)
    domain = fields.Char(
        string="Condition",
        default="[]",
        required=True,
        help="Which bills the rule acts on; text comparisons ignore upper and lower case.",
    )
    all_bills = fields.Boolean(
        string="All bills",
        help="The rule acts on every bill (of its suppliers and tags): "
        "an empty condition is only accepted with this ticked.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Suppliers",
        check_company=True,
        help="Only bills of these suppliers; empty: every supplier.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Supplier tags",
        help="Only bills of suppliers with one of these tags; empty: every tag.",
    )
    assign_partner_id = fields.Many2one("res.partner", string="Supplier to assign", check_company=True)
    booking_template_id = fields.Many2one(
        "l10n_nl_scan_herken.booking_template", string="Booking template", check_company=True
    )
    approve_action = fields.Selection(
        [("post", "Confirm the bill"), ("activity", "Ask for approval")], string="Approving means", default="post"
    )
    approver_id = fields.Many2one("res.users", help="Gets the activity Approve.")

    @api.constrains("rule_type", "assign_partner_id", "booking_template_id", "approve_action", "approver_id")
    def _check_action(self):
        for rule in self:
            if rule.rule_type == "assign_supplier" and not rule.assign_partner_id:
                raise ValidationError(_("Rule %(rule)s: choose the supplier to assign.", rule=rule.name))
            if rule.rule_type == "assign_booking_template" and not rule.booking_template_id:
                raise ValidationError(_("Rule %(rule)s: choose the booking template to assign.", rule=rule.name))
            if rule.rule_type == "approve" and rule.approve_action == "activity" and not rule.approver_id:
                raise ValidationError(_("Rule %(rule)s: choose who approves.", rule=rule.name))

    @api.constrains("domain", "all_bills")
    def _check_domain(self):
        for rule in self:
            try:
                domain = rule._domain()
                self.env["account.move"].search_count(domain, limit=1)
            except (ValueError, SyntaxError, UserError, AccessError) as exc:
                raise ValidationError(
                    _("Rule %(rule)s: the condition cannot be used (%(detail)s).", rule=rule.name, detail=exc)
                ) from exc
            if not domain and not rule.all_bills:
                raise ValidationError(
                    _(
                        "Rule %(rule)s has no condition: write one, or tick 'All bills' if it is meant for every bill.",
                        rule=rule.name,
                    )
                )

    @api.constrains("active", "company_id")
    def _check_maximum(self):
        for company in self.filtered("active").company_id:
            count = self.search_count([("company_id", "=", company.id)])
            if count > company.l10n_nl_scan_max_rules:
                raise ValidationError(
                    _(
                        "%(company)s may have at most %(maximum)s active automation rules (Settings, Scan en herken); "
                        "switch a rule off or raise the maximum.",
                        company=company.name,
                        maximum=company.l10n_nl_scan_max_rules,
                    )
                )

    # ---- Conditions ----------------------------------------------------------

    def _domain(self):
        self.ensure_one()
        return self._normalize(self._parse(self.domain))

    @api.model
    def _parse(self, text):
        """The condition as a literal domain on bills, checked leaf by leaf:
        a literal (never evaluated), bounded in size, with known operators,
        and with paths that stay on the bill or its many2one neighbours (a
        one2many such as partner_id.invoice_ids would reach other records,
        other companies' bills among them)."""
        text = text or "[]"
        if len(text) > MAX_DOMAIN_LENGTH:
            raise ConditionError(_("the condition is longer than %(count)s characters", count=MAX_DOMAIN_LENGTH))
        try:
            domain = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
            raise ConditionError(_("the condition is not a list of conditions")) from exc
        if not isinstance(domain, (list, tuple)) or len(domain) > 3 * MAX_LEAVES:
            raise ConditionError(_("the condition is not a list of at most %(count)s conditions", count=MAX_LEAVES))
        moves = self.env["account.move"]
        for leaf in domain:
            if leaf in ("&", "|", "!"):
                continue
            if not (
                isinstance(leaf, (list, tuple))
                and len(leaf) == 3
                and isinstance(leaf[0], str)
                and leaf[1] in OPERATORS
                and leaf[1] not in ("any", "not any")
            ):
                raise ConditionError(_("%(leaf)s is not a condition on a field", leaf=repr(leaf)[:80]))
            self._check_path(moves, leaf[0])
        return list(domain)

    @api.model
    def _check_path(self, model, path):
        names = path.split(".")
        for position, name in enumerate(names):
            field = model._fields.get(name)
            if field is None:
                raise ConditionError(_("there is no field %(field)s on bills", field=path))
            last = position == len(names) - 1
            if field.type == "one2many" or (field.type == "many2many" and not last):
                raise ConditionError(
                    _(
                        "%(field)s leads to other records; a condition may only use the bill's "
                        "own fields and the records it points to",
                        field=path,
                    )
                )
            if field.relational:
                model = model.env[field.comodel_name]

    @api.model
    def _normalize(self, domain):
        """The condition as a domain on bills, text comparisons made
        case-insensitive ("=" becomes "=ilike" with its wildcards escaped)."""
        moves = self.env["account.move"]
        result = []
        for leaf in domain:
            if (
                isinstance(leaf, (list, tuple))
                and len(leaf) == 3
                and leaf[1] in ("=", "!=")
                and isinstance(leaf[2], str)
                and self._field_type(moves, leaf[0]) in TEXT_TYPES
            ):
                exact = (leaf[0], "=ilike", leaf[2].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
                result += [exact] if leaf[1] == "=" else ["!", exact]
            else:
                result.append(tuple(leaf) if isinstance(leaf, list) else leaf)
        return result

    @staticmethod
    def _field_type(model, path):
        for name in path.split("."):
            field = model._fields.get(name)
            if field is None:
                return None
            if field.relational:
                model = model.env[field.comodel_name]
        return field.type

    def _in_scope(self, move):
        """Whether the bill's supplier is one the rule is for."""
        partner = move.partner_id.commercial_partner_id
        if self.partner_ids and partner not in self.partner_ids.commercial_partner_id:
            return False
        return not self.partner_category_ids or bool(partner.category_id & self.partner_category_ids)

    def _evaluator(self, move):
        """Bills as the rule's author sees them, in the bill's company only:
        a rule never reads what its author could not (the cron runs as
        superuser; other companies' data must not decide a rule)."""
        author = self.write_uid or self.create_uid
        return (
            self.env["account.move"]
            .with_user(author)
            .with_company(move.company_id)
            .with_context(allowed_company_ids=[move.company_id.id])
        )

    def _holds(self, move):
        if not self._in_scope(move):
            return False
        try:
            domain = self._domain()
        except ConditionError:
            return False
        try:
            return bool(self._evaluator(move).search_count(expression.AND([domain, [("id", "=", move.id)]])))
        except AccessError:
            return False

    def _explain(self, move):
        """The parts of the condition that do not hold for the bill, in words."""
        failing = []
        if not self._in_scope(move):
            failing.append(_("the supplier is not among the rule's suppliers or tags"))
        moves = self._evaluator(move)
        for leaf in self._parse(self.domain):
            if isinstance(leaf, (list, tuple)) and not moves.search_count(
                [*self._normalize([leaf]), ("id", "=", move.id)]
            ):
                failing.append(self._leaf_text(moves, leaf))
        if not failing and not self._holds(move):
            failing.append(_("the combination of conditions (or / not) does not hold"))
        return failing

    @api.model
    def _leaf_text(self, moves, leaf):
        """ "Totaal <= 10.0", "Documenttekst bevat 'energie'": a condition in the reader's words."""
        path, operator, value = leaf
        field = moves._fields.get(path.split(".")[0])
        label = field.get_description(moves.env)["string"] if field else path
        words = {
            "ilike": _("contains"),
            "not ilike": _("does not contain"),
            "=ilike": _("is"),
            "in": _("is one of"),
            "not in": _("is not one of"),
        }
        return f"{label} {words.get(operator, operator)} {value!r}"

    # ---- Running ---------------------------------------------------------------

    @api.model
    def _first(self, move, rule_type):
        """The first active rule of this kind whose condition the bill meets."""
        rules = self.search([("rule_type", "=", rule_type), ("company_id", "in", move.company_id.parent_ids.ids)])
        return next((rule for rule in rules if rule._holds(move)), self.browse())

    @api.model
    def _assign_supplier(self, move):
        """(partner, sentence) of the first assign-supplier rule that holds."""
        rule = self._first(move, "assign_supplier")
        return rule.assign_partner_id, rule and _("Supplier assigned by rule %(rule)s.", rule=rule.name)

    @api.model
    def _booking_template(self, move):
        rule = self._first(move, "assign_booking_template")
        return rule.booking_template_id, rule and _(
            "Booking template %(template)s assigned by rule %(rule)s.",
            template=rule.booking_template_id.name,
            rule=rule.name,
        )

    @api.model
    def _approve(self, move):
        """Approve the bill by the first approve rule that holds, only when
        it has no warning; posting goes through Odoo's own checks."""
        if move.state != "draft" or move.l10n_nl_scan_warning_count:
            return
        rule = self._first(move, "approve")
        if not rule:
            return
        if rule.approve_action == "activity":
            # The note is HTML: the rule's name is text written by a user.
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Approve"),
                user_id=rule.approver_id.id,
                note=escape(_("Approve this bill (rule %(rule)s).", rule=rule.name)),
            )
            move.message_post(
                body=_("Sent for approval to %(user)s by rule %(rule)s.", user=rule.approver_id.name, rule=rule.name)
            )
            return
        try:
            with self.env.cr.savepoint():
                move.action_post()
        except (UserError, ValidationError) as exc:
            move.message_post(
                body=_(
                    "Rule %(rule)s could not confirm the bill: %(reason)s",
                    rule=rule.name,
                    reason=exc.args[0] if exc.args else exc,
                )
            )
            return
        move.message_post(body=_("Approved by rule %(rule)s.", rule=rule.name))
