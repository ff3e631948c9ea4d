"""A Document from plain text, for table-driven recogniser tests: every
character is 5 points wide and every line 12 points high, so columns in the
text are columns on the page."""

from ..document import Document, Page, Word, group_lines


def doc_from_text(text, conf=1.0):
    pages = []
    for number, page_text in enumerate(text.split("\f")):
        words = []
        for row, line in enumerate(page_text.splitlines()):
            col = 0
            for token in line.split(" "):
                if token:
                    words.append(Word(token, col * 5.0, row * 12.0 + 40, (col + len(token)) * 5.0,
                                      row * 12.0 + 49, conf))
                col += len(token) + 1
        page = Page(number=number, width=600, height=842)
        page.lines = group_lines(words, number)
        pages.append(page)
    return Document(pages=pages)
