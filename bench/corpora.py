"""Synthetic corpora that look like the seed corpus, for the scale benchmark.

Every generated file is one newspaper article (title, byline, sections of short paragraphs) built
only from the seed corpus's own headings and sentences, recombined, with every number and every
place or person name replaced. The distractors therefore share the corpus's vocabulary, topics and
sentence shapes but state different facts - which is what makes retrieval harder as they grow.

Two properties the benchmark relies on:

* Deterministic and prefix-stable: file j depends only on (j, pool_size), so the 10,000-chunk
  corpus starts with the files of the 1,000-chunk one.
* Template reuse: file j is variant j of skeleton j % pool_size. Numbers are replaced by numbers of
  the same digit count and names by names of the same length, so every variant of a skeleton is
  cut into chunks at the same places (by rag's parser and by the LangChain splitter alike) and
  `template_key` maps them to one key. The benchmark can embed one variant per key for real and
  reuse that vector for the other variants when embedding everything would not fit the time
  budget (it says so in results.md).

No distractor contains an evidence string of the question set: a sentence whose evidence would
survive any variation (no number or name inside the evidence) is never used, and every file is
checked again after generation. So hit@1 can only be earned by the seed passage.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.config import CHUNK_CHARS
from rag.corpus import load_corpus, parse_text, split_sentences
from rag.text import SENTENCE_END

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Names that occur in the seed corpus (places and people), curated by hand from a jieba.posseg pass:
# posseg also tags words like 智慧 or 联合体 as names, which would make nonsense substitutions.
CORPUS_PLACES = """新疆 浙江 江苏 湖北 湖南 天津 喀什 和田 克州 博州 南疆 伊犁 武汉 杭州 温州 绍兴 衢州 台州
富阳 平湖 长兴 新昌 滨江 龙港 江山 海盐 霍城 伊宁 新源 柯桥 阿克苏 吐鲁番 阿图什 乌鲁木齐 博尔塔拉
克孜勒苏""".split()
CORPUS_PEOPLE = "蒋夫尔 沙小进 李怀仁 周学伟 阿力木 克依木 王瀚 虞江锋 郭顺松 陈琦 张吉先 海学慧 乔森 季诚 周乐山 宁锐".split()
# Extra names of the same lengths, so a substitution can always pick a different name.
EXTRA_PLACES = """四川 广东 福建 河南 山东 安徽 江西 云南 贵州 甘肃 青海 吉林 辽宁 河北 山西 广西
宁波 嘉兴 湖州 金华 丽水 舟山 苏州 无锡 常州 南通 扬州 镇江 泰州 徐州 宜昌 襄阳 荆州 长沙 岳阳 常德 哈密
昌吉 塔城 石河子 阿勒泰 库尔勒 五家渠 巴音郭楞 图木舒克 克拉玛依""".split()
EXTRA_PEOPLE = """王磊 李娜 张伟 刘洋 陈静 杨帆 赵敏 黄勇 吴刚 孙丽 王建国 李晓明 张海燕 刘志强 陈国华 杨秀英
赵明远 黄文涛 吴春梅 孙立新 马晓东 朱红霞""".split()

_PLACES = sorted(set(CORPUS_PLACES + EXTRA_PLACES), key=len, reverse=True)
_PEOPLE = sorted(set(CORPUS_PEOPLE + EXTRA_PEOPLE), key=len, reverse=True)
# Longest first, so 乌鲁木齐 wins over a shorter name inside it; digits as whole runs.
_VARIABLE = re.compile("|".join([r"\d+", *map(re.escape, sorted(_PLACES + _PEOPLE, key=len, reverse=True))]))
_ENDS_SENTENCE = re.compile(rf"{SENTENCE_END}$")
_WS = re.compile(r"\s+")

MAX_SENTENCE_CHARS = 130  # short-ish chunks: embedding cost grows with length, and the seed's own
MAX_PARAGRAPH_CHARS = 220  # paragraphs are 136 characters on average


def squash(text: str) -> str:
    """Whitespace removed: evidence matching ignores layout."""
    return _WS.sub("", text)


def contains_evidence(text: str, evidence: Sequence[str]) -> bool:
    """Whether the text holds one of the evidence strings (whitespace ignored)."""
    flat = squash(text)
    return any(squash(e) in flat for e in evidence if e.strip())


def template_key(text: str) -> str:
    """The text with every number and known name masked: equal for all variants of one skeleton."""
    return _VARIABLE.sub(lambda m: "0" if m.group().isdigit() else "□", text)


def load_questions(path: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Skeleton:
    """One article layout: indices into the heading and sentence pools."""

    title: int
    byline_role: str
    byline_name: str
    sections: tuple[tuple[int, tuple[tuple[int, ...], ...]], ...]  # (heading, paragraphs of sentence ids)


class CorpusGenerator:
    """Builds corpora of a target chunk count from the seed corpus's headings and sentences."""

    def __init__(self, seeds: Path = SEEDS, evidence: Iterable[str] = (), pool_size: int = 100,
                 chunk_chars: int = CHUNK_CHARS) -> None:
        self.seeds = seeds
        self.pool_size = max(1, pool_size)
        self.chunk_chars = chunk_chars
        self.evidence = [squash(e) for e in evidence if e.strip()]
        chunks = load_corpus([seeds], chunk_chars)
        heads = {h for c in chunks for h in (c.heading.split(" / ") if c.heading else [])}
        heads |= {c.article for c in chunks if c.article}
        self.headings = sorted(h for h in heads if 4 <= len(h) <= 30 and not self._carries_evidence(h))
        sents = {s for c in chunks if c.kind == "body" for s in split_sentences(c.text)}
        self.sentences = sorted(s for s in sents if self._usable(s))
        self.dropped_sentences = len(sents) - len(self.sentences)
        self.seed_chunks = len(chunks)

    def _usable(self, sentence: str) -> bool:
        """Short enough, a whole sentence, and never able to carry an evidence string into a distractor."""
        return (12 <= len(sentence) <= MAX_SENTENCE_CHARS and bool(_ENDS_SENTENCE.search(sentence))
                and not self._carries_evidence(sentence))

    def _carries_evidence(self, text: str) -> bool:
        """Would an evidence string survive every variant? (It holds no number or name that variation changes.)"""
        masked = squash(_VARIABLE.sub(lambda m: "\0" * len(m.group()), text))
        return any(e in masked for e in self.evidence)

    # -- skeletons and variants ------------------------------------------------
    def skeleton(self, k: int) -> Skeleton:
        rng = random.Random(f"skeleton:{k}")
        sections = []
        for _ in range(rng.randint(2, 4)):
            paras = []
            for _ in range(rng.randint(2, 3)):
                ids: list[int] = []
                length = 0
                for _ in range(rng.randint(1, 3)):
                    s = rng.randrange(len(self.sentences))
                    if ids and length + len(self.sentences[s]) > MAX_PARAGRAPH_CHARS:
                        break
                    ids.append(s)
                    length += len(self.sentences[s])
                paras.append(tuple(ids))
            sections.append((rng.randrange(len(self.headings)), tuple(paras)))
        return Skeleton(
            title=rng.randrange(len(self.headings)),
            byline_role=rng.choice(["本报记者", "通讯员", "本报通讯员"]),
            byline_name=rng.choice([p for p in CORPUS_PEOPLE if len(p) == 3]),
            sections=tuple(sections),
        )

    def render(self, sk: Skeleton) -> str:
        """The skeleton as a newspaper-style text file (blank lines between blocks, like the seed)."""
        blocks = [self.headings[sk.title], f"{sk.byline_role} {sk.byline_name}"]
        for head, paras in sk.sections:
            blocks.append(self.headings[head])
            blocks.extend("".join(self.sentences[i] for i in p) for p in paras)
        return "\n\n".join(blocks) + "\n"

    @staticmethod
    def vary(text: str, rng: random.Random) -> str:
        """Replace every number and name by a different one of the same length (so chunking is unchanged)."""

        def number(m: re.Match[str]) -> str:
            old = m.group()
            while True:
                if len(old) == 4 and old[:2] in ("19", "20"):  # keep years looking like years
                    new = str(rng.randint(2000, 2029))
                else:
                    first = "0123456789" if len(old) == 1 else "123456789"
                    new = rng.choice(first) + "".join(rng.choice("0123456789") for _ in old[1:])
                if new != old:
                    return new

        def name(m: re.Match[str]) -> str:
            old = m.group()
            pool = _PLACES if old in _PLACES else _PEOPLE
            return rng.choice([n for n in pool if len(n) == len(old) and n != old])

        return _VARIABLE.sub(lambda m: number(m) if m.group().isdigit() else name(m), text)

    def file_text(self, j: int) -> str:
        """Generated file j: variant j of skeleton j % pool_size."""
        return self.vary(self.render(self.skeleton(j % self.pool_size)), random.Random(f"variant:{j}"))

    def leaks(self, text: str) -> bool:
        flat = squash(text)
        return any(e in flat for e in self.evidence)

    # -- corpora -----------------------------------------------------------------
    def write(self, dest: Path, target_chunks: int, max_files: int | None = None) -> CorpusInfo:
        """Write seeds + generated files into dest until rag's parser counts >= target_chunks chunks."""
        if dest.exists():
            shutil.rmtree(dest)
        (dest / "gen").mkdir(parents=True)
        for f in sorted(self.seeds.glob("*.txt")):
            shutil.copy2(f, dest / f.name)
        chunks, files, leaked, chars = self.seed_chunks, 0, 0, 0
        j = 0
        while chunks < target_chunks and (max_files is None or files < max_files):
            text = self.file_text(j)
            j += 1
            if self.leaks(text):  # cannot happen by construction; checked so hit@1 stays honest
                leaked += 1
                continue
            name = f"gen/{j - 1:06d}.txt"
            (dest / name).write_text(text, encoding="utf-8")
            chunks += len(parse_text(text, name, self.chunk_chars))
            files += 1
            chars += len(text)
        seed_chars = sum(len(f.read_text(encoding="utf-8")) for f in self.seeds.glob("*.txt"))
        return CorpusInfo(dest, files + 1, chunks, chars + seed_chars, leaked, self.pool_size)


@dataclass
class CorpusInfo:
    path: Path
    files: int
    chunks: int  # as cut by rag's parser
    chars: int
    leaked_skipped: int
    pool_size: int



def corpus_texts(root: Path) -> list[tuple[str, str]]:
    """(source, text) of every .txt under root, in a fixed order (what a LangChain user would load)."""
    return [(p.relative_to(root).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.txt"))]
