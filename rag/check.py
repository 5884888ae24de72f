"""The sentence checker: every sentence of a generated answer must be supported by the passage it cites."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .question import proper_names
from .result import Answer, AnswerSentence, Citation
from .retrieval import Hit
from .text import CN_DIGITS, CN_UNITS, chinese_value, goes_on, split_sentences

SUPPORT_FILE = Path(__file__).with_name("support.json")
# [1], [1][2], [1, 2], [1、2], 【1】, ［1］
MARKER = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*)\s*[\]】］]")
# In Chinese a full stop is 。; an ASCII . ! ? inside it belongs to a Latin name ("B. laciniata", "Hey! Say!").
_ENDS = {
    "zh": r"(?:[。！？；…]+|[!?;](?!\s*[A-Za-z]))[”’」』）)》\"']*",
    "en": r"(?:[。！？；!?;…]+|\.(?=\s|$))[”’」』）)》\"']*",
}
_PIECES = {lang: re.compile(rf"{end}(?:\s*{MARKER.pattern})*|(?:{MARKER.pattern}\s*)+(?:{end})?")
           for lang, end in _ENDS.items()}
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)）])\s+")
_NUMBER = re.compile(r"\d+(?:[.,，]\d+)*")
_CN_RUN = re.compile(f"[{''.join(CN_DIGITS)}{''.join(CN_UNITS)}]+")

# A passage sentence that addresses the model is an instruction planted in the text, never evidence for an answer.
INSTRUCTION = re.compile(
    r"忽略(?:之前|以上|上述|前面|先前|此前)?(?:的)?(?:所有|全部|一切)?(?:规则|指令|指示|要求|提示|设定)|"
    r"(?:系统|system)\s*(?:提示|指令|prompt)|(?:你|您)(?:现在)?(?:必须|只能|应该)(?:回答|输出|说)|不要(?:标注|注明)(?:出处|来源)|"
    r"\b(?:ignore|disregard|forget)\b.{0,20}\b(?:instructions|rules|prompt)\b|\byou (?:must|should) (?:now )?(?:answer|say|reply)",
    re.I,
)

REASONS = {
    "zh": {
        "number": "数字“{x}”不在所引段落中",
        "name": "名称“{x}”不在所引段落中",
        "weak": "所引段落不支持这句话（支持度 {x:.2f}）",
        "nocite": "没有标注出处，也没有哪个段落支持它（最高支持度 {x:.2f}）",
        "removed": "删除了指向不存在段落的标注 {x}",
        "assigned": "原句未标注出处，按支持度补上 [{x}]",
    },
    "en": {
        "number": "the number “{x}” is not in the cited passage",
        "name": "the name “{x}” is not in the cited passage",
        "weak": "the cited passage does not support it (support {x:.2f})",
        "nocite": "no citation, and no passage supports it (best support {x:.2f})",
        "removed": "removed citation {x}: no such passage",
        "assigned": "had no citation; [{x}] added by support",
    },
}


@dataclass(frozen=True)
class Support:
    """Logistic support score over (embedding similarity, character overlap), with its calibrated threshold."""

    w_dense: float
    w_overlap: float
    bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path = SUPPORT_FILE) -> Support:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["w_dense"], data["w_overlap"], data["bias"], data["threshold"])

    def probability(self, dense: float, overlap: float) -> float:
        z = self.w_dense * dense + self.w_overlap * overlap + self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass
class Verdict:
    """One checked sentence: the shown-passage numbers it cites (1-based, prompt order) and why it passed or not."""

    text: str
    cited: list[int]
    supported: bool
    reason: str = ""
    score: float = 0.0
    # (shown-passage number, its sentence closest to this one): what the sources panel highlights.
    evidence: list[tuple[int, str]] = field(default_factory=list)


def split_reply(reply: str, lang: str = "zh") -> list[tuple[str, list[int]]]:
    """The reply's sentences without their markers, each with the passage numbers its markers name."""
    out, at = [], 0
    pieces = []
    for m in _PIECES[lang].finditer(reply):
        if m.group() == "；" and goes_on(reply, at, m.start(), m.end()):
            continue  # read as the quoted passages are: 责令改正；拒不改正的，处…罚款 is one sentence
        pieces.append(reply[at : m.end()])
        at = m.end()
    pieces.append(reply[at:])
    for piece in pieces:
        cited = [int(n) for g in MARKER.findall(piece) for n in re.split(r"[^\d]+", g) if n]
        text = _BULLET.sub("", MARKER.sub("", piece)).strip()
        text = re.sub(r"\s+([.,;:!?。，；：！？])", r"\1", re.sub(r"^[，,、；;：:\s]+", "", text))
        if any(ch.isalnum() for ch in text):
            out.append((text, list(dict.fromkeys(cited))))
    return out


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def bigrams(text: str) -> set[str]:
    chars = [c for c in _norm(text) if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:])} or set(chars)


def overlap(sentence: str, evidence: str) -> float:
    """Share of the sentence's character bigrams found in the evidence (copied wording scores high)."""
    mine = bigrams(sentence)
    return len(mine & bigrams(evidence)) / len(mine) if mine else 0.0


def numbers_in(text: str) -> set[str]:
    """Arabic numbers in a text (thousands separators dropped), plus its Chinese numerals as Arabic."""
    out = {re.sub(r"[,，]", "", n) for n in _NUMBER.findall(_norm(text))}
    for run in _CN_RUN.findall(text):
        value = chinese_value(run)
        if value is not None:
            out.add(str(value))
    return out


def unsupported_facts(sentence: str, evidence: str, lang: str) -> tuple[str, str] | None:
    """The first number or name of the sentence that the evidence lacks, as (kind, value)."""
    have = numbers_in(evidence)
    for n in _NUMBER.findall(_norm(sentence)):
        n = re.sub(r"[,，]", "", n)
        if n not in have and not ("." in n and n.rstrip("0").rstrip(".") in have):
            return "number", n
    if lang == "zh":
        low = _norm(evidence)
        for name in proper_names(sentence):
            if _norm(name) not in low:
                return "name", name
    return None


class Checker:
    """Checks a reply's sentences against the shown passages with a calibrated support score."""

    def __init__(self, support: Support, embed: Callable[[list[str]], np.ndarray]) -> None:
        self.support, self.embed = support, embed

    @staticmethod
    def context(hit: Hit) -> str:
        """What a passage vouches for: its heading, article title and text, without planted instructions."""
        m = hit.meta
        text = "".join(s for s in split_sentences(hit.text) if not INSTRUCTION.search(s))
        return "\n".join(x for x in (m.get("article", ""), m.get("heading", ""), text) if x)

    def features(self, vec: np.ndarray, text: str, hits: Sequence[Hit],
                 sentences: dict[str, list[tuple[str, np.ndarray]]]) -> tuple[float, float, str]:
        """(best cosine to one of the passages' sentences, character overlap with them, that sentence)."""
        rows = [row for h in hits for row in sentences.get(h.chunk_id) or [(h.text, None)]
                if not INSTRUCTION.search(row[0])]
        scored = [(float(v @ vec) if v is not None else 0.0, s) for s, v in rows]
        dense, best = max(scored, default=(0.0, ""))
        return dense, overlap(text, "\n".join(self.context(h) for h in hits)), best

    def check(self, reply: str, hits: Sequence[Hit], sentences: dict[str, list[tuple[str, np.ndarray]]],
              lang: str) -> list[Verdict]:
        """A verdict for each sentence of the reply; hits are the passages shown, numbered from 1."""
        parts = split_reply(reply, lang)
        if not parts:
            return []
        vecs = self.embed([t for t, _ in parts])
        reasons = REASONS[lang]
        out = []
        for (text, marked), vec in zip(parts, vecs):
            cited = [n for n in marked if 1 <= n <= len(hits)]
            notes = [reasons["removed"].format(x=", ".join(f"[{n}]" for n in marked if n not in cited))] \
                if len(cited) < len(marked) else []
            if cited:
                v = self._judge(text, vec, cited, hits, sentences, lang)
            else:
                v = self._best_of_all(text, vec, hits, sentences, lang)
            v.reason = "; ".join([*notes, v.reason] if v.reason else notes)
            out.append(v)
        return out

    def _judge(self, text: str, vec: np.ndarray, cited: list[int], hits: Sequence[Hit],
               sentences: dict[str, list[tuple[str, np.ndarray]]], lang: str) -> Verdict:
        chosen = [hits[n - 1] for n in cited]
        dense, lap, best = self.features(vec, text, chosen, sentences)
        score = self.support.probability(dense, lap)
        evidence = [(n, s) for n in cited for s in self._highlights(vec, text, hits[n - 1], sentences)]
        fact = unsupported_facts(text, "\n".join(self.context(h) for h in chosen), lang)
        if fact:
            return Verdict(text, cited, False, REASONS[lang][fact[0]].format(x=fact[1]), score, evidence)
        if score < self.support.threshold:
            return Verdict(text, cited, False, REASONS[lang]["weak"].format(x=score), score, evidence)
        return Verdict(text, cited, True, "", score, evidence)

    def _best_of_all(self, text: str, vec: np.ndarray, hits: Sequence[Hit],
                     sentences: dict[str, list[tuple[str, np.ndarray]]], lang: str) -> Verdict:
        tries = [self._judge(text, vec, [n], hits, sentences, lang) for n in range(1, len(hits) + 1)]
        good = [v for v in tries if v.supported]
        if good:
            best = max(good, key=lambda v: v.score)
            best.reason = REASONS[lang]["assigned"].format(x=best.cited[0])
            return best
        top = max((v.score for v in tries), default=0.0)
        return Verdict(text, [], False, REASONS[lang]["nocite"].format(x=top), top)

    @staticmethod
    def _highlights(vec: np.ndarray, text: str, hit: Hit,
                    sentences: dict[str, list[tuple[str, np.ndarray]]]) -> list[str]:
        """The passage's sentence closest in meaning, and every one holding a number the sentence states."""
        rows = [r for r in sentences.get(hit.chunk_id) or [] if not INSTRUCTION.search(r[0])]
        if not rows:
            return []
        best = max(rows, key=lambda r: float(r[1] @ vec))[0]
        stated = {re.sub(r"[,，]", "", n) for n in _NUMBER.findall(_norm(text))}
        return [s for s, _ in rows if s == best or stated & numbers_in(s)]


def checked_answer(verdicts: Sequence[Verdict], hits: Sequence[Hit], lang: str, backend: str) -> Answer:
    """The answer built from checked sentences: cited passages renumbered by first citation, as quotes are."""
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    for v in verdicts:
        for shown in v.cited:
            if shown not in numbers:
                numbers[shown] = len(numbers) + 1
                citations.append(Citation.of(numbers[shown], hits[shown - 1]))
        if v.supported:
            for shown, s in v.evidence:
                if s not in citations[numbers[shown] - 1].sentences:
                    citations[numbers[shown] - 1].sentences.append(s)
        sentences.append(AnswerSentence(v.text, [numbers[n] for n in v.cited], v.supported, v.reason))
    parts = [s.text + "".join(f"[{n}]" for n in s.citations) for s in sentences]
    bad = sum(not s.supported for s in sentences)
    notice = None
    if bad:
        notice = (f"{bad} 句（共 {len(sentences)} 句）未得到所引段落的支持，已标出。" if lang == "zh" else
                  f"{bad} of {len(sentences)} sentences are not supported by the passages they cite (marked).")
    return Answer("".join(parts) if lang == "zh" else " ".join(parts), False, citations, sentences,
                  max((v.score for v in verdicts), default=0.0), backend, notice)
