"""What a reader child gets besides its budget: a minimal environment, no
network, a ceiling on processes and file sizes. Seen from outside (the
child's /proc entries), or by running bootstrap.harden, the function every
child calls first, in a process of the test's own."""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from scan_engine import RecognitionContext, sandbox
from scan_engine.samples.fixtures import make_spec
from scan_engine.samples.render import image_bytes, render_pdf, scan
from scan_engine.sandbox import bootstrap
from scan_engine.sandbox.pool import READER_LIBRARIES, ReaderPool

SECRET = "hunter2-not-for-readers"
ALLOWED = {
    "PATH",
    "LANG",
    "LC_ALL",
    "TESSDATA_PREFIX",
    "HOME",
    "TMPDIR",
    "OMP_THREAD_LIMIT",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPATH",
}
NOBODY = 65534

# Run by a fresh interpreter: reach a server, harden as a child does, try again.
HARDENED = """
import importlib.util, json, os, socket, sys
spec = importlib.util.spec_from_file_location("bootstrap", sys.argv[1])
bootstrap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bootstrap)
port = int(sys.argv[2])
socket.create_connection(("127.0.0.1", port), timeout=5).close()
if sys.argv[3] == "refused":  # as on a kernel that gives this user no namespace
    def refused(flags):
        raise PermissionError(1, "Operation not permitted")
    bootstrap._unshare = refused
report = {"network": bootstrap.harden(1 << 30)}
attempts = {
    "create_connection": lambda: socket.create_connection(("127.0.0.1", port), timeout=5),
    "socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", port)),
    "native": lambda: __import__("_socket").socket().connect(("127.0.0.1", port)),
    "lookup": lambda: socket.getaddrinfo("example.com", 443),
}
for name, attempt in attempts.items():
    try:
        attempt()
        report[name] = "connected"
    except OSError as exc:
        report[name] = type(exc).__name__ + ": " + str(exc)
left, right = socket.socketpair()  # a local pipe stays allowed
report["socketpair"] = left.family == socket.AF_UNIX
report["uid"] = os.getuid()
with open("/proc/self/status") as status:
    report["capabilities"] = [line.split()[1] for line in status if line.startswith("CapEff")][0]
pipe_in, pipe_out = os.pipe()
forks = []
try:
    for _i in range(4 * bootstrap.NPROC_HEADROOM):
        pid = os.fork()
        if pid == 0:
            os.close(pipe_out)
            os.read(pipe_in, 1)
            os._exit(0)
        forks.append(pid)
except BlockingIOError:
    pass
os.close(pipe_out)
for pid in forks:
    os.waitpid(pid, 0)
report["forks"] = len(forks)
import signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error to report rather than a death
import tempfile
with tempfile.TemporaryFile(buffering=0) as big:
    big.seek(bootstrap.MAX_FILE_BYTES)  # sparse: nothing written before the limit
    try:
        big.write(b"x")
        report["big_file"] = "written"
    except OSError as exc:
        report["big_file"] = type(exc).__name__ + ": " + str(exc)
print(json.dumps(report))
"""


class Server:
    """A TCP server on 127.0.0.1; ``accepted()`` counts the connections
    that reached it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.3)
        self.port = self.listener.getsockname()[1]

    def accepted(self):
        count = 0
        while True:
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                return count
            connection.close()
            count += 1


@pytest.fixture
def server():
    server = Server()
    yield server
    server.listener.close()


def harden_elsewhere(server, mode="", user=None, python=sys.executable):
    done = subprocess.run(
        [python, "-c", HARDENED, bootstrap.__file__, str(server.port), mode],
        capture_output=True,
        text=True,
        timeout=60,
        user=user,
        check=False,
        env={"PATH": os.environ.get("PATH", os.defpath)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def runs_as_nobody(python):
    """Whether the user nobody may run this Python (one under /root may not)."""
    try:
        return (
            bool(python)
            and subprocess.run([python, "-c", ""], user=NOBODY, capture_output=True, timeout=30, check=False).returncode
            == 0
        )
    except OSError:
        return False


def test_child_sees_a_minimal_environment(monkeypatch, tmp_path):
    """A database password in the server's environment does not reach the
    reader (read from the child's /proc/PID/environ), nor a PYTHONPATH
    entry it does not read with; OCR still finds Tesseract."""
    monkeypatch.setenv("PGPASSWORD", SECRET)
    monkeypatch.setenv("SCAN_HERKEN_API_KEY", SECRET)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    spec = make_spec(3)
    picture = image_bytes(scan(render_pdf(spec), 3, rotate=0, skew=0, noise=False, blur=False, dpi=200))
    pool = ReaderPool(1, sandbox.DEFAULT_MEMORY)
    try:
        result = sandbox.recognize(picture, "scan.png", RecognitionContext(), pool=pool)
        (pid,) = pool.pids()
        raw = Path(f"/proc/{pid}/environ").read_bytes()
        limits = Path(f"/proc/{pid}/limits").read_text()
    finally:
        pool.close()
    assert result.value("invoice_number") == spec.expected["invoice_number"]
    assert SECRET.encode() not in raw
    environ = dict(item.split("=", 1) for item in raw.decode().split("\0") if item)
    assert set(environ) <= ALLOWED
    assert environ["OMP_THREAD_LIMIT"] == "1"
    assert environ["LANG"] == (os.environ.get("LANG") or "C.UTF-8")
    # A private home, the temporary directory too, removed with the child.
    assert environ["HOME"] == environ["TMPDIR"] != os.environ.get("HOME")
    assert not Path(environ["HOME"]).exists()
    for entry in filter(None, environ.get("PYTHONPATH", "").split(os.pathsep)):
        assert any((Path(entry) / name).exists() for name in READER_LIBRARIES), entry
    assert str(tmp_path) not in environ.get("PYTHONPATH", "")
    rows = {line[:26].strip(): line[26:].split() for line in limits.splitlines()[1:]}
    assert rows["Max file size"][:2] == [str(bootstrap.MAX_FILE_BYTES)] * 2
    assert rows["Max core file size"][:2] == ["0", "0"]
    assert rows["Max processes"][0] != "unlimited"
    assert rows["Max address space"][0] == str(sandbox.DEFAULT_MEMORY)


def test_hardened_process_has_no_network(server):
    """Where the kernel gives the reader a network namespace of its own
    (root here), nothing connects: not Python's sockets, not a native one."""
    report = harden_elsewhere(server)
    assert server.accepted() == 1  # the connection made before hardening, nothing after
    if report["network"] == "sockets":
        pytest.skip("This kernel gives no network namespace here; see the test of refused sockets.")
    assert report["network"] == "namespace"
    for name in ("create_connection", "socket", "native"):
        assert report[name] != "connected", name
    assert report["socketpair"] is True


def test_without_a_namespace_python_sockets_refuse(server):
    """Where the kernel refuses a namespace (EPERM), Python's sockets and
    name lookups refuse with one clear reason; a local socketpair stays."""
    report = harden_elsewhere(server, "refused")
    assert report["network"] == "sockets"
    for name in ("create_connection", "socket", "lookup"):
        assert report[name] == f"PermissionError: {bootstrap.NO_NETWORK}", name
    assert report["socketpair"] is True
    # Code outside Python's socket module (a native exploit) is not stopped this way: only the namespace does.
    assert server.accepted() == 1 + (report["native"] == "connected")


def test_unprivileged_reader_is_capped(server):
    """As an ordinary user (nobody), where the kernel enforces RLIMIT_NPROC:
    the reader can still start a few processes (Tesseract) but no fork
    bomb, writes no file past MAX_FILE_BYTES, and has no network."""
    if os.getuid() != 0:
        pytest.skip("Needs root to run a process as another user.")
    python = next((p for p in (sys.executable, shutil.which("python3"), "/usr/bin/python3") if runs_as_nobody(p)), None)
    if python is None:
        pytest.skip("No Python the user nobody may run.")
    report = harden_elsewhere(server, user=NOBODY, python=python)
    assert report["uid"] == NOBODY
    assert 8 <= report["forks"] <= bootstrap.NPROC_HEADROOM
    assert report["big_file"].startswith("OSError: [Errno 27]")  # EFBIG: File too large
    assert server.accepted() == 1 + (report["native"] == "connected")
    assert report["create_connection"] != "connected"
    assert report["socket"] != "connected"
    if report["network"] == "namespace":  # through a user namespace, whose capabilities are dropped
        assert report["native"] != "connected"
        assert int(report["capabilities"], 16) == 0
