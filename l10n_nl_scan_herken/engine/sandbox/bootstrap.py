"""Entry point of a reader child: ``python bootstrap.py MEMORY_BYTES``.

Limits are set before any reader library is imported, so nothing the child
does can take more than its address space, write large files, fork without
end or reach the network; the engine is then loaded as a plain package (it
has no Odoo import) and serves jobs on stdin/stdout.

Only the standard library is used here: the tests run ``harden`` in a
process of their own, the same function a child calls."""

import contextlib
import ctypes
import importlib.util
import os
import resource
import sys
from pathlib import Path

NO_NETWORK = "no network in the reader"
# The largest file a child may write (Tesseract's temporary files: a few MB a page).
MAX_FILE_BYTES = 256 * 1024 * 1024
# RLIMIT_NPROC counts every process and thread of the real user, the Odoo
# server's included, so the child's ceiling is what runs now plus this. The
# child itself needs one or two (Tesseract, one at a time); the rest absorbs
# the server's own threads started meanwhile, so that a real OCR is not
# refused a fork, while a fork bomb still ends after a few dozen. The kernel
# does not enforce it for root (CAP_SYS_RESOURCE): the tests run as root.
NPROC_HEADROOM = 32
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_NO_NEW_PRIVS = 38
_CAPABILITY_VERSION_3 = 0x20080522


def harden(memory):
    """Every limit of a reader child; returns how the network was taken
    away: "namespace" (none at all) or "sockets" (Python's refuse)."""
    _limit(memory)
    network = _isolate_network()
    _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # no set-uid program gives the child more rights
    os.nice(5)  # the Odoo process answering users comes first
    return network


def _limit(memory):
    """Soft and hard limit alike: a child cannot raise them back."""
    _cap(resource.RLIMIT_AS, memory)
    _cap(resource.RLIMIT_CORE, 0)  # a crash leaves no core file behind
    _cap(resource.RLIMIT_FSIZE, MAX_FILE_BYTES)
    tasks = _tasks_of_user(os.getuid())
    if tasks is not None:  # set before a user namespace is made: the kernel carries it into it
        _cap(resource.RLIMIT_NPROC, tasks + NPROC_HEADROOM)


def _cap(which, value):
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _tasks_of_user(uid):
    """Processes and threads whose real user is ``uid`` (what RLIMIT_NPROC
    counts), or None without a readable /proc."""
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return None
    count = 0
    for pid in entries:
        real_uid = threads = None
        try:
            with open(f"/proc/{pid}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"Uid:"):
                        real_uid = int(line.split()[1])
                    elif line.startswith(b"Threads:"):
                        threads = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):  # the process ended meanwhile
            continue
        if real_uid == uid:
            count += threads or 1
    return count


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags):
    """unshare(2) (os.unshare comes with Python 3.12)."""
    if _libc().unshare(flags) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def _isolate_network():
    """A network namespace of its own, holding only a loopback that is
    down: no connection, no name lookup, from Python or native code (a
    library exploited by a hostile file). Root may make one; another user
    only together with a user namespace, where the kernel allows those.
    Otherwise Python's sockets refuse, which stops libraries, not an
    exploit."""
    with contextlib.suppress(OSError):
        _unshare(CLONE_NEWNET)
        return "namespace"
    if os.getuid() != 0:
        uid, gid = os.getuid(), os.getgid()
        with contextlib.suppress(OSError):
            _unshare(CLONE_NEWUSER | CLONE_NEWNET)
            _map_ids(uid, gid)
            _drop_capabilities()
            return "namespace"
    _block_sockets()
    return "sockets"


def _map_ids(uid, gid):
    """The same user and group inside the new user namespace (unmapped
    they read as 65534)."""
    for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny"), ("gid_map", f"{gid} {gid} 1")):
        with contextlib.suppress(OSError), open(f"/proc/self/{name}", "w", encoding="ascii") as proc_file:
            proc_file.write(text)


def _drop_capabilities():
    """A new user namespace grants every capability within it; a reader
    needs none."""
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: empty (two 32-bit halves)
    _libc().capset(header, data)


def _block_sockets():
    """Python's ways to the network refuse with PermissionError; a socket
    of AF_UNIX (a local pipe) or made from an existing descriptor (as
    socketpair does) is still allowed."""
    import socket

    def refuse(*_args, **_kwargs):
        raise PermissionError(NO_NETWORK)

    class LocalSocket(socket.socket):
        # socket.socket's own signature, so callers passing type= keep working.
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):  # pylint: disable=redefined-builtin
            if fileno is None and family != socket.AF_UNIX:
                raise PermissionError(NO_NETWORK)
            super().__init__(family, type, proto, fileno)

    socket.socket = LocalSocket
    for name in (
        "create_connection",
        "create_server",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
    ):
        setattr(socket, name, refuse)


def _engine():
    engine_dir = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "scan_herken_engine", engine_dir / "__init__.py", submodule_search_locations=[str(engine_dir)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["scan_herken_engine"] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    harden(int(sys.argv[1]))
    # The protocol gets its own copy of stdout; a library that prints writes to stderr instead.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _engine()
    from scan_herken_engine.sandbox import child

    child.serve(sys.stdin.buffer, answers)
