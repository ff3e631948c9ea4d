"""The engine's output: fields with value, confidence and place."""

from dataclasses import dataclass, field

from .messages import text

CONTRACT_KEYS = [
    "document_type",
    "supplier_name",
    "supplier_iban",
    "supplier_kvk",
    "supplier_vat",
    "invoice_number",
    "invoice_date",
    "due_date",
    "currency",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "tax_lines",
    "payment_reference",
    "purchase_order",
    "packing_slip",
    "supplier_street",
    "supplier_zip",
    "supplier_city",
    "supplier_country",
]


@dataclass
class Field:
    value: object
    confidence: float
    page: int = 0
    bbox: list | None = None
    how: str | None = None  # "mask": a supplier mask found it

    def meta(self):
        meta = {"confidence": round(self.confidence, 2), "page": self.page, "bbox": self.bbox}
        if self.how:
            meta["how"] = self.how
        return meta


@dataclass
class Recognition:
    """``fields`` maps contract keys to Field; ``text`` is the document text
    kept for rules and search. ``warnings`` are (code, params) and a failed
    reading has ``error_code`` and ``error_params`` (messages.py): each
    side words them; ``error`` is the English sentence (the command line's)."""

    file: str = ""
    source: str | None = None
    fields: dict = field(default_factory=dict)
    score: int = 0
    text: str = ""
    warnings: list = field(default_factory=list)
    error: str | None = None
    # Why reading stopped, for the caller's own wording: a code of
    # messages.MESSAGES (timeout, memory and crash: a budget or the sandbox).
    error_code: str | None = None
    error_params: dict = field(default_factory=dict)
    date_order: str | None = None
    date_order_source: str | None = None
    document: object = field(default=None, repr=False, compare=False)  # kept for a second pass, not serialised
    lines: list = field(default_factory=list)  # e-invoice lines: code, amount, name
    # A batch split into invoices: [{"pages": [file page numbers], "recognition": Recognition}].
    parts: list = field(default_factory=list)

    def value(self, key):
        found = self.fields.get(key)
        return found.value if found else None

    def fail(self, code, **params):
        """Reading failed: why, as a code with parameters and in English."""
        self.error_code, self.error_params, self.error = code, params, text(code, **params)
        return self

    def warn(self, code, **params):
        self.warnings.append((code, params))

    def warning_texts(self):
        """The warnings in English."""
        return [text(code, **params) for code, params in self.warnings]

    def to_state(self):
        """Everything, as plain data (JSON), for the sandbox's way back."""
        return {
            "file": self.file,
            "source": self.source,
            "score": self.score,
            "text": self.text,
            "warnings": [[code, params] for code, params in self.warnings],
            "error": self.error,
            "error_code": self.error_code,
            "error_params": self.error_params,
            "date_order": self.date_order,
            "date_order_source": self.date_order_source,
            "lines": self.lines,
            "fields": {key: [f.value, f.confidence, f.page, f.bbox, f.how] for key, f in self.fields.items()},
            "document": self.document.to_state() if self.document is not None else None,
            "parts": [{"pages": part["pages"], "recognition": part["recognition"].to_state()} for part in self.parts],
        }

    @classmethod
    def from_state(cls, state):
        from .reading.document import Document

        recognition = cls(file=state.get("file") or "")
        for key in (
            "source",
            "score",
            "text",
            "error",
            "error_code",
            "error_params",
            "date_order",
            "date_order_source",
            "lines",
        ):
            if state.get(key) is not None:
                setattr(recognition, key, state[key])
        recognition.warnings = [(code, params) for code, params in state.get("warnings") or []]
        recognition.fields = {key: Field(*values) for key, values in (state.get("fields") or {}).items()}
        if state.get("document"):
            recognition.document = Document.from_state(state["document"])
        recognition.parts = [
            {"pages": part["pages"], "recognition": cls.from_state(part["recognition"])}
            for part in state.get("parts") or []
        ]
        return recognition

    def to_dict(self):
        if self.error:
            return {"file": self.file, "error": self.error}
        data = {"file": self.file, "source": self.source}
        for key in CONTRACT_KEYS:
            value = self.value(key)
            if key == "tax_lines":
                value = value or []
            data[key] = value
        data["score"] = self.score
        data["date_order"] = self.date_order
        data["date_order_source"] = self.date_order_source
        if self.lines:
            data["lines"] = self.lines
        data["fields"] = {key: fld.meta() for key, fld in self.fields.items()}
        data["warnings"] = self.warning_texts()
        return data
