"""The process's heap during an ingest: what glibc keeps of the memory a stage frees (no-ops without glibc)."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
_MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value


@cache
def _libc() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def return_freed_memory() -> None:
    """Give the heap's freed memory back to the system: glibc keeps it for reuse, and an ingest would carry what
    one stage freed (a closed part's client, the parsing of a corpus) into the next."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


def map_large_blocks() -> None:
    """Give every block above 128 KiB a mapping of its own, unmapped when it is freed. glibc raises that size each
    time such a block is freed; past it a batch's arrays are carved from the heap, which they leave fragmented,
    and the heap then grows with every part an ingest writes."""
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
