"""The fitted scoring on made-up passages: ranking sentences, choosing, abstaining; the scoring file (fast, no model).

Sentence vectors are built with a chosen cosine to the question, so each test isolates what it is about (the
answer type, the words, the names) from what the embedding model would say.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.answer import Answerer, Scored, sigmoid
from rag.discourse import leans_back, resumes_quotation
from rag.errors import UsageError
from rag.features import (
    PASSAGE_FEATURES,
    QUESTION_FEATURES,
    SENTENCE_FEATURES,
    Candidate,
    question_features,
)
from rag.keyword import Keyword
from rag.neighbours import Neighbours
from rag.points import with_points
from rag.question import analyse
from rag.retrieval import Hit, rank
from rag.scoring import DEFAULT_SCORING, Scoring, load_scoring
from rag.terms import Terms

PASSAGES = {
    "p1": ("员工休假办法", ["员工依法登记结婚的，可享受婚假十五天。", "男员工可享受陪产假二十天。", "休假须提前提交申请。"]),
    "p2": ("青石镇简史", ["青石镇位于清河上游。", "一九五八年，青石镇建成了青龙水库。", "水库可灌溉农田三万余亩。"]),
    "p3": ("社区通知", ["社区定于五月举办志愿服务周。", "活动期间共举办健康讲座四场。", "报名请联系社区工作人员。"]),
}
Q = np.array([1.0, 0.0])


def vec(cos: float) -> np.ndarray:
    return np.array([cos, np.sqrt(1 - cos * cos)])


@pytest.fixture(scope="module")
def vocab() -> Keyword:
    return Keyword.build((cid, f"{head}\n{''.join(s)}") for cid, (head, s) in PASSAGES.items())


@pytest.fixture(scope="module")
def scoring() -> Scoring:
    return load_scoring()


def hits_and_sentences(cos: float = 0.85, only: tuple[str, ...] = ("p1", "p2", "p3")):
    hits = [Hit(cid, "".join(PASSAGES[cid][1]), {"source": f"{cid}.txt", "heading": PASSAGES[cid][0],
                                                "order": 0, "kind": "body"}, 0.03, cos, 1.0, r)
            for r, cid in enumerate(only, start=1)]
    sentences = {cid: [(s, vec(cos)) for s in PASSAGES[cid][1]] for cid in only}
    return hits, sentences


def answer(question: str, vocab: Keyword, scoring: Scoring, cos: float = 0.85, only=("p1", "p2", "p3")):
    q = analyse(question)
    terms = Terms.of(q, vocab)
    hits, sentences = hits_and_sentences(cos, only)
    ranked = rank(scoring.passage, q, terms, Q, hits, sentences)
    answerer = Answerer(scoring)
    return answerer.score(q, terms, Q, ranked, sentences), answerer.answer(q, terms, Q, ranked, sentences)


def test_the_sentence_with_the_asked_measure_wins_over_one_with_another_number(vocab, scoring):
    scored, ans = answer("陪产假有几天？", vocab, scoring)
    assert scored.candidates[0].text == "男员工可享受陪产假二十天。"
    assert not ans.abstained and "二十天" in ans.text and "[1]" in ans.text
    scored, _ = answer("青龙水库是哪一年建成的？", vocab, scoring)
    assert scored.candidates[0].text.startswith("一九五八年")
    scored, _ = answer("一共举办了几场健康讲座？", vocab, scoring)
    assert scored.candidates[0].text == "活动期间共举办健康讲座四场。"


def test_a_question_about_a_name_the_corpus_never_mentions_is_less_answerable(vocab, scoring):
    known, _ = answer("青石镇的青龙水库可灌溉多少亩农田？", vocab, scoring)
    unknown, _ = answer("黑山镇的白虎水库可灌溉多少亩农田？", vocab, scoring)
    assert unknown.answerable < known.answerable


def test_an_amount_the_asker_states_is_no_gap_where_the_corpus_does_not_write_it(vocab):
    # The asker's age is a condition the text may state as a range: no term or name the corpus lacks.
    terms = Terms.of(analyse("我今年35岁，婚假有几天？"), vocab)
    assert "35" in terms.known and not terms.unknown_names
    # A year is a name the corpus lacks; an amount the corpus writes is a term it holds.
    assert Terms.of(analyse("2035年婚假有几天？"), vocab).unknown_names == {"2035"}
    terms = Terms.of(analyse("灌溉三万亩农田的是哪座水库？"), vocab)
    assert "三万" in terms.known and terms.unknown_share() == 0.0



def test_an_amount_in_a_unit_symbol_is_held_where_it_is_written_and_tiers_are_each_passages_own():
    rules = Keyword.build([("r", "宿舍用电\n宿舍允许使用800W以下的电器。")])
    terms = Terms.of(analyse("1200W的电暖器能在宿舍用吗？"), rules).spelled_out(["宿舍允许使用1200W的电暖器。"])
    assert terms.coverage("宿舍允许使用1200W的电暖器。") == 1.0
    # One passage's bound from below is no tier of another's: both 60岁以上 and 70岁以上 hold 75 years.
    a, b = "60岁以上的居民乘坐轮渡半价。", "70岁以上的居民可免费参观园林。"
    ages = Keyword.build([("a", a), ("b", b)])
    terms = Terms.of(analyse("我75岁了，坐轮渡能优惠吗？"), ages).spelled_out([a, b])
    assert terms.coverage(a) > Terms.of(analyse("我75岁了，坐轮渡能优惠吗？"), ages).coverage("轮渡票价十元。")
    assert "75岁" in terms.ranged or "75" in terms.ranged
    assert terms._bounded(next(iter(terms.ranged)), a.lower()) and terms._bounded(next(iter(terms.ranged)), b.lower())


def test_a_code_is_held_however_its_letters_and_digits_are_spaced_and_an_ordinal_however_written() -> None:
    text = "旗舰版搭载 RTX 4080 显卡，售价12999元。Nova X7 Pro 于第3季度上市。"
    vocab = Keyword.build([("t", text)])
    for asked in ("RTX4080版多少钱？", "rtx-4080版多少钱？", "X7Pro什么时候上市？"):
        terms = Terms.of(analyse(asked), vocab).spelled_out([text])
        assert not terms.unknown_names and terms.names_found(text) == 1.0, (asked, terms)
    # Another number is another model: not held by this one's text.
    other = Terms.of(analyse("RTX 4090版多少钱？"), vocab).spelled_out([text])
    assert other.names_found(text) < 1.0
    quarter = Terms.of(analyse("Nova第三季度上市了吗？"), vocab).spelled_out([text])
    assert quarter.coverage(text) == 1.0 and Terms.of(analyse("Nova第三季度上市了吗？"), vocab).coverage(text) < 1.0


def test_a_weekday_is_held_however_it_is_written() -> None:
    text = "展馆每周二至周日开放，每周一闭馆。"
    vocab = Keyword.build([("t", text)])
    for asked in ("星期一开放吗？", "礼拜一开放吗？", "星期天开放吗？"):
        terms = Terms.of(analyse(asked), vocab).spelled_out([text])
        assert terms.coverage(text) == 1.0 and terms.unknown_share() == 0.0, (asked, terms)
    assert Terms.of(analyse("星期三开放吗？"), vocab).spelled_out([text]).coverage(text) < 1.0


def test_an_amount_the_asker_states_is_held_as_a_count_of_its_measure_not_as_any_digit():
    texts = ["5月10日起开放报名。", "5岁以下儿童免票。", "3至6周岁的儿童可报名。", "2025年新增游船5艘。"]
    kids = Keyword.build([(str(i), t) for i, t in enumerate(texts)])
    terms = Terms.of(analyse("我家孩子5岁，要买票吗？"), kids).spelled_out(texts)
    assert "5" in terms.ranged
    assert [terms._found([("5", 1.0)], t.lower()) != [] for t in texts] == [False, True, True, False]
    # in any measure of its kind and any writing of the number; not inside another number
    for asked, text, held in (("我5周岁，要买票吗？", "5岁儿童凭证件购票。", True), ("我家有5口人，能申请吗？", "5人家庭可申请两套。", True),
                              ("我月薪5000块，要交税吗？", "月薪5000元的职工需要缴税。", True),
                              ("我1.5岁，要买票吗？", "11.5岁以上的乘客须购票。", False), ("我五岁，要买票吗？", "十五岁的儿童半价。", False),
                              ("我家宝宝5个月大，能打疫苗吗？", "5月1日起开始接种。", False),
                              ("我加班3小时，有补贴吗？", "补贴于3周内发放。", False),
                              ("我工作了8年，有几天年假？", "08年入职的员工另有安排。", False),
                              ("我月薪5000块，要交税吗？", "月薪5000美元以上的。", False)):
        own = Keyword.build([("t", text)])
        stated = Terms.of(analyse(asked), own).spelled_out([text])
        assert any(stated._stated(t, text.lower()) for t in stated.ranged) is held, asked
    # and the asker's kin is no word a passage must hold
    for asked in ("我爸75岁了，坐轮渡要钱吗？", "我爸爸75岁了，坐轮渡要钱吗？", "我外婆80岁，坐轮渡要钱吗？"):
        assert not any(t.startswith("我") or t in ("爸爸", "外婆") for t in analyse(asked).terms), asked
    assert "孩子" in analyse("孩子几岁可以入学？").terms  # nobody's kin but the text's subject
    assert "妈妈" in analyse("《我的妈妈》是谁写的？").terms  # a title's words


def test_the_first_of_a_count_is_known_by_the_way_the_text_writes_it():
    opening = Keyword.build([("o", "赛程\n运动会开幕首日，共安排比赛项目12个。")])
    terms = Terms.of(analyse("运动会的第一天安排了几个比赛项目？"), opening)
    assert "第一天" in terms.known and terms.coverage("运动会开幕首日，共安排比赛项目12个。") == 1.0


def test_a_text_bounding_the_count_around_an_asked_amount_holds_it():
    tiers = Keyword.build([("t", "保费\n驾龄满1年不满3年的，保费九五折。驾龄满3年不满8年的，保费九折。")])
    terms = Terms.of(analyse("驾龄6年，保费打几折？"), tiers)
    assert "6" in terms.known and terms.unknown_share() == 0.0  # no gap, though the text never writes 6
    assert terms.coverage("驾龄满3年不满8年的，保费九折。") > terms.coverage("驾龄满1年不满3年的，保费九五折。")


def test_a_number_question_is_less_answerable_when_no_retrieved_sentence_holds_a_number(vocab, scoring):
    q = analyse("休假申请须提前几天提交？")
    terms = Terms.of(q, vocab)
    answerer = Answerer(scoring)
    with_number = {"p1": [("休假须提前三天提交申请。", vec(0.85))]}
    without = {"p1": [("休假须提前提交申请。", vec(0.85))]}
    hit = [Hit("p1", "", {"source": "p1.txt", "heading": "员工休假办法"}, 0.0, 0.85, 1.0, 1)]
    p_with = answerer.score(q, terms, Q, hit, with_number).answerable
    p_without = answerer.score(q, terms, Q, hit, without).answerable
    assert p_without < p_with


def test_abstains_below_the_threshold_and_answers_above(vocab, scoring):
    q = analyse("陪产假有几天？")
    terms = Terms.of(q, vocab)
    hits, sentences = hits_and_sentences()
    ranked = rank(scoring.passage, q, terms, Q, hits, sentences)
    assert Answerer(scoring, threshold=1.0).answer(q, terms, Q, ranked, sentences).abstained
    ans = Answerer(scoring, threshold=0.0).answer(q, terms, Q, ranked, sentences)
    assert not ans.abstained and ans.citations and ans.citations[0].chunk_id == "p1"
    assert 0.0 <= ans.evidence <= 1.0


def test_choose_quotes_more_for_a_list_question(vocab, scoring):
    answerer = Answerer(scoring)
    q = analyse("青石镇有哪些事？")
    scored = answerer.score(q, Terms.of(q, vocab), Q, *hits_and_sentences())
    for c, z in zip(scored.candidates, range(len(scored.candidates))):
        c.score = -0.01 * z  # all nearly equally good
    assert len(answerer.choose(q, scored)) == min(scoring.max_sentences, len(scored.candidates))
    fact = analyse("青石镇有什么？")
    assert len(answerer.choose(fact, scored)) == scoring.max_fact_sentences


def test_beside_the_best_sentence_only_ones_holding_the_asked_kind_of_thing_are_quoted(vocab, scoring):
    answerer = Answerer(scoring)
    order = ["水库可灌溉农田三万余亩。", "青石镇位于清河上游。", "活动期间共举办健康讲座四场。"]

    def nearly_equal(q):
        scored = answerer.score(q, Terms.of(q, vocab), Q, *hits_and_sentences())
        by_text = {c.text: c for c in scored.candidates}
        scored.candidates = [by_text[t] for t in order] + [c for c in scored.candidates if c.text not in order]
        for z, c in enumerate(scored.candidates):
            c.score = -0.01 * z  # all nearly equally good, in this order
        return scored

    q = analyse("青石镇的水库能灌溉多少农田？")
    assert [c.text for c in answerer.choose(q, nearly_equal(q))][:2] == [order[0], order[2]]  # not the one without a number
    acres = analyse("青石镇的水库能灌溉多少亩农田？")  # asked a number of 亩, a count of talks is no such thing either
    assert order[2] not in [c.text for c in answerer.choose(acres, nearly_equal(acres))]
    assert answerer.choose(analyse("青石镇有什么？"), nearly_equal(q))[1].text == order[1]  # nothing to check an entity by


def test_an_amount_the_best_sentence_lacks_is_quoted_from_one_nearly_as_good_about_the_same_thing(scoring):
    answerer = Answerer(scoring)
    q = analyse("现在坐快线去县城要多久？")  # a span of time: only a sentence naming one answers it
    hit = Hit("p", "", {"source": "p.txt", "order": 0, "kind": "body"}, 0.03, 0.9, 1.0, 1)

    def scored(lex: float, score: float) -> Scored:
        said = Candidate(hit, 0, "“以前去县城一大早出门，天黑才回家，现在午饭前就到家了。”", 0.92, 0.6, 1.0, 0.4,
                         False, False, score=0.3)
        timed = Candidate(hit, 1, "快线最快只需25分钟，此前坐班车要一个半小时。", 0.92, lex, 1.0, 0.4, True, True,
                          score=score)
        return Scored([said, timed], 0.9)

    assert [c.text[:4] for c in answerer.choose(q, scored(0.6, -0.1))] == ["快线最快"]
    # holding fewer of the question's words, or scoring far below, it tells another thing's amount
    assert answerer.choose(q, scored(0.3, -0.1)) == []
    assert sigmoid(-3.0) < scoring.keep * sigmoid(0.3) and answerer.choose(q, scored(0.6, -3.0)) == []


def test_a_follow_up_about_something_else_is_not_answered_by_a_sentence_about_what_it_replaces(scoring):
    body = ["杭州市有纺织工厂120家。", "宁波市以港口闻名，有码头30座。", "两市都重视职业教育。"]
    vocab = Keyword.build([("p", "浙江两市\n" + "".join(body))])
    hit = [Hit("p", "".join(body), {"source": "p.txt", "heading": "浙江两市", "order": 0}, 0.03, 0.9, 1.0, 1)]
    sentences = {"p": [(s, vec(0.9 if s == body[0] else 0.5)) for s in body]}
    first = "杭州市有多少家工厂？"
    asked = analyse("那宁波市呢？", [first])
    assert asked.follow_up and asked.replaced == ("杭州市",) and asked.measure == "家"
    ans = Answerer(scoring, threshold=0.0).answer(asked, Terms.of(asked, vocab), Q, hit, sentences)
    assert "杭州市" not in ans.text  # 120家 answers the question about 杭州市, not this one
    assert not analyse("该市有多少所学校？", [first]).replaced  # a pointer back replaces nothing


def test_a_chosen_sentence_opening_with_a_conjunction_or_stating_no_asked_cause_is_quoted_with_the_one_before_it(
        scoring):
    assert leans_back("因此，镇上的人世代以养鱼为业。") and leans_back("但是水库后来干涸了。")
    assert not leans_back("清河水质清澈。") and not leans_back("他在镇上住了十年。")
    assert not leans_back("由于气候湿润，这里盛产茶叶。")  # opens a clause of its own sentence
    body = ["镇上有一座石桥。", "清河水质清澈，水流平缓。", "因此，镇上的人世代以养鱼为业。", "后来镇上的人也种茶。",
            "青石镇的茶园在山南。", "但是茶叶产量不高。", "由于山南多雾，茶叶香气浓郁。", "那年清河泛滥，冲毁了鱼塘。",
            "镇上的人改种茶树。"]
    vocab = Keyword.build([("p", "青石镇\n" + "".join(body))])
    hit = [Hit("p", "".join(body), {"source": "p.txt", "heading": "青石镇", "order": 0}, 0.03, 0.9, 1.0, 1)]
    answerer = Answerer(scoring, threshold=0.0)
    for question, quoted in (
            ("镇上的人为什么世代以养鱼为业？", body[1:3]),  # a why question: the conjunction points at the cause
            ("镇上的人后来也种什么？", body[3:4]),  # no conjunction
            ("青石镇茶园的茶叶产量高不高？", body[4:6]),  # the sentence before names what the question asks about
            ("镇上的人世代以什么为业？", body[2:3]),  # the sentence before adds none of the question's words
            ("茶叶为什么香气浓郁？", body[6:7]),  # the cause is in the sentence itself
            ("镇上的人为什么改种茶树？", body[7:9])):  # it states no cause: what happened before it is the answer
        sentences = {"p": [(s, vec(0.9 if s == quoted[-1] else 0.2)) for s in body]}
        q = analyse(question)
        terms = Terms.of(q, vocab)
        scored = answerer.score(q, terms, Q, hit, sentences)
        assert [c.text for c in answerer.choose(q, scored)] == [quoted[-1]]  # the model picks one sentence
        # and the answer quotes the sentence a conjunction leans on before it, in corpus order
        assert [s.text for s in answerer.answer(q, terms, Q, hit, sentences).sentences] == quoted


def test_a_speaker_named_after_a_quotation_is_quoted_with_it(scoring):
    body = ["“以前看戏要走很远，得去镇上的剧院。”", "村民王大伯说，“现在村里有了文化礼堂，看戏方便多了。”",
            "礼堂每周演出两场。"]
    assert resumes_quotation(body[1], body[0]) and resumes_quotation("村民王大伯说。", body[0])
    assert not resumes_quotation(body[2], body[0]) and not resumes_quotation(body[1], body[2])
    vocab = Keyword.build([("p", "文化礼堂\n" + "".join(body))])
    hit = [Hit("p", "".join(body), {"source": "p.txt", "heading": "文化礼堂", "order": 0}, 0.03, 0.9, 1.0, 1)]
    sentences = {"p": [(s, vec(0.9 if s == body[1] else 0.2)) for s in body]}
    q = analyse("王大伯以前看戏要去哪里？")
    terms = Terms.of(q, vocab)
    answerer = Answerer(scoring, threshold=0.0)
    assert [c.text for c in answerer.choose(q, answerer.score(q, terms, Q, hit, sentences))] == [body[1]]
    # the speaker's words began in the quotation before: both are quoted, in corpus order
    assert [s.text for s in answerer.answer(q, terms, Q, hit, sentences).sentences] == body[:2]


def test_a_follow_up_naming_nothing_new_is_answered_about_what_its_question_named(scoring):
    a = Hit("a", "杭州职业学院院长王青山说。杭州职业学院党委书记李红说。", {"source": "a.txt", "order": 0}, 0.03, 0.9, 1.0, 1)
    b = Hit("b", "苏州职业学院党委书记赵刚说。", {"source": "b.txt", "order": 0}, 0.03, 0.9, 1.0, 2)
    sentences = {"a": [("杭州职业学院院长王青山说。", vec(0.3)), ("杭州职业学院党委书记李红说。", vec(0.5))],
                 "b": [("苏州职业学院党委书记赵刚说。", vec(0.9))]}
    vocab = Keyword.build([(h.chunk_id, h.text) for h in (a, b)])
    q = analyse("那党委书记呢？", ["杭州职业学院的院长是谁？"])
    assert q.follow_up and q.subject == ("杭州",) and not q.names
    ans = Answerer(scoring, threshold=0.0).answer(q, Terms.of(q, vocab), Q, [b, a], sentences)
    assert "李红" in ans.text and "赵刚" not in ans.text, ans.text
    # a follow-up that names something of its own is about that
    q = analyse("那苏州职业学院呢？", ["杭州职业学院的党委书记是谁？"])
    assert q.subject == () and "赵刚" in Answerer(scoring, threshold=0.0).answer(q, Terms.of(q, vocab), Q, [b, a],
                                                                               sentences).text


def test_a_follow_up_is_answered_about_what_its_question_opened_with_when_its_names_fit_every_passage(scoring):
    a = Hit("a", "浙江交通学院的学生获得奖项70余项。该学院党委书记王明说。", {"source": "a.txt", "order": 0}, 0.03, 0.9,
            1.0, 1)
    b = Hit("b", "浙江建设学院党委书记赵刚说。", {"source": "a.txt", "order": 1}, 0.03, 0.9, 1.0, 2)
    sentences = {"a": [("浙江交通学院的学生获得奖项70余项。", vec(0.3)), ("该学院党委书记王明说。", vec(0.5))],
                 "b": [("浙江建设学院党委书记赵刚说。", vec(0.9))]}
    vocab = Keyword.build([(h.chunk_id, h.text) for h in (a, b)])
    q = analyse("它的党委书记是谁？", ["浙江交通学院的学生获得了多少项奖项？"])
    assert q.subject == ("浙江",)  # a name both passages hold
    ans = Answerer(scoring, threshold=0.0).answer(q, Terms.of(q, vocab), Q, [b, a], sentences)
    assert "王明" in ans.text and "赵刚" not in ans.text, ans.text


def test_a_count_the_question_states_picks_the_clause_stating_it(scoring):
    rows = ["员工在公司连续工作满一年的，享受带薪年休假五天；", "满十年的，享受十天；", "满二十年的，享受十五天。"]
    hit = Hit("h", "".join(rows), {"source": "h.txt", "heading": "年休假", "order": 0}, 0.03, 0.8, 1.0, 1)
    sentences = {"h": [(r, vec(0.85 if r == rows[0] else 0.8)) for r in rows]}  # the first clause reads closest
    vocab = Keyword.build([("h", "年休假\n" + hit.text)])
    q = analyse("工作满十年有几天年假？")
    terms = Terms.of(q, vocab).spelled_out([hit.text])  # as the pipeline reads them, with the retrieved texts
    ans = Answerer(scoring, threshold=0.0).answer(q, terms, Q, [hit], sentences)
    assert "满十年的，享受十天" in ans.text, ans.text
    assert "十年" in q.compounds and not analyse("这是一支什么样的队伍？").compounds  # 一支 is an article


def test_a_question_naming_someone_quotes_only_the_articles_naming_them(scoring):
    a = Hit("a", "苏婉宁，南宋临安人，著名女画家。嫁画师林逸为妻。", {"source": "a.txt", "order": 0}, 0.03, 0.8, 1.0, 1)
    b = Hit("b", "韦德明先生的妻子是玛丽亚·施密特。", {"source": "b.txt", "order": 0}, 0.03, 0.9, 1.0, 2)
    sentences = {"a": [("苏婉宁，南宋临安人，著名女画家。", vec(0.8)), ("嫁画师林逸为妻。", vec(0.8))],
                 "b": [("韦德明先生的妻子是玛丽亚·施密特。", vec(0.9))]}
    vocab = Keyword.build([(h.chunk_id, h.text) for h in (a, b)])
    q = analyse("苏婉宁是谁的妻子？")
    terms = Terms.of(q, vocab)
    assert terms.anchors == ("苏婉宁",)
    scored = Answerer(scoring).score(q, terms, Q, [b, a], sentences)
    assert "韦德明" in scored.candidates[0].text  # the other person's sentence matches best
    ans = Answerer(scoring, threshold=0.0).answer(q, terms, Q, [b, a], sentences)
    assert "苏婉宁" in ans.text and "韦德明" not in ans.text, ans.text
    assert ans.evidence == pytest.approx(scored.answerable)  # the probability the model gave all the sentences


def test_a_heading_that_heads_no_text_is_never_quoted(vocab, scoring):
    q = analyse("青石镇的水库是哪一年建成的？")
    hits, sentences = hits_and_sentences(only=("p2",))
    title = Hit("t", "青石镇水库", {"source": "t.txt", "order": 0, "kind": "heading"}, 0.03, 0.95, 1.0, 1)
    scored = Answerer(scoring).score(q, Terms.of(q, vocab), Q, [title, *hits], {**sentences, "t": [("青石镇水库", vec(0.95))]})
    assert scored.candidates and all(c.hit.chunk_id != "t" for c in scored.candidates)


def test_byline_answers_who_wrote_the_article(vocab, scoring):
    q = analyse("《小镇新貌》这篇文章的作者是谁？")
    body = Hit("b1", "青石镇建成了新的文化广场。", {"source": "a.txt", "article": "小镇新貌", "kind": "body"}, 1.0, 0.9, 1.0, 1)
    byline = Hit("b2", "本报记者 王小明", {"source": "a.txt", "article": "小镇新貌", "kind": "byline"}, 0.5, 0.8, 1.0, 2)
    sentences = {"b1": [(body.text, vec(0.9))], "b2": [(byline.text, vec(0.8))]}
    ans = Answerer(scoring, threshold=1.0).answer(q, Terms.of(q, vocab), Q, [body, byline], sentences)
    assert not ans.abstained and "王小明" in ans.text
    # The passage that answers is ranked first, ahead of the body passage the models prefer for other questions.
    other = analyse("《小镇新貌》这篇文章写了什么？")
    assert rank(scoring.passage, other, Terms.of(other, vocab), Q, [body, byline], sentences)[0] is body
    assert rank(scoring.passage, q, Terms.of(q, vocab), Q, [body, byline], sentences)[0] is byline


def test_an_answer_quoting_several_items_of_a_list_quotes_the_list_whole(scoring):
    # A list of lines, each its own passage under the section's heading, or introduced by a line of its own.
    lines = ["申请须提交以下材料：", "本人身份证；", "近期照片两张；", "社保缴费证明；", "学历证书复印件。", "材料交至二楼窗口。"]
    section = [(f"p{i}", t, {"source": "n.txt", "heading": "三、申请材料", "order": i, "start_line": i})
               for i, t in enumerate(lines)]

    def cand(i: int) -> Candidate:
        cid, text, meta = section[i]
        return Candidate(Hit(cid, text, meta, 0.0, 0.85, 1.0, 1), 0, text, 0.85, 0.5, 0.5, 0.5, True, True)

    def quoted(rows: list[tuple[str, str, dict]], chosen: list[Candidate]) -> list[str]:  # as the answer reads them
        near = Neighbours(lambda source, heading: rows, Scored(chosen, 0.9).at)
        return [c.text for c in sorted(with_points(which, chosen, near, scoring.max_fact_sentences),
                                       key=lambda c: c.hit.meta["order"])]

    which = analyse("申请要交哪些材料？")
    assert quoted(section, [cand(2), cand(4)]) == lines[:5]  # not the line after it
    # One item alone answers by itself (one tier, one step); and a list the lines before it do not form is none.
    assert quoted(section, [cand(3)]) == [lines[3]]
    broken = [(cid, "申请前请先预约。" if i == 2 else t, m) for i, (cid, t, m) in enumerate(section)]
    assert quoted(broken, [cand(3), cand(4)]) == lines[3:5]


def test_a_follow_up_naming_a_thing_in_the_topics_place_is_answered_from_the_topics_documents():
    from rag.answer import _about_subject

    def hit(cid: str, text: str, source: str) -> Hit:
        return Hit(cid, text, {"source": source, "kind": "body"}, 0.0, 0.85, 1.0, 1)

    online, on_site, elsewhere = (hit("a1", "网上预约：3月1日至3月5日。", "a.txt"), hit("a2", "现场登记：3月8日。", "a.txt"),
                                  hit("b1", "现场登记请带身份证。", "b.txt"))
    q = analyse("那现场登记呢？", ["网上预约是什么时候？"])
    assert _about_subject(q, [online, on_site, elsewhere]) == [online, on_site]  # not another document's
    # A follow-up whose words the topic's passages hold keeps to those (那周末呢？ of a timetable).
    q = analyse("那周末呢？", ["网上预约几点开始？"])
    weekend = hit("a3", "网上预约周末也开放。", "a.txt")
    assert _about_subject(q, [online, weekend, elsewhere]) == [online, weekend]


def test_a_follow_up_is_answered_from_the_whole_article_that_names_its_subject_once():
    from rag.answer import _about_subject

    def hit(cid: str, text: str, article: str) -> Hit:
        return Hit(cid, text, {"source": "a.txt", "article": article, "kind": "body"}, 0.0, 0.85, 1.0, 1)

    # The notice names its district once, in its issuer's line; the answer's passage says 全区.
    issuer = hit("n1", "东湖区卫生健康局\n2025年1月8日", "关于流感疫苗接种的提示")
    free = hit("n2", "全区共设接种点30个，65岁以上老人可免费接种。", "关于流感疫苗接种的提示")
    other = hit("w1", "西湖区共设接种点20个，学生可免费接种。", "西湖区接种安排")
    q = analyse("哪些人可以免费打？", ["东湖区有多少个疫苗接种点？"])
    assert _about_subject(q, [issuer, other, free]) == [issuer, free]
    # A document of no titled article: only the passages naming it (one paragraph a district).
    untitled = [Hit(h.chunk_id, h.text, {**h.meta, "article": ""}, 0.0) for h in (issuer, other, free)]
    assert _about_subject(q, untitled) == [untitled[0]]


def test_a_question_naming_a_section_gets_each_paragraphs_lead(scoring):
    section = [("s1", "一是修桥。桥长百米。", {"source": "a.txt", "heading": "小镇建设目标", "start_line": 3}),
               ("s2", "二是建校。学校三所。", {"source": "a.txt", "heading": "小镇建设目标", "start_line": 5}),
               ("s3", "三是通路。道路十条。", {"source": "a.txt", "heading": "小镇建设目标", "start_line": 7})]
    q = analyse("小镇建设目标有哪些？")
    hits = [Hit(cid, text, {**meta, "kind": "body"}, 0.0, 0.85, 1.0, r) for r, (cid, text, meta) in enumerate(section, 1)]
    sentences = {h.chunk_id: [(s + "。", vec(0.85)) for s in h.text.split("。") if s] for h in hits}
    answerer = Answerer(scoring, section=lambda source, heading: section)
    own = Keyword.build((cid, f"{meta['heading']}\n{text}") for cid, text, meta in section)
    ans = answerer.answer(q, Terms.of(q, own), Q, hits, sentences)
    assert [s.text for s in ans.sentences] == ["一是修桥。", "二是建校。", "三是通路。"]
    assert [h.chunk_id for h in ans.first] == ["s1", "s2", "s3"]  # the passages that answer are shown first
    # A question with a word the documents never use is not about one of their sections.
    q = analyse("小镇建设目标里的年终奖有哪些？")
    ans = answerer.answer(q, Terms.of(q, own), Q, hits, sentences)
    assert "二是建校。" not in [s.text for s in ans.sentences] and ans.first == []
    # An ordinal asks for the one point the section numbers so.
    # (A point asked by its place, 第三点, is quoted with the rest of its line: what the point says.)
    for q, point in (("小镇建设的第二个目标是什么？", ["二是建校。"]),
                     ("小镇建设目标的第三点是什么？", ["三是通路。", "道路十条。"])):
        asked = analyse(q)
        ans = answerer.answer(asked, Terms.of(asked, own), Q, hits, sentences)
        assert [s.text for s in ans.sentences] == point, q
    # A question naming a title the heading does not hold is not about the section, though its words are the
    # heading's (jieba cuts “小镇通” into 小镇 / 通).
    q = analyse("“小镇通”有什么用？")
    assert "小镇通" in q.names
    ans = answerer.answer(q, Terms.of(q, own), Q, hits, sentences)
    assert ans.first == [] and len(ans.sentences) < 3


def test_a_step_asked_by_its_place_gets_the_point_its_list_numbers_so(scoring):
    steps = Hit("g1", "办理会员卡流程\n1. 填写申请表。\n2. 提交照片和身份证复印件。审核需要两天。\n3. 缴纳工本费。\n",
                {"source": "g.md", "heading": "办理会员卡流程", "kind": "body"}, 1.0, 0.85, 1.0, 1)
    rules = Hit("r1", "借阅办法\n一、每人限借五本。\n二、借期三十天。\n最后，遗失须赔偿。本规定自公布之日起施行。",
                {"source": "r.txt", "heading": "借阅办法", "kind": "body"}, 0.5, 0.8, 1.0, 2)
    hits = [steps, rules]
    from rag.text import split_sentences
    sentences = {h.chunk_id: [(t, vec(0.85)) for t in split_sentences(h.text)] for h in hits}
    own = Keyword.build((h.chunk_id, f"{h.meta['heading']}\n{h.text}") for h in hits)
    answerer = Answerer(scoring, threshold=1.0)  # what the list says is quoted, however low P(answerable) is

    def ask(question: str, by: Answerer = answerer) -> list[str]:
        asked = analyse(question)
        ans = by.answer(asked, Terms.of(asked, own), Q, hits, sentences)
        return [s.text for s in ans.sentences]

    # The point with the rest of its line, not the next point.
    assert ask("办理会员卡的第二步是什么？") == ["2. 提交照片和身份证复印件。", "审核需要两天。"]
    assert ask("借阅办法第二条是什么？") == ["二、借期三十天。"]  # numbered 二、 in the text
    assert ask("借阅办法的最后一条是什么？") == ["最后，遗失须赔偿。", "本规定自公布之日起施行。"]  # 最后 ends any list
    assert ask("办理会员卡的最后一步是什么？") == ["3. 缴纳工本费。"]  # the list read to its end
    assert ask("第二条规定了什么？") == ["二、借期三十天。"]  # 规定: a word of the rules, not of their point
    # No such point in the list asked about: the corpus does not say, though its sentences share the words and
    # every question is answered otherwise.
    anything = Answerer(scoring, threshold=0.0)
    assert ask("办理会员卡需要提交什么？", anything) and ask("办理会员卡的第五步是什么？", anything) == []
    # A list about something else: answered, or not, as any other question.
    assert ask("办理护照的第二步是什么？") == []


def test_an_article_asked_by_its_place_is_the_section_its_heading_numbers_so(scoring):
    from rag.text import split_sentences

    articles = [("第三条 租金", "每月租金为4500元。租金按季度支付。"), ("第四条 押金", "押金为9000元。期满后7日内退还。"),
                ("第五条 其他费用", "水费、电费由乙方承担。")]
    hits = [Hit(f"c{n}", text, {"source": "lease.txt", "heading": head, "kind": "body"}, 1.0, 0.85, 1.0, n)
            for n, (head, text) in enumerate(articles, 1)]
    sentences = {h.chunk_id: [(t, vec(0.85)) for t in split_sentences(h.text)] for h in hits}
    own = Keyword.build((h.chunk_id, f"{h.meta['heading']}\n{h.text}") for h in hits)

    def ask(question: str) -> list[str]:
        asked = analyse(question)
        return [s.text for s in Answerer(scoring, threshold=1.0).answer(asked, Terms.of(asked, own), Q, hits,
                                                                       sentences).sentences]

    # The whole article, whatever is asked of it (its 内容, its 要求: words of the question, not of the text).
    assert ask("第四条是什么内容？") == ["押金为9000元。", "期满后7日内退还。"]
    assert ask("第五条有什么要求？") == ["水费、电费由乙方承担。"]
    # Not retrieved, or not there: answered as any other question (here, with the threshold at 1, not at all).
    assert ask("第九条是什么内容？") == []


def test_a_question_in_another_language_is_cut_by_its_own_threshold(vocab, scoring):
    hits, sentences = hits_and_sentences()
    for question, cross in (("陪产假有几天？", False), ("How many days of paternity leave are there?", True)):
        q = analyse(question)
        terms = Terms.of(q, vocab)
        ranked = rank(scoring.passage, q, terms, Q, hits, sentences)
        for same, other in ((0.0, 1.0), (1.0, 0.0)):
            answerer = Answerer(replace(scoring, threshold=same, cross_threshold=other))
            ans = answerer.answer(q, terms, Q, ranked, sentences)
            assert ans.abstained == ((other if cross else same) == 1.0), (question, same, other)
    # None: one cut for both, as in a scoring fitted without questions in another language.
    assert replace(scoring, threshold=0.4, cross_threshold=None).threshold_for(True) == 0.4


def test_scoring_file_round_trip_and_errors(tmp_path, scoring):
    path = tmp_path / "s.json"
    replace(scoring, cross_threshold=0.25).save(path)
    again = load_scoring(path)
    assert again.threshold == scoring.threshold and again.sentence.features == scoring.sentence.features
    assert again.cross_threshold == 0.25
    assert set(scoring.passage.features) <= set(PASSAGE_FEATURES)
    assert set(scoring.sentence.features) <= set(SENTENCE_FEATURES)
    assert set(scoring.answerable.features) <= set(QUESTION_FEATURES)
    with pytest.raises(UsageError, match="rag fit"):
        load_scoring(tmp_path / "missing.json")
    stale = json.loads(path.read_text("utf-8"))
    stale["sentence"]["features"][0] = "no_such_feature"
    (tmp_path / "stale.json").write_text(json.dumps(stale), "utf-8")
    with pytest.raises(UsageError, match="rag fit"):
        load_scoring(tmp_path / "stale.json")


def test_the_shipped_scoring_says_what_it_was_fitted_on():
    about = json.loads(Path(DEFAULT_SCORING).read_text("utf-8"))["about"]
    assert about["questions"] > 1000 and about["unanswerable"] > 100
    assert 0.0 < sigmoid(0.0) < 1.0


def test_a_name_the_question_uses_is_looked_for_in_the_best_passages_whole_article():
    q = analyse("青龙水库可灌溉多少亩农田？")
    terms = Terms({"青龙水库": 1.0, "灌溉": 1.0}, frozenset({"青龙水库", "灌溉"}), ("青龙水库",), frozenset(),
                  q.bigrams)
    meta = {"source": "a.txt", "article": "青石镇简史", "heading": "", "kind": "body"}
    answers = Hit("p2", "水库可灌溉农田三万余亩。", meta, 0.0)  # says "the reservoir", not its name
    named_before = Hit("p1", "一九五八年，青石镇建成了青龙水库。", meta, 0.0)
    named_elsewhere = Hit("p3", "青龙水库是另一座水库。", {**meta, "article": "另一篇文章"}, 0.0)

    def ranked(*hits: Hit) -> list[Candidate]:
        return [Candidate(h, 0, h.text, 0.9, 0.5, 0.5, 0.5, True, True, score=2.0 - i) for i, h in enumerate(hits)]

    missing = QUESTION_FEATURES.index("names_missing_passage")
    assert question_features(q, terms, ranked(answers, named_before), [0.0, 0.0])[0, missing] == 0.0
    assert question_features(q, terms, ranked(answers, named_elsewhere), [0.0, 0.0])[0, missing] == 1.0


def test_an_english_phrase_counts_as_found_by_the_corpus_words_that_translate_it():
    vocab = Keyword.build([("a", "图书馆去年新增藏书一万二千册。"), ("b", "植物园的温室里种着三百多种热带植物。")])
    terms = Terms.of(analyse("How many books did the library add last year?"), vocab)
    assert {"library", "last year"} <= terms.known and "last" not in terms.weights  # the phrase replaces its words
    # Only the translations the corpus uses (of 图书馆, 书馆, 藏书楼... for "library"), and the phrase as written:
    assert "图书馆" in terms.forms["library"]
    assert all(w in "图书馆去年新增藏书" or w == p for p, ws in terms.forms.items() for w in ws)
    assert terms.coverage("图书馆去年新增藏书一万二千册。") > 0.5 > terms.coverage("植物园的温室里种着三百多种热带植物。")
    assert terms.coverage("The library added books last year.") == 1.0


def test_a_compound_the_passages_hold_as_written_is_a_term_in_place_of_its_parts(vocab):
    """七月艾 is cut 七月 艾 and the question's terms lose it; a passage holding it makes it a term and an anchor."""
    q = analyse("七月艾分布在哪些地区？")
    terms = Terms.of(q, vocab)
    assert "七月艾" not in terms.weights and "七月艾" in terms.glued
    glued = terms.spelled_out(["七月艾是菊科蒿属的植物。"])
    assert "七月艾" in glued.weights and "七月艾" in glued.known and "七月艾" in glued.anchors
    assert glued.coverage("七月艾是菊科蒿属的植物。") > terms.coverage("七月艾是菊科蒿属的植物。")
    # Not held as written (the characters apart): nothing changes.
    assert terms.spelled_out(["七月的艾草分布在河岸。"]).weights == terms.weights
    # Found in any case, as every term is (A型鲷 in a text writing a型鲷 or A型鲷).
    latin = Terms.of(analyse("A型鲷有多长？"), vocab).spelled_out(["A型鲷体长约三十厘米。"])
    assert "a型鲷" in latin.weights and latin.coverage("A型鲷体长约三十厘米。") > 0.5
    # Its parts are not counted again beside it.
    parts = Terms.of(analyse("青石罗又被称之为什么？"), vocab)
    assert "青石" in parts.weights
    assert "青石" not in parts.spelled_out(["青石罗又称宽叶苔。"]).weights


def test_an_everyday_word_the_corpus_lacks_weighs_less_than_a_rare_one():
    """A paraphrase's everyday word the corpus never uses (后来) tells less about what it covers than a rare word
    (窑洞) or a name no dictionary lists: the unknown share weighs each by its rarity in Chinese at large."""
    from rag.text import rarity

    assert 0 < rarity("的") < rarity("后来") < rarity("窑洞") < rarity("石青岚") == rarity("library") == 1.0

    def share(word: str) -> float:
        return Terms({"图书馆": 3.0, word: 3.0}, frozenset({"图书馆"}), (), frozenset(), frozenset()).unknown_share()

    assert 0 < share("后来") < share("窑洞") < share("石青岚") < 1


def test_a_name_the_passages_hold_spelled_out_is_no_name_the_corpus_lacks():
    """jieba tags 科普 a name; a text writing it 科学普及 holds it spelled out: known, found, and no unknown name."""
    text = "学校重视科学普及工作。"
    vocab = Keyword.build([("a", text), ("b", "图书馆新增藏书一万册。")])
    terms = Terms.of(analyse("科普和教学有什么关系？"), vocab)
    assert "科普" in terms.names and "科普" in terms.unknown_names and terms.names_found(text) == 0.0
    spelled = terms.spelled_out([text])
    assert "科普" in spelled.known and not spelled.unknown_names and spelled.names_found(text) == 1.0


def test_a_word_the_corpus_never_uses_is_looked_for_by_the_words_it_is_made_of(vocab):
    """社区活动 is one word to jieba, and not the corpus's; 社区 and 活动 are, and they are what a sentence holds."""
    terms = Terms.of(analyse("社区活动有哪些？"), vocab)
    assert {"社区", "活动"} <= terms.known and "社区活动" not in terms.weights
    assert terms.coverage("社区定于五月举办志愿服务周。活动期间共举办健康讲座四场。") == 1.0
    # A word the corpus uses stays whole; one of words it never uses stays unknown, as the question wrote it.
    assert "工作人员" in Terms.of(analyse("工作人员有哪些？"), vocab).weights
    assert "财务报表" in Terms.of(analyse("财务报表有哪些？"), vocab).weights


def test_a_word_the_passages_hold_spelled_out_is_known_by_that_form(vocab):
    # 青镇 is not in the corpus; 青石镇 spells it out (its characters in order, within twice its length).
    q = analyse("青镇水库是哪一年建成的？")
    terms = Terms.of(q, vocab)
    assert "青镇" in terms.weights and "青镇" not in terms.known
    texts = ["".join(s) for _, s in PASSAGES.values()]
    spelled = terms.spelled_out(texts)
    assert "青镇" in spelled.known and spelled.forms["青镇"] == ("青镇", "青石镇")
    assert spelled.unknown_share() < terms.unknown_share()
    assert spelled.coverage("一九五八年，青石镇建成了青龙水库。") > terms.coverage("一九五八年，青石镇建成了青龙水库。")
    # Characters far apart, or in another clause, spell out nothing: 员假 is not 员工依法登记结婚的，可享受婚假.
    far = Terms.of(analyse("员假有几天？"), vocab)
    assert "员假" in far.weights and "员假" not in far.known
    assert far.spelled_out(texts) is far
    # A word a list shares (水电费 for 水费、电费): the list's comma spells it out too.
    short = Terms.of(analyse("水电费谁交？"), vocab)
    assert short.spelled_out(["水费、电费由乙方承担。"]).forms["水电费"] == ("水电费", "水费、电费")


def test_an_abbreviation_spelled_out_holds_its_character_pairs():
    """董秘 of 董事会秘书 (each character opening a word of it): a text holding the form holds the question's pair 董秘
    as it holds the term; a word spelled out across another word (群里 in 群文件里) lends its pairs no such credit."""
    text = "董事会秘书许静出席了本次会议。"
    vocab = Keyword.build([("a", text), ("b", "群成员共八十人，名单也发在群文件里了。")])
    terms = Terms.of(analyse("董秘叫什么？"), vocab)
    assert terms.bigram_share(text, "") == 0.0
    spelled = terms.spelled_out([text])
    # (秘叫, the pair the question word makes, is in no text.)
    assert "董秘" in spelled.known and spelled.bigram_share(text, "") == 0.5
    loose = Terms.of(analyse("群里有多少人？"), vocab)
    glued = "名单也发在群文件里了。"
    spelled_loose = loose.spelled_out([glued])
    assert "群里" in spelled_loose.known and spelled_loose.bigram_share(glued, "") == loose.bigram_share(glued, "")


def test_a_word_the_corpus_never_uses_is_found_by_its_synonym():
    """晚饭 of a text writing 晚餐 (one group of the thesaurus): known, found, its pairs held by that word; a word
    the thesaurus has no synonym for stays unknown, and a word the corpus uses is looked for as written."""
    from rag.synonyms import reword, synonyms

    assert "晚餐" in synonyms("晚饭") and "上马" not in synonyms("开始")  # 开始's tightest sense, not its kin
    text = "餐厅：早餐7:00—10:00，晚餐17:30—21:00。"
    vocab = Keyword.build([("a", text), ("b", "泳池开放时间8:00—21:00。")])
    q = analyse("晚饭几点？")
    assert "晚饭" not in Terms.of(q, vocab).known  # read as typed first
    terms = Terms.of(replace(q, reworded=tuple(reword(q.terms, vocab))), vocab)
    assert "晚饭" in terms.known and "晚餐" in terms.forms["晚饭"] and terms.coverage(text) == 1.0
    assert terms.bigram_share(text, "") > Terms.of(q, vocab).bigram_share(text, "")
    assert not reword(analyse("保质期多久？").terms, vocab) and not reword(analyse("早餐几点？").terms, vocab)
    # Of the readings the corpus has, those keeping a character of the word, when some do.
    meals = Keyword.build([("a", "夜餐22:00供应。"), ("b", "晚餐18:00供应。")])
    assert [r.meant for r in reword(["晚饭"], meals)] == ["晚餐"]
    assert [r.meant for r in reword(["晚饭"], Keyword.build([("a", "夜餐22:00供应。")]))] == ["夜餐"]


def test_a_name_the_corpus_writes_is_a_term_where_the_questions_cut_broke_it():
    # 李文清教哪些课: jieba cuts 李文 清教 (a word of its dictionary); the corpus's index holds 李文清, which the
    # dictionary lacks: it is the term, and 清教 no name the corpus lacks.
    kw = Keyword.build([("a", "课程安排\n书法：周二下午，授课老师李文清。"), ("b", "课程安排\n国画：周五上午，授课老师李文清。"),
                        ("c", "课程安排\n合唱：周四下午，授课老师赵敏。")])
    terms = Terms.of(analyse("李文清教哪些课？"), kw)
    assert "李文清" in terms.weights and "清教" not in terms.weights and "李文清" in terms.anchors
    assert not terms.unknown_names, terms.unknown_names
    # A longer token the corpus's cut glued onto a name it uses more often (赵敏后) does not replace the name.
    kw2 = Keyword.build([("a", "合唱由赵敏授课。"), ("b", "赵敏老师很受欢迎。"), ("c", "见到赵敏后大家都很高兴。")])
    assert kw2.df("赵敏后") == 1 and kw2.df("赵敏") == 2
    glued = Terms.of(analyse("赵敏后来教什么？"), kw2)
    assert "赵敏后" not in glued.weights and "赵敏" in glued.weights
    # Nor one that would cut a word of the question apart, more than the one character a cut glues (狭叶艾 of
    # 狭叶艾纳香, whose 艾纳香 no passage names: the question still names what the corpus lacks).
    kw3 = Keyword.build([("a", "狭叶艾蒿生于山坡。"), ("b", "本种与狭叶艾相近。")])
    assert kw3.df("狭叶艾") and not kw3.mentions("艾纳香")
    plant = Terms.of(analyse("狭叶艾纳香分布在哪些地区？"), kw3)
    assert "狭叶艾" not in plant.weights and "艾纳香" in plant.unknown_names


def test_a_question_in_another_language_than_its_passage_is_told_apart_from_one_in_the_same():
    # The fitted models read an English question of a Chinese text as matching it less closely than a Chinese
    # one would; an English question of an English text matches as closely as a Chinese one of a Chinese text.
    column = QUESTION_FEATURES.index("cross_language")
    zh = Hit("z", "图书馆每周一闭馆。", {"source": "a.txt", "kind": "body"}, 0.0)
    en = Hit("e", "The library is closed on Mondays.", {"source": "b.md", "kind": "body"}, 0.0)
    for question, hit, crosses in (("When is the library closed?", zh, 1.0), ("When is the library closed?", en, 0.0),
                                   ("图书馆哪天闭馆？", en, 1.0), ("图书馆哪天闭馆？", zh, 0.0)):
        q = analyse(question)
        terms = Terms({"library": 1.0}, frozenset({"library"}), (), frozenset(), q.bigrams)
        top = Candidate(hit, 0, hit.text, 0.9, 0.5, 0.5, 0.5, True, True, score=1.0)
        assert question_features(q, terms, [top], [0.0])[0, column] == crosses, question


def test_a_character_the_questions_cut_glued_to_the_word_after_a_name_is_the_names():
    # The corpus writes 林恪之 and 竹林军; the question's cut gives 林恪 之活 and 竹林 军在, words it never writes.
    texts = ["林恪之，字伯言，清初学者。林恪之晚年居于杭州，享年七十岁。", "激战至午后，竹林军腹背受敌，阵势大乱。"]
    kw = Keyword.build([(str(i), t) for i, t in enumerate(texts)])
    for q, glued in (("林恪之活了多少岁？", "之活"), ("竹林军在午后为什么大乱？", "军在")):
        terms = Terms.of(analyse(q), kw)
        assert glued not in terms.weights and terms.unknown_share() == 0.0, terms.weights
    # A word the corpus lacks stays one, glued or not: 去过 after the name, and a person's name after a word
    # whose last character opens another name the corpus writes (县医院 李建国: 李雯 is no glued 李).
    assert "去过" in Terms.of(analyse("林恪之去过哪些地方？"), kw).weights
    clinic = Keyword.build([("1", "县医院李建国主任每周二出诊。")])
    assert "李雯" in Terms.of(analyse("县医院李雯主任什么时候出诊？"), clinic).weights


def test_a_follow_ups_subject_that_no_passage_writes_keeps_every_passage():
    from rag.answer import _about_subject
    hits, _ = hits_and_sentences()
    # 休假办法 follows a question naming it: only its passage; 请假条例 is written nowhere: every passage.
    asked = analyse("它规定了什么？", ["员工休假办法有几条？"])
    assert [h.chunk_id for h in _about_subject(replace(asked, subject=("员工休假办法",)), hits)] == ["p1"]
    assert [h.chunk_id for h in _about_subject(replace(asked, subject=("请假条例",), topic=()), hits)] == [
        "p1", "p2", "p3"]
