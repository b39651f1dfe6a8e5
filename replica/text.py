"""Original Chinese text for the replica: titles, paragraphs and names from phrase templates.

Everything here is written for the replica (nothing is taken from real pages). The generators
take a `random.Random` so a given seed always yields the same site.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

UNITS = (
    "省发展改革委", "省教育厅", "省科技厅", "省经济和信息化厅", "省民政厅", "省司法厅", "省财政厅",
    "省人力资源社会保障厅", "省自然资源厅", "省生态环境厅", "省住房城乡建设厅", "省交通运输厅",
    "省水利厅", "省农业农村厅", "省商务厅", "省文化和旅游厅", "省卫生健康委", "省应急管理厅",
    "省审计厅", "省市场监管局", "省广播电视局", "省体育局", "省统计局", "省医保局", "省林草局",
    "省气象局", "省地震局", "省测绘地理信息局", "省机关事务管理局", "省档案馆", "省图书馆",
    "省地质调查院", "省疾控中心", "省人民医院", "省农科院", "省社科院",
)
FESTIVALS = ("春节送温暖", "夏送清凉", "金秋助学", "两节走访慰问", "三八妇女节关爱", "五一劳动节慰问")
SPORTS = ("乒乓球", "羽毛球", "气排球", "篮球", "健步走", "趣味运动会", "拔河", "围棋", "象棋", "游泳")
TOPICS = (
    "职工之家建设", "基层工会组织建设", "职工书屋建设", "女职工工作", "劳动竞赛", "工会经费管理",
    "职工文体活动", "困难职工帮扶", "普惠服务", "民主管理",
)
THEMES = ("喜迎二十大 奋进新征程", "劳动创造幸福", "建功新时代", "奋进新征程 建功新时代", "中国梦·劳动美")
EVENTS = ("书法绘画摄影作品展", "职工读书分享会", "演讲比赛", "知识竞赛", "文艺汇演", "征文活动")
THINGS = (
    "春节送温暖活动", "金秋助学活动", "“安康杯”竞赛活动", "先进职工之家评选", "职工书屋建设",
    "劳动技能竞赛", "职工健步走活动", "工会财务检查", "女职工“两癌”筛查", "职工疗休养",
    "职工子女暑期爱心托管班", "会员评家", "工会经费审查", "职工心理健康服务",
)
TRAININGS = ("工会干部能力提升培训班", "工会财务人员培训班", "法律和民主管理工作培训班", "女职工工作培训班")
HONORS = ("四川省五一劳动奖章", "四川省工人先锋号", "省直机关优秀工会干部", "省五一巾帼标兵", "省直机关先进职工之家")
HOLIDAYS = ("元旦春节", "五一", "国庆中秋", "端午")
TARGETS = ("一线职工", "困难职工", "退休老同志", "援藏援彝干部家属", "驻村第一书记", "劳动模范")
ACTIVITIES = (
    "职工健步走", "读书分享", "安康杯知识竞赛", "职工技能比武", "送温暖", "金秋助学", "心理健康讲座",
    "青年职工联谊", "女职工关爱", "劳动竞赛", "职工运动会", "工会开放日", "节日慰问", "义务植树",
)
PLACES = ("省直机关职工活动中心", "成都市天府广场", "锦江之畔", "省图书馆报告厅", "龙泉山城市森林公园", "单位多功能厅")
GOALS = (
    "丰富职工精神文化生活", "增强职工队伍凝聚力和向心力", "提升工会干部履职能力", "切实为职工群众办实事解难题",
    "营造比学赶超的良好氛围", "推动新时代职工之家建设提质增效", "展现省直单位干部职工昂扬向上的精神风貌",
    "把党的关怀和工会组织的温暖送到职工心坎上",
)
POINTS = (
    "要坚持以职工为中心的工作导向，把职工群众的急难愁盼作为工作的出发点和落脚点",
    "要切实履行维权服务基本职责，持续深化普惠服务，不断增强职工的获得感幸福感安全感",
    "要进一步增强工会组织的政治性先进性群众性，团结动员广大职工建功立业",
    "要把劳动竞赛与中心工作紧密结合，引导职工在岗位上比技能、比贡献",
    "要以新时代职工之家建设为载体，推动基层工会规范化建设再上新台阶",
    "要严格工会经费管理，确保每一分钱都用在服务职工的刀刃上",
)
RESOLVES = (
    "立足本职岗位，以更加饱满的热情投入工作",
    "把学习成果转化为推动工作的实际成效",
    "珍惜荣誉、再接再厉，在各自岗位上争创一流业绩",
    "积极参与工会组织的各项活动，争做新时代的奋斗者",
)
ACHIEVES = (
    "开展各类文体活动{n}场次，参与职工{k}余人次",
    "走访慰问一线职工和困难职工{k}余人，发放慰问金{m}万余元",
    "资助困难职工子女{n}名，发放助学金{m}万余元",
    "新建和改造职工之家{n}个，更新职工书屋图书{k}余册",
    "组织劳动技能竞赛{n}项，{k}余名职工参赛",
)
NEXTS = (
    "聚焦职工所思所盼，丰富服务内容、创新服务方式",
    "深化“安康杯”竞赛，筑牢安全生产防线",
    "加强基层工会规范化建设，建好职工之家",
    "持续开展送温暖、金秋助学等帮扶活动",
    "广泛开展劳动竞赛和技能比武，培育更多高素质职工",
)
SECTIONS = ("活动时间", "参加对象", "活动内容", "工作要求", "报送材料", "评选条件", "组织实施", "有关要求")
REQUIREMENTS = (
    "各单位工会要高度重视，精心组织，认真做好宣传发动工作，确保活动取得实效",
    "请于规定时间内将有关材料纸质版加盖公章后报送省直机关工会，电子版同时发送至指定邮箱",
    "推荐对象须政治立场坚定，模范遵守法律法规，在本职岗位上作出突出贡献",
    "活动期间要严格落实安全措施，合理安排时间，不得影响正常工作",
    "资金使用要严格执行工会经费有关规定，做到专款专用、公开透明",
    "对弄虚作假的，一经查实，取消评选资格并予以通报",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁琳晨辰欣怡佳雪梅莉倩颖婷蕾蓉川蜀渝"
# Characters in GBK but not in GB2312: names written with them catch decoders that read a
# page declared gb2312 with a strict GB2312 codec.
GBK_ONLY = "喆堃珺镕昇"
PHRASE_TYPES = ("news", "notice", "grassroots")


@dataclass(frozen=True)
class Text:
    """A generated article's title and paragraphs (`(kind, text)`, kind `p` or `strong`)."""

    title: str
    paragraphs: list[tuple[str, str]]


def person(rng: random.Random, *, gbk_only: bool = False) -> str:
    """A plausible two- or three-character name; with gbk_only, one character is outside GB2312."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    if gbk_only:
        given = given[:-1] + rng.choice(GBK_ONLY)
    return rng.choice(SURNAMES) + given


def title_for(kind: str, rng: random.Random, year: int, unit: str = "", activity: str = "") -> str:
    """A title for a column of the given kind, about work in `year` (by `unit`, about
    `activity`, when the body is to match; drawn at random otherwise)."""
    unit = unit or rng.choice(UNITS)
    activity = activity or rng.choice(ACTIVITIES)
    n = rng.randint(1, 9)
    templates = {
        "news": (
            f"省直机关工会召开{year}年工作会议暨{rng.choice(TOPICS)}推进会",
            f"省直机关工会举办{year}年第{n}期{rng.choice(TRAININGS)}",
            f"省直机关工会开展{year}年“{rng.choice(FESTIVALS)}”走访慰问活动",
            f"{year}年省直单位职工{rng.choice(SPORTS)}比赛圆满落幕",
            f"省直机关工会赴{unit}调研{rng.choice(TOPICS)}工作",
            f"“{rng.choice(THEMES)}”——{year}年省直机关职工{rng.choice(EVENTS)}在蓉举行",
            f"省直机关工会{year}年“安康杯”竞赛总结表彰会召开",
            f"{year}年省直单位{rng.choice(HONORS)}评选结果揭晓",
            f"省直机关工会召开四届{n}次常委会",
        ),
        "notice": (
            f"关于开展{year}年省直单位{rng.choice(THINGS)}的通知",
            f"关于举办{year}年{rng.choice(TRAININGS)}的通知",
            f"关于推荐{year}年度{rng.choice(HONORS)}候选人的通知",
            f"关于{year}年省直单位{rng.choice(THINGS)}结果的公示",
            f"关于做好{year}年{rng.choice(HOLIDAYS)}期间工会有关工作的通知",
            f"关于报送{year}年度{rng.choice(TOPICS)}工作总结的通知",
        ),
        "grassroots": (
            f"{unit}工会开展“{activity}”主题活动",
            f"{unit}工会举办{year}年职工{rng.choice(SPORTS)}比赛",
            f"{unit}工会组织开展{rng.choice(TOPICS)}专题培训",
            f"{unit}扎实推进{rng.choice(TOPICS)}见实效",
            f"{unit}工会走访慰问{rng.choice(TARGETS)}",
            f"{unit}工会：以“{activity}”凝聚职工力量",
        ),
    }[kind]
    return rng.choice(templates)


MEASURES = (
    "坚持把政治建设摆在首位，深入开展理论学习和主题教育", "健全完善困难职工帮扶机制，做到精准识别、精准帮扶",
    "持续推进职工书屋建设，为职工提供丰富的精神食粮", "常态化开展“安康杯”竞赛，筑牢安全生产防线",
    "深化劳动和技能竞赛，搭建职工成长成才平台", "落实职工疗休养制度，保障职工身心健康",
    "开展女职工关爱行动，组织“两癌”筛查和健康讲座", "规范工会经费收支管理，提高经费使用效益",
    "推进“互联网+工会”建设，让服务职工更加便捷高效", "组织开展金秋助学活动，帮助困难职工子女圆梦大学",
    "举办青年职工联谊活动，帮助单身职工解决婚恋难题", "开展职工子女暑期爱心托管，解决职工后顾之忧",
    "建立健全职工代表大会制度，推进厂务公开和民主管理", "开展“会员评家”活动，以评促建提升职工之家建设水平",
    "组织职工参加健步走、球类比赛等文体活动，增强职工体质", "加强工会干部教育培训，提升履职尽责能力",
    "做好节日慰问和送清凉工作，把关爱送到一线职工身边", "广泛宣传劳模精神、劳动精神、工匠精神",
)


def _middle_sentences(rng: random.Random, unit: str, year: int) -> list[str]:
    """Every middle sentence an article may use, freshly filled; each is used at most once."""
    n = rng.randint
    return [
        f"活动在{rng.choice(PLACES)}举行，{n(60, 900)}余名干部职工参与其中，现场气氛热烈。",
        f"{person(rng)}在讲话中指出，{rng.choice(POINTS)}。",
        f"本次活动共设{n(3, 20)}个项目，吸引了来自{n(10, 120)}个基层工会的职工踊跃参加。",
        f"大家纷纷表示，将以此次活动为契机，{rng.choice(RESOLVES)}。",
        f"据了解，{year}年以来，{unit}累计"
        + rng.choice(ACHIEVES).format(n=n(3, 60), k=n(100, 9000), m=n(2, 180)) + "。",
        f"此次活动既是一次{rng.choice(TOPICS)}的生动实践，也是一堂鲜活的主题教育课。",
        f"会议强调，各级工会组织{rng.choice(POINTS)}。",
        f"参加活动的职工代表{person(rng)}说：“工会组织的关心关爱让我们倍感温暖，干事创业更有劲头。”",
        f"活动中，{unit}负责同志详细了解了职工的工作生活情况，认真听取大家的意见建议。",
        f"为确保活动取得实效，{unit}提前制定工作方案，明确责任分工，细化{n(5, 30)}项具体措施。",
        f"与会人员围绕{rng.choice(TOPICS)}进行了深入交流，分享了各自的经验做法。",
        f"现场还设置了{rng.choice(ACTIVITIES)}互动环节，职工们在轻松愉快的氛围中增进了交流。",
        f"近年来，{unit}坚持把{rng.choice(TOPICS)}作为服务职工的重要抓手，"
        + rng.choice(ACHIEVES).format(n=n(3, 60), k=n(100, 9000), m=n(2, 180)) + "。",
        f"活动还特别邀请了{n(2, 9)}名劳动模范和工匠代表讲述奋斗故事，引发职工强烈共鸣。",
        f"据统计，本次活动共覆盖{n(8, 300)}个基层单位，发放各类物资价值{n(2, 60)}万余元。",
        "整个活动组织有序、内容丰富，得到了参与职工的一致好评。",
    ]


def _measures(rng: random.Random, unit: str, used: set[str]) -> str:
    """A paragraph listing three measures (一是…二是…三是…) not used before in the article."""
    fresh = [m for m in MEASURES if m not in used]
    picked = rng.sample(fresh, 3)
    used.update(picked)
    lead = rng.choice(("在具体工作中", "围绕年度目标任务", "聚焦职工所思所盼", "按照上级工会部署"))
    return f"{lead}，{unit}重点抓了以下几项工作：一是{picked[0]}；二是{picked[1]}；三是{picked[2]}。"


def news_text(kind: str, rng: random.Random, when: date) -> Text:
    """A news or grassroots report of 400-2,000 characters: a dated opening, middle paragraphs
    of distinct sentences (sometimes under subheads), and a closing paragraph."""
    base, activity = rng.choice(UNITS), rng.choice(ACTIVITIES)
    title = title_for(kind, rng, when.year, unit=base, activity=activity)
    unit = base + ("工会" if kind == "grassroots" else rng.choice(("机关工会", "工会")))
    opening = (
        f"{when.month}月{when.day}日，{unit}在{rng.choice(PLACES)}组织开展{activity}活动。"
        f"为深入学习贯彻党的二十大精神，进一步{rng.choice(GOALS)}，此次活动精心策划、周密安排。"
    )
    closing = f"下一步，{unit}将继续{rng.choice(NEXTS)}，为全面建设社会主义现代化四川贡献工会力量。"
    pool = _middle_sentences(rng, unit, when.year)
    rng.shuffle(pool)
    wanted = rng.choice((450, 550, 700, 850, 1000, 1200, 1500, 1900))
    subheads = wanted >= 1000 and rng.random() < 0.5
    paragraphs: list[tuple[str, str]] = [("p", opening)]
    length = len(opening) + len(closing)
    heads = iter(zip("一二三四五", rng.sample(NEXTS, len(NEXTS))))
    used: set[str] = set()
    while length < wanted:
        head = next(heads, None) if subheads and len(paragraphs) % 3 == 1 else None
        if head:
            paragraphs.append(("strong", "、".join(head)))
        if pool and (rng.random() < 0.6 or len(used) > len(MEASURES) - 3):
            paragraph = "".join(pool.pop() for _ in range(min(len(pool), rng.randint(1, 3))))
        elif len(used) <= len(MEASURES) - 3:
            paragraph = _measures(rng, unit, used)
        else:
            break
        paragraphs.append(("p", paragraph))
        length += len(paragraph)
    paragraphs.append(("p", closing))
    return Text(title, paragraphs)


def notice_text(rng: random.Random, when: date) -> Text:
    """A notice: addressee, purpose, numbered sections, contact line, issuer and date."""
    year = when.year
    title = title_for("notice", rng, year)
    paragraphs: list[tuple[str, str]] = [
        ("p", "各省直单位工会："),
        ("p", f"为{rng.choice(GOALS)}，经研究，决定开展相关工作。现将有关事项通知如下："),
    ]
    pool = list(REQUIREMENTS) + [f"各单位工会要{m}" for m in MEASURES]
    rng.shuffle(pool)
    length = 0
    enough = rng.choice((350, 450, 600, 800))
    for i, section in enumerate(rng.sample(SECTIONS, 5)):
        paragraphs.append(("strong", f"{'一二三四五'[i]}、{section}"))
        for j in range(min(rng.randint(1, 3), len(pool))):
            items = "；".join(pool.pop() for _ in range(min(rng.randint(1, 3), len(pool))))
            paragraphs.append(("p", f"（{'一二三'[j]}）{items}。"))
            length += len(items)
        if len(pool) < 3 or length > enough:
            break
    phone = f"028-{rng.randint(80000000, 89999999)}"
    paragraphs.append(("p", f"联系人：{person(rng)}，联系电话：{phone}。"))
    paragraphs.append(("p", "四川省直属机关工会委员会"))
    paragraphs.append(("p", f"{year}年{when.month}月{when.day}日"))
    return Text(title, paragraphs)
