"""Reading errors: a code with parameters (messages.py); ``str()`` is the
English sentence, the Odoo layer words the code in the reader's language."""

from .messages import Message


class DocumentError(Message, Exception):
    """The file cannot be read as an invoice; ``code`` and ``params`` say why."""


class BudgetExceeded(DocumentError):
    """The document's time budget is spent (code ``timeout``)."""
