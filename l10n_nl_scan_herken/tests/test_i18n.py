import io
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

from ..engine import messages
from ..tools import engine_messages

PO_PATH = Path(__file__).resolve().parent.parent / "i18n" / "nl.po"
PARAMETER = re.compile(r"%\(\w+\)s")


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

    def test_every_engine_code_is_worded_in_dutch(self):
        """The engine's codes and the Odoo layer's table are one list, with
        the same English (a mask's problem with the field it is for): each
        code then has its Dutch sentence, with the same parameters."""
        self.assertEqual(set(engine_messages.MESSAGES), set(messages.MESSAGES))
        dutch = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO_PATH)) if not entry.obsolete}
        for code, sentence in engine_messages.MESSAGES.items():
            english = messages.template(code, {"field"} if code in messages.MASK_CODES else ())
            self.assertEqual(sentence._source, english, code)
            self.assertTrue(dutch.get(english), f"{code}: no Dutch for {english!r}")
            self.assertEqual(sorted(PARAMETER.findall(dutch[english])), sorted(PARAMETER.findall(english)), code)
