"""Entry point of a reader child: ``python bootstrap.py MEMORY_BYTES``.

Limits are set before any reader library is imported, so nothing the child
does can take more than its address space; the engine is then loaded as a
plain package (it has no Odoo import) and serves jobs on stdin/stdout."""

import importlib.util
import os
import resource
import sys
from pathlib import Path


def _limit(memory):
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind
    os.nice(5)  # the Odoo process answering users comes first


def _engine():
    engine_dir = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "scan_herken_engine", engine_dir / "__init__.py", submodule_search_locations=[str(engine_dir)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["scan_herken_engine"] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    _limit(int(sys.argv[1]))
    # The protocol gets its own copy of stdout; a library that prints writes to stderr instead.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _engine()
    from scan_herken_engine.sandbox import child

    child.serve(sys.stdin.buffer, answers)
