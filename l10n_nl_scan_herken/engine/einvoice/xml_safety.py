"""XML from strangers: parsed without entities, DTDs or network, and
refused when it declares a DOCTYPE (entity bombs, external entities)."""

import re

from lxml import etree

from ..errors import DocumentError

MAX_XML_BYTES = 10 * 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def safe_parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_xml(data, max_bytes=MAX_XML_BYTES):
    """The root element, or DocumentError saying why the file is refused.
    10 MB in the Odoo process; a sandboxed reader child allows more."""
    if len(data) > max_bytes:
        raise DocumentError("xml_too_large", size=max_bytes // (1024 * 1024))
    if _DECLARATION.search(data[:65536]):
        raise DocumentError("xml_doctype")
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError("xml_malformed", detail=str(exc)) from exc
    if root is None:
        raise DocumentError("xml_empty")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise DocumentError("xml_doctype")
    return root
