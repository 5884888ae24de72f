"""Text utilities shared by every module: segmenter, tokens, stop words, sentences, language (imports nothing from rag)."""

from __future__ import annotations

import logging
import marshal
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")

# A sentence ends at 。！？； (or ASCII !?;, a full stop before a space or the end, a line break) plus any closing
# quotes/brackets that follow it. A full stop after one capital letter is an initial (Reginald W. Stewart), and one
# after a number opening a line numbers a list's item (1. 一类城市).
SENTENCE_END = r"(?:[。！？；!?;…\n]|(?<!\b[A-Z])(?<!^\d)(?<!\n\d)(?<!^\d\d)(?<!\n\d\d)\.(?=\s|$))[”’」』）)\]》]*"
_SENTENCE_RE = re.compile(rf".+?({SENTENCE_END}|$)", re.S)
# Brackets and quotes a sentence does not end inside: 《卡拉OK.LIVE！台北》, （Thomas R. Holtz）, “唵！自在……”.
_PAIRS = dict(zip("（(《〈「『“【[", "）)》〉」』”】]"))
_TITLE_CLOSE = re.compile("[》〉]")
_BRACKET = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "\n]")
# Twice the default passage size: every real sentence stays whole, a run of text without punctuation
# (a minified file, a table dumped on one line) is cut into pieces a reader can still cite.
SENTENCE_MAX_CHARS = 640
# What parts a sentence into clauses; not a comma or a colon between digits (3,600元, 14:30).
CLAUSE_MARK = re.compile(r"[，；;：]|(?<!\d)[,:]|[,:](?!\d)")
# Where an over-long sentence is cut, best first: after a clause mark, at a space, anywhere.
_CLAUSE_END = re.compile(r"[，、,：:）)」』”’]")

# The commonest Chinese surnames: a word the dictionary lacks that opens with one may name someone (rag/answertype.py),
# and a name in pinyin that opens with one's reading is a person's (rag/pinyin.py).
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
                     "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
                     "武戴莫孔向汤")

# Function words and question words carry no topic; dropping them keeps BM25 on content terms. (English "may"
# and "no" stay: a month, a number.)
STOPWORDS = frozenset(
    """的 了 是 在 和 与 及 或 等 也 都 就 而 并 对 将 把 被 为 以 于 从 由 向 让 给 这 那 其 之 个 中 上 下
    有 没有 什么 哪些 哪个 哪 多少 几 几个 怎么 怎样 如何 为什么 是否 吗 呢 吧 啊 请问 请 一下 关于 哪里 何时
    谁 这个 那个 这些 那些 我 你 他 她 它 我们 你们 他们 该 此 所 则 即 已 已经 还 又 再 要 会 能 可以 可 需 需要 应该 应当 必须 能够
    一共 总共 分别 具体 主要 包括 请问 是不是 有没有 怎么样
    the a an of to in on for and or is are was were be been by with what which who whom how many much
    when where why does do did has have had it its this that these those as at from about into
    i me my we our you your he him his she her they them their can could should would shall might must
    if not so than then there any some each per being get""".split()
)
_PUNCT = re.compile(r"^[\W_]+$")
# Interrogatives built on 哪/几 (哪所, 哪几个, 几项) ask for a fact; they never name one.
_INTERROGATIVE = re.compile(r"^(哪|几)")
# What Chinese asks or links with, and a name seldom holds (an English question quoting 青石职业学院 has none).
_CHINESE_FRAME = re.compile(r"什么|哪|谁|多少|几|怎么|怎样|如何|为什么|为何|何时|是否|吗|呢|是|的")


def cached_in_temp(name: str, build: Callable[[], Any]) -> Any:
    """A table built once per machine: kept in the temp dir as marshal under `name` (which should change with
    its source and format), built again when that cannot be read or written."""
    cache = Path(tempfile.gettempdir()) / name
    try:
        return marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError):
        pass
    table = build()
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps(table))
        tmp.replace(cache)
    except OSError:  # a read-only or full temp dir: built again next time
        with suppress(OSError):
            tmp.unlink()
    return table


@lru_cache(maxsize=1)
def segmenter() -> Any:
    """jieba, with its dictionary loaded once per process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


class WordCounts:
    """jieba's prefix dictionary (word → count; 0 for a word's prefix) read from an SQLite copy as words are looked
    up: a process that segments one question reads a few hundred rows instead of loading half a million."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.total = int(self._db.execute("SELECT n FROM words WHERE w = ''").fetchone()[0])
        self._seen: dict[str, int | None] = {}

    def get(self, word: str, default: int | None = None) -> int | None:
        try:
            n = self._seen[word]
        except KeyError:
            row = self._db.execute("SELECT n FROM words WHERE w = ?", (word,)).fetchone()
            n = self._seen[word] = None if row is None or not word else row[0]
        return default if n is None else n

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        n = self.get(word)
        if n is None:
            raise KeyError(word)
        return n

    def __setitem__(self, word: str, n: int) -> None:  # jieba.add_word
        self._seen[word] = n


def jieba_dictionary() -> Path:
    """The dictionary file jieba reads its words, counts and tags from."""
    import jieba

    return Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME


def dictionary_copy(cache_dir: Path) -> Path:
    """Where the SQLite copy of jieba's dictionary lives (named for the dictionary file it copies)."""
    return cache_dir / f"jieba-words-{jieba_dictionary().stat().st_size}.sqlite"


def save_dictionary_copy(cache_dir: Path) -> None:
    """Write the SQLite copy of the loaded dictionary, once, or again if it cannot be read (ingest does: it loads
    the dictionary anyway)."""
    path = dictionary_copy(cache_dir)
    if path.exists():
        try:
            WordCounts(path)
            return
        except sqlite3.Error:
            pass  # damaged: written again below
    jieba = segmenter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as db:
        db.execute("CREATE TABLE words (w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO words VALUES (?, ?)", [("", jieba.dt.total), *jieba.dt.FREQ.items()])
    db.close()
    tmp.replace(path)  # a reader sees the whole copy or none


def read_dictionary_from_disk(cache_dir: Path) -> bool:
    """For a process that answers one question: let jieba look words up in the SQLite copy instead of loading
    its whole dictionary (most of a cold start). False, changing nothing, when there is no copy or jieba has
    loaded its dictionary already."""
    import jieba

    path = dictionary_copy(cache_dir)
    if jieba.dt.initialized or not path.exists():
        return False
    try:
        words = WordCounts(path)
    except sqlite3.Error:  # a damaged copy: load the dictionary as usual
        return False
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = words, words.total, True
    return True


CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def chinese_value(run: str) -> int | None:
    """三 -> 3, 五十六 -> 56, 二〇二二 -> 2022, 一百零五 -> 105, 一万二 -> 12000 (spoken: the last digit counts in the
    unit below the one before it); None when it is not a number."""
    if not run or len(run) > 20 or any(c not in CN_DIGITS and c not in CN_UNITS for c in run):
        return None  # (a run of numerals longer than any number is no number)
    if all(c in CN_DIGITS for c in run):
        return int("".join(str(CN_DIGITS[c]) for c in run)) if len(run) > 1 or run not in "零〇" else 0
    total, high, section, digit = 0, 0, 0, None  # whole 亿 groups, the 万 group under them, what is under 万
    for c in run:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif c == "亿":
            total += (high + section + (digit or 0) or 1) * CN_UNITS[c]  # 亿 alone (亿元) is one
            high, section, digit = 0, 0, None
        elif c == "万":
            high += (section + (digit or 0) or 1) * CN_UNITS[c]
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * CN_UNITS[c]
            digit = None
    if digit and len(run) > 2 and run[-2] in ("百", "千", "万", "亿"):  # 一万二 (not 万一, "in case")
        digit *= CN_UNITS[run[-2]] // 10
    return total + high + section + (digit or 0)


def rarity(word: str) -> float:
    """How rare the word is in Chinese at large, at most 1: the log of its inverse frequency in jieba's dictionary
    over the log of the dictionary's total (1 for a word it does not list: a name, a new word, an English word)."""
    dt = segmenter().dt
    freq = dt.FREQ.get(word)
    return math.log(dt.total / freq) / math.log(dt.total) if freq else 1.0


def in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary lists the word; one it does not list (a name, a new word) is cut by context, so
    the same characters may be cut differently in another sentence."""
    return bool(segmenter().dt.FREQ.get(word))


@cache
def tagged(tags: tuple[str, ...], shortest: int = 2, longest: int = 99) -> frozenset[str]:
    """Words of `shortest` to `longest` characters that jieba's dictionary tags with one of the tags (ns place,
    nr person, nt organisation, nz other name, a adjective, c conjunction, v verb...).

    Read from the dictionary file once and cached beside jieba's own cache, rather than by importing jieba.posseg,
    which would slow every cold start.
    """
    src = jieba_dictionary()
    return frozenset(cached_in_temp(
        f"rag-names-{'-'.join(tags)}-{shortest}-{longest}-{src.stat().st_size}.marshal",
        lambda: [p[0] for p in (line.split() for line in src.read_text(encoding="utf-8").splitlines())
                 if len(p) == 3 and p[2][:2] in tags and shortest <= len(p[0]) <= longest]))


@cache
def _to_simplified() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """The text in simplified characters, which jieba's dictionary is written in (OpenCC's t2s)."""
    return _to_simplified().convert(text)


def search_cut(text: str) -> list[tuple[str, str, int, int]]:
    """jieba's search-mode tokens of the text: each as the text writes it, as it was read, and its span.
    Traditional characters are read in their simplified form (jieba's dictionary holds few traditional words)."""
    read = simplified(text)
    if len(read) != len(text):
        read = text
    return [(text[a:b], w, a, b) for w, a, b in segmenter().tokenize(read, mode="search")]


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens, lower-cased, without stop words or punctuation."""
    toks = ((t.strip().lower(), r.strip().lower()) for t, r, _, _ in search_cut(text))
    return [t for t, r in toks
            if t and r not in STOPWORDS and not _PUNCT.match(r) and not _INTERROGATIVE.match(r)]


_ASKS = re.compile(r"[？?][”’」』）)]*$")


def asks(text: str) -> bool:
    """Whether the text ends asking a question (如何提升服务质量？, 问：可以借几本？): the text's own question."""
    return bool(_ASKS.search(text))


def split_sentences(text: str, limit: int = SENTENCE_MAX_CHARS) -> list[str]:
    """Split Chinese (or mixed) text after sentence-ending punctuation, keeping it; none longer than limit."""
    return [text[a:b] for a, b in sentence_spans(text, limit)]


def sentence_spans(text: str, limit: int = SENTENCE_MAX_CHARS) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text, without surrounding space, each at most limit characters."""
    out: list[tuple[int, int]] = []
    pairs = _bracketed(text)  # by opening position
    closes = dict(pairs)
    reach, i = -1, 0  # the furthest close of the pairs opened before the mark
    start, inner = 0, []  # where the sentence began; the ends of the marks inside its brackets

    def emit(end: int) -> None:
        nonlocal start
        a, b = _strip_span(text, start, end)
        start = end
        while b - a > limit:
            # Too long (a long quoted speech): cut at the last of its own sentence ends that fits, else as any text.
            ends = [e for e in inner if a + limit // 2 < e <= a + limit]
            cut = ends[-1] if ends else _cut_point(text, a, limit)
            out.append(_strip_span(text, a, cut))
            a, b = _strip_span(text, cut, b)
        inner.clear()
        if a < b:
            out.append((a, b))

    for m in _SENTENCE_RE.finditer(text):
        mark = m.start(1)
        while i < len(pairs) and pairs[i][0] < mark:
            reach, i = max(reach, pairs[i][1]), i + 1
        if text[mark:mark + 1] == "；" and goes_on(text, start, mark, m.end()):
            continue  # 责令改正；拒不改正的，处…罚款: the case and its penalty are one sentence
        if reach >= m.end() or closes.get(mark - 1, -1) > mark or _TITLE_CLOSE.search(m.group(1)):
            # Inside brackets that close later (or all they hold), or the end of a title (《你好！李焕英》 names a
            # work): the sentence goes on.
            inner.append(m.end())
            continue
        emit(m.end())
    if start < len(text):
        emit(len(text))  # the text ended on a mark inside brackets (（;）): what it holds is still a sentence
    return [sp for sp in out if sp[0] < sp[1]]


_CONDITION = re.compile(r"\s*([\u4e00-\u9fff\d]+?)的[，,]")


def goes_on(text: str, start: int, mark: int, end: int) -> bool:
    """Whether the clause after the ； at mark (the sentence began at start; the mark's match ends at end) goes on
    from the one before it: its condition (拒不改正的，) picks up a word of what that clause ended on (责令改正；),
    not a parallel case of its own (迟到的，…；旷工的，…)."""
    m = _CONDITION.match(text, end)
    if not m:
        return False
    before = text[max(start, text.rfind("，", start, mark) + 1):mark]
    cond = m.group(1)
    return any(cond[k:k + 2] in before for k in range(len(cond) - 1))


def _bracketed(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of the matched bracket and quote pairs of text, by opening position; a pair never
    spans a line break, and a bracket left open is not a pair (it must not swallow the rest of the text)."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    waiting: dict[str, int] = {}  # closing character -> how many brackets on the stack it would close
    for m in _BRACKET.finditer(text):
        ch, at = m.group(), m.start()
        if ch == "\n":
            stack.clear()
            waiting.clear()
        elif ch in _PAIRS:
            stack.append((_PAIRS[ch], at))
            waiting[_PAIRS[ch]] = waiting.get(_PAIRS[ch], 0) + 1
        elif waiting.get(ch):
            while stack:  # brackets opened inside this pair and never closed are dropped
                want, o = stack.pop()
                waiting[want] -= 1
                if want == ch:
                    pairs.append((o, at))
                    break
    return sorted(pairs)


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _cut_point(text: str, a: int, limit: int) -> int:
    """Where to end the first piece of text[a:], at most limit long: late in the window at a clause mark,
    else at a space, else exactly at the limit."""
    window = text[a : a + limit]
    half = limit // 2
    marks = [m.end() for m in _CLAUSE_END.finditer(window, half)]
    if marks:
        return a + marks[-1]
    spaces = [i for i in range(len(window) - 1, half - 1, -1) if window[i].isspace()]
    return a + (spaces[0] if spaces else limit)


def language(text: str) -> str:
    """'en' when the text is mostly Latin letters and its Chinese names things only, else 'zh': a Chinese question
    word or particle makes the text Chinese however long its Latin names (PostgreSQL如何备份？)."""
    latin = len(_LATIN.findall(text)) > 2 * len(CJK.findall(text))
    return "en" if latin and not _CHINESE_FRAME.search(text) else "zh"


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
