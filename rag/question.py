"""What a question asks for, analysed once per ask: language, kind, answer type, focus, names, numbers, terms.

One table of measure words (rag/quantity.py, with how numbers and dates are written) and one of question words
(rag/interrogative.py) decide the answer type; rag/answertype.py reads the same tables to tell whether a sentence
holds a thing of that type (a number of the asked measure, a date, a person, a place, a reason), so the question
side and the sentence side cannot disagree.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .interrogative import (
    ANY_QUESTION_WORD,
    AnswerType,
    Kind,
    asks_for,
    compile_patterns,
)
from .lexicon import proper, translate, translations
from .pinyin import Romanised, english_words, romanised, syllables, titled
from .quantity import (
    DAY_OF_MONTH,
    DIMENSIONS,
    GENERAL_MEASURE,
    MEASURE_RE,
    MEASURES,
    NAMED_DAY,
    NUMBER,
    NUMERAL,
    OPENING_NOUNS,
    SMALL_NUMERALS,
    UNITS,
    Amount,
    chinese_numbers,
    small_number,
    small_numeral,
    stated_amounts,
    years_in,
)
from .script import Script, in_script
from .spelling import Respelling
from .text import (
    CJK,
    CLAUSE_MARK,
    STOPWORDS,
    SURNAMES,
    in_dictionary,
    language,
    segmenter,
    simplified,
    tagged,
    tokenize,
)

# What the noun asked about is counted in when the question names no measure (学费是多少, 就业率是多少): money or a
# share, which only a number in that unit answers (not 30个名额).
_MONEY_NOUN = re.compile(r"(?:[费价钱款薪租税]|(?<![黄白铂合五纯镀冶])金|金额|费用|价格|价位|开支|开销|花费|花销|支出|报酬|薪酬|资本|投资|收入|成本|预算|工资"
                         r"|补贴|补助|市值|产值|营收|利润|斥资|耗资"
                         r"|出资|融资|拨款)$")
# A size named by its noun (重量是多少, 面积是多少) is measured in that dimension's units (a unit of each stands for it).
_SIZE_NOUNS = [(re.compile(p + "$"), unit) for p, unit in (
    # (装机容量 is a power station's output, not a volume.)
    ("装机容量|装机规模|功率", "瓦"),
    ("体重|重量|净重|毛重", "公斤"), ("面积", "平方米"), ("容量|体积|容积|排量", "升"), ("电压", "伏"),
    ("噪音|噪声", "分贝"),
    ("长度|全长|身长|体长|高度|身高|海拔|深度|宽度|距离|半径|直径|厚度", "米"))]
# Where something is (地址在哪, 具体位置是什么): asked for, a place, which the text names without these words.
_WHERE_NOUN = re.compile(r"(?:地址|住址|位置|地点|方位|所在地)$")
# The parts a question asks what something is made of (规定了哪几个方面, 分哪几个环节): no word its answer must hold.
_PARTS = frozenset({"方面", "层面", "部分", "环节", "要点", "维度"})
_ONLINE = re.compile(r"网站|网址|网页|邮件|邮箱|链接|(?<![A-Za-z])IP(?![A-Za-z])")  # 网站地址: a link, not a place
_AGE_NOUN = re.compile(r"(?:年纪|岁数|年龄|年岁)$")
_SHARE_ASKED = re.compile(r"比例|比重|占比|百分比|分之几")
_SHARE_NOUN = re.compile(r"(?:(?<![功频速汇])率|比例|比重|占比|百分比)$")  # not power, frequency, speed, exchange rate
_QUANTITY = re.compile(rf"[{NUMERAL}]+(?:{MEASURE_RE})")  # a word that only counts: 一次, 两个, 三年
_PER = re.compile(rf"(?:[{NUMERAL}]+|每)个?(?:{MEASURE_RE})")  # a count or a rate (每月, 每个月): never the noun asked about
# 多长时间 and 多少时间 are 多久: their 时间 is part of the question word, no word a passage holds (历时两年), and
# they ask a span of time, not a length.
_DIMENSION = re.compile(f"多([{''.join(DIMENSIONS)}])(?:的?时间)?|多少的?时间")
# Compares what the years it names tell with another time's (这次和2020年比, 比2023年多了多少, 2023年还是2024年).
_COMPARES_TIMES = re.compile(r"[相对]比|比较|[和跟与同][^，,。？?]{1,12}比(?![例赛重率])|[比较](?:\d{4}|去|上|前)年|还是|哪一?次"
                             r"|同比|环比|同期|\b(?:compared?|than|versus|vs)\b", re.IGNORECASE)
# A year an English question names as a time (in 2020, since 1998), not a count (1500 meters, 1200 employees).
_EN_YEAR = re.compile(r"\b(?:in|since|during|by|until|before|after|from|of|year)\s+(1[5-9]\d{2}|20\d{2})\b(?!\s*[a-z])",
                      re.IGNORECASE)
# Asks on which days (哪几天, 哪些日子): a date answers, maybe of another year than the one named (2024年高考 in
# 2023年11月).
_WHEN_DAYS = re.compile(r"哪几[天日号]|哪些(?:天|日子)|几月几[日号]|什么日子|\bwhen\b", re.IGNORECASE)
# A year naming the thing asked about, not when (2008年建成的体育中心, 1998年出生的那位): what it is known by.
_YEAR_OF_A_THING = re.compile(r"\d{4}\s*年(?:\d{1,2}月)?(?:建成|建造|修建|始建|落成|成立|创办|创立|开通|出生|毕业|入职|入学|发表|出版|上映"
                              r"|发行|注册|设立|开业|竣工)的")
# Asks which year (哪一年, 何年): a sentence answers with a year, an era, a decade or a dynasty (answertype._A_YEAR).
_ASKS_YEAR = re.compile(r"哪一?年|何年|\b(?:what|which) year\b", re.I)
_ASKS_HOUR = re.compile(r"几点|\bwhat time\b(?! of (?:the )?(?:year|month|season|week)\b| (?:period|frame)\b)", re.I)
# How someone is reached (联系电话是多少, 邮箱是什么, 官网网址): asked for one, a sentence holds an address, a link or
# a number of that form, or one it labels so (内线电话 8021, 拨打12345), not any number or word.
_CONTACT_NOUN = re.compile(r"(?:(?:电话|手机|热线|座机|传真|分机)(?:号码?)?|联系方式|邮箱|(?:邮件|邮箱|电邮|网站|网页)地址"
                           r"|电子邮件|电邮|网址|网站|官网|链接|邮编|邮政编码|微信号?|QQ号?|发?文字?号|案号)$", re.I)
# (A postcode or a fax keeps its noun: a text names it so, and its form is one a phone number may take.)
_LABELLED_AS_IT_LIKES = re.compile(r"(?:(?:联系)?(?:电话|热线|座机|手机)(?:号码?)?|联系方式|(?:电子)?邮箱|电子邮件|电邮"
                                   r"|(?:邮件|邮箱|电邮)地址|e-?mail|官网|官方网站|网址|网站|网页地址|主页|发?文字?号|案号)$", re.I)
# An email's or a site's address (邮箱地址, 网站地址): a contact of that form, not a place.
_ONLINE_ADDRESS = re.compile(r"(?:邮件|邮箱|电邮|网站|网页)地址")
_EMAIL_WORD = re.compile(r"(?:电子)?(?:邮件|邮箱)|电邮")
# How to reach someone (怎么联系图书馆, 如何联络他们): asked for a contact, of any form.
# Not how someone did (是怎么联系上的), nor 联系 as "link" (联系实际, 联系起来).
_HOW_TO_REACH = re.compile(r"(?<!是)(?:怎么|怎样|如何)(?:才能|可以|能)?(?:(?:与|和|跟|同)[^，,？?。]{1,12}?)?"
                           r"(?:联系|联络|取得联系)(?!实际|起来|在一起)(?![^？?。]*的\s*[？?。]?$)"
                           r"|\bhow (?:do|can|could|should|would) (?:i|we|you|one) "
                           r"(?:contact|reach|get in touch with)\b", re.I)
# The same asked in English (What is the library's phone number?), as the Chinese noun whose form it wants.
_EN_CONTACT = re.compile(r"^(?!how (?:many|much)\b).*\b(?:(?P<phone>(?:tele)?phone|fax|hotline|mobile|contact)"
                         r"(?: number)?|(?P<mail>e-?mail)(?: address)?|(?P<link>website|web ?site|web address|url"
                         r"|homepage)|(?P<wechat>wechat)(?: id)?|(?P<post>post ?code|zip ?code|postal code))"
                         r"(?=\s+(?:of|for|at|to|is|should|can|do|does)\b|\s*[?？.]|$)", re.I)
# An English question for an amount of money (how much does it cost, how much was invested): _MONEY_NOUN's words.
# Not how much time or how much of something, nor how much a price rose (a share).
_EN_MONEY = re.compile(r"^(?=.*\bhow much\b)(?!.*\bhow much (?:time|of|longer|more|less)\b)"
                       r"(?!.*\b(?:rise|rose|risen|grow|grew|grown|increase|fall|fell|fallen|drop|decline|change)[ds]?\b)"
                       r".*\b(?:costs?|cost(?:ing|ly)|price[sd]?|fees?|tuition|spen[dt]|spending"
                       r"|invest(?:s|ed|ing|ment)?|fund(?:s|ed|ing)?|budget|salar(?:y|ies)|wages?|pays?"
                       r"|money|earn(?:s|ed|ings)?|revenue|income|profits?|charge[sd]?|yuan|dollars?|rmb)\b", re.I)
# Or what the amount itself is (What was the company's net profit?, What is the ticket price?): a sum of money too.
_EN_MONEY_NAMED = re.compile(r"^\W*what(?:'s|\s+(?:is|was|are|were))?\s+(?:the\s+|its\s+|their\s+|\w+'s\s+)?"
                             r"(?:[\w-]+\s+){0,3}?"
                             r"(?:cost|price|fee|tuition|budget|salar(?:y|ie)|wage|revenue|income|profit|turnover)"
                             # (the amount itself, not a noun it describes: fee waiver, tuition refund, price policy)
                             r"s?(?=\s*(?:$|[?？.!,]|\s(?:of|for|in|at|per|on|to|from|paid|charged|last|this|next|each|"
                             r"was|is|were|did|does|do|after|before|during)\b))", re.IGNORECASE)
_EN_CONTACT_NOUN = {"phone": "电话", "mail": "邮箱", "link": "网址", "wechat": "微信号", "post": "邮编"}
# A Latin word, or a code of letters and digits (E2, G20, FB40): a name, though a letter alone (the A of A股) is not.
_LATIN_WORD = re.compile(r"[A-Za-z]+\d[A-Za-z\d]*|[A-Za-z]{2,}")
# A model, version or standard named by a word and its number (iPhone 16, RTX 5090, v2.4, PM2.5, COVID-19): one
# name, which a text naming the word with another number (iPhone 15) does not hold.
_CODE_NAME = re.compile(r"(?<![A-Za-z\d.])[A-Za-z]+(?:-[A-Za-z]+)*[ -]?\d+(?:\.\d+)*[A-Za-z\d]*(?![\d.]*\d)")
# (Not a word, a space and an amount: VIP 3个月, iPhone 15天内, ETC 95折; PM2.5年均, C919架 are codes.)
_AMOUNT_AFTER = re.compile(r"个月|个|天|次|周|年|折|岁|元|块|台|件|小时|分钟")

# The document being read, named as the question's source ("文章认为…", "文中提到…", "according to the text"):
# a reader's way of asking, not a word the passages hold. Never the inside of a longer word (日本文化, 英文中), and
# 材料/短文 only after 根据 and the like (材料有哪些 asks about materials).
_THE_DOCUMENT = re.compile(
    r"(?:^\W*(?:(?:根据|按照|据|在)(?:这篇|那篇|该|本|此)?(?:文章|材料|短文)|(?:这篇|那篇|该|本|此)?文章)"
    r"|(?:(?<![\u4e00-\u9fff])|(?<=[在据从照于的]))(?:(?:这篇|那篇|该|本|此)(?:文章|短文|材料)|文中|本文))"
    r"(?:中|里|里面)?(?:认为|说|提出|提到|指出|写道|介绍|强调|表示|讲|谈到|所说)?(?:的|了)?"
    r"|\b(?:according to|in) the (?:article|text|passage|document)\b|\bthe (?:article|text|passage|document) "
    r"(?:says?|said|mentions?|states?|argues?|claims?)\b|\b(?:does|did) the (?:article|text|passage|document) say\b",
    re.I,
)
# What the documents are about as a whole (这篇文章讲了什么, 主要内容, "what is this document about"), asked with
# no word of its own: the document's leads answer it.
_OVERVIEW = re.compile(
    r"(?:讲|说|写|谈|介绍|报道|描述|叙述)(?:了|的|些)?是?(?:什么|啥|哪些)(?!时候|时间|日期)"  # not 报道是什么时候…
    r"|主要内容|内容是什么|大意|概括|总结|概述|摘要|关于什么"
    r"|\bwhat(?:'s| is| are| was)\b.*\babout\b|\bsummar(?:y|ise|ize)\b|\bmain (?:idea|point)s?\b|\boverview\b",
    re.I,
)
# A document named by its genre, as a word of its own (这份公告讲了什么, 这篇小说讲了什么): asked what it is about,
# the one its name or title says it is answers, when some do. (Asked who issued it, 通知是哪个部门发的, it names
# one document, as 关于水库的那篇报道 does.)
_GENRES = ("通知", "公告", "通告", "通报", "纪要", "会议纪要", "简报", "报告", "工作报告", "年报", "财报", "公报", "白皮书", "指南",
           "手册", "说明书", "规格书", "简章", "章程", "条例", "守则", "声明", "启事", "判决书", "裁定书", "合同", "协议", "大纲",
           "课程大纲", "菜谱", "食谱", "小说", "故事", "散文", "访谈", "采访", "访谈录", "实录", "小结", "讲话", "演讲", "节选")
_GENRE = re.compile(rf"(?:[这那该本此][篇份部本个]?)?({'|'.join(_GENRES)})")
# The other words such a question uses: the document named (文章, 这篇, documents), 主要, 一下.
_DOCUMENT_WORD = re.compile(r"文章|报道|文档|材料|短文|语料|文件|资料|全文|本文|文中|内容|主要|一下|^[这那该本此][篇份些个]?$"
                            r"|^(?:documents?|articles?|texts?|passages?|files?|corpus|pages?|summar\w*|overview|main"
                            r"|ideas?|points?|about)$",
                            re.I)
# An ordinal asking for one point of a list: 第二个 (目标), 第三条, 第一点.
_ORDINAL = re.compile(rf"第([{NUMERAL}]+)(?:个|条|点|项|方面|部分|种|类|步)?")
# The units a text writes its points' numbers with at their head (第十四条　…, 第二步：…); an item (第二项) is
# marked （二）.
_OPENING_UNITS = frozenset({"条", "步"})
# A step or a point asked for by its place in a numbered list (第二步, 第3条, 最后一项), which the list may number
# otherwise (2., 二、, （二）): not 第二届 or 第一个, which ask which one of a series, not what a point says.
# A noun after it makes it a measure word instead (第一条铁路: the first railway).
_DOTTED = re.compile(r"(?<![A-Za-z0-9.])[A-Za-z]{0,3}\d+(?:\.\d+){2,}(?![A-Za-z0-9.])")
_ITEM_UNITS = ("项", "款")  # a point within an article (第十四条第二项)
_POSITION = re.compile(rf"(?:第(?P<n>[{SMALL_NUMERALS}]{{1,3}}|\d{{1,2}})|(?P<last>最后|末)一?)个?(?:步骤?|条|点|项|环节|阶段|款)"
                       r"(?=[是要讲说写规定的内容中里呢怎如做干该需应得为有第？?，,。\s]|$)")
# A paper named as the document read (论文的修回日期, 这篇论文用了什么方法): a paper writes 本文, and a corpus never
# writing 论文 does not answer by it (features.Terms drops it there); one about theses still does.
_THE_PAPER = re.compile(r"^\W*(?:这篇|该|本|此)?(论文)(?=的|中|里)|(?:这篇|该|本|此)(论文)")
# (最晚 and 最早 compare only before a count or 的, or closing the question: 最晚一班, 哪班车最晚; 最晚几点回 is a deadline;
# so do 最快 and 最慢, of growth or speed: 哪个区域增长最快; 最快几天到账 is the soonest.)
_EXTREME = re.compile(r"最(?:(?P<most>高|多|大|长|贵|重|[晚快](?=一|的|[？?]|$))"
                      r"|(?P<least>低|少|小|短|便宜|轻|[早慢](?=一|的|[？?]|$)))"
                      r"(?![要视化能可])")  # 最多能: at most
# The first or the last run of a timetable (首班车, 第一趟, 末班, 最后一班): its earliest or latest by its times of day
# alone (首班车票价 asks the first run's fare, not the lowest fare); a superlative the question states goes first
# (哪条线路首班车最晚 compares the column 首班车).
FIRST_RUN, LAST_RUN = ("第一", "首", "头"), ("最后一", "末")
_RUN = re.compile(rf"(?:(?P<first>{'|'.join(FIRST_RUN)})|(?P<last>(?<!周)(?:{'|'.join(LAST_RUN)})))"  # (周末: weekend)
                  r"(?=班车?|趟)")
# Asks the sum of the things it counts (员工一共多少人, 总共有几个, 加起来多少钱): a table's row of totals answers.
_TOTAL = re.compile(r"一共|总共|总计|合计|共计|总数|加起来|\b(?:in total|altogether)\b", re.IGNORECASE)
# Which one of several things, counted (哪道菜, 哪一款, 哪个): not where (哪里), when (哪年) or which ones (哪些).
WHICH_ONE = re.compile(r"哪一?(?:个|道|款|种|项|位|家|所|门|本|部|首|座|件|只|篇|套|节|章|类)")
# A place in a ranking: 第五名, or 第五 after a ranking's word (积分榜第五是谁, 排名第三的球队); not 第五展厅, nor 第一 of
# a list of points (原则第一是什么).
_RANK = re.compile(rf"(?:(?:排名|排行|名次|榜)[^，。？?第]{{0,4}})第(?P<n>[{SMALL_NUMERALS}]{{1,3}}|\d{{1,2}})(?:名|位)?"
                   rf"(?=[是的？?呢]|$)|第(?P<m>[{SMALL_NUMERALS}]{{1,3}}|\d{{1,2}})名")
# A document noun that names one article among several (李青的文章, the reporter's report).
_AN_ARTICLE = re.compile(r"文章|报道|稿件|短文|\b(?:article|report|story)\b", re.I)
# A pronoun for a person or a thing (他, 她们, 它), not the 他 of 其他, 吉他 or 他人.
_REFERS_BACK = re.compile(r"(?<![其吉])[他她它](?!人)")
# A follow-up points back at the previous turn: 那…呢, pronouns, 该/此 + noun, "what about".
_FOLLOW_UP = re.compile(
    r"^(?:那|那么|还有|还|另外|此外|其中|and\b|what about|how about)|呢[？?]?$|它|他们|她们|他的|她的|其|该[\u4e00-\u9fff]|此[\u4e00-\u9fff]"
    r"|这(?:个|些|所|家|位|项|里)|\b(?:it|they|them|its|their|he|she|his|her)\b",
    re.I,
)
_YEAR = re.compile(r"\d{4}年?")
QUOTED = re.compile(r"[“\"《「『]([^”\"》」』]{2,30})[”\"》」』]")
_LINK_TAIL = re.compile(r"(?:分别|一共|总共|大约|共|约|都|是|有|为|的|了|在|被|由|能|可以|达到?|叫做?|又|也|\s)+$")
_COPULA_TAIL = re.compile(r"是\s*$")
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")
_YES_NO = re.compile(r"(?:吗|么|嘛)\W*$|^\W*(?:is|are|was|were|do|does|did|can|could|will|should|has|have)\b", re.I)
# 是不是, 能不能, 有没有, 可不可以: a yes-or-no question's verb asked twice; once is what it asks about.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff]{1,2})[不没]\1")
# A number a question compares with (是不是超过了60门, 有没有不少于30人) or reaches (工作满12年): a bound, which the
# text need not write.
# (Not 40岁以上的职工: a group the text names so.)
_BOUND = re.compile(r"(?:超过|超出|多于|少于|高于|低于|大于|小于|不到|不足|不少于|不超过|不低于|不高于|满)了?\s*\d+")
# jieba's tags for prepositions, verbs, directions, adverbs, conjunctions, particles, pronouns, modal words.
FUNCTION_TAGS = ("p", "v", "vn", "vd", "vg", "vi", "f", "d", "dg", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv",
                 "r", "rr", "rz", "rg", "y", "e", "o")
_LINKING_TAGS = ("p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv")  # jieba's prepositions, conjunctions, particles
_NUMERIC = re.compile(rf"[\d{NUMERAL}.]+")
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_WHO = ("谁", "何人")  # question words that stand for a person, not qualify a noun (哪位 导演 does)
_COUNTING_TAGS = ("m", "q", "t")  # jieba's numerals, measure words and times
COMPASS = "东西南北"  # the compass points, which tell things of one name apart (东门, 西寄存处)
_PRONOUNS = "他她它我你您"
# Modal verbs the segmenter glues to the word beside them (证要 in 办读者证要带什么, 要放 in 要放辣椒吗); a word of its
# dictionary holding one (需要, 主要, 要素) stays whole.
_MODALS = "要想需该应"
_MODAL_WORDS = frozenset({*_MODALS, "应该", "应当", "需要", "必须", "得", "可以", "能", "能够"})
_ASPECTS = "了过着"  # what the segmenter glues after a verb it does not know with them (建了, 修过)
_AUXILIARIES = "能会可"  # and before one (能供, 会来)
# In a spoken question the segmenter glues an adverb to the word before it (分才 in 多少分才算, 人就), a negation to the
# verb after it (没休 in 没休完), and a loose measure to a verb (买个): characters that seldom end or open a noun, unlike
# 都 (国都), 会 (年会), 能 (赋能), 个 opening one (个税) or 别 (别院).
_ADVERBS = "才就也再又"
_NEGATIONS = "没不未"
# A verb of going glued to the name of where to (去岚州, 到汀州要多久): a name the dictionary lacks rarely opens with
# one (unlike 在, 回, 来, 向: 向阳村); one that does (从化区) is cut here, and found whole where the corpus writes it
# (features.Terms reads the corpus's names across the question's cut).
_GOING = "去到往从"
# Asked when a thing ends: the end word asked about, not one naming when something else happened (摄影结束后…上映).
_WHEN = r"(?:什么时候|什么时间|哪天|哪一天|何时|几号|几月几[日号])"
_ENDS = re.compile(rf"(?:截止|结束|终止|到期)(?:时间|日期|于)?(?:是|在)?{_WHEN}[的了呢吗？?\s]*$|{_WHEN}(?:截止|结束|终止|到期)"
                   rf"|到{_WHEN}|(?:截止|结束|到期)(?:时间|日期)")
_TIME_ASPECTS = frozenset({"开始", "结束", "截止", "起始", "终止", "到期"})
_GLUED = 2  # words a lone character takes from each side: a name of a few words (红线 裸鳍 鲷)


@dataclass(frozen=True)
class Question:
    """One analysed question: what it asks for and the words it asks with."""

    text: str
    language: str
    kind: Kind
    answer_type: AnswerType
    focus: str | None  # the thing asked about: 资金 in 多少资金, 水费 in 水费是多少
    measure: str | None  # the measure word of a count: 天 in 几天, 家 in 多少家企业; 年 of a date asked as 哪一年
    names: tuple[str, ...]  # places, people, organisations, quoted titles, Latin words, multi-digit numbers
    numbers: tuple[str, ...]
    follow_up: bool
    terms: tuple[str, ...]  # content words, question words removed, each counted once
    bigrams: frozenset[str] = frozenset()  # pairs of adjacent Chinese characters, question words removed
    history: tuple[str, ...] = field(default_factory=tuple)
    new_terms: tuple[str, ...] = ()  # a follow-up's terms that the question it follows did not use
    # An English question's phrases with their dictionary translations: what a Chinese corpus says for them.
    glosses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dimension: str | None = None  # the adjective of a size asked without a measure word: 高 in 有多高 (Chinese)
    # A follow-up naming nothing of its own (那党委书记呢？) still asks about what the question it follows named.
    subject: tuple[str, ...] = ()
    # What an article asked about as a whole is named by (李青 in 李青的文章讲了什么): its byline may name it.
    about: tuple[str, ...] = ()
    context: str = ""  # a follow-up's: the question it follows (with the one that question followed, if any)
    # The terms after the question word: what is asked of the thing named before it (规定 in 住宿标准是怎么规定的).
    predicate: tuple[str, ...] = ()
    # What the question names that only some passages could mention: proper names, quoted titles, Latin words and
    # words jieba's dictionary does not list (宋启茂, 柯维勒: names it does not know).
    anchors: tuple[str, ...] = ()
    ordinal: bool = False  # asks which in order (第几届): a 第 before the question word
    # A lone character jieba cut off a name it does not know, glued back to the words beside it (七月 艾 ->
    # 七月艾, 青石 罗 -> 青石罗), and a count the question states (满十年): a term where the corpus writes it so
    # (features.Terms decides).
    compounds: tuple[str, ...] = ()
    # A follow-up's: the names of the question it follows that its own names take the place of (青石 in 那白水呢？
    # after 青石…有几所学校？): a sentence naming only those answers the earlier question, not this one.
    replaced: tuple[str, ...] = ()
    # A follow-up's that names nothing: the phrases the question it follows opened with, longest first (青石镇卫生院
    # 开设的课程, …, 青石镇卫生院): what that question was about, when its names (青石) fit every passage.
    topic: tuple[str, ...] = ()
    # Asked of a corpus in traditional characters: the question as read in simplified ones, which the tables and
    # jieba's dictionary are written in (what it asks for, its measure); its words above are written as asked.
    reading: Question | None = None
    # The point of a numbered list asked for by its place, and the words asking it: (2, 第二步), (2, 第2条), and
    # (0, 最后一步) for whatever number the list reaches.
    position: tuple[int, str] | None = None
    # The point of that point asked for (第十四条第二项: (2, 第二项)), its items or clauses (（二）, 14.2).
    sub_position: tuple[int, str] | None = None
    # An English question's Chinese names spelled in pinyin (Tan Wangsong: tan wang song, a person's).
    romanised: tuple[Romanised, ...] = ()
    # An English question's phrases naming a place, a person or an organisation, with the dictionary's words for
    # it (france: 法国, 法兰西): a name the corpus writes in Chinese, or lacks.
    glossed_names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The numbers the question states as an amount of something (72 of 我72岁, 三十 of 三十个孩子, 一万二): a
    # condition of the asker's, which the text may state as a range (70岁以上) instead. A term or a name where the
    # corpus writes it, and no gap where it does not (features.Terms decides).
    amounts: tuple[Amount, ...] = ()
    # Names nothing but the documents (这篇文章是谁写的？, 作者是谁？): what each of them is signed by answers it.
    of_documents: bool = False
    # A superlative over things compared (哪个专业学费最高, 价格最便宜的是哪款): its word and whether the most (1) or
    # the least (-1) is asked for; a table's rows are compared by the column the question names.
    extreme: tuple[str, int] | None = None
    # The document named as read (论文 of 论文的修回日期是哪天), or by its genre asked about whole (小说 of 这篇小说讲了什么).
    document_nouns: tuple[str, ...] = ()
    ends: bool = False  # asked when something ends (什么时候截止, 哪天结束): a date the text marks as an end answers
    which: bool = False  # asks which one of several things (哪道菜, 哪一款): the heading of a section may name it
    rank: int | None = None  # the place asked for in a ranking (积分榜第五是谁, 第二名是哪个队): 5, 2
    choice: bool = False  # asks which of the things it names holds (考场在3楼还是5楼): a sentence saying one answers
    total: bool = False  # asks the sum of what it counts (员工一共多少人): a table's row of totals answers
    # The years of the calendar it asks of (2020 of 2020年倒塌了多少间房屋): a sentence of another year's tells of
    # another time. None when it asks when (a date answers, maybe of another year) or compares times.
    years: tuple[int, ...] = ()
    # Words typed as a homophone of the corpus's word (申情 for 申请), read as that word (spelling.respell).
    respelled: tuple[Respelling, ...] = ()
    # Words the corpus never uses, read as its words of one meaning (晚饭 as 晚餐: synonyms.reword), commonest first.
    reworded: tuple[Respelling, ...] = ()

    @property
    def search_text(self) -> str:
        """What retrieval looks for: a follow-up is searched together with the question it follows; an item asked
        within a point (第十四条第二项) by the point alone, whose passage leads to its items."""
        text = self.text.replace(self.sub_position[1], " ") if self.sub_position else self.text
        return f"{self.context} {text}" if self.follow_up else text

    @property
    def point_marks(self) -> tuple[str, ...]:
        """How a text opens the article or step asked for by its number (第十四条: 第十四条, 第14条): what the
        passage holding it can be looked up by when search does not find it."""
        if self.position is None or not 0 < self.position[0] < 100:
            return ()
        unit = re.sub(r"^.*?(?:\d+|[一二三四五六七八九十]+)个?", "", self.position[1])
        if unit not in _OPENING_UNITS:
            return ()
        return tuple(f"第{n}{unit}" for n in (small_numeral(self.position[0]), self.position[0]))

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def yes_no(self) -> bool:
        """Whether it asks yes or no (收费吗, 收不收费) and names no thing it asks for."""
        return self.answer_type == "other" and bool(_YES_NO.search(self.text) or _A_NOT_A.search(self.text))


def analyse(asked: str, history: Sequence[str] = (), script: Script | None = None) -> Question:
    """Analyse a question (and whether it follows up on the earlier ones, oldest first), written in the script of
    its corpus: traditional characters are read in simplified ones, and its words given back as written."""
    if script == "traditional":
        read = simplified(asked)
        read_history = [simplified(h) for h in history]
        if read != asked or read_history != list(history):
            return _as_written(_analysis(read, read_history), asked, history)
        # An English question's translations, written as the corpus writes them (法國, not 法国).
        question = _analysis(asked, history)

        def written(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
            return tuple((p, tuple(dict.fromkeys(in_script(w, "traditional") for w in ws))) for p, ws in pairs)

        return replace(question, glosses=written(question.glosses), glossed_names=written(question.glossed_names))
    return _analysis(asked, history)


def _as_written(reading: Question, asked: str, history: Sequence[str]) -> Question:
    """The words of a question read in simplified characters, as the question and its history write them."""
    said = [(r, a) for r, a in zip([reading.text, *reading.history], [asked, *history]) if len(r) == len(a)]

    def back(word: str) -> str:
        for read, written in said:
            if (at := read.find(word)) >= 0:
                return written[at: at + len(word)]
        return in_script(word, "traditional")

    def each(words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(map(back, words))

    return replace(reading, text=asked, history=tuple(history), focus=reading.focus and back(reading.focus),
                   names=each(reading.names), numbers=each(reading.numbers), terms=each(reading.terms),
                   bigrams=frozenset(map(back, reading.bigrams)), new_terms=each(reading.new_terms),
                   subject=each(reading.subject), about=each(reading.about), context=back(reading.context),
                   predicate=each(reading.predicate), anchors=each(reading.anchors),
                   compounds=each(reading.compounds), replaced=each(reading.replaced), topic=each(reading.topic),
                   amounts=tuple(Amount(back(a.number), a.measure, back(a.written)) for a in reading.amounts),
                   glosses=tuple((back(p), tuple(in_script(w, "traditional") for w in ws)) for p, ws in reading.glosses),
                   position=reading.position and (reading.position[0], back(reading.position[1])),
                   sub_position=reading.sub_position and (reading.sub_position[0], back(reading.sub_position[1])),
                   reading=reading)


_TRAILING_MARKS = re.compile(r"[\s？?。.！!]+$")
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’]s\b")


def _analysis(asked: str, history: Sequence[str]) -> Question:
    lang = language(asked)
    # An English question's numbers as a Chinese text writes them (160 million -> 1.6亿): what its passages hold.
    # Without a possessive's 's, which is no word of its own nor part of the name it follows (Hangzhou's).
    text = _POSSESSIVE.sub("", chinese_numbers(asked)) if lang == "en" else asked
    answer_type, kind, span = asks_for(text)
    bare_noun = _TRAILING_MARKS.sub("", text)
    if lang == "zh" and span is None and (_WHERE_NOUN.search(bare_noun) or _CONTACT_NOUN.search(bare_noun)):
        # Typed as a search box is (图书馆的地址, 物业电话): it asks what 图书馆的地址是什么 does.
        return replace(_analysis(f"{bare_noun}是什么？", history), text=asked)
    measure, dimension, counted = _measure_asked(text, answer_type, span)
    category = _category(text, (span[0], max(span[1], counted)) if span else None, lang)
    focus = category or _focus_before(text, span, lang)
    answer_type, focus, measure, dimension = _typed(text, lang, answer_type, kind, span, focus, measure, dimension)
    # The linking words before the question word stand apart, so that a name glued to them (赵启先是 -> 赵启 先是)
    # is cut whole; and so does its measure, which is no part of the noun after it (多少所镇 is not 所镇).
    linked = (f"{_unlinked(text[: span[0]])} {text[span[0]: counted]} {text[counted:]}"
              if span and lang == "zh" else text)
    bare = _THE_DOCUMENT.sub(" ", ANY_QUESTION_WORD.sub(" ", _A_NOT_A.sub(r" \1 ", linked)))
    # A day the question names (5月3日, 2011年5月20日, 五月三日) is one term: its numbers apart match any 5 or 3.
    days = [m.group(0) for m in NAMED_DAY.finditer(bare)] if lang == "zh" else []
    worded = NAMED_DAY.sub(" ", bare) if days else bare
    cut = [p for w in segmenter().lcut(worded) for p in _modal_apart(w)]
    terms = [*days, *_terms(worded, cut)]
    terms = _not_asked(text, lang, terms, answer_type, focus, category, span, measure)
    position, inner = (_position(text), _position(text, 1)) if lang == "zh" else (None, None)
    earlier = _position(history[-1]) if history and position and not inner else None
    if earlier and position[1].endswith(_ITEM_UNITS) and not earlier[1].endswith(_ITEM_UNITS):
        # 第二款呢？ after 第八条讲了什么？ asks for that article's second paragraph.
        position, inner = earlier, position
    if inner:
        # 第十四条第二项: a text numbers the item （二） or 14.2, and never writes 第二项; the article is searched for.
        terms = [t for t in terms if t not in inner[1]]
    # The noun a question word asks for (哪座城市, 什么职务) is the kind of answer, not a name its passage holds.
    question_word = text[span[0]: span[1]] if span else ""

    def named(n: str) -> bool:
        return n != category and n not in question_word and not (question_word and question_word in n)

    nm = [n for n in names(text, lang) if named(n)]  # not 哪些项目, which jieba's dictionary lists as a name
    numbers = tuple(m.group(0) for m in NUMBER.finditer(bare))
    follow_up = bool(history) and (bool(_FOLLOW_UP.search(text.strip())) or (not nm and len(terms) <= 1))
    new_terms: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    context = ""
    if follow_up:
        # The question followed is read as a follow-up of the one before it, so that a second follow-up (住宅物业费
        # …？ 商铺呢？ 什么时候交？) is searched with what the first one continued.
        prev = analyse(history[-1], history[-2:-1])
        context = prev.search_text
        subject, topic = _carried(prev, text, nm, terms, history)
        new_terms = tuple(t for t in terms if not any(t in p or p in t for p in prev.terms))
        if answer_type == "other":
            # "那石桥呢？" asks what the previous question asked, about something else.
            answer_type, kind, measure, focus = prev.answer_type, prev.kind, prev.measure, prev.focus
            dimension = prev.dimension
            replaced = tuple(n for n in prev.names or prev.subject if nm and not any(n in m or m in n for m in nm))
            replaced = replaced or _counterparts(prev, text, terms, nm)
    about: tuple[str, ...] = ()
    own = [t for t in terms if not _DOCUMENT_WORD.search(t) and not _OVERVIEW.search(t)]
    genres = tuple(m.group(1) for t in own if (m := _GENRE.fullmatch(t)))
    if _OVERVIEW.search(text):
        # (他说了什么 after a question about him asks what he said.)
        # (Not AI摘要每个月能用几次, naming a thing: a product's feature named 摘要.)
        if not [t for t in own if not _GENRE.fullmatch(t)] and not follow_up and not nm:
            kind = "overview"
        elif _AN_ARTICLE.search(text) and not (category and not _DOCUMENT_WORD.search(category)):
            about = tuple(own)  # not 这篇报道介绍了哪些学校: that asks for schools, not what the article says
    words = english_words(text) if lang == "en" else []
    glosses = tuple(g for g in translate(bare) if not _in_a_name(g[0], text, words)) if lang == "en" \
        else tuple(_ordinal_forms(terms))
    spelled = romanised(text) if lang == "en" else ()
    predicate = tuple(t for t in terms if span and text.find(t) >= span[1])
    return Question(asked, lang, kind, answer_type, focus, measure, tuple(nm), numbers, follow_up, tuple(terms),
                    bigrams(bare), tuple(history), new_terms, glosses, dimension, subject, about, context, predicate,
                    tuple(a for a in _anchors(text, terms) if named(a)) if lang == "zh" else (),
                    bool(span) and answer_type == "number" and text[: span[0]].rstrip().endswith("第"),
                    tuple(dict.fromkeys([*_compounds(cut), *_conditions(bare), *_parted_verbs(text)])) if lang == "zh"
                    else (), replaced,
                    topic, position=position,
                    sub_position=inner,
                    romanised=spelled, glossed_names=_glossed_names(text, words, glosses, spelled) if lang == "en" else (),
                    amounts=stated_amounts(bare) if lang == "zh" else (),
                    of_documents=kind == "author" and not own and not follow_up,
                    extreme=_extreme(text) if lang == "zh" else None,
                    ends=answer_type == "date" and bool(_ENDS.search(text)),
                    which=answer_type == "entity" and bool(WHICH_ONE.search(text)),
                    rank=_rank(text) if lang == "zh" else None,
                    choice="还是" in text,
                    total=answer_type == "number" and bool(_TOTAL.search(text)),
                    years=() if answer_type == "date" or _COMPARES_TIMES.search(text) or _WHEN_DAYS.search(text) else
                    tuple(sorted(years_in(_YEAR_OF_A_THING.sub("", text)) if lang == "zh"
                                 else map(int, _EN_YEAR.findall(text)))),
                    document_nouns=("论文",) if lang == "zh" and _THE_PAPER.search(text) else genres if kind in ("overview", "author") else ())


def _carried(prev: Question, text: str, nm: Sequence[str], terms: Sequence[str],
             history: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a follow-up carries from the question it follows: its subject (the names it asked about, when the
    follow-up names none) and its topic (the phrase it opened with, when the follow-up names nothing)."""
    subject: tuple[str, ...]
    topic: tuple[str, ...] = ()
    # Asked of him or it (他读的是什么专业？), the earlier question's anchor is the name jieba's model does not
    # tag (顾青禾); a word of its own that it does not know (保研率) is no subject of what follows.
    subject = () if nm else (prev.names or prev.subject
                             or (prev.anchors if _REFERS_BACK.search(text) else ()))
    if any(t in tagged(("t",)) or _YEAR.fullmatch(t) for t in terms):
        # A time of its own (明年 after 2024年营业收入多少？) takes the place of the year the earlier one named.
        subject = tuple(n for n in subject if not _YEAR.fullmatch(n))
    if not nm:
        # A follow-up that names nothing either ("那它……") opens with no thing of its own: it carries its topic.
        topic = prev.topic if prev.follow_up and not prev.names else _opening(history[-1])
        # 下午呢？ after 第三天上午去哪里？: the phrase up to the word the new one stands in for (上午, of its
        # length and head character: 下午) is what it asks about too (第三天).
        swapped = [w for w in prev.terms for n in terms if len(w) == len(n) > 1 and w != n and w[-1] == n[-1]]
        topic = tuple(dict.fromkeys([*topic, *(cut for p in topic for w in swapped
                                               if w in p and len(cut := p[: p.find(w)]) > 1)]))
    return subject, topic


def _not_asked(text: str, lang: str, terms: list[str], answer_type: AnswerType, focus: str | None,
               category: str | None, span: tuple[int, int] | None, measure: str | None) -> list[str]:
    """The terms less what only says the kind of answer asked for, which no sentence need hold (集合地点 read as 集合,
    报修电话 as 报修, 个人 of 多少个人 left out), and a version's number (v3.2.0) as one term."""
    if answer_type == "date":  # when it starts or ends: the text marks that on its date (自…起, 至…止), not so
        terms = [t for t in terms if t not in _TIME_ASPECTS]
    if answer_type == "place":  # the kind of answer asked for, not a word its sentence holds (集合地点: 集合)
        terms = [w for w in (_WHERE_NOUN.sub("", t) for t in terms) if len(w) > 1]
    elif answer_type == "contact" and focus:
        # So is the phone or the mailbox asked for (报修电话: 报修), which a text labels as it likes (服务热线, 拨打); not
        # a postcode, a fax or a link, which a text names so, nor another noun (华为手机的售后电话: 手机 stays).
        terms = [w for w in (_LABELLED_AS_IT_LIKES.sub("", t) if t in focus else t for t in terms) if len(w) > 1]
        if _ONLINE_ADDRESS.fullmatch(focus):  # 电子邮件 / 地址: an email's address is no word a text need write
            terms = [t for t in terms if t != "地址" and not (_EMAIL_WORD.fullmatch(t) and "网" not in focus)]
    if category and len(category) == 1:
        terms = [t for t in terms if t != text[span[1]: span[1] + 2]]  # 哪个村: 个村 is the question word's measure and its noun
    if measure and len(measure) > 1 and measure[0] == GENERAL_MEASURE:
        terms = [t for t in terms if t != measure]  # 多少个人: the measure asked in, no word to look for
    if lang == "zh" and (related := _RELATED.search(text)):
        terms = [t for t in terms if t != related.group(1)]
    if category in _PARTS:  # 哪几个环节: the kind of answer, parts of what is named, which no sentence need say
        terms = [t for t in terms if t != category]
    for dotted in _DOTTED.findall(text):
        # A version or a clause's number of three parts and more (v3.2.0, 3.1.2) is one term: the tokenizer cuts
        # it after its first part, and a lone last part (0) is in every number.
        pieces = set(tokenize(dotted))
        at = next((i for i, t in enumerate(terms) if t in pieces), len(terms))
        terms = [*(t for t in terms[:at] if t not in pieces), dotted.lower(), *(t for t in terms[at:] if t not in pieces)]
    return terms


def _typed(text: str, lang: str, answer_type: AnswerType, kind: Kind, span: tuple[int, int] | None,
           focus: str | None, measure: str | None,
           dimension: str | None) -> tuple[AnswerType, str | None, str | None, str | None]:
    """The answer type, focus, measure and dimension as the noun asked about tells them beyond the question word: a
    contact (电话是多少), a place (地址是什么), an age, a share, a sum of money, a size in its units."""
    if answer_type in ("entity", "number") and kind == "fact" and measure is None and lang == "en" \
            and (asked_for := _EN_CONTACT.search(text)):
        focus = _EN_CONTACT_NOUN[asked_for.lastgroup or ""]  # the noun whose form a sentence must hold
    if focus == "地址" and (online := _ONLINE_ADDRESS.search(text)):
        focus = online.group(0)  # 电子邮件地址, cut 电子邮件 / 地址: an email's address, not a place
    if answer_type in ("entity", "number") and kind == "fact" and measure is dimension is None and focus \
            and _CONTACT_NOUN.search(focus) and "多少钱" not in text:  # 手机要多少钱, 手机有多重: a price, a size
        answer_type = "contact"
    elif answer_type == "manner" and _HOW_TO_REACH.search(text):
        answer_type, focus = "contact", "联系方式"  # 怎么联系图书馆 asks for its number or address, in any form
    elif answer_type in ("entity", "place") and kind == "fact" and focus and _WHERE_NOUN.search(focus) \
            and not _ONLINE.search(text):
        answer_type = "place"  # 地址是什么, 地址在哪: a place, which the text gives (位于…路9号) without the word
    if answer_type == "number" and measure is None and dimension in (None, "大") and focus and _AGE_NOUN.search(focus):
        measure, dimension = "岁", None  # 多大年纪, 年龄是多少: an age, told in 岁
    if answer_type == "number" and measure is dimension is None and lang == "zh":
        # (Or the question word itself, or the noun before it: 报销比例是多少 asks a share though its focus is 报销.)
        if focus and _SHARE_NOUN.search(focus) or span and (
                _SHARE_ASKED.search(text[span[0]: span[1]]) or _SHARE_NOUN.search(_unlinked(text[: span[0]]).strip())):
            measure = "%"
        elif "多少钱" in text or (focus and _MONEY_NOUN.search(focus)):
            measure = "元"
        elif focus and (size := next((u for noun, u in _SIZE_NOUNS if noun.search(focus)), None)):
            measure = size
    elif answer_type == "number" and measure is dimension is None and _EN_MONEY.search(text):
        measure = "元"
    elif answer_type == "entity" and kind == "fact" and lang == "en" and _EN_MONEY_NAMED.search(text):
        answer_type, measure = "number", "元"
    return answer_type, focus, measure, dimension


def _measure_asked(text: str, answer_type: AnswerType,
                   span: tuple[int, int] | None) -> tuple[str | None, str | None, int]:
    """The measure a question asks in (几所 -> 所, 哪一年 -> 年), the dimension of a size or a span (多高 -> 高, 多长时间
    -> 久), and where the question word and its measure end."""
    measure = dimension = None
    if answer_type == "date" and span and _ASKS_YEAR.search(text[span[0]: span[1]]):
        measure = "年"  # which year: a day or an hour of no year does not answer it
    elif answer_type == "date" and span and _ASKS_HOUR.match(text, span[0]):
        measure = "点"  # what time of day: a day or a season of no hour does not answer it
    counted = span[0] if span else 0  # where the question word and its measure end
    if answer_type == "number" and span:
        m = re.search(rf"(?:几|多少)\s*({MEASURE_RE})", text[span[0]: span[1] + 4])
        if m and len(m.group(1)) > 1 and m.group(1)[0] == GENERAL_MEASURE:
            after = _word_at(text, span[0] + m.start(1) + 1)
            if len(after) > len(m.group(1)) - 1 and in_dictionary(after):
                # 个 and the word after it, not a measure of two (几个月饼, 几个人工智能产品: 个 counts 月饼, 人工智能)
                m = re.search(rf"(?:几|多少)\s*({GENERAL_MEASURE})", text[span[0]: span[1] + 4])
        word = _word_at(text, span[0] + m.start(1)) if m else ""
        if m and (len(word) > len(m.group(1)) + 1 and not in_dictionary(word[len(m.group(1)):])
                  or m.group(1) in OPENING_NOUNS and len(word) > 1):
            # 多少本科生 counts students, not books (本), as 多少部手机 counts phones by 部; 多少封面 counts no letter.
            m = None
        measure = m.group(1) if m else None
        counted = span[0] + m.end() if m else counted
        d = _DIMENSION.fullmatch(text[span[0]: span[1]])
        dimension = ("久" if d.group(0).endswith("时间") else d.group(1)) if d else None  # 多长时间: how long a time
    return measure, dimension, counted


def _rank(text: str) -> int | None:
    """The place in a ranking a question asks who or what holds (积分榜第五是谁, 第三名是哪个队): 5, 3."""
    if (m := _RANK.search(text)) is None:
        return None
    n = m.group("n") or m.group("m")
    return int(n) if n.isdigit() else small_number(n)


def _extreme(text: str) -> tuple[str, int] | None:
    """The superlative a question asks by (最高: the most, 1; 最便宜: the least, -1), or the run of a timetable (首班车:
    the earliest, -1; 末班车: the latest, 1)."""
    if m := _EXTREME.search(text):
        return m.group(0), 1 if m.group("most") else -1
    if m := _RUN.search(text):
        return m.group(0), 1 if m.group("last") else -1
    return None


def _in_a_name(phrase: str, text: str, words: Sequence[re.Match[str]]) -> bool:
    """Whether a phrase is one pinyin syllable that the dictionary writes capitalised, standing beside another
    capitalised word: part of a name (Lu of Professor Lu: not 鲁国; Yu of Chen Yu: not 盂县), which names one thing of
    that sound among many. Alone it may be a gloss still (the Ming: 明朝; Tang poets)."""
    if len(syllables(phrase) or ()) != 1 or not proper(phrase):
        return False
    for i, m in enumerate(words):
        if m.group(0).lower() == phrase and m.group(0)[0].isupper():
            beside = [w for w in (words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None) if w]
            if any(w.group(0)[0].isupper() and text[min(w.end(), m.end()): max(w.start(), m.start())].isspace()
                   for w in beside):
                return True
    return False


def _glossed_names(text: str, words: Sequence[re.Match[str]], glosses: Sequence[tuple[str, tuple[str, ...]]],
                   spelled: Sequence[Romanised]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The glossed phrases an English text capitalises after its first word that the dictionary writes only
    capitalised (a name, not Town or King), each with its translations that name a place, a person or an
    organisation (France: 法国); not a people's word (Indian, African: 印度人, which qualifies a name), nor a pinyin
    name's syllables (Yu of Chen Yu: 盂县) or one syllable (Lu of Professor Lu: 鲁国), nor any in a title's words."""
    if not words or titled(words):
        return ()
    name_list = tagged(("ns", "nr", "nt"))
    spelled_words = {w.lower() for r in spelled for w in r.name.split()}
    out = []
    for phrase, chinese in glosses:
        at = re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text, re.IGNORECASE)
        if not (at and at.start() > words[0].start() and at.group(0)[0].isupper() and proper(phrase)):
            continue
        said = translations(phrase)  # as the dictionary has them: a people's 印度人 without the 印度 translate adds
        if spelled_words & set(phrase.split()) or len(syllables(phrase) or ()) == 1 \
                or any(w.endswith("人") and len(w) > 2 and w[:-1] not in said for w in said):
            continue
        # the place words, and a place word without its division (玉树 of 玉树县)
        if places := tuple(w for w in chinese if w in name_list or any(t in name_list and t.startswith(w) for t in chinese)):
            out.append((phrase, places))
    return tuple(out)


def _counterparts(prev: Question, text: str, terms: Sequence[str], nm: Sequence[str]) -> tuple[str, ...]:
    """The words of the question followed that a follow-up's names stand in place of, where it named nothing
    the analysis knows as a name: 青石 of 青石健身房年卡多少钱？ before 那白水健身房呢？, the word before a word both
    share (健身房) where the follow-up has its name."""
    def before(words: Sequence[str], where: str, word: str) -> str | None:
        at = where.find(word)
        earlier = [w for w in words if w != word and 0 <= where.find(w) < at]
        return max(earlier, key=where.find) if earlier else None

    out = []
    for shared in (t for t in terms if t in prev.terms):
        mine, theirs = before(terms, text, shared), before(prev.terms, prev.text, shared)
        if mine in nm and theirs and theirs not in terms and theirs not in mine and mine not in theirs:
            out.append(theirs)
    return tuple(dict.fromkeys(out))


def _position(text: str, nth: int = 0) -> tuple[int, str] | None:
    """The place in a numbered list the question asks for, and its words: 2 for 第二步 or 第2条, 12 for 第十二条, 0
    for 最后一步; nth=1, the place within that one it asks for next (第十四条第二项: 2)."""
    m = next(itertools.islice(_POSITION.finditer(text), nth, None), None)
    if m is None:
        return None
    n = m.group("n")
    number = int(n or 0) if n is None or n.isdigit() else small_number(n)
    return None if number is None else (number, m.group(0))


def _unlinked(before: str) -> str:
    """The words before the question word with 是 cut off, and 在 or 有 unless it ends a word of the dictionary
    (存在哪些问题, 具有什么特点): 书屋在哪 is 书屋 在 哪 and 青石镇有多少 青石镇 有 多少, which the segmenter would
    cut 书 屋在 and 青石 镇有."""
    before = _COPULA_TAIL.sub(" ", before)
    if before.endswith(("在", "有")) and not in_dictionary(segmenter().lcut(before)[-1]):
        return f"{before[:-1]} "
    return before


def _conditions(text: str) -> list[str]:
    """The counts a question states (满十年, 三天内): not an article (一种, 一支), part of a number (12千米) or a day
    of the calendar (七月, 十五日, 三号)."""
    out = []
    for m in _QUANTITY.finditer(text):
        numeral = re.match(rf"[{NUMERAL}]+", m.group(0)).group(0)
        if (numeral != "一" and m.group(0)[len(numeral):] not in ("月", "日", "号")
                and not (m.start() and text[m.start() - 1].isdigit())):
            out.append(m.group(0))
    return out


def _opening(text: str) -> tuple[str, ...]:
    """The phrases the clause holding a question's question word opens with, longest first, two words or more
    (青石学院新建了几间教室…: 青石学院): what the question asks about, as its own words spell it."""
    clauses = [c for c in CLAUSE_MARK.split(text) if c.strip()]
    clause = next((c for c in clauses if ANY_QUESTION_WORD.search(c)), clauses[-1] if clauses else "")
    # A phrase ends at a particle, preposition or conjunction (的, 在, 与); a verb may stay in it (站 of 观测站):
    # a passage holding the phrase decides how much of it names the thing.
    linking = tagged(_LINKING_TAGS, 1, 1)
    words: list[str] = []
    for w in segmenter().lcut(clause):
        if _CONTENT.fullmatch(w) and w not in STOPWORDS and w not in linking and not ANY_QUESTION_WORD.fullmatch(w):
            words.append(w)
        elif words:
            break
    return tuple("".join(words[:n]) for n in range(len(words), 1, -1))


def _anchors(text: str, terms: Sequence[str]) -> tuple[str, ...]:
    """The question's proper names and quoted titles, and its terms that jieba's dictionary does not list."""
    return tuple(dict.fromkeys([*proper_names(text), *(t for t in terms if not in_dictionary(t))]))


def _ordinal_forms(terms: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each ordinal term (第二个, 第三条) with the ways a document numbers its points (二是, 第二条, 其二), a first one
    (第一天, 第一次) and a time told from now (明年, 今天) with the ways a text writes them (首日, 首次; 次年, 当天)."""
    out = []
    for t in terms:
        if m := _ORDINAL.fullmatch(t):
            n = m.group(1)
            out.append((t, (f"{n}是", f"第{n}条", f"第{n}点", f"其{n}")))
        elif m := _FIRST.fullmatch(t):
            out.append((t, ("首" + _FIRST_AS.get(m.group(1), m.group(1)),)))
        elif t in _AS_WRITTEN:
            out.append((t, _AS_WRITTEN[t]))
    return out


# 第一天 is 首日, 第一次 首次, 第一批 首批: the first of a count as a text writes it.
_FIRST = re.compile(r"第一(天|日|次|年|届|批|期|场|位|座|家|所|部|辆|趟|站|轮|班|款)")
_FIRST_AS = {"天": "日"}
# A time the asker tells from now (明年, 今天), as a rule or a notice writes it of the time it speaks of.
_AS_WRITTEN = {"今年": ("当年", "本年度", "当年度"), "明年": ("次年", "翌年", "下一年"), "去年": ("上一年", "上年度", "前一年"),
               "今天": ("当天", "当日"), "明天": ("次日", "翌日"), "昨天": ("前一天", "前一日")}


def bigrams(text: str) -> frozenset[str]:
    """Adjacent Chinese character pairs: word-boundary-free overlap, robust to how a segmenter cuts rare names."""
    return frozenset(m.group(1) for m in re.finditer(r"(?=([\u4e00-\u9fff]{2}))", text))


def asks_by_word(text: str) -> bool:
    """Whether the text asks by a word: a question word, a yes-no question's particle (吗) or 呢 at its end."""
    return asks_for(text)[2] is not None or bool(_YES_NO.search(text) or text.rstrip("？? ").endswith("呢"))



def _askers_kin(word: str, said: str) -> bool:
    """Whether the word is the asker's kin as the question says it (said: its text less quoted names, so not
    《我的妈妈》, a title): 我爸, or 爸爸 of 我爸爸 cut apart."""
    return bool(_ASKERS_KIN.fullmatch(word) and word in said
                or re.fullmatch(_KIN, word) and re.search(_ASKERS + re.escape(word), said))


def _terms(text: str, cut: list[str]) -> list[str]:
    """Content words (cut: the text as jieba cuts it); a word's parts (联合体 -> 联合, 合体) are not counted again."""
    words = [*tokenize(text), *(w for w in _joined(cut) if w not in cut)]
    words = [_unglued(w) for w in words]
    said = _QUOTED_NAME.sub(" ", text)
    # A word made of function characters only (是从, 对于, 其他) names nothing a passage must hold.
    toks = [t for t in dict.fromkeys(words) if (len(t) > 1 or t.isascii()) and not _counts_only(t)
            and not _DEICTIC.fullmatch(t) and not _askers_kin(t, said) and t != _IF and t not in _HERE_AND_NOW
            and not all(ch in STOPWORDS for ch in t)]
    # (A hedge goes after its parts have gone with it: 差不多, not 不多.)
    hedges = _hedging(cut)
    return [t for t in toks if not any(t != o and t in o for o in toks) and t not in hedges]


def _hedging(cut: list[str]) -> set[str]:
    """The hedges of the cut text (its question words blanked out) that qualify what is asked (一般几点, 大概要多久),
    not a noun they name a kind of (一般纳税人, 一般事故)."""
    verbs, verb_characters = tagged(("v",)), tagged(("v",), 1, 1)  # (the tables load_tables reads)
    return {w for w, after in zip(cut, [*cut[1:], ""]) if w in _HEDGES and (
        not CJK.match(after) or ANY_QUESTION_WORD.match(after) or after in _MODAL_WORDS or after in verbs
        or after in verb_characters or re.match(rf"[{NUMERAL}\d]", after))}


# A demonstrative and a measure word (这篇, 这款, 此次, 该项) points at the document or the thing it tells of: a
# text says 本报讯 or 本产品, not the question's 这篇 or 这款, so it is nothing a passage must hold. (Not 本: 本名,
# 本科 are nouns.)
_DEICTIC = re.compile(rf"[这那该此](?:{MEASURE_RE})")
_IF = "的话"  # closes a clause of condition (去的话): grammar, not a word of the passage
# The asker's own kin (我爸, 我家孩子): whom the asker speaks for, which no passage names so (老人, 儿童 by a
# condition the asker states: 75岁).
_KIN = (r"(?:爸爸?|妈妈?|父亲|母亲|爷爷|奶奶|外公|外婆|姥姥|姥爷|老公|老婆|丈夫|妻子|爱人|儿子|女儿|孩子|小孩|宝宝|家人|家里"
        r"|家)")
_ASKERS = r"我(?:们)?(?:的)?(?:家)?"
_ASKERS_KIN = re.compile(_ASKERS + _KIN)
_QUOTED_NAME = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」")
# "Now", which a text says in any of these words (目前已建成两座 answers 现在建了几座), and "here", "there" (县城那边):
# no word a passage must hold.
_HERE_AND_NOW = frozenset({"现在", "目前", "如今", "当前", "眼下", "现今", "时下",
                           "这边", "那边", "这里", "那里", "这儿", "那儿"})
# Words hedging the amount asked (大概多远, 一般几点): how exactly the asker wants it, no word a passage holds.
_HEDGES = frozenset({"大概", "大约", "大致", "大体", "差不多", "一般", "通常", "基本上", "往往"})
# 跟…有关的, 和…相关的: what the question relates its noun to, not a word of the text (有关部门 is one).
_RELATED = re.compile(r"[跟和与同][^，,；;？?。]{1,12}?(有关|相关)的")


def _word_at(text: str, at: int) -> str:
    """The word the segmenter cuts starting at this position of the text ("" where none starts there)."""
    start = 0
    for w in segmenter().lcut(text):
        if start == at:
            return w
        if start > at:
            return ""
        start += len(w)
    return ""


def _counts_only(word: str) -> bool:
    """A word that counts (一次, 两个) or says "each" of things (每个, 每人): nothing a passage must hold. A rate in
    a unit (每年, 每平方米) is written so in the text that states it."""
    if word.startswith("每"):
        return bool(_PER.fullmatch(word)) and MEASURES.get(word[1:].removeprefix("个")) not in UNITS
    return bool(_QUANTITY.fullmatch(word))


def _unglued(word: str) -> str:
    """The word without a pronoun the segmenter glued to a verb it does not know with it (他教 in 他教什么; not 我司,
    a pronoun and a noun: "our firm"), an aspect particle or an auxiliary glued to a verb (建了, 能供), an adverb,
    a negation or a loose measure glued to a word (分才, 没休, 买个), or a modal verb glued to either side of a word
    (证要, 要放)."""
    if len(word) == 3 and word[1] in _ASPECTS and word[2] == "个":
        return word[0]  # 开了个 (which the dictionary lists): a verb, its aspect and a loose measure
    if len(word) < 2 or in_dictionary(word):
        return word
    if word[0] in _PRONOUNS and (word[1:] in tagged(("v",), 1, 1) or word[1:] in tagged(("v",))):
        return word[1:]
    if len(word) == 2 and word[1] in _ASPECTS:
        return word[0]  # 建了: a verb and its aspect particle, which no passage need hold
    if len(word) == 2 and word[0] not in SURNAMES and word[1] in _ADVERBS + "个":
        return word[0]  # 分才, 买个: a word and the adverb of what follows it, or a loose measure (not 陈才, a name)
    if len(word) == 2 and word[0] in _ADVERBS:
        return word[1]  # 才行, 就行: the adverb and a word of what it qualifies ("will do")
    if word[-1] in "能可" and word[-2] not in _AUXILIARIES \
            and (len(word) > 2 or word[0] not in SURNAMES and word[0] in tagged(("n",), 1, 1)):
        return _unglued(word[:-1])  # 卡能, 团检能: a thing and the auxiliary of what may be done with it (not 赋能)
    if len(word) > 2 and word[0] in _GOING:
        return _unglued(word[1:])  # 去岚州: the place gone to
    if len(word) == 2 and word[0] in _NEGATIONS:
        return word[1]  # 没休: a verb and its negation
    if len(word) == 2 and word[0] in _AUXILIARIES and (word[0] != "会" or word[1] in tagged(("v",), 1, 1)):
        return word[1]  # 能供, 可退: what can be done is the verb (not 会龄, a noun)
    *rest, last = _modal_apart(word)
    if rest and last in _MODALS:
        return rest[0]
    return _unglued(last) if rest else last  # 想买个: what the modal governs may be glued again


def _modal_apart(word: str) -> list[str]:
    """The word with a modal verb the segmenter glued to it cut off (水要 -> 水 要), unless its dictionary lists it;
    and a bound (最多, 至少) from the modal its dictionary lists it with (最多能: at most, then can)."""
    if len(word) == 3 and word[0] in "最至" and word[-1] in "能可要":
        return [word[:2], word[2]]
    if len(word) < 2 or in_dictionary(word):
        return [word]
    return [word[0], word[1:]] if word[0] in _MODALS else [word[:-1], word[-1]] if word[-1] in _MODALS else [word]


# A verb and its object parted by a count or an aspect (请两天假, 开了个会, 帮个忙, 见过面): the verb the dictionary
# lists whole (请假), as a text that states the rule writes it.
_PARTED = re.compile(rf"(?=([\u4e00-\u9fff])([了过着]?(?:[\d{NUMERAL}半几]+|多少|好几)?(?:{MEASURE_RE})?)([\u4e00-\u9fff]))")


def _parted_verbs(text: str) -> list[str]:
    """The verbs of two characters that a count or an aspect parts in the text (请两天假: 请假), each part opening a
    word of the text as the segmenter cuts it (not 加 of 增加 in 增加了几个班)."""
    verbs = tagged(("v", "vi", "vn"), 2, 2)
    starts = set(itertools.accumulate((len(w) for w in segmenter().lcut(text)), initial=0))
    return [m.group(1) + m.group(3) for m in _PARTED.finditer(text)
            if m.group(2) and m.group(1) + m.group(3) in verbs and {m.start(), m.start(3)} <= starts]


def _compounds(cut: list[str]) -> list[str]:
    """Each lone content character jieba left apart (艾 in 七月 艾) with the content words right beside it: a name
    cut apart, which the question's terms (of two characters or more) would otherwise lose."""
    # A compass point (西 of 西 寄存处, which jieba tags a direction as it does 上 and 内) tells one of two things of
    # a name apart, as 东 (tagged a place) does.
    function, verbs = tagged(FUNCTION_TAGS, 1, 1) - set(COMPASS), tagged(("v",))
    counting = tagged(_COUNTING_TAGS, 1, 1)  # 一, 些, 家: what is left of a question word (哪一, 哪些, 哪家)

    def content(w: str) -> bool:
        return bool(_CONTENT.fullmatch(w)) and w not in STOPWORDS and w not in function and w not in verbs

    out = []
    for i, w in enumerate(cut):
        if (len(w) != 1 or not CJK.match(w) or not content(w) or w in counting
                or (i and _NUMERIC.fullmatch(cut[i - 1]))):
            continue
        lo, hi = i, i + 1
        while lo > 0 and i - lo < _GLUED and content(cut[lo - 1]) and not _NUMERIC.fullmatch(cut[lo - 1]):
            lo -= 1
        while hi < len(cut) and hi - i <= _GLUED and content(cut[hi]):
            hi += 1
        if hi - lo > 1:
            out.append("".join(cut[lo:hi]))
    return list(dict.fromkeys(out))


def _joined(words: list[str]) -> list[str]:
    """The words with each run of single characters that jieba left apart joined (年 假 -> 年假): a word its
    dictionary lacks. A character its dictionary tags as a function word or a verb (为, 上, 起), or a unit right
    after a number (1984 年), ends a run."""
    out: list[str] = []
    run = ""
    function = tagged(FUNCTION_TAGS, 1, 1)
    for prev, w in zip(["", *words], words):
        if (len(w) == 1 and CJK.match(w) and w not in STOPWORDS and w not in function
                and not _NUMERIC.fullmatch(prev)):
            run += w
            continue
        out += [run, w] if run else [w]
        run = ""
    return out + [run] if run else out


# Measure words that count no amount but follow 哪 as any does (哪道菜, 哪款车): not counted, so not in MEASURES.
_AFTER_WHICH = frozenset("道款")


def _category(text: str, span: tuple[int, int] | None, lang: str) -> str | None:
    """The noun right after the question word (多少资金, 哪座城市): what kind of thing is asked for."""
    if span is None or lang != "zh":
        return None
    after = [t for t in _joined(segmenter().lcut(text[span[1]:])) if t.strip()][:3]
    # 谁 stands for a noun, it does not qualify one: what follows it is what was done (谁命名的), unless 的 comes
    # first (谁的妻子).
    word = text[span[0]: span[1]]
    pronoun = word.endswith(_WHO)
    for i, t in enumerate(after):
        # A count (一个, 两种), 的 (谁的妻子) or a quality (哪些著名的景点) stands before the noun asked about.
        if t == "的" or _PER.fullmatch(t) or t in _HEDGES:
            continue
        if len(u := _unglued(t)) < 2 <= len(t):
            # 多久才行, 多久能出: what is said of it, no noun; 什么卡能暂停: the one-character noun before it is
            if not i and word.endswith("什么") and t.startswith(u) and u in tagged(("n",), 1, 1):
                return u
            break
        if t in tagged(("a",), 1) and any(n == "的" or _WORD.match(n) for n in after[i + 1: i + 2]):
            continue
        if pronoun and (not i or after[i - 1] != "的"):
            break
        if not i and word.endswith("哪") and (t[:1] in MEASURES or t[:1] in _AFTER_WHICH) and CJK.fullmatch(t[1:2]) \
                and t[1:] not in STOPWORDS:
            return t[1:]  # 哪 takes a measure word, which the segmenter may glue to the noun (哪首歌: 首歌)
        if _WORD.match(t) and t not in STOPWORDS and t not in MEASURES:
            return t
        if not i and word.endswith(("什么", "多少")) and len(t) == 1 and t in tagged(("n",), 1, 1) \
                and t not in MEASURES and t != "钱" and not any(CJK.match(n) for n in after[1:2]):
            return t  # 什么班, 多少水: a noun of one character ends the question (多少钱 asks the price of another)
        if t not in MEASURES and not re.fullmatch(rf"[{NUMERAL}\d]+", t):
            break
    return None


def _focus_before(text: str, span: tuple[int, int] | None, lang: str) -> str | None:
    """The noun right before the question word (水费是多少): the focus when none follows it."""
    if span is None or lang != "zh":
        return None
    if text[span[0]: span[1]].endswith(_WHO) and not re.search(r"[是为]\s*$", text[: span[0]]):
        return None  # 校长是谁 asks for the 校长; in 由谁设计, 和谁一起 the word before is no such thing
    # Before it: drop the linking words (是, 有, 一共...) first, so that a word glued to them (费是) comes apart,
    # and a count or rate after the noun (学费一年多少钱, 饭菜每月多少钱).
    before = _LINK_TAIL.sub("", text[: span[0]])
    # A modal glued to either side (证要, 要交) comes apart first, so that it is dropped below as a word of its own.
    toks = [p for t in _joined(segmenter().lcut(before)) if t.strip() for p in _modal_apart(t)]
    # 会 is "will" when the segmenter leaves it alone (它们会), and ends a noun otherwise (基金会, 运动会).
    while toks:
        if len(toks) > 1 and _PER.fullmatch(toks[-2] + toks[-1]):  # a rate cut in two (每个 月)
            del toks[-2:]
        elif _PER.fullmatch(toks[-1]) or toks[-1] == "会" or _LINK_TAIL.fullmatch(toks[-1]) or toks[-1] in _MODAL_WORDS \
                or toks[-1] in _HEDGES:
            toks.pop()  # and a linking word the count stood after (带出了一支: 了), a modal verb (门票需要多少钱)
        elif len(toks) > 1 and toks[-2] in _MODAL_WORDS and toks[-1] in tagged(("v",), 1, 1):
            del toks[-2:]  # a modal verb and the verb it governs (电费需要交多少)
        else:
            break
    if not toks:
        return None
    last = _unglued(toks[-1])
    if len(toks[-1]) == 1 and len(toks) > 1 and _WORD.match(toks[-2]) \
            and not re.search(f"{re.escape(last)}[{_ASPECTS}]", text[: span[0]]):
        last = toks[-2] + last  # a one-character suffix noun (水费, 健康跑), not a verb done (大桥修了几年)
    return last if _WORD.match(last) and last not in STOPWORDS else None


def load_tables() -> None:
    """Read every dictionary table that analysis uses, and compile the patterns it compiles when first asked, so
    that no question pays for one."""
    tables: list[tuple[Any, ...]] = [(("a",), 1), (("ns", "nr", "nt", "nz"),), (("ns", "nr", "nt"),),
                                     (FUNCTION_TAGS, 1, 1), (("v",),), (_COUNTING_TAGS, 1, 1), (_LINKING_TAGS, 1, 1),
                                     (("n",), 1, 1), (("v",), 1, 1), (("t",),), (("v", "vi", "vn"), 2, 2)]
    for args in tables:
        tagged(*args)
    compile_patterns()


def names(text: str, lang: str = "zh") -> list[str]:
    """Proper names (places, people, organisations), quoted titles and multi-digit numbers (not one it compares
    with: 超过60门); Latin words inside Chinese (APP, Python) and Chinese words inside English are names too."""
    # (Not the numbers of a day it names, 2月16日: the day is a term, which a text may hold as a span of days.)
    out = QUOTED.findall(text) + re.findall(r"\d{2,}", DAY_OF_MONTH.sub(" ", _BOUND.sub(" ", text)))
    if lang == "en":
        amounts = re.findall(r"\d+(?:\.\d+)?[万亿]", text)  # 1.6亿: an English amount written the Chinese way
        return list(dict.fromkeys(out + amounts + re.findall(r"[\u4e00-\u9fff]{2,}", text)))
    proper = tagged(("ns", "nr", "nt", "nz"))
    out = [w for w in segmenter().lcut(text) if w in proper] + out
    codes = [m.group(0) for m in _CODE_NAME.finditer(text)
             if not (re.search(r"[A-Za-z][ ]\d+$", m.group(0)) and _AMOUNT_AFTER.match(text, m.end()))]
    parts = [w for w in out + _LATIN_WORD.findall(text) if not any(w in c and w != c for c in codes)]
    return list(dict.fromkeys(parts + codes))


def proper_names(text: str) -> list[str]:
    """Places, people and organisations (jieba's ns/nr/nt words; not nz, which tags many common nouns), quoted
    titles and Latin words, as a generated sentence states them: what its passage must contain too."""
    proper = tagged(("ns", "nr", "nt"))
    out = [w for w in segmenter().lcut(text) if w in proper] + QUOTED.findall(text)
    return list(dict.fromkeys(out + _LATIN_WORD.findall(text)))


# Verbs that stand for any action (做 in 你能做什么, 帮 in 你能帮我做什么): they name nothing to look for, as 考 or 借 do.
_PRO_VERBS = frozenset({"做", "干", "搞", "弄", "办", "帮", "用"})


def content_words(question: str) -> list[str]:
    """Question words that can name something: not question or function words, digits, or single CJK characters
    other than nouns and verbs (书 in 书在哪借, 考 in 考哪几门; not 做 in 你能做什么)."""
    nouns, verbs = tagged(("n",), 1, 1), tagged(("v",), 1, 1)
    return [t for t in tokenize(question) if not t.isdigit() and (len(t) > 1 or t.isascii() and t.isalpha()
                                                                 or t in nouns or t in verbs and t not in _PRO_VERBS)]


def has_words(question: str) -> bool:
    """Whether the question holds any letter or digit at all (not only punctuation, symbols, space)."""
    return any(c.isalnum() for c in question)
