"""Which files the engine reads, told from their first bytes, not their name."""

MIME_PDF = "application/pdf"
IMAGE_MIMETYPES = {"image/png", "image/jpeg", "image/tiff"}
SUPPORTED_MIMETYPES = {MIME_PDF, *IMAGE_MIMETYPES}
MAX_FILE_SIZE = 50 * 1024 * 1024


def sniff_mimetype(data):
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head:
        return MIME_PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "application/xml"
    return None
