"""How text writes amounts: numerals, measure words and units, numbers and dates.

The one table of measure words (MEASURES) that the question analysis (rag/question.py) and the sentence check
(rag/answertype.py) both read, so the question side and the sentence side cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from .text import CN_UNITS, chinese_value

# Unit symbols as manuals and tables write them (45W, 220V, 6.8kg): a measure only where no letter follows (5min).
_UNIT_SYMBOLS: dict[str, str] = {
    **dict.fromkeys(("W", "kW"), "power"), **dict.fromkeys(("V", "kV"), "voltage"), "mA": "current",
    **dict.fromkeys(("Hz", "kHz", "MHz", "GHz"), "frequency"), "dB": "loudness", "kWh": "energy or degrees",
    **dict.fromkeys(("kg", "g", "mg"), "weight"), **dict.fromkeys(("km", "m", "cm", "mm"), "length"),
    **dict.fromkeys(("m²", "㎡", "km²"), "area"), **dict.fromkeys(("L", "mL", "ml"), "capacity"),
}
# Measure words that open common nouns as well (页面, 笔记本, 例外, 封面, 栋梁): after 几 or 多少, one the segmenter
# joins to what follows is that noun's first character, not what the question counts in.
OPENING_NOUNS = ("笔", "封", "栋", "幢", "页", "例", "束", "朵", "盏", "扇")
# Measure words and units, longest first within the regex; each maps to a class so that a question counting
# people (多少人) is answered by "90余名" and one counting days (几天) by "二十日".
MEASURES: dict[str, str] = {
    **dict.fromkeys("人 个人 名 位 人次 员 口".split(), "people"),  # (几个人 counts people, as 多少人 does)
    # (Working days and calendar days are days: 公示7个工作日 answers 公示几天.)
    **dict.fromkeys("天 日 工作日 个工作日 自然日 个自然日".split(), "day"),
    **dict.fromkeys("个月 月".split(), "month"),
    **dict.fromkeys("年 周年".split(), "year"),
    **dict.fromkeys("小时 个小时 钟头 个钟头 分钟 秒 周 星期 个星期 礼拜 个礼拜".split(), "time"),
    **dict.fromkeys("元 万元 亿元 美元 欧元 英镑 日元 韩元 港元 港币 澳元 加元 台币 新台币 越南盾 卢布 卢比 比索 法郎 马克 "
                    "里拉 先令 便士 美分 银元 块 角 毛".split(), "money"),
    # Units of size, by what they measure: 多少瓦 is not answered by litres.
    **dict.fromkeys("米 公里 千米 厘米 公分 毫米 英里 英尺 英寸 海里 里路 里地".split(), "length"),  # 四里路: 500米 a 里
    **dict.fromkeys("平方公里 平方米 公顷 亩".split(), "area"),
    **dict.fromkeys("立方米 升 毫升".split(), "capacity"),
    **dict.fromkeys("吨 千克 公斤 斤 克 毫克".split(), "weight"),
    **dict.fromkeys("瓦 千瓦".split(), "power"),
    **dict.fromkeys("千瓦时 度".split(), "energy or degrees"),
    "伏": "voltage", "毫安": "current", "赫兹": "frequency", "分贝": "loudness",
    "分": "points",  # 75分, 满分100分 (a score; 分钟 is time, 百分之 a share)
    **dict.fromkeys("倍 % ％ 成".split(), "ratio"),  # 九成: nine tenths
    **dict.fromkeys("本 册 卷".split(), "volume"),
    **dict.fromkeys("周岁 虚岁".split(), "岁"),  # an age (65周岁 is not 65 weeks)
    # A sachet is a 包 or a 袋, a pill a 粒 or a 颗: 一盒几包 is answered by 每盒10袋.
    **dict.fromkeys(("包", "袋"), "packet"), **dict.fromkeys(("粒", "颗"), "grain"),
    **{m: m for m in "个 家 所 座 项 次 场 届 门 条 种 类 件 批 台 部 篇 首 只 头 匹 辆 架 艘 张 层 岁 份 套 株 "
       "棵 间 户 支 队 枚 方 集 章 节 幅 处 站 号 级 期 轮 届 代 任 "
       # what things come in and how often something is done (每盒20粒, 一次1片, 一日3次, 每天两顿)
       "片 盒 瓶 箱 罐 杯 碗 根 把 双 对 剂 滴 顿 趟 遍 回".split()},
    # and more things counted (一笔钱, 两封信, 三栋楼, 五例病例); not those that mostly make words with a numeral
    # (一面, 一道, 一起, 一行, 一段时间, 一群, 三餐) or open common nouns (群众, 餐厅, 副校长), nor 组 and 排, verbs after
    # 周几 (每周几组织, 周几排练)
    **{m: m for m in OPENING_NOUNS},
    **_UNIT_SYMBOLS,
}
# 个 counts anything: a count in any measure of things answers 几个 (三所学院 answers 有几个学院), not an amount of
# money, a size or a span of time.
GENERAL_MEASURE = "个"
PEOPLE_BY_THE_PIECE = "个人"  # 几个人: people, counted by 个 as often as by 人 (两个大人)
# What the adjective of 多高, 多远, 多久... is measured in: a length or weight, a span of time, a size or an age. A
# number in one of these answers it exactly; any other must stand in the clause naming what is asked about.
_SIZES = frozenset({"length", "area", "capacity", "weight", "power", "energy or degrees", "voltage", "current",
                    "frequency", "loudness", "ratio"})
DIMENSIONS: dict[str, frozenset[str]] = {
    **dict.fromkeys("高远深宽厚", frozenset({"length"})),
    "重": frozenset({"weight"}),
    "长": frozenset({"length", "time", "day", "month", "year"}),
    "久": frozenset({"time", "day", "month", "year"}),
    "大": _SIZES | {"岁"},
}
UNITS = frozenset({"money", "time", "day", "month", "year"}) | _SIZES
SPANS = frozenset({"time", "day", "month", "year"})
MEASURE_RE = "|".join(re.escape(m) + ("(?![A-Za-z])" if m in _UNIT_SYMBOLS else "(?!之)" if m == "分" else "")
                      for m in sorted(MEASURES, key=len, reverse=True))  # 百分之八十, 三分之一: a share
NUMERAL = "零〇一二三四五六七八九十百千万亿两"
SMALL_NUMERALS = "一二三四五六七八九十"  # the numerals that number the points of a list
# A number: Arabic digits, a run of two or more Chinese numerals (十五, 一九五八), a share written out (百分之三十,
# 三分之二), or one numeral with a measure word (三座, 两家); 余/多/来/万/亿 may follow (8万余, 两千余).
_SHARE = rf"[{NUMERAL}]+分之[{NUMERAL}点]+"  # 百分之三十, 三分之二
_NUM = (rf"(?:\d+(?:[.,．]\d+)*|{_SHARE}|[{NUMERAL}]{{2,}}|数[十百千万]|[几上近][十百千万]"
        rf"|(?![十百万]分|千[克米瓦])[{NUMERAL}](?=(?:余|多)?(?:{MEASURE_RE})))"  # 十分: very
        r"(?:余|多|来|万|亿|千(?![克米瓦])|百)*")  # (15千克 is 15 of 千克, not 15000 of 克)
NUMBER = re.compile(rf"{_NUM}\s*(?:%|％)?")
FRACTION = re.compile(_SHARE)
NUMBER_WITH_MEASURE = re.compile(rf"({_NUM})\s*(?:余|多|来)?\s*({MEASURE_RE})")
# Measures that number what they count (第3届, 5号线, 12期, 8层), as a year, a month and a day do: such a number names
# a thing, where one of another measure is an amount (72岁, 30个孩子, 800元).
# Measure words meaning the same: an amount the asker states in one (5周岁, 5000块) a text may state in another
# (a symbol as the lower-cased text writes it).
# (Not 天 and 日, nor 个月 and 月: 5日 and 5月 are as often days of a month.)
SAME_MEASURE = (frozenset({"岁", "周岁"}), frozenset({"元", "块", "块钱"}), frozenset({"人", "个人", "口", "名", "位"}),
                frozenset({"小时", "个小时", "钟头", "个钟头"}), frozenset({"周", "星期", "个星期"}),
                frozenset({"公里", "千米", "km"}), frozenset({"公斤", "千克", "kg"}), frozenset({"克", "g"}),
                frozenset({"毫克", "mg"}), frozenset({"米", "m"}), frozenset({"厘米", "cm"}), frozenset({"毫米", "mm"}),
                frozenset({"毫升", "ml"}), frozenset({"包", "袋"}), frozenset({"粒", "颗"}))
NAMING_MEASURES = frozenset("日 号 届 级 期 轮 代 任 章 节 集 站 层".split())
# 工龄8年, 住了十二年: a span; 2008年, 前509年, 一九五八年, 九八年: a year
_SPAN_OF_YEARS = re.compile(r"(?:\d{1,2}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])\s*(?:余|多)?\s*年")
_DATED_BY_YEAR = re.compile(r"出生|生|入职|毕业|入学|入伍|级")  # 98年出生, 08年入职: a year as spoken, not a span
# 一万二, 三千 ending a clause or before 的: a sum of money as spoken (花了一万二), never a year (not 两万多人, 一万步).
_SUM = re.compile(rf"(?<![{NUMERAL}])[{NUMERAL}]*[一二两三四五六七八九十][万千][{NUMERAL}]*(?=的|[，,。？?！!；;\s]|$)")
# Four digits standing alone as a year (生于1987, 2011-2015): not a phone number's or a code's (0571-…, 400-820-1234,
# G1234), nor a count in a unit (1500米, 2000元).
_BARE_YEAR = r"(?<![\d\-A-Za-z])[12]\d{3}(?!\d)(?![\u4e00-\u9fff](?<![年至到及和与、]))"
_DAY = "(?:日|号(?![楼线码房门院室车机位床]))"  # a day of the month; not 六号楼, 2号线 (a building, a line)
# Days counted, not a day of the month (逾期一日, 超过15日, 提前30日, 连续3日): after a word of a span or a measure.
_SPAN_BEFORE = "".join(f"(?<!{w})" for w in ("逾期", "超过", "满", "连续", "累计", "个", "每", "提前", "延长", "推迟"))
DATE = re.compile(
    rf"\d{{1,4}}\s*年(?!代|龄|级|轻|纪)|\d{{1,2}}\s*月|{_SPAN_BEFORE}(?<!\d)\d{{1,2}}\s*{_DAY}"
    rf"|[{NUMERAL}]{{2,4}}年(?![代龄级轻纪])"
    rf"|[一二三四五六七八九十]{{1,2}}月|{_SPAN_BEFORE}(?<![{NUMERAL}])[一二三四五六七八九十]{{1,3}}{_DAY}|{_BARE_YEAR}|世纪|年代|年间|公元|时期|朝代"
    rf"|[春夏秋冬]季|[上中下]旬|[年月]底|[年月]初|当年|同年|次年|翌年|前夕|期间|时候|之际|当[天日晚时]|那[年天]|\d+岁"
    # A day, a week or a month told from the one before (次月生效, 次日到账), and a week of a term (第16周答辩).
    # (Not 下月, 上周: 线下月卡, 一下月度, 线上周末 hold them.)
    rf"|[次翌]月|[次翌隔]日|次周|第(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})周"
    rf"|[{NUMERAL}]{{1,3}}岁|[早晚]期|初期|中期|末期|夏至|冬至|春分|秋分|凌晨|清晨|上午|下午|晚上|\d+[时点]"
    # The lunar calendar's months and days (腊月二十三, 正月初六).
    rf"|[正腊冬]月(?:初[一二三四五六七八九十])?|(?:[{NUMERAL}]{{1,2}}月|大年)初[一二三四五六七八九十]"
    # A dynasty or its part dates what happened in Chinese history (唐末, 明代, 北宋).
    rf"|[夏商周秦汉晋隋唐宋元明清](?:朝|代|初|末|中叶)|[东西南北](?:汉|晋|宋|周|魏|齐)"
    # Days of the week, clock times, and the calendar in English: what 哪天/几点/when is answered by.
    rf"|(?:周|星期|礼拜)[一二三四五六日天末](?![次回遍])|工作日|节假日|\d{{1,2}}\s*[:：]\s*\d{{2}}|[{NUMERAL}]{{1,3}}点(?:钟|半)"
    # 早七点, 七点至九点: a clock time by its part of the day or as a range (两点 alone may be "two points").
    rf"|(?:早|晚|午)[{NUMERAL}]{{1,3}}点|[{NUMERAL}]{{1,3}}点(?=\s*[至到—~～-]\s*[{NUMERAL}\d])"
    # A time told by what happens then (当指示灯变红时, 每当……之时): 什么时候需要换 is answered by a condition.
    r"|当[^，,。；;：:]{1,24}(?:之)?时(?![间期代刻])"
    # and a day so (保修期自购机发票开具之日起计算, 从签收当天起): 从什么时候开始算 is answered by that event.
    r"|(?:自|从)[^，,。；;：:]{1,24}(?:之日|当日|当天)起"
    r"|(?i:\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|january|february|march|april"
    r"|june|july|august|september|october|november|december)\b)"
)
_YEAR, _MONTH, _MDAY = (rf"(?:\d{{4}}|[{NUMERAL}]{{4}})\s*年", rf"(?:\d{{1,2}}|[{NUMERAL}]{{1,2}})\s*月",
                        rf"(?:\d{{1,2}}|[{NUMERAL}]{{1,3}})\s*{_DAY}")
# A day or a month of a year (5月3日, 2011年5月20日, 2022年6月); a month alone may begin a name (七月艾).
NAMED_DAY = re.compile(rf"(?:{_YEAR})?{_MONTH}{_MDAY}|{_YEAR}{_MONTH}")
# A year of the calendar (four digits or numerals), or a day or month of one: a date, whatever the clause counts.
CALENDAR = re.compile(rf"{NAMED_DAY.pattern}|{_YEAR}")
# A year of the calendar written in digits, or a run of them (2019—2021年, 2010年至2015年, 2025—2026学年); not a
# decade (1990年代), an age, nor a span (1000年一遇, 已有1500年历史, 2000年前).
_YEARS = re.compile(r"(?<![\d.])(1\d{3}|20\d{2})(?:\s*年)?(?:\s*[-—–~～至到]\s*(1\d{3}|20\d{2}))?\s*(?:学|财)?年(?!代|龄|级|纪|一遇|历史|前(?![一二三四五六七八九十两\d半])|来|左右|之久)")
_LONGEST_RUN = 50  # years; a wider "run" is two years named apart
# What may come before the year a sentence opens with: an item's number, a preposition (于2019年, 截至2020年底).
_OPENS_DATED = re.compile(r"\s*(?:[（(]?\d{1,2}[.、)）]\s*)?(?:在|于|至|截至|截止|自|从|到|而)?\s*")
_DATED_SPAN = 16  # characters: a run of years (2019—2021年度) with its 年


class Amount(NamedTuple):
    """A number the question states with its measure (8 and 年 of 工龄8年): a condition of the asker's."""

    number: str  # as written: 8, 三, 三十, 一万二
    measure: str  # 年, 天, 个 (simplified); 元 for a sum spoken in thousands (一万二)
    written: str  # the number with its measure as written: 8年, 两天


def years_in(text: str) -> frozenset[int]:
    """The years of the calendar a text states in digits, each year of a run of them too."""
    out: set[int] = set()
    for m in _YEARS.finditer(text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        out |= set(range(first, last + 1)) if 0 < last - first <= _LONGEST_RUN else {first, last}
    return frozenset(out)


def dated_by(text: str) -> frozenset[int]:
    """The years a sentence opens with (2024年度，全市共发放…; 截至2020年底，…): when what it tells happened."""
    m = _OPENS_DATED.match(text)
    return years_in(text[m.end():][:_DATED_SPAN]) if _YEARS.match(text, m.end()) else frozenset()


def names_year(text: str, years: Iterable[int]) -> bool:
    """Whether a text writes one of the years as a number of its own (2024赛季, 2024年, 2024届; not 12024)."""
    return any(re.search(rf"(?<![\d.]){y}(?![\d.]\d)", text) for y in years)


def small_number(numeral: str) -> int | None:
    """一 to 九十九 as a number (十二 12, 二十 20, 二十五 25); None for what is not written so."""
    tens, ten, ones = numeral.rpartition("十")
    if not ten:
        return SMALL_NUMERALS.index(numeral) + 1 if len(numeral) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or "十" in tens + ones:
        return None
    return (SMALL_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (SMALL_NUMERALS.index(ones) + 1 if ones else 0)


def small_numeral(n: int) -> str:
    """1 to 99 in Chinese numerals, as small_number reads them (12 十二, 20 二十, 25 二十五)."""
    tens, ones = divmod(n, 10)
    return (f"{SMALL_NUMERALS[tens - 1] if tens > 1 else ''}十" if tens else "") + (SMALL_NUMERALS[ones - 1] if ones else "")


def stated_amounts(text: str) -> tuple[Amount, ...]:
    """The numbers stated with a measure of an amount (72岁, 三十个, 800元, 3个月, 一个小时, 8年; not an article, 一所, nor
    2008年, 3月, 第3届, 5号线) and the sums spoken in thousands (一万二, in 元)."""
    out = [Amount(m.group(1), m.group(2), m.group(0)) for m in NUMBER_WITH_MEASURE.finditer(text)
           # (一个小时, 一个月: a span counted, no article)
           if (m.group(1) != "一" or m.group(2).startswith("个") and MEASURES[m.group(2)] in ("time", "month"))
           and m.group(2) not in NAMING_MEASURES and not text[: m.start()].endswith("第")
           and (m.group(2) != "月" and MEASURES[m.group(2)] != "year"
                or _SPAN_OF_YEARS.fullmatch(m.group(0)) and not _DATED_BY_YEAR.match(text, m.end()))]
    return tuple(dict.fromkeys([*out, *(Amount(n, "元", n) for n in _SUM.findall(text))]))


def number_value(numeral: str) -> float | None:
    """A number written in digits (12, 2.5, 1,000), in Chinese numerals (三, 四十, 一万二) or both (3万) as a value;
    None else."""
    numeral = numeral.rstrip("余多来")  # 三万多, 90余: about so many, read as the number
    if len(numeral) > 20:
        return None  # no amount anyone states
    digits = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿千百]?)", numeral.replace(",", ""))
    if digits:
        return float(digits[1]) * (CN_UNITS[digits[2]] if digits[2] else 1)
    if 1 < len(numeral) < 4 and all(c in "一二两三四五六七八九" for c in numeral):
        return None  # 两三, 三四: about so many, not a number
    n = chinese_value(numeral)
    return None if n is None else float(n)


_MAGNITUDES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_ENGLISH_AMOUNT = re.compile(r"\b(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", re.I)
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:percent|per cent)\b", re.I)


def chinese_numbers(text: str) -> str:
    """English numbers as Chinese writes them: 160 million -> 1.6亿, 3.24 million -> 324万, 1,101 -> 1101,
    80 percent -> 80%."""
    def amount(m: re.Match[str]) -> str:
        value = float(m.group(1)) * _MAGNITUDES[m.group(2).lower()]
        for unit, size in (("亿", 1e8), ("万", 1e4)):
            if value >= size:
                return f"{value / size:g}{unit}"
        return f"{value:g}"

    text = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    return _PERCENT.sub(r"\1%", _ENGLISH_AMOUNT.sub(amount, text))


# A day of the calendar with its parts (2026年2月16日, 二月十六号, 2月16日), and two of them written as a span
# (2月15日—2月17日, 2月15日至17日, 2026年12月30日至2027年1月2日): the days a schedule gives by their first and last.
def _day_pattern(tag: str, month_optional: bool = False) -> str:
    year, month, day = (rf"\d{{{n}}}|[{NUMERAL}]{{{c}}}" for n, c in (("4", "4"), ("1,2", "1,2"), ("1,2", "1,3")))
    month_part = rf"(?P<{tag}m>{month})\s*月"
    return (rf"(?:(?:(?P<{tag}y>{year})\s*年)?{month_part})" + ("?" if month_optional else "")
            + rf"(?P<{tag}d>{day})\s*{_DAY}")


DAY_OF_MONTH = re.compile(_day_pattern(""))  # 2月16日, not 2013年3月
_DAYS = re.compile(_day_pattern("a") + rf"(?:\s*(?:至|到|—+|–|-|~|～)\s*{_day_pattern('b', month_optional=True)})?")

Day = tuple[int | None, int, int]  # year (None when not written), month, day


def _small(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() else chinese_value(numeral)


def day_of(text: str) -> Day | None:
    """The day a text names and nothing else (2月16日, 二〇二六年二月十六号), else None."""
    m = DAY_OF_MONTH.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day = (_small(m.group(g)) if m.group(g) else None for g in ("y", "m", "d"))
    return (year, month, day) if month and day else None


def day_held(day: Day, text: str) -> str | None:
    """How the text writes that day, or a span of days holding it (2月15日—2月17日 holds 2月16日, 12月30日—1月2日
    holds 12月31日 and 1月1日); None if it does not. A year either leaves unwritten is any year."""
    year, month, number = day
    for m in _DAYS.finditer(text):
        first = (_small(m.group("am")), _small(m.group("ad")))
        last = first if m.group("bd") is None else (_small(m.group("bm")) if m.group("bm") else first[0],
                                                     _small(m.group("bd")))
        years = {_small(y) for y in (m.group("ay"), m.group("by")) if y}
        if None in first + last or (year and years and not min(years) <= year <= max(years)):
            continue
        # A span past the year's end (12月30日—1月2日) holds the days from its first on and up to its last.
        within = first <= (month, number) <= last if first <= last else not last < (month, number) < first
        if within:
            return m.group(0)
    return None


_YEAR_IN_NUMERALS = re.compile(r"(?<![〇零一二三四五六七八九十百千万亿两])([〇零一二三四五六七八九]{4})(?=\s*年)")
_YEAR_IN_DIGITS = re.compile(r"\d{4}")


def years_in_digits(text: str) -> list[str]:
    """Each year the text writes in numerals (一九六五年, 二〇二三年) as it is in digits (1965, 2023): a question
    asks 1965年… of a biography or a ruling that writes it out."""
    return [str(chinese_value(m.group(1))).zfill(4) for m in _YEAR_IN_NUMERALS.finditer(text)]


def year_in_numerals(year: str) -> tuple[str, ...]:
    """A year in digits (1905) in the ways a text writes it in numerals (一九〇五, 一九零五); () for no year."""
    if not _YEAR_IN_DIGITS.fullmatch(year):
        return ()
    written = "".join("〇一二三四五六七八九"[int(d)] for d in year)
    return tuple(dict.fromkeys((written, written.replace("〇", "零"))))
