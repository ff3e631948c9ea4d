"""Which parts of a received mail are invoice documents.

Works on the attachments Odoo's mail gateway already parsed
(``mail.thread.message_parse``): (name, content, info) with ``info['cid']``
for parts referenced from the HTML body.
"""

import re
from dataclasses import dataclass, field
from email.message import Message

from .files import IMAGE_MIMETYPES, MIME_PDF, sniff_mimetype

# An inline image under this size, referenced from the body, is a logo or a
# signature, not a scanned invoice.
SIGNATURE_MAX_BYTES = 60 * 1024
XML_SUFFIXES = (".xml",)


@dataclass
class MailFile:
    name: str
    data: bytes
    mimetype: str | None


@dataclass
class MailDocuments:
    documents: list = field(default_factory=list)  # PDFs, images and XML e-invoices
    signatures: list = field(default_factory=list)  # inline logos: kept out of the bills
    others: list = field(default_factory=list)  # anything else: attached, never dropped


def classify(attachments, body_html=""):
    result = MailDocuments()
    for name, content, info in attachments:
        if isinstance(content, Message):
            # A forwarded mail: its own attachments are listed separately (the
            # parser walks into it); the mail itself is kept as an .eml file.
            subject = re.sub(r"[^\w .-]", "", str(content.get("Subject") or "forwarded"))[:60].strip()
            result.others.append(MailFile(f"{subject or 'forwarded'}.eml", content.as_bytes(), "message/rfc822"))
            continue
        data = content.encode() if isinstance(content, str) else (content or b"")
        mimetype = sniff_mimetype(data)
        if mimetype == "application/xml" and not name.lower().endswith(XML_SUFFIXES):
            mimetype = "application/xml" if b"Invoice" in data[:4096] or b"CrossIndustry" in data[:4096] else None
        mail_file = MailFile(name or "attachment", data, mimetype)
        cid = (info or {}).get("cid")
        if mimetype in IMAGE_MIMETYPES and cid and (len(data) < SIGNATURE_MAX_BYTES or _referenced(cid, body_html)):
            result.signatures.append(mail_file)
        elif mimetype in (MIME_PDF, "application/xml", *IMAGE_MIMETYPES):
            result.documents.append(mail_file)
        else:  # an empty part too: attached with the others, never dropped
            result.others.append(mail_file)
    return result


def _referenced(cid, body_html):
    return bool(body_html) and f"cid:{cid}" in body_html


def stem(name):
    return re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name or "").lower()


def group_documents(documents, one_bill_per_file=True, read_text=None):
    """Files that make one bill each. A PDF or image and an XML e-invoice
    with the same file stem belong together, and so does a mail's single
    XML with its single PDF; other XMLs pair with the PDF that carries their
    invoice number (``read_text`` reads a PDF's text: the Odoo layer passes
    the sandboxed reader). With ``one_bill_per_file`` off everything is one bill."""
    if not documents:
        return []
    if not one_bill_per_file:
        return [documents]
    xmls = [d for d in documents if d.mimetype == "application/xml"]
    visuals = [d for d in documents if d.mimetype != "application/xml"]
    if len(xmls) == 1 and len(visuals) == 1:
        return [[visuals[0], xmls[0]]]
    groups = [[visual] for visual in visuals]
    unpaired = []
    for xml in xmls:
        partner = next((g for g in groups if len(g) == 1 and stem(g[0].name) == stem(xml.name)), None)
        if partner is not None:
            partner.append(xml)
        else:
            unpaired.append(xml)
    for xml in unpaired:
        partner = _by_invoice_number(
            xml, [g for g in groups if len(g) == 1 and g[0].mimetype == MIME_PDF], read_text or pdf_text
        )
        if partner is not None:
            partner.append(xml)
        else:
            groups.append([xml])
    return groups


def _by_invoice_number(xml, candidates, read_text):
    """The PDF whose text carries the e-invoice's number (several pairs in
    one mail with unrelated file names)."""
    from ..einvoice.read import recognize_xml

    number = recognize_xml(xml.data).value("invoice_number")
    if not number or not candidates:
        return None
    pattern = re.compile(rf"(?<![\w-]){re.escape(number)}(?![\w-])")
    for group in candidates:
        if pattern.search(read_text(group[0].data)):
            return group
    return None


def pdf_text(data):
    import io

    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join((page.extract_text() or "") for page in pdf.pages[:3])
    except Exception:  # an unreadable PDF simply pairs with nothing
        return ""
