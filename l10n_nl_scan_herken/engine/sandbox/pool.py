"""Reader children seen from the Odoo process: start, hand a job, wait with
a deadline, kill. A child that breaks its budget or crashes is replaced; the
caller always gets an answer."""

import contextlib
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .protocol import ChildGone, dumps, loads, read_frame, write_frame

_logger = logging.getLogger(__name__)

BOOTSTRAP = str(Path(__file__).resolve().parent / "bootstrap.py")
# Seconds the parent waits past the budget before it kills: the child's own
# deadline (OCR, pages) answers first with a clearer note where it can.
GRACE_SECONDS = 3
# A child is replaced after this many documents, or when idle this long.
MAX_JOBS_PER_CHILD = 500
IDLE_SECONDS = 300
POLL_SECONDS = 0.1


class Child:
    """One reader process with an address-space limit."""

    def __init__(self, memory):
        self.memory = memory
        env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen(
            [sys.executable, BOOTSTRAP, str(memory)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            start_new_session=True, close_fds=True, env=env, bufsize=0,
        )
        self.jobs = 0
        self.last_used = time.monotonic()
        self.peak = 0
        self.usable = True

    def run(self, header, data, seconds):
        """Hand one job and wait; returns the child's answer, or
        ``{"error_code": ...}`` when it overran, ran out of memory or died."""
        self.jobs += 1
        self.last_used = time.monotonic()
        deadline = time.monotonic() + seconds + GRACE_SECONDS
        try:
            write_frame(self.process.stdin, dumps(header))
            write_frame(self.process.stdin, data)
            self.process.stdin.flush()
            answer = loads(read_frame(lambda size: self._read(size, deadline)))
        except TimeoutError:
            self.stop()
            return {"error_code": "timeout"}
        except (ChildGone, BrokenPipeError, OSError, ValueError):
            return {"error_code": self._death_cause()}
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

    def _death_cause(self):
        """Why the child died. A library that aborts when an allocation
        fails (pdfium) dies within one sample; the kernel's account of the
        dead child's peak resident memory still tells it was memory."""
        self.usable = False
        code, rss = self._reap(timeout=5)
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

    def stop(self):
        """Kill the child and whatever it started (Tesseract)."""
        self.usable = False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class ReaderPool:
    """``size`` children reading at once, each under ``memory`` bytes of
    address space. ``submit`` returns a Future of the child's answer; the
    caller's thread stays free to apply finished results."""

    def __init__(self, size, memory):
        self.size = max(1, int(size))
        self.memory = int(memory)
        self.pid = os.getpid()
        self._idle = []
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

    def _run(self, header, data, seconds):
        child = self._take()
        try:
            answer = child.run(header, data, seconds)
        except Exception:  # the parent side itself failed: never leave the caller without an answer
            child.stop()
            raise
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
        if child.alive() and child.jobs < MAX_JOBS_PER_CHILD:
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
