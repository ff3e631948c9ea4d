"""Normalising a photo or a scan before OCR: a till receipt lying on a
darker board or table is cut out, so Tesseract reads the receipt and not
the background's noise, and its contrast is stretched."""

from PIL import ImageFilter, ImageOps

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
    small = image.copy()
    small.thumbnail((THUMBNAIL, THUMBNAIL))
    small = small.filter(ImageFilter.MaxFilter(7))
    width, height = small.size
    values = sorted(small.getdata())
    threshold = max(values[int(len(values) * 0.97)] - 40, 120)
    pixels = small.load()
    columns = [sum(pixels[x, y] >= threshold for y in range(height)) / height for x in range(width)]
    across = _longest_run(columns, 0.5)
    if across is None:
        return None
    x0, x1 = across
    rows = [sum(pixels[x, y] >= threshold for x in range(x0, x1 + 1)) / (x1 - x0 + 1) for y in range(height)]
    down = _longest_run(rows, 0.5)
    if down is None:
        return None
    y0, y1 = down
    share = (x1 - x0 + 1) * (y1 - y0 + 1) / (width * height)
    if not MIN_PAPER <= share <= MAX_PAPER:
        return None
    scale_x, scale_y = image.width / width, image.height / height
    return (max(0, int((x0 - 2) * scale_x)), max(0, int((y0 - 2) * scale_y)),
            min(image.width, int((x1 + 3) * scale_x)), min(image.height, int((y1 + 3) * scale_y)))


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
