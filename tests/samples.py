"""Real documents made on the fly: a Chinese PDF with page header and footer, a Word file with heading
styles, a web page with navigation around its article, and broken ones. Shared by tests and bench/formats.py.

The text is made up (a fictional college); each fact sits at a known page or under a known heading, so
a test can check that the citation names the place a reader would look.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEADER = "星河职业学院学生手册（2026年版）"


@dataclass(frozen=True)
class Fact:
    """A question the document answers, the words the answer must hold, and where it is printed."""

    question: str
    answer: str
    page: int | None = None
    heading: str = ""


# The handbook's pages: each page starts with a chapter heading; the paragraphs are long enough to wrap.
# Some ideographs are written as radical code points (⻔ for 门, ⽣ for 生, ⻓ for 长), as Chinese PDF
# producers often do; the reader must map them back or 门禁 in a question would not match.
HANDBOOK: list[tuple[str, list[str]]] = [
    ("第一章 总则", [
        "为规范学生日常管理，维护正常的教学和生活秩序，保障学生的合法权益，学院根据国家有关法律法规和"
        "教育部有关规定，结合本院实际情况，制定本手册。本手册适用于在本院接受全日制学历教育的全体学生。",
        "学生应当遵守宪法和法律法规，遵守学院的各项管理制度，尊敬师长，团结同学，勤奋学习，积极参加"
        "社会实践和志愿服务活动，养成良好的思想品德和行为习惯，努力成为德智体美劳全面发展的技术技能人才。",
        "学院设立学生事务中心，统一受理学生的咨询、申请和投诉，办公地点位于行政楼一层东侧，服务电话为"
        "0571-86001234，工作日上午八点半至下午五点对外办公，节假日期间另行通知。",
    ]),
    ("第二章 图书馆", [
        "图书馆是学院的文献信息中心，馆藏纸质图书约四十二万册，电子图书一百二十万种，订阅中外文期刊"
        "六百余种，为全院师生的教学、科研和学习提供文献保障和信息服务。",
        "每位学生凭校园卡最多可同时借阅12册图书，借期为30天，到期前可在网上续借一次，续借期限为15天。"
        "逾期未还的图书，每册每天收取滞纳金0.1元，逾期超过九十天的视为遗失，按图书原价的三倍赔偿。",
        "图书馆工作日的开放时间为早上八点至晚上十点，周末和法定节假日的开放时间为早上九点至晚上九点，"
        "寒暑假期间的开放时间由图书馆另行公告，请同学们留意学院网站上的通知。",
    ]),
    ("第三章 学生宿舍", [
        "学生宿舍实行统一管理，学生须按照学院安排的床位入住，不得擅自调换宿舍或床位，不得在宿舍内留宿"
        "外来人员，不得饲养宠物，不得使用大功率电器和明火，违者按照学院的有关规定给予相应处理。",
        "学生宿舍的⻔禁时间为晚上十一点，晚归的学⽣须在值班室登记姓名、学号和晚归原因，一学期内晚归"
        "超过三次的，由宿舍管理中心通知辅导员进行谈话教育，情节严重的给予通报批评。",
        "宿舍管理中心每学期组织两次安全卫生大检查，检查结果计入文明宿舍评比，连续两个学期被评为文明宿舍的"
        "寝室，每位成员可获得综合素质测评加分两分，并在学院的⻓廊宣传栏中公示表彰。",
    ]),
    ("第四章 奖学金", [
        "学院设立国家奖学金、国家励志奖学金和学院奖学金，学院奖学金分为一等、二等和三等三个等级，每学年"
        "评定一次，评定工作由学生工作部牵头，各系部具体组织实施，评定结果在全院范围内公示五个工作日。",
        "学院一等奖学金的奖励标准为每人每年8000元，获奖名额占在校学生总数的3%；二等奖学金的奖励标准为每人"
        "每年5000元，获奖名额占在校学生总数的6%；三等奖学金的奖励标准为每人每年2000元，获奖名额占在校学生"
        "总数的10%。同一学年内，学生不能同时获得学院奖学金和国家奖学金，但可以同时申请国家助学金。",
    ]),
    # One paragraph longer than a page: it goes on after the page break, past the footer and the next header.
    ("第五章 附则", ["".join(
        f"本手册第{n}项关于{topic}的规定，自2026年9月1日起施行，由学生工作部负责解释，此前发布的同类规定同时废止。"
        for n, topic in enumerate(["学籍", "考勤", "考试", "成绩", "转专业", "休学", "复学", "退学", "毕业", "学位",
                                   "选课", "重修", "补考", "实习", "社团", "宿舍", "餐饮", "医疗", "保险", "资助",
                                   "勤工", "助学", "评优", "处分", "申诉", "安全", "网络", "图书", "体育", "心理",
                                   "就业", "创业", "竞赛", "证书", "交流", "志愿", "党团", "军训", "离校", "档案"],
                                  start=1))]),
]

PDF_FACTS = [
    Fact("每位学生最多可以同时借阅多少册图书？", "12册", page=2),
    Fact("学生宿舍的门禁时间是几点？", "晚上十一点", page=3),
    Fact("学院一等奖学金的奖励标准是多少？", "8000元", page=4),
]


def make_pdf(path: Path, chapters: list[tuple[str, list[str]]] = HANDBOOK, header: str = HEADER) -> Path:
    """A text-layer PDF: one chapter per page, a running header and a "第 N 页" footer on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK",
                          firstLineIndent=22, spaceAfter=6)
    head = ParagraphStyle("head", fontName="STSong-Light", fontSize=16, leading=24, spaceAfter=10)

    def furniture(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawString(72, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 30, f"第 {doc.page} 页")
        canvas.restoreState()

    story: list = []
    for i, (title, paras) in enumerate(chapters):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(title, head))
        story += [Paragraph(p, body) for p in paras]
    SimpleDocTemplate(str(path), pagesize=A4, title=header).build(story, onFirstPage=furniture,
                                                                   onLaterPages=furniture)
    return path


def make_scan_pdf(path: Path) -> Path:
    """A PDF of one page that is only a picture of text (no text layer), like a scanner makes."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (800, 300), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 280, 30):
        draw.line((40, y, 760, y), fill=0, width=3)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(img), 50, 400, width=500, height=190)
    c.save()
    return path


def make_encrypted_pdf(path: Path, source: Path, password: str = "secret") -> Path:
    """The source PDF, password protected."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password)
    with path.open("wb") as f:
        writer.write(f)
    return path


NOTES_TITLE = "2026年第3次教务会议纪要"
NOTES: list[tuple[int, str, list[str]]] = [
    (1, "一、会议基本情况", [
        "会议于2026年3月12日下午在行政楼302会议室召开，由副院长林海主持，各系部主任和教务处全体人员共27人参加。",
    ]),
    (1, "二、议定事项", []),
    (2, "（一）课程改革", [
        "会议决定从2026年秋季学期起在机电工程系试点模块化课程，首批开设9门模块化课程，由教务处负责组织课程标准的编写。",
        "各系部须在4月30日前提交本系部的课程改革方案。",
    ]),
    (2, "（二）实训基地建设", [
        "新建的智能制造实训基地总投资460万元，建筑面积2400平方米，计划于2026年9月投入使用，可同时容纳240名学生开展实训。",
    ]),
    (1, "三、下次会议安排", [
        "下一次教务会议定于2026年4月16日召开，主要议题为期中教学检查情况通报。",
    ]),
]

DOCX_FACTS = [
    Fact("智能制造实训基地总投资多少？", "460万元", heading="实训基地建设"),
    Fact("首批开设多少门模块化课程？", "9门", heading="课程改革"),
    Fact("教务会议在哪个会议室召开？", "302会议室", heading="会议基本情况"),
]


def make_docx(path: Path) -> Path:
    """A Word file with a Title, Heading 1/2 styles, body paragraphs and a table."""
    import docx

    d = docx.Document()
    d.add_heading(NOTES_TITLE, level=0)
    for level, heading, paras in NOTES:
        d.add_heading(heading, level=level)
        for p in paras:
            d.add_paragraph(p)
    table = d.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["部门", "负责人", "完成时间"]):
        cell.paragraphs[0].add_run(text).bold = True  # a header row, as Word users mark one
    for cell, text in zip(table.rows[1].cells, ["教务处", "周明", "4月30日"]):
        cell.text = text
    d.save(str(path))
    return path


POLICY_TITLE = "星河职业学院校园网络使用规定"
POLICY: list[tuple[str, list[str]]] = [
    ("第一条 账号管理", [
        "每位在校学生可申请一个校园网账号，账号默认带宽为50Mbps，每月免费流量为100GB，超出部分按每GB 0.5元计费。",
        "账号仅限本人使用，不得转借他人，因转借造成的一切后果由账号持有人承担。",
    ]),
    ("第二条 无线网络", [
        "校园无线网络的名称为XH-Campus，覆盖全部教学楼、图书馆和学生宿舍，每个账号最多可同时登录3台设备。",
    ]),
    ("第三条 违规处理", [
        "利用校园网从事违法活动或者恶意攻击校园网络的，学院将立即停止其账号使用，并移交公安机关依法处理。",
    ]),
]
HTML_FACTS = [
    Fact("校园网账号的默认带宽是多少？", "50Mbps", heading="账号管理"),
    Fact("每个账号最多可同时登录几台设备？", "3台", heading="无线网络"),
]
NAV = ["首页", "学院概况", "新闻中心", "招生就业", "联系我们"]
FOOTER = "版权所有 © 2026 星河职业学院 地址：浙江省杭州市星河路88号 备案号：浙ICP备00000000号"


def make_html(path: Path) -> Path:
    """A saved web page: navigation, a header, the article (h1, h2 sections), a sidebar and a footer."""
    nav = "".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(NAV))
    sections = "".join(
        f"<h2>{h}</h2>" + "".join(f"<p>{p}</p>" for p in paras) for h, paras in POLICY
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{POLICY_TITLE} - 星河职业学院</title>
<style>body {{ font-family: sans-serif; }}</style><script>var tracker = "统计代码";</script></head>
<body>
<header><div class="logo">星河职业学院</div><nav><ul>{nav}</ul></nav></header>
<div class="breadcrumb">当前位置：首页 &gt; 规章制度</div>
<main><article><h1>{POLICY_TITLE}</h1><p class="meta">发布时间：2026-02-20 来源：信息中心</p>
{sections}</article>
<aside><h3>相关链接</h3><ul><li><a href="/a">图书馆</a></li><li><a href="/b">教务系统</a></li></ul></aside></main>
<footer><p>{FOOTER}</p></footer>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path
