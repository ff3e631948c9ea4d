"""E-invoices (UBL, CII, Factur-X/ZUGFeRD): header fields read from the XML,
parsed with entities and network off, instead of from the page."""

from .read import embedded_files, read_pdf_einvoice, recognize_xml

__all__ = ["embedded_files", "read_pdf_einvoice", "recognize_xml"]
