"""The demo county's 2019 projects, calibrated to rows 16–20 of the reference table:
160 projects of the 2019 plan, all completed; 33,130,000 元 allocated, 14,820,000 元 of
it from the county budget; 32,067,700 元 paid out (96.79 %). Some of the rest was only
transferred to departments, which does not count as spent.

Generated from its own random stream, so the registry's figures do not move.

Beside that fixed history, the demo gains a few projects of the year it is built in,
under way (实施) on the day it is built, their dates relative to that day
(`generate_current_projects`, deterministic for the seed and the day): a county office
trying the demo can file today's daily report. They touch nothing of 2014–2025.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from .builder import apportion

PROJECTS = 160
YEAR = 2019
ALLOCATED_HUNDREDS = 331_300  # 元 / 100
COUNTY_HUNDREDS = 148_200
DISBURSED_HUNDREDS = 320_677
OWNER_TOWNSHIP = "341824100"  # 华阳镇: the demo's responsible person works here
OWNER_NAME = "胡建华"

# (programme, weight, name patterns, construction type, unit); {v} is the place.
KINDS = (
    (
        "infrastructure",
        40,
        ("{v}组道硬化工程", "{v}安全饮水巩固提升工程", "{v}桥梁新建工程", "{v}村内道路亮化工程"),
        "new",
        "县交通运输局",
    ),
    ("infrastructure", 12, ("{v}灌溉渠道维修工程", "{v}山塘清淤整治工程"), "repair", "县水利局"),
    (
        "industry",
        30,
        (
            "{v}茶园提质增效项目",
            "{v}光伏电站扩建项目",
            "{v}香榧基地建设项目",
            "{v}特色种养扶贫基地",
            "{v}农产品加工厂房建设",
        ),
        "new",
        "县农业农村局",
    ),
    ("ecology", 8, ("{v}生态护林员补助", "{v}公益林生态补偿"), "subsidy", "县林业局"),
    ("employment", 8, ("{v}扶贫车间建设", "{v}公益岗位开发"), "new", "县人社局"),
    ("education", 6, ("{v}雨露计划职业教育补助", "{v}贫困学生资助"), "subsidy", "县教育局"),
    ("health", 6, ("{v}村卫生室标准化建设", "{v}家庭医生签约服务补助"), "extension", "县卫健委"),
    ("relocation", 3, ("{v}易地搬迁安置点配套",), "new", "县发改委"),
    ("social_security", 4, ("{v}农村危房改造", "{v}兜底保障住房维修"), "repair", "县住建局"),
    ("finance", 4, ("{v}扶贫小额信贷贴息", "{v}产业发展风险补偿金"), "subsidy", "县财政局"),
    ("social", 3, ("{v}消费扶贫专柜建设", "{v}社会帮扶助学项目"), "purchase", "县扶贫办"),
)
MILESTONES = ("前期准备", "招标采购", "施工建设", "竣工验收准备")
LEADERS = "程国庆 胡光辉 汪海燕 章建国 方志强 许文华 葛长根 曹新民".split()
PERSONS = (
    "胡建华 汪红梅 程德胜 章春生 方玉兰 许明亮 周爱华 王光辉 张雪梅 葛宏伟 曹美玲 邵浩然".split()
)
SURNAMES = "胡汪程章方许周王张葛曹邵舒洪柯".replace("", " ").split()
WORK = (
    "完成路基平整{n}米",
    "浇筑混凝土{n}立方米",
    "完成材料进场验收",
    "完成管网铺设{n}米",
    "完成设备安装调试",
    "组织{n}户贫困户务工",
    "完成阶段性自查",
)
PROBLEMS = ("", "", "", "", "连续降雨影响施工", "部分材料到货延迟", "需协调用地问题")


@dataclass
class ProjectPlan:
    """One demo project with everything that happens to it in 2019."""

    place: str
    name: str
    programme: str
    construction_type: str
    unit: str
    leader: str
    person: str
    owner_login: bool
    planned_start: dt.date
    planned_end: dt.date
    budget_hundreds: int
    target: str
    mechanism: str
    content: str
    beneficiaries: list[str]  # household numbers
    stages: list[tuple[str, dt.date, str]]  # stage, date, document (after 谋划)
    planned_on: dt.date
    notices: list[tuple[str, dt.date, dt.date, str]]
    allocations: list[tuple[str, int, dt.date, str]]  # source, hundreds, date, document
    payments: list[tuple[str, int, dt.date, str]]  # kind, hundreds, date, payee
    milestones: list[tuple[str, str, dt.date, dt.date, dt.date]]  # name, owner, start, due, done
    reports: list[tuple[dt.date, int, str, int, str]] = field(default_factory=list)
    year: int = YEAR


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _daily_reports(rng, start: dt.date, end: dt.date, span: int, chance: float, cap: int) -> list:
    """Weekday reports from `start` until before `end`, each filed with `chance`, progress
    growing over `span` days up to `cap` %; the draws in one order, for a reproducible demo."""
    reports, day = [], start
    while day < end:
        if day.weekday() < 5 and rng.random() < chance:
            progress = min(cap, int((day - start).days / max(1, span) * 100))
            text = rng.choice(WORK).format(n=rng.randrange(20, 400))
            reports.append((day, progress, text, 0, rng.choice(PROBLEMS)))
        day += dt.timedelta(days=1)
    return reports


def generate_projects(
    seed: int, regions: list[tuple[str, str, str]], households_by_village: dict[str, list[str]]
) -> list[ProjectPlan]:
    """The 2019 projects, deterministic for a seed."""
    rng = random.Random(seed * 7 + 2019)
    names = {code: name for code, name, _p in regions}
    townships = sorted(
        c for c, _n, _p in regions if len(c) == 12 and c.endswith("000") and c[6:9] != "000"
    )
    villages = sorted(
        c for c in households_by_village if households_by_village[c] and not c.endswith("000")
    )
    weights = [rng.uniform(0.5, 1.5) for _ in range(PROJECTS)]
    hundreds = apportion(ALLOCATED_HUNDREDS, weights)
    county = apportion(COUNTY_HUNDREDS, [h * rng.uniform(0.8, 1.2) for h in hundreds])
    # What is not paid out: a few projects keep a retention (质保金) or a transfer.
    short_ids = sorted(rng.sample(range(PROJECTS), 40))
    short = dict(
        zip(
            short_ids,
            apportion(ALLOCATED_HUNDREDS - DISBURSED_HUNDREDS, [hundreds[i] for i in short_ids]),
            strict=True,
        )
    )
    late_projects = set(rng.sample(range(PROJECTS), 9))
    owner_done = 0
    plans = []
    for i in range(PROJECTS):
        programme, _w, patterns, ctype, unit = rng.choices(KINDS, [k[1] for k in KINDS])[0]
        at_township = rng.random() < 0.2
        place = rng.choice(townships) if at_township else rng.choice(villages)
        label = names[place]
        name = rng.choice(patterns).format(v=label)
        person = rng.choice(PERSONS)
        owner_login = place.startswith(OWNER_TOWNSHIP) and owner_done < 4
        if owner_login:
            owner_done += 1
            person = OWNER_NAME
        planned_on = _day(rng, dt.date(2018, 10, 8), dt.date(2018, 11, 30))
        notice_start = planned_on + dt.timedelta(days=rng.randrange(3, 15))
        notice_end = notice_start + dt.timedelta(days=7)
        entered = notice_end + dt.timedelta(days=rng.randrange(1, 10))
        applied = entered + dt.timedelta(days=rng.randrange(5, 20))
        approved = max(applied + dt.timedelta(days=rng.randrange(10, 30)), dt.date(2019, 1, 2))
        allocated_on = approved + dt.timedelta(days=rng.randrange(1, 15))
        start = allocated_on + dt.timedelta(days=rng.randrange(3, 40))
        planned_end = _day(rng, start + dt.timedelta(days=90), dt.date(2019, 11, 15))
        # Milestones split the works; some are finished late.
        span = (planned_end - start).days
        cuts = sorted(rng.sample(range(10, span - 5), len(MILESTONES) - 1)) + [span]
        steps, begin = [], start
        for k, (step, cut) in enumerate(zip(MILESTONES, cuts, strict=True)):
            due = start + dt.timedelta(days=cut)
            done = due - dt.timedelta(days=rng.randrange(0, 6))
            if i in late_projects and k == 2:
                done = due + dt.timedelta(days=rng.randrange(6, 25))
            done = max(done, begin)
            owner = person if k != 1 else rng.choice(SURNAMES) + rng.choice(("工", "主任", "股长"))
            steps.append((step, owner, begin, due, done))
            begin = min(due, done) + dt.timedelta(days=1)
        finished = max(s[4] for s in steps)
        accepted = min(finished + dt.timedelta(days=rng.randrange(3, 15)), dt.date(2019, 12, 20))
        finished = min(finished, accepted)
        steps = [(n, o, s, d, min(done, accepted)) for n, o, s, d, done in steps]
        announce = accepted + dt.timedelta(days=1)
        stages = [
            ("in_library", entered, ""),
            ("applied", applied, ""),
            ("approved", approved, f"绩扶项〔2019〕{i + 1}号"),
            ("under_way", start, ""),
            ("accepted", accepted, ""),
        ]
        evaluated = accepted + dt.timedelta(days=rng.randrange(9, 30))
        if evaluated <= dt.date(2019, 12, 31):
            stages.append(("evaluated", evaluated, ""))
            handed = evaluated + dt.timedelta(days=rng.randrange(1, 10))
            if handed <= dt.date(2019, 12, 31):
                stages.append(("handed_over", handed, f"{label}村集体经济组织"))
        others = hundreds[i] - county[i]
        central, provincial, municipal = apportion(others, [6, 3, 1])
        allocations = [
            (src, amount, allocated_on, f"绩财农〔2019〕{i + 1}号")
            for src, amount in (
                ("central", central),
                ("provincial", provincial),
                ("municipal", municipal),
                ("county", county[i]),
            )
            if amount
        ]
        paid_total = hundreds[i] - short.get(i, 0)
        parts = apportion(paid_total, [rng.uniform(0.5, 1.5) for _ in range(3)])
        pay_dates = [
            _day(rng, start + dt.timedelta(days=5), finished),
            _day(rng, start + dt.timedelta(days=5), finished),
            _day(rng, accepted, min(accepted + dt.timedelta(days=20), dt.date(2019, 12, 31))),
        ]
        payee = f"{rng.choice(SURNAMES)}氏建设有限公司"
        payments = [
            ("payment", amount, date, payee)
            for amount, date in zip(parts, sorted(pay_dates), strict=True)
            if amount
        ]
        if i in short and i % 2 == 0:
            payments.append(("transfer", short[i], dt.date(2019, 12, 27), unit))
        households = households_by_village.get(place) or []
        chosen = rng.sample(households, min(len(households), rng.randrange(3, 12)))
        reports = _daily_reports(rng, start, finished, (finished - start).days, 0.9, 99)
        plans.append(
            ProjectPlan(
                place=place,
                name=name,
                programme=programme,
                construction_type=ctype,
                unit=unit,
                leader=rng.choice(LEADERS),
                person=person,
                owner_login=owner_login,
                planned_start=start,
                planned_end=planned_end,
                budget_hundreds=hundreds[i],
                target=f"带动{len(chosen) or rng.randrange(5, 30)}户贫困户增收，项目验收合格率100%",
                mechanism=rng.choice(("务工带动", "资产收益分红", "产业带动", "改善生产生活条件")),
                content=f"{name}，投资{hundreds[i] / 100:.2f}万元",
                beneficiaries=chosen,
                planned_on=planned_on,
                stages=stages,
                notices=[
                    ("before_entry", notice_start, notice_end, f"{label}公示栏"),
                    (
                        "after_acceptance",
                        announce,
                        announce + dt.timedelta(days=7),
                        f"{label}公示栏",
                    ),
                ],
                allocations=allocations,
                payments=payments,
                milestones=steps,
                reports=reports,
            )
        )
    return plans


CURRENT_PROJECTS = 8
CURRENT_OWNED = 2  # of them the demo's responsible person (project_owner) holds


def generate_current_projects(
    seed: int,
    regions: list[tuple[str, str, str]],
    households_by_village: dict[str, list[str]],
    today: dt.date,
) -> list[ProjectPlan]:
    """Projects of today's year, under way today, with the past weeks' reports and none
    for today; deterministic for the seed and the day, from a stream of their own."""
    rng = random.Random(f"battlemap-demo-{seed}-{today.isoformat()}")
    names = {code: name for code, name, _p in regions}
    villages = sorted(c for c, numbers in households_by_village.items() if numbers)
    owned = [v for v in villages if v.startswith(OWNER_TOWNSHIP)]
    places = rng.sample(owned, CURRENT_OWNED) + rng.sample(
        [v for v in villages if v not in owned], CURRENT_PROJECTS - CURRENT_OWNED
    )
    yesterday = today - dt.timedelta(days=1)
    plans = []
    for i, place in enumerate(places):
        programme, _w, patterns, ctype, unit = rng.choices(KINDS, [k[1] for k in KINDS])[0]
        label = names[place]
        name = rng.choice(patterns).format(v=label)
        owner_login = i < CURRENT_OWNED
        person = OWNER_NAME if owner_login else rng.choice(PERSONS[1:])
        # Backwards from the start of the works, so that every step lies in the past.
        start = today - dt.timedelta(days=rng.randrange(20, 60))
        allocated_on = start - dt.timedelta(days=rng.randrange(2, 8))
        approved = allocated_on - dt.timedelta(days=rng.randrange(1, 6))
        applied = approved - dt.timedelta(days=rng.randrange(5, 15))
        entered = applied - dt.timedelta(days=rng.randrange(5, 15))
        notice_end = entered - dt.timedelta(days=rng.randrange(1, 5))
        notice_start = notice_end - dt.timedelta(days=7)
        planned_on = notice_start - dt.timedelta(days=rng.randrange(3, 10))
        planned_end = today + dt.timedelta(days=rng.randrange(60, 150))
        hundreds = rng.randrange(800, 6000)
        county = hundreds * rng.randrange(30, 60) // 100
        span = (planned_end - start).days
        cuts = sorted(rng.sample(range(10, span - 5), len(MILESTONES) - 1)) + [span]
        steps, begin = [], start
        for k, (step, cut) in enumerate(zip(MILESTONES, cuts, strict=True)):
            due = start + dt.timedelta(days=cut)
            done = due - dt.timedelta(days=rng.randrange(0, 4))
            done = max(done, begin)
            # Steps due by now are done, a few late; the rest lie ahead.
            if done > yesterday or (due < today and rng.random() < 0.25):
                done = None
            owner = person if k != 1 else rng.choice(SURNAMES) + rng.choice(("工", "主任", "股长"))
            steps.append((step, owner, begin, due, done))
            begin = min(due, done or due) + dt.timedelta(days=1)
        paid_on = _day(rng, start + dt.timedelta(days=5), yesterday)
        households = households_by_village.get(place) or []
        chosen = rng.sample(households, min(len(households), rng.randrange(3, 10)))
        reports = _daily_reports(rng, start, today, span, 0.85, 95)
        plans.append(
            ProjectPlan(
                place=place,
                name=name,
                programme=programme,
                construction_type=ctype,
                unit=unit,
                leader=rng.choice(LEADERS),
                person=person,
                owner_login=owner_login,
                planned_start=start,
                planned_end=planned_end,
                budget_hundreds=hundreds,
                target=f"带动{len(chosen) or rng.randrange(5, 30)}户增收，项目验收合格率100%",
                mechanism=rng.choice(("务工带动", "资产收益分红", "产业带动", "改善生产生活条件")),
                content=f"{name}，投资{hundreds / 100:.2f}万元",
                beneficiaries=chosen,
                planned_on=planned_on,
                stages=[
                    ("in_library", entered, ""),
                    ("applied", applied, ""),
                    ("approved", approved, f"绩扶项〔{approved.year}〕{200 + i}号"),
                    ("under_way", start, ""),
                ],
                notices=[("before_entry", notice_start, notice_end, f"{label}公示栏")],
                allocations=[
                    (source, amount, allocated_on, f"绩财农〔{allocated_on.year}〕{200 + i}号")
                    for source, amount in (("central", hundreds - county), ("county", county))
                    if amount
                ],
                payments=[("payment", hundreds * rng.randrange(20, 50) // 100, paid_on, unit)],
                milestones=steps,
                reports=reports,
                year=today.year,
            )
        )
    return plans
