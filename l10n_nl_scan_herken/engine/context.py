"""What the engine needs to know about the reader's world."""

import datetime
from dataclasses import dataclass, field


@dataclass
class RecognitionContext:
    """Input besides the file's bytes.

    ``own_identifiers`` maps 'iban', 'vat', 'kvk', 'other' to normalised values
    of the receiving company: they are never returned as the supplier's.
    ``date_order`` ('dmy'/'mdy') is a firm choice (supplier setting, command
    line); ``default_date_order`` is only used when the document itself shows
    no unambiguous date.
    """

    own_identifiers: dict = field(default_factory=dict)
    own_names: list = field(default_factory=list)
    date_order: str | None = None
    default_date_order: str = "dmy"
    today: datetime.date = field(default_factory=datetime.date.today)
    max_pages: int = 10
    ocr_timeout: int = 120

    def is_own(self, kind, normalized):
        return normalized in set(self.own_identifiers.get(kind) or ())
