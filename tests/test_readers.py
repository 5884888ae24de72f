"""Reading PDF, Word and HTML files made by the tests, and the repairs Chinese PDFs need."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from rag.corpus import parse, place, read_corpus
from rag.errors import UnreadableFileError
from rag.lines import repair
from rag.readers import SUFFIXES, read

from .samples import (DOCX_FACTS, HANDBOOK, HEADER, HTML_FACTS, NAV, NOTES_TITLE, PDF_FACTS, POLICY,
                      POLICY_TITLE, make_docx, make_encrypted_pdf, make_html, make_pdf, make_scan_pdf)

RADICAL = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("docs")
    pdf = make_pdf(d / "handbook.pdf")
    broken = tmp_path_factory.mktemp("broken")
    (broken / "truncated.pdf").write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])
    make_encrypted_pdf(broken / "locked.pdf", pdf)
    (broken / "notes.docx").write_text("这是一个改了扩展名的文本文件。", encoding="utf-8")
    make_scan_pdf(broken / "scan.pdf")
    return {"pdf": pdf, "docx": make_docx(d / "notes.docx"), "html": make_html(d / "policy.html"),
            "dir": d, "broken": broken}


def test_pdf_pages_lose_header_footer_and_page_numbers(files) -> None:
    doc = read(files["pdf"])
    assert doc.kind == "pdf" and doc.pages == len(HANDBOOK) + 1  # the last chapter runs onto a second page
    texts = [ln.text for ln in doc.lines]
    assert HEADER not in texts and not any(re.fullmatch(r"第\s*\d+\s*页", t) for t in texts)
    assert {ln.page for ln in doc.lines} == set(range(1, len(HANDBOOK) + 2))
    # Each chapter heading is a heading line on its own page.
    heads = [(ln.text, ln.page) for ln in doc.lines if ln.level]
    assert heads == [(title, n) for n, (title, _) in enumerate(HANDBOOK, start=1)]


def test_pdf_paragraphs_are_rejoined_and_radicals_repaired(files) -> None:
    chunks = parse(read(files["pdf"]), "handbook.pdf")
    body = [c for c in chunks if c.kind == "body"]
    want = [repair(p) for _, paras in HANDBOOK for p in paras]
    assert not any(RADICAL.search(c.text) for c in chunks)
    # The printed text comes back in order (lines broken inside sentences joined, across a page break too)
    # and no passage mixes two paragraphs.
    assert squash("".join(c.text for c in body)) == squash("".join(want))
    assert all(any(squash(c.text) in squash(p) for p in want) for c in body)
    assert sum(squash(c.text) in squash(p) for c in body for p in want[:-1]) == len(want) - 1
    last = [c for c in body if c.heading == HANDBOOK[-1][0]]
    assert {c.page for c in last} == {len(HANDBOOK), len(HANDBOOK) + 1}, "the long paragraph runs onto the next page"
    for c in body:
        assert c.heading == HANDBOOK[min(c.page, len(HANDBOOK)) - 1][0]


def test_pdf_chunk_line_spans_read_back_their_text(files) -> None:
    doc = read(files["pdf"])
    chunks = parse(doc, "handbook.pdf")
    for c in chunks:
        span = "".join(ln.text for ln in doc.lines[c.start_line - 1 : c.end_line])
        assert squash(c.text) in squash(span)
        assert c.page == doc.lines[c.start_line - 1].page
        assert c.end_page == doc.lines[c.end_line - 1].page
    # A passage running onto the next page is cited with both pages: half of it is not on the first.
    across = [c for c in chunks if c.end_page != c.page]
    assert [(c.page, c.end_page) for c in across] == [(len(HANDBOOK), len(HANDBOOK) + 1)]
    c = across[0]
    assert place(c.source, c.start_line, c.end_line, c.page, c.end_page) == (
        f"handbook.pdf p.{c.page}-{c.end_page} (l.{c.start_line}-{c.end_line})")
    assert place(c.source, c.start_line, c.end_line, c.page, c.page) == (
        f"handbook.pdf p.{c.page} (l.{c.start_line}-{c.end_line})")
    assert all(x.metadata()["end_page"] == x.end_page for x in chunks)


@pytest.mark.parametrize("fact", PDF_FACTS, ids=lambda f: f.answer)
def test_pdf_fact_sits_on_its_page(files, fact) -> None:
    holding = [c for c in parse(read(files["pdf"]), "handbook.pdf") if fact.answer in c.text]
    assert holding and {c.page for c in holding} == {fact.page}


def test_docx_headings_from_styles(files) -> None:
    chunks = parse(read(files["docx"]), "notes.docx")
    assert {c.article for c in chunks} == {NOTES_TITLE}
    assert all(c.page is None for c in chunks)
    for fact in DOCX_FACTS:
        holding = [c for c in chunks if fact.answer in c.text]
        assert holding and fact.heading in holding[0].heading, (fact, holding)
    # A Heading 2 sits under its Heading 1.
    assert any(c.heading == "二、议定事项 / （二）实训基地建设" for c in chunks)
    # Table rows are read, each cell labelled with its column's (bold) header.
    assert any("部门：教务处，负责人：周明，完成时间：4月30日" in c.text for c in chunks), [c.text for c in chunks]


def test_html_article_without_navigation_or_footer(files) -> None:
    doc = read(files["html"])
    text = "\n".join(ln.text for ln in doc.lines)
    assert not any(n in text for n in NAV[1:]) and "版权所有" not in text and "统计代码" not in text
    # The footer's fields are the page's last lines: what a reader asks it for (its address).
    assert doc.lines[-2].text == "备案号：浙ICP备00000000号" and "地址：浙江省杭州市星河路88号" in text
    assert "相关链接" not in text
    chunks = parse(doc, "policy.html")
    assert {c.article for c in chunks} == {POLICY_TITLE}
    assert [c.heading for c in chunks if "星河路88号" in c.text] == [""]  # under no section: it closes the page
    for fact in HTML_FACTS:
        holding = [c for c in chunks if fact.answer in c.text]
        assert holding and holding[0].heading.endswith(fact.heading)
    assert sum(len(p) for _, p in POLICY) == sum(1 for c in chunks if c.heading)


def test_a_site_footer_keeps_its_fields_a_line_each_and_drops_its_copyright_and_links(tmp_path) -> None:
    page = tmp_path / "news.html"
    page.write_text(
        "<html><body><article><h1>县博物馆新馆开馆</h1><p>新馆位于文昌大道66号，首日接待观众6243人次。</p></article>"
        "<footer><p>主办单位：县融媒体中心\u3000\u3000地址：人民路8号\u3000\u3000电话：0795-6612345</p>"
        "<p>版权所有 © 2025 县融媒网\u3000赣ICP备12345678号\u3000未经授权禁止转载</p>"
        '<p><a href="/contact">联系我们</a> | <a href="/map">网站地图</a> | <a href="/privacy">隐私政策</a></p>'
        '<div>邮箱：<a href="mailto:news@example.cn">news@example.cn</a> | 传真：0795-6612346 © 县融媒网<br>'
        "友情链接： | <a href=\"/a\">县政府</a></div></footer></body></html>", encoding="utf-8")
    doc = read(page)
    closing = [ln.text for ln in doc.lines[len(doc.lines) - doc.closing:]]
    # Each field ends where its line (a <p>, a run between <br>s), a bar or a © ends it; lines that label nothing
    # (the copyright and licence line, the bar of links) are not text.
    assert closing == ["主办单位：县融媒体中心", "地址：人民路8号", "电话：0795-6612345", "邮箱：news@example.cn",
                       "传真：0795-6612346", ""]
    chunks = parse(doc, "news.html")
    # One passage closing the page, a line each: the phone is read with whose it is.
    assert [(c.heading, c.text) for c in chunks if "0795" in c.text] == [("", "\n".join(closing[:-1]))]
    assert not any(w in c.text for c in chunks for w in ("版权所有", "ICP", "网站地图", "友情链接"))
    # A field whose value is a link, on a line of its own, is a field (a line of several links is not).
    page.write_text('<html><body><main><p>新馆首日接待观众6243人次。</p></main><footer><div>地址：人民路8号<br>'
                    '邮箱：<a href="mailto:news@example.cn">news@example.cn</a><br>'
                    '<a href="/a">县政府</a> <a href="/b">县文旅局</a></div></footer></body></html>', encoding="utf-8")
    doc = read(page)
    assert [ln.text for ln in doc.lines[len(doc.lines) - doc.closing:]] == ["地址：人民路8号", "邮箱：news@example.cn", ""]
    # A sentence of the page's own in its footer is text (a booking's confirmation says when it was made).
    page.write_text("<html><body><main><p>您的预订已确认。</p></main><footer><p>前台电话：0572-8061234</p>"
                    "<p>本确认单于2026年4月18日生成，如有疑问请联系前台。</p></footer></body></html>", encoding="utf-8")
    doc = read(page)
    assert [ln.text for ln in doc.lines[len(doc.lines) - doc.closing:]] == [
        "前台电话：0572-8061234", "本确认单于2026年4月18日生成，如有疑问请联系前台。", ""]


@pytest.mark.parametrize(("name", "why"), [
    ("truncated.pdf", "damaged or truncated"),
    ("locked.pdf", "password"),
    ("notes.docx", "not a Word .docx"),
    ("scan.pdf", "no text layer"),
])
def test_broken_files_say_what_and_what_to_do(files, name: str, why: str) -> None:
    with pytest.raises(UnreadableFileError) as e:
        read(files["broken"] / name)
    msg = str(e.value)
    assert msg.startswith(name) and why in msg and "\n" not in msg


def test_unknown_type_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "old.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnreadableFileError, match=r"old\.doc: \.doc is not a supported type"):
        read(f)


def test_corpus_reads_the_good_and_names_the_broken(files, caplog: pytest.LogCaptureFixture) -> None:
    corpus = read_corpus([files["dir"], files["broken"]])
    assert {c.source for c in corpus.chunks} == {"handbook.pdf", "notes.docx", "policy.html"}
    assert sorted(s.name for s in corpus.skipped) == ["locked.pdf", "notes.docx", "scan.pdf", "truncated.pdf"]
    skipped_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped")]
    assert len(skipped_lines) == 4 and all("\n" not in m for m in skipped_lines)
    assert corpus.documents["handbook.pdf"].pages == len(HANDBOOK) + 1


def test_text_files_read_as_before(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# 标题\n\n正文⻓句子。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("国标编码的文件。".encode("gb18030"))
    chunks = read_corpus([tmp_path]).chunks
    assert [(c.source, c.text, c.start_line, c.page) for c in chunks] == [
        ("a.md", "正文长句子。", 3, None), ("b.txt", "国标编码的文件。", 1, None)]
    assert "page" not in chunks[0].metadata()


def test_radical_table_maps_to_ideographs() -> None:
    table = json.loads((Path(__file__).resolve().parents[1] / "rag" / "radicals.json").read_text("utf-8"))
    rare = {k: v for k, v in table.items() if not RADICAL.fullmatch(k)}
    assert all(len(v) == 1 and unicodedata.name(v).startswith("CJK UNIFIED") for v in table.values())
    # The whole Kangxi block, and the supplement radicals Chinese PDFs actually print.
    assert all(chr(cp) in table for cp in range(0x2F00, 0x2FD6))
    assert repair("⻘⻓⻔⻢⻜⻅⼤⼀⽣") == "青长门马飞见大一生"
    assert repair("普通文字 ABC，。") == "普通文字 ABC，。"
    assert repair("一般30,000‒50,000公里", glyphs=True) == "一般30,000–50,000公里"  # a font's figure dash: an en dash
    assert repair("2023―2025年减排目标") == "2023—2025年减排目标"  # a Chinese font's bar: an em dash
    # And the few rare ideographs (Extension A) the font draws as common ones: a PDF printed 胶体 as 㬵体.
    assert 0 < len(rare) < 10 and all("\u3400" <= k <= "\u4dbf" and "\u4e00" <= v <= "\u9fff" for k, v in rare.items())
    assert repair("去除泥沙、㬵体及余氯", glyphs=True) == "去除泥沙、胶体及余氯"
    # Only where a font drew it: a text typing one means it (a name).
    assert repair("联系人：李㫚") == "联系人：李㫚"
    assert repair("⻓", glyphs=True) == repair("⻓") == "长"


def test_radical_table_is_what_the_script_builds() -> None:
    from bench.radicals import FONT, OUT, build

    if not FONT.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    assert build(FONT) == json.loads(OUT.read_text("utf-8"))


def test_supported_suffixes() -> None:
    assert SUFFIXES == {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}


def test_table_rows_are_labelled_by_a_header_row(tmp_path) -> None:
    import docx

    page = tmp_path / "fees.html"
    page.write_text("<html><body><article><h1>收费标准</h1><table><thead><tr><th>项目</th><th>价格</th></tr></thead>"
                    "<tbody><tr><td>成人票</td><td>60元</td></tr><tr><td>儿童票</td><td>30元</td></tr></tbody>"
                    "</table><p>六十五岁以上老人免票。</p></article></body></html>", encoding="utf-8")
    texts = [ln.text for ln in read(page).lines if ln.text]
    assert texts == ["收费标准", "项目：成人票，价格：60元", "项目：儿童票，价格：30元", "六十五岁以上老人免票。"]

    d = docx.Document()
    plain = d.add_table(rows=2, cols=3)  # no header marked: the cells are only joined
    for cell, text in zip(plain.rows[0].cells + plain.rows[1].cells, ["投影仪", "爱普生", "2台", "话筒", "索尼", "4个"]):
        cell.text = text
    form = d.add_table(rows=2, cols=2)  # (a form's labels, each before its value, make fields)
    for cell, text in zip(form.rows[0].cells + form.rows[1].cells, ["姓名", "张三", "电话", "123456"]):
        cell.text = text
    path = tmp_path / "form.docx"
    d.save(str(path))
    assert [ln.text for ln in read(path).lines if ln.text] == ["投影仪 | 爱普生 | 2台", "话筒 | 索尼 | 4个", "姓名：张三",
                                                               "电话：123456"]


def test_a_page_laid_out_with_a_table_keeps_its_paragraphs(tmp_path) -> None:
    page = tmp_path / "old.html"
    page.write_text("<html><body><table><tr><td><h1>通知</h1><p>明天停课一天。</p></td></tr>"
                    "<tr><td>版权所有</td><td>电话 1234</td></tr></table></body></html>", encoding="utf-8")
    assert [ln.text for ln in read(page).lines if ln.text] == ["通知", "明天停课一天。", "版权所有 | 电话 1234"]


def test_a_pages_name_in_its_header_titles_it_and_an_articles_own_header_is_kept(tmp_path) -> None:
    """A shop's page names itself in its header's h1 (dropped with the header, so the page had no title); a blog
    post's title and byline sit in the article's own header (dropped too). An article's own heading titles it,
    not the site's name over it."""
    shop = tmp_path / "shop.html"
    shop.write_text("<html><body><header><h1>青柚小厨</h1><p>家常川菜</p></header><nav><a href='/'>首页</a></nav>"
                    "<main><p>本店开业于2015年。</p><p>营业时间：10:00-21:00</p></main></body></html>", encoding="utf-8")
    lines = [(ln.text, ln.level) for ln in read(shop).lines if ln.text]
    assert lines == [("青柚小厨", 1), ("本店开业于2015年。", 0), ("营业时间：10:00-21:00", 0)]
    assert {c.article for c in parse(read(shop), "shop.html")} == {"青柚小厨"}
    shop.write_text("<html><body><header><h1>青柚小厨</h1></header><main><h2>九月品鉴会</h2><p>9月21日下午举行。</p>"
                    "</main></body></html>", encoding="utf-8")
    assert [ln.text for ln in read(shop).lines if ln.text] == ["九月品鉴会", "9月21日下午举行。"]
    # A trail of links from the site's home to the page is where the page is, not its text.
    shop.write_text("<html><body><div class='crumbs'><a href='/'>首页</a> &gt; <a href='/help'>帮助中心</a> &gt; 退票"
                    "</div><div><h1>退票规则</h1><p>开车前8天以上退票不收退票费。</p></div></body></html>", encoding="utf-8")
    assert [ln.text for ln in read(shop).lines if ln.text] == ["退票规则", "开车前8天以上退票不收退票费。"]
    post = tmp_path / "post.html"
    post.write_text("<html><body><header><h1>某某博客</h1></header><article><header><h1>秋游记</h1>"
                    "<p>作者：李青</p></header><p>十月我们去了西山。</p></article></body></html>", encoding="utf-8")
    assert [ln.text for ln in read(post).lines if ln.text] == ["秋游记", "作者：李青", "十月我们去了西山。"]


def test_lines_a_br_parts_are_one_paragraph_and_two_brs_part_paragraphs(tmp_path) -> None:
    """A review set as its writer's line, <br>, what it says, was cut into two passages: the name apart from the
    words. One <br> breaks a line of a paragraph; two end it."""
    page = tmp_path / "reviews.html"
    page.write_text("<html><body><main><h2>用户评价</h2><div class='review'><b>云朵</b> ★★★★☆ 2024-03-12<br>"
                    "杯子很轻，保温六小时。</div><div class='review'><b>阿木</b> ★★☆☆☆ 2024-04-02<br>盖子漏水。</div>"
                    "<p>第一段。<br><br>第二段。</p></main></body></html>", encoding="utf-8")
    assert [c.text for c in parse(read(page), "reviews.html")] == [
        "云朵 ★★★★☆ 2024-03-12\n杯子很轻，保温六小时。", "阿木 ★★☆☆☆ 2024-04-02\n盖子漏水。", "第一段。", "第二段。"]


def test_a_pages_spaced_fields_score_box_and_definition_list_are_read_as_set(tmp_path) -> None:
    """A job post set its fields apart with spaces (招聘人数：3人　　<span>薪资…</span>), which were stripped away
    and glued the fields (3人薪资); a review's score card, an <aside> of the article's own, was dropped as a
    sidebar; and a definition list's terms and values were passages of a word each."""
    page = tmp_path / "page.html"
    page.write_text("<html><body><aside><a href='/a'>相关文章一</a><a href='/b'>相关文章二</a></aside><article>"
                    "<h1>岗位与评分</h1><p>工作地点：杭州　　招聘人数：3人　　<span>薪资：12K–18K</span></p>"
                    "<p>这是一段在源码里\n    折行的中文句子。</p>"
                    "<aside class='score'><h3>评分卡</h3><dl><dt>本站评分</dt><dd>7.9 / 10</dd><dt>配乐</dt>"
                    "<dd>★★★☆☆</dd></dl></aside><aside><a href='/x'>上一篇</a> <a href='/y'>下一篇</a></aside>"
                    "<aside class='related'><h3>相关新闻</h3><p><a href='/z'>某地开展评选</a>：活动持续一个月，共评出十佳。</p>"
                    "</aside><aside class='ad-box'>幸福家政，电话400-800-0000</aside><p>正文最后一段。</p>"
                    "</article></body></html>", encoding="utf-8")
    assert [ln.text for ln in read(page).lines if ln.text] == [
        "岗位与评分", "工作地点：杭州 招聘人数：3人 薪资：12K–18K", "这是一段在源码里折行的中文句子。", "评分卡",
        "本站评分：7.9 / 10", "配乐：★★★☆☆", "正文最后一段。"]
    # (The box's title heads the box alone, not the article after it; a box of links or an advert is dropped.)
    assert [(c.heading, c.text) for c in parse(read(page), "page.html")][-2:] == [
        ("", "本站评分：7.9 / 10\n配乐：★★★☆☆"), ("", "正文最后一段。")]


def test_a_header_of_two_rows_labels_each_column_by_both(tmp_path) -> None:
    """A vote table heads its columns with 同意 over 票数 | 比例（%）: read as one header row, the second row was a row
    of values (同意：票数，比例（%）) and each value lost what it counts."""
    from rag.lines import table_lines

    printed = [["类型", "同意", "", "反对", ""], ["", "票数", "比例（%）", "票数", "比例（%）"], ["A股", "900", "90.0", "100", "10.0"]]
    merged = [["类型", "同意", "同意", "反对", "反对"], ["类型", "票数", "比例（%）", "票数", "比例（%）"],
              ["A股", "900", "90.0", "100", "10.0"]]
    for rows in (printed, merged):  # a PDF leaves a spanned cell empty; Word repeats it
        assert table_lines(rows, True) == ["类型：A股，同意票数：900，同意比例（%）：90.0，反对票数：100，反对比例（%）：10.0"]
    # A second row of values, or of labels under no spanning one, is a row, as before.
    assert table_lines([["项目", "金额"], ["学费", "5000"], ["住宿", "1200"]], True) == ["项目：学费，金额：5000",
                                                                                      "项目：住宿，金额：1200"]
    assert table_lines([["甲", "乙"], ["丙", "丁"], ["1", "2"]], True) == ["甲：丙，乙：丁", "甲：1，乙：2"]
    # A first row of values under a spanning label is a row (review): 化学实验室 names something under 实验室.
    lab = [["实验室", "管理员", "", "楼层"], ["化学实验室", "钱伟", "林梅", "三楼"], ["物理实验室", "郭强", "宋佳", "二楼"]]
    assert table_lines(lab, True)[0] == "实验室：化学实验室，管理员：钱伟，林梅，楼层：三楼"
    page = tmp_path / "votes.html"
    page.write_text("<html><body><main><table><tr><th rowspan='2'>类型</th><th colspan='2'>同意</th></tr>"
                    "<tr><th>票数</th><th>比例（%）</th></tr><tr><td>A股</td><td>900</td><td>90.0</td></tr></table>"
                    "<table><tr><th>项目</th><th>金额</th></tr><tr><td>学费</td><td>5000</td></tr>"
                    "<tr><td colspan='2'>合计 5000</td></tr></table><table><tr><th>日期</th><th colspan='2'>值班</th>"
                    "</tr><tr><td>周一</td><td>王磊</td><td>刘涛</td></tr><tr><td colspan='3'>地点均在三楼</td></tr>"
                    "</table></main></body></html>", encoding="utf-8")
    assert [ln.text for ln in read(page).lines if ln.text] == ["类型：A股，同意票数：900，同意比例（%）：90.0",
                                                               "项目：学费，金额：5000", "合计 5000",
                                                               "日期：周一，值班：王磊，值班：刘涛", "地点均在三楼"]


def test_table_lines_keep_rows_whose_cells_do_not_match_the_header() -> None:
    from rag.lines import table_lines

    rows = [["地区", "人数", "占比"], ["东部", "120", "40%"], ["合计", "300"], ["", "", ""]]
    assert table_lines(rows, header=True) == ["地区：东部，人数：120，占比：40%", "合计 | 300"]
    assert table_lines(rows, header=False) == ["地区 | 人数 | 占比", "东部 | 120 | 40%", "合计 | 300"]


def test_a_forms_table_of_labels_and_values_reads_as_its_fields() -> None:
    """A résumé's or a form's table has no header row: each row is labels each followed by its value. Its rows read
    as fields (姓名：林青，性别：女), not as cells in a row that a question's words never match as a field."""
    from rag.lines import row_cells, table_lines

    form = [["姓名", "林青", "性别", "女"], ["出生年月", "1990年5月", "籍贯", "浙江省青田县"],
            ["住址", "青田县鹤城街道8号", "青田县鹤城街道8号", ""]]
    assert table_lines(form, header=False)[:2] == ["姓名：林青，性别：女", "出生年月：1990年5月，籍贯：浙江省青田县"]
    assert table_lines(form, header=False)[2] == "住址：青田县鹤城街道8号"  # a value merged across three columns
    assert row_cells(table_lines(form, header=False)[1]) == {"出生年月": "1990年5月", "籍贯": "浙江省青田县"}
    # A table of data with no header row, or of words alone, is no form.
    assert table_lines([["投影仪", "爱普生", "2", "正常"], ["话筒", "索尼", "4", "损坏"]], header=False)[0] == \
        "投影仪 | 爱普生 | 2 | 正常"
    assert table_lines([["苹果", "红色"], ["香蕉", "黄色"]], header=False) == ["苹果 | 红色", "香蕉 | 黄色"]


def test_a_labelled_row_is_read_back_into_its_cells_and_a_sentence_is_no_row() -> None:
    from rag.lines import row_cells, table_lines

    rows = [["地区", "人数", "备注"], ["东部", "120", "含新区，不含开发区"]]
    assert row_cells(table_lines(rows, header=True)[0]) == {"地区": "东部", "人数": "120", "备注": "含新区，不含开发区"}
    for text in ("今年共招收新生120人，比去年多20人。", "联系人：王明", "地区：东部，人数：", "东部 | 120"):
        assert row_cells(text) is None, text


def test_word_headings_made_by_hand_are_headings(tmp_path) -> None:
    import docx
    from docx.shared import Pt

    def make(name: str, paras: list[tuple[str, float | None, bool]]) -> Path:
        d = docx.Document()
        for text, size, bold in paras:
            run = d.add_paragraph().add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
        path = tmp_path / name
        d.save(str(path))
        return path

    body = "第一条 为规范物业服务收费行为，保障业主和物业服务企业的合法权益，制定本办法。"
    rules = make("rules.docx", [("物业服务收费管理办法", 18, True), ("第一章 总则", None, True), (body, None, False),
                                ("第二章 收费标准", None, True), ("第二条 一级服务标准每月每平方米不超过1.8元。", None, False)])
    levels = [(ln.text, ln.level) for ln in read(rules).lines if ln.text]
    assert levels == [("物业服务收费管理办法", 1), ("第一章 总则", 2), (body, 0), ("第二章 收费标准", 2),
                      ("第二条 一级服务标准每月每平方米不超过1.8元。", 0)]
    chunks = parse(read(rules), "rules.docx")
    assert [c.heading for c in chunks] == ["第一章 总则", "第二章 收费标准"]
    # Bold is no mark of a heading in a document whose text is all bold.
    loud = make("loud.docx", [("通知", None, True), (body, None, True), ("第二章 收费标准", None, True)])
    assert all(ln.level == 0 for ln in read(loud).lines)


def test_word_numbers_its_lists_and_the_reader_shows_the_numbers(tmp_path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from rag.discourse import point_of

    d = docx.Document()
    d.add_heading("报销流程", level=1)
    d.add_paragraph("报销时按以下步骤办理：")
    for t in ("在OA系统填写报销单；", "粘贴并上传原始票据；", "部门负责人审核签字。"):
        d.add_paragraph(t, style="List Number")
    for t in ("电子发票另交PDF文件；", "纸质发票贴在粘贴单上。"):  # under the last step, a list of its own
        d.add_paragraph(t, style="List Number 2")
    d.add_paragraph("单次报销5000元以上的，还须财务总监审批。")
    d.add_paragraph("注意事项", style="List Bullet")  # a bullet is no number
    # A list Word restarts (Restart at 1): a list of the same definition that starts its first level over.
    numbering = d.part.numbering_part.element
    again = numbering.num_having_numId(d.styles["List Number"]._element.pPr.numPr.numId.val).abstractNumId.val
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="{again}"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    # Two levels of one list (一、 over （1）): the second starts again under each item of the first.
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                     '</w:lvl>' for i, fmt, text in ((0, "chineseCounting", "%1、"), (1, "decimal", "（%2）")))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="80">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="80"/></w:num>'))

    def item(text: str, num: int, level: int = 0) -> None:
        d.add_paragraph(text)._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'))

    item("退回重填的报销单重新排队。", 90)
    for text, level in (("审批", 0), ("出差前提交申请单；", 1), ("超过3天由副总审批。", 1), ("报销", 0),
                        ("15个工作日内办理。", 1)):
        item(text, 91, level)
    path = tmp_path / "steps.docx"
    d.save(str(path))
    assert [ln.text for ln in read(path).lines if ln.text] == [
        "报销流程", "报销时按以下步骤办理：", "1. 在OA系统填写报销单；", "2. 粘贴并上传原始票据；", "3. 部门负责人审核签字。",
        "1. 电子发票另交PDF文件；", "2. 纸质发票贴在粘贴单上。", "单次报销5000元以上的，还须财务总监审批。", "注意事项",
        "1. 退回重填的报销单重新排队。", "一、审批", "（1）出差前提交申请单；", "（2）超过3天由副总审批。", "二、报销",
        "（1）15个工作日内办理。"]
    # The second step is a point its list numbers 2, as a list typed with its numbers is.
    second = [c for c in parse(read(path), "steps.docx") if c.text.startswith("2. 粘贴")]
    assert second and second[0].article == "报销流程" and point_of(second[0].text)[1] == 2  # its one Heading 1


def test_a_leaflet_in_word_bold_labels_sit_under_its_styled_title(tmp_path) -> None:
    # A Heading 1 title over labels made bold by hand (【用法用量】): the labels are its sections, not above it.
    import docx

    d = docx.Document()
    d.add_heading("清咽含片说明书", level=1)
    d.add_paragraph("请仔细阅读说明书并按说明使用。")
    for label, text in (("【药品名称】", None), (None, "通用名称：清咽含片"), ("【规格】", "每片重0.5克"),
                        ("【用法用量】", None), (None, "含服，一次2片，一日3次。"), ("【儿童用量】", None),
                        ("【1-3岁】", "一次半片。"), ("【4-6岁】", "一次1片。")):
        para = d.add_paragraph()
        if label:
            para.add_run(label).bold = True
        if text:
            para.add_run(text)
    path = tmp_path / "leaflet.docx"
    d.save(str(path))
    cs = {c.text: c for c in parse(read(path), "leaflet.docx")}
    assert {c.article for c in cs.values()} == {"清咽含片说明书"}
    assert cs["通用名称：清咽含片"].heading == "【药品名称】"
    assert cs["含服，一次2片，一日3次。"].heading == "【用法用量】"
    # Bracketed fields under a label (【1-3岁】… under 【儿童用量】) are its own.
    assert cs["【1-3岁】一次半片。"].heading == cs["【4-6岁】一次1片。"].heading == "【儿童用量】"
    # (Review.) A title made by hand in larger type over Heading 1 sections keeps its rank: it titles them.
    from docx.shared import Pt

    d = docx.Document()
    big = d.add_paragraph().add_run("设备采购合同")
    big.bold, big.font.size = True, Pt(22)
    d.add_heading("第一条 标的", level=1)
    d.add_paragraph("乙方向甲方供应数控机床两台。")
    d.add_heading("第二条 价款", level=1)
    d.add_paragraph("合同总价为人民币三十万元。")
    path = tmp_path / "contract.docx"
    d.save(str(path))
    assert {c.article for c in parse(read(path), "contract.docx")} == {"设备采购合同"}


def test_text_set_straight_in_a_container_is_read_and_link_lists_are_not(tmp_path) -> None:
    page = tmp_path / "news.html"
    page.write_text(
        '<html><body><div class="links"><a href="/">首页</a> <a href="/a">政务公开</a></div>'
        '<h1>我市启动义务教育招生</h1><div class="info">发布时间：2025-05-06 来源：市教育局</div>'
        '<div class="content">小学一年级报名时间为6月1日至10日。<br>初中一年级报名时间为6月15日至25日。'
        '<p>详情见<a href="/x">招生公告</a>。</p><ul><li>随迁子女<ul><li>凭居住证报名。</li></ul></li></ul></div>'
        '</body></html>', encoding="utf-8")
    assert [(ln.text, ln.level) for ln in read(page).lines if ln.text] == [
        ("我市启动义务教育招生", 1), ("发布时间：2025-05-06 来源：市教育局", 0),
        ("小学一年级报名时间为6月1日至10日。", 0), ("初中一年级报名时间为6月15日至25日。", 0), ("详情见招生公告。", 0),
        ("随迁子女", 0), ("凭居住证报名。", 0)]


def test_a_page_with_one_title_and_no_sections_gives_its_paragraphs_the_title_as_their_topic(tmp_path) -> None:
    from rag.keyword import Keyword, context_of

    page = tmp_path / "notice.html"
    page.write_text("<html><body><h1>关于青石小区临时停电的通知</h1><p>青石小区将于6月3日上午停电。</p>"
                    "<p>青石物业服务中心</p><p>2025年5月30日</p></body></html>", encoding="utf-8")
    chunks = parse(read(page), "notice.html")
    # its last lines sign it: one byline, each line a sentence
    assert (chunks[-1].text, chunks[-1].kind) == ("青石物业服务中心\n2025年5月30日", "byline") and not chunks[-1].heading
    # what is embedded and searched holds the title, so a question about the notice finds its date line
    assert all(c.context.startswith("关于青石小区临时停电的通知\n") for c in chunks)
    assert context_of(chunks[-1].text, chunks[-1].metadata()) == chunks[-1].context
    kw = Keyword.build([(c.id, c.context) for c in chunks])
    assert kw.ids.index(chunks[-1].id) in dict(kw.search("通知", 10))


def test_a_pdf_table_is_read_as_labelled_rows_and_bold_lines_head_sections(tmp_path) -> None:
    """A page printed to PDF by a browser, as users make them: a ruled table with a bold header, bold headings."""
    import shutil
    import subprocess

    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium to print the page")
    page = tmp_path / "notice.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><style>body{font-family:"Noto Sans CJK SC";font-size:13px}'
        "td,th{border:1px solid #000;padding:4px} table{border-collapse:collapse} h3{font-size:13px}</style></head>"
        "<body><p>现将2025年度职工健康体检有关事项通知如下。</p><h3>一、体检时间与地点</h3><table>"
        "<tr><th>部门</th><th>体检日期</th></tr><tr><td>研发中心</td><td>6月3日</td></tr>"
        "<tr><td>市场部</td><td>6月5日</td></tr></table><h3>二、注意事项</h3><p>体检前一天晚上十点后禁食禁水。</p>"
        "</body></html>", encoding="utf-8")
    pdf = tmp_path / "notice.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", str(page)], check=True, capture_output=True,
                   timeout=120)
    chunks = parse(read(pdf), "notice.pdf")
    table = next(c for c in chunks if "研发中心" in c.text)
    assert table.text == "部门：研发中心，体检日期：6月3日\n部门：市场部，体检日期：6月5日"
    assert table.heading == "一、体检时间与地点"  # bold at the body's size
    assert next(c for c in chunks if "禁食" in c.text).heading == "二、注意事项"



def test_a_header_row_set_as_plainly_as_the_body_is_found_by_its_columns(tmp_path) -> None:
    """A Word table whose header row is neither bold nor marked to repeat: its columns of amounts and of same-length
    dates under labels tell it apart, and each row says what its cells are. A table of label-value pairs has none."""
    import docx

    from rag.lines import header_by_columns, table_lines

    d = docx.Document()
    d.add_paragraph("附件：租金支付计划表")
    rows = [["期次", "计租期间", "金额（元）"], ["第1期", "2025年5月1日至7月31日", "95991.00"],
            ["第2期", "2025年8月1日至10月31日", "95991.00"], ["第3期", "2025年11月1日至1月31日", "63994.00"]]
    table = d.add_table(rows=len(rows), cols=3)
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    d.save(str(tmp_path / "lease.docx"))
    texts = [ln.text for ln in read(tmp_path / "lease.docx").lines if ln.text]
    assert texts[1:] == ["期次：第1期，计租期间：2025年5月1日至7月31日，金额（元）：95991.00",
                         "期次：第2期，计租期间：2025年8月1日至10月31日，金额（元）：95991.00",
                         "期次：第3期，计租期间：2025年11月1日至1月31日，金额（元）：63994.00"]
    assert header_by_columns([["房型", "价格"], ["标准间", "380"], ["大床房", "420"], ["套房", "880"]])
    assert header_by_columns([["房型", "价格"], ["大床房", "380元"], ["标准间", "420元"], ["行政间", "880元"]])
    # Numbers under a word outweigh columns of labels as long as their own (学制 over 四年, 所在校区 over 东山校区).
    assert header_by_columns([["专业", "学制", "所在校区", "学费"], ["护理学", "四年", "东山校区", "5,200"],
                              ["临床医学", "五年", "西湖校区", "6,800"], ["药学", "四年", "东山校区", "5,500"]])
    # A value said in words over numbers is a row of values (review).
    assert not header_by_columns([["儿童", "免费"], ["学生", "60"], ["成人", "120"], ["老人", "60"]])
    assert not header_by_columns([["姓名", "张三"], ["性别", "男"], ["出生日期", "1990年1月"], ["电话", "13800000000"]])
    # A form: one column of labels of one length (申请人, then four-character ones) is no header.
    assert not header_by_columns([["申请人", "王丽华"], ["联系电话", "13812345678"], ["身份证号", "330102199001011234"],
                                  ["家庭住址", "松岭市人民路8号"]])
    assert not header_by_columns([["标准间", "380"], ["大床房", "420"], ["套房", "880"]])
    assert not header_by_columns([["8:00", "签到"], ["9:00", "开幕式"], ["10:30", "分组讨论"]])
    # A share is a number (3.41% beside 86,420): a quarterly report's column of figures under its period.
    assert header_by_columns([["项目", "本报告期（7-9月）", "上年同期", "同比增减"], ["营业收入", "86,420", "71,350", "21.12%"],
                              ["净利润", "9,318", "8,102", "不适用"], ["净资产收益率", "3.41%", "3.18%", "增加0.23个百分点"]])
    # Amounts under words in three columns (保险金额 over 300万元, 每日200元): a header, though no cell is a bare number.
    assert header_by_columns([["保障项目", "年度保险金额", "免赔额"], ["住院医疗", "200万元", "1万元"],
                              ["门诊手术费用", "50万元", "0元"], ["重症住院津贴", "每日100元，最高30日", "无"]])
    # Nor under a first row of values (免费 over prices: a ticket table with no header row).
    assert not header_by_columns([["儿童票", "免费", "身高1.2米以下儿童"], ["成人全价票", "120元", "年满18周岁"],
                                  ["学生票", "60元", "凭学生证购买"]])
    # Not in two: a specification's rows of names and values.
    assert not header_by_columns([["品牌", "清风"], ["型号", "KJ500"], ["净重", "8.6kg"], ["功率", "55W"]])
    # Amounts of one length under words (收费 over 3150元, 3480元) vote as amounts, not by their length alone.
    assert header_by_columns([["课程", "适合对象", "收费", "说明"], ["启蒙班", "幼儿园大班", "3150元", "每周一次"],
                              ["少儿提高班", "小学生", "3480元", "每周两次，含教材"], ["竞赛班", "初中生", "5260元", "小班授课"]])
    # A row repeating one value over most of its cells (另行报批 in every amount column), or of merged cells, does
    # not vote: the rows above it still tell the header.
    levels = [["职级", "适用范围", "住宿上限", "餐费补助", "市内交通"],
              ["经理", "各部门经理", "460元/晚", "90元/天", "45元/天"],
              ["主管", "各组主管", "380元/晚", "70元/天", "35元/天"],
              ["专员", "其他员工", "320元/晚", "55元/天", "25元/天"]]
    assert header_by_columns([*levels, ["外派", "驻外人员", "另行报批", "另行报批", "另行报批"]])
    assert header_by_columns([*levels, ["注：以上标准含税"]])
    # A note written in every cell of its row (or merged across it) is written once, not labelled (review).
    hotels = [["酒店", "房型", "协议价"], ["湖滨宾馆", "标准间", "480元"], ["溪畔酒店", "大床房", "560元"],
              ["快捷酒店", "标准间", "260元"], ["以上价格均含早餐"] * 3]
    assert table_lines(hotels, header_by_columns(hotels))[1:] == [
        "酒店：溪畔酒店，房型：大床房，协议价：560元", "酒店：快捷酒店，房型：标准间，协议价：260元", "以上价格均含早餐"]
    assert table_lines([["项目", "犬", "猫"], ["挂号", "30元", "30元"]], True) == ["项目：挂号，犬：30元，猫：30元"]
    # Amounts in most rows of two columns (one row saying its amount in words, 按实际租金) under labels: a header.
    assert header_by_columns([["住房类型", "补贴标准", "发放周期"], ["普通住房", "每人每月900元", "每2个月一次"],
                              ["人才公寓", "按实际租金补贴", "每年一次"], ["集体宿舍", "每人每月300元", "每2个月一次"]])
    # A first row naming a column of notes is a header, whatever the rows below hold.
    assert header_by_columns([["项目", "收费标准", "备注"], ["挂失", "每次50元", "开通保障的免收"],
                              ["补卡", "每卡20元", "到期换卡免费"], ["取现利息", "日利率万分之五", "无免息期"]])
    # One such column is no header: a headerless list's last column (review).
    assert not header_by_columns([["陈明", "技术部", "见群公告"], ["司徒雅琴", "人事部行政组", "分机8020"],
                                  ["刘强", "销售一部", "分机8031"], ["上官文", "财务", "暂无"]])
    # Prices repeated across a row still vote (学费 the same on three campuses); a price said in words over prices
    # is a row of values, not a header (review).
    campuses = [["项目", "东区", "西区", "南区", "北区"], ["学费", "5000元", "5000元", "5000元", "4800元"],
                ["住宿费", "1200元", "1200元", "1200元", "1200元"], ["保险费", "100元", "100元", "100元", "100元"]]
    assert header_by_columns(campuses)
    assert not header_by_columns([["早餐", "自助餐厅", "免费"], ["午餐", "中餐厅", "68元"], ["晚餐", "中餐厅", "88元"],
                                  ["夜宵", "大堂吧", "38元"]])


def _printed(page: Path, body: str) -> Path:
    """A page of ruled tables in a Chinese font, printed to PDF by Chromium (skipped without it)."""
    import shutil
    import subprocess

    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium to print the page")
    page.write_text(
        '<html><head><meta charset="utf-8"><style>body{font-family:"Noto Sans CJK SC";font-size:13px}'
        "td,th{border:1px solid #000;padding:4px} table{border-collapse:collapse}</style></head>"
        f"<body>{body}</body></html>", encoding="utf-8")
    pdf = page.with_suffix(".pdf")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", str(page)], check=True, capture_output=True,
                   timeout=120)
    return pdf


@pytest.mark.slow
def test_a_pdf_table_running_onto_the_next_page_keeps_its_header_there(tmp_path) -> None:
    """A browser prints a long table over two pages with its header row on the first only: the rows on the second
    were read as bare cells (整机净重 | 8.6 kg) and their passage was cited by the first page alone."""
    rows = "".join(f"<tr><td>第{n}号站点</td><td>{100 + n}个车位</td></tr>" for n in range(1, 71))
    pdf = _printed(tmp_path / "sites.html",
                   f"<p>全市公共自行车站点的车位数如下表。</p><table><tr><th>站点</th><th>车位数</th></tr>{rows}</table>"
                   "<p>以上站点全天开放。</p>")
    doc = read(pdf)
    rows_read = [ln for ln in doc.lines if "号站点" in ln.text]
    assert len(rows_read) == 70 and len({ln.page for ln in rows_read}) >= 2
    assert all(ln.text == f"站点：第{n}号站点，车位数：{100 + n}个车位" for n, ln in enumerate(rows_read, start=1))
    assert any(c.end_page != c.page for c in parse(doc, "sites.pdf") if "号站点" in c.text)


@pytest.mark.slow
def test_a_pdf_tables_last_row_alone_on_the_next_page_is_labelled_by_its_header(tmp_path) -> None:
    """One row of a table run onto the next page is a table of one row there, which was skipped: its cells were
    read as loose lines (轮胎换位 / 查 查 查 / 及气压), a heading and bare words."""
    rows = "".join(f"<tr><td>第{n}项检查</td><td>每{n}个月</td><td>免费</td></tr>" for n in range(1, 4))
    last = "<tr style='break-before: page'><td>轮胎换位<br>及气压</td><td>每6个月</td><td>收费</td></tr>"
    pdf = _printed(tmp_path / "care.html",
                   f"<p>保养项目如下表。</p><table><tr><th>项目</th><th>周期</th><th>费用</th></tr>{rows}{last}</table>")
    doc = read(pdf)
    assert "项目：轮胎换位及气压，周期：每6个月，费用：收费" in [ln.text for ln in doc.lines], [ln.text for ln in doc.lines]
    assert any(ln.page == 2 for ln in doc.lines if "轮胎换位" in ln.text)


PLAN_TITLE = "松风市社区图书馆联盟2026年度阅读推广工作计划与实施方案"  # too long for one line at the title's size
PLAN_ITEMS = [  # a two-level numbered list; a second-level item of each wraps (the first onto a third line)
    ("改善阅读环境", [("改造西区阅览室，增设无障碍通道和老年人专用座位六十个，改造期间读者可前往东区阅览室借阅，"
                 "东区阅览室周末延长开放一小时，改造工程预计在2026年11月完工；"), "延长周末开放时间一小时。"]),
    ("扩充馆藏资源", ["新增中文图书三万册，其中少儿读物不少于八千册，全部图书计划在今年九月底以前完成编目和上架工作；",
                "订阅数字期刊两百种。"]),
]
# Long enough that most body lines start at the margin, as on a page of text (not mostly list) they do.
PLAN_AIM = ("联盟将围绕全民阅读开展工作，力争全年到馆读者人次比上年增长百分之十五，并在各街道新设阅读点，"
            "让市民步行十五分钟即可借到图书。联盟成员馆实行通借通还，读者在任一成员馆借阅的图书可在其他成员馆归还，"
            "联盟还将每季度举办一次主题书展，并组织志愿者走进社区和学校开展亲子阅读活动，全年不少于两百场。"
            "各成员馆应在每月五日前报送上月的借阅数据，由联盟秘书处汇总分析后向社会公布，"
            "读者也可以通过联盟的微信公众号查询各馆的开放时间、座位余量和新书推荐书目。")
PLAN_CLOSING = "联盟将继续以读者满意为目标，推动全市公共阅读服务均衡发展。"


def make_plan_pdf(path: Path) -> Path:
    """The plan as reportlab sets it: a large centred title that wraps, section headings, a two-level list."""
    # The first item's items have their markers hanging left of the text and wrap under the text; the second's are
    # numbered by hand and wrap under the number.
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=24, leading=36, alignment=TA_CENTER,
                           wordWrap="CJK", spaceAfter=12)
    head = ParagraphStyle("head", fontName="STSong-Light", fontSize=16, leading=24, spaceBefore=8, spaceAfter=6)
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK",
                          firstLineIndent=22, spaceAfter=6)
    outer = ParagraphStyle("outer", parent=body, firstLineIndent=0, bulletIndent=8, leftIndent=22, spaceAfter=2)
    inner = ParagraphStyle("inner", parent=outer, bulletIndent=26, leftIndent=40)
    typed = ParagraphStyle("typed", parent=outer, leftIndent=40)
    story = [Paragraph(PLAN_TITLE, title), Paragraph("一、总体目标", head), Paragraph(PLAN_AIM, body),
             Paragraph("二、重点工作", head), Paragraph("2026年，联盟将重点做好以下工作：", body)]
    for n, (item, subitems) in enumerate(PLAN_ITEMS, start=1):
        story.append(Paragraph(item, outer, bulletText=f"{n}."))
        story += [Paragraph(sub, inner, bulletText=f"{k}.") if n == 1 else Paragraph(f"{k}. {sub}", typed)
                  for k, sub in enumerate(subitems, start=1)]
    story.append(Paragraph(PLAN_CLOSING, body))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_a_pdf_list_item_that_wraps_is_one_line_of_text(tmp_path) -> None:
    doc = read(make_plan_pdf(tmp_path / "plan.pdf"))
    chunks = parse(doc, "plan.pdf")
    items = [f"{k}. {sub}" for _, subs in PLAN_ITEMS for k, sub in enumerate(subs, start=1)]
    # Each item whole, a passage of its own, its wrapped lines joined onto it; none taken for a heading.
    assert [c.text for c in chunks if c.text in items] == items
    assert all(c.kind == "body" for c in chunks if c.text in items)
    wrapped = next(c for c in chunks if c.text == items[0])
    assert wrapped.end_line - wrapped.start_line == 2, "three printed lines, one item"
    assert {c.heading for c in chunks} == {"一、总体目标", "二、重点工作", "二、重点工作 / 1. 改善阅读环境",
                                         "二、重点工作 / 2. 扩充馆藏资源"}  # a numbered item heads under its section
    assert sum(c.text == PLAN_CLOSING for c in chunks) == 1


def test_a_pdf_title_that_wraps_is_one_heading(tmp_path) -> None:
    doc = read(make_plan_pdf(tmp_path / "plan.pdf"))
    assert [(ln.text, ln.level) for ln in doc.lines if ln.level] == [
        (PLAN_TITLE, 1), ("一、总体目标", 2), ("二、重点工作", 2)]
    chunks = parse(doc, "plan.pdf")
    assert all(c.article == PLAN_TITLE for c in chunks)
    assert next(c for c in chunks if "全民阅读" in c.text).heading == "一、总体目标"


@pytest.mark.slow
def test_a_page_printed_by_a_browser_keeps_its_wrapped_title_and_list_items_whole(tmp_path) -> None:
    """The plan as users print it: Chromium centres the wrapped title and hangs the list's markers left of the text."""
    import shutil
    import subprocess

    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium to print the page")
    lists = "".join(f"<li>{item}<ol>{''.join(f'<li>{sub}</li>' for sub in subs)}</ol></li>"
                    for item, subs in PLAN_ITEMS)
    page = tmp_path / "plan.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC";font-size:15pt;line-height:1.9}'
        'h1{font-size:24pt;text-align:center} h2{font-size:19pt} p{text-indent:2em}</style></head>'
        f"<body><h1>{PLAN_TITLE}</h1><p>{PLAN_AIM}</p><h2>一、重点工作</h2><p>2026年，联盟将重点做好以下工作：</p>"
        f"<ol>{lists}</ol><p>{PLAN_CLOSING}</p></body></html>", encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", str(page)], check=True, capture_output=True,
                   timeout=120)
    doc = read(pdf)
    assert [(ln.text, ln.level) for ln in doc.lines if ln.level] == [(PLAN_TITLE, 1), ("一、重点工作", 2)]
    chunks = parse(doc, "plan.pdf")
    items = [f"{k}. {sub}" for _, subs in PLAN_ITEMS for k, sub in enumerate(subs, start=1)]
    assert [c.text for c in chunks if c.text in items] == items
    assert all(c.article == PLAN_TITLE for c in chunks)
    assert {c.heading for c in chunks} - {"", "一、重点工作"} == {"一、重点工作 / 1. 改善阅读环境", "一、重点工作 / 2. 扩充馆藏资源"}


def test_a_numbered_paragraph_of_an_official_document_ends_where_the_next_paragraph_is_indented(tmp_path) -> None:
    """Items set as paragraphs (1、…, indented as every paragraph is, wrapped lines back at the margin): a line
    indented under the item's marker after its full last line is the next paragraph, not the item's."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=22)
    head = ParagraphStyle("head", fontName="STSong-Light", fontSize=16, leading=24, spaceAfter=6)
    fill = "各单位要严格落实安全生产责任制度加强日常巡查及时消除隐患确保人员和财产安全不发生重大事故" * 3
    aim = ("为做好本年度安全生产工作，现提出以下要点，请各单位结合实际认真贯彻落实，并于每季度末报送落实情况。县安委会办公室将不定期开展"
           "督查，督查结果纳入年度考核。各乡镇、各部门主要负责人是本地区本单位安全生产第一责任人，对安全生产工作负总责；分管负责人"
           "负直接领导责任。各单位要建立健全隐患排查治理台账，实行闭环管理，并按月报送隐患整改情况。")
    after = "县安委会将对落实不力的单位予以通报批评，情节严重的依法追究有关人员责任。"
    pdf = tmp_path / "points.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build([
        Paragraph("青溪县安全生产工作要点", head), Paragraph(aim, body), Paragraph(f"1、{fill[:73]}。", body),
        Paragraph(after, body)])
    doc = read(pdf)
    texts = [c.text for c in parse(doc, "points.pdf")]
    assert after in texts and any(t.startswith("1、") and t.endswith("。") and after not in t for t in texts), [
        ln.text for ln in doc.lines]
    # A list indented whole by the paragraph indent: an item's wrapped lines, under its marker, are still its own.
    block = ParagraphStyle("block", parent=body, firstLineIndent=0, leftIndent=22)
    items = [f"{k}. {fill[k:k + 70]}。" for k in (1, 2)]  # two lines each
    SimpleDocTemplate(str(pdf), pagesize=A4).build([
        Paragraph("青溪县安全生产工作要点", head), Paragraph(aim, body), Paragraph(aim, body),
        *(Paragraph(i, block) for i in items), Paragraph(after, body)])
    texts = [c.text for c in parse(read(pdf), "points.pdf")]
    assert [t for t in texts if t in items] == items and after in texts, texts


def test_a_ruled_pdf_table_whose_header_is_set_plainly_labels_its_rows(tmp_path) -> None:
    """A notice's subsidy table printed with no bold header row: its rows were bare cells (1 | 电冰箱 | 20% | 2000元),
    which say neither which is the share nor which the cap."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    rows = [["序号", "品类", "补贴比例", "单件上限"], ["1", "电饭煲", "15%", "300元"], ["2", "吸尘器", "10%", "500元"],
            ["3", "微波炉", "15%", "400元"]]
    table = Table(rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(str(tmp_path / "notice.pdf"), pagesize=A4).build(
        [Paragraph("补贴标准如下表：", body), table, Paragraph("补贴资金用完即止。", body)])
    texts = [ln.text for ln in read(tmp_path / "notice.pdf").lines if ln.text.strip()]
    assert "序号：2，品类：吸尘器，补贴比例：10%，单件上限：500元" in texts, texts


def test_an_ordered_lists_items_keep_the_numbers_the_browser_shows(tmp_path) -> None:
    """An <ol>'s items lost their numbers, so 温馨提示第三条 found no third point."""
    page = ("<html><body><h2>温馨提示</h2><ol><li>院内全面禁烟。</li><li>每位患者限一名家属陪同。</li>"
            "<li>发热患者请先到发热门诊就诊。</li></ol><ol start=\"4\"><li>请保管好随身物品。</li></ol>"
            "<ul><li>停车场在地下一层。</li></ul><ol><li>第一步：取号。</li><li>第二步：到窗口核验。</li></ol></body></html>")
    (tmp_path / "guide.html").write_text(page, encoding="utf-8")
    texts = [ln.text for ln in read(tmp_path / "guide.html").lines if ln.text.strip()]
    assert "3. 发热患者请先到发热门诊就诊。" in texts and "4. 请保管好随身物品。" in texts, texts
    assert "停车场在地下一层。" in texts  # a list without numbers has none
    assert "第二步：到窗口核验。" in texts  # numbered by hand: not twice


def test_a_line_broken_after_a_hyphen_or_a_slash_joins_without_a_space() -> None:
    from rag.lines import join_wrapped

    assert join_wrapped("董事会秘书电话：0571-", "88217650") == "董事会秘书电话：0571-88217650"
    assert join_wrapped("详见 https://www.example.com/", "notice/2026") == "详见 https://www.example.com/notice/2026"
    assert join_wrapped("the annual", "report") == "the annual report" and join_wrapped("年度", "报告") == "年度报告"


def test_a_table_aligned_with_spaces_in_plain_text_is_read_a_row_to_a_line(tmp_path) -> None:
    """A recall notice's batch table set with spaces ran together into one passage with the paragraph after it."""
    text = ("本次召回涉及以下批次：\n\n批次号        生产日期                  数量（台）\nQW24B01       2024年3月1日—3月31日      1,200\n"
            "QW24B02       2024年4月1日—4月30日      1,850\n\n上述产品售价为259元。\n")
    (tmp_path / "recall.txt").write_text(text, encoding="utf-8")
    lines = [ln.text for ln in read(tmp_path / "recall.txt").lines]
    assert lines[2:5] == ["", "批次号：QW24B01，生产日期：2024年3月1日—3月31日，数量（台）：1,200",
                          "批次号：QW24B02，生产日期：2024年4月1日—4月30日，数量（台）：1,850"], lines
    chunks = read_corpus([tmp_path]).chunks
    assert any(c.text == "上述产品售价为259元。" for c in chunks), [c.text for c in chunks]
    # Two lines so parted, or a line of two fields, are no table.
    assert read(tmp_path / "recall.txt").lines[0].text == "本次召回涉及以下批次："
    (tmp_path / "two.txt").write_text("姓名：王明    电话：13800000000\n地址：青石路8号    邮编：310000\n", encoding="utf-8")
    assert read(tmp_path / "two.txt").lines[0].text == "姓名：王明    电话：13800000000"
    # Code in a Markdown fence, aligned as it may be, stays code.
    (tmp_path / "code.md").write_text("```\nname    size    date\na.txt   12kb    2024-01-01\nb.txt   30kb    2024-02-01\n```\n",
                                      encoding="utf-8")
    assert "a.txt   12kb    2024-01-01" in [ln.text for ln in read(tmp_path / "code.md").lines]
    # A plain-text table merges no cells: a row's repeated value is each of its cells (found by a property test).
    (tmp_path / "scores.txt").write_text("王明\t90\t90\n李华\t85\t70\n赵敏\t60\t60\n", encoding="utf-8")
    assert read(tmp_path / "scores.txt").lines[0].text == "王明 | 90 | 90"
