"""Frames between the Odoo process and a reader child: a 4-byte length and a
JSON header, then (parent to child) the document's bytes the same way.
JSON, not pickle: what comes back from a process that read hostile input is
plain data."""

import json
import struct

_LENGTH = struct.Struct(">I")
MAX_FRAME = 256 * 1024 * 1024


class ChildGone(Exception):
    """The child closed its pipe: it exited or was killed."""


def write_frame(stream, payload):
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)


def read_exact(read, size):
    chunks, missing = [], size
    while missing:
        chunk = read(missing)
        if not chunk:
            raise ChildGone()
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def read_frame(read):
    (size,) = _LENGTH.unpack(read_exact(read, _LENGTH.size))
    if size > MAX_FRAME:
        raise ChildGone()
    return read_exact(read, size)


def dumps(value):
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str).encode()


def loads(payload):
    return json.loads(payload)
