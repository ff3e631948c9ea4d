from odoo import http
from odoo.http import request


class ScanReview(http.Controller):
    """Pages of a bill's document, drawn on the server for the review screen."""

    @http.route(
        "/l10n_nl_scan_herken/page/<int:move_id>/<int:index>", type="http", auth="user", methods=["GET"], readonly=True
    )
    def page(self, move_id, index, **_kwargs):
        move = request.env["account.move"].browse(move_id).exists()
        if not move:
            return request.not_found()
        move.check_access("read")
        picture = request.env["l10n_nl_scan_herken.review"]._page_picture(move, index)
        if not picture:
            return request.not_found()
        mimetype, data = picture
        # The URL carries the file's checksum: the same URL is the same picture.
        return request.make_response(
            data,
            headers=[
                ("Content-Type", mimetype),
                ("Cache-Control", "private, max-age=604800"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @http.route("/l10n_nl_scan_herken/einvoice/<int:move_id>", type="http", auth="user", methods=["GET"], readonly=True)
    def einvoice(self, move_id, **_kwargs):
        move = request.env["account.move"].browse(move_id).exists()
        if not move:
            return request.not_found()
        move.check_access("read")
        page = request.env["l10n_nl_scan_herken.review"]._einvoice_page(move)
        if page is None:
            return request.not_found()
        # Document data only, escaped: no script may run in this page.
        return request.make_response(
            page,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
