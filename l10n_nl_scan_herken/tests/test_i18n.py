import io
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

PO_PATH = Path(__file__).resolve().parent.parent / "i18n" / "nl.po"


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    def test_every_source_string_has_dutch(self):
        """Exports the addon's terms as Odoo does and requires a Dutch
        translation for each: a new English string without one fails here."""
        buffer = io.BytesIO()
        trans_export(False, ["l10n_nl_scan_herken"], buffer, "po", self.env.cr)
        exported = polib.pofile(buffer.getvalue().decode())
        dutch = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO_PATH)) if not entry.obsolete}
        missing = sorted(e.msgid for e in exported if e.msgid and not dutch.get(e.msgid))
        self.assertFalse(missing, "Strings without a Dutch translation in i18n/nl.po:\n" + "\n".join(missing))
