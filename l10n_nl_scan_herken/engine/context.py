"""What the engine needs to know about the reader's world."""

import datetime
import time
from dataclasses import asdict, dataclass, field

from .errors import BudgetExceeded
from .messages import number


@dataclass
class RecognitionContext:
    """Input besides the file's bytes.

    ``own_identifiers`` maps 'iban', 'vat', 'kvk', 'other' to normalised values
    of the receiving company: they are never returned as the supplier's.
    ``date_order`` ('dmy'/'mdy') is a firm choice (supplier setting, command
    line); ``default_date_order`` is only used when the document itself shows
    no unambiguous date. ``deadline`` (``time.monotonic()``) is when the
    whole document's time budget ends: OCR and page reading stop there.
    """

    own_identifiers: dict = field(default_factory=dict)
    own_names: list = field(default_factory=list)
    date_order: str | None = None
    default_date_order: str = "dmy"
    today: datetime.date = field(default_factory=datetime.date.today)
    max_pages: int = 10
    ocr_timeout: int = 120
    deadline: float | None = None
    budget_seconds: float | None = None
    # The supplier's masks, [field, pattern] in the order they are tried.
    masks: list = field(default_factory=list)
    # Batch scans: "none", "separator" (blank or separator-text pages) or
    # "auto" (also where the pages themselves start an invoice); see split.py.
    split: str = "none"
    separator_text: str = ""

    def is_own(self, kind, normalized):
        return normalized in set(self.own_identifiers.get(kind) or ())

    def start_budget(self, seconds):
        self.budget_seconds = seconds
        self.deadline = time.monotonic() + seconds

    def time_left(self, cap=None):
        """Seconds left of the document's budget (at most ``cap``); raises
        BudgetExceeded once it is spent."""
        left = cap if cap is not None else self.ocr_timeout
        if self.deadline is not None:
            left = min(left, self.deadline - time.monotonic())
            if left <= 0:
                raise BudgetExceeded("timeout", seconds=self.budget())
        return left

    def budget(self):
        """The document's time budget in seconds, as its messages name it."""
        return number(self.budget_seconds or self.ocr_timeout)

    def to_state(self):
        state = asdict(self)
        state["today"] = self.today.isoformat()
        state["deadline"] = None  # a monotonic time means nothing in another process
        return state

    @classmethod
    def from_state(cls, state):
        state = dict(state)
        state["today"] = datetime.date.fromisoformat(state["today"])
        return cls(**state)
