"""Stage 2, recognition: each field is found in a :class:`Document` by its
labels, its place on the page and the checks its value must pass (check
digits, dates in a window, amounts that add up)."""
