"""Words with positions, grouped into lines: the one shape every reader
(text layer or OCR) produces and every recogniser consumes."""

from dataclasses import dataclass, field


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0

    @property
    def height(self):
        return self.bottom - self.top


@dataclass
class Line:
    words: list
    page: int
    index: int = 0

    @property
    def text(self):
        return " ".join(w.text for w in self.words)

    @property
    def x0(self):
        return min(w.x0 for w in self.words)

    @property
    def x1(self):
        return max(w.x1 for w in self.words)

    @property
    def top(self):
        return min(w.top for w in self.words)

    @property
    def bottom(self):
        return max(w.bottom for w in self.words)

    @property
    def height(self):
        return max(w.height for w in self.words)

    def bbox(self, words=None):
        words = words or self.words
        return [
            round(min(w.x0 for w in words), 1),
            round(min(w.top for w in words), 1),
            round(max(w.x1 for w in words), 1),
            round(max(w.bottom for w in words), 1),
        ]

    def conf(self, words=None):
        words = words or self.words
        return min(w.conf for w in words) if words else 0.0


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list = field(default_factory=list)
    source: str = "pdf_text"
    # How the words' frame lies on the file's page, for drawing them on it:
    # degrees the reader turned the page clockwise, and the part of the
    # upright page it read when it cut out a receipt before turning it
    # (left, top, right, bottom as fractions), None for the whole page.
    turn: int = 0
    crop: list | None = None
    # [radians, x, y]: the words were levelled by this angle about this
    # point (fractions of the page); the picture is turned the same way.
    skew: list | None = None


@dataclass
class Document:
    pages: list = field(default_factory=list)
    # What reading left out, as warnings: (code, params) of messages.py.
    notes: list = field(default_factory=list)

    @property
    def lines(self):
        return [line for page in self.pages for line in page.lines]

    @property
    def text(self):
        return "\n\f".join("\n".join(line.text for line in page.lines) for page in self.pages)

    @property
    def source(self):
        sources = {page.source for page in self.pages}
        if "ocr" in sources:
            return "ocr"
        return "mail_text" if sources == {"text"} else "pdf_text"

    def to_state(self):
        """Plain lists and numbers (JSON): how a sandboxed reader hands the
        words back, so the caller can recognise again without reading again."""
        return {
            "notes": [[code, params] for code, params in self.notes],
            "pages": [
                {
                    "number": page.number,
                    "width": page.width,
                    "height": page.height,
                    "source": page.source,
                    "turn": page.turn,
                    "crop": page.crop,
                    "skew": page.skew,
                    "lines": [
                        [[w.text, w.x0, w.top, w.x1, w.bottom, w.conf] for w in line.words] for line in page.lines
                    ],
                }
                for page in self.pages
            ],
        }

    @classmethod
    def from_state(cls, state):
        pages = []
        for data in state.get("pages") or []:
            page = Page(
                number=data["number"],
                width=data["width"],
                height=data["height"],
                source=data["source"],
                turn=data.get("turn") or 0,
                crop=data.get("crop"),
                skew=data.get("skew"),
            )
            page.lines = [
                Line(words=[Word(*values) for values in words], page=page.number, index=index)
                for index, words in enumerate(data["lines"])
            ]
            pages.append(page)
        # A layout stored before notes had codes holds English sentences.
        notes = [
            ("note", {"text": note}) if isinstance(note, str) else tuple(note) for note in state.get("notes") or []
        ]
        return cls(pages=pages, notes=notes)


def group_lines(words, page_number):
    """Words whose vertical middles lie within half a word height of a line's
    middle belong to it; lines read top to bottom, words left to right."""
    lines = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            line_middle = (line["top"] + line["bottom"]) / 2
            tolerance = max(min(word.height, line["bottom"] - line["top"]) * 0.5, 1.0)
            if abs(middle - line_middle) <= tolerance:
                line["words"].append(word)
                line["top"] = min(line["top"], word.top)
                line["bottom"] = max(line["bottom"], word.bottom)
                break
        else:
            lines.append({"words": [word], "top": word.top, "bottom": word.bottom})
    result = []
    for line in lines:
        words_sorted = _join_split_initials(sorted(line["words"], key=lambda w: w.x0))
        result.append(Line(words=words_sorted, page=page_number))
    result.sort(key=lambda ln: (round(ln.top / 3), ln.x0))
    for index, line in enumerate(result):
        line.index = index
    return result


def _join_split_initials(words):
    """Some PDFs draw a word's first letter apart ('F actuurnummer'): a
    single letter touching the next word is part of it."""
    joined = []
    for word in words:
        previous = joined[-1] if joined else None
        if (
            previous
            and len(previous.text) == 1
            and previous.text.isalpha()
            and word.x0 - previous.x1 <= 0.5
            and word.text[:1].islower()
        ):
            joined[-1] = Word(
                previous.text + word.text,
                previous.x0,
                min(previous.top, word.top),
                word.x1,
                max(previous.bottom, word.bottom),
                min(previous.conf, word.conf),
            )
        else:
            joined.append(word)
    return joined


def document_from_text(text, conf=1.0):
    """A Document from plain text (a mail body, a test): every character 5
    points wide, every line 12 points high, so text columns stay columns."""
    pages = []
    for number, page_text in enumerate(text.split("\f")):
        words = []
        for row, line in enumerate(page_text.splitlines()):
            col = 0
            for token in line.split(" "):
                if token:
                    words.append(
                        Word(token, col * 5.0, row * 12.0 + 40, (col + len(token)) * 5.0, row * 12.0 + 49, conf)
                    )
                col += len(token) + 1
        page = Page(number=number, width=600, height=842, source="text")
        page.lines = group_lines(words, number)
        pages.append(page)
    return Document(pages=pages)
