"""The writers' lock on an index: one ingest or removal at a time; readers never take it."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

from .errors import IndexBusyError

log = logging.getLogger(__name__)

class WriteLock:
    """An exclusive flock on a file beside the index; the kernel releases it when the holder dies."""

    def __init__(self, path: Path, wait: float, what: str) -> None:
        self.path, self.wait, self.what = path, wait, what
        self._fd: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it: pid, command and since when."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "another process"
        return f"pid {info.get('pid', '?')} (`{info.get('command', '?')}`, since {info.get('since', '?')})"

    def busy(self) -> str | None:
        """Who holds the lock now, or None; a probe that never waits."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        except BlockingIOError:
            return self.holder()
        finally:
            os.close(fd)

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexBusyError(
                        f"{self.what[:1].upper()}{self.what[1:]} is being written by {self.holder()}. Wait for it to "
                        f"finish and run your command again, or raise RAG_LOCK_WAIT (seconds to wait; now {self.wait:g})."
                    ) from None
                if not told:
                    log.warning("waiting up to %.0f s for %s, held by %s", self.wait, self.what, self.holder())
                    told = True
                time.sleep(0.2)
        # The holder's description is written under the lock, so a waiter reads a whole one.
        info = {"pid": os.getpid(), "command": " ".join(_command()),
                "since": datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _command() -> list[str]:
    argv = list(sys.argv)
    if argv and Path(argv[0]).name in ("rag", "cli.py", "__main__.py"):
        argv[0] = "rag"
    return argv
