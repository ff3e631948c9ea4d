from odoo import _, api, fields, models

from .. import engine
from ..engine import sandbox
from ..engine.split import BATCH_TIME_FACTOR, MAX_BATCH_PAGES
from ..tools import engine_messages


class L10nNlScanReader(models.AbstractModel):
    """The ORM's one door to the reader children (engine/sandbox): the
    engine's context for a company, this process's pool, a document handed
    to a child, and the wording of a reading that failed. Every stage that
    reads a file (the queue, intake, the review screen, Test masks) comes
    through here."""

    _name = "l10n_nl_scan_herken.reader"
    _description = "Scan en herken reader"

    @api.model
    def _engine_context(self, company, partner=None):
        """The engine's context: what the company must never be recognised as,
        and how dates are written."""
        return engine.RecognitionContext(
            own_identifiers=company._l10n_nl_scan_own_identifiers(),
            own_names=[company.name],
            date_order=partner._l10n_nl_scan_supplier_date_order(company) if partner else None,
            default_date_order=company.l10n_nl_scan_date_order,
            today=fields.Date.context_today(self),
        )

    @api.model
    def _pool(self):
        """This Odoo process's reader children (sized by the settings)."""
        # sudo: two numeric server settings (reader processes, memory), read only.
        params = self.env["ir.config_parameter"].sudo()
        size = int(params.get_param("l10n_nl_scan_herken.reader_processes") or 0) or sandbox.default_size()
        memory = int(params.get_param("l10n_nl_scan_herken.reader_memory_mb") or 1024) * 1024 * 1024
        return sandbox.get_pool(size, memory)

    @api.model
    def _submit(self, op, data, name, company, partner=None, split="none"):
        """Hand one document to a reader child; returns a Future of its
        Recognition. Reading errors, budgets broken included, come back in
        the Recognition, never as an exception. A file that may be a batch
        scan (``split``) may have more pages and time, as several documents."""
        context = self._engine_context(company, partner) if op != "recognize_xml" else None
        seconds = company.l10n_nl_scan_time_budget or sandbox.DEFAULT_SECONDS
        if context is not None and split != "none":
            context.split, context.separator_text = split, company.l10n_nl_scan_separator_text or ""
            context.max_pages, seconds = MAX_BATCH_PAGES, seconds * BATCH_TIME_FACTOR
        return sandbox.submit_recognize(self._pool(), data, name, context, seconds=seconds, op=op)

    @api.model
    def _error_text(self, recognition, company):
        """The note for a reading that failed, in the reader's words; a
        budget the sandbox enforced is named with the setting that sets it."""
        code = recognition.error_code
        if code == "timeout":
            return _(
                "Reading stopped after %(seconds)s seconds, the time allowed per document (Settings, "
                "Scan en herken). The original is attached for manual booking.",
                seconds=company.l10n_nl_scan_time_budget or sandbox.DEFAULT_SECONDS,
            )
        if code == "memory":
            return _(
                "Reading needed more than %(memory)s MiB of memory and was stopped, to protect the server. "
                "The original is attached for manual booking.",
                memory=self._pool().memory // (1024 * 1024),
            )
        if code == "crash":
            return _(
                "The document reader stopped on this file; it may be damaged. The original is attached "
                "for manual booking."
            )
        return engine_messages.error_text(self.env, recognition)
