"""Which CMRC trial questions were translated into English for cmrc-en/questions.jsonl (a seeded sample).

    python bench/cmrc-en/sample.py > todo.jsonl

Per side of bench/splits.py (fitting / held-out articles) and per case, a seeded random sample in file order; the
questions are then translated by hand and written with their original id plus "-en", case, answer and key facts.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.splits import CMRC, article_held_out, cmrc_article  # noqa: E402

PER_SIDE = {"fit": {"answerable": 60, "absent-topic": 30, "missing-fact": 30},
            "held-out": {"answerable": 50, "absent-topic": 25, "missing-fact": 25}}


def main() -> None:
    rows = [json.loads(line) for line in (CMRC / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    rng = random.Random(43)
    chosen: set[str] = set()
    for side, cases in PER_SIDE.items():
        for case, n in cases.items():
            pool = [r["id"] for r in rows if r["case"] == case
                    and article_held_out(cmrc_article(r["id"])) == (side == "held-out")]
            chosen.update(rng.sample(pool, min(n, len(pool))))
    for r in rows:
        if r["id"] in chosen:
            print(json.dumps({"id": r["id"], "case": r["case"], "question": r["question"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
