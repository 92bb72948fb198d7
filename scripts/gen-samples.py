#!/usr/bin/env python3
"""Generates the bundled sample intakes of Suqiu (data/samples/).

Deterministic: the same seed writes byte-identical files. Standard library only.

    scripts/gen-samples.py [--seed 20261126] [--count 400] [--out data/samples]

Writes
  intakes.jsonl      COUNT intake records in the format of DESIGN.md, sorted by received_at
  labels.jsonl       the truth each record was generated from (category, request type,
                     the main record of a deliberate near-duplicate), same order
  bad-intakes.jsonl  six lines for rejection tests (see data/samples/README.md)

The text is assembled from independent phrase pools (opener, time, place, object,
event, detail, demand, closing) per category and request type, so that no two
records read alike; a handful are deliberately hard (traditional characters,
full-width digits and letters, two topics in one call) and about 15 are
near-duplicates of earlier ones (the same caller again, or another operator
retyping the same call).
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import sys

SEED = 20261126
COUNT = 400
N_DUPLICATES = 15
N_TRADITIONAL = 5
N_FULLWIDTH = 8
N_TWO_TOPIC = 10

TZ = dt.timezone(dt.timedelta(hours=8))
FIRST_DAY = dt.date(2026, 9, 1)
LAST_DAY = dt.date(2026, 11, 25)
# Days off in the period: weekends, 中秋 and 国庆 (approximate; the hub's own
# calendar file is authoritative, this only shapes the sample volume).
HOLIDAYS = {dt.date(2026, 9, 25)} | {dt.date(2026, 10, d) for d in range(1, 8)}
MAKEUP_WORKDAYS = {dt.date(2026, 9, 20), dt.date(2026, 10, 10)}

CATEGORIES = ["taxi", "ride_hailing", "bus", "coach", "freight", "driver_training",
              "vehicle_repair", "overload", "illegal_operation", "road", "waterway",
              "conduct", "other"]
TYPES = ["complaint", "report", "inquiry", "help", "suggestion", "praise"]

R = random.Random(SEED)


def pick(seq):
    return R.choice(seq)


def maybe(p):
    return R.random() < p


def wpick(weights):
    """weights: dict value -> weight."""
    keys = list(weights)
    return R.choices(keys, weights=[weights[k] for k in keys])[0]


# ---------------------------------------------------------------- gazetteer
# name, district, lat, lon (approximate), kind
PLACES = [
    ("人民大道中", "赤坎区", 21.2650, 110.3630, "road"),
    ("人民大道南", "霞山区", 21.2050, 110.4030, "road"),
    ("人民大道北", "赤坎区", 21.2850, 110.3580, "road"),
    ("海滨大道北", "开发区", 21.2300, 110.4120, "road"),
    ("海滨大道中", "开发区", 21.2150, 110.4160, "road"),
    ("乐山路", "开发区", 21.2200, 110.4050, "road"),
    ("椹川大道中", "赤坎区", 21.2620, 110.3400, "road"),
    ("解放西路", "霞山区", 21.1920, 110.3950, "road"),
    ("海北路", "赤坎区", 21.2730, 110.3730, "road"),
    ("疏港大道", "霞山区", 21.1800, 110.3900, "road"),
    ("观海路", "开发区", 21.2180, 110.4110, "road"),
    ("湖光路", "麻章区", 21.1900, 110.3200, "road"),
    ("东海岛大道", "开发区", 21.0600, 110.4400, "road"),
    ("龙平路", "开发区", 21.2250, 110.4000, "road"),
    ("军民路", "霞山区", 21.2000, 110.3880, "road"),
    ("体育北路", "赤坎区", 21.2780, 110.3550, "road"),
    ("霞山汽车站", "霞山区", 21.1960, 110.4000, "station"),
    ("赤坎汽车站", "赤坎区", 21.2710, 110.3600, "station"),
    ("湛江汽车客运中心站", "麻章区", 21.2450, 110.3250, "station"),
    ("湛江站", "霞山区", 21.1880, 110.3980, "station"),
    ("湛江西站", "麻章区", 21.2300, 110.3120, "station"),
    ("吴川机场", "吴川市", None, None, "station"),
    ("调顺码头", "赤坎区", 21.2950, 110.3900, "port"),
    ("霞山海滨码头", "霞山区", 21.2000, 110.4150, "port"),
    ("南三岛渡口", "坡头区", 21.2200, 110.4700, "port"),
    ("特呈岛码头", "霞山区", 21.1800, 110.4300, "port"),
    ("东海岛渡口", "开发区", 21.1300, 110.4200, "port"),
    ("万达广场", "开发区", 21.2160, 110.4090, "landmark"),
    ("鼎盛广场", "赤坎区", 21.2740, 110.3640, "landmark"),
    ("国贸大厦", "霞山区", 21.2000, 110.4000, "landmark"),
    ("中心人民医院", "赤坎区", 21.2700, 110.3580, "landmark"),
    ("广东海洋大学", "麻章区", 21.1500, 110.3000, "landmark"),
    ("岭南师范学院", "赤坎区", 21.2800, 110.3500, "landmark"),
    ("金沙湾广场", "赤坎区", 21.2680, 110.3800, "landmark"),
    ("民大商业城", "赤坎区", 21.2690, 110.3610, "landmark"),
    ("开发区管委会", "开发区", 21.2220, 110.4030, "landmark"),
    ("霞山市场", "霞山区", 21.1950, 110.4040, "landmark"),
    ("观海长廊", "赤坎区", 21.2600, 110.3850, "landmark"),
    ("北月村", "麻章区", 21.2400, 110.3300, "village"),
    ("龙潮村", "开发区", 21.2350, 110.4150, "village"),
    ("湖光镇", "麻章区", 21.1400, 110.2900, "village"),
    ("太平镇", "麻章区", 21.3100, 110.2900, "village"),
    ("硇洲镇", "开发区", 20.9000, 110.5900, "village"),
    ("民安街道", "开发区", 21.1000, 110.4500, "village"),
    ("海景花园", "开发区", 21.2190, 110.4130, "residential"),
    ("椰城小区", "霞山区", 21.1980, 110.3970, "residential"),
    ("新城名苑", "赤坎区", 21.2760, 110.3680, "residential"),
    ("金海岸小区", "开发区", 21.2280, 110.4090, "residential"),
    ("绿华新村", "霞山区", 21.2030, 110.3920, "residential"),
]
PLACE_BY_NAME = {p[0]: p for p in PLACES}


def places(*kinds):
    return [p[0] for p in PLACES if p[4] in kinds]


ROADS = places("road")
STATIONS = [s for s in places("station")]
COACH_STATIONS = ["霞山汽车站", "赤坎汽车站", "湛江汽车客运中心站"]
PORTS = places("port")
LANDMARKS = places("landmark")
VILLAGES = places("village")
RESIDENTIAL = places("residential")
GENERAL = ROADS + LANDMARKS + STATIONS[:5] + RESIDENTIAL

BUS_ROUTES = ["1路", "2路", "3路", "5路", "6路", "9路", "11路", "12路", "15路", "17路", "19路",
              "21路", "25路", "28路", "31路", "35路", "36路", "41路", "801路", "802路", "805路",
              "123路", "K3路", "K8路", "旅游1线", "夜班1路"]
BUS_STOPS = ["海滨公园", "万达广场", "湛江站", "霞山汽车站", "赤坎汽车站", "寸金桥公园", "中心人民医院",
             "岭南师范学院", "广东海洋大学", "开发区管委会", "海景花园", "民大商业城", "金沙湾",
             "鼎盛广场", "北月", "龙潮", "国贸", "绿华路口", "海田市场", "观海长廊"]
DESTS = ["广州", "深圳", "茂名", "阳江", "廉江", "雷州", "徐闻", "吴川", "遂溪", "东莞",
         "佛山", "海口", "南宁", "北海"]
PLATFORMS = ["滴滴出行", "高德打车", "曹操出行", "T3出行", "花小猪", "美团打车", "如祺出行"]
SCHOOLS = ["港城驾校", "海湾驾校", "南方驾驶培训学校", "开发区驾培中心", "顺安驾校", "粤西驾校",
           "通力驾校", "鸿达驾校"]
SHOPS = ["顺达汽修厂", "鸿运汽车维修中心", "路路通汽修", "某汽车4S店", "快修连锁店", "宏发汽车修理厂",
         "金马汽修", "新兴汽车服务中心"]
FERRIES = ["特呈岛渡船", "南三岛渡轮", "东海岛渡轮", "霞山至南三的客渡船", "琼州海峡轮渡"]
ISLANDS = ["特呈岛", "南三岛", "东海岛", "硇洲岛"]
GOODS = ["沙石", "钢材", "水泥", "渣土", "甘蔗", "煤炭", "木材", "矿石", "建筑垃圾", "集装箱"]
HAZMAT = ["液化气", "柴油", "油漆", "化工原料", "氧气瓶", "烟花爆竹"]
ITEMS = ["手机", "钱包", "身份证", "黑色双肩包", "笔记本电脑", "行李箱", "一串钥匙", "一袋药品",
         "孩子的书包", "装有合同的文件袋", "银行卡和现金", "平板电脑", "一箱海鲜"]
COLORS = ["蓝色", "绿色", "白色", "黄色"]
EXCUSES = ["要交班", "路太远", "不顺路", "那边堵车", "回程空车", "车快没油了", "要去吃饭"]
UNITS = ["交通运输综合执法大队", "路政中队", "运输管理科", "政务服务中心交通窗口", "港航管理科",
         "执法二中队"]
COMPANIES = ["某建筑公司", "某物流公司", "某电子厂", "某装修公司", "某餐饮店", "某工地劳务班组"]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程苏魏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱严莫孔向常汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌海燕波宁梅琳雪浩宇俊凯晨欣怡婷嘉豪子轩佳琪雨")


def fullname():
    g = pick(GIVEN) + (pick(GIVEN) if maybe(0.7) else "")
    return pick(SURNAMES) + g


def mobile():
    prefixes = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150",
                "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "176",
                "177", "178", "180", "181", "182", "183", "186", "187", "188", "189", "191",
                "195", "198", "199"]
    return pick(prefixes) + "".join(str(R.randrange(10)) for _ in range(8))


def landline():
    return "0759-" + pick("2356") + "".join(str(R.randrange(10)) for _ in range(6))


# ---------------------------------------------------------------- slot values
def plate_tail(n=5, letters_at=()):
    out = []
    for i in range(n):
        if i in letters_at or (i > 0 and maybe(0.12)):
            out.append(pick("ABCDEFGHJKLMNPQRSTUVWXYZ"))
        else:
            out.append(str(R.randrange(10)))
    return "".join(out)


def fmt_plate(body):
    """粤G + body, written as operators write it."""
    style = R.random()
    if style < 0.45:
        return "粤G·" + body
    if style < 0.8:
        return "粤G" + body
    if style < 0.92:
        return "粤G " + body
    return "粤g" + body.lower() if maybe(0.3) else "粤G-" + body


def plate_taxi():
    return fmt_plate("T" + "".join(str(R.randrange(10)) for _ in range(4)))


def plate_car():
    return fmt_plate(pick("ABCDEFHJKLMNPQRSTUVWXYZ") + plate_tail(4))


def plate_nev():
    return "粤G" + pick("DF") + "".join(str(R.randrange(10)) for _ in range(5))


def plate_truck():
    r = R.random()
    if r < 0.55:
        return fmt_plate(pick("ABCEHKLMX") + plate_tail(4))
    if r < 0.75:
        return fmt_plate("".join(str(R.randrange(10)) for _ in range(4))) + "挂"
    return pick(["桂K", "桂A", "琼A", "粤K", "粤J", "湘D"]) + plate_tail(5, letters_at=(0,))


def plate_bus():
    return "粤G" + pick("D") + "".join(str(R.randrange(10)) for _ in range(5))


def chinese_number(n):
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


class Ctx(dict):
    """Slot values for one record, made on first use and then kept, so that a
    plate or a place named twice in one text is the same."""

    def __init__(self, received, letter=False, source=""):
        super().__init__()
        self.source = source
        self.received = received
        self.letter = letter
        self.loc = None  # first physical place used, for location

    def use_place(self, name):
        if self.loc is None and name in PLACE_BY_NAME:
            self.loc = name
        return name

    def __missing__(self, key):
        v = SLOTS[key](self)
        self[key] = v
        return v


def clock_phrase(h, m):
    r = R.random()
    if r < 0.25:
        return "%d时%02d分许" % (h, m) if m else "%d时许" % h
    if r < 0.4:
        return "%d:%02d左右" % (h, m)
    if h < 5:
        part = "凌晨"
    elif h < 9:
        part = "早上"
    elif h < 12:
        part = "上午"
    elif h < 14:
        part = "中午"
    elif h < 18:
        part = "下午"
    elif h < 19:
        part = "傍晚"
    else:
        part = "晚上"
    hh = h if h <= 12 else h - 12
    tail = pick(["左右", "多", "左右", "许", ""]) if m < 30 else pick(["半左右", "半", "多"])
    return "%s%d点%s" % (part, hh, tail)


def when_slot(c):
    if maybe(0.12):
        return ""
    back_days = R.choices([0, 1, 2, 3, 4, 6], weights=[30, 30, 15, 10, 8, 7])[0]
    ev = c.received - dt.timedelta(days=back_days)
    h = R.choice([7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 1])
    if back_days == 0 and h >= c.received.hour:
        if c.received.hour >= 8:
            h = R.randrange(7, c.received.hour)
        else:
            back_days = 1
            ev = c.received - dt.timedelta(days=1)
    m = R.choice([0, 0, 10, 15, 20, 30, 40, 45, 50])
    clk = clock_phrase(h, m) if maybe(0.75) else ""
    if back_days == 0:
        day = pick(["今天", "今日", "当天"])
    elif back_days == 1:
        day = pick(["昨天", "昨日", "昨天"])
        if clk[:2] == "晚上" and maybe(0.5):
            return "昨晚" + clk[2:] + pick(["", "，"])
    else:
        r = R.random()
        if r < 0.55:
            day = "%d月%d日" % (ev.month, ev.day)
        elif r < 0.7:
            day = "%d年%d月%d日" % (ev.year, ev.month, ev.day)
        elif r < 0.82:
            day = "%d.%d" % (ev.month, ev.day)
        elif r < 0.92 and ev.month == c.received.month:
            day = "本月%d日" % ev.day
        else:
            day = "%d月%d号" % (ev.month, ev.day)
    return day + clk + pick(["", "", "，", "，", " "]) if clk else day + pick(["", "，"])


def since_slot(c):
    return pick(["近期", "最近一段时间", "近一个月来", "长期以来", "这段时间", "近两周",
                 "从9月份开始", "国庆以后", "一直以来", "近半年来", "这几天"])


def dated(fn):
    return lambda c: c.use_place(fn())


def distinct(key, pool):
    def gen(c):
        base = c[key]
        choices = [p for p in pool if p != base]
        return c.use_place(pick(choices))
    return gen


def my_slot(c):
    return pick(["我的", "本人的"]) if c.letter else pick(["其", "", "其"])


def me2_slot(c):
    if c.letter:
        return pick(["我", "本人"])
    return pick(["其", "来信人" if c.source == "reportbox" else "来电人"])


def me_slot(c):
    return pick(["我", "本人"]) if c.letter else pick(["", "", "", "其"])


SLOTS = {
    "when": when_slot,
    "since": since_slot,
    "place": dated(lambda: pick(GENERAL)),
    "place2": distinct("place", GENERAL),
    "road": dated(lambda: pick(ROADS)),
    "road2": distinct("road", ROADS),
    "station": dated(lambda: pick(STATIONS)),
    "cstation": dated(lambda: pick(COACH_STATIONS)),
    "port": dated(lambda: pick(PORTS)),
    "landmark": dated(lambda: pick(LANDMARKS)),
    "village": dated(lambda: pick(VILLAGES)),
    "residential": dated(lambda: pick(RESIDENTIAL)),
    "stop": lambda c: pick(BUS_STOPS),
    "route": lambda c: pick(BUS_ROUTES),
    "route2": lambda c: pick([r for r in BUS_ROUTES if r != c["route"]]),
    "dest": lambda c: pick(DESTS),
    "platform": lambda c: pick(PLATFORMS),
    "school": lambda c: pick(SCHOOLS),
    "shop": lambda c: pick(SHOPS),
    "ferry": lambda c: pick(FERRIES),
    "island": lambda c: pick(ISLANDS),
    "goods": lambda c: pick(GOODS),
    "hazmat": lambda c: pick(HAZMAT),
    "item": lambda c: pick(ITEMS),
    "color": lambda c: pick(COLORS),
    "excuse": lambda c: pick(EXCUSES),
    "unit": lambda c: pick(UNITS),
    "company": lambda c: pick(COMPANIES),
    "plate_taxi": lambda c: plate_taxi(),
    "plate_car": lambda c: plate_car(),
    "plate_nev": lambda c: plate_nev(),
    "plate_truck": lambda c: plate_truck(),
    "plate_bus": lambda c: plate_bus(),
    "fare": lambda c: R.choice([9, 11, 13, 15, 18, 20, 22, 25, 28, 32, 35, 40, 45, 60]),
    "extra": lambda c: R.choice([5, 8, 10, 12, 15, 20, 20, 25, 30, 40, 50]),
    "paid": lambda c: c["fare"] + c["extra"],
    "extra_cn": lambda c: chinese_number(c["extra"]),
    "small": lambda c: R.choice([5, 10, 20, 30, 50, 100, 150, 200, 300]),
    "amount": lambda c: R.choice([680, 1200, 1850, 2300, 3200, 3600, 4500, 5800, 6200, 8000,
                                  12000, 15600]),
    "minutes": lambda c: R.choice([20, 25, 30, 35, 40, 45, 50, 60, 70, 90]),
    "hours": lambda c: pick(["一个多小时", "两个小时", "两个多小时", "三个小时", "近四个小时"]),
    "days": lambda c: R.choice([3, 5, 7, 10, 12, 15, 20, 30]),
    "months": lambda c: pick(["三个月", "四个月", "五个月", "半年", "七个月", "八个月"]),
    "lastbus": lambda c: pick(["21:30", "21:00", "22:00", "晚上9点半", "晚上10点"]),
    "age": lambda c: pick(["七十多岁", "八十多岁", "六十多岁", "九十岁"]),
    "me": me_slot,
    "me2": me2_slot,
    "my": my_slot,
    "mine": lambda c: pick(["我家", "家里"]) if c.letter else "其家",
}


def fill(template, c):
    """[a|b|] picks one alternative (empty allowed), then {slot}s are filled."""
    text = re.sub(r"\[([^\[\]]*)\]", lambda m: pick(m.group(1).split("|")), template)
    text = text.format_map(c)
    # an empty alternative must not leave stray commas behind
    text = re.sub(r"，+", "，", text).replace("，。", "。").replace("：，", "：")
    return text.strip("，")


# ---------------------------------------------------------------- events
# EVENTS[category][request_type] = [(subjects "a|b|c", text), ...]
EVENTS = {
    "taxi": {
        "complaint": [
            ("出租车拒载|投诉出租车拒载|的士拒载",
             "{me}{when}在{place}拦乘{plate_taxi}出租车去{place2}，司机问清目的地后以{excuse}为由拒载"),
            ("出租车绕路多收费|出租车绕路|的士绕远路",
             "{me}{when}从{place}乘坐出租车（车牌{plate_taxi}）到{place2}，司机故意绕路，平时车费大约{fare}元，这次打表收了{paid}元，多收车费{extra}元"),
            ("出租车不打表|出租车一口价|的士不按计价器收费",
             "{when}在{station}乘坐{plate_taxi}出租车，司机不打表，开口要价{paid}元，{me}认为明显偏高，司机称“不坐就下车”"),
            ("出租车私自拼客|出租车拼客",
             "{me}{when}乘坐{plate_taxi}出租车去{place2}，司机未经同意中途在{place}搭载其他乘客拼车，到达后仍按全程收费{paid}元"),
            ("出租车司机态度恶劣|出租车司机辱骂乘客",
             "{plate_taxi}出租车司机服务态度恶劣，{when}因乘客要求开空调与乘客发生争执，并用粗言辱骂乘客"),
            ("出租车不给发票|出租车拒绝扫码支付",
             "{when}乘坐{plate_taxi}出租车从{place}到{place2}，车费{fare}元，司机拒绝提供发票，也不让扫码支付，只收现金"),
            ("出租车司机开车玩手机|出租车司机车内吸烟",
             "{plate_taxi}出租车司机{when}载客途中一边开车一边用手机看视频，还在车内吸烟，乘客提醒后司机不予理睬"),
            ("出租车挑客|车站出租车拒载短途",
             "{when}在{station}出租车候客区排队，前面几辆出租车只拉远途，短途乘客一律拒载，{me}等了{minutes}分钟才坐上车"),
            ("出租车多收费|出租车加收夜间费",
             "{when}{me}从{station}打的到{place}，{plate_taxi}司机称晚上要加收{extra}元“夜班费”，共收{paid}元"),
        ],
        "report": [
            ("举报出租车改装计价器|举报出租车计价器作弊",
             "出租车{plate_taxi}的计价器跳得特别快，怀疑私自改装计价器，{me}{since}多次乘坐同一路线，该车费用比其他车高出{extra}元左右"),
            ("举报车站出租车长期不打表揽客",
             "{since}{station}出口有一批出租车长期不打表、在出口处拉客，要价{paid}元起，车牌有{plate_taxi}等"),
        ],
        "inquiry": [
            ("咨询出租车收费标准|咨询的士价格",
             "[{me2}是外地游客，|{me2}{when}要带老人去{station}，|]咨询出租车从{station}到{place}[大概多少钱|要多少车费|一般怎么收费]，[湛江出租车起步价和夜间收费标准是多少|晚上有没有加价|行李要不要另外收费|]"),
            ("咨询出租车驾驶员资格证办理",
             "[{me2}刚退伍，|{me2}想开出租车，|]咨询出租车驾驶员从业资格证[怎么办理|如何考取|办理流程]，[考试在哪里报名|考试内容有哪些|驾龄有什么要求]，[需要准备哪些材料|多久能拿证|费用是多少]"),
            ("咨询出租车投诉渠道", "咨询乘坐出租车[被多收费|遇到绕路|司机不打表]应该[向哪个部门投诉|怎么维权]，需要提供哪些证据"),
        ],
        "help": [
            ("出租车遗失物品|寻找遗失物品|出租车上丢失{item}",
             "{me}{when}乘坐{plate_taxi}出租车，在{place}下车时将{my}{item}遗留在车上，请求帮忙联系司机找回"),
            ("寻找遗失物品|的士遗失物品",
             "{when}在{place}坐{color}出租车到{place2}，下车后发现{item}不见了，不记得车牌号，只记得司机是中年男子，请求协助查找"),
        ],
        "suggestion": [
            ("建议设置出租车临时停靠点",
             "建议在{landmark}[门口|附近|东侧]设置出租车[临时停靠点|候客区|即停即走上落客点]，现在出租车随意停车上下客，[造成交通拥堵|高峰期堵成一团|很不安全]"),
            ("建议出租车统一支持扫码支付",
             "建议出租车统一[安装扫码支付设备|支持微信支付宝付款]并[开具电子发票|打印纸质票据]，方便[外地游客|老年人|外地游客和老年人]乘车"),
        ],
        "praise": [
            ("表扬出租车司机拾金不昧|表扬的士司机",
             "{when}{me}乘坐{plate_taxi}出租车时将{item}遗落在车上，司机主动联系并送还，拒绝收取酬谢"),
            ("表扬出租车司机|好人好事",
             "{when}{mine}老人在车上突发不适，{plate_taxi}出租车司机立即改道送往{landmark}附近的医院，并帮忙挂号"),
        ],
    },
    "ride_hailing": {
        "complaint": [
            ("网约车车牌不符|网约车人车不符",
             "{me}{when}通过{platform}叫车，到达的车辆与软件显示不一致，软件显示{plate_car}，实际来的是{plate_nev}，司机还催促上车"),
            ("网约车绕路多扣费|网约车多收费",
             "{when}使用{platform}从{place}到{place2}，预估价{fare}元，司机绕路，实际扣费{paid}元，平台客服推诿不处理"),
            ("网约车司机诱导取消订单|网约车恶意取消",
             "{me}{when}在{place}用{platform}叫车，司机接单后迟迟不来，打电话让{me2}自己取消订单，结果被平台扣了取消费{small}元"),
            ("网约车中途甩客",
             "{when}乘坐{platform}网约车（{plate_nev}），司机行至{road}时以车没电为由让乘客下车，天黑又下雨无法打车"),
            ("网约车司机要求私下交易",
             "{platform}网约车司机{when}接单后要求乘客取消订单、线下微信转账{paid}元，称这样“便宜点”，乘客拒绝后被司机拒载"),
            ("网约车司机态度差|网约车车内吸烟",
             "{when}乘坐{platform}网约车{plate_car}，车内有浓烈烟味，司机一路接打电话，乘客提意见时司机态度恶劣"),
        ],
        "report": [
            ("举报无证网约车|举报网约车无运输证",
             "私家车{plate_car}在{platform}上长期接单，但该车未取得网约车运输证，司机也没有网约车驾驶员证"),
            ("举报网约车平台违规派单",
             "{since}{place}一带有多辆无网约车许可的车辆通过{platform}接单，平台照样派单，存在安全隐患"),
        ],
        "inquiry": [
            ("咨询网约车驾驶员证办理|咨询网约车从业资格",
             "[{me2}想在{platform}上跑车，|{me2}在外地有网约车驾驶员证，|]咨询网约车驾驶员证办理需要什么[条件和材料|手续]，[考试在哪里考，多久能拿证|外地的证在湛江能不能用|是否需要本地户口]"),
            ("咨询网约车运输证办理",
             "咨询个人车辆申请网约车运输证的条件，[车辆轴距、车龄和车价有什么要求|新能源车有什么要求|{plate_nev}这台车能不能办]，[在哪里办理|需要多长时间|]"),
        ],
        "help": [
            ("网约车遗失物品",
             "{me}{when}乘坐{platform}网约车，把{item}落在车上，平台虚拟号码打不通司机，请求帮忙联系"),
        ],
        "suggestion": [
            ("建议加强网约车监管",
             "建议加强网约车监管，[要求平台在车内公示车辆和驾驶员证照|对无证车辆接单的平台进行处罚|定期公布各平台合规率]，{since}[人车不符的情况很多|无证车辆很多|乘客投诉无门]"),
        ],
        "praise": [
            ("表扬网约车司机",
             "{when}乘坐{platform}网约车（{plate_nev}），{my}{item}掉在车上，司机连夜送回，特此表扬"),
        ],
    },
    "bus": {
        "complaint": [
            ("公交车过站不停|{route}过站不停",
             "{route}公交车{when}在{stop}站过站不停，站台上有好几位乘客招手，司机直接开走"),
            ("公交车未停稳开车|公交司机起步过猛致乘客摔倒",
             "{route}公交车（车牌{plate_bus}）{when}在{stop}站，乘客还没站稳司机就起步，一位{age}的老人摔倒在车厢里"),
            ("公交车发车间隔长|{route}班次少",
             "{route}公交车发车间隔太长，{since}在{stop}站等车经常要等{minutes}分钟，上班经常迟到"),
            ("公交车司机开车玩手机",
             "{when}乘坐{route}公交车，司机在行驶途中多次拿手机看，还单手开车，车上乘客很多，非常危险"),
            ("公交车不开空调",
             "{route}公交车{since}不开空调，车厢内闷热，但是票价仍按空调车收，{me}认为不合理"),
            ("公交末班车提前收班|末班车提前",
             "{route}末班车公示时间是{lastbus}，{when}在{stop}站等到时间也没有车，打电话问公交公司说已经收班"),
            ("公交司机拒绝老年卡|公交刷卡问题",
             "{when}乘坐{route}公交车，{mine}{age}的老人刷老年卡，司机说卡有问题要求投币，态度很差"),
            ("公交车司机服务态度差",
             "{route}公交车司机{when}在{stop}站附近，乘客询问到{landmark}在哪站下车时被司机大声呵斥"),
            ("公交车急刹致乘客受伤",
             "{when}乘坐{route}公交车（{plate_bus}），行至{road}时司机急刹车，{me}撞到扶手受伤，到医院检查花了{small}元"),
            ("公交候车亭破损|公交站台无遮挡",
             "{stop}公交站候车亭顶棚破损{since}，下雨天乘客无处避雨，座椅也坏了，无人维修"),
        ],
        "report": [
            ("举报公交车违规载客",
             "{route}公交车（车牌{plate_bus}）{since}在{road}中途随意停车上下客，不在站台停靠，还有超员情况"),
        ],
        "inquiry": [
            ("咨询公交首末班时间|咨询{route}运营时间", "咨询{route}公交车[首末班时间|首班车和末班车几点|末班车几点从{stop}开出]，[周末是否调整|节假日是否调整|发车间隔多长|]"),
            ("咨询公交线路", "[{me2}刚来湛江，|{me2}明天要去{place2}办事，|]咨询从{place}到{place2}坐几路公交车[，需不需要转车|最方便|，大概要多长时间]"),
            ("咨询老年人乘车卡办理", "[{me2}{mine}老人今年{age}，|]咨询老年人[免费乘车卡|优待卡|长者卡]如何办理，[需要带什么证件|外地户籍老人能否办理|多少岁可以免费]，[在哪里办理|多久可以拿到|]"),
            ("咨询公交改线", "咨询{route}是否因{road}施工[临时改线|绕行]，原来的{stop}站[还停不停|搬到哪里了]，[什么时候恢复|]"),
        ],
        "help": [
            ("公交车遗失物品|乘公交遗失物品",
             "{me}{when}乘坐{route}公交车，在{stop}站下车后发现{item}遗忘在车上，请求帮忙联系公交公司查找"),
        ],
        "suggestion": [
            ("建议开通公交线路|建议新增公交线路", "建议开通从{place}到{place2}的公交线路，[目前要转两次车|现在没有直达车|打车太贵]，[很不方便|附近几个小区的居民都有这个需求|上班族很需要]"),
            ("建议延长末班车时间", "建议{route}末班车延长至[晚上10点|晚上10点半|晚上11点]，[附近很多上夜班的人下班后没有车坐|{landmark}一带晚上人很多|晚上只能打车]"),
            ("建议增设公交站点", "建议在{residential}[门口|附近|路口]增设公交站点，现在最近的站要走[二十分钟|十几分钟|一公里多]，[老人小孩很不方便|雨天更麻烦|]"),
            ("建议早高峰加密班次", "建议{route}[早高峰|晚高峰|上下学时段]增加班次，{stop}站[每天早上挤不上车|经常一连几辆都满载|学生太多]"),
        ],
        "praise": [
            ("表扬公交车司机|好人好事", "{route}公交车司机（车牌{plate_bus}）{when}[主动下车搀扶|耐心等候]{age}的老人上车，并安排座位，[值得表扬|很暖心]"),
            ("表扬公交司机救助乘客", "{when}在{route}公交车上有乘客突然晕倒，司机立即停车呼叫救护车，一直等到医生到达"),
        ],
    },
    "coach": {
        "complaint": [
            ("客车晚点|长途车延误", "{me}{when}在{cstation}购买去{dest}的车票，车辆晚点{hours}，车站没有任何解释"),
            ("客车超员|长途客车超载",
             "{when}乘坐{plate_car}客车从{cstation}去{dest}，车辆在途中超员，过道上加了小板凳，{me}担心安全"),
            ("客车中途甩客", "{me}{when}乘坐去{dest}的长途客车，车开到半路司机让乘客换乘另一辆车，还要另外补{small}元"),
            ("车站退票难|退票手续费高", "{me}在{cstation}购买去{dest}的车票，因临时有事提前两小时退票，车站收取手续费{small}元，认为不合理"),
            ("客车站外揽客", "{since}去{dest}的客车不进站，在{road}路边揽客，乘客上下车很危险"),
            ("行李额外收费", "{when}乘坐{cstation}发往{dest}的班车，司机以行李过大为由另收{small}元，不给任何票据"),
        ],
        "report": [
            ("举报非法客运站点", "{road}{landmark}附近有非法停靠点，{since}多辆去{dest}的客车在此上下客、卖票"),
            ("举报旅游包车跑定线", "车牌{plate_car}的旅游包车以包车名义每天固定跑{dest}线路，按座位卖票"),
        ],
        "inquiry": [
            ("咨询班车时间票价", "[{me2}{when}要去{dest}，|]咨询{cstation}到{dest}的[班次时间和票价|最早一班车几点|末班车几点]，[是否可以网上购票|学生有没有优惠|需要提前几天买票|]"),
            ("咨询节假日加班车", "咨询[国庆期间|元旦期间|周末]{cstation}是否有去{dest}的加班车，[什么时候开始售票|票价会不会上涨]"),
            ("咨询客车行李规定", "咨询乘坐长途客车携带[电动车电池|大件行李|宠物|海鲜干货]有什么规定[，要不要另外收费|]"),
        ],
        "help": [
            ("车站遗失行李", "{me}{when}在{cstation}候车时行李箱不见了，里面有证件，请求车站协助调看监控"),
        ],
        "suggestion": [
            ("建议增开班车", "建议{cstation}[增开|恢复]去{dest}的[夜班车|早班车|周末班车]，[并开通微信购票|并在车站增加自助售票机|方便外出务工人员]"),
        ],
        "praise": [
            ("表扬客车驾驶员", "{when}乘坐{cstation}开往{dest}的班车，{my}{item}遗落在车上，驾驶员第一时间联系并托人送回"),
        ],
    },
    "freight": {
        "complaint": [
            ("货车撒漏|运输车辆沿途撒漏", "{road}上运输{goods}的货车{since}沿途撒漏，路面泥沙很多，晴天灰尘大雨天很滑"),
            ("货车夜间鸣笛扰民", "车牌{plate_truck}等货车{since}深夜进出{village}，一路鸣笛，严重影响附近居民休息"),
            ("物流公司货损不赔", "{me}委托{company}运输货物到{dest}，货物到达时严重损坏，物流公司拒绝赔偿"),
            ("货车占道装卸", "{road}{landmark}附近有货车{since}占用车道装卸货物，造成交通堵塞"),
        ],
        "report": [
            ("举报违规运输危险品|举报危险品运输",
             "车牌{plate_truck}的车辆{since}在{road}一带运输{hazmat}，车上没有危险品标志，怀疑没有危险货物运输资质"),
            ("举报危险品车辆停放居民区", "有运输{hazmat}的罐车{since}晚上停在{residential}旁边的空地上，居民担心发生事故"),
            ("举报无证货运", "{village}有人用未办理道路运输证的货车{plate_truck}长期承揽货运业务"),
        ],
        "inquiry": [
            ("咨询道路运输证年审", "[{me2}是个体货车司机，|]咨询货车道路运输证年审需要什么材料，[能否网上办理|逾期了怎么办|在哪个窗口办]"),
            ("咨询货运从业资格证", "咨询普通货运从业资格证[怎么考|在哪里报名考试]，[过期了怎么办理换证|外省的证能不能在湛江转籍|继续教育怎么参加]"),
            ("咨询轻型货车营运证", "[{me2}买了一辆蓝牌小货车，|]咨询总质量4.5吨及以下的普通货车是否还需要办理道路运输证[，司机要不要从业资格证|]"),
        ],
        "help": [
            ("货车被困求助", "{me2}是货车司机，{when}在{port}排队[卸货|装货]已经等了[十几个小时|一整天]，码头一直不安排，[请求协调|车上还有生鲜货物]"),
        ],
        "suggestion": [
            ("建议设置货车停车场", "建议在{road}附近规划[货车停车场|货车临时停靠区]，现在货车[只能停在路边|夜间占道停放|挤在居民区]，[存在安全隐患|影响通行|]"),
        ],
    },
    "driver_training": {
        "complaint": [
            ("驾校教练索要好处费|教练吃拿卡要",
             "{me}在{school}报名学车，交了学费{amount}元，教练多次暗示要红包、烟钱，不给就不安排练车"),
            ("驾校约车难|学车难", "{me}在{school}报名{months}了，只练过几次车，每次约车都约不上"),
            ("驾校退费难", "{me}因工作调动要求在{school}退学，驾校拒绝退还剩余学费{amount}元"),
            ("驾校乱收补考费", "{school}报名时承诺“一费制”，科目二没过又收了补考费{small}元，还要加钱买学时"),
            ("教练员态度恶劣", "{school}教练员在练车时经常辱骂学员，{when}还把{me2}赶下车"),
            ("驾校练车扰民|教练车在居民区练车", "{school}的教练车{since}在{residential}附近道路上练车，车速很快，影响居民出行安全"),
        ],
        "report": [
            ("举报无资质驾培|举报非法驾校", "{place}附近有人无资质招收学员，用私家车私下培训，收费{amount}元，号称包过"),
        ],
        "inquiry": [
            ("咨询驾照报名", "[{me2}今年刚满18岁，|{me2}是在校大学生，|{me2}快60岁了，|]咨询[C1|C2]驾照报名[需要多少钱|大概多少学费]、[需要带什么材料|要不要体检]，[外地户口能不能在湛江报名|一般多久能拿证|哪些驾校是正规的]"),
            ("咨询增驾条件", "咨询增驾[A2|B2|A1|A3]需要什么条件，[驾龄要求是多少|有没有年龄限制|记过分能不能报]"),
            ("咨询学时查询", "咨询在{school}学车的学时[怎么查询|为什么没有上传]，[学时不够能否约考|驾校说要补交学时费是否合理]"),
        ],
        "suggestion": [
            ("建议公开驾校信息", "建议交通部门[公布|定期公示]各驾校的[考试合格率、投诉率和收费标准|收费标准和服务质量考核结果|教练员信息和投诉情况]，[方便学员选择|防止驾校虚假宣传|让学员心里有数]"),
        ],
    },
    "vehicle_repair": {
        "complaint": [
            ("汽车维修质量问题|维修后故障复发",
             "{me}在{shop}维修车辆，更换零件收费{amount}元，不到一周同样故障又出现，修理厂不认账"),
            ("维修以次充好", "{shop}维修时用副厂件冒充原厂件，按原厂件价格收费{amount}元"),
            ("维修乱收费|维修前不报价", "{me}{when}把车送到{shop}，维修前没有报价，修完收费{amount}元，明显高于市场价"),
            ("维修拖延", "{my}车在{shop}维修，已经放了{days}天还没修好，每次打电话都说在等配件"),
            ("4S店强制消费", "{me}在{shop}做保养，被强制加做清洗项目，多收了{small}元"),
        ],
        "report": [
            ("举报无证汽修点|举报占道维修",
             "{village}路边有无证汽修点，{since}占道维修、喷漆，油漆味很重，污染环境"),
        ],
        "inquiry": [
            ("咨询维修纠纷处理", "[{me2}的车在{shop}修过，|]咨询机动车维修质量纠纷如何申请[调解|鉴定|调解或鉴定]，[找哪个部门|需要提供什么材料|维修质量保证期是多久]"),
            ("咨询汽修备案", "咨询开办[汽车维修店|摩托车维修店|快修店]需要办理什么备案手续[，在哪里办|，对场地面积有没有要求|]"),
        ],
        "suggestion": [
            ("建议公示维修价格", "建议要求汽修厂在店内公示[工时单价和常用配件价格|收费标准|维修项目价目表]，[防止乱收费|让车主明明白白消费]"),
        ],
    },
    "overload": {
        "report": [
            ("举报货车超载|举报超限运输",
             "{road}[晚上10点以后|每天凌晨|每天晚上]经常有大量运输{goods}的货车超载通行，[路面被压坏|路面压出了很深的车辙]"),
            ("举报超限车辆", "车牌{plate_truck}的货车长期超限运输{goods}，车斗加高，装得像小山一样"),
            ("举报超载车辆绕行村道", "{road}治超点[晚上没人值守|凌晨不上班]，超载货车都绕行{village}的村道，[村道被压得坑坑洼洼|村里的小路全压坏了]"),
            ("举报超载", "{plate_truck}货车{when}在{road}超载运输{goods}，轮胎都压扁了"),
        ],
        "complaint": [
            ("超载车辆压坏道路", "超载货车{since}经过{village}，把村道压坏，灰尘很大，要求管控"),
        ],
        "inquiry": [
            ("咨询超限运输许可", "咨询大件运输超限通行证怎么办理，[需要多长时间|能否网上申请|跨省运输找哪里办]"),
            ("咨询货车限重", "咨询[六轴|五轴|四轴]货车的总质量限值是多少，[超过多少会被处罚|超限怎么处罚|卸载后能否放行]"),
        ],
        "suggestion": [
            ("建议增设治超点", "建议在{road}[增设治超检测点|安装不停车称重设备|加强夜间巡查]，{since}超载车[太多|越来越多|把路都压坏了]"),
        ],
    },
    "illegal_operation": {
        "report": [
            ("举报黑车拉客|举报车站黑车",
             "{station}[出口|停车场|门口]{since}有[大量|十几辆|一批]私家车拉客，[司机拉扯旅客|拉客人员在出站口拦人]，价格比正规出租车贵[很多|一倍多]"),
            ("举报摩的载客|举报非法摩的",
             "{place}附近{since}有十几辆摩托车聚集载客，逆行闯红灯，还一车载三人，存在很大安全隐患"),
            ("举报私家车非法营运", "车牌{plate_car}的私家车每天在{place}招揽乘客跑{dest}，每人收{fare}元"),
            ("举报非法营运面包车", "有人用面包车{plate_car}非法载客跑{village}线路，车上经常挤十几个人"),
            ("举报黑车", "{station}附近有人以“包车”“顺风车”名义拉客，实际是无证营运，{when}{me}还看见他们殴打旅客"),
            ("举报电动三轮车载客", "{landmark}门口有人用电动三轮车载客，{since}越来越多，司机还抢客"),
        ],
        "complaint": [
            ("乘坐黑车被宰|黑车乱收费", "{me}{when}在{station}坐了一辆私家车去{place}，上车前说{fare}元，到了以后要{paid}元，不给就不让下车"),
            ("黑车整治不力", "{station}的黑车问题{since}反映过多次，一直没有改善，执法人员来了就散，走了又回来"),
        ],
        "inquiry": [
            ("咨询顺风车是否合法", "咨询私家车[在上下班路上顺路拼车、分摊油费|周末顺路捎带老乡回{village}]是否属于非法营运"),
        ],
        "suggestion": [
            ("建议整治黑车", "建议加大对{station}黑车的整治力度，[并增加夜间出租车和公交运力|同时设置正规的出租车候客区|建立长效机制]"),
        ],
    },
    "road": {
        "complaint": [
            ("路面坑洼|道路破损", "{road}（{landmark}附近）路面坑洼不平，下雨天积水，电动车经过很危险，{since}无人修补"),
            ("护栏损坏未修", "{road}的护栏被车撞坏{since}，一直没有修复，晚上很危险"),
            ("施工占道无警示", "{road}施工围挡占用车道，没有警示灯和标志，{when}{me}差点撞上"),
            ("路面砂石未清理", "{road}路面有大量撒落的砂石，{since}没人清扫，已经有电动车摔倒"),
            ("道路修建拖延", "通往{village}的公路修了{months}还没完工，路面全部挖开，出行很困难"),
            ("路肩杂草遮挡视线", "{road}弯道路肩杂草和树木很高，遮挡司机视线，容易发生事故"),
            ("公路占道摆卖", "{road}靠近{village}路段有人在公路上摆摊卖水果，占用车道"),
        ],
        "report": [
            ("举报破坏公路|举报非法占用公路", "有人在{road}公路用地范围内违章搭建铁皮房，还私自开挖路肩接水管"),
        ],
        "inquiry": [
            ("咨询道路施工工期", "咨询{road}[施工|改造工程]什么时候完工，[施工期间怎么绕行|大货车能不能通行|晚上是否封路]"),
            ("咨询公路损坏赔偿", "[{me2}{when}在{road}行车，|]咨询车辆在公路上被坑洼损坏[轮胎|轮毂|底盘]，能不能申请赔偿，找哪个部门"),
        ],
        "help": [
            ("台风倒树阻断道路|道路阻断求助", "{road}[{landmark}附近|靠近{village}路段|]因台风有[大树|广告牌|电线杆]倒在路中间，车辆无法通行，请求尽快清理"),
            ("道路塌陷求助", "{road}{landmark}附近路面突然塌陷出一个大坑，已有车辆掉进去，请求马上处理"),
        ],
        "suggestion": [
            ("建议增设警示标志", "建议在{road}{village}路口增加[减速带和警示标志|爆闪灯|反光标志]，[这里经常发生事故|路口视线不好|晚上很暗]"),
            ("建议拓宽道路", "建议[拓宽|改造]{road}，现在[双向两车道|路面太窄]，[早晚高峰堵得厉害|大货车一过就堵]"),
        ],
    },
    "waterway": {
        "complaint": [
            ("渡船超载|渡船安全隐患", "{ferry}{since}超载，车辆和乘客混装，很多乘客没有穿救生衣"),
            ("渡口票价上涨未公示", "{port}渡船票价从{fare}元涨到{paid}元，没有任何公示"),
            ("渡船不准点", "{ferry}班次不准时，{when}的船推迟了{minutes}分钟才开，码头工作人员不解释"),
            ("码头乱收停车费", "{port}码头停车场乱收费，停两个小时收{small}元，没有发票"),
            ("轮渡排队时间长", "{when}{me}在徐闻海安港排队过海，等了{hours}，现场秩序混乱，插队的车很多"),
        ],
        "report": [
            ("举报三无船舶载客|举报非法载客船", "{port}附近有无证小船{since}非法载客往返{island}，船上没有救生设备"),
        ],
        "inquiry": [
            ("咨询渡船时间|咨询渡轮班次", "咨询{port}到{island}的渡船[时间和票价|首班和末班时间|最晚一班几点]，[车辆能不能上船|电动车能不能带上船|老人有没有优惠|]"),
            ("咨询台风停航", "[{me2}{when}要开车去海口，|]咨询台风期间琼州海峡轮渡是否停航，[什么时候恢复|已购船票能否退改]"),
        ],
        "help": [
            ("滞留码头求助|台风滞留", "{me2}一家{when}滞留在{port}，因台风停航，带着老人小孩，询问什么时候复航，附近有没有安置点"),
        ],
        "suggestion": [
            ("建议增加夜间班次", "建议{ferry}[增加夜间班次，岛上居民晚上回家不方便|增加早班船，上学的孩子赶不上船|节假日加开班次，游客太多排队太久]"),
        ],
    },
    "conduct": {
        "complaint": [
            ("执法人员态度粗暴|执法不文明", "交通执法人员{when}在{road}查车时态度粗暴，言语辱骂司机，还推搡围观群众"),
            ("罚款不开票|执法不规范", "{my}车{when}在{road}被交通执法人员查扣，交了罚款{small}元，对方不开具正式票据"),
            ("窗口推诿|办事难", "到{unit}办理业务，工作人员推诿，{me}跑了三四次仍未办好，每次都说材料不齐"),
        ],
        "report": [
            ("举报执法人员受贿|举报吃拿卡要", "{unit}有工作人员{since}收受运输企业好处，对其违规车辆不查不罚"),
            ("举报公车私用", "{when}看见交通执法车辆停在{landmark}附近，执法人员穿便装陪家人购物"),
            ("举报执法人员违规|举报以罚代管", "{road}的执法人员{since}只罚款不纠正，交了钱就放行超载车"),
        ],
        "praise": [
            ("表扬执法人员|表扬窗口工作人员", "{when}到{unit}办理[道路运输证|从业资格证|超限运输许可]，工作人员热情耐心，帮{me2}一次性办好了业务"),
            ("表扬执法人员救助", "{when}{my}车在{road}抛锚，路过的交通执法人员主动帮忙设置警示标志并联系拖车"),
        ],
    },
    "other": {
        "complaint": [
            ("工地夜间施工噪音|噪音扰民", "{village}附近工地{since}夜间施工，噪音扰民，晚上12点以后还在打桩"),
            ("拖欠工资|讨薪", "{me}在{company}工作，被拖欠工资{amount}元，老板一直拖着不给"),
            ("小区停水|停水无通知", "{residential}{since}停水{days}天，没有任何通知，居民生活受影响"),
            ("物业乱收费|物业服务差", "{residential}物业乱收停车费，还要求业主交{small}元门禁卡押金"),
            ("邻居占用楼道|邻里纠纷", "{me2}住在{residential}，楼上邻居长期在楼道堆放杂物，协商无果"),
            ("商铺油烟扰民", "{residential}楼下餐饮店油烟直排，{since}居民不敢开窗"),
            ("路灯不亮", "{road}靠近{residential}一段路灯{since}不亮，晚上很黑"),
        ],
        "inquiry": [
            ("咨询违章罚款缴纳|咨询交通违法处理", "咨询交通违章罚款怎么缴纳，[扣分怎么处理|能不能在网上处理|异地违章在哪里处理]"),
            ("咨询社保卡办理", "咨询社保卡丢失了怎么补办，[需要多长时间|能不能在银行办|要带什么材料]"),
            ("咨询电动车上牌", "咨询电动自行车上牌需要什么材料，[在哪里办|旧车能不能上牌|要不要买保险]"),
            ("咨询户口迁移", "[{me2}在湛江工作三年了，|]咨询外地户口迁到湛江需要什么条件[，孩子能不能一起迁|]"),
        ],
        "help": [
            ("邻居噪音求助", "{me2}住在{residential}，楼上邻居每天晚上大声唱歌到凌晨，报警后仍不改，请求帮助"),
            ("停电求助", "{residential}{when}突然停电，家里有老人需要用制氧机，请求尽快恢复供电"),
        ],
        "report": [
            ("举报违章建筑", "{residential}有业主在[楼顶|小区绿地|一楼院子]违章搭建[铁皮房|板房]，存在安全隐患"),
        ],
        "suggestion": [
            ("建议增设公园健身设施", "建议在{residential}附近增设[健身设施和休闲座椅|儿童游乐设施|公共厕所]"),
        ],
    },
}

# details: sentences that may follow the event, per category
DETAILS = {
    "taxi": ["司机还说“你去投诉也没用”", "{me}当时保留了付款截图", "当时车上还有小孩", "乘客当时携带行李较多",
             "司机没有出示服务监督卡", "车内计价器显示屏被遮挡", "{me}要求司机开发票被拒", "司机全程开得很快",
             "附近的出租车都是这样", "{me}已经向出租车公司反映，公司说会处理但一直没有下文"],
    "ride_hailing": ["{me}已在平台投诉但只收到自动回复", "平台只退了{small}元优惠券", "行程记录和付款截图已保存",
                     "司机的头像和本人不符", "车上没有安装平台要求的录音设备", "司机还威胁给差评"],
    "bus": ["车上很多学生和老人", "同一站点已经不是第一次出现这种情况", "{me}记下了车辆自编号", "当时是下班高峰",
            "站台电子屏显示车辆即将到站但一直没来", "公交公司热线一直打不通", "车上监控应该可以查到"],
    "coach": ["车站工作人员态度冷漠", "同车很多乘客都有意见", "票面上写的是空调直达车", "车上没有配安全带",
              "{me}保留了车票", "客运公司电话无人接听"],
    "freight": ["附近住着很多老人小孩", "有时凌晨两三点还有车经过", "已经有人因此摔倒受伤", "环卫工人清扫不过来",
                "车厢没有盖篷布"],
    "driver_training": ["很多学员都有同样遭遇", "{me}保留了转账记录", "驾校负责人电话一直不接", "合同上写的是一费制",
                        "教练车没有安装计时设备"],
    "vehicle_repair": ["{me}保留了维修结算单", "修理厂老板态度强硬", "维修时没有签维修合同", "换下来的旧件不让带走",
                       "{me}怀疑根本没有更换配件"],
    "overload": ["路面已经出现裂缝和车辙", "晚上十一点以后最多", "车辆经过时整栋房子都在震", "村里的小桥承受不了",
                 "有时一晚上几十辆"],
    "illegal_operation": ["正规出租车都排不上队", "不少外地旅客上当", "有的摩的司机没有戴头盔", "晚上更多",
                          "之前执法队来过一次，没几天又回来了", "有的车还套用其他车牌"],
    "road": ["已经有好几辆电动车在这里摔倒", "晚上没有路灯看不清", "附近有学校，学生上下学都经过这里",
             "之前在12345反映过，没有人来修", "雨天积水有半尺深"],
    "waterway": ["船上有很多老人小孩", "码头没有遮阳避雨的地方", "岛上居民每天都靠这条船出行",
                 "工作人员说是上面规定的", "没有公示班次时刻表"],
    "conduct": ["现场有很多群众可以作证", "{me}用手机录了视频", "执法人员没有出示执法证件", "对方态度很傲慢",
                "{me}知道执法人员的工号"],
    "other": ["已经向社区反映过，没有结果", "家里有老人和小孩", "问了几个部门都说不归他们管",
              "{me}不知道该找哪个部门", "附近居民意见很大"],
}

GENERAL_DETAILS = {
    "complaint": ["{me}非常气愤", "严重影响市民出行", "给群众生活带来很大不便", "存在很大安全隐患",
                  "{me}已多次反映未果", "来电人情绪较激动", "这种情况不是第一次了"],
    "report": ["存在很大安全隐患", "希望尽快处理以免发生事故", "{me}可以配合提供照片和视频",
               "此类情况已持续很久"],
    "inquiry": ["{me}打了几个电话都没问清楚", "网上查到的信息不一致"],
    "help": ["情况比较紧急", "{me}很着急"],
    "suggestion": ["附近居民都有这个需求", "相信会方便很多群众"],
    "praise": ["{me}非常感动", "这样的好司机值得学习"],
}

OPENERS = {
    "12345": ["来电人反映：", "市民来电反映，", "来电人称：", "市民来电称，", "诉求人反映：", "来电人表示，",
              "网友留言：", "市民通过12345微信公众号留言称：", "来电人来电反映，", "市民来电：", ""],
    "12328": ["来电人反映：", "乘客来电投诉，", "旅客来电称：", "驾驶员来电反映，", "来电人通过12328反映：",
              "市民来电反映，", "来电人称，", ""],
    "reportbox": ["市民来信称：", "群众来信反映：", "网友留言：", "举报人通过网上举报箱反映：", "来信人反映，",
                  "邮件内容：", "来信摘要："],
}
TYPE_OPENERS = {
    "inquiry": ["来电咨询：", "来电人咨询：", "市民来电咨询，", "网友咨询："],
    "help": ["来电求助：", "来电人求助，", "市民来电求助："],
    "suggestion": ["来电建议：", "市民建议：", "来电人建议，", "网友建议："],
    "praise": ["来电表扬：", "来电人表示感谢，", "市民来电表扬，"],
    "report": ["来电举报：", "来电人举报，", "群众举报："],
}
LETTER_OPENERS = ["尊敬的交通局领导：您好！", "交通运输局领导：", "您好！", "尊敬的领导：", ""]
LETTER_INTROS = ["我是住在{place}附近的居民。", "我是一名普通上班族，每天坐车上下班。", "本人是外地来湛江工作的。",
                 "我是一名退休教师。", "我是{village}的村民。", "我是一名货车司机。", ""]

DEMANDS = {
    "complaint": ["要求相关部门核实处理并回复", "希望交通部门严肃处理该司机", "要求给个说法", "请求有关部门调查处理，给予答复",
                  "要求退还多收的{extra}元", "希望加强监管", "要求尽快整改", "请相关部门跟进处理",
                  "要求对相关责任人进行处理并回复处理结果", "希望有关部门重视"],
    "report": ["请求执法部门依法查处", "希望有关部门尽快取缔", "望查处", "请依法查处并反馈结果", "希望相关部门加大打击力度",
               "请求派人实地查看"],
    "inquiry": ["请相关部门予以答复", "希望告知具体办理流程", "请告知", "希望尽快得到答复", "请回电告知"],
    "help": ["请求协助", "请帮忙尽快处理", "情况紧急请尽快联系", "希望相关部门帮忙"],
    "suggestion": ["希望相关部门考虑", "盼采纳", "望有关部门研究", "请转相关部门参考"],
    "praise": ["希望对该司机给予表扬", "特此表示感谢", "请转达谢意", "希望单位给予表彰"],
}
DEMAND_ITEMS = {
    "complaint": ["尽快核实情况并依法处理", "退还多收的费用", "赔偿相应损失", "书面答复处理结果",
                  "加强日常监管，杜绝类似情况", "公开处理结果", "对相关责任人进行批评教育",
                  "处理过程中对个人信息保密"],
    "report": ["派人实地核查", "依法查处违法行为", "对举报人信息严格保密", "建立长效监管机制",
               "将查处结果反馈举报人", "联合公安、城管等部门开展整治"],
}
DEMAND_PREFIX = ["", "", "来电人", "来信人", "现", "{me}", "特"]
CLOSINGS = {
    "any": ["来电人要求回复。", "需回复。", "来电人不需要回复。", "请于规定时限内答复来电人。", "请核实。",
            "（来电人要求回电）", "已告知来电人办理时限。"],
    "report": ["来电人要求对其个人信息保密。", "举报人要求保密。", "（举报人不愿透露姓名）"],
}


def end(s):
    s = s.rstrip("，,；; ")
    if s and s[-1] not in "。！？":
        s += "。"
    return s


DRIVER_CATS = {"taxi", "ride_hailing", "bus", "coach", "illegal_operation"}
PASSENGER_CATS = DRIVER_CATS | {"waterway"}
# what a report adds; categories missing here use DETAILS
REPORT_DETAILS = {
    "taxi": ["同一辆车{since}经常这样", "{me}可以提供乘车时间和付款记录", "附近的出租车司机都知道这件事"],
    "ride_hailing": ["这些车在平台上显示的车牌和实际不一致", "司机自己说没有办证", "{me}有行程截图"],
    "bus": ["车上乘客都看见了", "{me}记下了车辆自编号"],
    "coach": ["每天早上6点多最多", "车上没有配安全带", "售票的人不给票据"],
    "freight": ["车辆经常在晚上进出", "车身没有任何标志", "附近就是学校和居民楼"],
    "driver_training": ["很多外地学员上当", "收费后不签合同", "练车的车辆没有教练车标志"],
    "vehicle_repair": ["废机油直接倒进下水道", "附近居民意见很大", "晚上还在喷漆"],
    "road": ["已经持续一个多月", "路政人员来过但没有处理"],
    "waterway": ["船上没有救生衣", "晚上也在跑", "船主说出了事自己负责"],
    "conduct": ["{me}有相关照片", "不少司机都知道这件事", "{me}知道具体的时间和地点"],
    "other": ["附近居民意见很大", "已经向社区反映过，没有结果"],
}
# follow-ups that fit only some categories
FOLLOWUP_CATS = {
    "当时{me2}要求对方出示证件，对方拒不出示": {"taxi", "ride_hailing", "illegal_operation", "conduct", "coach"},
    "{me2}当场提出异议，对方态度蛮横，还说“有本事你去告”": {
        "taxi", "ride_hailing", "bus", "coach", "driver_training", "vehicle_repair", "waterway",
        "illegal_operation", "conduct"},
    "{me2}认为这种行为严重损害了消费者的合法权益": {
        "taxi", "ride_hailing", "coach", "driver_training", "vehicle_repair", "waterway"},
    "事后{me2}打电话到相关公司投诉，对方称会转告，但至今没有任何答复": {
        "taxi", "ride_hailing", "bus", "coach", "freight", "driver_training", "vehicle_repair",
        "waterway"},
}
FOLLOWUPS = {
    "complaint": [
        "事后{me2}打电话到相关公司投诉，对方称会转告，但至今没有任何答复",
        "当时{me2}要求对方出示证件，对方拒不出示",
        "{me2}当场提出异议，对方态度蛮横，还说“有本事你去告”",
        "{me2}在网上发帖后，很多网友留言说有同样遭遇",
        "{me2}认为这种行为严重损害了消费者的合法权益",
        "{me2}表示这不是钱多钱少的问题，而是希望规范管理",
        "{me2}还表示，如果处理不到位将继续向上级部门反映",
        "据{me2}了解，附近类似的情况还有不少",
        "{me2}称当时有其他乘客在场，可以作证",
    ],
    "report": [
        "据{me2}观察，这种情况通常在晚上7点到10点最为集中",
        "{me2}曾当面劝阻，对方不予理会",
        "{me2}担心被打击报复，要求对个人信息保密",
        "{me2}可以提供具体车牌和时间段",
        "{me2}表示之前向其他部门反映过，都说不归他们管",
    ],
}
LETTER_LONG = [
    "这个问题已经困扰周边居民很久了，我们也曾多次向有关单位反映，但一直没有得到解决。",
    "作为一名普通市民，我知道交通部门工作很辛苦，但这种情况如果不管，迟早会出大事。",
    "我身边的亲戚朋友也遇到过类似的情况，大家都觉得很无奈，不知道该找谁。",
    "湛江正在创建文明城市，这样的现象实在影响城市形象，外地游客会怎么看我们？",
    "我之前打过电话，接电话的人说会转给相关部门，但之后就没有了下文。",
    "我写这封信不是为了个人的一点损失，而是希望类似的事情不要再发生在别人身上。",
    "希望领导能够重视群众的呼声，派人到现场看一看，切实解决老百姓的实际困难。",
    "如有需要，我愿意配合调查，提供当时的照片、录音和付款记录。",
]


def usable(s, c, cat=None):
    # letters and report-box messages are not calls; a citizen does not write
    # "I stated"; misconduct and matters outside the bureau are no road hazard
    if (c.letter or c.source == "reportbox") and "来电" in s:
        return False
    if c.letter and any(v in s for v in ("{me2}表示", "{me2}还表示", "{me2}称")):
        return False
    if cat in ("conduct", "other") and ("安全隐患" in s or "事故" in s):
        return False
    return True


def build_text(cat, rtype, c, source, letter, event=None):
    """Returns (subject, content, event_sentence)."""
    subj_opts, text = event or pick(EVENTS[cat][rtype])
    ev = fill(text, c)
    subject = fill(pick(subj_opts.split("|")), c)

    parts = []
    if letter:
        lo = pick(LETTER_OPENERS)
        intro = fill(pick(LETTER_INTROS), c)
        if lo:
            parts.append(lo)
        if intro:
            parts.append(intro)
    else:
        if source != "reportbox" and rtype in TYPE_OPENERS and maybe(0.45):
            opener = pick(TYPE_OPENERS[rtype])
        else:
            opener = pick([o for o in OPENERS[source]
                           if ("驾驶员" not in o or cat not in ("other", "bus", "coach"))
                           and (("乘客" not in o and "旅客" not in o) or cat in PASSENGER_CATS)
                           and ("投诉" not in o or rtype == "complaint")
                           and ("举报" not in o or rtype == "report")])
        for word in ("咨询", "建议"):
            if word in opener and ev.startswith(word):
                ev = ev[len(word):]
        parts.append(opener)

    # details: what went wrong matters for complaints and reports only
    verbose = rtype in ("complaint", "report") and maybe(0.14)
    if rtype == "complaint":
        pool = DETAILS[cat] + GENERAL_DETAILS[rtype]
    elif rtype == "report":
        pool = REPORT_DETAILS.get(cat, DETAILS[cat]) + GENERAL_DETAILS[rtype]
    else:
        pool = GENERAL_DETAILS[rtype]
    if verbose:
        nd = R.randrange(3, 6)
    elif rtype in ("complaint", "report"):
        nd = R.choices([0, 1, 2, 3], weights=[24, 38, 26, 12])[0]
    else:
        nd = R.choices([0, 1], weights=[70, 30])[0]
    pool = [d for d in pool if usable(d, c, cat)]
    details = [fill(d, c) for d in R.sample(pool, min(nd, len(pool)))]
    if rtype in FOLLOWUPS:
        nf = R.randrange(3, 6) if verbose else R.choices([0, 1], weights=[75, 25])[0]
        fpool = [d for d in FOLLOWUPS[rtype] if usable(d, c, cat)
                 and (d not in FOLLOWUP_CATS or cat in FOLLOWUP_CATS[d])]
        details += [fill(d, c) for d in R.sample(fpool, min(nf, len(fpool)))]
    details = [d for d in details if d not in ev]
    sep = pick(["，", "。", "，", "；"])
    body = ev
    for d in details:
        body += sep + d
        sep = pick(["，", "。", "，"])
    parts.append(end(body))
    if letter and (verbose or maybe(0.35)):
        parts.extend(R.sample(LETTER_LONG, R.randrange(3, 6) if verbose else R.randrange(1, 3)))

    if verbose:
        items = R.sample([d for d in DEMAND_ITEMS[rtype] if "多收" not in d or "extra" in c],
                         R.randrange(2, 4))
        if rtype == "complaint" and cat in DRIVER_CATS and maybe(0.6):
            items[0] = "依法处理涉事驾驶员，并对所属企业进行约谈"
        who = "我" if letter else ("来信人" if source == "reportbox" else "来电人")
        if maybe(0.5):
            lead = who + pick(["提出以下诉求：", "的诉求：", "要求："])
            parts.append(lead + "；".join("%d.%s" % (i + 1, x) for i, x in enumerate(items)) + "。")
        else:
            nums = "一二三"
            parts.append(who + "要求：" + "；".join("%s是%s" % (nums[i], x) for i, x in enumerate(items)) + "。")
    elif maybe(0.9):
        demands = [d for d in DEMANDS[rtype]
                   if ("{extra}" not in d or "extra" in c)
                   and ("司机" not in d or cat in DRIVER_CATS)]
        demand = pick(demands)
        prefix = ""
        if demand.startswith(("要求", "希望", "请求")):
            prefix = pick([p for p in DEMAND_PREFIX if usable(p, c) and p != "特"
                           and (p != "来信人" or source == "reportbox")
                           and (p != "来电人" or source != "reportbox")])
        elif demand.startswith("表示"):
            prefix = ""
        parts.append(end(fill(prefix + demand, c)))
    if maybe(0.3):
        pool = CLOSINGS["any"] + (CLOSINGS["report"] * 2 if rtype == "report" else [])
        pool = [x for x in pool if usable(x, c)]
        parts.append(pick(pool))
    if letter and maybe(0.5):
        parts.append(pick(["此致敬礼！", "谢谢！", "望领导重视。", "一位关心此事的市民"]))
    content = "".join(parts)
    if maybe(0.08):  # in a hurry: no final full stop
        content = content.rstrip("。")
    return subject, content, ev


# ---------------------------------------------------------------- hard cases
# a second topic that plausibly comes up in the same call
PAIRS = {
    "taxi": ["illegal_operation", "ride_hailing", "road", "bus"],
    "ride_hailing": ["taxi", "illegal_operation"],
    "bus": ["road", "taxi", "other", "coach"],
    "coach": ["illegal_operation", "bus", "taxi"],
    "freight": ["overload", "road"],
    "driver_training": ["conduct", "road"],
    "vehicle_repair": ["other", "driver_training"],
    "overload": ["road", "freight", "conduct"],
    "illegal_operation": ["taxi", "bus", "conduct"],
    "road": ["bus", "overload", "other"],
    "waterway": ["coach", "road"],
    "conduct": ["overload", "illegal_operation"],
    "other": ["road", "bus"],
}
TRADITIONAL = [
    ("taxi", "complaint", "12345", "的士不按錶收費",
     "網友留言：本人為澳門居民，{m}月{d}日晚上在湛江站乘搭的士（車牌粵G·T{n4}）前往國貿大廈附近酒店，司機沒有按錶收費，"
     "開口要價{paid}元人民幣，比酒店告知的車資高出一倍多。司機態度惡劣，拒絕提供發票。希望貴局查處並回覆，謝謝。"),
    ("coach", "complaint", "reportbox", "長途客車延誤不退票",
     "郵件內容：本人係香港旅客，{m}月{d}日從湛江汽車客運中心站乘坐往深圳的長途客車，開車時間延誤兩個多小時，"
     "站方冇任何解釋，亦唔肯退票，仲話係「交通管制」。要求有關部門跟進處理，並公開延誤原因。"),
    ("waterway", "inquiry", "12345", "查詢渡輪班次",
     "網友留言：想查詢由霞山海濱碼頭往特呈島的渡輪班次及票價，另外六十五歲以上長者是否有優惠？請回覆。"),
    ("ride_hailing", "complaint", "12328", "網約車司機中途加價",
     "來電人反映（繁體短訊轉錄）：本人從香港來湛江探親，{m}月{d}日使用網約車由吳川機場到赤坎，司機途中要求加價{extra}元，"
     "否則不繼續行駛，本人人生路不熟只好付款，請有關部門嚴肅處理。"),
    ("bus", "praise", "reportbox", "表揚公交車司機",
     "來信摘要：我是一位來自澳門的長者，{m}月{d}日乘坐{route}公交車時身體不適，司機立即停車並協助聯絡救護車，"
     "又安排乘客照顧我，十分感激，特此表揚該名司機及公交公司。"),
]

FULLWIDTH = {ord(ch): ord(ch) + 0xFEE0 for ch in
             "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
FULLWIDTH_DIGITS = {ord(ch): ord(ch) + 0xFEE0 for ch in "0123456789"}


def to_fullwidth(s, digits_only=False):
    return s.translate(FULLWIDTH_DIGITS if digits_only else FULLWIDTH)


# ---------------------------------------------------------------- record frame
SOURCE_W = {"12345": 45, "12328": 35, "reportbox": 20}
CAT_W = {  # per source: 12345, 12328, reportbox
    "taxi": (14, 16, 8), "ride_hailing": (9, 10, 6), "bus": (17, 14, 10), "coach": (5, 9, 4),
    "freight": (4, 6, 5), "driver_training": (6, 6, 7), "vehicle_repair": (4, 4, 3),
    "overload": (3, 5, 9), "illegal_operation": (7, 9, 15), "road": (9, 7, 8),
    "waterway": (3, 6, 3), "conduct": (2, 3, 10), "other": (17, 5, 12),
}
TYPE_W = {
    "taxi": dict(complaint=70, report=4, inquiry=8, help=8, suggestion=4, praise=8),
    "ride_hailing": dict(complaint=70, report=8, inquiry=10, help=6, suggestion=5, praise=2),
    "bus": dict(complaint=55, report=2, inquiry=14, help=6, suggestion=16, praise=10),
    "coach": dict(complaint=55, report=8, inquiry=20, help=5, suggestion=8, praise=3),
    "freight": dict(complaint=35, report=35, inquiry=20, help=5, suggestion=5),
    "driver_training": dict(complaint=60, report=8, inquiry=25, suggestion=7),
    "vehicle_repair": dict(complaint=65, report=15, inquiry=15, suggestion=5),
    "overload": dict(complaint=20, report=65, inquiry=8, suggestion=7),
    "illegal_operation": dict(complaint=20, report=70, inquiry=4, suggestion=6),
    "road": dict(complaint=50, report=8, inquiry=12, help=15, suggestion=15),
    "waterway": dict(complaint=45, report=12, inquiry=25, help=10, suggestion=8),
    "conduct": dict(complaint=45, report=40, praise=20),
    "other": dict(complaint=45, report=8, inquiry=25, help=15, suggestion=7),
}
SOURCE_TYPE_BIAS = {
    "12345": dict(),
    "12328": dict(inquiry=1.3),
    "reportbox": dict(report=3.0, inquiry=0.3, help=0.2, suggestion=1.5),
}


def is_workday(d):
    if d in MAKEUP_WORKDAYS:
        return True
    return d.weekday() < 5 and d not in HOLIDAYS


ALL_DAYS = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
WORKDAYS = [d for d in ALL_DAYS if is_workday(d)]
OFFDAYS = [d for d in ALL_DAYS if not is_workday(d)]


def received_time(source):
    r = R.random()
    if r < 0.74:  # office hours on a working day
        d = pick(WORKDAYS)
        if maybe(0.5):
            sec = R.randrange(int(8.5 * 3600), 12 * 3600)
        else:
            sec = R.randrange(int(14.5 * 3600), 18 * 3600)
    elif r < 0.88:  # evening or lunch on a working day
        d = pick(WORKDAYS)
        if maybe(0.25):
            sec = R.randrange(12 * 3600, int(14.5 * 3600))
        else:
            sec = R.randrange(18 * 3600, int(22.5 * 3600))
    else:  # weekends and holidays; the 12345 line also answers at night
        d = pick(OFFDAYS)
        if source == "12345" and maybe(0.25):
            sec = R.randrange(0, 7 * 3600) if maybe(0.5) else R.randrange(22 * 3600, 24 * 3600)
        else:
            sec = R.randrange(9 * 3600, 21 * 3600)
    if source == "reportbox" and maybe(0.6):
        sec -= sec % 60  # letters logged by hand: whole minutes
    t = dt.datetime.combine(d, dt.time(0), TZ) + dt.timedelta(seconds=sec)
    return t


def add_workdays(t, n):
    d = t.date()
    while n > 0:
        d += dt.timedelta(days=1)
        if is_workday(d):
            n -= 1
    return d


def rfc3339(t):
    return t.isoformat(timespec="seconds")


def make_caller(source, rtype):
    caller = {}
    anon_p = 0.08
    conf_p = 0.03
    if rtype == "report":
        anon_p = 0.45 if source == "reportbox" else 0.15
        conf_p = 0.6 if source == "reportbox" else 0.35
    anonymous = maybe(anon_p)
    if anonymous:
        name = ""
        if source == "reportbox":
            phone = "" if maybe(0.7) else mobile()
        else:
            phone = mobile() if maybe(0.85) else landline()
    else:
        r = R.random()
        sur = pick(SURNAMES)
        if r < 0.58:
            name = sur + pick(["先生", "女士", "先生", "女士", "小姐", "师傅", "阿姨", "伯"])
        elif r < 0.95:
            name = fullname()
        else:
            name = pick(["市民", "网友"]) if source == "reportbox" else sur + "生"
        phone = landline() if maybe(0.05) else mobile()
        if source == "reportbox" and maybe(0.15):
            phone = ""
    caller = {"name": name, "phone": phone, "anonymous": anonymous}
    if not anonymous and maybe(conf_p):
        caller["confidential"] = True
    return caller


def make_location(c):
    name = c.loc if c.loc and maybe(0.85) else None
    if name is None:
        name = pick(GENERAL + VILLAGES + PORTS)
    _, district, lat, lon, kind = PLACE_BY_NAME[name]
    city = pick(["湛江市", "湛江市", "湛江", ""])
    if district == "开发区":
        district = pick(["开发区", "经济技术开发区", "湛江开发区"])
        if district == "湛江开发区" and city:
            city = ""
    if kind == "road":
        suffix = pick(["", "%d号附近" % R.randrange(1, 200), "路段", "与%s交叉口" % pick(ROADS), "公交站旁"])
        if "交叉口" in suffix and suffix[1:-3] == name:
            suffix = ""
    elif kind in ("station", "port", "landmark"):
        suffix = pick(["", "门口", "附近", "出口", "停车场"])
    else:
        suffix = pick(["", "附近", "路口"])
    addr = (city + district if maybe(0.8) else "") + name + suffix
    loc = {"address": addr}
    if lat is not None and maybe(0.55):
        loc["lat"] = round(lat + R.uniform(-0.004, 0.004), 6)
        loc["lon"] = round(lon + R.uniform(-0.004, 0.004), 6)
    return loc


def make_record(source, cat, rtype, received, hard=None):
    letter = source == "reportbox" and maybe(0.45)
    c = Ctx(received, letter, source)
    rec = {"source": source, "external_id": None, "received_at": rfc3339(received)}
    label = {"category": cat, "request_type": rtype}
    if hard == "traditional":
        tcat, ttype, _, subj, text = TRADITIONAL.pop(0)
        ev_day = received - dt.timedelta(days=R.randrange(1, 4))
        content = text.format(m=ev_day.month, d=ev_day.day, n4="%04d" % R.randrange(10000),
                              paid=R.choice([80, 120, 150]), extra=R.choice([30, 50]),
                              route=pick(BUS_ROUTES))
        event = content
    elif hard == "two_topic":
        subj1, ev1 = pick(EVENTS[cat][rtype])
        cat2 = pick(PAIRS[cat])
        type2 = pick([t for t in EVENTS[cat2] if t in ("complaint", "report", "suggestion")])
        subj2, ev2 = pick(EVENTS[cat2][type2])
        s1 = fill(pick(subj1.split("|")), c)
        s2 = fill(pick(subj2.split("|")), c)
        subj = pick([s1 + "；" + s2, s1 + "等问题", "反映两个问题"])
        e1, e2 = fill(ev1, c), fill(ev2, c)
        form = R.random()
        if form < 0.4:
            body = "一是%s；二是%s。" % (e1, e2)
        elif form < 0.7:
            body = "1、%s。2、%s。" % (e1, e2)
        else:
            body = "%s。另外，%s。" % (e1, e2)
        opener = pick(["来电人反映", "市民来电反映", "来电人提出", "网友留言反映"]
                      if source != "reportbox" else ["来信人反映", "群众来信反映", "网友留言反映"])
        content = opener + pick(["两个问题：", "以下问题：", "："]) + body
        content += end(fill(pick(DEMANDS[rtype]), c))
        event = e1
        label["second_category"] = cat2
    else:
        subj, content, event = build_text(cat, rtype, c, source, letter)
    if hard == "fullwidth":
        digits_only = maybe(0.4)
        content = to_fullwidth(content, digits_only)
        if maybe(0.5):
            subj = to_fullwidth(subj, digits_only)
    if hard != "traditional":
        # keep every text in the bounds the tests expect
        while len(content) > 400:
            content = content[:content.rfind("。", 0, 399) + 1]
        if len(content) < 20:
            content = end(content) + end(fill(pick(DEMANDS[rtype]), c))
    rec["request_type"] = rtype
    rec["caller"] = make_caller(source, rtype)
    if hard == "traditional":  # a visitor from Hong Kong or Macau
        hk = maybe(0.6)
        rec["caller"] = {"name": pick(["陳先生", "黃女士", "梁小姐", "何先生", "張太", "鄭伯"]),
                         "phone": "%s %s%03d %04d" % ("+852" if hk else "+853", pick("569") if hk else "6",
                                                      R.randrange(1000), R.randrange(10000)),
                         "anonymous": False}
    if maybe(0.93):
        rec["subject"] = subj
    rec["content"] = content
    if maybe(0.62):
        rec["location"] = make_location(c)
    if source in ("12345", "12328") and maybe(0.32):
        n = R.choice([1, 2, 3, 3, 5, 5, 5, 7, 10, 15])
        d = add_workdays(received, n)
        hhmm = pick(["18:00", "18:00", "17:30", "12:00", received.strftime("%H:%M")])
        rec["deadline"] = "%sT%s:00+08:00" % (d.isoformat(), hhmm)
    if rtype == "help" and maybe(0.3):
        rec["urgent"] = True
    return rec, label, event, c


def attach(rec):
    att = []
    ext = rec["external_id"]
    if rec["source"] in ("12345", "12328") and maybe(0.7):
        name = "%s.wav" % ext if maybe(0.5) else "rec_%s.wav" % rec["received_at"][:19].replace(
            "-", "").replace(":", "").replace("T", "_")
        att.append({"name": name, "mime": "audio/wav",
                    "uri": "https://hotline.zhanjiang.example/%s/recordings/%s/%s" % (
                        rec["source"], rec["received_at"][:10].replace("-", "/"), name)})
    for i in range(R.choice([0, 1, 1, 2, 3]) if att else R.choice([1, 1, 2, 3])):
        name = pick(["IMG_%04d.jpg" % R.randrange(10000), "现场照片%d.jpg" % (i + 1),
                     "photo_%d.jpg" % (i + 1), "微信图片_%s%02d.jpg" % (
                         rec["received_at"][:10].replace("-", ""), R.randrange(100))])
        att.append({"name": name, "mime": "image/jpeg",
                    "uri": "https://hotline.zhanjiang.example/%s/files/%s/%s" % (
                        rec["source"], ext, name)})
    for a in att:
        a["sha256"] = hashlib.sha256(("%s/%s/%s" % (SEED, ext, a["name"])).encode()).hexdigest()
    # the record's field order: name, sha256, uri, mime
    rec["attachments"] = [{"name": a["name"], "sha256": a["sha256"], "uri": a["uri"],
                           "mime": a["mime"]} for a in att]


# ---------------------------------------------------------------- near-duplicates
def retype(content, source):
    """Another operator typing the same call: other opener, punctuation and wording."""
    orig = content
    head = min([i for i in (content.find("："), content.find("，")) if 0 <= i <= 14] or [-1])
    other = [o for o in OPENERS[source] if o and not content.startswith(o) and "驾驶员" not in o]
    if head >= 0 and ("来电" in content[:head] or "市民" in content[:head] or "网友" in content[:head]):
        content = pick(other) + content[head + 1:]
    elif maybe(0.7):
        content = pick(other) + content
    swaps = [("来电人反映：", "市民来电称，"), ("市民来电反映，", "来电人反映："), ("来电人称：", "来电人反映，"),
             ("，", ","), ("左右", "许"), ("非常", "很"), ("要求相关部门", "请相关部门"), ("出租车", "的士"),
             ("多次", "几次"), ("公交车", "公交"), ("司机", "驾驶员"), ("。", "，", )]
    out = content
    for a, b in R.sample(swaps, R.randrange(2, 5)):
        if a == "，":
            # only some commas become ASCII, as a careless retype does
            pieces = out.split("，")
            out = pieces[0] + "".join((b if maybe(0.4) else a) + p for p in pieces[1:])
        elif a == "。":
            idx = out.find("。")
            if 0 <= idx < len(out) - 1:
                out = out[:idx] + "，" + out[idx + 1:]
        else:
            out = out.replace(a, b, 1)
    if out == orig:
        out = orig.rstrip("。") + "，请尽快处理。"
    return out


def again(base_rec, event, c):
    prev_day = dt.datetime.fromisoformat(base_rec["received_at"])
    opener = pick(["来电人再次来电反映，", "来电人第二次来电：", "市民再次反映：", "来电人称此前已反映过，"])
    ref = pick(["此前已于%d月%d日反映（工单号{PREV}），至今没有人联系处理" % (prev_day.month, prev_day.day),
                "%d月%d日已经打过电话，工单号{PREV}，一直没有回复" % (prev_day.month, prev_day.day),
                "前几天反映过同样的问题，到现在还没有处理结果"])
    tail = pick(["要求尽快处理并回复。", "来电人很不满，要求相关部门尽快处理。", "要求加快办理进度。",
                 "请相关部门尽快处理，来电人表示如再不处理将向上级反映。"])
    return opener + end(event) + ref + "，" + tail


# ---------------------------------------------------------------- main
def external_ids(records):
    """Per channel, per day, increasing serial numbers in order of receipt."""
    serial = {}
    for rec in records:
        t = dt.datetime.fromisoformat(rec["received_at"])
        day = t.strftime("%Y%m%d")
        key = (rec["source"], day)
        src = rec["source"]
        if src == "12345":
            n = serial.get(key, R.randrange(40, 300)) + R.randrange(1, 90)
            rec["external_id"] = "GD-ZJ-%s-%06d" % (day, n)
        elif src == "12328":
            n = serial.get(key, R.randrange(0, 10)) + R.randrange(1, 12)
            rec["external_id"] = "12328-440800-%s%05d" % (day, n)
        else:
            n = serial.get(key, 0) + R.randrange(1, 3)
            rec["external_id"] = "JB%s%05d" % (day, n)
        serial[key] = n


def upstream_for(rec):
    src = rec["source"]
    if src == "12345":
        up = {"platform": "12345", "order_no": rec["external_id"],
              "dispatch_level": pick(["市级", "市级", "区级"]),
              "channel": pick(["电话", "电话", "电话", "微信公众号", "网站", "粤省事"]),
              "operator_no": "ZJ%04d" % R.randrange(1, 400)}
        if maybe(0.3):
            up["dispatcher"] = pick(["湛江市12345热线中心", "开发区12345分中心"])
        return up
    if src == "12328":
        return {"platform": "12328", "order_no": rec["external_id"],
                "dispatch_level": pick(["省级", "市级", "市级"]),
                "region_code": "440800", "operator_no": "%d" % R.randrange(8001, 8100)}
    return {"box": pick(["letter", "web", "web", "email"]),
            "retrieval_code": "".join(pick("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))}


MAX_SIMILARITY = 0.55


def bigrams(text):
    return {text[i:i + 2] for i in range(len(text) - 1)}


def similarity(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def generate(count):
    n_base = count - N_DUPLICATES
    hard = (["traditional"] * N_TRADITIONAL + ["fullwidth"] * N_FULLWIDTH
            + ["two_topic"] * N_TWO_TOPIC)
    hard += [None] * (n_base - len(hard))
    R.shuffle(hard)
    items = []
    seen = []
    trad_meta = [(t[0], t[1], t[2]) for t in TRADITIONAL]
    # exact channel shares (the near-duplicates come from the phone lines)
    quota = {src: round(count * w / sum(SOURCE_W.values())) for src, w in SOURCE_W.items()}
    quota["12345"] -= N_DUPLICATES // 2 + 1
    quota["12328"] -= N_DUPLICATES - (N_DUPLICATES // 2 + 1)
    for t in trad_meta:
        quota[t[2]] -= 1
    quota["12345"] += n_base - N_TRADITIONAL - sum(quota.values())
    sources = [src for src, n in quota.items() for _ in range(n)]
    R.shuffle(sources)
    for i in range(n_base):
        h = hard[i]
        if h == "traditional":
            cat, rtype, source = trad_meta.pop(0)
        else:
            source = sources.pop()
            idx = list(SOURCE_W).index(source)
            cat = wpick({k: v[idx] for k, v in CAT_W.items()})
            bias = SOURCE_TYPE_BIAS[source]
            rtype = wpick({t: w * bias.get(t, 1.0) for t, w in TYPE_W[cat].items()})
        received = received_time(source)
        # only the deliberate near-duplicates below may read alike: a text too
        # close to an earlier one (character bigrams) is drawn again
        for _ in range(30):
            rec, label, event, c = make_record(source, cat, rtype, received, h)
            grams = bigrams(rec["content"])
            if h == "traditional" or all(similarity(grams, g) <= MAX_SIMILARITY for g in seen):
                break
        seen.append(grams)
        items.append({"rec": rec, "label": label, "event": event, "ctx": c, "hard": h})

    # near-duplicates of earlier records, from callers who left a number
    candidates = [it for it in items if it["hard"] is None and it["rec"]["caller"]["phone"]
                  and it["label"]["request_type"] in ("complaint", "report", "help")
                  and it["rec"]["source"] != "reportbox"
                  and it["rec"]["received_at"][:10] < (LAST_DAY - dt.timedelta(days=5)).isoformat()]
    for k, base in enumerate(R.sample(candidates, N_DUPLICATES)):
        b = base["rec"]
        t0 = dt.datetime.fromisoformat(b["received_at"])
        mode = "again" if k < 8 else "retype"
        rec = {"source": b["source"], "external_id": None}
        if mode == "again":
            t = t0 + dt.timedelta(days=R.randrange(1, 5), minutes=R.randrange(-120, 240))
            if maybe(0.3):
                rec["source"] = "12328" if b["source"] == "12345" else "12345"
            content = again(b, base["event"], base["ctx"])
        else:
            t = t0 + dt.timedelta(minutes=R.randrange(3, 100))
            content = retype(b["content"], rec["source"])
        t = max(t, t0 + dt.timedelta(minutes=5)).replace(microsecond=0)
        rec["received_at"] = rfc3339(t)
        rec["request_type"] = b["request_type"]
        rec["caller"] = dict(b["caller"])
        if "subject" in b:
            rec["subject"] = b["subject"] if mode == "retype" or maybe(0.5) else "重复来电：" + b["subject"]
        rec["content"] = content
        if "location" in b:
            rec["location"] = dict(b["location"])
        if "deadline" in b and maybe(0.5):
            rec["deadline"] = b["deadline"]
        label = dict(base["label"])
        label["duplicate_of"] = b  # resolved to (source, external_id) once ids exist
        label["duplicate_kind"] = mode
        items.append({"rec": rec, "label": label, "event": base["event"], "ctx": base["ctx"],
                      "hard": "duplicate"})

    # the file reads in order of receipt
    items.sort(key=lambda it: (it["rec"]["received_at"], it["rec"]["source"]))
    external_ids([it["rec"] for it in items])

    # optional fields that depend on the id, and what the upstream pre-classified
    out = []
    for it in items:
        rec, label = it["rec"], it["label"]
        if "duplicate_of" in label:
            b = label["duplicate_of"]
            rec["content"] = rec["content"].replace("{PREV}", b["external_id"])
            label["duplicate_of"] = {"source": b["source"], "external_id": b["external_id"]}
        if maybe(0.10) and it["hard"] != "traditional":
            attach(rec)
        if rec["source"] in ("12345", "12328") or maybe(0.7):
            rec["upstream"] = upstream_for(rec)
        out.append(it)

    # ~10% carry an upstream category, ~15% leave the request type to the classifier
    idx = list(range(len(out)))
    with_cat = set(R.sample(idx, round(len(out) * 0.10)))
    without_type = set(R.sample(idx, round(len(out) * 0.15)))
    records, labels = [], []
    for i, it in enumerate(out):
        rec, label = it["rec"], it["label"]
        ordered = {}
        for key in ["source", "external_id", "received_at", "request_type", "category", "urgent",
                    "caller", "subject", "content", "location", "deadline", "attachments",
                    "upstream"]:
            if key == "category":
                if i in with_cat:
                    ordered["category"] = label["category"]
                continue
            if key == "request_type" and i in without_type:
                continue
            if key in rec:
                ordered[key] = rec[key]
        records.append(ordered)
        lab = {"source": rec["source"], "external_id": rec["external_id"],
               "category": label["category"], "request_type": label["request_type"]}
        for extra in ("second_category", "duplicate_of", "duplicate_kind"):
            if extra in label:
                lab[extra] = label[extra]
        if it["hard"] in ("traditional", "fullwidth", "two_topic"):
            lab["hard"] = it["hard"]
        labels.append(lab)
    return records, labels


def bad_intakes():
    """Line 1 valid, 2 missing content, 3 valid, 4 bad received_at, 5 not JSON, 6 valid."""
    valid1 = {"source": "12345", "external_id": "GD-ZJ-20261126-000123",
              "received_at": "2026-11-26T09:15:00+08:00", "request_type": "complaint",
              "caller": {"name": "李先生", "phone": "13800138000", "anonymous": False},
              "subject": "出租车拒载",
              "content": "来电人反映：今天早上8点多在开发区人民大道中拦乘粤G·T2736出租车去湛江西站，司机以要交班为由拒载，要求相关部门核实处理并回复。",
              "location": {"address": "湛江开发区人民大道中", "lat": 21.2, "lon": 110.4},
              "deadline": "2026-12-03T18:00:00+08:00",
              "upstream": {"platform": "12345", "order_no": "GD-ZJ-20261126-000123",
                           "dispatch_level": "市级"}}
    missing_content = {"source": "12328", "external_id": "12328-440800-2026112600004",
                       "received_at": "2026-11-26T10:02:41+08:00", "request_type": "inquiry",
                       "caller": {"name": "陈女士", "phone": "13922876543", "anonymous": False},
                       "subject": "咨询渡船时间",
                       "upstream": {"platform": "12328", "order_no": "12328-440800-2026112600004",
                                    "dispatch_level": "市级"}}
    valid3 = {"source": "12328", "external_id": "12328-440800-2026112600009",
              "received_at": "2026-11-26T10:40:07+08:00", "request_type": "complaint",
              "caller": {"name": "黄师傅", "phone": "0759-3381234", "anonymous": False},
              "subject": "25路公交车过站不停",
              "content": "驾驶员来电反映，25路公交车今天上午在海滨公园站过站不停，站台上有好几位乘客招手，司机直接开走，要求核实处理。",
              "upstream": {"platform": "12328", "order_no": "12328-440800-2026112600009",
                           "dispatch_level": "省级"}}
    bad_time = {"source": "12345", "external_id": "GD-ZJ-20261126-000187",
                "received_at": "2026-13-45 25:00", "request_type": "report",
                "caller": {"name": "", "phone": "13612345678", "anonymous": True},
                "content": "来电举报：霞山汽车站出口有大量黑车拉客，价格比正规出租车贵很多，请求执法部门依法查处。"}
    not_json = "12345,GD-ZJ-20261126-000201,2026-11-26 11:20,来电人反映5路公交车司机态度差,要求处理"
    valid6 = {"source": "reportbox", "external_id": "JB2026112600001",
              "received_at": "2026-11-26T14:30:00+08:00", "request_type": "report",
              "caller": {"name": "", "phone": "", "anonymous": True},
              "subject": "举报货车超载",
              "content": "群众来信反映：疏港大道近期晚上11点以后有大量运输沙石的货车超载通行，路面被压坏，希望有关部门尽快查处。",
              "location": {"address": "湛江市霞山区疏港大道"},
              "upstream": {"box": "letter", "retrieval_code": "K7Q2M9"}}
    lines = [json.dumps(valid1, ensure_ascii=False), json.dumps(missing_content, ensure_ascii=False),
             json.dumps(valid3, ensure_ascii=False), json.dumps(bad_time, ensure_ascii=False),
             not_json, json.dumps(valid6, ensure_ascii=False)]
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--count", type=int, default=COUNT)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "samples"))
    args = ap.parse_args()
    R.seed(args.seed)

    records, labels = generate(args.count)
    os.makedirs(args.out, exist_ok=True)

    def write(name, lines):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            for line in lines:
                f.write(line + "\n")

    dump = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))
    write("intakes.jsonl", [dump(r) for r in records])
    write("labels.jsonl", [dump(l) for l in labels])
    write("bad-intakes.jsonl", bad_intakes())
    print("wrote %d intakes, %d labels, 6 bad lines to %s" % (
        len(records), len(labels), os.path.normpath(args.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
