"""Where the fitting data ends and the reported data begins: one split rule for bench/fit.py and bench/quality.py.

CMRC questions are split by ARTICLE (a hash of its id), so no article has questions on both sides. The shipped
seed set (one newspaper page) is split by question: within each question type, in file order, every second
question is held out.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_QUESTIONS = ROOT / "tests" / "questions.jsonl"
# CMRC trial questions translated into English (bench/cmrc-en/README.md): asked of the same Chinese corpus.
CMRC_EN_QUESTIONS = ROOT / "bench" / "cmrc-en" / "questions.jsonl"
# The benchmark folder: BENCH_CMRC, else beside the checkout (../shared/benchmarks/cmrc2018-trial), else where
# this workplace keeps it (a clone elsewhere, as CI makes, still finds it).
_BESIDE = ROOT.parent / "shared" / "benchmarks" / "cmrc2018-trial"
CMRC = Path(os.environ.get("BENCH_CMRC") or
            (_BESIDE if _BESIDE.is_dir() else Path("/work/shared/benchmarks/cmrc2018-trial")))
Side = Literal["fit", "held-out", "all"]


def cmrc_article(question_id: str) -> str:
    """The article a CMRC question is about: TRIAL_788_QUERY_1 (or its translation, TRIAL_788_QUERY_1-en) ->
    TRIAL_788."""
    return question_id.rsplit("_QUERY", 1)[0]


def article_held_out(article: str) -> bool:
    """Half the articles, by a stable hash of their id."""
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % 2 == 1


def cmrc_side(questions: Sequence[dict[str, Any]], side: Side) -> list[dict[str, Any]]:
    if side == "all":
        return list(questions)
    return [q for q in questions if article_held_out(cmrc_article(q["id"])) == (side == "held-out")]


def seed_side(questions: Sequence[dict[str, Any]], side: Side) -> list[dict[str, Any]]:
    if side == "all":
        return list(questions)
    seen: dict[str, int] = {}
    out = []
    for q in questions:
        i = seen[q["type"]] = seen.get(q["type"], -1) + 1
        if (i % 2 == 1) == (side == "held-out"):
            out.append(q)
    return out
