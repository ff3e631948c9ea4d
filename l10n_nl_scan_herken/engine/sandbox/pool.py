"""Reader children seen from the Odoo process: start, hand a job, wait with
a deadline, kill. A child that breaks its budget or crashes is replaced; the
caller always gets an answer.

A job's budget is the wall time its caller waits, measured from outside:
the start of a fresh child, the reading, the answer and the kill all fit in
it. The child stops reading GRACE_SECONDS before the parent kills (to end
the page in hand and answer with a clear note), and the kill comes
REAP_SECONDS before the budget ends."""

import contextlib
import functools
import importlib.util
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .protocol import ChildGone, dumps, loads, read_frame, write_frame

_logger = logging.getLogger(__name__)

BOOTSTRAP = str(Path(__file__).resolve().parent / "bootstrap.py")
# Seconds between the child's own reading deadline and the parent's kill. A
# child only looks at the clock between steps: a page being drawn or
# cleaned, and recognising what was read, run past it (measured: up to 1.2 s
# for pages of noise, two readers beside four busy processes on 2 cores).
GRACE_SECONDS = 3
# Seconds kept at the end of the budget for the kill itself.
REAP_SECONDS = 0.5
# The libraries the engine reads with: the only ones the child may need on
# PYTHONPATH (the engine itself is loaded by its file path, see bootstrap).
READER_LIBRARIES = ("PIL", "pdfplumber", "pdfminer", "pypdfium2", "PyPDF2", "lxml", "stdnum", "schwifty", "regex")
# A child is replaced after this many documents, or when idle this long.
MAX_JOBS_PER_CHILD = 500
IDLE_SECONDS = 300
POLL_SECONDS = 0.1


def deadlines(seconds, started):
    """(the child's reading deadline, the parent's kill) of a job whose
    budget of ``seconds`` began at ``started``, as time.monotonic() values.
    A small budget keeps the same proportions."""
    kill = started + seconds - min(REAP_SECONDS, seconds / 10)
    return kill - min(GRACE_SECONDS, seconds / 5), kill


@functools.cache
def _python_path():
    """The PYTHONPATH a child needs: the directories of reader libraries
    that its interpreter would not find by itself (a PYTHONPATH entry of the
    server, a user site under the server's HOME); those under the
    interpreter's own prefix it finds alone."""
    own = {Path(prefix).resolve() for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    directories = []
    for name in READER_LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.origin or not os.path.isabs(spec.origin):
            continue
        origin = Path(spec.origin).resolve()
        top = origin.parent.parent if spec.submodule_search_locations is not None else origin.parent
        if not any(top == prefix or prefix in top.parents for prefix in own) and str(top) not in directories:
            directories.append(str(top))
    return os.pathsep.join(directories)


def child_environment(home):
    """What reading needs, and nothing else of the server's environment (a
    database password, API keys, proxies): the child reads hostile files."""
    env = {
        "PATH": os.environ.get("PATH") or os.defpath,  # tesseract
        "LANG": os.environ.get("LANG") or "C.UTF-8",
        "HOME": home,
        "TMPDIR": home,
        "OMP_THREAD_LIMIT": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("LC_ALL", "TESSDATA_PREFIX"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    if _python_path():
        env["PYTHONPATH"] = _python_path()
    return env


class _Writer:
    """A pipe that takes bytes until a deadline: a child that does not read
    (stuck starting) cannot hold the parent past the budget."""

    def __init__(self, fd, deadline):
        self.fd, self.deadline = fd, deadline

    def write(self, payload):  # a file's write, not the ORM's: pylint: disable=method-required-super
        view = memoryview(payload)
        while view:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            _r, ready, _x = select.select([], [self.fd], [], min(POLL_SECONDS, left))
            if ready:
                with contextlib.suppress(BlockingIOError):
                    view = view[os.write(self.fd, view[: 1 << 20]) :]


class Child:
    """One reader process with an address-space limit, a minimal
    environment and a private home and temporary directory."""

    def __init__(self, memory):
        self.memory = memory
        self.home = tempfile.mkdtemp(prefix="scan-reader-")
        try:
            self.process = subprocess.Popen(
                [sys.executable, BOOTSTRAP, str(memory)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
                env=child_environment(self.home),
                cwd=self.home,
                bufsize=0,
            )
        except BaseException:
            shutil.rmtree(self.home, ignore_errors=True)
            raise
        os.set_blocking(self.process.stdin.fileno(), False)  # see _Writer
        self.jobs = 0
        self.last_used = time.monotonic()
        self.peak = 0
        self.usable = True

    @property
    def pid(self):
        return self.process.pid

    def run(self, header, data, seconds, started=None):
        """Hand one job and wait; returns the child's answer, or
        ``{"error_code": ...}`` when it overran, ran out of memory or died.
        ``started``: when the job's budget began (before this child was
        started, if it is new)."""
        self.jobs += 1
        self.last_used = time.monotonic()
        started = time.monotonic() if started is None else started
        reading_deadline, kill = deadlines(seconds, started)
        try:
            writer = _Writer(self.process.stdin.fileno(), kill)
            write_frame(writer, dumps(dict(header, deadline=reading_deadline)))
            write_frame(writer, data)
            answer = loads(read_frame(lambda size: self._read(size, kill)))
        except TimeoutError:
            self.stop(wait=max(started + seconds - time.monotonic(), 0.05))
            return {"error_code": "timeout"}
        except (ChildGone, BrokenPipeError, OSError, ValueError):
            return {"error_code": self._death_cause(max(kill - time.monotonic(), 0.2))}
        if answer.get("error_code"):
            self.usable = False
        return answer

    def _read(self, size, deadline):
        fd = self.process.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            ready, _w, _x = select.select([fd], [], [], min(POLL_SECONDS, left))
            self._sample_peak()
            if ready:
                return os.read(fd, min(size, 1 << 20))

    def _sample_peak(self):
        """The child's peak address space, read while it lives: once it is
        dead, this tells a memory abort from another crash."""
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmPeak:"):
                        self.peak = max(self.peak, int(line.split()[1]) * 1024)
                        break
        except OSError as exc:  # the child is gone: its last sample stands
            _logger.debug("No memory sample of reader %s: %s", self.process.pid, exc)

    def _death_cause(self, timeout=5):
        """Why the child died. A library that aborts when an allocation
        fails (pdfium) dies within one sample; the kernel's account of the
        dead child's peak resident memory still tells it was memory."""
        self.usable = False
        code, rss = self._reap(timeout)
        if code == -signal.SIGXCPU:
            return "timeout"
        if self.peak >= self.memory * 0.9 or rss >= self.memory * 0.5:
            return "memory"
        return "crash"

    def _reap(self, timeout):
        """(exit code, peak resident bytes) of the dead child, killing it if
        it lingers."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere already
                return self.process.returncode, 0
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                return self.process.returncode, usage.ru_maxrss * 1024
            if time.monotonic() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                deadline = time.monotonic() + timeout
            time.sleep(0.01)

    def alive(self):
        return self.usable and self.process.poll() is None

    def stop(self, wait=5):
        """Kill the child and whatever it started (Tesseract). One that is
        not gone within ``wait`` seconds is reaped in the background: the
        caller's budget does not wait for the kernel to free 1 GB."""
        self.usable = False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        try:
            self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            threading.Thread(target=self._clean_up, name="scan-reader-reap", daemon=True).start()
        else:
            self._clean_up()

    def _clean_up(self):
        """Reap the dead child and remove its home (what Tesseract left)."""
        with contextlib.suppress(ChildProcessError):
            self.process.wait()
        shutil.rmtree(self.home, ignore_errors=True)


class ReaderPool:
    """``size`` children reading at once, each under ``memory`` bytes of
    address space. ``submit`` returns a Future of the child's answer; the
    caller's thread stays free to apply finished results."""

    def __init__(self, size, memory):
        self.size = max(1, int(size))
        self.memory = int(memory)
        self.pid = os.getpid()
        self._idle = []
        self._busy = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="scan-reader")
        self._closed = threading.Event()
        # Idle children go after IDLE_SECONDS even when no document comes to
        # notice it (a prefork server has a pool in every worker).
        threading.Thread(target=self._reap, name="scan-reader-reaper", daemon=True).start()

    def submit(self, header, data, seconds):
        header = dict(header, seconds=seconds)
        return self._executor.submit(self._run, header, data or b"", seconds)

    def run(self, header, data, seconds):
        return self.submit(header, data, seconds).result()

    def pids(self):
        """The process ids of the living children (idle or reading)."""
        with self._lock:
            children = [*self._idle, *self._busy]
        return [child.pid for child in children if child.process.poll() is None]

    def _run(self, header, data, seconds):
        started = time.monotonic()  # the budget holds a fresh child's start
        child = self._take()
        with self._lock:
            self._busy.add(child)
        try:
            answer = child.run(header, data, seconds, started)
        except Exception:  # the parent side itself failed: never leave the caller without an answer
            child.stop()
            raise
        finally:
            with self._lock:
                self._busy.discard(child)
        self._give(child)
        return answer

    def _take(self):
        self._drop_stale()
        with self._lock:
            child = self._idle.pop() if self._idle else None
        return child or Child(self.memory)

    def _drop_stale(self):
        now = time.monotonic()
        with self._lock:
            stale = [c for c in self._idle if now - c.last_used > IDLE_SECONDS or not c.alive()]
            self._idle = [c for c in self._idle if c not in stale]
        for old in stale:
            old.stop()

    def _reap(self):
        while not self._closed.wait(IDLE_SECONDS / 5):
            self._drop_stale()

    def _give(self, child):
        if child.alive() and child.jobs < MAX_JOBS_PER_CHILD and not self._closed.is_set():
            with self._lock:
                self._idle.append(child)
        else:
            child.stop()

    def close(self):
        self._closed.set()
        self._executor.shutdown(wait=False)
        with self._lock:
            children, self._idle = self._idle, []
        for child in children:
            child.stop()
