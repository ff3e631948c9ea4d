import logging

from PIL import Image

from odoo import models

from ..engine.einvoice.xml_safety import parse_xml
from ..engine.errors import DocumentError
from ..engine.sandbox import embedded_files

_logger = logging.getLogger(__name__)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _decode_edi_xml(self, filename, content):
        # EXTENDS 'account': every door that reads XML invoices (upload, mail
        # alias, chatter, scan en herken) refuses entities, DTDs and network.
        try:
            parse_xml(content if isinstance(content, bytes) else content.encode())
        except DocumentError as exc:
            _logger.info("XML file %s not read: %s", filename, exc)
            return []
        return super()._decode_edi_xml(filename, content)

    def _decode_edi_pdf(self, filename, content):
        # EXTENDS 'account': core unpacks a PDF's embedded files in this
        # process, where a few KB that inflate to gigabytes would abort the
        # server. A reader child unpacks them first, with the same library
        # and under a memory and time budget; only a PDF it could unpack to
        # at most 20 MB reaches core. Any other stays a plain file, which
        # scan en herken reads in its own sandbox and notes on the bill.
        if embedded_files(content, pool=self.env["l10n_nl_scan_herken.reader"]._pool()) is None:
            _logger.info("PDF %s not unpacked: its embedded files exceed the reading budget", filename)
            return self._decode_edi_binary(filename, content)
        # A file core cannot open as a PDF (a ZIP named .pdf) still reaches
        # the decoders as a plain file, so it ends on a bill with a note.
        return super()._decode_edi_pdf(filename, content) or self._decode_edi_binary(filename, content)

    def _postprocess_contents(self, values):
        # EXTENDS base: core shrinks uploaded images in this process, and
        # Pillow refuses a header claiming a billion pixels with an error that
        # aborts the upload. Such a file is stored as it came; scan en herken
        # reads it in its sandbox and says why it cannot.
        try:
            return super()._postprocess_contents(values)
        except Image.DecompressionBombError as exc:
            _logger.info("Image %s stored without resizing: %s", values.get("name"), exc)
            return values
