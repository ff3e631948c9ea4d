"""Reading errors: one clear sentence each, shown to the user as it is."""


class DocumentError(Exception):
    """The file cannot be read as an invoice; the message says why."""
