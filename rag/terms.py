"""A question's terms weighted by their rarity in this corpus: which of them it mentions, the forms a text may hold
each in (a day written otherwise, a phrase's translation, a word spelled out), and whether a text holds them."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from .answertype import bounds, floor_of, within
from .pinyin import MAX_SPELLINGS, name_words, spellings, surnames, syllables
from .quantity import (
    CALENDAR,
    DAY_OF_MONTH,
    MEASURES,
    NUMBER_WITH_MEASURE,
    NUMERAL,
    SAME_MEASURE,
    day_held,
    day_of,
    number_value,
    small_number,
    year_in_numerals,
)
from .question import Question, bigrams
from .text import SURNAMES, in_dictionary, rarity, segmenter

_HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_WEEKDAY = re.compile(r"(?:星期|礼拜|周)([一二三四五六日天])")
_WEEKDAY_NAMES = {"日": "日天", "天": "日天"}  # Sunday, either way
_ORDINAL = re.compile(r"第([一二三四五六七八九]?十?[一二三四五六七八九十])")  # 第三, 第十二: a small ordinal
_CODE = re.compile(r"(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]+")  # letters and digits, both


class Vocabulary(Protocol):
    """What the corpus's keyword index tells about a word."""

    def idf(self, term: str) -> float: ...

    def df(self, term: str) -> int: ...

    def mentions(self, term: str) -> bool: ...

    def pairs_among(self, firsts: list[str], seconds: list[str]) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class Terms:
    """The question's terms weighted by their rarity in this corpus, and which of them the corpus mentions.

    A term is found in a text by any of its forms: itself, or for an English phrase the translations of it that
    the corpus uses."""

    weights: dict[str, float]
    known: frozenset[str]
    names: tuple[str, ...]
    unknown_names: frozenset[str]
    bigrams: frozenset[str]
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    anchors: tuple[str, ...] = ()  # the question's anchors that the corpus mentions
    # The question's compounds (Question.compounds) with their weights: terms once a passage holds them as written.
    glued: dict[str, float] = field(default_factory=dict)
    # The amounts the question states (工龄8年), by term, with their value and measure: a text bounding a count of
    # that measure around the value (满5年不满15年) holds the term as well as one writing it.
    ranged: dict[str, tuple[float, str]] = field(default_factory=dict)
    # Each retrieved passage (lower-cased) whose tiers set a floor for a ranged term (answertype.within), by term.
    floors: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    # The forms a text spells a term out in (董事会秘书 of 董秘) or a word it is read as (晚餐 of 晚饭), by each character
    # pair inside the term: a text holding the form holds the pair, as it holds the term.
    pair_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, question: Question, vocab: Vocabulary) -> Terms:
        weights: dict[str, float] = {}
        for t in question.terms:
            # A word the corpus never uses, made of words it does (社区活动: 社区 活动), is looked for by those.
            parts = _parts(t) if not (vocab.df(t) or vocab.mentions(t)) else []
            if not any(vocab.df(p) for p in parts):
                parts = [t]
            weights |= {p: vocab.idf(p) for p in parts if p not in weights}
        forms: dict[str, tuple[str, ...]] = {}
        for phrase, words in question.glosses:
            used = sorted((w for w in words if vocab.df(w)), key=vocab.df, reverse=True)
            if used:
                # The phrase replaces its English words, weighted as its commonest translation in the corpus; a
                # text in English still holds it as written.
                weights = {t: w for t, w in weights.items() if t not in phrase.split()}
                weights[phrase], forms[phrase] = vocab.idf(used[0]), (phrase, *used)
        names = question.names
        for n, places in question.glossed_names:
            # A name the dictionary translates is the corpus's commonest word for it; one the corpus has no word
            # of the dictionary's for is a name it lacks, unless it also reads as pinyin the corpus can spell
            # (a county's name in the dictionary, a village's characters of the same sound in the text).
            held = [w for w in places if vocab.df(w) or vocab.mentions(w)]  # a word or a part of one (内蒙古自治 of 内蒙古自治区)
            if held:
                names = (*names, max(held, key=vocab.df))
            elif n not in forms and not ((sounds := syllables(n)) and spellings(sounds, vocab.pairs_among)):
                names = (*names, n)
        for r in question.romanised:
            # A Chinese name in pinyin is found by the characters the corpus writes it with (a person's opening
            # with a surname); read as many strings it names nothing in particular. Only a person's is a name that
            # a passage must hold, or that the corpus lacks when no string of its readings is there: another
            # (Mitaka, Chan Chan) may be no Chinese at all.
            written = spellings(r.sounds, vocab.pairs_among, surnames().get(r.sounds[0]) if r.person else None)
            if len(written) > MAX_SPELLINGS or not (written or r.person):
                continue
            if written:
                key = r.name.lower()
                weights = {t: w for t, w in weights.items() if t not in name_words(key)}
                weights[key], forms[key] = max(map(vocab.idf, written)), (key, *written)
            if r.person and len(written) < 2:  # of several spellings, which is the name is not known
                names = (*names, *written) if written else (*names, r.name)
        found = [(w, a, b) for w, a, b in (_corpus_names(question.text, vocab) if question.language == "zh" else [])
                 # not a word the corpus's cut glued to a name it uses more often (林远山后 for 林远山), nor one that
                 # would cut a word of the question apart (细叶岩 of 细叶岩兰草: the cut it mends glues one character)
                 if not any(vocab.df(t) > vocab.df(w) or _outside(question.text, t, a, b) > 1
                            for t in (*question.terms, *names) if t != w and _crosses(question.text, t, a, b))]
        for w, a, b in found:
            # A name the corpus writes (李文清) that the question's cut broke (李文 清教 in 李文清教哪些课): the
            # terms and names cut across it give way to it.
            weights = {t: x for t, x in weights.items() if t == w or not _crosses(question.text, t, a, b)}
            weights.setdefault(w, vocab.idf(w))
            names = tuple(n for n in names if n == w or not _crosses(question.text, n, a, b))
        weights = _mend_glued(question.text, weights, vocab)
        pair_forms: dict[str, tuple[str, ...]] = {}
        for t in [t for t in weights if t not in forms and any(r.typed == t for r in question.reworded)]:
            # A word the corpus never uses read as its words of one meaning (晚饭 of a text writing 晚餐): found by
            # them, weighted as the commonest of them, and so are its character pairs.
            used = [r.meant for r in question.reworded if r.typed == t]
            weights[t], forms[t] = vocab.idf(used[0]), (t, *used)
            pair_forms |= {b: (*pair_forms.get(b, ()), *used) for b in bigrams(t)}
        # The document named as read (论文的…), in a corpus never writing that word: no word or name its text must
        # hold, nor the character pairs it makes.
        unsaid = [n for n in question.document_nouns if not vocab.mentions(n)]
        weights = {t: x for t, x in weights.items() if t not in unsaid}
        names = tuple(n for n in names if n not in unsaid)
        pairs = question.bigrams - {question.text[i + j: i + j + 2] for n in unsaid
                                    for i in _occurrences(question.text, n) for j in range(-1, len(n))}
        # An amount the asker states (我72岁) is a condition the text may state otherwise (70岁以上): never a word or
        # a name it lacks, and a term a text holds by writing it or by bounding the count around it (spelled_out
        # sets the floor of the tiers each retrieved passage states).
        ranged: dict[str, tuple[float, str]] = {}
        stated = set()
        for a in question.amounts:
            # The term the question's number is, else the number with its measure (三天, 3天: a second amount of the
            # same number in another measure).
            # (Lower-cased, as the texts it is looked for in are: 1500w.)
            key = a.number if a.number in weights and a.number not in ranged else a.written.lower()
            value = number_value(a.number)
            # (Its measure, cut from the number as a term of its own (15 公斤), goes with it: a text never writing
            # that word states the amount in another, 10～20kg.)
            stated |= {a.number, key} | ({a.measure} if key == a.number else set())
            if a.measure and value is not None:
                weights.setdefault(key, vocab.idf(key))
                ranged[key] = (value, a.measure)
        weights = {t: w for t, w in weights.items() if t not in stated or t in ranged or vocab.df(t) or vocab.mentions(t)}
        names = tuple(n for n in names if n not in stated or vocab.mentions(n.lower()))
        known = frozenset(t for t in weights if t in forms or t in ranged or vocab.df(t) or vocab.mentions(t))
        unknown = frozenset(n for n in names if not vocab.mentions(n.lower()))
        anchors = tuple(dict.fromkeys([*(x for x in question.anchors if vocab.mentions(x.lower())
                                         and not any(_crosses(question.text, x, a, b) for _, a, b in found)),
                                       *(w for w, _, _ in found)]))
        glued = {c.lower(): vocab.idf(c.lower()) for c in question.compounds if c.lower() not in weights}
        return cls(weights, known, names, unknown, pairs, forms, anchors, glued, ranged, pair_forms=pair_forms)

    def _found(self, items: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """The items whose term the (lower-cased) text holds, by any of its forms; a number as a number (the 5 of
        5月 is not in 15.1 or 500)."""
        if self.ranged:
            return [(t, w) for t, w in items if (self._stated(t, low) or self._bounded(t, low) if t in self.ranged
                                                 else any(_holds(f, low) for f in self.forms.get(t, (t,))))]
        if not self.forms:  # a Chinese question: each term is its only form (the common, fast case)
            return [(t, w) for t, w in items if t in low and (not t.isdigit() or _whole_number(t, low))]
        return [(t, w) for t, w in items if any(_holds(f, low) for f in self.forms.get(t, (t,)))]

    def _stated(self, term: str, low: str) -> bool:
        """Whether the (lower-cased) text states an amount the asker states: its value in the same measure or one
        meaning the same (5 of 我5岁 by 5周岁, 5000 of 5000块 by 5000元; not by 5月, 2025, 15岁 or 5000美元)."""
        if not term.isdigit() and re.search(rf"(?<![\d.{NUMERAL}]){re.escape(term)}", low):
            return True  # as the question writes it (1200w), not inside another number
        value, measure = self.ranged[term]
        same = next((g for g in SAME_MEASURE if measure in g), {measure})
        text = CALENDAR.sub(" ", low)  # 5月1日, 2008年: days, not amounts
        return any(number_value(m.group(1)) == value and m.group(2) in same and not m.group(1).startswith("0")
                   for m in NUMBER_WITH_MEASURE.finditer(text))

    def _bounded(self, term: str, low: str) -> bool:
        """Whether the (lower-cased) text bounds the count of a stated amount around it, at the floor of the
        passage it is read from (answertype.within)."""
        floor = next((f for passage, f in self.floors.get(term, ()) if low in passage), -math.inf)
        return within(low, *self.ranged[term], floor)

    def tier(self, text: str) -> bool | None:
        """Whether a text bounding amounts the asker states (a tier: 满10年不满20年, asked 工作满12年) holds each
        of them it bounds; None when it bounds none."""
        low, out = text.lower(), None
        for term, (_, measure) in self.ranged.items():
            if bounds(low, measure):
                if not self._bounded(term, low):
                    return False  # (a row of 1公斤以内 excludes 3公斤, whatever its 500公里以上 holds)
                out = True
        return out

    def coverage(self, text: str, known_only: bool = False) -> float:
        """Share of the term weight found in the text (substring match suits Chinese)."""
        items = [(t, w) for t, w in self.weights.items() if not known_only or t in self.known]
        total = sum(w for _, w in items)
        if not total:
            return 0.0
        return sum(w for _, w in self._found(items, text.lower())) / total

    def specific(self, text: str, topic: str) -> float:
        """Share of the weight of the terms the topic (a title, a heading) lacks that the text holds: what the
        question asks about its topic, beyond naming it (1 when the topic holds every term)."""
        top = topic.lower()
        if self.forms:  # not through _found for a Chinese question: this runs for every sentence of every ask
            named = {t for t, _ in self._found(list(self.weights.items()), top)}
            items = [(t, w) for t, w in self.weights.items() if t not in named]
        else:
            items = [(t, w) for t, w in self.weights.items() if t not in top]
        total = sum(w for _, w in items)
        return sum(w for _, w in self._found(items, text.lower())) / total if total else 1.0

    def bigram_share(self, text: str, topic: str) -> float:
        """Share of the question's character pairs that the topic lacks and the text holds (1 when none)."""
        if self.pair_forms:
            want = [b for b in self.bigrams if not self._pair_in(b, topic)]
            return sum(self._pair_in(b, text) for b in want) / len(want) if want else 1.0
        want = [b for b in self.bigrams if b not in topic]
        return sum(b in text for b in want) / len(want) if want else 1.0

    def _pair_in(self, pair: str, text: str) -> bool:
        """Whether the text holds the pair as written or a form spelling out the term it is inside."""
        return pair in text or any(f in text for f in self.pair_forms.get(pair, ()))

    def spelled_out(self, texts: Sequence[str], headings: Sequence[str] = ()) -> Terms:
        """These terms, with each Chinese word the corpus never uses that a text holds spelled out (物业费 in 物业服务费,
        职教 in 职业教育: its characters in order within one phrase at most twice its length) known by that form;
        each compound of the question (七月艾) that a text holds as written, in place of its parts; each day it names
        by the text's writing of it or of a span of days holding it; the tier of the texts' that holds each amount
        it states; each ordinal it names (第二天) as a text or a heading over one writes it in digits (第2天); and each
        code it names (rtx4090) by the texts' spacing of it (RTX 4090)."""
        terms = self._glued(texts)
        if terms.ranged:
            # Of a passage's tiers bounded from below alone (满一年的…；满十年的…), the highest the amount reaches holds
            # it; another passage's bound is no tier of these.
            low = [x.lower() for x in texts]
            floors = {t: tuple((x, f) for x in low if (f := floor_of(x, v, m)) > -math.inf)
                      for t, (v, m) in terms.ranged.items()}
            terms = replace(terms, floors=floors)
        forms = dict(terms.forms)
        for t in terms.weights:
            if day := day_of(t):
                # A day a text writes otherwise (2月16号 for 2月16日) or holds in a span of days (2月15日—2月17日),
                # as a schedule does; known or not (a notice elsewhere may name that day as written).
                held = tuple(dict.fromkeys(w for text in texts if (w := day_held(day, text)) and w != t))
                if held:
                    forms[t] = (t, *held)
                continue
            if day := _WEEKDAY.fullmatch(t):
                # A weekday written another way (星期一 of a text writing 周一 or 礼拜一), known or not.
                written = {f"{w}{d}" for w in ("星期", "周", "礼拜") for d in _WEEKDAY_NAMES.get(day.group(1), day.group(1))}
                held = tuple(sorted(w for w in written - {t} if any(w in text for text in texts)))
                if held:
                    forms[t] = (t, *held)
                continue
            if written := next((w for w in year_in_numerals(t) if any(w in text for text in texts)), None):
                forms[t] = (t, written)  # 1965 of a text writing 一九六五年
                continue
            if (digits := _ORDINAL.sub(lambda m: f"第{small_number(m.group(1)) or m.group(1)}", t)) != t \
                    and any(digits in text for text in (*texts, *headings)):
                # 第三季度 of a text writing 第3季度, known or not (a title may write it so, a schedule its days' headings:
                # 第2天)
                forms[t] = (t, digits)
                continue
            if t in terms.known:
                continue
            if _CODE.fullmatch(t):
                if form := _code_form(t, texts):
                    forms[t] = (t, form)
                continue
            if not _HAN.fullmatch(t):
                continue
            gap = f"[\u4e00-\u9fff、]{{0,{len(t)}}}?"  # 、: a word shared by a list (水电费 in 水费、电费)
            spelled = (m.group(0) for text in texts for m in re.finditer(gap.join(map(re.escape, t)), text))
            form = next((f for f in spelled if len(t) < len(f) <= 2 * len(t)), None)
            if form:
                forms[t] = (t, form)
        for n in terms.names:
            if (key := n.lower()) not in forms and _CODE.fullmatch(re.sub(r"[ .-]", "", key)) \
                    and (form := _code_form(key, texts)):
                forms[key] = (key, form)
        if len(forms) == len(terms.forms):
            return terms
        spelled = forms.keys() - terms.forms.keys()
        pair_forms = dict(terms.pair_forms)
        for t in spelled:
            short = tuple(f for f in forms[t][1:] if _abbreviates(t, f, texts))
            for b in bigrams(t):
                pair_forms[b] = (*pair_forms.get(b, ()), *short)
        return replace(terms, known=terms.known | spelled, forms=forms, pair_forms=pair_forms,
                       unknown_names=frozenset(n for n in terms.unknown_names if n.lower() not in spelled))

    def _glued(self, texts: Sequence[str]) -> Terms:
        """These terms with each compound a text holds as written in place of the terms inside it, and an anchor."""
        if not self.glued:
            return self
        low = [text.lower() for text in texts]
        found = [c for c in self.glued if any(c in text for text in low)]
        if not found:
            return self
        weights = {t: w for t, w in self.weights.items() if not any(t in c for c in found)}
        weights |= {c: self.glued[c] for c in found}
        return replace(self, weights=weights, known=self.known | frozenset(found),
                       anchors=tuple(dict.fromkeys([*self.anchors, *found])), glued={})

    def unknown_share(self) -> float:
        """Share of the term weight the corpus never uses, each term weighed by its rarity in Chinese at large too:
        an everyday word the corpus lacks (后来, 觉得: a paraphrase's) tells little of whether it covers what is
        asked about, a rare one (a name) much."""
        weighed = {t: w * rarity(t) for t, w in self.weights.items()}
        total = sum(weighed.values())
        return sum(w for t, w in weighed.items() if t not in self.known) / total if total else 0.0

    def names_found(self, text: str) -> float:
        """Share of the question's names in the text, by any of their forms (0 when it names nothing)."""
        if not self.names:
            return 0.0
        low = text.lower()
        return sum(self.holds_name(n, low) for n in self.names) / len(self.names)

    def conditions(self) -> dict[str, list[str]]:
        """The terms stating a condition of the asker's, by kind: the days the question names, the amounts it states
        (我72岁) by what they count."""
        out: dict[str, list[str]] = {}
        for t in self.weights:
            if day_of(t):
                out.setdefault("day", []).append(t)
            elif t in self.ranged:
                out.setdefault(MEASURES.get(self.ranged[t][1], self.ranged[t][1]), []).append(t)
        return out

    @staticmethod
    def states(kind: str, text: str) -> bool:
        """Whether the text states a value of that kind of condition: a day, or a count in that measure."""
        if kind == "day":
            return bool(DAY_OF_MONTH.search(text))
        return any(MEASURES.get(m.group(2)) == kind for m in NUMBER_WITH_MEASURE.finditer(text))

    def holds(self, term: str, text: str) -> bool:
        """Whether the text holds the term by any of its forms (a span of days holding a day, a tier an amount)."""
        return bool(self._found([(term, 0.0)], text.lower()))

    def holds_name(self, name: str, low: str, amounts: bool = False) -> bool:
        """Whether the lower-cased text holds the name as written or by a form a passage spells it out in; and
        (amounts) a number the asker states as an amount (15 of 15公斤) as its term is held, by a bound around
        it too (10～20kg)."""
        key = name.lower()
        if amounts and key in self.ranged:
            return bool(self._found([(key, 1.0)], low))
        return any(f in low for f in self.forms.get(key, (key,)))


def _abbreviates(short: str, form: str, texts: Sequence[str]) -> bool:
    """Whether the word is an abbreviation of the words its form (found in a text) opens: their first characters, in
    order (董秘 of 董事会秘书, 客服 of 客户服务; not 群里 of 群文件里, a word with another between)."""
    cut = segmenter()
    text = next((t for t in texts if form in t), "")
    at = text.find(form)
    words: list[str] = []
    for w in cut.lcut(text[at: at + len(form) + 3], HMM=False):  # the form ends inside the last word it opens
        if sum(map(len, words)) >= len(form):
            break
        # A dictionary word of four characters or more, read as the words it is made of (客户服务: 客户 服务).
        subs = [x for x in cut.cut_for_search(w, HMM=False) if x != w] if len(w) > 3 else []
        words += subs if subs and "".join(subs) == w else [w]
    return all(len(w) > 1 for w in words) and "".join(w[0] for w in words) == short


def _occurrences(text: str, word: str) -> list[int]:
    """Where the word begins in the text, each time."""
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _code_form(code: str, texts: Sequence[str]) -> str | None:
    """How the texts write a model's or a standard's code that they never write as the question does: with or
    without a space or a hyphen between its letters and its digits (rtx4090 as RTX 4090, x7 pro as X7Pro), as
    users type it either way."""
    runs = re.findall(r"[a-z]+|\d+(?:\.\d+)*", code)
    written = rf"(?<![a-z\d.]){'[ -]?'.join(map(re.escape, runs))}(?![a-z\d]|\.\d)"
    if any(re.search(rf"(?<![a-z\d.]){re.escape(code)}(?![a-z\d]|\.\d)", text.lower()) for text in texts):
        return None  # as the question writes it, not inside a longer code (v3.1 in v3.1.2)
    return next((m.group(0) for text in texts for m in re.finditer(written, text.lower())), None)


def _parts(word: str) -> list[str]:
    """The dictionary words a Chinese word is made of, end to end (财务报表: 财务 报表); none when they do not
    spell it whole."""
    if not _HAN.match(word) or len(word) < 4:
        return []
    words = {w for w in segmenter().lcut_for_search(word) if 1 < len(w) < len(word)}
    parts: list[str] = []
    while (at := sum(map(len, parts))) < len(word):
        part = max((w for w in words if word.startswith(w, at)), key=len, default=None)
        if part is None:
            return []
        parts.append(part)
    return parts


def _holds(form: str, low: str) -> bool:
    """Whether the (lower-cased) text holds a term's form, a number as a number."""
    return form in low and (not form.isdigit() or _whole_number(form, low))


def _whole_number(digits: str, low: str) -> bool:
    """Whether the text writes the number itself, not as part of another (5 in 5月, not in 15.1, 500 or 0.5)."""
    return re.search(rf"(?<![\d.]){digits}(?!\d|\.\d)", low) is not None


def _corpus_names(text: str, vocab: Vocabulary, longest: int = 6) -> list[tuple[str, int, int]]:
    """The words of three or more characters the corpus's index holds but jieba's dictionary lacks (names: 李文清)
    that the question writes, longest first, none overlapping another, with where the question writes them."""
    out: list[tuple[str, int, int]] = []
    taken = [False] * len(text)
    for n in range(longest, 2, -1):
        for a in range(len(text) - n + 1):
            w = text[a: a + n]
            if any(taken[a: a + n]) or not _HAN_ONLY.fullmatch(w) or not vocab.df(w) or in_dictionary(w):
                continue
            out.append((w, a, a + n))
            taken[a: a + n] = [True] * n
    return out


def _mend_glued(text: str, weights: dict[str, float], vocab: Vocabulary) -> dict[str, float]:
    """The terms with those the question's cut glued to a name's last character mended: a word no dictionary
    lists and the corpus never writes, whose first character ends the term before it as the corpus writes that
    (林恪 之活 in 林恪之活了多少岁, the corpus writing 林恪之), is its rest, a word the corpus uses, or nothing
    when one character is left (活). Left as it was, it reads as a word the corpus lacks."""
    ends = {text.find(t) + len(t): t for t in weights if _HAN_ONLY.fullmatch(t) and text.find(t) >= 0}
    out: dict[str, float] = {}
    for t, w in weights.items():
        before = ends.get(text.find(t))
        # (A person's name the corpus lacks, 李雯 after 县医院, is no glued word: a surname opens it.)
        if (before is None or len(t) < 2 or not _HAN_ONLY.fullmatch(t) or vocab.df(t) or vocab.mentions(t)
                or in_dictionary(t) or t[0] in SURNAMES or not vocab.mentions(before + t[0])):
            out[t] = w
        elif len(rest := t[1:]) > 1 and (vocab.df(rest) or vocab.mentions(rest)):
            out.setdefault(rest, vocab.idf(rest))
        elif len(rest) > 1:
            out[t] = w  # the rest is no word of the corpus either: what the cut should have been is not known
    return out


def _crosses(text: str, word: str, a: int, b: int) -> bool:
    """Whether the word, where the text writes it first, overlaps text[a:b]."""
    at = text.find(word)
    return at >= 0 and at < b and at + len(word) > a


def _outside(text: str, word: str, a: int, b: int) -> int:
    """How many characters of the word, where the text writes it first, lie outside text[a:b]."""
    at = text.find(word)
    return len(word) - max(0, min(b, at + len(word)) - max(a, at)) if at >= 0 else 0
