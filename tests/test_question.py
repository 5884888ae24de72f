"""Question analysis, what a sentence holds and how it leans on the one before: made-up questions and
sentences (fast, no model)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag import answertype, interrogative, lexicon
from rag.answertype import floor_of, held_in, holds, in_units, within
from rag.discourse import leans_back, point_of, refers_back
from rag.quantity import (
    Amount,
    chinese_numbers,
    day_held,
    day_of,
    number_value,
    small_number,
    small_numeral,
    stated_amounts,
)
from rag.question import analyse, content_words, names, proper_names
from rag.text import CLAUSE_MARK, language, tagged, tokenize


@pytest.mark.parametrize(("text", "lang"), [("青石镇有多少口古井？", "zh"), ("How many wells?", "en"),
                                            ("青石通 has how many users?", "en"), ("APP用户有多少？", "zh"),
                                            # long Latin names in a Chinese question; a Chinese name in an English one
                                            ("PostgreSQL如何备份？", "zh"), ("Kubernetes Dashboard是什么？", "zh"),
                                            ("Who founded the 青石镇文化中心 in the town?", "en")])
def test_language(text, lang):
    assert language(text) == lang


def test_a_chinese_question_with_a_long_latin_name_is_analysed_as_chinese():
    q = analyse("MySQL Workbench支持哪些系统？")
    assert q.language == "zh" and q.kind == "list" and "支持" in q.terms
    assert all("哪些" not in n for n in q.names)  # the question's words are no name


@pytest.mark.parametrize(("q", "answer_type", "kind", "measure"), [
    ("陪产假有几天？", "number", "fact", "天"),
    ("社区一共举办了几场讲座？", "number", "fact", "场"),
    ("镇上有多少家工厂？", "number", "fact", "家"),
    ("水库的库容是多少？", "number", "fact", None),
    ("是哪几个部门联合发文的？", "entity", "list", None),  # 哪几个 lists things, it does not count them
    ("这项工程包括哪些内容？", "entity", "list", None),
    ("这种茶产自哪些地区呢？", "place", "list", None),  # a list of places
    ("他去过哪几座城市？", "place", "list", None),
    ("书画社的学员来自哪几个省？", "place", "list", None),
    ("这家公司参与了哪些国家标准的制定？", "entity", "list", None),  # 国家 qualifies what is listed
    ("哪些地区的学生报了名？", "entity", "list", None),  # the students are asked for
    ("Which countries does the fern grow in?", "place", "list", None),
    ("水库是哪一年建成的？", "date", "fact", "年"),
    ("讲座什么时候开始？", "date", "fact", None),
    ("首任校长是谁？", "person", "fact", None),
    ("《青石镇志》的作者是谁？", "person", "author", None),
    ("讲座在哪里举办？", "place", "fact", None),
    ("新办法新在哪里？", "entity", "fact", None),  # in what respect it is new, not where
    ("两种做法的不同在哪儿？", "entity", "fact", None),
    ("小镇为什么叫青石镇？", "reason", "fact", None),
    ("顾清之为什么辞官？", "reason", "fact", None),  # a name ending in 之 asks why; 称之为什么 asks a name
    ("人们称之为什么？", "entity", "fact", None),
    ("怎样申请年假？", "manner", "fact", None),
    ("王青山担任什么职务？", "title", "fact", None),
    ("他在水利局的职位是什么？", "title", "fact", None),
    ("镇上设了哪些职务？", "entity", "list", None),  # a list of posts is a list question
    ("What position did the engineer hold?", "title", "fact", None),
    ("How many wells does the town have?", "number", "fact", None),
    ("When was the reservoir built?", "date", "fact", None),
    ("Who was the first headmaster?", "person", "fact", None),
    ("In which city was the fair held?", "place", "fact", None),
    # 几 after a demonstrative or a time word is "a few", and asks nothing: the question word is another one.
    ("近几年青石镇的收入怎样变化？", "manner", "fact", None),
    ("这几所学校有什么共同点？", "entity", "fact", None),
    ("十几位老人在哪里学书法？", "place", "fact", None),
    ("这几点说明了什么？", "entity", "fact", None),
    ("在全县几个乡镇里哪个最大？", "entity", "fact", None),  # the scope of the question word that follows
    ("他在几所学校中任教？", "number", "fact", "所"),  # no other question word: 几 asks
    ("会议几点开始？", "date", "fact", "点"),  # a time of day
    ("镇上几家超市卖什么牌子的米？", "entity", "fact", None),  # several shops: 什么 asks
    ("期末考试多少分算及格？", "number", "fact", "分"),  # a score, not 分钟
    ("几号去哪报名？", "date", "fact", None),  # 几 of a day asks it, before another question word too
    ("第几届运动会在哪里举办？", "number", "fact", "届"),
    ("新校区有几栋教学楼？", "number", "fact", "栋"),  # measure words of things counted less often
    ("这本手册一共多少页？", "number", "fact", "页"),
    ("全县报告了几例病例？", "number", "fact", "例"),
])
def test_answer_type_kind_and_measure(q, answer_type, kind, measure):
    a = analyse(q)
    assert (a.answer_type, a.kind, a.measure) == (answer_type, kind, measure)


@pytest.mark.parametrize(("q", "focus"), [("镇上的自来水费是多少？", "自来水费"), ("县里一共投入了多少资金？", "资金"),
                                          ("合作社里的成员分别是哪些？", "成员"),
                                          # a count or 的 between the question word and its noun is skipped
                                          ("村里的水井取代的是哪一个水井？", "水井"), ("这位工匠是谁的徒弟？", "徒弟"),
                                          ("夜校的学费一年多少钱？", "学费"), ("食堂的饭菜每月多少钱？", "饭菜"),
                                          ("夜校的学费是一年多少钱？", "学费"),  # a linking word before the count
                                          ("宿舍的房租每个月多少钱？", "房租"),  # a rate the segmenter cut in two
                                          ("镇上组建了一支什么样的队伍？", "队伍"),  # 什么样 is one question word
                                          # 会 ends 基金会, not a modal verb: only a 会 of its own is dropped
                                          ("青石基金会在哪里？", "基金会"),
                                          # 有哪些 is one question word: its noun follows it (not 些功能)
                                          ("青石草有哪些功效？", "功效"), ("这个湖有哪几座岛屿？", "岛屿"),
                                          # a quality before the noun is skipped; a lone one is the noun asked
                                          ("镇上有什么著名的景点？", "景点"), ("喝了它对身体有什么伤害？", "伤害"),
                                          # 哪 takes a measure word, glued to a one-character noun or not
                                          ("乐队演唱的是哪首歌？", "歌"), ("他毕业于哪所大学？", "大学"),
                                          # a one-character noun ending the question after 什么 (not 什么书好看)
                                          ("他报名上了什么班？", "班"), ("老人得了什么病？", "病"),
                                          ("什么书好看？", None),
                                          # 叫 (and 又, 也 before it) links the name to what it names
                                          ("镇上新建的水库叫什么？", "水库"), ("青石草又叫什么？", "青石草"),
                                          ("这个村的原名叫什么？", "原名"), ("小镇后来改名为什么？", "改名"),
                                          # 谁 qualifies nothing: the verb after it and the word before it
                                          # (由谁) are not what is asked; 谁的 and 是谁 still are
                                          ("这座桥是由谁设计的？", None), ("他和谁一起创办了公司？", None),
                                          ("青石夜校的校长是谁？", "校长"),
                                          # a modal verb before the question word, alone or with its verb
                                          ("办理会员卡要多少钱？", "会员卡"), ("游船票需要多少钱？", "游船票"),
                                          ("暖气费应该是多少？", "暖气费"), ("报名费要交多少？", "报名费"),
                                          ("办阅览证要多少钱？", "阅览证"), ("电费需要交多少？", "电费"),
                                          ("会员可以借多少本？", "会员"), ("一年要交多少税？", "税"),
                                          # a noun of one character after 多少 (not 钱: the price of the one before)
                                          ("水库每天能放多少水？", "水"), ("夜校的学费每年多少钱？", "学费"),
                                          # a verb done (修了) is no suffix of the noun before it, as 跑 of 健康跑 is
                                          ("石桥修了几年？", None), ("健康跑有多少人？", "健康跑")])
def test_focus_is_the_noun_next_to_the_question_word(q, focus):
    assert analyse(q).focus == focus


def test_a_one_character_measure_goes_with_its_question_word_not_into_the_noun_after_it():
    a = analyse("青石县设立了多少所镇（街）夜校？")
    assert a.measure == "所" and not any(t.startswith("所") for t in a.terms), a.terms
    assert a.focus != "所镇"
    for asked in ("王青山是哪个村的？", "他唱的是哪首歌？"):  # the segmenter glues the measure to the noun: 个村, 首歌
        a = analyse(asked)
        assert a.focus in ("村", "歌") and not any(t[:1] in "个首" for t in a.terms), a.terms
    # 道 and 款 count nothing a text measures, yet follow 哪 as a measure word does: 道菜 is no term to look for.
    a = analyse("哪道菜要用砂锅？")
    assert a.focus == "菜" and a.terms == ("砂锅",), a.terms


def test_terms_leave_out_question_words_and_parts_of_longer_words():
    a = analyse("青龙水库是哪一年建成的？")
    assert set(a.terms) == {"青龙", "水库", "建成"}  # not 一年 from 哪一年
    assert "合体" not in analyse("联合体有多少成员？").terms


def test_a_word_of_function_characters_only_is_no_term():
    # 是从 (copula + preposition) and 其他 are dictionary words that name nothing a passage must hold.
    assert "是从" not in analyse("青龙水库是从哪一年开始建设的？").terms
    a = analyse("图书室除了借书，还有其他哪些服务？")
    assert "其他" not in a.terms and {"图书室", "借书", "服务"} <= set(a.terms)


def test_a_word_the_segmenter_cuts_into_characters_is_one_term_and_can_be_the_focus():
    # jieba cuts 年假 (annual leave) into 年 / 假: a term of one character would be dropped, and the question lose it.
    a = analyse("公司的年假有几天？")
    assert "年假" in a.terms and a.focus == "年假"
    # A function word or a number's unit ends a run: 的 and 年 in 1984年至 are not part of a word.
    assert not {"年至", "至"} & set(analyse("1984年至1992年，他担任过哪些职务？").terms)
    assert all("的" not in t for t in analyse("他的书的名字是什么？").terms)


@pytest.mark.parametrize("q,name", [("周吉先是什么职务？", "周吉先"), ("王小正是哪里人？", "王小正"),
                                    ("吴凡是什么职务？", "吴凡"), ("马可先是谁？", "马可先")])
def test_a_name_the_segmenter_glues_to_the_copula_is_one_term(q, name):
    # jieba cuts 周吉先是 into 周吉 / 先是 (先是: "at first"): the name would be searched and counted in halves.
    a = analyse(q)
    assert name in a.terms and not {"先是", "正是", "凡是"} & set(a.terms)


def test_the_noun_a_question_word_asks_for_is_not_a_name_the_passage_must_hold():
    # jieba's dictionary tags 城市 a place; in 哪座城市 it is the kind of answer, which the answer sentence names.
    assert "城市" in names("会议在哪座城市召开？")
    a = analyse("会议在哪座城市召开？")
    assert "城市" not in a.names
    # 在哪座城市 is 在 + 哪座城市, as 哪个城市 is one question word: the kind of place asked is not a term either.
    assert a.answer_type == "place" and "城市" not in a.terms and "会议" in a.terms
    assert "城市" not in analyse("青石公司的总部在哪个城市？").names
    assert "青石" in analyse("青石公司的总部在哪个城市？").terms


def test_an_overview_of_one_article_names_it_by_its_own_words():
    assert analyse("王小明的文章讲了什么？").about == ("王小明",)
    assert analyse("这篇文章讲了什么？").kind == "overview" and not analyse("这篇文章讲了什么？").about
    assert not analyse("王小明讲了什么？").about  # no article named: a question about what he said
    assert not analyse("水库建成后有什么好处？").about
    # Asked after a question about someone, 他说了什么 asks what he said, not what the documents say.
    said = analyse("他说了什么？", ["谁是青石镇的镇长？"])
    assert said.follow_up and said.kind != "overview" and analyse("他说了什么？").kind == "overview"
    assert analyse("关于水库的那篇报道讲了什么？").about == ("水库",)
    assert analyse("王小明的报道讲了哪些内容？").about == ("王小明",)  # 内容 is the document's, not a thing asked for
    assert not analyse("这篇报道介绍了哪些学校？").about  # it asks for schools


def test_an_ordinal_is_found_in_the_ways_a_document_numbers_its_points():
    assert dict(analyse("建设目标的第二个是什么？").glosses)["第二个"][:2] == ("二是", "第二条")
    assert dict(analyse("第三条规定了什么？").glosses)["第三条"][0] == "三是"
    assert not analyse("水库建成后有什么好处？").glosses
    # The first of a count is written with 首 too (首日, 首次, 首批).
    assert dict(analyse("运动会的第一天安排了几个比赛项目？").glosses)["第一天"] == ("首日",)
    assert dict(analyse("第一次办卡要带什么？").glosses)["第一次"] == ("首次",)
    # A time told from now is found as a rule writes it of the time it speaks of (明年: 次年, 今天: 当天).
    assert "次年" in dict(analyse("积分明年还能用吗？").glosses)["明年"]
    assert "当天" in dict(analyse("今天报名今天能拿到证吗？").glosses)["今天"]
    assert "當天" in dict(analyse("今天報名今天能拿到證嗎？", script="traditional").glosses)["今天"]  # as its corpus writes


def test_after_load_tables_no_question_reads_a_dictionary_table_or_compiles_a_pattern():
    from rag.pipeline import load_tables

    load_tables()
    lists = (tagged, answertype._common_places, lexicon.names_tagged, interrogative._compiled)
    before = [f.cache_info().misses for f in lists]
    for q in ("王青山是谁？", "小镇在哪里？", "小镇为什么叫青石镇？", "两种做法的不同在哪儿？", "公司的年假有几天？",
              "青龙水库是哪一年建成的？", "What position did the engineer hold?", "这份通知是谁发的？",
              "合同是什么时候签订的？"):
        a = analyse(q, ["青石镇有多少人？"])
        for s in ("因此，王青山在北京担任镇长。", "镇上有三百年历史的石桥。", "夜校设在青石镇。"):
            holds(a, s)
            leans_back(s)
        refers_back("该学院有三千名学生。", "青石职业技术学院建成了。")
        names(q)
        proper_names(q)
    assert [f.cache_info().misses for f in lists] == before


def test_a_year_is_not_an_amount_unless_a_span_of_time_is_asked():
    volume = analyse("水库的库容是多少？")
    assert holds(volume, "一九五八年，青石镇建成了水库。") == (False, False)
    assert holds(volume, "2022年12月3日，水库完成了检修。") == (False, False)
    assert holds(volume, "水库库容1.2亿立方米。") == (True, True)
    assert holds(analyse("学校有多少学生？"), "2022年，学校有学生八百人。") == (True, True)
    assert holds(analyse("他工作了几年？"), "他在2001年到2006年工作了5年。") == (True, True)


def test_numbers_in_chinese_numerals_count_for_the_asked_measure_only():
    days = analyse("陪产假有几天？")
    assert holds(days, "男员工可享受陪产假二十天。") == (True, True)
    # A number counting something else is no thing of the asked kind; a bare number may be one.
    assert holds(days, "共有3名员工报名。") == (False, False)
    assert holds(days, "陪产假按规定执行，另有补贴300。") == (True, False)
    assert holds(analyse("有多少名学员？"), "首期30个名额被一抢而空。") == (False, False)
    assert holds(analyse("有几个名额？"), "首期30个名额被一抢而空。") == (True, True)
    # A number inside a quoted name counts nothing asked, unless the quotation names the asked thing.
    assert holds(analyse("书院有多少名学员？"), "书院依托“3+2”模式开课。") == (False, False)
    # Quoted speech, or a quotation counting in the asked measure, still counts.
    assert holds(analyse("有多少名学员？"), "校长说：“首期招了30名。”")[0]
    assert holds(analyse("几天内可以退货？"), "本店支持“7天无理由退货”。") == (True, True)
    assert holds(analyse("全镇有多少个服务站？"), "全镇建成“12个服务站”工程。") == (True, True)
    assert holds(days, "员工可以申请休假。") == (False, False)
    people = analyse("预计有多少人参加？")
    assert holds(people, "预计参与志愿者两千余人。") == (True, True)
    assert holds(people, "预计参与志愿者90余名。") == (True, True)  # 名 counts people like 人
    assert holds(people, "工资按百分之八十发放。") == (True, False)
    score = analyse("期末考试多少分算及格？")
    assert holds(score, "卷面满分120分，72分及格。") == (True, True)
    assert holds(score, "考试十分严格，请按时到场。") == (False, False)  # 十分: very
    buildings = analyse("新校区有几栋教学楼？")
    assert holds(buildings, "新校区已建成教学楼五栋，宿舍楼三栋。") == (True, True)
    assert holds(buildings, "新校区占地三百亩。") == (False, False)
    # A count of one thing (一笔) names nothing a passage must hold; a noun its measure word opens is no measure.
    assert "一笔" not in analyse("申请一笔两千元的补助找谁？").terms
    pages = analyse("网站一共有多少页面？")
    assert pages.measure is None and "页面" in pages.terms
    # Nor is one opening a longer word it is no measure of (本科生, 天然气); a measure glued to its noun still is.
    students = analyse("学院有多少本科生？")
    assert students.measure is None and students.focus == "本科生"
    assert holds(students, "有全日制本科生21,400余人。") == (True, True)
    assert analyse("每年消耗多少天然气？").measure is None
    assert analyse("一共发放了多少部手机？").measure == "部" and analyse("图书馆有多少本书？").measure == "本"
    talks = analyse("一共举办几场讲座？")
    assert holds(talks, "活动期间共举办健康讲座四场。") == (True, True)


def test_a_count_in_the_clause_naming_the_focus_is_of_the_focus():
    race = "本届赛事设全程马拉松、半程马拉松和10公里健康跑三个项目，共有3.6万名跑者参赛，其中全程马拉松1.2万人。"
    # 健康跑's clause counts events and kilometres: the people counted elsewhere are not its runners.
    assert holds(analyse("10公里健康跑有多少人？"), race) == (False, False)
    assert holds(analyse("全程马拉松有多少人？"), race) == (True, True)  # 其中全程马拉松1.2万人
    assert holds(analyse("有多少名跑者参赛？"), race) == (True, True)
    # A clause naming the focus with no number leaves the count to the rest of the sentence.
    assert holds(analyse("学校有多少名学生？"), "学校的学生来自全国各地，共有三千名。") == (True, True)


def test_a_number_written_with_a_thousands_comma_or_a_clock_is_one_clause_and_a_price_follows_its_thing():
    # 3,600元 was cut at its comma into the clauses 价格3 and 600元; the price after the clause naming the thing
    # bought is that thing's (购买一年的耗材包，价格3,600元), which the year counted in the thing's clause is not.
    consumables = analyse("耗材包多少钱？")
    assert holds(consumables, "对方同意保修延长到4年，但需要同时购买一年的耗材包，价格3,600元。") == (True, True)
    assert holds(consumables, "对方同意保修延长到4年，但需要同时购买一年的耗材包，另交押金500元。")[1] is False
    assert holds(analyse("图书馆有多少名读者？"), "图书馆现有注册读者12,800名，藏书30万册。") == (True, True)
    assert CLAUSE_MARK.split("价格3,600元，时间14:30，地点：礼堂") == ["价格3,600元", "时间14:30", "地点", "礼堂"]


def test_a_number_without_a_measure_belongs_to_the_clause_naming_the_focus():
    q = analyse("镇上的自来水费是多少？")
    assert holds(q, "镇上的自来水费为每吨三元。")[1]
    assert not holds(q, "镇上有自来水厂，共有员工三十名。")[1]


def test_a_fee_or_a_rate_asked_without_a_measure_is_answered_by_money_or_a_share():
    fee = analyse("书法班的学费是多少？")
    assert fee.measure == "元" and analyse("门票多少钱？").measure == "元"
    # a cost or a price by its two-character noun (费用, 价格), which no fee's character ends
    assert analyse("托管班每月费用多少？").measure == analyse("茶叶的价格是多少？").measure == "元"
    assert holds(analyse("托管班每月费用多少？"), "每月5日之前交上月的作业本。") == (False, False)
    assert holds(fee, "书法班首期招收30个名额。") == (False, False)  # a count of places is no fee
    assert holds(fee, "书法班学费每学期1200元。") == (True, True)
    # in any currency, not only those the character 元 ends
    for paid in ("注册资本为30亿越南盾。", "学费每年5万港元。", "门票500卢布。", "学费一年8000韩元。"):
        assert holds(fee, paid) == (True, True), paid
    rate = analyse("青石中学的升学率是多少？")
    assert rate.measure == "%"
    assert holds(rate, "去年升学率达到百分之九十。") == (True, True)
    assert holds(rate, "升学率达到92％。") == (True, True)
    assert holds(rate, "升学率超过三分之二。") == (True, True)  # a fraction is a share
    votes = analyse("需要多少业主同意？")
    assert holds(votes, "须经三分之二以上的业主同意。") == (True, True)
    assert holds(votes, "须经业主大会表决同意。") == (False, False)
    assert holds(rate, "全校共有学生800名。") == (False, False)
    assert analyse("青石镇的人口是多少？").measure is None  # a count of anything may answer it
    # 功率 (power, in 瓦), 频率, 速率 and 汇率 are no share
    assert analyse("电机的功率是多少？").measure == "瓦" and analyse("信号的频率是多少？").measure is None


def test_a_unit_of_size_is_answered_by_a_number_in_that_unit_only():
    watts = analyse("这台净水器的额定功率是多少瓦？")
    assert watts.measure == "瓦"
    assert holds(watts, "额定功率为75瓦。") == (True, True)
    assert holds(watts, "额定净水流量为每分钟1.5升。") == (False, False)  # litres are no watts
    assert holds(analyse("这条鱼的体长是多少公分？"), "体长可达30公分。") == (True, True)
    assert holds(analyse("大坝有多高？"), "大坝坝顶长800米。")[1]  # a length answers a height
    # an amount in another unit alone does not (a volume, a sum), nor a year; a count of things may (七层)
    assert holds(analyse("大坝有多高？"), "水库于1994年建成，总库容3亿立方米。") == (False, False)
    assert holds(analyse("坐船去县城要多久？"), "船票每人30元。") == (False, False)
    assert holds(analyse("坐船去县城要多久？"), "航程约两小时。") == (True, True)
    assert holds(analyse("门票价格有多高？"), "门票每人120元。")[0]  # a price or a wage is 高 too
    assert not holds(analyse("大坝有多高？"), "水库面积20平方公里。")[1]
    # a size named by its noun is measured in that dimension's units
    weight = analyse("这台净水器的重量是多少？")
    assert holds(weight, "整机净重12公斤。") == (True, True) and holds(weight, "每分钟出水1.5升。") == (False, False)
    assert holds(analyse("公园的占地面积是多少？"), "公园占地约5公顷。") == (True, True)
    # an energy in 千瓦时 still answers how much power a plant makes in a year (no measure asked)
    assert holds(analyse("电站的年发电量是多少？"), "电站年发电量3亿千瓦时。") == (True, True)
    # a power station's capacity is its output in watts, not a volume; a tank's is a volume
    plant = analyse("青石电站的装机容量是多少？")
    assert holds(plant, "电站装机容量8万千瓦。") == (True, True) and not holds(plant, "水库库容3亿立方米。")[0]
    assert holds(analyse("水箱的容量是多少？"), "水箱容量为200升。") == (True, True)
    # unit symbols as manuals write them, where no letter follows (5min is no metre, 5A级 no current)
    assert holds(watts, "额定功率：45W") == (True, True) and holds(weight, "净重：6.8kg") == (True, True)
    assert holds(analyse("电压是多少？"), "请使用220V、50Hz的交流电源。") == (True, True)
    length = analyse("全长多少米？")
    assert holds(length, "全长5m。") == (True, True) and not holds(length, "每段用时5min。")[1]


def test_a_size_is_answered_by_a_number_in_its_dimension_not_by_any_count():
    tall = analyse("那座古塔有多高？")
    assert holds(tall, "古塔高约四十米，共七层。") == (True, True)
    assert holds(tall, "那座古塔是城里的一座名胜。") == (False, False)  # 一座 is an article: it measures nothing
    assert holds(analyse("这栋楼有多高？"), "这栋楼共三十层。")[0]  # a storey tells how high
    # A number naming a thing (a house number, a session) tells no length, nor does one listed before it.
    street = analyse("老街有多长？")
    assert holds(street, "老街上有会馆（老街250号）、故居（老街306、312号）等古迹。") == (False, False)
    assert holds(street, "老街是一条繁华的街道。") == (False, False)
    assert holds(street, "老街全长1.2公里。") == (True, True)
    assert holds(street, "老街宽3至5米。") == (True, True)
    # 一个 opens a span as often as it is an article; a stop, an episode tell how far, how long (review)
    assert holds(analyse("维修要多久？"), "维修一般在一个多小时内完成。")[0]
    assert holds(analyse("实习期多久？"), "实习期为一个学期。")[0]
    assert holds(analyse("到广场有多远？"), "坐地铁3站到广场站下车。")[0]
    assert holds(analyse("这部剧有多长？"), "全剧共四十集。")[0]
    assert holds(analyse("这条隧道有多长？"), "隧道全长3.2公里。")[1]
    assert holds(analyse("维修要多长时间？"), "维修需要三个月。")[1]
    assert not holds(analyse("维修要多久？"), "维修共分两期进行。")[1]
    # Asked how long a time of nothing named, only a span is exact: not a length, nor any other amount.
    took = analyse("修了多长时间？")
    assert holds(took, "历时十四个月完工。") == (True, True)
    assert not holds(took, "桥长一百米。")[1] and not holds(took, "日供水能力达到一万吨。")[1]
    assert holds(analyse("他当选时多大？"), "他当选时年仅三十二岁。")[1]
    assert holds(analyse("公园的面积有多大？"), "公园占地约5公顷。")[1]
    # 多 before a word of its own asks how much, not how big: 多重要, 多大程度, 多深刻; 许多 is "many".
    for q in ("这项工作有多重要？", "政策在多大程度上影响了就业？", "影响有多深刻？", "许多大学在哪里？"):
        assert analyse(q).answer_type != "number", q
    # A number in another unit still answers when its clause names what is asked about; an article (一种) does not.
    assert holds(analyse("水库的库容有多大？"), "水库库容1.2亿立方米。")[1]
    assert holds(analyse("这次洪水的损失有多大？"), "洪水造成损失3000万元。")[1]
    assert not holds(analyse("银杏树有多高？"), "银杏树是一种古老的树。")[1]


def test_a_price_after_its_label_is_the_price_of_the_row_naming_the_thing():
    spay = analyse("中型犬绝育多少钱？")
    assert holds(spay, "项目：中型犬绝育（10-25kg），价格：2200元") == (True, True)
    assert holds(spay, "项目：中型犬绝育（10kg以下），价格：1500元") == (True, True)
    assert holds(spay, "中型犬绝育后需观察三天。")[1] is False


def test_dates_in_chinese_numerals_and_eras():
    q = analyse("水库是哪一年建成的？")
    for s in ("一九五八年，青石镇建成了青龙水库。", "水库于1958年建成。", "明朝嘉靖年间设立集市。", "自二〇二三年一月一日起施行。",
              # a dynasty or its part dates an event of Chinese history
              "石桥始建于唐末。", "此镇明代设巡检司。", "北宋时已有集市。"):
        assert holds(q, s)[0], s
    assert not holds(q, "水库可灌溉农田三万余亩。")[0]
    assert not holds(q, "门票每人十元。")[0]


def test_asked_which_year_a_sentence_names_a_year_not_any_time():
    year = analyse("石桥是哪一年建成的？")
    for s in ("石桥建成于1958年。", "石桥始建于明代。", "同年石桥建成。", "石桥建于二〇〇八年。", "In 1958 the bridge opened."):
        assert holds(year, s)[0], s
    # A time of day, a season or a span names no year; asked when, each still dates what happened.
    for s in ("石桥每天上午开放。", "石桥春季维修。", "石桥上线一年半。", "石桥周末开放。", "石桥夏初维修。",
              "石桥已有300年历史。", "1200名居民参加了仪式。", "门票1500元。"):
        assert not holds(year, s)[0], s
    assert holds(analyse("石桥什么时候开放？"), "石桥每天上午开放。")[0]


def test_asked_what_time_of_day_a_sentence_tells_an_hour_not_any_time():
    hour = analyse("游船几点发船？")
    for s in ("首班游船上午8:30发船。", "游船每天九点半发船。", "末班船五点钟发出。", "码头全天开放。",
              "游船14时出发。", "Boats leave at 9 a.m."):
        assert holds(hour, s)[0], s
    # A day, a season or a stage of something tells no hour; nor does 一点 (a little) or a count of points.
    for s in ("游船春季停航，初期检修两周。", "游船5月3日复航。", "船票贵一点。", "游船有三个停靠点。", "船长提了两点意见。"):
        assert not holds(hour, s)[0], s
    assert holds(analyse("游船什么时候复航？"), "游船5月3日复航。")[0]  # asked when, a day answers
    # an hour by its number before what happens then, or with its minutes; not a count, a score or a little
    for s in ("游船八点开船。", "十二点前退船票。", "9点30分集合。", "十六时三十分出发。", "It leaves at seven o'clock."):
        assert holds(hour, s)[0], s
    for s in ("船长提出3点要求。", "游客评分9.5点。", "积分满100点。", "游船稍微晚一点开。", "The ferry draws 5 amps.",
              "须注意以下三点，", "主要有两点。"):
        assert not holds(hour, s)[0], s
    # an hour in digits before any verb, or after 到; in English with its minutes
    for s in ("码头每天8点准时开放。", "游客9点集合。", "8点、14点各发一班。", "售票处营业到十点。", "It leaves at 9.30am."):
        assert holds(hour, s)[0], s
    # what time of year, or in what time period, asks no hour
    assert analyse("What time of year is best to visit the lake?").measure is None
    assert analyse("In what time period was the bridge built?").measure is None


def test_reason_person_place():
    assert holds(analyse("小镇为什么叫青石镇？"), "因镇北山中盛产青石而得名。")[0]
    assert not holds(analyse("小镇为什么叫青石镇？"), "小镇位于清河上游。")[0]
    # Born of a need (应…需求而生) or done out of something (出于): a cause too; 基于 (based on) is not.
    why = analyse("这个平台为什么推出？")
    assert holds(why, "平台应居民日益增长的办事需求而生。")[0] and holds(why, "出于安全考虑，平台暂停注册。")[0]
    assert not holds(why, "平台上线一年半，用户达三百万。")[0]
    assert not holds(why, "平台推送基于地理信息的服务。")[0]
    # 因 after the time it happened at (1958年因病辞职), or before what a cause is (因伤), gives a cause;
    # 因素 (a factor) does not.
    quit_ = analyse("他为什么辞去馆长职务？")
    for s in ("1949年后他出任馆长，直至1958年因病辞职。", "他因伤退出了比赛。", "1990年后因涉嫌受贿被免职。"):
        assert holds(quit_, s)[0], s
    assert not holds(quit_, "他在1958年离开了图书馆。")[0] and not holds(quit_, "气候是一个重要因素。")[0]
    # Done for a purpose (为纪念…而建) is a cause; the 为 of 成为 is none (成为了馆长).
    named = analyse("这座楼为什么叫五二楼？")
    assert holds(named, "湖畔的“五二楼”为纪念建校年份而建。")[0] and holds(named, "此楼以纪念捐建人。")[0]
    assert not holds(named, "他成为了学校的馆长，而且很受欢迎。")[0]
    for s in ("今年因地制宜发展茶叶。", "教学上因材施教。", "效果因人而异。", "价格较为便宜而且耐用。", "定价为三千元而上一代更贵。",
              "他患有基因病。"):
        assert not holds(named, s)[0], s
    assert holds(analyse("讲座在哪里举办？"), "讲座设在杭州市文化中心。")[0]
    assert holds(analyse("第一任站长是谁？"), "第一任站长是约翰·史密斯。")[0]
    # jieba tags many a common word as a person or a place (明白, 平原); CC-CEDICT lists them as common words.
    assert not holds(analyse("谁提出了这个办法？"), "大家都明白了这个道理。")[0]
    assert holds(analyse("谁提出了这个办法？"), "王小明提出了这个办法。")[0]
    assert not holds(analyse("谁带队出发了？"), "大家满怀希望地出发了。")[0]  # a phrase of two common words
    assert holds(analyse("谁讲了这个故事？"), "老师讲了白雪公主的故事。")[0]  # two common words, but a name
    assert not holds(analyse("他们搬去了哪里？"), "他们搬去了平原。")[0]
    assert holds(analyse("他们搬去了哪里？"), "他们搬去了北京。")[0]  # no place suffix: found by its tag
    # A word ending in a kind of place is a place unless it is a common word (社区, 城市, 道路); the kind alone
    # names one after a name (青石 镇), not after a count or a pronoun (这座 山).
    where = analyse("夜校在哪里？")
    for s in ("夜校设在青溪镇文化路18号。", "夜校设在青石镇。", "夜校设在霍城县。"):
        assert holds(where, s)[0], s
    for s in ("夜校为丰富社区生活而办。", "夜校让城市里的老人受益。", "夜校门前的道路很宽。", "夜校旁边有一条河。"):
        assert not holds(where, s)[0], s
    # Where in a building or beside it is a place too (a notice's 各栋楼北侧, 二楼).
    for s in ("夜校设在文化站二楼。", "自行车统一停放在教学楼北侧。", "报名处在第3层。"):
        assert holds(where, s)[0], s
    for s in ("夜校办了两年，楼里的老人都来上课。", "这栋大楼共有18层。", "湖面上结了一层薄冰。"):
        assert not holds(where, s)[0], s  # a count of floors or layers is no place


def test_a_contact_asked_for_is_an_address_a_link_or_a_number_of_its_form():
    mail, phone, site = analyse("人事部的邮箱是什么？"), analyse("咨询电话是多少？"), analyse("医院官网网址是什么？")
    assert mail.answer_type == phone.answer_type == site.answer_type == "contact"
    assert analyse("有哪些联系方式？").answer_type == "entity"  # a list of them is asked as any list
    # An email's address is no place: 邮箱地址 asks for the address an email is sent to.
    assert analyse("人事部的邮箱地址是什么？").answer_type == analyse("学校的电子邮件地址是什么？").answer_type == "contact"
    assert not holds(analyse("人事部的邮箱地址是什么？"), "人事部地址为滨江路210号。")[0]
    assert not holds(analyse("学校的网站地址是什么？"), "电子邮箱：office@school.cn")[0]  # an email's domain is no site
    assert holds(analyse("学校的网站地址是什么？"), "网址：www.school.cn")[0]
    # A word and an amount after it are no model; a code written without a space is one whatever follows it.
    assert names("PM2.5年均浓度是多少？") == ["PM2.5"] and "C919" in names("C919架飞机交付了几架？")
    assert "Windows 11" in names("Windows 11家庭版多少钱？")
    # Asked in English, the same: the form wanted is the Chinese noun's; a count of calls or users is a count.
    for q, noun in (("What is the phone number of the library?", "电话"), ("What is the clinic's email address?", "邮箱"),
                    ("What phone number should I call to register?", "电话"), ("What is the hospital's website?", "网址")):
        assert (analyse(q).answer_type, analyse(q).focus) == ("contact", noun), q
    for q in ("How many phone calls did the hotline get?", "How many users does the website have?"):
        assert analyse(q).answer_type == "number", q
    assert holds(mail, "如有疑问，请发邮件至 hr@example.com。")[0]
    assert not holds(mail, "医院官网：www.example.cn，可查询出诊信息。")[0]
    assert holds(site, "医院官网：www.example.cn，可查询出诊信息。")[0]
    for s in ("联系电话：0571-86123456。", "请拨打12320预约。", "或拨打内线电话 8021。", "手机13812345678。"):
        assert holds(phone, s)[0], s
    # Any other number is not one: a date, an amount, a count.
    for s in ("活动定于2026年12月12日举行。", "住宿费每晚不超过600元。", "共有1200名居民参加。",
              "电话会议于2024年举行。", "总投资12000000元。", "The hotel room 1234 is booked.", "举办手机使用培训327场。"):
        assert not holds(phone, s)[0], s
    # How to reach someone asks for a contact of any form; how someone did (是怎么联系上的) or 联系 as "link" does not.
    reach = analyse("想报名的话怎么联系夜校？")
    assert reach.answer_type == "contact"
    assert holds(reach, "报名电话：0571-86123456")[0] and holds(reach, "报名请发邮件至 night@example.com。")[0]
    assert not holds(reach, "报名者须到一楼服务台登记。")[0]
    for q in ("怎么与夜校联系？", "How do I contact the night school?"):
        assert analyse(q).answer_type == "contact", q
    for q in ("他们是怎么联系上的？", "怎么联系实际？"):
        assert analyse(q).answer_type == "manner", q
    # A price asked of a phone or a website is money, not a number to call.
    assert (analyse("这款手机要多少钱？").answer_type, analyse("这款手机要多少钱？").measure) == ("number", "元")
    # So is a size: how heavy or how big a phone is.
    for q in ("手机有多重？", "这台手机多大？"):
        assert (analyse(q).answer_type, analyse(q).focus) == ("number", "手机"), q
    assert analyse("手机号是多少？").answer_type == "contact"


def test_a_person_is_a_name_the_dictionary_lacks_that_opens_with_a_surname():
    who = analyse("谁主持了开馆仪式？")
    # Names jieba's dictionary does not know, of two and three characters, and one with a compound surname.
    for s in ("仪式由副局长郝雪琴主持。", "由次卿韩茂继任。", "馆长钱立峰介绍了新馆。", "由欧阳明远主持。"):
        assert holds(who, s)[0], s
    # A surname's character opening a clan, a place or a word glued to a function word is no one.
    for s in ("韩氏一族迁居此地。", "新馆设在宋州城内。", "仪式在上午举行，观众约两百人。"):
        assert not holds(who, s)[0], s


def test_how_long_is_told_by_when_something_starts_and_ends():
    how_long, hours, days = analyse("午饭时间有多久？"), analyse("上午要上几个小时课？"), analyse("寒假放多少天？")
    assert holds(analyse("滤网多久换一次？"), "滤网每季度更换。") == (True, True)  # how often: every so long
    # One crossing's time is no frequency: 每周 does not tell how long it takes.
    assert holds(analyse("坐渡船过一次江要多久？"), "她每周坐渡船去县城卖茶叶。") == (False, False)
    assert holds(analyse("坐渡船过一次江要多久？"), "渡船单程约需20分钟。")[1]
    # An interval asked after its 一次 is how often still (换一次滤芯要隔多久).
    assert holds(analyse("换一次滤芯要隔多久？"), "滤芯每季度更换一次。") == (True, True)
    assert holds(how_long, "午饭后开放半小时。") == (True, True)  # a span in words
    assert holds(how_long, "阅览室每天开放。")[1] is False  # every day tells how often, not how long
    assert holds(how_long, "按1:50-1:100的比例稀释。")[1] is False  # a ratio, not from one time to another
    assert holds(how_long, "用餐时间：11:30—12:30") == (True, True)
    assert holds(hours, "上午八点到十一点半上课。") == (True, True)
    assert holds(days, "寒假自1月20日至2月18日。") == (True, True)
    # Days are no answer to how many hours, and one time of day tells no span.
    assert holds(hours, "寒假自1月20日至2月18日。") != (True, True)
    assert holds(how_long, "食堂11:30开饭。")[1] is False


def test_a_post_answers_who_does_what_a_rule_says():
    who = analyse("报销差旅费要找谁签字？")
    for s in ("五千元以下的，由科室负责人签字。", "超出部分须由财务总监签字。", "请联系班主任办理。"):
        assert holds(who, s)[0], s
    # A post is a word of the sentence, not 长 opening another (长期, 长度).
    for s in ("报销须附发票原件。", "本店长期有效。", "社会长期关注此事。", "全部长度约三米。"):
        assert not holds(who, s)[0], s


def test_a_body_or_a_party_answers_who_does_what_a_notice_or_a_contract_says():
    # Who issues a notice, repairs what a lease names or collects what is left is as often an organisation, a
    # party to the contract or a relation as a person.
    for q, s in (("这个通知是谁发的？", "发布单位：青石镇物业管理委员会"),
                 ("这份规定是谁发布的？", "本规定由学生工作处负责解释。"),
                 ("热水器坏了谁来修？", "房屋内家电因自然损耗出现故障的，由甲方负责维修。"),
                 ("押金谁来退？", "押金由出租方在退房后七日内退还。"),
                 ("存款谁能领取？", "账户所有人去世的，由继承人办理。"),
                 ("瑜伽课谁带？", "课程：瑜伽，教练：周晓，教室：A教室")):
        assert holds(analyse(q), s)[0], (q, s)
    # A word that only ends like one is none (市中心 is a place, 学院 an institution named, not who acts).
    who = analyse("谁负责维修？")
    for s in ("维修点在市中心。", "他在学院读书。", "维修须提前预约。"):
        assert not holds(who, s)[0], s


def test_a_verb_parted_by_a_count_or_an_aspect_is_a_compound_of_the_question():
    assert "请假" in analyse("一年能请几天假？").compounds
    assert "开会" in analyse("上周开了几次会？").compounds
    assert "加班" in analyse("周末加几个小时班算加班费吗？").compounds
    # Not a character that ends another word (加 of 增加, 生 of 发生), though 加班 and 生起 are verbs.
    assert "加班" not in analyse("学校今年增加了几个班？").compounds
    assert not analyse("去年发生了几起火灾？").compounds


def test_a_line_labelled_with_the_asked_kind_holds_it_however_the_value_is_written():
    where, when, who = analyse("在哪里报名？"), analyse("什么时候开放？"), analyse("找谁咨询？")
    assert holds(where, "报名地点：教学楼一楼大厅") == (True, True)
    assert holds(when, "开放时间：每周二上午") == (True, True) and holds(who, "联系人：周老师") == (True, True)
    # A field may follow another (a table row read as labelled cells), and names the asked kind: not a field of
    # another kind, nor a label's word inside a sentence.
    assert holds(who, "日期：5月5日，带班领导：周强，值班人员：孙磊") == (True, True)
    assert holds(where, "报名时间：每周二上午，报名方式：现场报名") == (False, False)
    assert holds(when, "报名方式：现场报名") == (False, False) and holds(who, "项目：全长，参数：3米") == (False, False)
    assert holds(who, "请联系报名点的工作人员。") == (False, False)


def test_follow_up_needs_history_and_a_pointer_or_no_subject_of_its_own():
    first = "青石镇有多少口古井？"
    assert not analyse("那石桥呢？").follow_up  # nothing to follow
    a = analyse("那石桥呢？", [first])
    assert a.follow_up and a.search_text == f"{first} 那石桥呢？"
    assert a.answer_type == "number"  # it asks what the previous question asked
    assert analyse("它是哪一年修的？", [first]).follow_up
    assert analyse("一共多少口？", [first]).follow_up
    assert not analyse("清河水库的灌溉面积有多大？", [first]).follow_up


def test_a_follow_up_naming_nothing_carries_what_its_question_opened_with():
    q = analyse("它的站长是谁？", ["东湖气象观测站建成了多少座雷达？"])
    assert q.follow_up and "东湖气象观测站" in q.topic
    assert list(q.topic) == sorted(q.topic, key=len, reverse=True)  # longest first
    # the clause that asks, not a time clause before it; no one-word phrase (its names cover that)
    q = analyse("那图书馆呢？", ["截至去年年底，青石镇文化中心有多少名职工？"])
    assert q.topic[0] == "青石镇文化中心" and all("去年" not in t for t in q.topic)
    # a second follow-up naming nothing keeps the first one's topic; one naming something has none
    assert "东湖气象观测站" in analyse("那他呢？", ["东湖气象观测站有多少名职工？", "它的站长是谁？"]).topic
    assert analyse("那西湖公园呢？", ["东湖气象观测站有多少名职工？"]).topic == ()
    assert analyse("东湖气象观测站有多少名职工？").topic == ()


def test_a_second_follow_up_is_searched_with_what_the_first_one_continued():
    history = ["青石镇有多少口古井？", "那石桥呢？"]
    a = analyse("它们是哪一年修的？", history)
    assert a.follow_up and a.search_text == "青石镇有多少口古井？ 那石桥呢？ 它们是哪一年修的？"
    assert a.subject == analyse(history[1]).names  # what the question it follows named
    # A question that sets a topic of its own starts the chain again.
    history = ["青石镇有多少口古井？", "清河水库的灌溉面积有多大？"]
    assert analyse("它是哪一年修的？", history).search_text == "清河水库的灌溉面积有多大？ 它是哪一年修的？"


def test_names_finds_places_quoted_titles_numbers_and_latin_words():
    assert "上海" in names("上海有多少所学校？")
    assert "北京大学" in names("北京大学的校长是谁？")
    assert "2024" in names("2024年运动会在哪里举办？")
    assert "Python" in names("如何学习Python编程？")
    assert "青石镇志" in names("《青石镇志》是谁编的？")
    # A code of letters and digits is a name (a fault code the manual does not list is not found); a letter alone
    # is not.
    assert "E2" in names("显示E2是什么意思？") and "G20" in names("G20峰会在哪里举办？")
    assert "MB-FB40" in names("MB-FB40的功率是多少？") and not names("A股有多少家公司？")
    # A word and its number name one model, version or standard: a text naming the word with another number
    # does not hold it.
    for q, name in (("Nova 12的屏幕多大？", "Nova 12"), ("固件v3.2什么时候发布？", "v3.2"), ("PM2.5超标怎么办？", "PM2.5"),
                    ("H-1B签证要多久？", "H-1B"), ("RTX4080多少钱？", "RTX4080")):
        got = names(q)
        assert name in got and not any(n != name and n in name for n in got), (q, got)
    # A word and an amount after it are no model: VIP 3个月 is three months of VIP.
    assert "VIP 3" not in names("开通VIP 3个月要多少钱？") and "iPhone 15" not in names("iPhone 15天内可以退货吗？")
    assert "Wi-Fi 6" in names("Wi-Fi 6路由器多少钱？")
    assert analyse("How many wells are in 青石镇?").names == ("青石镇",)


def test_the_amounts_a_question_states_are_not_its_years_days_or_places_in_an_order():
    def numbers(q: str) -> list[str]:
        return [a.number for a in analyse(q).amounts]

    assert analyse("我爷爷72岁了，坐公交要买票吗？").amounts == (Amount("72", "岁", "72岁"),)
    assert numbers("带25个小朋友去春游，要提前几天报名？") == ["25"]
    assert numbers("押金交了800元，退房时能退多少？") == ["800"]
    assert numbers("入职满3个月以后能请几天假？") == ["3"]
    assert numbers("我在这里住了15年，能申请补贴吗？") == ["15"]  # a span of years
    assert numbers("在村里住了十二年，能分到地吗？") == ["十二"]
    assert analyse("装修花了一万二，能报销多少？").amounts == (Amount("一万二", "元", "一万二"),)  # a sum as spoken
    assert numbers("一万三千人报了名，录取几个？") == ["一万三千"]
    assert numbers("开车前一个小时退票扣多少？") == ["一"]  # a span counted from one (一个小时, 一个月): no article
    assert numbers("提前一个月退租要交违约金吗？") == ["一"]
    # An article (一所, 一次), a year (also as spoken: 九八年, 95年出生), a month, a day of the month, a number in an
    # order and an approximation (两三年) are no amounts; nor a number in thousands counting another thing.
    assert analyse("三万多人报了名，录取几个？").amounts == (Amount("三万多", "人", "三万多人"),)
    for q in ("有没有一所学校开设茶艺专业？", "1998年那场洪水淹了几个村？", "3月几号开学？", "第17届运动会在哪举办？",
              "5号线几点停运？", "公元前221年出了什么大事？", "九八年出生的能报名吗？", "住了两三年能落户吗？",
              "95年出生的能参加吗？", "每天走一万步能瘦几斤？", "一个孩子能带几个大人？"):
        assert not analyse(q).amounts, q


def test_number_value_reads_digits_and_chinese_numerals():
    assert [number_value(n) for n in ("12", "2.5", "1,200", "3万", "四十", "两", "一百零五", "一万二", "两千五")] == \
        [12, 2.5, 1200, 30000, 40, 2, 105, 12000, 2500]
    assert number_value("1.2.3") is None and number_value("") is None
    assert number_value("一亿两千万") == 1.2e8 and number_value("九千九百九十九") == 9999
    assert number_value("两三") is None and number_value("一" * 400) is None  # about so many; no number


def test_a_bound_a_text_sets_on_a_count_holds_an_amount_within_it():
    assert within("驾龄满3年不满8年的，保费九折", 6, "年")
    assert not within("驾龄满1年不满3年的，保费九五折", 6, "年") and not within("驾龄满8年及以上的，保费八折", 6, "年")
    assert within("借阅超过两周、不满四周的，每本罚款一元", 3, "周")
    assert not within("借阅两周以内（含两周）的，不收费", 3, "周")
    # A negation turns a bound round; a row of a table bounds on its own line.
    assert within("每次出差不得超过10天", 6, "天") and not within("每次出差不得超过10天", 12, "天")
    assert not within("参赛者年龄不小于16岁", 14, "岁")
    assert within("满0年不满2年 | 3天\n满2年不满6年 | 6天", 4, "年")
    # Another measure word is no bound on this one (万元 on 元, 分钟 on 小时), nor a month of a year on months.
    assert not within("月消费1万元以上可办金卡", 800, "元") and not within("会议不超过40分钟", 2, "小时")
    assert not within("展期为2024年3月至7月", 4, "个月")
    assert within("消费满2,000元以上可打折", 2500, "元") and not within("消费满2,000元以上可打折", 900, "元")
    # Of tiers bounded from below alone, the highest the value reaches holds it.
    rows = ["驾龄满一年的，保费九五折", "驾龄满六年的，保费八五折"]
    floor = floor_of("；".join(rows), 6, "年")
    assert floor == 6 and within(rows[1], 6, "年", floor) and not within(rows[0], 6, "年", floor)
    # A measure word of the same unit bounds it in its size (日 of 天, 块 of 元, 万元, 分钟 of 小时).
    assert within("逾期超过3日的，暂停借阅", 5, "天") and within("消费超过500块的可开发票", 800, "元")
    assert within("保证金1万元以上另行审批", 12000, "元") and within("单场不超过90分钟", 1, "小时")
    # Days, weeks and hours are one unit: two days late is within 24—72 hours, ten days beyond a week.
    assert within("迟交24—72小时的，扣除30%", 2, "天") and not within("迟交24小时以内的，扣除10%", 2, "天")
    assert within("逾期超过一周的，取消资格", 10, "天")
    # Weights, lengths and volumes in words or symbols (15公斤 of 10～20kg; 0.4公斤 of 500克以下; 1.5米 of 120cm以上).
    assert within("体重10～20kg的儿童，一次10mg", 15, "公斤") and not within("体重10～20kg的儿童", 25, "公斤")
    assert within("行李500克以下免费", 0.4, "公斤") and within("身高120cm以上购全票", 1.5, "米")
    assert not within("每日不超过2升", 3, "公斤")  # a volume bounds no weight
    # 15千克 is fifteen kilograms, not fifteen thousand grams.
    assert stated_amounts("15千克的包裹多少钱？") == (Amount("15", "千克", "15千克"),)
    assert stated_amounts("3千米长的跑道") == (Amount("3", "千米", "3千米"),)
    assert stated_amounts("2千元的奖金") == (Amount("2千", "元", "2千元"),)
    # Bounds that exclude each other are either-or; 个 is no age; an order's measure bounds no count.
    assert within("8岁以下、65岁以上的游客半价", 70, "岁") and not within("8岁以下、65岁以上的游客半价", 30, "岁")
    assert not within("18岁以上游客须购买成人票", 25, "个") and not within("3层以上设观景台", 5, "个")
    # No run of numerals overflows or takes long.
    assert not within("一" * 400 + "个以上", 3, "个") and not within("1" * 4000 + "x天以上", 3, "天")
    assert within("70岁以上的居民免费乘车", 72, "岁") and within("3至6岁儿童半价", 5, "岁")
    assert not within("3至6岁儿童半价", 72, "岁")
    assert within("五千元以上的开支，由财务主管审批", number_value("八千"), "元")
    assert within("20人以上的团队可预约讲解", 30, "个")  # 个 counts people as any other thing
    assert not within("展厅面积500平方米以上", 600, "个")
    # A count written without a bound, or of another measure, bounds nothing.
    assert not within("丧假三天，全薪", 3, "天") and not within("消费满300元可免停车费", 12, "年")


def test_tokenize_drops_stop_words_question_words_and_punctuation():
    toks = tokenize("青石镇与多少家企业签订了合作协议？")
    assert "企业" in toks and "协议" in toks
    assert not {"多少", "与", "了", "？"} & set(toks)
    assert "哪所" not in tokenize("是哪所学校？")
    # English pronouns and modals name nothing either; a month does.
    assert tokenize("How many days can I work remotely in May?") == ["days", "work", "remotely", "may"]
    assert analyse("What should I do if my laptop is stolen?").terms == ("laptop", "stolen")


def test_a_question_for_a_post_is_answered_by_a_sentence_naming_one():
    q = analyse("王青山担任什么职务？")
    assert q.focus != "职务" and "职务" not in q.terms  # the word for "post" is what is asked, not a word to find
    assert holds(q, "水利局副局长、泵站管理处主任王青山介绍，三座泵站已经完工。") == (True, True)
    assert holds(q, "王青山介绍，三座泵站已经完工，长江水位平稳。") == (False, False)


def test_a_yes_or_no_question_asks_about_its_verb_once_and_a_bound_is_no_name():
    # 是不是, 能不能, 可不可以: the verb asked twice is no term (不是, 不能 were); 差不多 is no such question.
    for q, terms in (("他是不是校长？", ("校长",)), ("能不能网上报名？", ("网上", "报名")), ("可不可以转租？", ("转租",))):
        assert analyse(q).terms == terms, q
    assert analyse("差不多有多少人？").terms == ()  # a hedge on the number asked, and no 不多
    # The number a question compares with is a bound the text need not hold (超过60门 over 开设直播课61门); a group
    # named by a number (40岁以上的职工) is named so in the text too.
    assert analyse("直播课是不是超过了60门？").names == () and analyse("40岁以上的职工要做什么检查？").names == ("40",)
    # So is the one a reader reaches (工作满12年 over 满10年不满20年的): the asker's case, not the text's words.
    assert analyse("工作满12年的员工有几天年假？").names == ()
    assert analyse("哪些项目免费？").names == ()  # a phrase holding the question word is no name
    assert analyse("2024年开了多少门课？").names == ("2024",)


def test_a_pronoun_glued_to_a_verb_is_no_term():
    # The segmenter glues 他 to a verb it does not know with it (他教); a pronoun word it knows (他们) stays.
    assert analyse("他教什么？").terms == () and analyse("他教什么？").focus is None
    assert analyse("他们学校在哪？").terms == ("学校",)


def test_the_parts_a_question_asks_for_are_no_term():
    # 哪几个方面 asks what parts something has: a text lists them (一是…二是…) without the word.
    assert "方面" not in analyse("合作社的章程规定了哪几个方面？").terms
    assert "环节" not in analyse("培训分为哪几个环节？").terms
    assert "方面" in analyse("这个方面的工作由谁负责？").terms  # not the kind asked for: a word like any other


def test_now_here_and_what_a_noun_relates_to_are_no_terms_a_text_must_hold():
    # A text says now in any of several words (目前, 如今): 现在 in the question is no word the answer must share;
    # nor are 那边 (over there) and 跟…有关的 (related to…), a spoken question's frame.
    assert analyse("图书馆现在有多少藏书？").terms == ("图书馆", "藏书")
    assert analyse("目前合作社有几名社员？").terms == ("合作社", "社员")
    assert analyse("县城那边有几家超市？").terms == ("县城", "超市")
    assert analyse("和养老相关的政策有哪些？").terms == ("养老", "政策")
    assert analyse("有关部门是哪个？").terms == ("有关", "部门")  # a word of the text's, here
    assert analyse("村里新开了个超市叫什么？").terms == ("村里", "超市")  # a verb, its aspect and a loose measure


def test_a_verb_of_going_glued_to_a_place_is_no_part_of_its_name():
    # The segmenter glues 去 or 到 to a place name it does not know (去岚州): the place is what a passage names.
    trip = analyse("坐高铁去岚州要多久？")
    assert (trip.terms, trip.focus, trip.anchors) == (("高铁", "岚州"), "岚州", ("岚州",))
    assert analyse("从汀州到岚州有多远？").terms == ("汀州", "岚州")
    assert "到期" in analyse("到期后怎么续借？").terms  # a word its dictionary knows stays whole


def test_grammar_glued_to_a_word_in_a_spoken_question_is_no_term():
    # The segmenter glues an adverb, a negation or a loose measure to the word beside it when it does not know the
    # pair (分才, 没休, 买个): no word a passage holds. A name (陈才, 王可) or a noun (年会, 赋能) it does not know
    # stays whole.
    assert analyse("考试要考多少分才算及格？").terms == ("考试", "及格")
    assert analyse("婚假没休完怎么办？").terms == ("婚假",)
    assert analyse("去买个书包多少钱？").terms == ("书包",)
    assert analyse("周末去的话要带什么？").terms == ("周末",)  # 的话 closes a condition
    for q, kept in (("陈才在哪里工作？", "陈才"), ("王可老师教什么课？", "王可"), ("年会几点开始？", "年会"),
                    ("数字赋能项目有哪些？", "赋能")):
        assert kept in analyse(q).terms, q
    assert "会员" in analyse("会员能打几折？").terms and "才华" in analyse("他的才华体现在哪？").terms  # dictionary words
    # An auxiliary glued after a thing (卡能, 年卡能), an adverb before a word (才行): what may be done with it, no
    # part of its name; nor is what is said of the thing asked after the question word a noun asked for (多久能出).
    assert analyse("会员卡能借给朋友用吗？").terms == ("会员卡", "借给", "朋友")
    assert analyse("团检能上门抽血吗？").terms[0] == "团检"
    assert (analyse("要住多久才行？").terms, analyse("要住多久才行？").focus) == ((), None)
    assert analyse("化验结果多久能出？").focus == "结果"
    # A hedge on the amount asked (大概, 一般) is no word a passage holds, nor what is asked about.
    for q, focus in (("洗牙大概多少钱？", "洗牙"), ("泳池水温一般多少度？", "水温"), ("酒店一般几点退房？", "退房")):
        a = analyse(q)
        assert a.focus == focus and not {"大概", "一般"} & set(a.terms), (q, a.focus, a.terms)
    # Before a noun it names a kind of thing (一般纳税人, 一般事故), no hedge (review); 基本 is none (基本套餐).
    for q in ("那一般纳税人呢？", "一般事故是指什么？", "一般存款账户能取现吗？"):
        assert "一般" in analyse(q, ["小规模纳税人征收率多少？"]).terms, q
    assert "基本" in analyse("基本套餐多少钱？").terms
    assert analyse("什么卡能暂停？").focus == "卡"  # the noun before the glued auxiliary (review)


def test_a_modal_verb_glued_to_a_word_is_no_part_of_it():
    # The segmenter glues 要 to the word on either side (证要, 要放); a dictionary word holding it (要素) stays.
    assert analyse("红烧肉要放辣椒吗？").terms == ("红烧肉", "辣椒")
    assert "证要" not in analyse("办读者证要带什么？").terms
    assert "要素" in analyse("合同应当具备哪些要素？").terms
    assert "我司" in analyse("我司的地址在哪？").terms  # a pronoun and a noun ("our firm") stay one term


def test_zai_or_you_before_the_question_word_is_cut_off_unless_it_ends_a_word():
    # 书屋在哪个村, 青石镇有多少: the segmenter glues 在 or 有 to what it follows (屋在, 镇有) unless it stands apart.
    where = analyse("夜读书屋在哪个村？")
    assert "夜读书屋" in where.compounds and not any("在" in t for t in where.terms)
    town = analyse("青石镇有多少人口？")
    assert "青石镇" in town.compounds and not any("有" in t for t in town.terms)
    assert "存在" in analyse("存在哪些问题？").terms and "具有" in analyse("具有什么特点？").terms


def test_a_day_the_question_names_is_one_term():
    # Apart, its numbers would match any 5 or 3 (5月1日, 13800005555); a month alone may begin a name (七月艾).
    assert analyse("5月3日谁值班？").terms == ("5月3日", "值班")
    assert analyse("2022年6月成立了什么？").terms[0] == "2022年6月" and "五月三日" in analyse("五月三日谁值班？").terms
    assert analyse("3月31日前要做什么？").terms[0] == "3月31日"


def test_a_one_character_noun_or_verb_is_something_to_look_for_a_verb_for_any_action_is_not():
    assert content_words("书在哪借？") == ["书", "借"] and content_words("考哪几门？") == ["考"]
    assert content_words("你能做什么？") == [] and content_words("是什么？") == []
    assert content_words("你能帮我做什么？") == []


def test_who_issued_a_notice_and_when_ask_for_its_signature():
    who, when = analyse("这个通知是哪个部门发的？"), analyse("通知是什么时候发布的？")
    assert (who.kind, when.kind, when.answer_type) == ("author", "author", "date")
    assert analyse("这篇报道是什么时候发布的？").about == ()  # when it came out, not what it says
    assert analyse("防汛工作由哪个部门负责？").kind == "fact"
    assert analyse("值班安排是谁发的？").kind == "author"  # an arrangement, a notice's kind of document
    # Asked by the kind of issuer, whichever it is (哪个公司, 哪家医院, 哪级政府).
    assert {analyse(f"这个通知是{who}发的？").kind for who in ("哪个公司", "哪家医院", "哪级政府")} == {"author"}
    assert analyse("报道是哪天发布的？").answer_type == analyse("通知是哪一年发的？").answer_type == "date"
    assert analyse("这份问答是谁发布的？").kind == analyse("招生简章是哪个学校发的？").kind == "author"
    # A bulletin, a report, a notice's kind of warning (统计公报, 年度报告, 安全提示) is a document too; a report or a
    # warning not pointed at (体检报告, 张三的体检报告) is a thing the document tells of, as a contract is.
    assert {analyse(q).kind for q in ("这份统计公报是谁发布的？", "这份年度报告是哪个单位发的？", "这个安全提示是哪天发的？",
                                      "这本产品说明书是哪家公司发布的？", "报告是谁写的？")} == {"author"}
    assert {analyse(q).kind for q in ("体检报告是什么时候发的？", "张三的体检报告是哪天发的？", "每个人的体检报告是哪天发的？",
                                      "这个月的体检报告是哪天发的？")} == {"fact"}
    assert analyse("这份2024年度报告是谁发布的？").kind == "author"
    # A contract asked about whole was signed on its signature's date; one it tells of, on the date the text says.
    assert {(q.kind, q.answer_type) for q in map(analyse, ("合同是哪天签的？", "这份合同是什么时候签订的？"))} == {
        ("author", "date")}
    assert analyse("劳动合同是什么时候签订的？").kind == analyse("合作协议是哪天签的？").kind == "fact"
    release = analyse("新版本是什么时候发布的？")  # a thing the document tells of, not the document
    assert (release.kind, release.answer_type) == ("fact", "date") and "发布" in release.terms


def test_a_building_or_line_number_is_no_date():
    q = analyse("停水是哪天？")
    assert not holds(q, "停水范围包括一号楼至六号楼。")[0] and not holds(q, "地铁2号线延长运营。")[0]
    assert holds(q, "本月六号停水。")[0] and holds(q, "4月6号停水。")[0]


def test_days_counted_are_no_day_of_the_month():
    """每逾期一日, 超过15日, 提前30日 count days: 合同哪天签的 is not answered by a late fee's rate per day."""
    q = analyse("协议是哪天签的？")
    for counted in ("每逾期一日加收0.5%滞纳金。", "逾期超过15日的，可解除协议。", "应提前30日书面通知对方。", "连续3日未到岗。"):
        assert not holds(q, counted)[0], counted
    for dated in ("签订日期：2025年3月9日。", "于每月5日前支付。", "十月一日起施行。", "每月15号结算。"):
        assert holds(q, dated)[0], dated


def test_a_time_told_from_another_a_week_of_a_term_or_a_deadline_answers_when():
    when = analyse("换了套餐什么时候生效？")
    assert when.answer_type == "date"
    assert holds(when, "套餐变更次月生效。") == (True, True) and holds(when, "申请后次日到账。")[0]
    assert holds(analyse("期末展示什么时候？"), "第16周进行期末展示。")[0]
    # Not a count of weeks or a span alone, nor 上月/下月 inside other words (线上月卡, 一下月度).
    assert not holds(when, "每周上课两次，共3天。")[0]
    assert not holds(when, "线上月卡售价99元，线下月卡售价129元。")[0]
    assert not holds(when, "请家长核对一下月度缴费清单。")[0]


def test_days_of_the_week_and_clock_times_answer_when():
    closed = analyse("阅览室每周哪天不开放？")
    assert closed.answer_type == "date"
    assert holds(closed, "周二至周日开放，每周一闭馆。")[0]
    assert not holds(closed, "每周一次组织读书会。")[0]  # once a week is not a day
    assert analyse("食堂星期几供应早餐？").answer_type == "date"
    assert analyse("合唱团每周几排练？").answer_type == "date"
    # 周几 before a measure word counts something each week.
    weekly = analyse("书法班每周几节课？")
    assert (weekly.answer_type, weekly.measure) == ("number", "节")
    assert analyse("每周几次？").answer_type == "number"
    opens = analyse("游泳馆几点开门？")
    assert holds(opens, "游泳馆早上八点半开门。")[0] and holds(opens, "开放时间为8:30至20:00。")[0]
    assert holds(opens, "每日早七点至九点、晚六点至八点开放。")[0] and holds(opens, "七点到九点开放。")[0]
    assert not holds(opens, "馆长提出了两点建议。")[0]
    # A time told by what happens then answers when (什么时候需要换滤网).
    change = analyse("什么时候需要换滤网？")
    assert holds(change, "当滤网指示灯变为红色时，说明需要更换滤网。")[0]
    assert not holds(change, "滤网属于耗材，不在保修范围内。")[0] and not holds(change, "当地居民都知道。")[0]
    when = analyse("When is the museum closed?")
    assert holds(when, "The museum is closed on Mondays.")[0]
    assert not holds(when, "The museum has three floors.")[0]


def test_what_things_come_in_and_how_often_are_measures():
    box = analyse("一盒有多少粒？")
    assert box.measure == "粒" and box.terms == ()  # 一盒 only counts
    assert holds(box, "【包装】铝塑泡罩包装，每盒20粒。") == (True, True)
    assert holds(analyse("一次吃几片？"), "一次2片，一日3次。") == (True, True)
    assert holds(analyse("一次吃几片？"), "一日3次。") == (False, False)  # 次 counts times, not tablets
    assert holds(analyse("生产地址在哪里？"), "【生产地址】天津市北辰区") == (True, True)  # a bracketed label


def test_a_number_written_in_english_words_is_a_number():
    renew = analyse("How many times can I renew?")
    assert holds(renew, "Items may be renewed twice online or by phone.") == (True, True)
    assert holds(renew, "Items may be renewed online or by phone.") == (False, False)
    assert holds(analyse("可以续借几次？"), "Items may be renewed twice online.") == (True, False)  # 次: not checked


def test_days_told_in_working_days_or_after_an_event_and_a_labels_value():
    shown = analyse("名单公示几天？")
    assert shown.measure == "天" and holds(shown, "名单在网站公示7个工作日。") == (True, True)
    assert holds(analyse("索赔要在几天内提出？"), "须在签收之日起7个自然日内提出。") == (True, True)
    assert holds(shown, "公示期间共收到3个工作组的意见。") == (False, False)  # a count of groups, no days
    # The day after something that it is done on says how many days it takes; a place in another order does not.
    back = analyse("货款几天返还？")
    assert holds(back, "货款于签收后第3个工作日返还。") == (True, True)
    assert holds(back, "货款于签收后返还，本店为第3家分店。") == (False, False)
    # A day told by what happens on it answers when: 自…之日起.
    since = analyse("保修期从什么时候开始算？")
    assert holds(since, "保修期自购机发票开具之日起计算。") == (True, True)
    assert holds(since, "保修期内免费维修。") == (False, False)
    # A label's value after its colon is what the label names, whatever the label counts in brackets.
    first = analyse("首重多少钱？")
    assert holds(first, "区域：一区，首重（1公斤）：10元，续重（每0.5公斤）：1.5元") == (True, True)
    assert holds(first, "首重（1公斤），续重每0.5公斤") == (False, False)


def test_the_general_measure_counts_things_of_any_measure_but_not_amounts():
    q = analyse("共有几个学院参加了比赛？")
    assert holds(q, "共有5所学院参加了比赛。") == (True, True)
    assert holds(q, "比赛奖金共3万元。") == (False, False)  # an amount of money is not a count of things
    books = analyse("每人最多能借几本书？")
    assert holds(books, "每位读者可借图书10册。") == (True, True)  # 本 and 册 both count volumes
    # 个 before a unit of time belongs to the unit: 九个小时 is a span of time, not a count of things
    hours = analyse("停水要停几个小时？")
    assert hours.measure == "个小时" and holds(hours, "共计九个小时。") == (True, True)
    assert holds(hours, "共有三个班组。") == (False, False)
    assert holds(analyse("停水要停多长时间？"), "共计九个小时。") == (True, True)
    assert holds(q, "比赛持续了三个小时。") == (False, False)


def test_how_many_people_by_the_general_measure_counts_people_and_only_a_word_of_its_own_is_its_measure():
    people = analyse("一组能有几个人报名？")
    assert people.measure == "个人" and holds(people, "每组最多4人。") == (True, True)
    assert holds(people, "每组最多4名学员。") == (True, True)
    assert holds(people, "12岁以下儿童不得报名。")[1] is False  # an age counts no one
    # Asked by 个, a count by 个 may be of people (两个大人, 2个学员); 多少个人 looks for no word 个人.
    assert holds(analyse("私教课一节课几个人？"), "私教课每节课最多2个学员同时上课。") == (True, True)
    room = analyse("标准间最多住多少个人？")
    assert holds(room, "标准间每间可住两个大人和一个儿童。") == (True, True) and "个人" not in room.terms
    # 个 and a noun that opens with a measure word (月饼, 人工智能) is 个 counting that noun.
    assert analyse("一盒有几个月饼？").measure == "个"
    assert analyse("公司有几个人工智能产品？").measure == "个"
    assert analyse("要等几个月？").measure == "个月"
    # Stated by the asker (六个人), a count of people is within a range in any word counting people.
    assert within("家庭套餐（5-8人），价格：1399元", 6, "个人") and within("每桌限10名以内", 6, "个人")
    assert not within("家庭套餐（5-8人），价格：1399元", 9, "个人")


def test_a_span_in_the_focus_clause_leaves_the_count_asked_to_the_clause_after_it():
    # The focus's clause states how long (30分钟): it counts nothing, so the count of people after it answers.
    q = analyse("一次能去几个人探视？")
    assert holds(q, "每次探视不超过30分钟，每次最多2人。") == (True, True)
    # A count of something else in the focus's clause still speaks for it (3间病房 is no count of people).
    assert holds(q, "探视设3间病房，共接待2000人。")[1] is False


def test_a_word_that_only_counts_or_points_is_not_a_term_to_look_for():
    assert analyse("滤网多久换一次？").terms == ("滤网",)
    # 这篇, 此次 point at the document or the event; the text says 本报讯 or 本届, not them.
    assert analyse("这篇报道的记者是谁？").terms == ("报道",)
    assert analyse("此次会议在哪里召开？").terms == ("会议", "召开")
    assert "本名" in analyse("刘六的本名是什么？").terms  # 本 + 名 is a noun, not a pointer
    # A modal verb asks how the thing is done or how long it takes: the text says 约需 or 须.
    assert analyse("煮饭需要多长时间？").terms == ("煮饭",)  # 多长时间 is one question word (text: 约需40分钟)
    assert analyse("煮饭需要多长时间？").dimension == analyse("煮饭要花多少时间？").dimension == "久"
    assert "时间" not in analyse("煮饭要花多少时间？").terms
    # A verb the segmenter glued to an aspect particle or an auxiliary (修了, 能放) is no word a passage must hold.
    assert analyse("石桥修了多长时间？").terms == ("石桥",)
    assert analyse("水库每天能放多少水？").terms == ("水库", "每天")
    assert analyse("办证必须带什么材料？").terms == ("办证", "材料")
    assert analyse("这两个学院有什么区别？").terms == ("学院", "区别")
    assert "2019" in analyse("2019年有几所学校？").names  # a year is a name, not a count


@pytest.mark.parametrize(("q", "terms"), [
    ("文章提出了哪些修建水库的办法？", ("修建", "水库", "办法")),
    ("文中提到的水库是哪一年建成的？", ("水库", "建成")),
    ("根据材料，青龙水库可以灌溉多少农田？", ("青龙", "水库", "灌溉", "农田")),
    ("According to the article, why was the reservoir built?", ("reservoir", "built")),
    ("他发表了哪些文章？", ("发表", "文章")),  # here the article is what is asked about
    ("日本文化有什么特点？", ("日本", "文化", "特点")),  # 本文 inside a longer word
    ("材料有哪些种类？", ("材料", "种类")),  # materials, not the reading material
])
def test_the_document_named_as_the_source_is_not_a_term(q, terms):
    assert analyse(q).terms == terms


def test_an_english_question_carries_its_phrases_in_chinese():
    q = analyse("How many books did the library add last year?")
    said = {w for _, words in q.glosses for w in words}
    assert {"图书馆", "去年"} <= said  # a two-word phrase (last year) is looked up whole
    assert "多少" not in said  # the question words are not translated: they are not words to look for
    assert analyse("When was the reservoir built?").glosses and not analyse("图书馆新增了多少册图书？").glosses


def test_the_lexicon_is_built_when_its_cache_cannot_be_written(tmp_path, monkeypatch):
    import tempfile

    from rag.lexicon import _tables, lexicon

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    _tables.cache_clear()
    try:
        assert "图书馆" in lexicon()["library"]
    finally:
        _tables.cache_clear()


def test_the_lexicon_tells_a_common_word_from_a_name():
    from rag.lexicon import common, named

    assert common("城市") and common("明白")  # cheng2 shi4, ming2 bai5
    assert not common("杭州") and not common("长江")  # Hang2 zhou1, Chang2 Jiang1
    assert named("杭州") and not named("城市")
    assert not common("王小明")  # a word the dictionary does not list is no common word it knows


@pytest.mark.parametrize(("q", "overview"), [
    ("这篇文章讲了什么？", True), ("这些文件的主要内容是什么？", True), ("总结一下这篇文章", True),
    ("What is this document about?", True), ("Summarize the text.", True),
    # a question with words of its own asks about them, not about the documents as a whole
    ("水库建设讲了什么？", False), ("这篇文章介绍了哪些学校？", False), ("What is the reservoir about?", False),
    ("这篇文章是谁写的？", False),
    # nor one naming a thing the word names (a product's feature called 摘要); a count of the points of the
    # whole is asked of the whole (review)
    ("AI摘要每个月能用几次？", False), ("这份报告的主要内容有几点？", True),
])
def test_a_question_about_the_documents_as_a_whole_is_an_overview(q, overview):
    assert (analyse(q).kind == "overview") is overview


def test_a_step_or_point_asked_by_its_place():
    assert analyse("办理会员卡的第二步是什么？").position == (2, "第二步")
    assert analyse("第十二条规定了什么？").position == (12, "第十二条")
    assert analyse("第3项要做什么？").position == (3, "第3项")
    assert analyse("最后一步怎么做？").position == (0, "最后一步")  # whatever number the list reaches
    # A measure word before a noun asks which one of a series, not what a point says.
    assert analyse("青石镇的第一条公路是哪条？").position is None
    assert analyse("第二届运动会在哪里举行？").position is None


def test_the_mark_a_point_of_a_list_opens_with():
    assert point_of("第二，刑禁与教化并施。") == ("di", 2)
    assert point_of("其特点有以下三点：第一，职官与长者并用。") is None  # not at its start
    assert point_of("其特点有以下三点：第一，职官与长者并用。", anywhere=True) == ("di", 1)
    assert point_of("三是创新实体化建设。") == ("shi", 3)
    assert point_of("首先是鲜叶淋了雨。") == ("first", 1) and point_of("其次，火候过高。") == ("first", 2)
    assert point_of("最后，总结经验。") == ("first", 0)  # ends the list whatever its number
    assert point_of("（二）加强领导。") == ("paren", 2) and point_of("2. 引进良种。") == ("digit", 2)
    assert point_of("2006年人口为1694人。") is None and point_of("其中一项是修路。") is None
    assert point_of("12. 领取证件。") == ("digit", 12) and point_of("3.5万人参加。") is None
    assert point_of("第二十五条　本办法自公布之日起施行。") == ("di", 25) and point_of("十一、附则") == ("dun", 11)
    assert point_of("第二百条") is None


def test_a_demonstrative_points_back_at_a_thing_the_sentence_before_names():
    before = "为帮助青石职业技术学院建设实训基地，合作企业捐赠了四十台数控机床。"
    assert refers_back("该学院党委书记林海说，“设备很好。”", before)
    assert refers_back("该院建立了十项制度。", before)
    assert not refers_back("该学院党委书记林海说。", "会议在县城召开。")  # nothing before it is a 学院
    assert not refers_back("此外，企业还派了师傅。", before)  # 此外 is "besides"
    assert not refers_back("此次捐赠价值两百万元。", "这是第三次捐赠。")  # a count of times, not a thing
    assert not refers_back("该银行创立于1957年。", "全国一百大企业中该银行排名第四。")  # named there by 该 too


def test_the_predicate_is_what_is_asked_after_the_question_word():
    assert analyse("住宿标准是怎么规定的？").predicate == ("规定",)
    assert analyse("年终奖是怎么发放的？").predicate == ("发放",)
    assert analyse("小镇建设目标里的年终奖有哪些？").predicate == ()


def test_an_english_questions_numbers_are_read_as_chinese_writes_them():
    assert chinese_numbers("It cost 160 million yuan.") == "It cost 1.6亿 yuan."
    assert chinese_numbers("3.24 million users, 1,101 schools, 80 percent, 5 thousand") == "324万 users, 1101 schools, 80%, 5000"
    q = analyse("What did the county invest 250 million yuan to build?")
    assert q.text == "What did the county invest 250 million yuan to build?"  # shown as asked
    assert "2.5亿" in q.names


def test_the_anchors_are_what_only_some_passages_could_name():
    """Names jieba's dictionary does not list, proper names and quoted titles; not everyday words."""
    assert analyse("苏婉宁是谁的妻子？").anchors == ("苏婉宁",)
    assert set(analyse("《静之画谱》在日本是何时出版的？").anchors) == {"日本", "静之画谱"}
    assert analyse("企业拿出来的地皮，怎样才能变成对学校的支持？").anchors == ()
    assert analyse("Who is her husband?").anchors == ()
    # The kind a question word asks for (哪个城市) is no name the answer holds: 城市 is tagged a place.
    assert analyse("会议在哪个城市召开？").anchors == ()


def test_a_place_in_order_is_no_count_unless_asked_which_in_order():
    """第二批 says which batch, not how many of anything; asked 第几届, 第二届 is the answer."""
    assert holds(analyse("一共投入了多少资金？"), "江苏省援建了第二批学校。") == (False, False)
    assert holds(analyse("有多少所学校？"), "第二批共有12所学校。") == (True, True)
    asked = analyse("这是第几届大会？")
    assert asked.ordinal and holds(asked, "这是第二届大会。") == (True, True)


def test_a_name_cut_apart_is_glued_back_with_its_lone_character():
    """A name jieba does not know loses a character to the cut (七月 艾); glued to the words beside it, it is a
    compound the passages may hold. What a question word leaves (哪家 -> 家) and a unit after a number are not."""
    assert analyse("七月艾分布在哪些地区？").compounds == ("七月艾",)
    assert analyse("什么是七月艾？").compounds == ("七月艾",)
    assert analyse("红线裸鳍鲷的体长约是多少公分？").compounds == ("红线裸鳍鲷",)
    assert analyse("哪家公司负责这个节目？").compounds == ()
    assert analyse("1984年至1992年，他担任了哪些职务？").compounds == ()
    assert analyse("What is it?").compounds == ()


def test_classical_question_words_ask_like_their_modern_ones():
    """因何 and 何以 ask why, 有何 and 何为 ask what: question words, not terms to look for."""
    for q in ("水库因何得名？", "他何以成名？"):
        assert analyse(q).answer_type == "reason" and not {"因何", "何以"} & set(analyse(q).terms), q
    asked = analyse("新条例有何规定？")
    assert asked.answer_type == "entity" and "有何" not in asked.terms


def test_a_rate_is_no_term():
    # 每个 of 每个月 counts nothing a passage must hold (a passage writes 每月 or 每个月); nor does 一年.
    assert analyse("宿舍的房租每个月多少钱？").terms == ("宿舍", "房租")
    assert analyse("学费一年多少钱？").terms == ("学费",)
    assert "每年" in analyse("每年可以离港多少天？").terms  # a rate in a unit is written so where it is stated


def test_when_something_starts_or_ends_asks_for_its_date():
    # A text marks a start or an end on its date (自1月1日起, 至9月6日止, 体检时间：4月7日): 开始, 截止 are no terms.
    assert analyse("体检什么时候开始？").terms == ("体检",)
    assert analyse("报名到什么时候截止？").terms == ("报名",)
    assert "开始" in analyse("开始报名需要什么材料？").terms  # asked of something else, it is a word to find


@pytest.mark.parametrize(("q", "units"), [("书法班的学费是多少？", True), ("教室有多少平方米？", True),
                                          ("就业率是多少？", True), ("培训要多少个小时？", True),
                                          ("首期招收了多少名学员？", False), ("镇上有几家工厂？", False),
                                          ("书法班是哪一年开设的？", False), ("How much is the fee?", True),
                                          ("How much did the county invest in it?", True),
                                          ("How much paid leave do I get?", False), ("How many students?", False),
                                          # what the amount itself was is asked as much as how much it was
                                          ("What was the company's net profit last year?", True),
                                          ("What's the annual fee?", True), ("What fee types are there?", False),
                                          ("What is the price policy?", False),
                                          ("What is the parking fee waiver condition?", False),
                                          # a dimension asks in its units; 多大 may ask a size, an age or a share
                                          ("坐船过去要多久？", True), ("这座塔有多高？", True), ("礼堂有多大？", False)])
def test_an_amount_in_units_is_told_from_a_count_of_things(q, units):
    assert in_units(analyse(q)) is units


@pytest.mark.parametrize(("q", "glossed"), [
    ("What is the capital of France?", {"france": "法国"}),
    ("How many students did the class in Hangzhou's old town enrol?", {"hangzhou": "杭州"}),
    ("When did Jiangsu start helping Xinjiang?", {"jiangsu": "江苏", "xinjiang": "新疆"}),
    ("What did Hong Kong build?", {"hong kong": "香港"}),  # 港人 is no people's word of a place
    ("Which village does Chen Yu live in?", {}),  # a person spelled in pinyin, not a county (Yu: 盂县)
    ("France hosted what?", {}),  # a first word is capitalised whatever it is
    ("What Is The Population Of France?", {}),  # capitals tell no names in a title
    ("What is the capital of the country?", {}),
    ("Which villages merged to form Oakridge Town?", {}),  # a word the dictionary also writes in lower case
    ("Where do Indian elephants live?", {}),  # a people's word qualifies a name
    ("Where did Professor Lu teach?", {}),  # one syllable is part of a name (鲁国, 泸县)
])
def test_an_english_question_names_the_places_it_capitalises_and_the_dictionary_translates(q, glossed):
    found = dict(analyse(q).glossed_names)
    assert found.keys() == glossed.keys() and all(w in found[n] for n, w in glossed.items()), found


def test_a_possessive_is_no_word_of_an_english_question():
    assert analyse("What is Google's revenue?").terms == ("google", "revenue")


def test_an_english_questions_translations_are_written_in_its_corpus_script():
    q = analyse("What is the capital of France?", script="traditional")
    assert "法國" in dict(q.glosses)["france"] and "法國" in dict(q.glossed_names)["france"]


@pytest.mark.parametrize(("q", "sentence", "held"), [
    ("书法班的学费是多少？", "书法班学费全免。", True),  # free is the amount
    ("办会员卡要多少钱？", "居民凭身份证免费办理会员卡。", True),  # the modal verb is not part of the thing asked
    ("办健身卡需要多少钱？", "居民凭身份证免费办理健身卡。", True),
    ("游泳馆的押金是多少？", "游泳馆押金为二百元。", True),  # a deposit is a sum of money
    ("游泳馆的押金是多少？", "游泳馆可容纳二百人。", False),
    ("逾期每天收取多少滞纳金？", "逾期每天收取滞纳金一角。", True),  # 角 is a tenth of a yuan
    ("退课后押金能退多少？", "开课后两周内退课者，退还五成。", True),  # a share of the sum asked
    ("书法班每次上课多少分钟？", "书法班每周上课两次，每次两小时。", True),  # a span in another unit
    ("就业率是多少？", "毕业生就业率超过九成。", True),
    ("书法班的学费是多少？", "书法班首期招收30名学员。", False),
    ("书法班的学费是多少？", "镇里为学员免费赠送毛笔。", False),  # free, but not the fee
])
def test_an_amount_in_units_is_held_in_any_of_its_forms(q, sentence, held):
    assert holds(analyse(q), sentence)[0] is held


@pytest.mark.parametrize(("q", "money"), [("How much does the class cost?", True),
                                          ("How much did the county invest in it?", True),
                                          ("How much time do students spend on homework?", False),
                                          ("How much did prices rise?", False)])
def test_an_english_question_for_money(q, money):
    assert (analyse(q).measure == "元") is money


@pytest.mark.parametrize(("q", "glossed", "dropped"), [
    ("Where did Professor Lu teach?", (), "lu"),  # a syllable of a name, not 鲁国
    ("What did the Ming build?", "ming", None),  # alone, a dynasty
])
def test_a_lone_syllable_beside_a_capitalised_word_is_part_of_a_name_not_a_gloss(q, glossed, dropped):
    phrases = [p for p, _ in analyse(q).glosses]
    assert (glossed in phrases if glossed else True) and dropped not in phrases, phrases


def test_a_place_the_dictionary_names_with_its_division_is_found_without_it():
    # 玉树县 in the dictionary, 玉树 in a text (and a people's 非洲人 is 非洲's)
    assert "玉树" in dict(analyse("Which school opened in Yushu last year?").glosses)["yushu"]
    assert "非洲" in dict(analyse("Where do African elephants live?").glosses)["african"]
    assert "玉树" in dict(analyse("Which school opened in Yushu last year?").glossed_names)["yushu"]  # a place still


def test_an_age_is_an_amount_told_in_sui():
    # 多大年纪 and 年龄是多少 ask an age: only a number of 岁 answers it, as only a sum answers 多少钱.
    for q in ("村长今年多大年纪？", "那位老人多大岁数？", "她的年龄是多少？", "他今年几岁？"):
        asked = analyse(q)
        assert asked.measure == "岁" and asked.dimension is None and in_units(asked), q
    assert holds(analyse("村长今年多大年纪？"), "村长王德福今年62岁，在村里工作了三十年。") == (True, True)
    assert not holds(analyse("村长今年多大年纪？"), "村长王德福说，村里今年修了三座桥。")[1]
    assert analyse("这座楼多大？").dimension == "大" and not in_units(analyse("这座楼多大？"))  # a size, not an age
    assert holds(analyse("村长今年多大年纪？"), "村长今年65周岁。") == (True, True)  # not 65 weeks


def test_a_clock_time_is_no_amount():
    # 10:00 tells when, not how much: it does not answer a price or a count.
    assert holds(analyse("一杯咖啡多少钱？"), "咖啡厅营业时间为10:00—16:30。") == (False, False)
    assert holds(analyse("一杯咖啡多少钱？"), "咖啡每杯18元，10:00前半价。") == (True, True)
    assert holds(analyse("决赛的比分是多少？"), "主队以25:23赢下决赛。")[0]  # asked of nothing in a measure


def test_where_something_is_asks_a_place_without_the_word_for_it():
    # The text gives the place (位于青石路18号), not the word 地址: asked for, it is the kind of answer.
    for q in ("图书馆的地址是什么？", "图书馆地址在哪？", "学校的具体位置在哪里？"):
        asked = analyse(q)
        assert asked.answer_type == "place" and not any(w in t for t in asked.terms for w in ("地址", "位置")), q
    assert holds(analyse("图书馆的地址是什么？"), "本馆位于青石镇青石路18号。")[0]
    assert analyse("网站地址是什么？").answer_type != "place"  # a link
    assert analyse("VIP室的地址是什么？").answer_type == "place"
    assert analyse("集合地点在哪？").terms == ("集合",)  # the word before the kind of answer stays


def test_a_phone_or_a_mailbox_asked_for_is_the_kind_of_answer_not_a_word_to_find():
    # A text labels a number as it likes (服务热线, 值班电话): the word before the kind of answer is what to find.
    assert analyse("宽带报修电话是多少？").terms == ("宽带", "报修")
    assert analyse("售后电话").terms == ("售后",) and analyse("售后电话").answer_type == "contact"
    assert analyse("图书馆的邮箱是什么？").terms == ("图书馆",)
    # A postcode or a fax is named so by the text; a noun outside the one asked for stays.
    assert "邮编" in analyse("学校的邮编是多少？").terms and "传真" in "".join(analyse("学校的传真号码是多少？").terms)
    assert "手机" in analyse("青石手机的售后电话是多少？").terms
    for q in ("图书馆的电子邮件是什么？", "图书馆的官网是什么？", "图书馆的网址是多少？"):
        assert analyse(q).terms == ("图书馆",), q


def test_held_in_tells_a_quote_holding_the_asked_kind_where_a_pattern_can():
    assert held_in(analyse("一共有多少名学员？"), ["书法班由退休教师授课。", "首期招收30名学员。"])
    assert not held_in(analyse("一共有多少名学员？"), ["书法班由退休教师授课。"])
    assert held_in(analyse("书法班怎么样？"), ["书法班由退休教师授课。"])  # a kind no pattern checks


@pytest.mark.parametrize(("day", "held"), [
    ("7月9日", "7月8日—7月10日"), ("7月8号", "7月8日—7月10日"), ("七月十日", "7月8日—7月10日"),  # its last day too
    ("7月12日", "7月11日至13日"),  # the span's month written once
    ("2027年7月14日", "7月14日"), ("7月20日", "2027年7月20日"),  # a year one side leaves out is any year
    ("7月15日", None), ("2026年7月20日", None), ("8月9日", None),
    ("12月31日", "12月30日—1月2日"), ("1月1日", "12月30日—1月2日"), ("1月3日", None),  # a span past the year's end
])
def test_a_day_is_held_by_its_writing_or_a_span_of_days_holding_it(day, held):
    text = "值班：7月8日—7月10日，陈立；7月11日至13日，吴青；7月14日，何平。2027年7月20日起放假。元旦值班12月30日—1月2日。"
    assert day_held(day_of(day), text) == held


def test_a_span_of_days_with_its_years_written_holds_only_days_of_those_years():
    span = "2026年12月30日至2027年1月2日"
    assert day_held(day_of("2026年12月31日"), f"{span}闭馆。") == span == day_held(day_of("1月1日"), f"{span}闭馆。")
    assert day_held(day_of("2028年1月1日"), f"{span}闭馆。") is None


def test_a_day_is_one_of_a_month_and_its_numbers_are_no_names():
    assert day_of("二〇二七年七月九号") == (2027, 7, 9) and day_of("2027年7月") is None and day_of("6号楼") is None
    assert "16" not in analyse("2月16日谁值班？").names and "2027" in analyse("2027年7月谁值班？").names


def test_a_follow_up_name_replaces_the_word_that_stood_in_its_place_before():
    # 青石 is no name the analysis knows; it stands where the follow-up's 白水 stands, before 健身房.
    assert analyse("那白水健身房呢？", ["青石健身房年卡多少钱？"]).replaced == ("青石",)
    assert analyse("那白水健身房呢？", ["健身房年卡多少钱？"]).replaced == ()  # nothing stood there
    assert analyse("那白水呢？", ["青石健身房年卡多少钱？"]).replaced == ()  # no word both share to place it by


@pytest.mark.parametrize(("sentence", "dated"), [
    ("值班电话：0571-66554433", False), ("编号12345678", False),  # a phone number's or a code's digits are no year
    ("学校于1987年建成", True), ("2011-2015", True), ("生于1987", True),
])
def test_four_digits_date_a_sentence_only_as_a_year(sentence, dated):
    assert answertype.holds(analyse("停电是哪天？"), sentence)[0] is dated


@pytest.mark.parametrize(("typed", "asked"), [("白水公园的地址", "白水公园的地址是什么？"), ("物业电话", "物业电话是什么？"),
                                              ("白水公园位置。", "白水公园位置是什么？")])
def test_a_kind_of_answer_typed_as_a_search_is_asked_as_its_question(typed, asked):
    got, want = analyse(typed), analyse(asked)
    assert got.text == typed and (got.answer_type, got.focus, got.terms) == (want.answer_type, want.focus, want.terms)
    assert got.answer_type in ("place", "contact")


def test_who_wrote_it_naming_only_the_documents_or_naming_one():
    for q in ("这篇文章是谁写的？", "这篇报道的作者是谁？", "作者是谁？", "Who wrote this article?"):
        assert (analyse(q).kind, analyse(q).of_documents) == ("author", True), q
    # An article named by its topic, a book's author, a notice's issuer and a follow-up name something.
    for q in ("关于水库的那篇报道是谁写的？", "《青石镇志》的作者是谁？", "通知是哪个部门发的？"):
        assert not analyse(q).of_documents, q
    assert not analyse("作者是谁？", ["青石镇志是哪一年出版的？"]).of_documents
    # 哪位记者写的 asks who wrote it, as 记者是谁 does; a reporter doing something else is a fact.
    assert analyse("关于水库的那篇报道是哪位记者写的？").kind == "author"
    assert analyse("哪位作者写了《河湾》？").kind == "fact"  # a book's author, told in the text
    assert analyse("哪位记者参加了发布会？").kind == "fact"


def test_a_follow_up_naming_nothing_is_about_a_name_the_question_before_it_wrote():
    # 顾青禾 is no name jieba's model tags, and one word opens no phrase of two: it is the earlier question's
    # anchor, and the follow-up's subject.
    q = analyse("他读的是什么专业？", ["顾青禾在哪所大学读书？"])
    assert q.follow_up and q.subject == ("顾青禾",) and q.topic == ()
    # Not asked of him or it, an anchor is no subject: a word the corpus may write otherwise (新冠 for 新型冠状病毒).
    assert analyse("老人可以打吗？", ["新冠疫苗要打几针？"]).subject == ()
    # A chain keeps the subject it carries, not the second question's own word (保研率).
    assert analyse("哪一年创建的？", ["杭州大学在哪里？", "它的保研率是多少？"]).subject == ("杭州大学",)
    assert analyse("其他人能去吗？", ["顾青禾在哪所大学读书？"]).subject == ()  # 其他 and 他人 point at no one
    # A time of its own takes the place of the year the earlier question named: no subject of what follows.
    assert "2024" not in analyse("那明年的目标呢？", ["2024年营业收入多少？"]).subject


def test_an_item_asked_within_a_point_is_its_second_place_and_no_word_to_find():
    q = analyse("管理办法第十四条第二项是什么？")
    assert (q.position, q.sub_position) == ((14, "第十四条"), (2, "第二项"))
    assert "第二项" not in q.terms and "第二项" not in q.search_text and "第十四条" in q.search_text
    assert analyse("第十七条第九项是什么？").terms == ("第十七条",)  # not 第九, cut from 第九项
    assert analyse("第二步是什么？").sub_position is None


def test_an_article_or_step_asked_by_number_is_looked_up_by_both_spellings_of_its_mark():
    assert analyse("管理办法第十四条第二项是什么？").point_marks == ("第十四条", "第14条")
    assert analyse("第3条讲了什么？").point_marks == ("第三条", "第3条")
    assert analyse("第二十步怎么做？").point_marks == ("第二十步", "第20步")
    # An item is marked （二） in its text, and the last has no number to look up.
    assert analyse("第二项是什么？").point_marks == ()
    assert analyse("最后一条是什么？").point_marks == ()
    assert [small_numeral(n) for n in (1, 9, 10, 11, 20, 25, 99)] == ["一", "九", "十", "十一", "二十", "二十五", "九十九"]
    assert all(small_number(small_numeral(n)) == n for n in range(1, 100))


def test_a_superlative_asks_for_the_most_or_the_least():
    assert analyse("哪个专业学费最高？").extreme == ("最高", 1)
    assert analyse("价格最便宜的是哪一款？").extreme == ("最便宜", -1)
    assert analyse("哪条线路用时最短？").extreme == ("最短", -1)
    assert analyse("最重要的原则是什么？").extreme is None  # 最重要 is no weight
    assert analyse("学费是多少？").extreme is None
    assert analyse("最晚一班车几点走？").extreme == ("最晚", 1) and analyse("哪趟船最早？").extreme == ("最早", -1)
    # 最晚 before what is done is a deadline, no row compared.
    assert analyse("学生最晚几点要回宿舍？").extreme is None and analyse("最早几点能入住？").extreme is None
    # A timetable's first or last run is its earliest or latest; 周末 holds no 末班.
    assert analyse("早上第一班车几点发车？").extreme == ("第一", -1) and analyse("首班车几点？").extreme == ("首", -1)
    assert analyse("最后一趟船几点开？").extreme == ("最后一", 1) and analyse("末班车几点？").extreme == ("末", 1)
    assert analyse("周末班车几点开？").extreme is None
    # 最多能 is at most, then can: no row is asked for, and 最多 is a word a rule writes (最多可补贴3件).
    # 最快 and 最慢 compare growth or speed when they close the question; 最快几天 is the soonest (review of 最晚).
    assert analyse("哪个门店销量增长最快？").extreme == ("最快", 1)
    assert analyse("哪款车增速最慢？").extreme == ("最慢", -1) and analyse("最快几天能到账？").extreme is None
    capped = analyse("买冰箱最多能补多少钱？")
    assert capped.extreme is None and "最多" in capped.terms and "最多能" not in capped.terms, capped.terms
    assert "最少" in analyse("每人最少要交几份材料？").terms


def test_a_share_is_asked_by_the_question_word_or_the_noun_before_it():
    # 比例 is cut apart from 报销 and read as the question word: still a share, which 100万元 is not.
    q = analyse("院外护理的报销比例是多少？")
    assert q.measure == "%", q.measure
    assert holds(q, "院外护理费用的报销比例为60%。") == (True, True)
    assert holds(q, "院外护理费用 | 100万元 | 0元") == (False, False)
    assert analyse("男生占比多少？").measure == "%"
    assert analyse("合格率是多少？").measure == "%"


def test_what_a_number_names_or_marks_is_no_amount():
    price = analyse("这台烘干机多少钱？")
    # A model's name of letters and digits, and a size in a product's table, are no price; a row of prices is.
    assert holds(price, "项目：产品型号，参数：HD300B-C2") == (False, False)
    assert holds(price, "项目：外形尺寸，参数：420 × 420 × 700 mm") == (False, False)
    assert holds(price, "项目：零售价，参数：1299")[0]
    assert holds(price, "售价为1299元。") == (True, True)
    # The mark of a list's third point counts nothing.
    heavy = analyse("烘干机有多重？")
    assert holds(heavy, "3. 烘干机运行时，请勿打开舱门。") == (False, False)
    assert holds(heavy, "净重：12.5 kg")[0]


def test_a_field_labelled_with_the_asked_noun_holds_its_answer():
    # 办公室：理科楼 512 names no place a pattern reads; its label says it is the office asked about.
    q = analyse("陈老师的办公室在哪？")
    assert holds(q, "姓名：陈静 讲师，办公室：理科楼 512，邮箱：chenj@example.edu") == (True, True)
    assert holds(q, "陈老师办公电话：0571-8888 1234。") == (False, False)


def test_a_lunar_date_and_a_distance_in_li_are_things_of_the_asked_kind():
    assert holds(analyse("她哪天回的镇上？"), "腊月二十三，小年，她回到了镇上。") == (True, True)
    assert holds(analyse("他们哪天再见面？"), "正月初六那天，他们又见面了。")[0]
    assert not holds(analyse("他们哪天再见面？"), "他是初一学生。")[0]  # a grade, not a day
    assert holds(analyse("学校离车站多远？"), "学校离车站有四里路。") == (True, True)


def test_what_reads_as_a_number_a_date_or_a_distance_only_where_it_is_one():
    # A currency's code is no model's name, an area's symbol no code; a subsidy is a sum of money.
    assert holds(analyse("月租多少钱？"), "月租金RMB5000元。") == (True, True)
    assert holds(analyse("公寓面积多大？"), "建筑面积120m2。")[0]
    assert holds(analyse("硕士每月补贴多少钱？"), "人才类别：硕士，补贴标准（每月）：1500，发放年限：3年")[0]
    # 初 opens a lunar day only after a month (正月初六), not in 当初, 初三(2)班; 里 is a distance in 四里路 only.
    when = analyse("他们什么时候认识的？")
    assert not holds(when, "当初一起创业的伙伴都走了。")[0] and not holds(when, "他是初三(2)班的学生。")[0]
    far = analyse("三里屯离首都机场多远？")
    assert far.amounts == () and not holds(far, "从三里屯打车到机场约40分钟。")[0]


def test_asked_when_it_ends_a_date_marked_as_an_end_answers():
    q = analyse("换购活动什么时候截止？")
    assert q.ends and q.answer_type == "date"
    assert holds(q, "活动自2025年4月1日起至2025年10月31日止。") == (True, True)
    assert holds(q, "报名截止日期为6月30日。") == (True, True)
    assert holds(q, "请于5月20日前提交材料。") == (True, True)
    assert holds(q, "申报材料的最后期限为2025年6月30日。")[0] and holds(q, "展会持续一周，5月7日闭幕。")[0]
    # A year naming the event is no end of it.
    assert holds(q, "决定在全市开展2025年家电换购活动。") == (False, False)
    assert not analyse("换购活动什么时候开始？").ends
    assert analyse("报名截止时间是哪天？").ends and analyse("活动到什么时候？").ends
    assert not analyse("拍摄结束什么时候在国内上映的？").ends  # when it came out, after another thing ended


def test_a_count_of_items_answers_a_count_in_any_measure_of_things():
    q = analyse("洗碗机最多能补几台？")
    assert holds(q, "其中洗碗机最多可补贴2件。") == (True, True)
    # Only where the sentence names the thing asked about: 3个键盘 is no count of computers.
    assert holds(analyse("机房买了几台电脑？"), "机房买了3个键盘。") == (False, False)
    assert holds(analyse("机房买了几台电脑？"), "机房买了30个电脑。") == (True, True)
    assert holds(analyse("一年考几次？"), "全市共设3个考点。") == (False, False)  # how often: not a count of things


def test_an_item_asked_after_an_article_is_that_articles_item():
    q = analyse("第二款呢？", ["合同第八条是关于什么的？"])
    assert (q.position, q.sub_position) == ((8, "第八条"), (2, "第二款"))
    assert analyse("第二项是什么？", ["第十四条讲了什么？"]).sub_position == (2, "第二项")
    # Another article is no item of the one before.
    q = analyse("第三条呢？", ["第二条讲了什么？"])
    assert (q.position, q.sub_position) == ((3, "第三条"), None)


def test_an_amount_in_a_measure_word_is_stated_and_a_paper_named_is_the_document():
    assert analyse("体重15公斤的儿童一次吃多少？").amounts == (Amount("15", "公斤", "15公斤"),)
    # A paper named as the document read: a word the corpus need not hold (features.Terms decides).
    assert analyse("论文的修回日期是哪天？").document_nouns == ("论文",)
    assert analyse("这篇论文用的骨干网络是什么？").document_nouns == ("论文",)
    # A paper asked about, not the one read.
    assert analyse("他发表了几篇论文？").document_nouns == ()
    assert analyse("论文答辩什么时候举行？").document_nouns == ()


def test_a_version_number_is_one_term_not_its_pieces():
    # The tokenizer cuts v3.2.0 after its first part, and a lone 0 is in every number.
    assert analyse("v3.2.0新增了哪些功能？").terms[0] == "v3.2.0"
    assert "0" not in analyse("3.1.0版本什么时候发布？").terms
    assert analyse("第3.2条规定了什么？").terms[0] == "3.2"  # two parts are a number the tokenizer keeps


def test_a_follow_up_standing_in_for_a_word_keeps_what_came_before_it():
    # 下午 stands in for 上午 (its length, its head character): the day asked about is still the third.
    assert analyse("下午呢？", ["第三天上午去哪里？"]).topic[-1] == "第三天"
    assert analyse("那女生呢？", ["高一男生的校服多少钱？"]).topic[-1] == "高一"


def test_a_paper_named_as_the_document_is_no_word_where_the_corpus_never_writes_it():
    from rag.keyword import Keyword
    from rag.terms import Terms

    paper = Keyword.build([("a", "本文提出一种轻量级识别网络。"), ("b", "收稿日期：2023-03-14 修回日期：2023-05-22")])
    rules = Keyword.build([("a", "论文的格式要求：正文使用小四号宋体。"), ("b", "开题报告的格式要求：使用五号宋体。")])
    q = analyse("论文的修回日期是哪天？")
    t = Terms.of(q, paper)
    assert "论文" not in t.weights and "论文" not in t.names and "论文" not in t.bigrams
    assert "论文" in Terms.of(analyse("论文的格式要求是什么？"), rules).weights  # theses are what it is about


def test_which_one_of_several_things_is_told_from_what_thing():
    assert analyse("哪道菜要用到蒸锅？").which and analyse("哪一款型号最省电？").which
    assert not analyse("这道菜用什么锅？").which and not analyse("哪里可以买到？").which
    assert not analyse("哪年开业的？").which


def test_a_place_in_a_ranking_is_read_where_it_stands_alone():
    assert analyse("积分榜第五是谁？").rank == 5 and analyse("第二名是哪个队").rank == 2
    assert analyse("排名第3的球队是哪个？").rank == 3
    assert analyse("第五展厅在几楼？").rank is None and analyse("他考了第几名？").rank is None
    assert analyse("安全生产的原则第一是什么？").rank is None and analyse("射手榜第2是谁").rank == 2


def test_a_sachet_and_a_pill_are_counted_in_either_of_their_measure_words():
    assert holds(analyse("一盒有几包？"), "复合膜袋包装，每盒10袋。") == (True, True)
    assert holds(analyse("一次吃几颗？"), "一次2粒，一日3次。") == (True, True)
    assert holds(analyse("一盒有几包？"), "每盒3瓶。")[1] is False  # a bottle is no sachet
    assert within("成人每日不超过12粒", 10, "颗") and within("每次1～2袋", 1, "包")  # the same in a bound (review)


def test_the_years_a_question_asks_of_and_not_those_it_compares() -> None:
    assert analyse("2016年洪灾倒塌了多少间房屋？").years == (2016,)
    assert analyse("2019至2021年间共招生多少人？").years == (2019, 2020, 2021)
    assert analyse("2023年研发投入占营收的比重是多少？").years == (2023,)  # 比重 compares nothing
    assert analyse("How many houses collapsed in 2016?").years == (2016,)
    assert analyse("2022年前三季度全市生产总值是多少？").years == (2022,)  # review
    assert analyse("2019年以来共建成多少所学校？").years == (2019,)
    assert analyse("What is the 1500 meter record?").years == ()
    for q in ("这次和2016年比，哪次雨更大？", "2024年营收比2023年增长多少？", "2022年还是2023年发得多？",
              "1990年代的产量是多少？", "工作满12年有几天年假？", "千年古镇有1500年历史吗，按1000年一遇设防吗？"):
        assert analyse(q).years == (), q


def test_a_sum_asked_for() -> None:
    assert analyse("员工一共多少人？").total and analyse("三个校区加起来有几个食堂？").total
    assert not analyse("研发人员有多少人？").total and not analyse("一共有哪些部门？").total



# Questions of question words, documents' names and their links (made up): in the order a question about a
# document puts them, and shuffled.
SLOTS = [["", "这份", "该", "本", "我们的"], ["", "2024年度", "劳动"], ["通知", "公告", "合同", "协议书", "判决书", "报告", "水库"],
         ["", "是", "由"], ["谁", "哪个部门", "什么时候", "哪天", "多少", "哪里", "为什么", "几个"],
         ["发", "发布", "签发", "作出", "建成", ""], ["的", ""], ["？", "吗？", ""]]
ASKING = st.one_of(st.tuples(*(st.sampled_from(slot) for slot in SLOTS)).map("".join),
                   st.lists(st.sampled_from([w for slot in SLOTS for w in slot]), max_size=12).map("".join))


@settings(max_examples=400, deadline=None)
@given(ASKING)
def test_a_question_naming_no_document_is_read_as_by_the_whole_patterns(text: str) -> None:
    # A question naming no document is read without the document's lookbehinds (compiling them is most of
    # importing the module): the same question word, type and span as when every pattern is searched whole.
    got = interrogative.asks_for(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(interrogative, "_NAMES_A_DOCUMENT", re.compile(""))  # every question read with the whole patterns
        assert interrogative.asks_for(text) == got


def test_a_follow_up_standing_in_for_an_earlier_word_keeps_the_words_it_glues():
    # 寒假班 in the place of 暑假班: the follow-up carries the earlier question's topic, and what it glues of its own
    # words is still read from them (reading the topic once wrote over the words, leaving it none).
    for asked, earlier in (("寒假班呢？", "暑假班几点"), ("冬季班呢？", "夏季班几点上课")):
        q = analyse(asked, [earlier])
        assert q.follow_up and q.topic
        assert q.compounds and q.compounds == analyse(asked).compounds
