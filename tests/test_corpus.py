"""The parser on the seed page and on small made-up documents."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from rag.config import CHUNK_CHARS
from rag.corpus import load_corpus, parse_text, split_sentences
from rag.errors import UsageError

from .conftest import SEEDS

SEED_FILE = next(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def chunks():
    return load_corpus([SEEDS])


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_span_read_back_contains_the_chunk_text(chunks):
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    assert chunks
    for c in chunks:
        assert c.source == SEED_FILE.name
        assert 1 <= c.start_line <= c.end_line <= len(lines)
        span = "".join(lines[c.start_line - 1 : c.end_line])
        assert squash(c.text) in squash(span), (c.start_line, c.end_line, c.text[:30])
        # the span is tight: its first and last lines hold part of the chunk
        assert squash(lines[c.start_line - 1])[:5] in squash(c.text) or squash(c.text)[:5] in squash(lines[c.start_line - 1])
        assert squash(c.text)[-5:] in squash(lines[c.end_line - 1])


def test_headings_are_metadata_and_attach_to_their_paragraphs(chunks):
    texts = {c.text for c in chunks}
    assert "理解市域产教联合体建设目标" not in texts
    goal = [c for c in chunks if c.text.startswith("一是服务职业教育全面融入")]
    assert goal and goal[0].heading == "理解市域产教联合体建设目标"
    # kicker and headline printed on two lines read as one heading
    zj = next(c for c in chunks if "浙学通”（长辈版）应老年人" in c.text)
    assert "打造老年学习“浙学通”平台" in zj.heading


def test_paragraph_broken_mid_sentence_is_merged(chunks):
    merged = [c for c in chunks if "同时将科技创新融入职业教育人才培养与教师成长全过程" in c.text]
    assert len(merged) == 1
    assert (merged[0].start_line, merged[0].end_line) == (17, 19)
    assert not any(c.text.startswith("将科技创新融入") for c in chunks)
    # every other break in the page is mended too
    for tail, head in [("博尔塔拉职业技术学院", "的基础上"), ("食品类等", "18个高职专业"), ("实现乡镇", "（街道）老年学校"), ("基于地理", "信息的优质")]:
        assert any(tail + head in c.text for c in chunks), tail


def test_bylines_and_captions_are_their_own_passages(chunks):
    bylines = {c.text: c for c in chunks if c.kind == "byline"}
    assert {"本报记者 蒋夫尔", "通讯员 虞江锋", "刘 晓"} <= set(bylines)
    assert bylines["本报记者 蒋夫尔"].article == "对口支援助力新疆职教高质量发展"
    captions = [c for c in chunks if c.kind == "caption"]
    assert len(captions) == 1 and "沙小进" in captions[0].text
    body = " ".join(c.text for c in chunks if c.kind == "body")
    assert "蒋夫尔" not in body and "虞江锋" not in body


def test_articles_including_one_whose_title_follows_it(chunks):
    first = next(c for c in chunks if c.text.startswith("市域产教联合体建设是新时代"))
    assert first.article == "以产教联合体推动区域职业教育提质增效"
    elder = next(c for c in chunks if c.text.startswith("浙江省将老年教育纳入"))
    assert elder.article == "打造“浙里康养”老有所学标志成果"


def test_ids_are_stable_unique_and_order_follows_the_file(chunks):
    again = load_corpus([SEEDS])
    assert [c.id for c in chunks] == [c.id for c in again]
    assert len({c.id for c in chunks}) == len(chunks)
    assert [c.order for c in chunks] == list(range(len(chunks)))
    assert [c.start_line for c in chunks] == sorted(c.start_line for c in chunks)


def test_long_paragraphs_split_at_sentence_ends_short_ones_whole(chunks):
    assert max(len(c.text) for c in chunks) <= CHUNK_CHARS
    chunks = load_corpus([SEEDS], 320)  # small enough to split the page's longest paragraph
    assert max(len(c.text) for c in chunks) <= 320
    line69 = [c for c in chunks if c.start_line == 69]
    assert len(line69) == 2
    assert all(re.search(r"[。！？；][”’」』）)]*$", c.text) for c in line69)
    assert squash("".join(c.text for c in line69)) == squash(SEED_FILE.read_text(encoding="utf-8").splitlines()[68])
    short = next(c for c in chunks if c.start_line == 57)
    assert short.text == SEED_FILE.read_text(encoding="utf-8").splitlines()[56].strip()


def test_split_sentences_keeps_punctuation_and_closing_quotes():
    assert split_sentences("他说：“好。”然后走了！真的吗？是；否") == ["他说：“好。”", "然后走了！", "真的吗？", "是；", "否"]


def test_a_clause_going_on_from_the_one_before_its_semicolon_is_one_sentence_with_it():
    # Its condition picks up what the clause before ended on: a rule's case and its penalty.
    assert split_sentences("未分类投放的，责令限期改正；逾期不改正的，处50元罚款。另行公告。") == [
        "未分类投放的，责令限期改正；逾期不改正的，处50元罚款。", "另行公告。"]
    # Parallel cases, and a list's items, are sentences of their own as before.
    assert split_sentences("迟到的，扣50元；旷工的，扣一天工资。") == ["迟到的，扣50元；", "旷工的，扣一天工资。"]
    assert split_sentences("材料包括：身份证；户口簿。") == ["材料包括：身份证；", "户口簿。"]


def test_a_full_stop_after_an_initial_or_a_list_number_does_not_end_the_sentence():
    assert split_sentences("机长Reginald W. Stewart决定放弃起飞。调查随后展开。") == [
        "机长Reginald W. Stewart决定放弃起飞。", "调查随后展开。"]
    assert split_sentences("John F. Kennedy was elected. He won.") == ["John F. Kennedy was elected.", "He won."]
    # Nor does one after the number opening a line of a list; one after a number inside a sentence does.
    assert split_sentences("1. 一类城市每晚500元；\n12. 其他城市每晚260元。") == ["1. 一类城市每晚500元；", "12. 其他城市每晚260元。"]
    assert split_sentences("He scored 10. Then he left.") == ["He scored 10.", "Then he left."]


def test_a_sentence_does_not_end_inside_brackets_or_quotes_that_close_later():
    assert split_sentences("专辑《唱吧！台北》发行了。次年（1994年。注）他又写了书。") == [
        "专辑《唱吧！台北》发行了。", "次年（1994年。注）他又写了书。"]
    assert split_sentences("作者（John R. Smith）写道：“走吧！天亮了。”大家都走了。") == [
        "作者（John R. Smith）写道：“走吧！天亮了。”", "大家都走了。"]
    assert split_sentences("甲（；）乙。") == ["甲（；）乙。"]  # a bracket holding only the mark
    # A title ending on a mark names a work; the sentence goes on after it. A quoted speech's mark ends it.
    assert split_sentences("他在《唱吧！》节目中首次演唱。次年出了专辑。") == ["他在《唱吧！》节目中首次演唱。", "次年出了专辑。"]
    # A bracket left open, or closed only in the next paragraph, does not hold the rest of the text together.
    assert split_sentences("他说（未完。下一句。") == ["他说（未完。", "下一句。"]
    assert split_sentences("一（二。\n三）四。") == ["一（二。", "三）四。"]
    # A quoted speech longer than the limit is cut at one of its own sentence ends, not inside a sentence.
    speech = "他说：“" + "我们今天去公园玩吧，天气很好。" * 8 + "”"
    pieces = split_sentences(speech, limit=60)
    assert "".join(pieces) == speech and all(len(p) <= 60 for p in pieces)
    assert all(p.endswith("。") for p in pieces[:-1])


def test_same_text_twice_gets_two_ids():
    cs = parse_text("第一段重复的内容。\n\n第一段重复的内容。\n", "a.txt")
    assert len(cs) == 2 and cs[0].id != cs[1].id


def test_markdown_headings_and_gb18030_fallback(tmp_path: Path, caplog):
    (tmp_path / "notes.md").write_text("# 标题一\n正文第一句。\n\n## 小节\n正文第二句。\n", encoding="utf-8")
    (tmp_path / "old.txt").write_bytes("旧文件的内容，用GB18030编码保存。".encode("gb18030"))
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    with caplog.at_level(logging.WARNING):
        cs = load_corpus([tmp_path])
    by_source = {c.source: c for c in cs}
    assert set(by_source) == {"notes.md", "old.txt"}
    # The one top heading titles the document, the second-level one heads its section.
    assert [(c.article, c.heading) for c in cs if c.source == "notes.md"] == [("标题一", ""), ("标题一", "小节")]
    assert by_source["old.txt"].text == "旧文件的内容，用GB18030编码保存。"
    assert "GB18030" in caplog.text and "old.txt" in caplog.text


def test_unreadable_file_is_skipped_with_a_warning(tmp_path: Path, caplog):
    (tmp_path / "good.txt").write_text("能读的文件。", encoding="utf-8")
    # Permissions do not stop root, so make the file unreadable the portable way: a dangling link.
    (tmp_path / "bad.txt").symlink_to(tmp_path / "missing-target.txt")
    with caplog.at_level(logging.WARNING):
        cs = load_corpus([tmp_path])
    assert [c.source for c in cs] == ["good.txt"]
    assert "bad.txt" in caplog.text


def test_missing_path_names_it():
    with pytest.raises(UsageError, match="no-such-folder"):
        load_corpus([Path("no-such-folder")])


def test_paragraph_resumed_after_another_columns_section_gets_its_own_heading(chunks):
    """Line 131 stops mid-sentence; another article's section follows; line 147 resumes it."""
    cut = next(c for c in chunks if c.start_line == 131)
    resumed = next(c for c in chunks if c.start_line == 147)
    interrupting = next(c for c in chunks if c.start_line == 137)
    assert resumed.heading == cut.heading == "推进专项行动 / 凸显老年服务“浙里美”成效"
    assert interrupting.heading == "助力学校建设,整体面貌换新颜"


def test_a_section_of_another_column_goes_with_the_article_it_is_about() -> None:
    # The library article's paragraph stops mid-sentence; a section of the school article's column follows, then
    # the paragraph goes on. The section is the school article's, though it is printed after the library's title.
    text = "\n\n".join([
        "乡村学校开设艺术课程", "通讯员 李华", "山区小学今年开设音乐课和美术课，县教育局为山区小学配备了钢琴和画架。",
        "城市图书馆推出夜间阅览服务", "本报记者 王明",
        ("市图书馆从下月起延长夜间阅览时间，每周五和周六开放到晚上十点，周日开放到晚上八点。"
         "馆方表示，此举是为了方便白天上班的读者，夜间阅览室将向读者"),
        "支教老师进课堂", "支教老师每周为山区小学学生上两节音乐课和美术课。", "县教育局还为山区小学招聘了两名美术老师。",
        "提供免费热水和自习座位，读者凭借书证进入夜间阅览室。",
    ])
    by_line = {c.start_line: c for c in parse_text(text, "page.txt")}
    school, library = "乡村学校开设艺术课程", "城市图书馆推出夜间阅览服务"
    assert by_line[11].article == by_line[19].article == library  # the cut paragraph and where it resumes
    assert by_line[15].article == by_line[17].article == school
    assert by_line[15].heading == "支教老师进课堂"


def test_lines_of_their_own_stay_lines_and_wrapped_lines_join() -> None:
    text = ("湿地保护区总面积约46平方公里，是长江中下游重要的候鸟越\n冬地，2024年度共记录鸟类213种。\n\n"
            "净化器参数\n额定功率：55瓦\n适用面积：40至60平方米\n滤网寿命：约4000小时\n\n"
            "使用方法\n\n1. 按下电源键开机\n2. 长按风速键3秒开启童锁\n")
    cs = parse_text(text, "manual.txt")
    by_text = {c.text: c for c in cs}
    assert "湿地保护区总面积约46平方公里，是长江中下游重要的候鸟越冬地，2024年度共记录鸟类213种。" in by_text
    fields = by_text["额定功率：55瓦\n适用面积：40至60平方米\n滤网寿命：约4000小时"]  # under their heading line
    assert (fields.start_line, fields.end_line, fields.kind, fields.heading) == (5, 7, "body", "净化器参数")
    assert "滤网寿命：约4000小时" in split_sentences(fields.text)  # each line is a sentence to quote
    steps = by_text["1. 按下电源键开机\n2. 长按风速键3秒开启童锁"]  # list items, not one run-on line
    assert steps.heading == "使用方法"
    assert parse_text("一、总则\n\n本办法适用于全体员工。\n", "rules.txt")[0].heading == "一、总则"
    section = parse_text("二、使用方法\n1. 开机\n2. 开启童锁\n", "manual.txt")[0]  # a section above its items
    assert (section.heading, section.text) == ("二、使用方法", "1. 开机\n2. 开启童锁")


def test_lines_each_ending_a_sentence_stay_lines() -> None:
    # A statute writes an article's paragraphs (款) on lines of their own, no blank line between: the first may be
    # the widest, yet each ends a sentence, which a line wrapped to a width seldom does every time.
    text = "第五条 本市行政区域内的停车场管理，适用本办法。\n军队、武警内部停车场的管理，不适用本办法。\n"
    assert [c.text for c in parse_text(text, "rules.txt")] == [
        "第五条 本市行政区域内的停车场管理，适用本办法。\n军队、武警内部停车场的管理，不适用本办法。"]
    wrapped = "第五条 本市行政区域内的停车场管理，适用本办法；军队、武警内部停\n车场的管理，不适用本办法。\n"
    assert [c.text for c in parse_text(wrapped, "rules.txt")] == [
        "第五条 本市行政区域内的停车场管理，适用本办法；军队、武警内部停车场的管理，不适用本办法。"]


def test_fields_of_nearly_equal_width_stay_lines() -> None:
    # A minutes' header: each line a field, none much shorter than the widest, so not seen as lines of their own
    # by width; joined, 时间 ran on into 地点 in one sentence.
    text = ("年度总结会议纪要\n\n时间：2024年1月12日下午2点\n地点：公司三楼大会议室\n主持人：行政部经理 周婷\n\n"
            "会议通报了全年经营情况。\n")
    header = next(c for c in parse_text(text, "minutes.txt") if "地点" in c.text)
    assert header.text == "时间：2024年1月12日下午2点\n地点：公司三楼大会议室\n主持人：行政部经理 周婷"
    assert "地点：公司三楼大会议室" in split_sentences(header.text)
    # A paragraph wrapped after a colon is still one paragraph.
    wrapped = "会议要求：各部门在三月底前提交年度计划，\n并报送行政部备案。\n"
    assert [c.text for c in parse_text(wrapped, "a.txt")] == ["会议要求：各部门在三月底前提交年度计划，并报送行政部备案。"]


def test_a_question_paragraph_keeps_its_answer() -> None:
    cs = parse_text("问：每年什么时候缴费？\n\n答：集中缴费期为9月1日至12月31日。\n\n问：可以在哪里缴费？\n\n"
                    "答：银行网点或社区代办点。\n", "faq.txt")
    assert [c.text for c in cs] == ["问：每年什么时候缴费？答：集中缴费期为9月1日至12月31日。",
                                    "问：可以在哪里缴费？答：银行网点或社区代办点。"]
    assert (cs[1].start_line, cs[1].end_line) == (5, 7)


def test_short_lines_after_the_last_text_sign_the_document() -> None:
    # A notice's issuer and date (落款) head nothing: they are its byline, one line a sentence, under its title.
    text = "关于开展消防演练的通知\n\n各位住户：\n\n本周五上午十点在小区广场举行消防演练。\n\n青松物业服务中心\n2025年4月2日\n"
    last = parse_text(text, "notice.txt")[-1]
    assert (last.kind, last.article, last.start_line, last.end_line) == ("byline", "关于开展消防演练的通知", 7, 8)
    assert split_sentences(last.text) == ["青松物业服务中心", "2025年4月2日"]
    # A title with no text under it signs nothing.
    assert [c.kind for c in parse_text("消防演练\n", "title.txt")] == ["heading"]
    # Signature lines apart are one signature; a list that ends the document is no signature.
    apart = parse_text(text.replace("中心\n2025", "中心\n\n2025"), "notice.txt")[-1]
    assert (apart.kind, apart.text, apart.start_line, apart.end_line) == ("byline", last.text, 7, 9)
    steps = parse_text("使用方法\n\n1. 按下电源键开机\n2. 长按风速键3秒开启童锁\n", "manual.txt")[-1]
    assert steps.kind == "body"
    # A field on the last line (联系电话：…) heads nothing either: it is text to quote.
    contact = parse_text("招生简章\n\n九月一日开学。\n\n联系电话：2822-1234　联系人：吴老师\n", "a.txt")[-1]
    assert (contact.kind, contact.start_line) == ("body", 5)
    # A contract's parties' signing fields and its date sign it, fields though they are.
    lease = "房屋租赁合同\n\n第一条 月租金为4500元。\n\n甲方（签字）：王建华    乙方（签字）：李晓燕\n2025年2月20日\n"
    signed = parse_text(lease, "lease.txt")[-1]
    assert (signed.kind, signed.start_line, signed.end_line) == ("byline", 5, 6)
    assert split_sentences(signed.text)[-1] == "2025年2月20日"
    unsigned = parse_text(lease.replace("甲方（签字）", "甲方"), "lease.txt")[-1]
    assert unsigned.kind == "body"  # fields that sign nothing are text


def test_markdown_headings_keep_their_depth() -> None:
    # One "# " heading titles the document; every "## " section sits under it, not only the first.
    text = "# 净化器使用说明书\n\n## 一、安全注意事项\n\n请勿在浴室使用。\n\n## 二、滤网更换\n\n### 更换周期\n\n滤网六个月更换一次。\n"
    cs = parse_text(text, "manual.md")
    assert [(c.article, c.heading) for c in cs] == [("净化器使用说明书", "一、安全注意事项"),
                                                   ("净化器使用说明书", "二、滤网更换 / 更换周期")]


def test_a_markdown_quotation_is_text_of_its_own_never_a_heading() -> None:
    # A short line quoted under the title (who compiled it, for how many) is no heading of the text below it,
    # and ends where it ends: the paragraph below is not its broken-off rest.
    text = "# 家常汤谱\n\n> 整理：林小满　｜　适合三口之家，用量以3人份计\n\n汤要小火慢炖，盐最后放。\n\n## 萝卜排骨汤\n\n排骨焯水后炖一小时。\n"
    cs = parse_text(text, "soups.md")
    assert [(c.heading, c.text) for c in cs][:2] == [("", "整理：林小满　｜　适合三口之家，用量以3人份计"),
                                                     ("", "汤要小火慢炖，盐最后放。")]
    assert {c.article for c in cs} == {"家常汤谱"}
    # A quotation wrapped over lines is one paragraph.
    wrapped = parse_text("> 这是一段引文，写得很长，\n> 换了一行才写完。\n", "q.md")
    assert [c.text for c in wrapped] == ["这是一段引文，写得很长，换了一行才写完。"]
    # (Review.) A quoted label alone (> **开放时间**) may still head the part below it.
    labelled = parse_text("# 游泳馆须知\n\n> **开放时间**\n\n每天6:00-21:00开放。\n", "pool.md")
    assert [(c.heading, c.text) for c in labelled] == [("开放时间", "每天6:00-21:00开放。")]


def test_a_heading_as_high_as_a_signed_articles_title_opens_the_next_item_of_the_page() -> None:
    # A signed report, then an unsigned brief at its title's depth: the brief is not the report's section.
    text = ("# 青溪周报\n\n## 新桥通车\n\n本报记者 王明\n\n新桥今日通车。\n\n### 工期\n\n工期三年。\n\n"
            "## 简讯\n\n### 公园开放\n\n公园下周开放。\n\n## 天气\n\n明天晴。\n")
    cs = parse_text(text, "weekly.md")
    assert [(c.kind, c.article, c.heading) for c in cs] == [
        ("byline", "新桥通车", ""), ("body", "新桥通车", ""), ("body", "新桥通车", "青溪周报 / 工期"),
        ("body", "简讯", "青溪周报 / 简讯 / 公园开放"), ("body", "天气", "青溪周报 / 天气")]
    # Sections at the signed title's own depth are its sections (a writer's flat ## headings).
    flat = "# 简报\n\n## 老旧小区改造进展\n\n作者：李青\n\n今年改造小区12个。\n\n## 一、加装电梯\n\n加装电梯20部。\n"
    assert {c.article for c in parse_text(flat, "brief.md")} == {"老旧小区改造进展"}


def test_a_web_pages_line_of_particulars_is_its_byline() -> None:
    # Dates, times and labelled fields under the title, one naming who wrote it or where it comes from.
    for line in ("2025-03-18 08:30 来源：青溪日报 记者 方晓宁", "来源：人民日报 作者：张三 2025年03月18日",
                 "发布时间：2025-03-18 来源：教育局 浏览次数：123", "作者：张三\u3000责任编辑：李四"):
        cs = parse_text(f"山村书屋\n\n{line}\n\n书屋由老粮仓改造而成，2023年10月开放。\n", "news.txt")
        assert [(c.kind, c.article) for c in cs] == [("byline", "山村书屋"), ("body", "山村书屋")], line
    # Not prose that opens with such a word, nor fields that name no writer or source.
    for line in ("记者从市教育局获悉，书屋将扩建。", "来源于生活的故事。", "时间：2025-03-18 地点：三楼会议室"):
        cs = parse_text(f"山村书屋\n\n{line}\n\n书屋由老粮仓改造而成，2023年10月开放。\n", "news.txt")
        assert "byline" not in [c.kind for c in cs], line


def test_a_numbered_heading_goes_under_the_open_heading_numbered_higher() -> None:
    # 一、 （一） 1. （1） nest in an official document: each （二） stays under its 二、, however far below.
    text = ("会议纪要\n\n一、会议议题\n\n审议三项议题。\n\n二、讨论情况\n\n（一）关于外墙\n\n外墙瓷砖脱落。\n\n"
            "（二）关于停车\n\n车位共218个。\n\n1. 收费标准\n\n每月180元。\n\n三、会议要求\n\n三日内公示。\n")
    chunks = parse_text(text, "minutes.txt")
    assert [c.heading for c in chunks] == [
        "一、会议议题", "二、讨论情况 / （一）关于外墙", "二、讨论情况 / （二）关于停车",
        "二、讨论情况 / （二）关于停车 / 1. 收费标准",
        "三、会议要求"]
    assert {c.article for c in chunks} == {"会议纪要"}  # its first heading, right over a section's, titles them all
    # Short numbered lines just before a section numbered higher are a list of their own: text, not its heading.
    notice = "招生通知\n\n一、报名材料\n\n需提交以下材料：\n\n1. 身份证\n\n2. 户口簿\n\n3. 照片\n\n4. 证明\n\n二、报名时间\n\n7月1日至5日。\n"
    cs = parse_text(notice, "notice.txt")
    assert [c.text for c in cs if c.text[0].isdigit() and "." in c.text[:2]] == ["1. 身份证", "2. 户口簿", "3. 照片", "4. 证明"]
    assert cs[-1].heading == "二、报名时间"
    # In the order the document first uses them: sections numbered 1. 2. 3. hold its 一、 二、, not the other way.
    rules = "竞赛规程\n\n1. 比赛项目\n\n设两个大项。\n\n一、田径\n\n设八个小项。\n\n二、游泳\n\n设六个小项。\n\n2. 报名办法\n\n网上报名。\n"
    assert [c.heading for c in parse_text(rules, "rules.txt")] == [
        "1. 比赛项目", "1. 比赛项目 / 一、田径", "1. 比赛项目 / 二、游泳", "2. 报名办法"]


def test_a_notice_written_without_blank_lines_keeps_its_numbered_sections() -> None:
    # 一、 over （一）…, （二）交通安全 over its 1. 2.: each section heads its own lines, not one passage of them all.
    text = ("关于做好冬季校园安全工作的通知\n\n一、总体要求\n（一）坚持预防为主。各校落实校长负责制。\n（二）坚持问题导向。开展排查。\n\n"
            "二、重点任务\n（一）消防安全\n1. 每月开展一次消防检查。\n2. 宿舍严禁使用电热毯。\n（二）交通安全\n1. 校车限速每小时40公里。\n"
            "2. 校门口安排2名教职工值守。\n")
    cs = parse_text(text, "notice.txt")
    assert [(c.heading, c.start_line, c.end_line) for c in cs] == [
        ("一、总体要求", 4, 5), ("二、重点任务 / （一）消防安全", 9, 10),
        ("二、重点任务 / （二）交通安全", 12, 13)]
    # A list of short numbered lines is a list (no line heads the one below it numbered alike).
    items = parse_text("报名材料\n\n1. 身份证\n2. 户口簿\n3. 照片\n", "m.txt")
    assert [c.text for c in items] == ["1. 身份证\n2. 户口簿\n3. 照片"]


def test_a_line_no_style_marks_above_a_styled_signed_title_is_text() -> None:
    text = "# 工作简报\n\n第47期　区政府办公室编　2026年10月30日\n\n## 新桥通车\n\n本报记者 王明\n\n新桥今日通车。\n"
    assert "第47期　区政府办公室编　2026年10月30日" in [c.text for c in parse_text(text, "brief.md")]


def test_who_issued_a_document_and_when_under_its_title_is_its_byline() -> None:
    # A bulletin's issuer over its date, and a lone date field, under the title: a byline, each line a sentence.
    for under, byline in (("青溪县统计局\n2025年3月18日", "青溪县统计局\n2025年3月18日"),
                          ("发布时间：2025年3月18日 10:30", "发布时间：2025年3月18日 10:30"),
                          ("青溪县卫生健康委员会\n办公室\n2025年3月18日", "青溪县卫生健康委员会\n办公室\n2025年3月18日"),
                          ("发布日期：2025-03-18", "发布日期：2025-03-18")):
        cs = parse_text(f"青溪县2024年统计公报\n\n{under}\n\n一、综合\n\n全年地区生产总值为120.5亿元。\n", "b.txt")
        assert [(c.kind, c.text, c.article) for c in cs] == [
            ("byline", byline, "青溪县2024年统计公报"), ("body", "全年地区生产总值为120.5亿元。", "青溪县2024年统计公报")]
        assert cs[1].heading == "一、综合"
    # Not a subtitle, nor short lines without a date, nor fields of an event.
    for under in ("——写在建县七十周年之际", "青溪县统计局\n数据中心", "时间：2025年3月18日\n地点：三楼会议室",
                  "活动时间：2025年4月12日", "——在教职工代表大会上的报告\n2025年1月8日"):
        cs = parse_text(f"青溪县2024年统计公报\n\n{under}\n\n全年地区生产总值为120.5亿元。\n", "b.txt")
        assert "byline" not in [c.kind for c in cs], under


def test_a_label_in_black_brackets_with_its_value_is_a_field_not_a_heading() -> None:
    text = ("布洛芬缓释胶囊说明书\n\n【规格】0.3克\n\n【用法用量】口服。一次1粒，一日2次。\n\n【有效期】24个月\n\n"
            "【批准文号】国药准字H10900089\n\n【生产企业】\n企业名称：某某制药有限公司\n")
    cs = parse_text(text, "leaflet.txt")
    # Each field its own passage (not glued to the next as a paragraph broken mid-sentence); a label alone heads.
    assert [c.text for c in cs] == ["【规格】0.3克", "【用法用量】口服。一次1粒，一日2次。", "【有效期】24个月",
                                    "【批准文号】国药准字H10900089", "企业名称：某某制药有限公司"]
    assert cs[-1].heading == "【生产企业】"


def test_a_news_leads_signature_is_also_a_byline_and_titles_its_article() -> None:
    for lead in ("本报讯（记者 陈思远 通讯员 周晓）11月2日，马拉松在体育中心鸣枪开跑。",
                 "新华社杭州11月2日电（记者 张三、李四）马拉松今天在体育中心鸣枪开跑。"):
        cs = parse_text(f"杭州马拉松鸣枪开跑\n\n{lead}\n\n共有3.6万名跑者参赛。\n", "news.txt")
        assert [(c.kind, c.article, c.start_line) for c in cs] == [
            ("byline", "杭州马拉松鸣枪开跑", 3), ("body", "杭州马拉松鸣枪开跑", 3), ("body", "杭州马拉松鸣枪开跑", 5)]
        assert lead.startswith(cs[0].text) and cs[0].text.endswith("）") and cs[1].text == lead  # the lead whole
    # Prose that mentions a reporter in brackets later, or opens with one, signs nothing.
    for lead in ("马拉松鸣枪开跑（记者 陈思远 摄）。", "（记者从组委会获悉，马拉松将于11月2日开跑。）"):
        cs = parse_text(f"杭州马拉松鸣枪开跑\n\n{lead}\n", "news.txt")
        assert "byline" not in [c.kind for c in cs], lead


def test_markdown_reads_as_rendered_and_keeps_its_line_numbers(tmp_path: Path) -> None:
    from rag.readers import read

    md = tmp_path / "guide.md"
    md.write_text("# 指南\n\n## 票价\n\n- **成人票**：见[价目表](http://x)\n- 儿童票：`半价`\n\n"
                  "| 项目 | 价格 |\n|---|---|\n| 成人票 | 60元 |\n| 儿童票 | 30元 |\n\n---\n\n开放时间以*公告*为准。\n",
                  encoding="utf-8")
    lines = [ln.text for ln in read(md).lines]
    assert len(lines) == len(md.read_text(encoding="utf-8").splitlines())
    assert lines[4:6] == ["成人票：见价目表", "儿童票：半价"]
    assert lines[9:11] == ["项目：成人票，价格：60元", "项目：儿童票，价格：30元"]
    assert lines[12] == "" and lines[14] == "开放时间以公告为准。"
    from rag.corpus import parse

    table = next(c for c in parse(read(md), md.name) if "60元" in c.text)
    assert (table.start_line, table.end_line) == (10, 11) and (table.article, table.heading) == ("指南", "票价")
    code = parse_text("# 安装\n\n```bash\npip install **rag**\n# 注释\nrag ingest docs/\n```\n", "setup.md")
    assert [(c.article, c.text) for c in code] == [("安装", "pip install **rag**\n# 注释\nrag ingest docs/")]


def test_an_entry_named_by_its_first_line_titles_every_section() -> None:
    text = ("林远山\n\n林远山（1890年—1961年），字青崖，近代画家。\n\n生平\n\n林远山早年就读于县学，后赴日本学画。\n\n"
            "轶事\n\n因不愿应酬，晚年闭门作画。\n")
    cs = parse_text(text, "entry.txt")
    # The last section names neither the painter nor the title line; it still belongs to the entry.
    assert [(c.article, c.heading) for c in cs] == [("林远山", ""), ("林远山", "生平"), ("林远山", "轶事")]
    # A first line the text below does not open with is a section's heading, as is one over no other section.
    for text in ("报名须知\n\n报名时间为每年三月。\n\n费用\n\n学费每学期三千元。\n",
                 # the heading's words open a sentence about something else, or no other section names them
                 "住宿标准\n\n住宿标准按出差地区分档执行。\n\n交通费\n\n乘坐火车二等座。\n",
                 "住宿标准\n\n住宿标准为每晚四百元。\n\n交通费\n\n乘坐火车二等座。\n",
                 "林远山\n\n林远山（1890年—1961年），近代画家。\n\n早年就读于县学。\n"):
        cs = parse_text(text, "notice.txt")
        assert {c.article for c in cs} == {""} and cs[0].heading == text.split("\n")[0], text


def test_a_byline_on_the_line_under_its_headline_is_its_own_passage() -> None:
    text = "山村书屋正式开馆\n本报记者 陈思远 通讯员 周晓\n书屋由老粮仓改造而成，2023年10月开放。\n\n藏书共1.2万册。\n"
    cs = parse_text(text, "news.txt")
    assert [(c.kind, c.article, c.heading, c.start_line, c.text) for c in cs] == [
        ("byline", "山村书屋正式开馆", "", 2, "本报记者 陈思远 通讯员 周晓"),
        ("body", "山村书屋正式开馆", "", 3, "书屋由老粮仓改造而成，2023年10月开放。"),
        ("body", "山村书屋正式开馆", "", 5, "藏书共1.2万册。")]
    # Only a document's opening lines: a kicker above the headline keeps the three lines one heading, as before.
    cs = parse_text("社区新闻\n山村书屋开馆\n本报记者 陈思远\n书屋由老粮仓改造而成。\n", "news.txt")
    assert "byline" not in [c.kind for c in cs] and "社区新闻" in cs[0].heading
    # A line shaped like a byline but not labelled as one (文艺演出, 记者节活动), a list of people, a field above or
    # among fields, a list item and a signature at the end sign nothing.
    for text in ("春节活动安排\n文艺演出\n正月初一晚七点在文化广场举行。\n", "活动预告\n记者节活动\n周五下午在礼堂举行。\n",
                 "参会人员\n记者 王明\n编辑 李华\n", "推荐书目\n作者：余华\n书名：《活着》\n",
                 "书名：河湾往事\n作者：孙立民\n\n小说写一条河湾三代人的故事。\n",
                 "参会人员\n- 记者 王明\n- 编辑 李华\n\n会议于上午九点开始。\n"):
        assert "byline" not in [c.kind for c in parse_text(text, "notes.md")], text
    # The lines signing a document stay its signature, whole, not a title and a byline.
    cs = parse_text("运动会举行\n\n本周五下午举行春季运动会。\n\n政教处 供稿\n记者 李华\n2024年5月7日\n", "notes.txt")
    assert [(c.kind, c.text) for c in cs][-1] == ("byline", "政教处 供稿\n记者 李华\n2024年5月7日")


def test_a_numbered_article_does_not_go_on_a_note_cut_off_under_the_title() -> None:
    """A note under a title that ends in its bracket (no full stop) looks cut off; an article sharing its words
    (人民政府) was taken for its continuation and headed by the title, not by its chapter."""
    text = ("松岭市公共自行车管理办法\n\n（2024年3月1日松岭市人民政府第9次常务会议审议通过　松岭市人民政府令第9号公布）\n\n"
            "第一章　总　则\n\n第一条　为了规范公共自行车的使用和管理，制定本办法。\n\n"
            "第二条　市城市管理部门负责公共自行车的统筹管理。\n\n"
            "第三条　区人民政府负责辖区内站点的日常巡查，街道办事处协助区人民政府做好站点周边的秩序维护。\n")
    chunks = parse_text(text, "rules.txt")
    assert [c.heading for c in chunks if c.text.startswith("第")] == ["第一章　总　则"] * 3
    # Nor does a numbered point go on a note broken off before it, right after it: no sentence goes on with a mark.
    for mark in ("1. ", "（一）", "一、", "第一条　"):
        text = f"星河公司差旅管理规定\n\n（2024年3月1日经总经理办公会审议通过，\n\n{mark}员工出差应当提前申请。\n"
        assert [c.text for c in parse_text(text, "rules.txt")][-1] == f"{mark}员工出差应当提前申请。", mark
    # A paragraph broken mid-sentence still goes on with its next line.
    said = "员工因公出差的，应当在出发前通过公司办公系统提交出差申请，写明出差事由、地点和预计天数，并且至少提前"
    text = f"星河公司差旅管理规定\n\n{said}\n\n三天报部门负责人审批。\n"
    assert [c.text for c in parse_text(text, "rules.txt")] == [f"{said}三天报部门负责人审批。"]


def test_a_field_listing_values_or_two_fields_on_a_line_is_text_not_a_heading() -> None:
    """A paper's 关键词：…；… and 中图分类号：… 文献标志码：A lines were headings (short, no full stop): unquotable,
    and the heading of the next paragraph."""
    text = ("基于注意力的病害识别方法\n\n王明，李华\n\n摘要：本文提出一种轻量级识别网络，准确率达到96.7%。\n\n"
            "关键词：病害识别；注意力机制；轻量级网络\n\n中图分类号：S435 文献标志码：A\n\n"
            "基金项目：国家自然科学基金项目（32171893）\n\n1 引言\n\n水稻是我国最主要的粮食作物之一。\n")
    chunks = parse_text(text, "paper.txt")
    texts = [c.text for c in chunks]
    for field in ("关键词：病害识别；注意力机制；轻量级网络", "中图分类号：S435 文献标志码：A"):
        assert field in texts, texts  # a passage of its own: neither a heading nor glued to the next field
    assert all("关键词" not in c.heading for c in chunks)
    # A field naming one value alone may still head what follows (附件1：报名表), and so may words joined by 、.
    minutes = "会议纪要\n\n议题一：年度预算、决算\n\n会议审议了年度预算草案。\n\n议题二：人事安排\n\n会议同意增设岗位。\n"
    assert parse_text(minutes, "m.txt")[0].heading.endswith("议题一：年度预算、决算")
    # But numbers listed so are a field's (a hotline and who answers it).
    notice = "物业公告\n\n维修热线：0571-8888 1234（白天由电工、水工接听）\n\n报修后30分钟内回电。\n"
    assert "维修热线：0571-8888 1234（白天由电工、水工接听）" in [c.text for c in parse_text(notice, "n.txt")]
    assert parse_text("通知\n\n附件1：报名表\n\n姓名、性别、联系电话。\n", "n.txt")[-1].heading.endswith("附件1：报名表")


def test_a_plain_documents_first_heading_over_its_sections_titles_every_section() -> None:
    """A leaflet's name (over 【药品名称】, under its dates) headed its first section only: 奥美拉唑的批准文号是多少？
    named the product no other section says."""
    text = ("核准日期：2019年03月18日\n修改日期：2023年11月06日\n\n青禾止咳颗粒说明书\n\n【药品名称】\n\n"
            "通用名称：青禾止咳颗粒。商品名称：清咳宁。\n\n【贮藏】\n\n密封，在阴凉干燥处保存。\n\n【批准文号】\n\n"
            "国药准字Z20093178。\n\n【生产企业】\n\n青禾制药有限公司，地址为青禾市工业园区8号。\n")
    chunks = parse_text(text, "leaflet.txt")
    assert {c.article for c in chunks} == {"青禾止咳颗粒说明书"}
    assert [c.heading for c in chunks if "国药准字" in c.text] == ["【批准文号】"]
    # A first heading over text is no title of the sections after it (a notice's first section).
    text = "报名须知\n\n请携带身份证件。\n\n考试安排\n\n考试在周六上午举行。\n\n其他\n\n咨询电话见官网。\n"
    assert {c.article for c in parse_text(text, "notice.txt")} == {""}


def test_a_field_under_the_title_over_the_first_section_is_text_and_the_title_titles_every_section() -> None:
    """A notice's 地址：… line between its title and 一、开放时间 was read as a heading over the first section, so what
    it says (the pool's length) answered nothing, and the title no longer titled the sections."""
    text = ("青柳游泳馆入场须知\n\n地址：城北体育公园南门（泳池长25米，6条泳道）\n\n一、开放时间\n周一至周五：6:30-21:00\n\n"
            "二、票价\n单次票40元。\n\n三、入场要求\n须穿着泳衣、佩戴泳帽。\n")
    chunks = parse_text(text, "pool.txt")
    assert [(c.heading, c.text) for c in chunks if "泳池长" in c.text] == [("", "地址：城北体育公园南门（泳池长25米，6条泳道）")]
    assert {c.article for c in chunks} == {"青柳游泳馆入场须知"}
    assert [c.heading for c in chunks if "6:30" in c.text] == ["一、开放时间"]


def test_a_title_styled_as_its_numbered_sections_titles_them() -> None:
    """A PDF's title set in the bold of its sections (某某收费标准 over 一、年费, 二、取现): a heading of their level, so
    no section was under it and 白金卡年费 named nothing the fee table's section held."""
    from rag.corpus import parse
    from rag.lines import Extracted, Line

    def doc(title: str) -> Extracted:
        return Extracted("pdf", [Line(title, 1, 1), Line(""), Line("生效日期：2026年1月1日", 1), Line(""),
                                 Line("一、年费", 1, 1), Line(""), Line("主卡年费每卡每年600元。", 1), Line(""),
                                 Line("二、取现", 1, 1), Line(""), Line("境内取现手续费为取现金额的1%。", 1), Line(""),
                                 Line("三、挂失", 1, 1), Line(""), Line("挂失手续费每次50元。", 1)])

    chunks = parse(doc("青山银行白金信用卡收费标准"), "fees.pdf")
    assert [(c.heading, c.article) for c in chunks if "600元" in c.text] == [("一、年费", "青山银行白金信用卡收费标准")]
    assert {c.article for c in chunks} == {"青山银行白金信用卡收费标准"}
    # A first heading numbered as the rest is a section like them.
    assert {c.article for c in parse(doc("一、总则"), "fees.pdf")} == {""}


def test_an_interviewers_short_question_is_no_byline_and_comes_with_its_reply():
    """记者：入行时是谁带您的？ was read as a byline (a label naming the reporter, in few characters), a passage of its
    own, so the question was quoted as the answer and its reply stood apart."""
    text = ("访谈：一位钟表匠的四十年\n\n记者：李牧\n\n记者：入行时是谁带您的？\n\n"
            "孙师傅：我父亲。他在上海亨得利修了三十年表。\n\n记者：修一块老怀表要多久？\n\n孙师傅：快的三天，慢的要一个月。\n")
    chunks = parse_text(text, "talk.txt")
    assert [c.text for c in chunks if c.kind == "byline"] == ["记者：李牧"]
    # A line of particulars naming a source whose name asks is a byline still (review).
    signed = parse_text("夏季饮食注意事项\n\n2024-06-18 作者：林小满 来源：“今天吃什么？”\n\n夏季天气炎热，饮食宜清淡。\n", "diet.txt")
    assert [c.text for c in signed if c.kind == "byline"] == ["2024-06-18 作者：林小满 来源：“今天吃什么？”"], signed
    assert any(c.text.startswith("记者：入行时是谁带您的？") and "我父亲" in c.text for c in chunks), \
        [c.text for c in chunks]


def test_a_field_over_a_wider_line_stays_a_line_of_its_own() -> None:
    """A school calendar's last lines read 校长：郑国栋临江市第三中学: a field over a wider line was joined to it as if
    wrapped, though no wrapped line is narrower than the one it wraps into."""
    cs = parse_text("期末安排\n\n一月二十日放寒假。\n\n教务主任：林一\n南山县第二实验小学\n", "calendar.txt")
    assert cs[-1].text == "教务主任：林一\n南山县第二实验小学"
    cs = parse_text("接种须知\n\n接种后留观30分钟。\n\n预防保健科负责人：许文\n桃林社区卫生服务中心　2025年3月2日\n", "a.txt")
    assert cs[-1].text.startswith("预防保健科负责人：许文\n")
    # A field's value wrapped at the width of the text goes on in the line below it.
    wrapped = "租赁约定\n\n备注：本合同一式两份，甲乙双方各执一份，自双方签字之日起生效，具有同\n等法律效力。\n"
    assert parse_text(wrapped, "lease.txt")[-1].text.endswith("具有同等法律效力。")
    # A clause after a colon, wrapped a column short of the line below it (digits are narrower), goes on too (review).
    said = "新校建设\n\n王明表示：今年新建的12所学校中，小学7所、初中5所，新增学位1.5万\n个，将有效缓解城东片区入学压力。\n"
    assert parse_text(said, "news.txt")[-1].text == "王明表示：今年新建的12所学校中，小学7所、初中5所，新增学位1.5万个，将有效缓解城东片区入学压力。"


def test_a_writer_named_after_a_slash_with_what_they_are_is_a_byline() -> None:
    """文／科普作家　苏映雪 under a popular-science article's title was read as the heading of its first section."""
    text = "夜光蘑菇的秘密\n\n文／自然作家　林青禾\n\n在南方的竹林里，雨后常能见到一种会发光的蘑菇。\n"
    cs = parse_text(text, "article.txt")
    assert [(c.kind, c.text) for c in cs][:2] == [("byline", "文／自然作家\u3000林青禾"),
                                                  ("body", "在南方的竹林里，雨后常能见到一种会发光的蘑菇。")]
    assert cs[1].heading == ""
    assert parse_text(text.replace("文／自然作家　", "文/"), "a.txt")[0].kind == "byline"


def test_a_subtitle_ending_in_no_mark_is_not_joined_to_the_fields_below_it() -> None:
    """An interview's subtitle (no closing mark) was glued to the 访谈时间：… lines below it as one broken sentence:
    …传承人宋德明访谈时间：2024年5月16日."""
    text = ("《乡土》栏目第5期访谈实录\n一把剪刀的四十年——对话省级非遗剪纸技艺代表性传承人何春兰\n\n"
            "访谈时间：2023年4月2日\n访谈地点：青禾镇文化站\n\n主持人：何老师，您是哪年开始剪纸的？\n")
    cs = parse_text(text, "interview.txt")
    assert not any("何春兰访谈" in c.text for c in cs), [c.text for c in cs]
    assert any(c.text.startswith("访谈时间：2023年4月2日\n访谈地点") for c in cs), [c.text for c in cs]
    # A sentence broken across a blank line still goes on, into a line that is no field.
    broken = ("通知\n\n本次活动由镇文化站与县图书馆联合主办，活动时间为五月一日至五月七日，地点在镇文化广场，届时将有\n\n"
              "多位民间艺人现场表演，欢迎居民参加。\n")
    assert parse_text(broken, "a.txt")[-1].text.endswith("届时将有多位民间艺人现场表演，欢迎居民参加。")
    # And into one field line (包括：…), as a page break may cut it (review).
    cut = ("调研报告\n\n课题组于三月至五月走访了全县二十所农村学校，访谈教师和家长三百余人，在此基础上形成本报告。"
           "课题组认为当前农村学校面临的主要问题\n\n包括：师资不足、设施陈旧、生源流失。\n")
    assert parse_text(cut, "a.txt")[-1].text.endswith("面临的主要问题包括：师资不足、设施陈旧、生源流失。")


def test_a_letters_signature_is_its_text_not_a_heading() -> None:
    # A name's field over a date alone signs a letter (投诉人：陆晓岚 / 2024年5月8日): it heads nothing of the next one.
    text = ("投诉信\n\n尊敬的客服部：\n\n我于5月3日购买的电水壶漏水，请尽快处理。\n\n投诉人：陆晓岚\n2024年5月8日\n\n\n"
            "回复函\n\n陆晓岚女士：\n\n您好！我部已为您办理换货。\n")
    cs = parse_text(text, "letters.txt")
    assert [(c.heading, c.text) for c in cs][2:4] == [("投诉信", "投诉人：陆晓岚\n2024年5月8日"), ("回复函", "陆晓岚女士：")]


def test_a_records_line_over_a_short_reply_is_text_and_heads_nothing() -> None:
    """A chat export's short message (王芳 2024-05-12 09:47 / 好的谢谢) was two short lines, read as a heading: every
    later message came under it, and the line over a short question was joined to it as wrapped."""
    chat = ("业主群聊天记录\n\n周一鸣 2024-06-01 08:10\n今晚8点到10点停电检修，请提前做好准备。\n\n"
            "沈可 2024-06-01 08:12\n收到谢谢\n\n林默 2024-06-01 08:20\n几号楼停电？\n\n"
            "周一鸣 2024-06-01 08:25\n5号楼和6号楼，其他楼不受影响。\n")
    cs = parse_text(chat, "chat.txt")
    assert [c.heading for c in cs] == ["业主群聊天记录"] * len(cs), [(c.heading, c.text) for c in cs]
    # (A message too short to stand alone goes with the one before it.)
    assert any("\n沈可 2024-06-01 08:12\n收到谢谢" in c.text for c in cs), [c.text for c in cs]
    assert any(c.text.startswith("林默 2024-06-01 08:20\n几号楼停电？") for c in cs), [c.text for c in cs]


def test_a_chats_short_messages_asks_and_own_lines_keep_to_the_messages_and_dated_headings_head() -> None:
    """Review: a message asking without its mark (学生有优惠吗) was parted from its reply; a chat's own line
    between messages (某某撤回了一条消息) headed every later one; a one-word message was a passage by itself; and a
    heading dated in words (第一次会议 2024年3月5日) was read as a message's line and headed nothing."""
    chat = ("球队群聊天记录\n\n老孟 08:15:00\n本月会费每人80元。\n\n小雨 08:20:33\n学生有优惠吗\n\n老孟 08:22:10\n"
            "在校学生半价，每月40元。\n\n小雨 08:23:00\n👍\n\n“阿杰”撤回了一条消息\n\n阿杰 08:30:12\n周六几点开场？\n\n"
            "老孟 08:31:40\n下午两点。\n")
    cs = parse_text(chat, "chat.txt")
    assert {c.heading for c in cs} == {"球队群聊天记录"}, [(c.heading, c.text) for c in cs]
    assert any("学生有优惠吗\n老孟 08:22:10\n在校学生半价" in c.text for c in cs), [c.text for c in cs]
    assert not any(c.text.startswith(("小雨 08:23:00", "“阿杰”")) for c in cs), [c.text for c in cs]
    minutes = "会议纪要\n\n第一次会议 2024年3月5日\n会议由主任主持，审议了三项议题，通过了年度预算和人员安排。\n"
    cs = parse_text(minutes, "minutes.txt")
    assert [(c.heading, c.text) for c in cs] == [("会议纪要 / 第一次会议 2024年3月5日", "会议由主任主持，审议了三项议题，通过了年度预算和人员安排。")]


def test_a_signature_ending_in_a_field_is_no_heading_of_what_follows() -> None:
    """An e-mail's signature (name / department / 分机：8021) was joined into one heading over the quoted mail
    below it."""
    mail = ("关于采购的确认\n\n请在周五前回复选哪一家。\n\n谢谢！\n\n林晓舟\n采购部\n分机：6021\n\n-----Original Message-----\n"
            "From: 周南 <zhou.nan@example.com>\nSubject: 采购\n\n请帮忙找三家供应商报价。\n")
    cs = parse_text(mail, "mail.txt")
    assert not any("分机" in c.heading for c in cs), [(c.heading, c.text) for c in cs]
    assert any("分机：6021" in c.text for c in cs), [c.text for c in cs]


def test_a_field_saying_more_in_clauses_goes_on_over_a_break() -> None:
    """A field in clauses (刹车片：…，…；后刹车 / 片一般…) broken by a page was kept as two passages, cut inside a word,
    as if it were a list of values whole on its line (关键词：…；…), which still is."""
    text = "易损件\n\n刹车片：前片一般3万公里更换，厚度小于3毫米时必须更换；后\n\n片一般6万公里更换。\n"
    assert parse_text(text, "manual.txt")[-1].text == "刹车片：前片一般3万公里更换，厚度小于3毫米时必须更换；后片一般6万公里更换。"
    keywords = "论文\n\n关键词：水稻病害；图像识别\n\n引言部分介绍研究背景。\n"
    assert [c.text for c in parse_text(keywords, "paper.txt")][-2:] == ["关键词：水稻病害；图像识别", "引言部分介绍研究背景。"]


def test_an_issuers_lines_over_the_day_sign_the_notice_a_line_each() -> None:
    """A notice signed by a centre, its office with a contact and the day, unparted, was one run of text (中心科室
    （联系人：…）2026年…) read as a heading: neither the contact nor the day could be quoted."""
    notice = ("关于流感疫苗接种的通知\n\n各位居民：\n\n本中心自10月8日起开展流感疫苗接种。\n\n特此通知。\n\n"
              "临河街道社区卫生服务中心\n预防保健科（联系人：陆雨桐）\n2026年9月28日\n")
    last = parse_text(notice, "notice.txt")[-1]
    assert (last.kind, last.start_line, last.end_line) == ("byline", 9, 11)
    assert split_sentences(last.text) == ["临河街道社区卫生服务中心", "预防保健科（联系人：陆雨桐）", "2026年9月28日"]
    # Text over a date is no signature (a sentence ends on its line).
    told = parse_text("活动通知\n\n请大家准时参加本次活动。\n报名截止于\n2026年9月28日\n", "a.txt")[-1]
    assert told.kind == "body" and told.start_line == 3


def test_a_threads_posts_keep_their_lines_and_rules_are_no_text() -> None:
    """A forum thread's posts, each under a line of bar-parted fields (楼层 ｜ 网名 ｜ 时间 ｜ 👍 873) and a rule of
    dashes: the line, read as a sentence broken off, ran into the post (👍 873分享一下…) and the rule was quoted."""
    thread = ("养猫问答\n\n第一次养猫要准备什么？\n\n------------------------------\n回答1 ｜ 老王 ｜ 2026-02-17 22:15 ｜ 👍 1,268\n\n"
              "猫三联一共打3针。\n\n------------------------------\n回答2 ｜ 小周 ｜ 2026-02-18 08:40 ｜ 👍 873\n\n"
              "分享一下我的采购清单：猫砂盆138元。\n")
    cs = parse_text(thread, "thread.txt")
    assert not any("---" in c.text or "---" in c.heading for c in cs), [c.text for c in cs]
    posts = [c.text for c in cs if "回答" in c.text]
    assert posts == ["回答1 ｜ 老王 ｜ 2026-02-17 22:15 ｜ 👍 1,268\n猫三联一共打3针。",
                     "回答2 ｜ 小周 ｜ 2026-02-18 08:40 ｜ 👍 873\n分享一下我的采购清单：猫砂盆138元。"], [c.text for c in cs]


def test_short_fields_over_a_field_are_text_not_headings() -> None:
    """A package insert's fields a paragraph each (通用名称：… / 商品名称：清源 / 英文名称：…): the short one was read as
    a heading over the next, so its value could be found but never quoted."""
    insert = ("止咳糖浆说明书\n\n【药品名称】\n\n通用名称：复方甘草口服溶液\n\n商品名称：清源\n\n"
              "英文名称：Compound Liquorice Oral Solution\n\n【规格】\n\n每瓶100毫升。\n")
    cs = parse_text(insert, "insert.txt")
    assert [(c.heading, c.text) for c in cs if "名称" in c.text] == [
        ("【药品名称】", "通用名称：复方甘草口服溶液"), ("【药品名称】", "商品名称：清源"),
        ("【药品名称】", "英文名称：Compound Liquorice Oral Solution")], [(c.heading, c.text) for c in cs]
    # A field over text that is no field still heads it (议题一：年度预算 over what was said of it).
    agenda = parse_text("会议纪要\n\n议题一：年度预算\n\n会议审议了年度预算草案，同意提交理事会。\n", "a.txt")
    assert agenda[-1].heading.endswith("议题一：年度预算")


def test_a_rule_ends_lines_of_their_own_and_what_follows_it_is_no_broken_sentence() -> None:
    """A rule under lines (an export's title and its field, a notice's title and day, a signature before a reply
    slip) ended them as lines of their own, which with the rule read as no text were joined into one run; a post's
    line with its text straight below was glued to the question above; the thread's closing line in clauses, after
    a rule, was a heading of nothing."""
    export = "邮件导出 — 项目“临湖小区外墙翻新”\n导出时间：2026-03-12 18:20\n==============================\n\n" \
             "发件人：周立 <zhou@example.com>\n主题：工期调整\n\n东立面工期顺延六天。\n"
    cs = parse_text(export, "export.txt")
    assert (cs[0].heading, cs[0].text) == ("邮件导出 — 项目“临湖小区外墙翻新”", "导出时间：2026-03-12 18:20")
    notice = "关于调整停车收费的公告\n2026年7月1日\n==============================\n\n各位业主：\n\n" \
             "自2026年8月1日起，地面临时停车每小时收费3元。\n"
    cs = parse_text(notice, "notice.txt")
    assert not any("日各位业主" in c.text for c in cs) and cs[-1].article == "关于调整停车收费的公告"
    slip = ("关于开展义诊的通知\n\n各社区：\n\n本中心定于10月8日开展义诊。\n\n临河街道社区卫生服务中心\n预防保健科（联系人：陆雨桐）\n"
            "2026年9月28日\n\n------------------------------\n附：回执\n\n社区名称：________\n预约人数：________\n")
    cs = parse_text(slip, "slip.txt")
    signed = next(c for c in cs if "陆雨桐" in c.text)
    assert signed.kind in ("body", "byline") and signed.text.startswith("临河街道社区卫生服务中心\n")
    assert not any("卫生服务中心" in c.heading for c in cs), [(c.heading, c.text) for c in cs]
    thread = ("问题：路由器晚上老掉线，怎么回事？\n提问者 ｜ 阿杰 ｜ 2026-02-17 23:12\n\n白天好好的，晚上就掉线，这是路由器坏了吗？\n\n"
              "------------------------------\n回答1 ｜ 老司机 ｜ 2026-02-18 07:55 ｜ 👍 312\n晚上才掉线，大概率是信道拥挤。\n\n"
              "==============================\n本帖已被版主设为精华，最佳答案：回答1\n")
    cs = parse_text(thread, "thread.txt")
    assert any(c.text.startswith("回答1 ｜ 老司机") for c in cs), [c.text for c in cs]
    assert (cs[-1].kind, cs[-1].text) == ("body", "本帖已被版主设为精华，最佳答案：回答1")


def test_a_bracketed_labels_value_on_the_line_below_is_text_under_it() -> None:
    """A package insert's 【有效期】 over 24个月, 【批准文号】 over its number: the values were read as headings."""
    insert = ("止咳糖浆说明书\n\n【规格】\n\n100ml:0.3g（每瓶100毫升）\n\n【用法用量】\n\n口服，一次10毫升，一日2次。\n\n"
              "【有效期】\n\n24个月\n\n【批准文号】\n\n国药准字H20260001\n\n【生产企业】\n\n企业名称：江南制药有限公司\n")
    cs = parse_text(insert, "insert.txt")
    held = {c.text: c.heading for c in cs if c.kind == "body"}
    assert held.get("24个月") == "【有效期】" and held.get("国药准字H20260001") == "【批准文号】", held
    # A value closing its bracket is no sentence cut off by the next section, resumed by a later paragraph.
    assert held.get("口服，一次10毫升，一日2次。") == "【用法用量】", held


def test_a_byline_naming_a_column_before_its_writer_is_a_byline() -> None:
    """作者：家电测评室 阿哲 ｜ 2026年2月26日 under a review's title: a column's name and its writer's, two words, was
    read as no byline but a heading over the review's first paragraph, so who wrote it could not be quoted."""
    review = "# 三款扫地机器人横评\n\n作者：数码测评组 小林　｜　2026年3月2日\n\n我们实测了三款热门机型。\n"
    cs = parse_text(review, "review.md")
    assert [(c.kind, c.heading) for c in cs] == [("byline", ""), ("body", "")], [(c.kind, c.heading, c.text) for c in cs]
    assert cs[0].text == "作者：数码测评组 小林　｜　2026年3月2日"


def test_a_label_over_lines_indented_under_it_heads_them() -> None:
    """A plain-text roster writes each day on a line of its own over its indented fields (星期二 / 上午：…): each day
    heads its own fields, not the first day's heading all of them; a paragraph's first-line indent heads nothing."""
    roster = ("门诊值班表\n\n星期一\n  上午：内科 李慧\n  下午：外科 韩东\n星期二\n  上午：儿科 周宁\n  下午：内科 李慧\n"
              "星期三\n  上午：外科 韩东\n  下午：儿科 周宁\n")
    by_heading = {c.heading.split(" / ")[-1]: c.text for c in parse_text(roster, "roster.txt")}
    assert "周宁" in by_heading["星期二"] and "韩东" not in by_heading["星期二"], by_heading
    assert by_heading["星期一"] == "上午：内科 李慧\n下午：外科 韩东", by_heading
    prose = ("青石镇召开防火会议\n　　10月8日上午，青石镇召开秋季森林防火工作会议。\n　　会议要求，加强野外用火管理\n"
             "严禁上坟烧纸。\n　　会上，各村签订了防火责任书。\n")
    cs = parse_text(prose, "news.txt")
    assert {c.heading for c in cs} == {"青石镇召开防火会议"} and "严禁上坟烧纸" in cs[0].text, [(c.heading, c.text) for c in cs]
