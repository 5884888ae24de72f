"""Chinese names an English question spells in pinyin: read as syllables, found in a corpus, or missing from it."""

from __future__ import annotations

import pytest

from rag.keyword import Keyword
from rag.pinyin import romanised, spellings, syllables
from rag.question import analyse
from rag.terms import Terms


def test_a_word_is_cut_into_pinyin_syllables():
    assert syllables("Wangsong") == ("wang", "song")
    assert syllables("Xi'an") == ("xi", "an")  # the apostrophe parts two syllables that could read as one
    assert syllables("Lü") == syllables("Lv") == ("lv",)
    assert syllables("Matsudaira") is None and syllables("Lola") is None  # lo is an interjection, no name


@pytest.mark.parametrize(("q", "names"), [
    ("Which village is Zhou Qinglan from?", [("Zhou Qinglan", True)]),
    ("What is Lü Mingxuan's job?", [("Lü Mingxuan", True)]),
    ("How many wells does Qingshi Town have?", [("Qingshi", False)]),  # Town is an English word beside it
    ("When did Qingshi and Zhou Qinglan meet?", [("Qingshi", False), ("Zhou Qinglan", True)]),
    ("When did Matsudaira Yasutada die?", []),  # a word no pinyin reads: a name of another language
    ("Where is Beijing?", []),  # the dictionary translates it: a gloss, not a spelling
    ("Is Hong Kong far?", []),
    ("Did Tan finish?", []),  # one syllable alone is an English word as likely as a name
    ("What is the capital of France?", []),
])
def test_the_names_an_english_question_spells_in_pinyin(q, names):
    assert [(r.name, r.person) for r in romanised(q)] == names


def test_a_pinyin_name_is_found_by_the_characters_the_corpus_writes_it_with():
    kw = Keyword.build([("a", "青石镇的周清岚种了三亩茶。"), ("b", "水库在镇东边，库容一百万立方米。")])
    assert spellings(("zhou", "qing", "lan"), kw.pairs_among) == ["周清岚"]
    assert spellings(("zhang", "xiao", "ming"), kw.pairs_among) == []
    t = Terms.of(analyse("How much tea does Zhou Qinglan grow?"), kw)
    assert "周清岚" in t.forms["zhou qinglan"] and "周清岚" in t.names and not t.unknown_names
    assert t.coverage("青石镇的周清岚种了三亩茶。") > t.coverage("水库在镇东边，库容一百万立方米。")
    # A person's name that no string of the corpus reads as is a name the corpus lacks ...
    assert Terms.of(analyse("How much tea does Zhang Xiaoming grow?"), kw).unknown_names == {"Zhang Xiaoming"}
    # ... but not another name, which may be no Chinese at all.
    assert not Terms.of(analyse("What is a Mitaka ball?"), kw).unknown_names


@pytest.mark.parametrize(("q", "names"), [
    ("Who is 'Zhou Qinglan'?", ["Zhou Qinglan"]),  # quotes and a possessive are no part of a name
    ("Name Dean Zhou Qinglan's village.", ["Zhou Qinglan"]),  # an English word of two syllables ends a name
    ("Who runs Zhou Qinglan Studios?", ["Zhou Qinglan"]),  # an English word in a form the dictionary inflects
    ("How Did Zhou Qinglan Die?", []),  # every word capitalised: capitals tell no names
    ("Who is Zhou Qing-lan?", ["Zhou Qing-lan"]),
])
def test_a_name_ends_where_its_pinyin_does(q, names):
    assert [r.name for r in romanised(q)] == names


def test_a_long_capitalised_word_is_no_name():
    # Cut by trying every split, 160 letters would take hours; no word of a name is longer than three syllables.
    assert romanised("Who is " + "Xian" * 40 + "q?") == () and syllables("Xian" * 40) is None


def test_a_person_is_spelled_from_a_surname_in_either_script():
    # 探望 (tan wang) is held side by side too, but no surname opens it.
    kw = Keyword.build([("a", "她去探望了住院的朋友，还见到了谭望嵩。")])
    assert Terms.of(analyse("Who did Tan Wangsong meet?"), kw).forms["tan wangsong"] == ("tan wangsong", "谭望嵩")
    traditional = Keyword.build([("a", "來自楓林村的陳秋月憑藉一款老白茶獲得三等獎。")])
    t = Terms.of(analyse("What prize did Chen Qiuyue win?"), traditional)
    assert "陳秋月" in t.names and not t.unknown_names
    assert spellings((), kw.pairs_among) == []


def test_a_name_the_corpus_lacks_keeps_its_words():
    kw = Keyword.build([("a", "Li Ming grows tea in the village."), ("b", "The village has a well.")])
    t = Terms.of(analyse("How much tea does Zhang Xiaoming grow?"), kw)
    assert t.unknown_names == {"Zhang Xiaoming"} and {"zhang", "xiaoming"} <= set(t.weights)
