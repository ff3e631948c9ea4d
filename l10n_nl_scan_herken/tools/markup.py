"""The tables scan en herken's screens show (recognised values, mask tests,
rule tests), written once."""

from markupsafe import Markup


def table(headers, rows, css=""):
    """An HTML table of ``rows`` (Markup of <tr> elements) under ``headers``:
    texts, or (text, class) for a column such as a right-aligned number."""
    head = Markup().join(
        Markup("<th class='%s'>%s</th>") % (header[1], header[0])
        if isinstance(header, tuple)
        else Markup("<th>%s</th>") % header
        for header in headers
    )
    return Markup("<table class='table table-sm %s'><thead><tr>%s</tr></thead><tbody>%s</tbody></table>") % (
        css,
        head,
        rows,
    )
