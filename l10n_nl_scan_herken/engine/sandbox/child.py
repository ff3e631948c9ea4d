"""The reader child's loop: one job at a time, plain data back."""

import base64
import logging
import resource
import sys
import time

from ..context import RecognitionContext
from ..einvoice.pdf import embedded_files
from ..einvoice.read import recognize_xml
from ..einvoice.view import invoice_view
from ..errors import DocumentError
from ..pipeline import recognize, recognize_text
from ..reading.files import MAX_FILE_SIZE
from ..reading.mail import pdf_text
from ..reading.render import render_page
from ..split import cut_pages, join_files
from .protocol import ChildGone, dumps, loads, read_frame, write_frame

_logger = logging.getLogger(__name__)


def _context(header):
    """The document's context, its budget ending at the parent's reading
    deadline: that one counts this process's start and leaves the parent
    time to receive the answer before it kills. CLOCK_MONOTONIC
    (time.monotonic) is one clock for all processes of a Linux host."""
    context = RecognitionContext.from_state(header["context"]) if header.get("context") else RecognitionContext()
    context.start_budget(header["seconds"])  # the user's words name the whole budget
    if header.get("deadline"):
        context.deadline = min(context.deadline, header["deadline"])
    return context


def _budget_note(recognition, context):
    """A reading that failed once the budget was spent failed for the
    budget: Tesseract, stopped at the deadline, only says it took too long;
    the note names the budget and its code, as the parent's kill would."""
    if recognition.error and recognition.error_code != "timeout" and time.monotonic() >= context.deadline:
        recognition.fail("timeout", seconds=context.budget())
    return recognition


def run_job(header, data):
    """One job -> a JSON-able dict. ``op`` names what to do with ``data``."""
    op, name = header["op"], header.get("name") or ""
    if op == "recognize":
        context = _context(header)
        return {"recognition": _budget_note(recognize(data, name, context), context).to_state()}
    if op == "recognize_xml":  # here, under the child's budget, a large e-invoice is read from its header
        return {"recognition": recognize_xml(data, name, max_bytes=MAX_FILE_SIZE).to_state()}
    if op == "recognize_text":
        return {"recognition": recognize_text(data.decode("utf-8", "replace"), name, _context(header)).to_state()}
    if op == "pdf_text":
        return {"text": pdf_text(data)}
    if op == "render_page":
        try:
            mimetype, picture = render_page(
                data, header["page"], header.get("turn") or 0, header.get("crop"), header.get("skew")
            )
        except DocumentError as exc:
            return {"error": str(exc)}
        return {"mimetype": mimetype, "picture": base64.b64encode(picture).decode()}
    if op == "einvoice_view":
        try:
            return {"view": invoice_view(data, max_bytes=MAX_FILE_SIZE)}
        except DocumentError as exc:
            return {"error": str(exc)}
    if op == "cut_pages":
        return {"file": base64.b64encode(cut_pages(data, header["pages"])).decode()}
    if op == "join_files":
        sizes, files, offset = header["sizes"], [], 0
        for size in sizes:
            files.append(data[offset : offset + size])
            offset += size
        return {"file": base64.b64encode(join_files(files)).decode()}
    if op == "embedded_files":
        return {
            "files": [[file_name, base64.b64encode(content).decode()] for file_name, content in embedded_files(data)]
        }
    raise ValueError(f"unknown job {op}")


def _cpu_budget(seconds):
    """A processor-time ceiling for this job on top of the parent's wall
    clock: SIGXCPU ends a child that spins past it."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (spent + int(seconds) + 2, hard))


def serve(stdin, stdout):
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    while True:
        try:
            header = loads(read_frame(stdin.read))
            data = read_frame(stdin.read)
        except ChildGone:
            return
        _cpu_budget(header["seconds"])
        try:
            answer = run_job(header, data)
        except MemoryError:
            answer = {"error_code": "memory"}
        except RecursionError:
            answer = {"error_code": "crash", "detail": "RecursionError"}
        except Exception as exc:  # reported to the parent, which keeps the document with a note
            _logger.exception("Reading %s failed", header.get("name"))
            answer = {"error_code": "crash", "detail": type(exc).__name__}
        try:
            payload = dumps(answer)
        except MemoryError:
            payload = dumps({"error_code": "memory"})
        write_frame(stdout, payload)
        stdout.flush()
        if answer.get("error_code") == "memory":
            return  # after a MemoryError nothing in this process is to be trusted: start afresh
