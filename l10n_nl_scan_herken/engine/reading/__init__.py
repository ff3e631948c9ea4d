"""Stage 1, reading: a file becomes a :class:`Document` of pages, lines and
words with their places, from the PDF's text layer or from Tesseract OCR;
mail attachments are sorted into documents here too."""

from .document import Document, Page, Word, document_from_text
from .read import read_document

__all__ = ["Document", "Page", "Word", "document_from_text", "read_document"]
