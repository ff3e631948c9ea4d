import logging

from odoo import models

from ..engine.errors import DocumentError
from ..engine.xml_safety import parse_xml

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
