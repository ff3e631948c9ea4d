"""E-invoices (UBL, CII, Factur-X/ZUGFeRD): header fields read from the XML,
parsed with entities and network off, instead of from the page."""

from .pdf import embedded_files, read_pdf_einvoice
from .read import recognize_xml

__all__ = ["embedded_files", "read_pdf_einvoice", "recognize_xml"]
