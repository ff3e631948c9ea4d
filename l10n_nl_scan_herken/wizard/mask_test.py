import base64

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..engine.recognizers.masks import MASK_FIELDS, fold, parse, run
from ..models.recognition_mixin import MASK_FIELD_SELECTION
from ..tools import engine_messages, markup


def check_sources(wizards):
    """Test masks and Check masks show a supplier's bills to the user who
    opens them: their company must be one the user works in, and the
    supplier and the bill readable by that user. A wizard's ids come from
    the client, and what it shows is computed beyond the record rules (a
    stored field is computed as superuser), so nothing else stops a bill
    of another company from being shown."""
    env = wizards.env
    if env.su:
        return
    for wizard in wizards:
        if wizard.company_id not in env.companies:
            raise AccessError(env._("Masks can only be tested and checked in a company you work in."))
        wizard.partner_id.check_access("read")
        if "move_id" in wizard._fields:
            wizard.move_id.check_access("read")


class L10nNlScanMaskTest(models.TransientModel):
    """The supplier's masks tried on one of its bills or a sample file: the
    folded text they run on, each match marked, the value it gives, and a
    pattern that cannot run in red. A pattern being written can be tried
    before it is saved."""

    _name = "l10n_nl_scan_herken.mask_test"
    _description = "Scan en herken: test masks"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Supplier", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    move_id = fields.Many2one(
        "account.move",
        string="Bill",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('l10n_nl_scan_text', '!=', False)]",
        help="One of the supplier's bills read by scan en herken: its kept text is used, no second OCR.",
    )
    file = fields.Binary(
        string="Sample file",
        attachment=False,
        help="A PDF or picture of one of the supplier's invoices, read as an incoming one would be.",
    )
    filename = fields.Char()
    text = fields.Text(string="Document text", compute="_compute_text", store=True, readonly=True)
    read_error = fields.Char(compute="_compute_text", store=True, readonly=True)
    try_field = fields.Selection(MASK_FIELD_SELECTION, string="Field")
    try_pattern = fields.Char(
        string="Pattern to try", help="Tried first, before the supplier's masks; nothing is saved."
    )
    result_html = fields.Html(string="Result", compute="_compute_result_html", sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        tests = super().create(vals_list)
        check_sources(tests)
        return tests

    def write(self, vals):
        result = super().write(vals)
        check_sources(self)
        return result

    @api.depends("move_id", "file")
    def _compute_text(self):
        """As superuser (a stored field), but the bill is read with the
        user's rights: the form computes this before any record is saved,
        so create's check alone would come too late."""
        user = self.sudo(False)
        companies = user.env.companies
        for test, mine in zip(self, user):
            bill = mine.move_id._origin  # a real id: record rules skip new ones
            test.text = (bill.has_access("read") and bill.l10n_nl_scan_text) or False
            test.read_error = False
            if test.file and test.company_id in companies:
                reader = self.env["l10n_nl_scan_herken.reader"]
                recognition = reader._submit(
                    "recognize", base64.b64decode(test.file), test.filename or "", test.company_id
                ).result()
                if recognition.error:
                    test.read_error = reader._error_text(recognition, test.company_id)
                test.text = recognition.text or False

    def _masks(self):
        """(label, field, pattern) of the pattern being tried, then the
        supplier's active masks, in the order recognition tries them."""
        names = dict(self._fields["try_field"]._description_selection(self.env))
        masks = [(_("Being tried"), self.try_field, self.try_pattern)] if self.try_field and self.try_pattern else []
        return masks + [
            (names[field], field, pattern)
            for field, pattern in self.env["l10n_nl_scan_herken.mask"]._for_supplier(self.partner_id, self.company_id)
        ]

    @api.depends("text", "read_error", "try_field", "try_pattern", "partner_id")
    def _compute_result_html(self):
        for test in self:
            test.result_html = test._result_html()

    def _result_html(self):
        if self.read_error:
            return Markup("<p class='text-danger'>%s</p>") % self.read_error
        if not self.text:
            return Markup("<p class='text-muted'>%s</p>") % _(
                "Choose one of the supplier's bills or drop a sample file to see what its masks read."
            )
        folded = fold(self.text)
        order = self.partner_id._l10n_nl_scan_date_order(self.company_id)
        names = dict(self._fields["try_field"]._description_selection(self.env))
        rows, marks, used = Markup(), [], set()
        for label, field, pattern in self._masks():
            match, error = run(pattern, folded)
            value = match and parse(MASK_FIELDS[field], match.group(1) or "", order)
            if error:
                cells = Markup("<td colspan='2' class='text-danger'>%s</td>") % engine_messages.mask_error(
                    self.env, names[field], error
                )
            elif value is None:
                cells = Markup("<td class='text-muted'>%s</td><td></td>") % _("No match")
            else:
                wins = field not in used
                used.add(field)
                marks.append((match.start(1), match.end(1), names[field]))
                cells = Markup("<td><mark>%s</mark></td><td>%s</td>") % (
                    value,
                    _("used") if wins else _("an earlier mask of this field wins"),
                )
            rows += Markup("<tr><td>%s</td><td>%s</td><td><code>%s</code></td>%s</tr>") % (
                label if label != names.get(field) else "",
                names.get(field),
                pattern,
                cells,
            )
        return markup.table(["", _("Field"), _("Pattern"), _("Value"), ""], rows, "o_l10n_nl_scan_mask_test") + Markup(
            "<h5>%s</h5><div class='font-monospace small' style='white-space: pre-wrap'>%s</div>"
        ) % (_("Text the masks run on"), self._marked(folded, marks))

    @staticmethod
    def _marked(text, marks):
        """The text with each match's value marked (overlaps: the first wins)."""
        html, position = Markup(), 0
        for start, end, label in sorted(marks):
            if start < position or end <= start:
                continue
            html += Markup("%s<mark title='%s'>%s</mark>") % (text[position:start], label, text[start:end])
            position = end
        return html + text[position:]
