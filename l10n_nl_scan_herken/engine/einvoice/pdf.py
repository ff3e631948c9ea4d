"""An e-invoice inside a PDF: the Factur-X / ZUGFeRD XML a PDF carries, and
every file embedded in it, read as Odoo's own reader would."""

import io

from ..errors import DocumentError
from .read import recognize_xml

FACTURX_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd_invoice.xml")


def embedded_xml(pdf_bytes):
    """The Factur-X / ZUGFeRD XML attached to a PDF, if any."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(pdf_bytes)
    except pypdfium2.PdfiumError:
        return None
    try:
        for index in range(pdf.count_attachments()):
            attachment = pdf.get_attachment(index)
            if attachment.get_name().lower() in FACTURX_NAMES:
                return bytes(attachment.get_data())
    finally:
        pdf.close()
    return None


# What Odoo's own reader may unpack from one PDF in the Odoo process: the
# sandbox proves a PDF stays under this before Odoo opens it.
MAX_EMBEDDED_BYTES = 10 * 1024 * 1024
MAX_EMBEDDED_TOTAL = 20 * 1024 * 1024


def embedded_files(pdf_bytes):
    """(name, bytes) of every file embedded in a PDF, read with PyPDF2 the
    way Odoo's ``OdooPdfFileReader.getAttachments`` reads them, so that a
    sandboxed child does on a copy exactly what the Odoo process will do.
    Raises DocumentError when the files unpack to more than Odoo may hold."""
    import PyPDF2

    try:
        reader = PyPDF2.PdfReader(io.BytesIO(pdf_bytes), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        names = reader.trailer["/Root"].get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names") or []
        specs = [spec.get_object() for spec in names[1::2]]
    except (MemoryError, RecursionError):
        raise
    except Exception:  # Odoo's reader treats a malformed PDF as one without files
        return []
    files, total = [], 0
    for spec in specs:
        try:
            data = spec["/EF"]["/F"].get_object().get_data()
        except (MemoryError, RecursionError):
            raise
        except Exception:  # Odoo's reader gives up on the whole list here; a broken entry is simply absent
            data = None
        if data is None:
            continue
        total += len(data)
        if len(data) > MAX_EMBEDDED_BYTES or total > MAX_EMBEDDED_TOTAL:
            raise DocumentError("embedded_too_large")
        files.append((str(spec.get("/F") or "embedded"), data))
    return files


def read_pdf_einvoice(data, name=""):
    xml = embedded_xml(data)
    return recognize_xml(xml, name, source="facturx") if xml else None
