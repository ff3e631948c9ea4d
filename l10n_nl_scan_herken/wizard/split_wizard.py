import itertools
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import engine
from ..engine.reading.document import Document
from ..engine.result import Recognition
from ..engine.split import part_document


class L10nNlScanSplitWizard(models.TransientModel):
    """Split a bill's document by hand: new invoices start at the pages the
    bookkeeper names; each part becomes a bill recognised from the words
    already read (no second OCR)."""

    _name = "l10n_nl_scan_herken.split_wizard"
    _description = "Scan en herken: split a document"

    move_id = fields.Many2one("account.move", string="Bill", required=True, readonly=True)
    page_count = fields.Integer(string="Pages", compute="_compute_page_count")
    starts = fields.Char(
        string="New invoice at pages",
        required=True,
        help="The pages where a next invoice begins, such as 3, 5: pages 1-2, 3-4 and 5 to the end become three bills.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The bill comes from the client: splitting it needs the right to change it (another company's bill
        # would otherwise be read and cut here).
        wizards = super().create(vals_list)
        wizards.move_id.check_access("write")
        return wizards

    @api.depends("move_id")
    def _compute_page_count(self):
        for wizard in self:
            wizard.page_count = len((wizard.move_id.l10n_nl_scan_layout or {}).get("pages") or [])

    def action_split(self):
        self.ensure_one()
        move = self.move_id
        layout, original = move.l10n_nl_scan_layout, move.l10n_nl_scan_layout_attachment_id
        if move.state != "draft" or not layout or not original:
            raise UserError(_("Only a draft bill whose document scan en herken read can be split."))
        document = Document.from_state(layout)
        count = len(document.pages)
        starts = sorted({int(number) for number in re.findall(r"\d+", self.starts or "")})
        if not starts or any(not 2 <= number <= count for number in starts):
            raise UserError(_("Name pages between 2 and %(count)s where a next invoice begins.", count=count))
        bounds = [0, *[number - 1 for number in starts], count]
        reading_context = self.env["l10n_nl_scan_herken.reader"]._engine_context(move.company_id)
        result = Recognition(file=original.name or "")
        for first, last in itertools.pairwise(bounds):
            indexes = list(range(first, last))
            part = engine.recognize_document(part_document(document, indexes), original.name or "", reading_context)
            result.parts.append({"pages": [document.pages[index].number for index in indexes], "recognition": part})
        bills = self.env["l10n_nl_scan_herken.intake"]._split(move, original, result, manual=True)
        bills._l10n_nl_scan_write({"l10n_nl_scan_keep_whole": True})
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": _("Split bills"),
            "domain": [("id", "in", bills.ids)],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
        }
