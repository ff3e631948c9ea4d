"""Every document is read in a child process with a time and memory budget.

A hostile file (a compression bomb, a giant page, an endless e-invoice) can
then cost at most its budget: the child is stopped, the caller gets a
Recognition whose ``error`` names the limit, and the Odoo process lives on.
The budget is the caller's wall time, a fresh child's start and the kill
included (pool.deadlines). The child sees none of the server's environment
(no database password), has no network, and may neither fork without end
nor write large files (bootstrap.harden).

    pool = get_pool(size=2)
    future = submit_recognize(pool, data, "factuur.pdf", context, seconds=30)
    recognition = future.result()
"""

import atexit
import base64
import os
import threading

from ..messages import number, text
from ..result import Recognition
from .pool import ReaderPool

DEFAULT_SECONDS = 30
DEFAULT_MEMORY = 1024 * 1024 * 1024

_pools = {}
_lock = threading.Lock()


def default_size():
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def get_pool(size=None, memory=DEFAULT_MEMORY):
    """The process's pool of that size and memory (created once, again in a
    forked worker)."""
    key = (int(size or default_size()), int(memory or DEFAULT_MEMORY))
    with _lock:
        pool = _pools.get(key)
        if pool is None or pool.pid != os.getpid():
            pool = _pools[key] = ReaderPool(*key)
        return pool


@atexit.register
def _close_all():
    for pool in list(_pools.values()):
        if pool.pid == os.getpid():
            pool.close()


def limit_params(code, seconds, memory, detail=None):
    """The parameters of a stopped reading's code (timeout, memory, crash);
    the Odoo layer words its own sentence, translated, from the same code."""
    if code == "timeout":
        return {"seconds": number(seconds)}
    if code == "memory":
        return {"memory": memory // (1024 * 1024)}
    return {"detail": detail or "it crashed"}


def limit_message(code, seconds, memory, detail=None):
    """The engine's English sentence for a stopped reading."""
    return text(code, **limit_params(code, seconds, memory, detail))


def _recognition(answer, name, seconds, memory):
    if answer.get("recognition"):
        return Recognition.from_state(answer["recognition"])
    code = answer.get("error_code") or "crash"
    return Recognition(file=name).fail(code, **limit_params(code, seconds, memory, answer.get("detail")))


def submit_recognize(pool, data, name="", context=None, seconds=DEFAULT_SECONDS, op="recognize"):
    """A Future of the Recognition of ``data`` (``op``: recognize, for PDFs
    and images; recognize_xml; recognize_text, for a mail body as UTF-8)."""
    header = {"op": op, "name": name, "context": context.to_state() if context is not None else None}
    future = pool.submit(header, data, seconds)
    return _Mapped(future, lambda answer: _recognition(answer, name, seconds, pool.memory))


def recognize(data, name="", context=None, seconds=DEFAULT_SECONDS, pool=None, op="recognize"):
    return submit_recognize(pool or get_pool(), data, name, context, seconds, op).result()


def pdf_text(data, seconds=10, pool=None):
    """The text layer of a PDF's first pages, or '' when it cannot be had
    within the budget."""
    return (pool or get_pool()).run({"op": "pdf_text"}, data, seconds).get("text") or ""


def embedded_files(data, seconds=10, pool=None):
    """The files embedded in a PDF as Odoo's own reader extracts them, or
    None when that costs more than the budget (a compression bomb)."""
    answer = (pool or get_pool()).run({"op": "embedded_files"}, data, seconds)
    if "files" not in answer:
        return None
    return [(name, base64.b64decode(content)) for name, content in answer["files"]]


def render_page(data, page, turn=0, crop=None, skew=None, seconds=10, pool=None):
    """(mimetype, bytes) of one page drawn for the review screen, or None
    when the file cannot be drawn within the budget."""
    answer = (pool or get_pool()).run(
        {"op": "render_page", "page": page, "turn": turn, "crop": crop, "skew": skew}, data, seconds
    )
    if "picture" not in answer:
        return None
    return answer["mimetype"], base64.b64decode(answer["picture"])


def cut_pages(data, pages, seconds=30, pool=None):
    """A PDF of some pages of a batch (engine.split.cut_pages), made in a
    child; None when that fails or costs more than the budget."""
    answer = (pool or get_pool()).run({"op": "cut_pages", "pages": list(pages)}, data, seconds)
    return base64.b64decode(answer["file"]) if "file" in answer else None


def join_files(files, seconds=30, pool=None):
    """One PDF of several files (engine.split.join_files), made in a child;
    None when that fails or costs more than the budget."""
    answer = (pool or get_pool()).run(
        {"op": "join_files", "sizes": [len(data) for data in files]}, b"".join(files), seconds
    )
    return base64.b64decode(answer["file"]) if "file" in answer else None


def einvoice_view(data, seconds=10, pool=None):
    """An e-invoice's display data (engine.einvoice.view), read in a child;
    (view, None) or (None, the reason it cannot be shown)."""
    pool = pool or get_pool()
    answer = pool.run({"op": "einvoice_view"}, data, seconds)
    if "view" in answer:
        return answer["view"], None
    return None, answer.get("error") or limit_message(answer.get("error_code") or "crash", seconds, pool.memory)


class _Mapped:
    """A Future whose result passes through a function."""

    def __init__(self, future, function):
        self.future, self.function = future, function

    def result(self, timeout=None):
        return self.function(self.future.result(timeout))

    def done(self):
        return self.future.done()
