"""Files added from the web chat: checked, safely named and kept in the store's uploads folder."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from .config import Settings, side_folder
from .errors import UnreadableFileError
from .readers import SUFFIXES, read

MAX_NAME = 120


@dataclass(frozen=True)
class Upload:
    """One file offered for upload: its safe name, and why it was refused (empty when accepted)."""

    name: str
    path: Path  # where it was stored (accepted) or where it came from (refused)
    refused: str = ""


def folder(settings: Settings) -> Path:
    """Where uploaded files are kept: beside the index (inside the store folder), so re-indexing finds them."""
    return side_folder(settings) / "uploads"


def safe_name(given: str) -> str:
    """A file name that is only a name: no folders, no '..', no control or shell-special characters.

    The name a browser sends is never used as a path: '../x.pdf' and 'C:\\\\a\\\\x.pdf' both become 'x.pdf'.
    """
    name = PureWindowsPath(PurePosixPath(given.replace("\x00", "")).name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(c if c.isprintable() else "_" for c in name)
    name = re.sub(r"[^\w.\-()（）\[\]【】 ]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" .") or "document"
    suffix = suffix.lower()
    budget = MAX_NAME - len(suffix) - 1
    return f"{stem[:budget]}.{suffix}" if suffix else stem[:MAX_NAME]


def accept(settings: Settings, files: list[Path]) -> list[Upload]:
    """Check each file (type, size, readable) and copy the good ones into the uploads folder.

    A refused file is never copied: a broken re-upload cannot replace a good file indexed before.
    """
    out: list[Upload] = []
    limit = settings.max_upload_mb * 1024 * 1024
    target = folder(settings)
    target.mkdir(parents=True, exist_ok=True)
    for src in files:
        src = Path(src)
        name = safe_name(src.name)
        suffix = Path(name).suffix
        if suffix not in SUFFIXES:
            why = f"{name}: {suffix or 'no suffix'} is not a supported type (use {', '.join(sorted(SUFFIXES))})"
        elif (size := src.stat().st_size) > limit:
            why = f"{name}: {size / 1048576:.1f} MB is over the {settings.max_upload_mb} MB limit (RAG_MAX_UPLOAD_MB)"
        else:
            why = _unreadable(src, name)
        if why:
            out.append(Upload(name, src, why))
            continue
        dst = target / name
        tmp = target / f".{name}.part"
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # whole or not at all
        out.append(Upload(name, dst))
    return out


def _unreadable(src: Path, name: str) -> str:
    """Why the file cannot be indexed, or '' (the message names the file by its safe name)."""
    try:
        read(src)
    except UnreadableFileError as e:
        return str(e).replace(src.name, name, 1)
    return ""
