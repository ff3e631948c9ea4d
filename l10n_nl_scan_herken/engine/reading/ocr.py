"""Tesseract OCR as a process: words with boxes and confidences.

Tesseract runs single-threaded (OMP_THREAD_LIMIT=1): on two cores two such
processes give 1.9x the throughput of one, while its default threads make a
single page slower. Parallelism belongs to the caller, over documents.
"""

import csv
import io
import logging
import math
import os
import subprocess

from PIL import Image, ImageFilter, ImageOps

from ..errors import DocumentError
from .document import Page, Word, group_lines
from .images import cut_out_paper, despeckle, speckled

_logger = logging.getLogger(__name__)

OCR_DPI = 300
LANGUAGES = "nld+eng"
# Tesseract's time grows with pixels: an A4 or legal page at 300 dpi fits,
# a larger page or photo is scaled down to this before OCR.
OCR_MAX_PIXELS = 10_500_000


def _run_tesseract(image, args, timeout, source=None):
    """Tesseract on an image; ``source``: the file's own bytes, sent as they
    are when the image is the file unchanged (no second encoding)."""
    if source is None:
        buffer = io.BytesIO()
        # PNG, lightly compressed: Tesseract reads it faster than PGM, BMP or TIFF
        # (measured), and level 1 encodes a 300 dpi page in a third of the default's time.
        image.save(buffer, format="PNG", compress_level=1)
        source = buffer.getvalue()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            ["tesseract", "stdin", "stdout", *args],
            input=source,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except FileNotFoundError as exc:
        raise DocumentError("ocr_missing") from exc
    except subprocess.TimeoutExpired as exc:
        raise DocumentError("ocr_timeout", seconds=timeout) from exc
    if proc.returncode != 0:
        raise DocumentError("ocr_failed", detail=proc.stderr.decode(errors="replace").strip()[:200])
    return proc.stdout.decode("utf-8", errors="replace")


def ocr_words(image, timeout=120, dpi=OCR_DPI, source=None):
    """Words of one upright image, coordinates in points of an image at
    ``dpi`` (Tesseract itself is always told the 300 dpi it is tuned to)."""
    tsv = _run_tesseract(image, ["-l", LANGUAGES, "--psm", "3", "--dpi", str(OCR_DPI), "tsv"], timeout, source)
    scale = 72.0 / dpi
    words, lines = [], {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        conf = max(float(row["conf"]), 0.0) / 100.0
        left, top = int(row["left"]), int(row["top"])
        width, height = int(row["width"]), int(row["height"])
        word = Word(text, left * scale, top * scale, (left + width) * scale, (top + height) * scale, conf)
        words.append(word)
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(word)
    return deskew_words(words, lines.values())


def skew_angle(lines):
    """The page's skew in radians, from the slope of Tesseract's own text
    lines (it reads a few degrees of skew fine, but rows of a table then no
    longer share a height)."""
    slopes = []
    for line in lines:
        if len(line) < 2:
            continue
        first, last = line[0], line[-1]
        dx = (last.x0 + last.x1) / 2 - (first.x0 + first.x1) / 2
        if dx < 50:
            continue
        dy = last.bottom - first.bottom
        slopes.append((math.atan2(dy, dx), dx))
    if not slopes:
        return 0.0
    slopes.sort()
    half, acc = sum(w for _a, w in slopes) / 2, 0
    for angle, weight in slopes:
        acc += weight
        if acc >= half:
            return angle
    return 0.0


class Reading(list):
    """The words of one Tesseract run; ``skew``: the angle (radians) taken
    out of their positions, turned about the image's top left corner."""

    skew = 0.0


def deskew_words(words, lines):
    """Turn word positions (not pixels) back to level, so that labels and
    values on one printed row land on one line."""
    words = Reading(words)
    angle = skew_angle(lines)
    if abs(angle) < math.radians(0.2):
        return words
    words.skew = angle
    cos, sin = math.cos(-angle), math.sin(-angle)
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        nx, ny = cx * cos - cy * sin, cx * sin + cy * cos
        half_w, half_h = (word.x1 - word.x0) / 2, (word.bottom - word.top) / 2
        word.x0, word.x1, word.top, word.bottom = nx - half_w, nx + half_w, ny - half_h, ny + half_h
    return words


def _retry(image, words, time_left, dpi, despeckled=False):
    """(image, words, degrees turned) of the best reading."""
    turned_by = 0
    if not _good_enough(words) and not despeckled:
        cleaned = image.filter(ImageFilter.MedianFilter(3))
        cleaned_words = ocr_words(cleaned, time_left(), dpi)
        if _quality(cleaned_words) > _quality(words):
            image, words = cleaned, cleaned_words
    if not _good_enough(words):
        rotate = _orientation(image, time_left())
        tries = [rotate] if rotate else ([90, 270] if _sideways(words) else [180])
        best = -1 if _sideways(words) else _quality(words)
        for angle in tries:
            turned = image.rotate(-angle, expand=True, fillcolor=255)
            turned_words = ocr_words(turned, time_left(), dpi)
            if _quality(turned_words) > best and not _sideways(turned_words):
                image, words, best, turned_by = turned, turned_words, _quality(turned_words), angle
    return image, words, turned_by


def _orientation(image, timeout):
    """Degrees to rotate clockwise, from Tesseract's orientation detection."""
    try:
        out = _run_tesseract(image, ["--psm", "0", "--dpi", str(OCR_DPI)], timeout)
    except DocumentError:
        return 0
    for line in out.splitlines():
        if line.startswith("Rotate:"):
            return int(line.split(":")[1].strip() or 0)
    return 0


def _quality(words):
    good = [w for w in words if w.conf >= 0.7 and len(w.text) >= 3 and w.text.isalnum()]
    return len(good)


def grayscale(image):
    """Upright (EXIF) and grayscale; transparent parts of a PNG are paper.
    An upright grayscale image comes back as it is (a 300 dpi page is
    35 MB: no copy for nothing)."""
    if image.getexif().get(0x0112, 1) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode in ("P", "PA", "LA", "RGBA"):
        image = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", image.size, (255, 255, 255, 255)), image)
    return image if image.mode == "L" else image.convert("L")


def prepare_image(image):
    """Grayscale at about 300 dpi: small photos and faxes are scaled up,
    since Tesseract reads characters under 20 pixels high poorly; nothing
    ends larger than OCR_MAX_PIXELS (a sliver of one pixel is not
    stretched to a giant)."""
    image = grayscale(image)
    factor = 2480 / max(image.width, 1) if image.width < 1700 else 1.0
    factor = min(factor, math.sqrt(OCR_MAX_PIXELS / max(image.width * image.height, 1)))
    if abs(factor - 1.0) > 0.01:
        size = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        image = image.resize(size, Image.LANCZOS if factor > 1 else Image.BILINEAR)
    return image


def _sideways(words):
    """Tesseract reads a page turned a quarter as vertical words, often with
    good confidence: most longer words are then taller than wide."""
    long_words = [w for w in words if len(w.text) >= 4]
    if len(long_words) < 5:
        return False
    return sum(w.height > (w.x1 - w.x0) for w in long_words) > len(long_words) / 2


def _good_enough(words):
    return _quality(words) >= max(8, len(words) // 3) and not _sideways(words)


def ocr_page(image, number, time_left=lambda: 120, dpi=None, source=None):
    """OCR one page. A receipt lying on a darker background is cut out
    first (positions stay those of the whole page). When the reading is
    poor, try again on a median-filtered copy (speckled scans), then detect
    the orientation, turn the page upright and read once more; the best
    reading wins. A clean upright page costs one Tesseract run.
    ``time_left()`` gives the seconds the document has left (DocumentError
    once spent): a retry that finds none keeps the first reading. ``dpi`` is
    the resolution a PDF page was rendered at (positions then are the PDF's
    points); an image counts as 300 dpi once prepared. ``source``: the
    image file's bytes, read by Tesseract itself when nothing is changed."""
    plain = image.mode in ("L", "RGB", "1") and image.getexif().get(0x0112, 1) == 1  # no EXIF turn
    image = grayscale(image)
    full_width, full_height = image.size
    image_full = image
    paper, (dx, dy) = cut_out_paper(image)
    prepared = prepare_image(paper)
    factor = prepared.width / max(paper.width, 1)
    dpi = dpi * factor if dpi else OCR_DPI
    despeckled = speckled(prepared)
    if despeckled:  # filter before the first reading rather than read twice
        prepared = despeckle(prepared)
    unchanged = plain and paper is image and prepared.size == image.size and not despeckled
    words = ocr_words(prepared, time_left(), dpi, source if unchanged else None)
    image, turned_by = prepared, 0
    try:
        image, words, turned_by = _retry(prepared, words, time_left, dpi, despeckled)
    except DocumentError as exc:  # out of time for retries: the first reading stands
        _logger.info("OCR retries of page %s skipped: %s", number + 1, exc)
    scale = 72.0 / dpi
    skew = getattr(words, "skew", 0.0)
    if turned_by or (dx, dy) == (0, 0):
        page = Page(number=number, width=image.width * scale, height=image.height * scale, source="ocr", turn=turned_by)
        if skew:
            page.skew = [round(skew, 6), 0.0, 0.0]
        if turned_by and paper is not image_full:
            page.crop = [
                round(dx / full_width, 5),
                round(dy / full_height, 5),
                round((dx + paper.width) / full_width, 5),
                round((dy + paper.height) / full_height, 5),
            ]
    else:
        for word in words:  # back to the whole page's frame
            word.x0 += dx * factor * scale
            word.x1 += dx * factor * scale
            word.top += dy * factor * scale
            word.bottom += dy * factor * scale
        page = Page(number=number, width=full_width * factor * scale, height=full_height * factor * scale, source="ocr")
        if skew:  # levelled about the cut-out's corner
            page.skew = [round(skew, 6), round(dx / full_width, 5), round(dy / full_height, 5)]
    page.lines = group_lines(words, number)
    return page
