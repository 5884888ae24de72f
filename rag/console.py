"""Text bound for a terminal: nothing from a document or a question may drive the terminal."""

from __future__ import annotations

import logging
import re

# C0 and C1 control characters but newline and tab (ESC starts ANSI sequences, 0x9b is a one-byte CSI),
# DEL, and the bidirectional overrides that make text display in another order than it reads.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """The text with every terminal control shown as a visible escape (ESC -> \\x1b) instead of obeyed."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                       str(text))


class SafeFormatter(logging.Formatter):
    """Log lines (which name files and quote text) made safe for the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record))
