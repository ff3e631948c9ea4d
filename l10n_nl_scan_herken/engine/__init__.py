"""Scan en herken recognition engine: plain Python, no Odoo import.

``recognize(data, filename, context)`` reads a PDF or image (text layer or
Tesseract OCR) and returns a :class:`Recognition` whose ``to_dict()`` is the
JSON object of the command-line contract in DESIGN.md.
"""

from .context import RecognitionContext
from .pipeline import recognize, recognize_document, recognize_text
from .result import Recognition

__all__ = ["Recognition", "RecognitionContext", "recognize", "recognize_document", "recognize_text"]
