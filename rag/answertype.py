"""Whether a sentence holds a thing of the type a question asks for: a number of the asked measure, a date, a person,
a place, a reason, a post, a contact. It reads the same measure and question tables as the analysis
(rag/question.py, rag/quantity.py), so the question side and the sentence side cannot disagree."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from .lexicon import cedict_path, common_ending, names_tagged
from .quantity import (
    CALENDAR,
    DATE,
    DIMENSIONS,
    FRACTION,
    GENERAL_MEASURE,
    MEASURE_RE,
    MEASURES,
    NAMING_MEASURES,
    NUMBER,
    NUMBER_WITH_MEASURE,
    NUMERAL,
    PEOPLE_BY_THE_PIECE,
    SPANS,
    UNITS,
    number_value,
)
from .question import FUNCTION_TAGS, Question
from .text import (
    CJK,
    CLAUSE_MARK,
    SURNAMES,
    cached_in_temp,
    in_dictionary,
    segmenter,
    simplified,
    tagged,
)

# A bound a text sets on a count (满5年, 不满15年, 超过两天, 七天以内, 70岁以上, 4至8岁): what an amount the asker
# states (工龄8年, 请两天假, 我72岁) is checked against when the text does not write it. A negation turns a bound
# round (不得超过5天: at most 5).
_GE, _GT, _LT, _LE = (lambda v, n: v >= n), (lambda v, n: v > n), (lambda v, n: v < n), (lambda v, n: v <= n)
_MORE, _LESS = ("超过", "多于", "高于", "大于"), ("少于", "低于", "小于")
_NEGATED = ("不得", "不能", "不可", "不应", "不宜", "没有", "未", "没", "不")
_BOUND_BEFORE = {**dict.fromkeys(("满", "年满", "至少"), _GE), **dict.fromkeys(_MORE, _GT),
                 **dict.fromkeys((*_LESS, "不满", "未满", "不足", "不到"), _LT),
                 **{n + w: _LE for n in _NEGATED for w in _MORE}, **{n + w: _GE for n in _NEGATED for w in _LESS}}
_BOUND_AFTER = {**dict.fromkeys(("以上", "及以上", "或以上"), _GE),
                **dict.fromkeys(("以下", "及以下", "或以下", "以内", "之内"), _LE)}
# The number of a bound, whole (not the tail of a longer run of digits: each start would be tried again).
_A_NUMBER = rf"(?<![\d{NUMERAL}.,])(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{NUMERAL}]+)"
_BOUNDED = re.compile(rf"(?P<before>{'|'.join(sorted(_BOUND_BEFORE, key=len, reverse=True))})?\s*(?P<n>{_A_NUMBER})\s*"
                      rf"(?P<m>{MEASURE_RE})(?P<after>{'|'.join(sorted(_BOUND_AFTER, key=len, reverse=True))})?")
_RANGE = re.compile(rf"(?P<a>{_A_NUMBER})\s*(?:{MEASURE_RE})?\s*(?:至|到|-|—|~|～)\s*(?P<b>{_A_NUMBER})\s*(?P<m>{MEASURE_RE})")
# Measure words of one unit and their size in it: 3日 bounds 5天, 500块 bounds 800元, 1万元 bounds 12000元, 40分钟
# bounds 2小时, 24小时 one day. Any other measure word bounds only itself.
# Days, weeks and hours are one unit: 晚交两天 lies within 迟交24—72小时.
_UNIT_OF = {**dict.fromkeys(("天", "日"), ("hour", 24.0)),
            **dict.fromkeys(("周", "星期", "个星期", "礼拜", "个礼拜"), ("hour", 168.0)),
            **dict.fromkeys(("小时", "个小时", "钟头", "个钟头"), ("hour", 1.0)), "分钟": ("hour", 1 / 60),
            **dict.fromkeys(("元", "块"), ("yuan", 1.0)), "万元": ("yuan", 1e4), "亿元": ("yuan", 1e8),
            **dict.fromkeys(("岁", "周岁", "虚岁"), ("age", 1.0)),  # (not 月: 3月 is a month of the year)
            **dict.fromkeys(("人", "个人", "名", "位", "口"), ("people", 1.0)),  # 六个人 is within 5-8人
            # Weights, lengths and volumes, in words or (as the lower-cased text writes them) symbols: 15公斤 is
            # within 10～20kg.
            **dict.fromkeys(("公斤", "千克", "kg"), ("kg", 1.0)), "斤": ("kg", 0.5), "吨": ("kg", 1e3),
            **dict.fromkeys(("克", "g"), ("kg", 1e-3)), **dict.fromkeys(("毫克", "mg"), ("kg", 1e-6)),
            **dict.fromkeys(("公里", "千米", "km"), ("m", 1e3)), **dict.fromkeys(("米", "m"), ("m", 1.0)),
            **dict.fromkeys(("里路", "里地"), ("m", 500.0)),
            **dict.fromkeys(("厘米", "cm"), ("m", 1e-2)), **dict.fromkeys(("毫米", "mm"), ("m", 1e-3)),
            "升": ("l", 1.0), **dict.fromkeys(("毫升", "ml"), ("l", 1e-3)),
            # (A sachet is a 包 or a 袋, a pill a 粒 or a 颗: quantity.MEASURES.)
            **dict.fromkeys(("包", "袋"), ("packet", 1.0)), **dict.fromkeys(("粒", "颗"), ("grain", 1.0))}
# What parts the cells or the rows of a rule: each states its own bounds (a tier of a table per line).
_CLAUSE_OR_ROW = re.compile(r"[，；;。\n|\t]|,(?!\d{3})")  # not the comma of 1,000
Bound = tuple[Callable[[float, float], bool], float]


def _scale(m: str, measure: str) -> float | None:
    """What a number in measure word m counts in the asked measure (1 for the same word; 1/60 for 分钟 of 小时), or
    None when m measures something else. 个 counts anything not measured in units, an age or an order (三十个 of
    20人以上; not 18岁以上)."""
    if m == measure or measure == GENERAL_MEASURE and MEASURES.get(m) not in _AMOUNTS and m not in NAMING_MEASURES:
        return 1.0
    unit, size = _UNIT_OF.get(m, (m, 1.0))
    asked, asked_size = _UNIT_OF.get(measure, (measure, 1.0))
    return size / asked_size if unit == asked else None


def _mentions_measure(text: str, measure: str) -> bool:
    """Whether the text has a measure word a bound on the asked measure could be written in (most have none)."""
    if measure == GENERAL_MEASURE:
        return True
    unit = _UNIT_OF.get(measure, (measure,))[0]
    return measure in text or any(m in text for m, (u, _) in _UNIT_OF.items() if u == unit)


@lru_cache(maxsize=16384)
def _bounds(sentence: str, measure: str) -> tuple[tuple[Bound, ...], ...]:
    """Each clause's bounds on a count in the asked measure (满5年不满15年: at least 5, under 15), in its size."""
    out = []
    for clause in _CLAUSE_OR_ROW.split(sentence):
        tests: list[Bound] = []
        for m in _RANGE.finditer(clause):
            a, b, k = number_value(m["a"]), number_value(m["b"]), _scale(m["m"], measure)
            if a is not None and b is not None and k is not None:
                tests += [(_GE, a * k), (_LE, b * k)]
        for m in _BOUNDED.finditer(_RANGE.sub(" ", clause)):
            n, k = number_value(m["n"]), _scale(m["m"], measure)
            if n is not None and k is not None:
                tests += [(_BOUND_BEFORE[x], n * k) for x in (m["before"],) if x]
                tests += [(_BOUND_AFTER[x], n * k) for x in (m["after"],) if x]
        if tests:
            out.append(tuple(tests))
    return tuple(out)


def _clauses(text: str, measure: str) -> tuple[tuple[Bound, ...], ...]:
    """The bounds of each clause of the text on a count in the asked measure (none read without its measure word)."""
    return _bounds(text, measure) if _mentions_measure(text, measure) else ()


def bounds(sentence: str, measure: str) -> bool:
    """Whether a clause of the sentence bounds a count in the measure (满10年不满20年, 6岁以下)."""
    return bool(_clauses(sentence, measure))


def within(sentence: str, value: float, measure: str, floor: float = -math.inf) -> bool:
    """Whether a clause of the sentence bounds a count in the asked measure and the value lies within every bound
    of it (满5年不满15年: 8 years does, 20 does not). A clause bounding it from below alone holds it only at the
    floor, the highest such bound of its passage that the value reaches: of the tiers 满一年的…；满十年的…, ten
    years is the second's."""
    return any(_meets(tests, value) and (any(test in (_LT, _LE) for test, _ in tests)
                                         or max(n for _, n in tests) >= floor)
               for tests in _clauses(sentence, measure))


def _meets(tests: tuple[Bound, ...], value: float) -> bool:
    """Whether the value meets a clause's bounds: all of them, or one of them where they exclude each other
    (6岁以下、70岁以上: below the one or above the other)."""
    lows = [n for test, n in tests if test in (_GE, _GT)]
    highs = [n for test, n in tests if test in (_LT, _LE)]
    either = bool(lows and highs and max(lows) > min(highs))
    return (any if either else all)(test(value, n) for test, n in tests)


def floor_of(text: str, value: float, measure: str) -> float:
    """The highest bound from below alone (满十年的) that the value reaches in the text, -inf for none."""
    floors = [n for tests in _clauses(text, measure)
              if all(test in (_GE, _GT) for test, _ in tests)  # a tier bounded from below alone
              for test, n in tests if test(value, n)]
    return max(floors, default=-math.inf)


# A name of letters and digits (KJ500F-A7, FL-A7H, A4, PM2.5): what a thing is called, not how much of it.
_CODE = re.compile(r"(?<![A-Za-z0-9])(?!(?:RMB|CNY|USD|HKD|EUR|JPY|GBP|US|HK|NT)\$?\d)[A-Za-z]+[A-Za-z-]*\d[A-Za-z0-9.\-]*")
# What a sentence stating a bare number as a sum speaks of: a price, a fee, a subsidy, a fine.
_PRICED = re.compile(r"价|费|钱|金|租|薪|资|款|售|付|元|块|收取|补贴|补助|奖|津贴|票|报销|罚|赔|[¥￥$]|price|cost|fee|pay",
                     re.IGNORECASE)
_PRICE_OPENS = re.compile(r"\s*(?:[单售总原定标票报]|参考)?(?:价格?|费用?|金额|租金)")
# Measure words counting things of any kind (3件 for 几台), and those counting no things (how often, which, who).
_ANY_THING = frozenset({"个", "件"})
# A number listed before one with a measure word is in that measure (306、312号, 3至5米).
_SHARED_MEASURE = re.compile(rf"(\d+)(?=(?:[、和或至到~～-]\d+)+\s*({MEASURE_RE}))")
_NAMING_NO_SIZE = frozenset({"号", "届", "期", "轮", "代", "任"})
_NOT_THINGS = NAMING_MEASURES | frozenset({"次", "场", "遍", "趟", "回", "顿", "门", "岁", "倍", "分", "volume", "people"})
# A date marked as an end: …止, …前, 至…, 截止日期为….
_ENDING = re.compile(rf"(?:{DATE.pattern})[^，。；;]{{0,8}}?(?:止|截止|结束|到期|为限|之前|以前|前|之内|以内|闭幕|落幕|关闭|最后一天)"
                     rf"|(?:至|到|截至|截止|—|～|~)\s*(?:{DATE.pattern})"
                     rf"|(?:截止|截至|到期|结束|终止|期限)[^，。；;]{{0,6}}?(?:{DATE.pattern})")
# What makes a price nothing: asked a fee, 学费全免 answers it though it names no sum.
_FREE = re.compile(r"免费|全免|免收|免交|不收费|不收取|零收费|分文不取|\bfree\b|no charge", re.I)
_AMOUNTS = UNITS | {"岁"}  # an age is an amount of years, told in 岁
_CLOCK = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}(?!\d)")
# From one time to another (08:30—11:45, 八点到十点半, 6月15日至9月10日): how long something lasts, told by when it
# starts and ends; or by a span named in words (半年, 当天; 每季度 of how often).
_TO = r"\s*(?:至|到|—+|–|-|~|～)\s*"
_O_CLOCK = rf"(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})\s*[点时](?:半|\d{{1,2}}分)?"
# (Not a ratio: 1:50-1:100.)
_CLOCK_RANGE = re.compile(rf"(?<![\d:]){_CLOCK.pattern}{_TO}{_CLOCK.pattern}(?![:：])|{_O_CLOCK}{_TO}{_O_CLOCK}")
_DAY_RANGE = re.compile(rf"(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})\s*月\s*(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})\s*[日号]{_TO}"
                        rf"(?:(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})\s*月)?\s*(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})\s*[日号]"
                        rf"|\d{{4}}\s*年{_TO}\d{{4}}\s*年")
_SPAN_WORD = re.compile(r"半(?:个)?(?:小时|天|月|年)|当[天日]|次日|隔天|终身|永久")
_EVERY = re.compile(r"每(?:天|日|周|星期|月|个月|季度?|年|小时)")  # how often: 多久…一次 is answered by 每季度
_HOURS = frozenset({"小时", "个小时", "钟头", "个钟头", "分钟", "秒"})
_COUNTING = "|".join(m for m, c in MEASURES.items() if c not in UNITS)  # words that count things: 种, 座, 个
# A quoted name or title (“3+2”模式, 《十年》): no quoted speech, which holds a sentence's or a clause's mark.
_SHORT_QUOTE = re.compile(r"[“\"《「『][^“”\"《》「」『』。！？，；!?,;]{1,12}[”\"》」』]")
_PLACE_IN_ORDER = re.compile(rf"第\s*(?:\d+|[{NUMERAL}]+)")
_CLAUSES_AND_MARKS = re.compile(f"({CLAUSE_MARK.pattern})")  # a split keeping the mark between each two clauses
# The day after something that a thing is done on (签收后第3个工作日返还, 付款后第二天发货): how many days it takes.
_DAY_IN_ORDER = re.compile(rf"后\s*第\s*(?:\d+|[{NUMERAL}]+)\s*(?=(?:个)?(?:工作日|自然日|天|日))")
_ARTICLE = re.compile(rf"(?<![{NUMERAL}\d])一(?=(?:{_COUNTING}))")  # 一种, 一座: "a", not a number
# (Not 一个, which also opens a span: 一个多小时, 一个学期.)
_ARTICLE_NOT_A_SPAN = re.compile(rf"(?<![{NUMERAL}\d])一(?!个)(?=(?:{_COUNTING}))")
# Asked which year, a sentence names one, or an era, a decade or a dynasty: not a day, a season or an hour of no
# stated year (每天上午, 春季).
_A_YEAR = re.compile(
    # 300年历史, 三千年前: a span of years, not one; 1200名, 1500元: a count, not a year
    rf"(?<![\d.])\d{{3,4}}\s*年(?![前来间多余]|历史)|(?<![\d.,])(?:1\d|20)\d{{2}}(?![\d.,%]|\s*[\u4e00-\u9fff])"
    rf"|[{NUMERAL}]{{4}}\s*年(?![前来间多余]|历史)|元年|年代|世纪|年间|公元|当年|同年|次年|翌年|那年|去年|今年|明年|前年"
    # a dynasty or its part (唐末, 明代, 北宋); not 周末 (a weekend) or 夏初 (early summer)
    r"|[商秦汉晋隋唐宋元明清](?:朝|代|初|末|中叶)|[夏周](?:朝|代)|[东西南北](?:汉|晋|宋|周|魏|齐)")
# Asked what time of day (几点), a sentence tells an hour, a part of the day or that it is all day (全天开放).
_HOUR_DIGITS = r"(?<![\d.])(?:[01]?\d|2[0-4])"  # 0 to 24: not 3点 of a score of 9.5点 or 100点
# A number of points (3点要求, 两点意见) is no hour: the noun after it tells.
_POINTS = r"(?!\s*(?:心|评|赞|击|名|数|位|要求|意见|建议|优势|内容|原因|理由|措施|好处|不足|看法|体会|感受|原则|方面|问题|做法|经验|注意))"
# What follows an hour a Chinese numeral tells alone (八点开门, 十二点前): not 两点建议 (two points) nor 三点。
_AFTER_HOUR = r"(?=钟|半|整|前|后|起|以前|以后|左右|开|关|到|至|上班|下班|放学|退房|营业|出发|发车|结束|开始|\s*[—~～-])"
_AN_HOUR = re.compile(rf"{_HOUR_DIGITS}\s*[:：]\s*[0-5]\d(?!\d)|{_HOUR_DIGITS}\s*点(?:\d{{1,2}}(?!\d)|{_POINTS})"
                      rf"|{_HOUR_DIGITS}\s*时(?![间期代刻候])"
                      # 九点半, 早七点, 到十点, 七点至九点, 八点开门, 十六时三十分: not 一点 (a little) alone
                      rf"|(?!一点(?![钟半整]))[{NUMERAL}]{{1,3}}点(?:[{NUMERAL}]{{1,3}}分|{_AFTER_HOUR})"
                      rf"|(?:早|晚|午|到|至|每天|每日)(?!一点)[{NUMERAL}]{{1,3}}点|[{NUMERAL}]{{1,3}}时[{NUMERAL}]{{1,3}}分"
                      r"|凌晨|清晨|早上|早晨|上午|中午|正午|午后|下午|傍晚|晚上|晚间|夜间|夜里|午夜|半夜|零点|全天|昼夜|24小时|二十四小时"
                      r"|\b(?:[01]?\d|2[0-4])(?:[:.][0-5]\d)?\s*[ap]\.?m\.?(?![a-z])"
                      r"|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*o'clock"
                      r"|\b(?:noon|midnight|in the (?:morning|afternoon|evening))\b", re.I)
# (为 of 成为, 作为, 认为 is no purpose: 成为了校长.)
_REASON = re.compile(r"因为|由于|因此|所以|(?<![成作认称视改变转沦选])为了|导致|原因|因而|以便|旨在|从而|是因|鉴于"
                     r"|之所以|造成|使得|以免|目的|得名|缘故|而生|出于"
                     # 因 opening a clause, or after its time (1958年因病辞职), or before what a cause is (因伤退役)
                     # (not 因地制宜, 因材施教, 因人而异, 基因)
                     r"|(?:^|[，,；;]|[年月日后时])因(?!素|地制宜|材施教|人而异|势利导|果)|(?<!基)因(?:病|伤|故|公|罪|涉嫌)"
                     # done for a purpose (为纪念建校而建, 为方便居民而设) or in memory of one (以纪念)
                     r"|(?<![成作认称视改变转沦选较更极颇最定以行因])为了?(?:纪念|庆祝|表彰|方便|满足|解决|适应|保护|迎接|丰富"
                     r"|改善|提高|加强|推动|促进|保障)[^，,。；;！？!?]{0,18}?而|以纪念")
_PLACE_SUFFIX = "省市县区镇乡村州国岛山河湖江海路街港湾城洲"
# Where in or at a building (各栋楼北侧, 三楼东侧, 一楼大厅, 设在第3层, 南门门口): the places a notice or a guide
# names. Not 旁边, 对面 or 隔壁, which as often tell what stands beside the thing asked about (夜校旁边有一条河), nor
# a count of floors or layers (共有18层, 一层薄冰).
_WHERE_INSIDE = re.compile(r"[东南西北]侧|楼下|楼上|门口|(?:[一二三四五六七八九十]|\d+)楼(?![房梯])"
                           r"|(?:第|在|位于|设在)(?:[一二三四五六七八九十]|\d+)层")
# What names no place before its kind (这座 山, 一条 河, 渡过 河): pronouns, numbers, counts, verbs, function words.
_NOT_A_PLACE_NAME = ("r", "m", "q", "mq", "d", "p", "c", "u", "v", "f")
_PLACES_FORMAT = 1  # of the cached common place words: raise it when lexicon.common_ending changes
# A line that labels its value with the kind asked for (报名地点：…, 开放时间：…, 联系人：…) holds a thing of that kind,
# however the value is written (一楼大厅 has no place suffix, 每周一上午 no date a pattern reads).
# A field may open the line or follow another (日期：5月5日，带班领导：周强): a table row read as labelled cells.
_FIELD_AT = r"(?:^|[，,；;]\s*)[^\s：:，。,；;]{0,8}"
# The posts that answer who (a rule's 负责人, a notice's 联系人, a school's 班主任).
_POSTS = (r"负责人|责任人|联系人|经理|主任|主管|上级|领导|书记|总监|秘书|专员|管理员|班主任|辅导员|老师|医生|医师|教练|讲师"
          r"|教授|律师|导游")
_LABELLED = {
    "place": re.compile(rf"{_FIELD_AT}(?:地点|地址|住址|位置|场所|所在地|地方)\s*[：:】]\s*[^\s，,；;]"),
    "date": re.compile(rf"{_FIELD_AT}(?:时间|日期|时段|期限)\s*[：:】]\s*[^\s，,；;]"),
    "person": re.compile(rf"{_FIELD_AT}(?:人|者|员|姓名|教师|{_POSTS}|[校院处局科所站馆组班队镇乡村室]长)"
                         r"\s*[：:】]\s*[^\s，,；;]"),
}
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.．、)）]|[（(]\d{1,2}[）)])(?!\d)")


@lru_cache(maxsize=1024)
def _field_of(focus: str) -> re.Pattern[str]:
    return re.compile(rf"{_FIELD_AT}{re.escape(focus)}\s*[：:】]\s*[^\s，,；;]")


def _labelled_by(focus: str, sentence: str) -> bool:
    """Whether the sentence holds a field the focus labels (办公室：信息楼 615 for 办公室在哪)."""
    return len(focus) > 1 and focus in sentence and bool(_field_of(focus).search(sentence))


# A post who does what a rule or a notice says (由科室负责人签批, 由财务总监签字, 请联系班主任): who answers 找谁 and
# 谁审批 there, as a name does elsewhere; a word of the sentence ending so (not 长 of 长期).
_ROLE = re.compile(rf"[\u4e00-\u9fff]{{0,4}}(?:{_POSTS}|[校院处局科所站馆组班队部厂店社会]长)")
# Who does what a rule, a notice or a contract says is as often a body or a party as a person: an organisation by
# the ending of its name (管理委员会, 物业服务有限公司, 学生工作处), a party to a contract (甲方, 承租方) or one named by
# a relation to another (继承人, 配偶). (Two characters before the ending are enough to search for: any more make
# the search quadratic in a long run of Chinese.)
_BODY = re.compile(r"[\u4e00-\u9fff]{2}(?:公司|集团|委员会|管委会|协会|学会|联盟|联合会|政府|工作处|学生处|教务处|人事处|财务处"
                   r"|管理处|管理局|办公室|事务所|派出所|居委会|村委会|(?:服务|管理|指导|客服|培训)中心)"
                   r"|[甲乙丙]方|(?:出租|承租|委托|受托|买|卖)方|继承人|配偶|监护人")
# The forms of an address, a link and a telephone number (or a number a contact word labels).
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_LINK = r"https?://\S+|www\.\S+|(?<![@\w.-])[\w-]+\.(?:com|cn|org|net|gov|edu)\b"  # not an email's domain
_PHONE = (r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d{9}(?!\d)|(?<![\d.])(?:0\d{2,3}[-－—\s]?)?\d{7,8}(?![\d.元万亿%年])"
          r"|(?<!\d)[48]00[-－\s]?\d{3}[-－\s]?\d{4}(?!\d)"
          r"|(?:电话|热线|内线|分机|手机|传真|座机|拨打|致电|\btel\b|\bfax\b)[^\d，。；;,]{0,4}\d{3,}(?![\d.年月日元万亿%])")
# Which form each kind of contact takes; another (联系方式, 微信, 邮编) may take any, or a number it labels.
# A document's number as an issuer writes it (临商发〔2025〕17号) and a court its case's ((2024)浙0102民初1234号).
_DOCUMENT_NUMBER = r"[〔\[（(【]\s*(?:19|20)\d{2}\s*[〕\]）)】]\s*[\u4e00-\u9fff\d]{0,12}?\d+\s*号"
_CONTACT_FORMS = [(re.compile(p, re.I), re.compile(form, re.I)) for p, form in (
    (r"邮箱|邮件|电邮", _EMAIL), (r"网址|网站|网页|官网|链接", _LINK), (r"电话|手机|热线|座机|传真|分机", _PHONE),
    (r"文字?号|案号", _DOCUMENT_NUMBER),
    ("", rf"{_EMAIL}|{_LINK}|{_PHONE}|(?:邮编|微信|QQ)[^\d，。；;,]{{0,6}}\w{{5,}}"))]
# Posts and titles a sentence names (校长, 处长, 主任, 教授, 总统...): what a question for a post is answered by.
_TITLE = re.compile(
    r"[校院处局厅部司科股所站馆社行台会团组班队镇乡县市省州区村室署府]长|主任|书记|经理|总监|总裁|董事|主席|委员|干事|专员"
    r"|教授|院士|讲师|研究员|工程师|会计师|律师|医师|秘书|顾问|主编|编辑|记者|教练|领队|大使|领事|总统|首相|总理"
    r"|议员|代表|法官|检察官|司令|将军|元帅|上将|中将|少将|大校|上校|参谋|指挥官|丞相|宰相|尚书|侍郎|大臣|太守|刺史"
    r"|知府|知县|都督|节度使|国王|皇帝|女王|亲王|公爵|侯爵|伯爵|子爵|男爵|主教|牧师|方丈|住持|导演|制片人|主持人"
    r"|首席\w{0,4}官|\b(?:president|director|professor|chairman|minister|secretary|manager|officer|editor|ambassador)\b",
    re.I,
)
_FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}[·•・][\u4e00-\u9fff]{1,8}")
_ENGLISH_NUMBER = re.compile(r"\b(?:once|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                             r"|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b", re.IGNORECASE)
_LATIN_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
# The commonest Chinese surnames (most people bear one) and the compound ones still met: what a person's name opens
# with (韩茂 in 由次卿韩茂继任), where jieba's dictionary knows few people.
_COMPOUND_SURNAME = re.compile("^(?:欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|司徒|夏侯|轩辕|端木|南宫)"
                               "[\u4e00-\u9fff]{1,2}$")
_GIVEN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
# What ends a word that is not a name though it opens with a surname: a clan, a people, a place, an era, a font
# (韩氏, 宋州, 黄金周, 宋体).
_NOT_GIVEN = frozenset("氏姓族人朝代周体国州县区市城村镇乡岛山河湖江")


@lru_cache(maxsize=4096)
def holds(question: Question, sentence: str) -> tuple[bool, bool]:
    """Whether the sentence holds a thing of the asked type at all, and exactly (a count of the asked measure,
    a number in the clause naming the focus). Types a pattern cannot check (manner, entity) always hold."""
    if question.reading is not None:
        return holds(question.reading, simplified(sentence))
    t = question.answer_type
    if t != "contact" and question.focus and _labelled_by(question.focus, sentence):
        return True, True  # 办公室：信息楼 615 answers where the 办公室 is, as its label says
    if t == "number":
        sentence = _LIST_MARK.sub(" ", sentence)  # 3. of a list's third point counts nothing
        if _from_to(question, sentence):
            return True, True
        if not question.measure or MEASURES[question.measure] not in SPANS:
            sentence = CALENDAR.sub(" ", sentence)  # 1958年 is when, not how many: it does not answer 库容是多少
        if question.measure and MEASURES[question.measure] not in SPANS:
            sentence = _CLOCK.sub(" ", sentence)  # nor is 10:00 a sum or a count (a score, 25:23, may be asked)
        if not question.ordinal:
            if question.measure and MEASURES[question.measure] == "day":
                sentence = _DAY_IN_ORDER.sub(lambda m: m.group(0).replace("第", ""), sentence)
            sentence = _PLACE_IN_ORDER.sub(" ", sentence)  # 第二批 is which batch, not how many of anything
        # A quoted name (“3+2”模式) is no count of the asked thing, unless it names that thing or counts in the
        # asked measure (“12个服务站”工程, “7天无理由退货”).
        sentence = _SHORT_QUOTE.sub(lambda m: m.group(0) if _counts_asked(question, m.group(0)) else " ", sentence)
        sentence = _CODE.sub(" ", sentence)  # KJ500F-A7, A4: a model's or a format's name, no amount
        nums = list(NUMBER.finditer(sentence))
        measured = list(NUMBER_WITH_MEASURE.finditer(sentence))
        if question.measure and MEASURES[question.measure] == "money" and question.focus \
                and any(question.focus in c and _FREE.search(c) for c in CLAUSE_MARK.split(sentence)):
            return True, True  # 学费全免: no sum is the amount (免费赠送雨伞 is not the fee asked)
        if not nums:
            # An English text writes small numbers in words (renewed twice, up to ten items).
            words = bool(_ENGLISH_NUMBER.search(sentence))
            return words, words and not question.measure
        if question.measure:
            want = MEASURES[question.measure]
            counted = [MEASURES.get(m.group(2)) for m in measured]
            # 个 counts things of any measure (三所学院 answers 几个学院); and 个 or 件 answer for any measure of
            # things (3件 answers 几台), not how often or which (几次, 第几期).
            general = question.measure == GENERAL_MEASURE
            things = want not in UNITS and want not in _NOT_THINGS

            # (个 or 件 for another measure only in a sentence naming the thing asked about: 3个键盘 is no 几台电脑.)
            named = not question.focus or question.focus in sentence

            def counts_it(c: str | None) -> bool:
                # (Asked 几个人, a count in 个 may be of people: 两个大人, 2个学员.)
                return c not in UNITS if general else c == want or things and named and c in _ANY_THING \
                    or question.measure == PEOPLE_BY_THE_PIECE and c == GENERAL_MEASURE

            exact = any(map(counts_it, counted)) or (question.measure == "%" and bool(FRACTION.search(sentence)))
            if exact and question.focus and question.focus in sentence:
                # Where the sentence names the thing asked about, what it counts there is of it: 健康跑三个项目
                # does not count the 健康跑's runners when the sentence's 1.2万人 is counted in another clause.
                # (A clause opening with a price's label says the price of what the clause before it names:
                # 购买一年的耗材包，价格3,600元; and one after a colon is the value of the label before it:
                # 首重（1公斤）：10元.)
                pieces = _CLAUSES_AND_MARKS.split(sentence)
                clauses, marks = pieces[::2], pieces[1::2]
                # (The value after a price's own label is the price too: 绝育（10-25kg），价格：2200元.)
                is_near: list[bool] = []
                for k, c in enumerate(clauses):
                    is_near.append(question.focus in c or k > 0 and (
                        marks[k - 1] in "：:" and (is_near[k - 1] or question.focus in clauses[k - 1])
                        or want == "money" and question.focus in clauses[k - 1] and bool(_PRICE_OPENS.match(c))))
                near = [c for c, n in zip(clauses, is_near) if n]
                near_counts = [MEASURES.get(m.group(2)) for c in near for m in NUMBER_WITH_MEASURE.finditer(c)]
                if want not in UNITS:
                    # A span or a sum there counts nothing: the count may follow in a clause of its own
                    # (探视不超过30分钟，每次最多2人 answers 一次能去几个人探视).
                    near_counts = [c for c in near_counts if c not in UNITS]
                exact = not near_counts or any(map(counts_it, near_counts))
            # A number counting something else (30个名额 asked 多少名学员) is not of the asked kind; a bare one may be.
            starts = {m.start() for m in measured}
            # A span of time in any unit is one still (两天 for 多少个小时, 每次两小时 beside 每周上课两次), though
            # not exactly what is asked.
            held = exact or (want in SPANS and any(c in SPANS for c in counted))
            # A share of a sum is one answer to how much of it (退费能退多少: 退还五成), though not exactly a sum.
            held = held or (want == "money" and ("ratio" in counted or bool(FRACTION.search(sentence))))
            # A bare number is a sum only where the sentence speaks of prices (a row's 价格：50), not a size's
            # 360 × 360 in a product's table.
            bare = any(n.start() not in starts for n in nums) and (want != "money" or bool(_PRICED.search(sentence)))
            return held or bare, exact
        elif question.dimension and any(MEASURES.get(m.group(2)) in DIMENSIONS[question.dimension] for m in measured):
            exact = True
        elif question.focus:
            text = sentence
            if question.dimension:
                # Asked a size, 一 before a counting word is an article (是一种植物, 一座城市), and a count of things
                # (分两期, 共七层) no measure of it; an amount in another unit (1.2亿立方米 for 多大) may be.
                # (Not one of another dimension for 多久, 多高, 多远: 3毫米厚的鱼片 tells no time of 鱼片要腌多久.)
                text = NUMBER_WITH_MEASURE.sub(lambda m: m.group(0) if _of_dimension(question, MEASURES.get(m.group(2)))
                                               else " ", _ARTICLE.sub(" ", _shared_measure(text)))
            exact = any(question.focus in c and NUMBER.search(c) for c in CLAUSE_MARK.split(text))
        else:
            exact = question.dimension is None  # asked a size of nothing named, only one in its dimension is
        if not exact and question.dimension not in (None, "大"):
            # Asked a height, a length or how long, a sentence whose every number is an amount in another unit
            # (总库容26亿立方米 for 坝有多高) tells none. (多大 is asked of an area, a volume or an age alike.)
            # (A price or a wage is 高 too: 门票有多高, 工资有多高.) Nor does a number naming a thing (a house's
            # 356号, a 3届; not a stop, an episode or a chapter: 坐3站, 共四十集 tell how far, how long), nor one
            # listed before it (306、312号), nor an article (一条街道).
            other = UNITS - ({"money", "ratio"} if question.dimension == "高" else set())
            text = _ARTICLE_NOT_A_SPAN.sub(" ", _shared_measure(sentence))
            measured = list(NUMBER_WITH_MEASURE.finditer(text))
            starts = {m.start() for m in measured}
            if all(MEASURES.get(m.group(2)) in other or m.group(2) in _NAMING_NO_SIZE for m in measured) \
                    and all(n.start() in starts for n in NUMBER.finditer(text)):
                return False, False
        return True, exact
    if (label := _LABELLED.get(t)) and label.search(sentence):
        return True, True
    if t == "date":
        ok = bool({"年": _A_YEAR, "点": _AN_HOUR}.get(question.measure or "", DATE).search(sentence))
        if ok and question.ends:
            # Asked when it ends, a date the sentence marks so (至…止, 截至…, …前): not the year naming the event.
            ok = bool(_ENDING.search(sentence))
        return ok, ok
    if t == "person":
        ok = bool(_FOREIGN_NAME.search(sentence) or _LATIN_NAME.search(sentence)
                  or any(_ROLE.fullmatch(w) for w in _words(sentence))
                  or _mentions(sentence, "nr") or _names_someone(sentence) or _BODY.search(sentence))
        return ok, ok
    if t == "place":
        ok = _names_a_place(sentence) or _mentions(sentence, "ns") or bool(_WHERE_INSIDE.search(sentence))
        return ok, ok
    if t == "reason":
        ok = bool(_REASON.search(sentence))
        return ok, ok
    if t == "title":
        ok = bool(_TITLE.search(sentence))
        return ok, ok
    if t == "contact":
        form = next(form for noun, form in _CONTACT_FORMS if noun.search(question.focus or ""))
        # A count is no number to call, even after a label (电脑培训215场: 215 sessions of computer training).
        # (A document's number ends in 号, a measure word.)
        ok = bool(form.search(sentence if form.pattern == _DOCUMENT_NUMBER else NUMBER_WITH_MEASURE.sub(" ", sentence)))
        return ok, ok
    return True, True


_HOW_OFTEN = re.compile(r"(?:多久|多长时间)[^，,。？?]*?(?:[一几]次|一回)|隔多久|隔多长时间|间隔多")


def _from_to(question: Question, sentence: str) -> bool:
    """Whether the question asks how long (多久, 几个小时, 多少天) and the sentence tells from when to when (times of
    day for hours, days or years for longer) or names a span in words (半年, 当天: asked 多久 alone; 每季度 asked
    how often, 多久…一次)."""
    clock = question.dimension == "久" or question.measure in _HOURS
    days = question.dimension == "久" or bool(question.measure and MEASURES[question.measure] in SPANS
                                               and question.measure not in _HOURS)
    # (How often asks 多久 before its 一次, or asks the interval: 多久换一次, 换一次要隔多久; 过一次江要多久 asks how
    # long one crossing takes.)
    often = question.dimension == "久" and bool(_HOW_OFTEN.search(question.text))
    return bool(clock and _CLOCK_RANGE.search(sentence) or days and _DAY_RANGE.search(sentence)
                or question.dimension == "久" and _SPAN_WORD.search(sentence) or often and _EVERY.search(sentence))


def _counts_asked(question: Question, quoted: str) -> bool:
    """Whether a quoted name names the asked thing or counts in the asked measure."""
    if question.focus and question.focus in quoted:
        return True
    want = MEASURES.get(question.measure or "")
    return want is not None and any(MEASURES.get(m.group(2)) == want for m in NUMBER_WITH_MEASURE.finditer(quoted))


@lru_cache(maxsize=16384)
def _words(sentence: str) -> tuple[str, ...]:
    """The sentence's dictionary words, no unknown one guessed at."""
    # Cached per sentence, not per question: the passages a serving process retrieves recur, and segmenting them
    # is most of a type check.
    return tuple(w for w in segmenter().cut(sentence, HMM=False) if w.strip())


def _mentions(sentence: str, tag: str) -> bool:
    """Whether the sentence has a word jieba's dictionary tags so (nr a person, ns a place) that is no common word."""
    return any(w in names_tagged(tag) for w in _words(sentence))


def _names_a_place(sentence: str) -> bool:
    """Whether the sentence names a place by its kind: a word ending in one (青溪镇, 文化路) that is no common word
    (社区, 城市, 道路), or the kind alone after a word that could name one (青石 镇; not 这座 山)."""
    words = _words(sentence)
    for before, w in zip(["", *words], words):
        if w[-1] not in _PLACE_SUFFIX or not CJK.fullmatch(w[0]):
            continue
        if len(w) > 1 and w not in _common_places():
            return True
        if len(w) == 1 and len(before) > 1 and CJK.match(before) and before not in tagged(_NOT_A_PLACE_NAME):
            return True
    return False


@cache
def _common_places() -> frozenset[str]:
    """The common words ending in a kind of place (社区, 城市, 道路), cached beside jieba's cache as the name lists
    are, so that a fresh process does not read the whole dictionary for them."""
    size = cedict_path().stat().st_size
    kinds = "".join(sorted(_PLACE_SUFFIX))  # a new kind is a new list
    return frozenset(cached_in_temp(f"rag-common-places-{_PLACES_FORMAT}-{kinds}-{size}.marshal",
                                    lambda: common_ending(_PLACE_SUFFIX)))


@lru_cache(maxsize=16384)
def _names_someone(sentence: str) -> bool:
    """Whether the sentence holds a word jieba's dictionary lacks that reads as a Chinese person's name: a common
    surname and one or two characters, the last no function word (韩茂为 is 韩茂 and 为) nor a clan or place (韩氏,
    宋州). (A name the dictionary lists is found by its person tag, _mentions.)"""
    function = tagged(FUNCTION_TAGS, 1, 1)
    for w in segmenter().cut(sentence):
        if not (_GIVEN_NAME.match(w) and w[0] in SURNAMES or _COMPOUND_SURNAME.match(w)):
            continue
        if w[-1] not in function and w[-1] not in _NOT_GIVEN and not in_dictionary(w):
            return True
    return False


def _shared_measure(text: str) -> str:
    """The text with the measure word of a list's last number written after each number before it (306、312号:
    306号、312号)."""
    return _SHARED_MEASURE.sub(lambda m: m.group(1) + m.group(2), text)


def _of_dimension(question: Question, unit: str | None) -> bool:
    """Whether an amount in the unit may tell the size the question asks (多大: an area, a volume or an age alike;
    多高 a price or a temperature too, 门票有多高, 水温多高)."""
    if unit not in UNITS:
        return False
    dim = question.dimension or ""
    return dim == "大" or unit in DIMENSIONS.get(dim, UNITS) or dim == "高" and unit in ("money", "ratio", "energy or degrees")


def in_units(question: Question) -> bool:
    """Whether a number question asks an amount in units (money, a size, a span of time, a share, an age): only a
    number in that unit answers it, so a sentence without one is about something else than what is asked."""
    q = question.reading or question
    # 多久, 多高, 多远 ask in the units of their dimension; 多大 may ask a size, an age or a share, and 多重 may be
    # "manifold" (多重保障).
    return q.answer_type == "number" and (MEASURES.get(q.measure or "") in _AMOUNTS
                                          or q.measure is None and q.dimension not in (None, "大", "重"))


def held_in(question: Question, sentences: Sequence[str]) -> bool:
    """Whether a sentence holds a thing of the asked kind, where holds() can tell (always for a manner, an entity)."""
    return not checkable(question) or any(holds(question, s)[0] for s in sentences)


def checkable(question: Question) -> bool:
    """Whether holds() can tell a sentence lacking the asked thing."""
    return question.answer_type in ("number", "date", "person", "place", "reason", "title", "contact")


def load_tables() -> None:
    """Read the name lists and dictionary tables the type checks use, so that no question pays for one."""
    for tag in ("nr", "ns"):
        names_tagged(tag)
    _common_places()
    tagged(FUNCTION_TAGS, 1, 1)
    tagged(_NOT_A_PLACE_NAME)
