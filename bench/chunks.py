"""Choose the passage size: refit the scoring at each size on the fitting half, compare, then show the held-out half.

    python bench/chunks.py [--sizes 320,480,640] [--work eval-out/chunks]

For each size, bench/fit.py runs with RAG_CHUNK_CHARS set (its own stores and samples under --work/SIZE) and
prints the fitted models' out-of-fold figures on the fitting half (passage hit@1, key facts and citation
precision of the quoted sentences) and the held-out figures. The table is written to eval-out/chunks.md; the
README's Evaluation section says which size was chosen and why.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_HIT1 = re.compile(r"hit@1 by pool size \(out of fold\):.*?10: ([\d.]+)")
_QUOTE = re.compile(r"key-fact ([\d.]+), citation precision ([\d.]+) \(out of fold\)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="320,480,640")
    ap.add_argument("--work", type=Path, default=ROOT / "eval-out" / "chunks")
    a = ap.parse_args(argv)
    head = held_head = ""
    rows = []
    for size in [int(s) for s in a.sizes.split(",")]:
        work = a.work / str(size)
        work.mkdir(parents=True, exist_ok=True)
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "fit.py"), "--work", str(work),
                              "--output", str(work / "scoring.json")], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "RAG_CHUNK_CHARS": str(size)}, check=True).stdout
        hit1, quote = _HIT1.search(out), _QUOTE.search(out)
        lines = out.splitlines()
        at = lines.index("held-out:")
        held_head, held = "\n".join(lines[at + 1 : at + 3]), lines[at + 3]
        rows.append(f"| {size} | {hit1.group(1)} | {quote.group(1)} | {quote.group(2)} |")
        head += held.replace("| all (shipped) |", f"| {size} |", 1) + "\n"
        print(rows[-1], flush=True)
    text = ("# Passage size\n\nFitting half, out of fold:\n\n| chunk_chars | passage hit@1 | key facts | "
            "citation precision |\n|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\nHeld-out half:\n\n"
            + held_head.replace("| features |", "| chunk_chars |", 1) + "\n" + head)
    (ROOT / "eval-out").mkdir(exist_ok=True)
    (ROOT / "eval-out" / "chunks.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
