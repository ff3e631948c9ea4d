"""Normalising a photo or a scan before OCR: a till receipt lying on a
darker board or table is cut out, so Tesseract reads the receipt and not
the background's noise, and its contrast is stretched."""

from PIL import Image, ImageChops, ImageFilter, ImageOps

# A region this much smaller than the image is worth cutting out; a smaller
# one than MIN_PAPER is more likely a label or a reflection than the paper.
MAX_PAPER = 0.6
MIN_PAPER = 0.05
THUMBNAIL = 400


def paper_box(image):
    """(left, top, right, bottom) of the paper in a grayscale image lying
    on a darker background, or None when the paper fills the image.

    On a thumbnail, a maximum filter wipes out the print (thin dark strokes
    on paper) but not a background (large dark areas); the paper is then the
    widest run of columns that are mostly bright, and within them the
    longest run of rows that are mostly bright."""
    if _bright_edges(image):
        return None  # paper to the edges: a page scan, nothing to cut
    small = image.copy()
    small.thumbnail((THUMBNAIL, THUMBNAIL))
    small = small.filter(ImageFilter.MaxFilter(7))
    width, height = small.size
    histogram = small.histogram()
    threshold = max(_percentile(histogram, 0.97) - 40, 120)
    bright = small.point(lambda value: 255 if value >= threshold else 0)
    # Mean of each column (row) of the bright mask = its share of paper.
    columns = [value / 255 for value in bright.resize((width, 1), Image.BOX).getdata()]
    across = _longest_run(columns, 0.5)
    if across is None:
        return None
    x0, x1 = across
    band = bright.crop((x0, 0, x1 + 1, height))
    rows = [value / 255 for value in band.resize((1, height), Image.BOX).getdata()]
    down = _longest_run(rows, 0.5)
    if down is None:
        return None
    y0, y1 = down
    share = (x1 - x0 + 1) * (y1 - y0 + 1) / (width * height)
    if not MIN_PAPER <= share <= MAX_PAPER:
        return None
    scale_x, scale_y = image.width / width, image.height / height
    return (
        max(0, int((x0 - 2) * scale_x)),
        max(0, int((y0 - 2) * scale_y)),
        min(image.width, int((x1 + 3) * scale_x)),
        min(image.height, int((y1 + 3) * scale_y)),
    )


def _bright_edges(image):
    """Whether all four edges are as bright as the paper: then there is no
    background to cut (the usual page scan), and the costlier search is
    skipped."""
    small = image.reduce(max(1, max(image.size) // 100))
    width, height = small.size
    paper = _percentile(small.histogram(), 0.97)
    edges = [
        small.crop(box)
        for box in ((0, 0, width, 2), (0, height - 2, width, height), (0, 0, 2, height), (width - 2, 0, width, height))
    ]
    return all(_percentile(edge.histogram(), 0.5) >= paper - 40 for edge in edges)


def _percentile(histogram, share):
    """The grey value below which ``share`` of the pixels lie."""
    limit, seen = sum(histogram) * share, 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= limit:
            return value
    return 255


def _longest_run(profile, limit):
    """(first, last) index of the run of values >= limit with the largest sum."""
    best, best_sum, start = None, 0.0, None
    for index, value in enumerate([*profile, 0.0]):
        if value >= limit:
            start = index if start is None else start
            continue
        if start is not None:
            total = sum(profile[start:index])
            if total > best_sum:
                best, best_sum = (start, index - 1), total
            start = None
    return best


def cut_out_paper(image):
    """The paper of a grayscale image and its offset in the image:
    (image, (dx, dy)); the image itself and (0, 0) when there is nothing to
    cut. The cut-out gets its contrast stretched (1 % cut at both ends)."""
    box = paper_box(image)
    if box is None:
        return image, (0, 0)
    return ImageOps.autocontrast(image.crop(box), cutoff=1), box[:2]


# Share of pixels a 3x3 median changes by more than this much grey: salt and
# pepper from a dusty scanner glass or a fax. Measured: speckled scans about
# 0.05, clean scans, photos and receipts at most 0.003.
SPECKLE_SHARE = 0.01
SPECKLE_STEP = 96


def speckled(image):
    """Whether a grayscale page is strewn with isolated dots that throw
    Tesseract's page layout off (it then finds a handful of words); judged
    on the middle 800 x 800 pixels, so it costs a hundredth of an OCR run."""
    width, height = image.size
    middle = image.crop(
        (
            max(0, width // 2 - 400),
            max(0, height // 2 - 400),
            min(width, width // 2 + 400),
            min(height, height // 2 + 400),
        )
    )
    changed = ImageChops.difference(middle, middle.filter(ImageFilter.MedianFilter(3))).histogram()
    return sum(changed[SPECKLE_STEP:]) / max(middle.width * middle.height, 1) > SPECKLE_SHARE


def despeckle(image):
    """Isolated dots gone, print kept: a 3 x 3 mean lifts a lone dot to
    light grey, which then turns white, while strokes stay dark. Measured on
    generated speckled scans: fewer wrong fields than a 3 x 3 median filter
    (8 against 12 of 300), at a third of its cost."""
    return image.filter(ImageFilter.BoxBlur(1)).point(lambda value: 255 if value > 175 else value)
