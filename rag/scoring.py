"""The fitted scoring parameters: three logistic models (passage, sentence, answerable) and how many sentences to
quote. Written by `rag fit` (rag/fit.py) into a small JSON file; applied here with numpy alone."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError

DEFAULT_SCORING = Path(__file__).with_name("scoring.json")


@dataclass(frozen=True)
class Linear:
    """A logistic model over named features: logit = ((x - mean) / scale) · coef + intercept."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def logit(self, x: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        """Logits for rows of x, whose columns are `names` (a superset of this model's features)."""
        if len(x) == 0:
            return np.zeros(0)
        cols = [names.index(f) for f in self.features]
        return ((x[:, cols] - self.mean) / self.scale) @ self.coef + self.intercept

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Linear:
        arr = lambda k: np.asarray(d[k], dtype=np.float64)  # noqa: E731
        return cls(tuple(d["features"]), arr("mean"), arr("scale"), arr("coef"), float(d["intercept"]))


@dataclass(frozen=True)
class Scoring:
    """Everything the ranking, the choice of sentences and the abstention decide with."""

    passage: Linear  # P(this passage holds the answer)
    sentence: Linear  # P(this sentence answers the question)
    answerable: Linear  # P(the corpus answers this question)
    threshold: float  # P(answerable) below this abstains
    keep: float  # another sentence is quoted when its P(answers) is at least this share of the best one's
    max_sentences: int  # at most this many sentences for a list question
    max_fact_sentences: int  # and for any other question
    pool: int  # passages re-ranked (the best of dense and keyword search, fused by rank)
    about: dict[str, Any] = field(default_factory=dict)  # what it was fitted on
    # P(answerable) below this abstains on a question asked in another language than the passages (an English
    # question of a Chinese text), whose scores sit elsewhere; None: the threshold above.
    cross_threshold: float | None = None

    def threshold_for(self, cross: bool) -> float:
        """The cut for a question asked in the passages' language, or (cross) in another."""
        return self.cross_threshold if cross and self.cross_threshold is not None else self.threshold

    def to_json(self) -> dict[str, Any]:
        return {"passage": self.passage.to_json(), "sentence": self.sentence.to_json(),
                "answerable": self.answerable.to_json(), "threshold": self.threshold,
                "cross_threshold": self.cross_threshold, "keep": self.keep,
                "max_sentences": self.max_sentences, "max_fact_sentences": self.max_fact_sentences,
                "pool": self.pool, "about": self.about}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Scoring:
        return cls(Linear.from_json(d["passage"]), Linear.from_json(d["sentence"]),
                   Linear.from_json(d["answerable"]), float(d["threshold"]), float(d["keep"]),
                   int(d["max_sentences"]), int(d["max_fact_sentences"]), int(d["pool"]), d.get("about", {}),
                   None if d.get("cross_threshold") is None else float(d["cross_threshold"]))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=8)
def load_scoring(path: Path | None = None) -> Scoring:
    """The scoring file at path (default: the one shipped with rag); a missing or stale file says how to refit."""
    from .features import PASSAGE_FEATURES, QUESTION_FEATURES, SENTENCE_FEATURES

    path = path or DEFAULT_SCORING
    try:
        s = Scoring.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise UsageError(f"No scoring file at {path}. Unset RAG_SCORING to use the shipped one, or write one "
                         "with `rag fit --questions FILE.jsonl --store DIR --output FILE.json`.") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UsageError(f"The scoring file {path} cannot be read ({type(e).__name__}: {e}). Write it again "
                         "with `rag fit`.") from None
    for model, known in ((s.passage, PASSAGE_FEATURES), (s.sentence, SENTENCE_FEATURES),
                         (s.answerable, QUESTION_FEATURES)):
        unknown = [f for f in model.features if f not in known]
        if unknown:
            raise UsageError(f"The scoring file {path} uses features this version does not compute "
                             f"({', '.join(unknown)}). Write it again with `rag fit`.")
    return s
