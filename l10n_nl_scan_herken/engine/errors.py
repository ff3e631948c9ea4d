"""Reading errors: one clear sentence each, shown to the user as it is."""


class DocumentError(Exception):
    """The file cannot be read as an invoice; the message says why."""


class BudgetExceeded(DocumentError):
    """The document's time budget is spent."""

    code = "timeout"
