"""The demo county: 绩溪县 on its real division codes with a synthetic, seeded 2014–2020 history.

The scenario is calibrated so that the figures Battlemap computes from the records
reproduce the 2020 report on the county (rows 1–7 of the reference table):

- 2014-12-31: 5,307 poor households, 10,100 poor persons, rural population 142,250 (7.1 %);
- 2019-11-30: 11 households, 28 persons still poor, rural population 119,000 (0.02 %);
- 26 poor villages, all exited by the end of 2019; registered population 175,000 in 2019.

`scale` multiplies households, persons and population (benchmarks); villages stay the same.
Everything is written through the services, so the audit trail and every rule apply.
"""

# Over 400 lines: the deterministic demo county: one generator whose parts share the seed's
# order, so the reference figures stay reproducible.

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from battlemap.core.idnumber import make_id_number
from battlemap.registry.codebook import CodeBook
from battlemap.registry.services import HouseholdRow, PersonRow

DATA = Path(__file__).resolve().parent / "data"
COUNTY = "341824000000"
VIRTUAL_COMMUNITY = "341824400498"  # the development zone's statistical unit, not a village

POOR_2014_HOUSEHOLDS = 5307
POOR_2014_PERSONS = 10100
RURAL_POPULATION = {
    2014: 142250,
    2015: 137600,
    2016: 132950,
    2017: 128300,
    2018: 123650,
    2019: 119000,
    2020: 118200,
}
REGISTERED_POPULATION = {
    2014: 178600,
    2015: 177900,
    2016: 177200,
    2017: 176500,
    2018: 175800,
    2019: 175000,
    2020: 174700,
}
# The households still poor at the end of November 2019: 11 households of 28 persons.
REMAINING_SIZES = (3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2)
POOR_VILLAGES = 26
VILLAGE_EXITS = {2015: 3, 2016: 7, 2017: 9, 2018: 7}
NEWLY_IDENTIFIED = 180  # households identified after 2014 (per unit of scale)
REMOVED = 40  # households removed (清退) in 2015–2016
RELAPSED = 30  # exited in 2016, relapsed in 2017, exited again by 2019

SURNAMES = "胡汪程章方许周王张葛曹邵舒洪柯冯吴汤石黄朱余叶鲍邵戴唐陈李刘".replace("", " ").split()
GIVEN = (
    "建国 红梅 秀英 桂兰 志强 海燕 国华 金凤 德胜 春生 玉兰 小明 文华 永康 丽华 明亮 淑珍 长根 "
    "水生 来福 爱华 翠花 新民 光辉 雪梅 国庆 建华 美玲 宏伟 婷婷 浩然 子涵 欣怡 宇轩 梓萱"
).split()
MAIN_CAUSES = (
    ("因病", 35),
    ("因残", 20),
    ("缺劳力", 12),
    ("缺技术", 10),
    ("缺资金", 8),
    ("因学", 6),
    ("自身发展动力不足", 3),
    ("因灾", 2),
    ("缺土地", 2),
    ("其他", 2),
)
HEALTH = (("健康", 52), ("长期慢性病", 24), ("患有大病", 11), ("残疾", 13))


@dataclass
class Scenario:
    """Everything the demo writes, generated deterministically from the seed."""

    regions: list[tuple[str, str, str]]  # code, name, parent code ('' for the root)
    populations: list[tuple[str, int, int, int]]  # code, year, registered, rural
    poor_villages: list[tuple[str, dt.date, dt.date]]  # code, identified, exited
    households: list[HouseholdRow] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)
    incomes: list[tuple[str, int, Decimal, Decimal, Decimal, Decimal, Decimal]] = field(
        default_factory=list
    )
    projects: list = field(default_factory=list)  # demo.projects.ProjectPlan, the 2019 plan
    # Projects of the year the demo is built in, under way on the day it is built.
    current_projects: list = field(default_factory=list)
    # Assessments of 两不愁三保障: number, guarantee, date, secure, note.
    guarantees: list[tuple[str, str, dt.date, bool, str]] = field(default_factory=list)


def read_divisions() -> list[tuple[str, str, str]]:
    with (DATA / "jixi-divisions-2023.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [(r["code"], r["name"], "" if r["code"] == COUNTY else r["parent_code"]) for r in rows]


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` exactly (largest remainder)."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    shares = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _weighted(rng: random.Random, table) -> str:
    labels, weights = zip(*table, strict=True)
    return rng.choices(labels, weights)[0]


class _Generator:
    def __init__(self, seed: int, scale: int, book: CodeBook):
        self.rng = random.Random(seed)
        self.scale = scale
        self.book = book
        self.used_ids: set[str] = set()
        self.code = {table: book.by_label[table] for table in book.by_label}

    # -- people -------------------------------------------------------------------------
    def id_number(self, birth: dt.date, male: bool) -> str:
        rng = self.rng
        if birth.year < 1987 and rng.random() < 0.06:
            prefix = "342721"  # Jixi's code before 1987: older residents keep it
        elif birth.year < 2000 and rng.random() < 0.04:
            prefix = "342531"  # 1987–2000
        else:
            prefix = "341824"
        for _attempt in range(10000):
            seq = rng.randrange(0, 999)
            if seq % 2 != (1 if male else 0):
                seq += 1
            value = make_id_number(prefix, birth, seq)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value
        raise RuntimeError(f"no free ID sequence number for {prefix} {birth}")

    def person(
        self,
        number,
        relation,
        birth,
        male,
        *,
        joined=None,
        join_reason=None,
        left=None,
        leave_reason=None,
    ) -> PersonRow:
        rng, c = self.rng, self.code
        age = 2014 - birth.year
        health = (
            _weighted(rng, HEALTH) if age >= 16 else rng.choice(("健康", "健康", "健康", "残疾"))
        )
        if age < 16:
            labour = "无劳动力"
        elif age >= 70 or health == "患有大病":
            labour = rng.choice(("丧失劳动力", "弱劳动力或半劳动力"))
        elif health == "残疾":
            labour = rng.choice(("弱劳动力或半劳动力", "丧失劳动力", "普通劳动力"))
        else:
            labour = rng.choices(("普通劳动力", "技能劳动力", "弱劳动力或半劳动力"), (70, 10, 20))[
                0
            ]
        if age < 6:
            education, schooling = "学龄前儿童", "学前教育" if age >= 3 else "非在校生"
        elif age < 12:
            education, schooling = "小学", "小学"
        elif age < 15:
            education, schooling = "初中", "初中"
        elif age < 18:
            education, schooling = "高中", "高中"
        else:
            education = rng.choices(
                ("文盲或半文盲", "小学", "初中", "高中", "大专及以上"),
                (25 if age > 60 else 5, 35, 30, 8, 2),
            )[0]
            schooling = "非在校生"
        work = "未务工"
        if labour in ("普通劳动力", "技能劳动力") and rng.random() < 0.55:
            work = rng.choice(("乡（镇）内务工", "县内乡外务工", "省内县外务工", "省外务工"))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        return PersonRow(
            household_number=number,
            relation_id=c["relation"][relation],
            name=name,
            id_number=self.id_number(birth, male),
            health_id=c["health"][health],
            labour_id=c["labour"][labour],
            ethnicity_id=c["ethnicity"]["汉族" if rng.random() < 0.995 else "畲族"],
            education_id=c["education"][education],
            schooling_id=c["schooling"][schooling],
            work_status_id=c["work_status"][work],
            flags=(rng.random() < 0.995, age >= 16 and rng.random() < 0.85, rng.random() < 0.99),
            joined_on=joined,
            join_reason_id=c["join_reason"][join_reason] if join_reason else None,
            left_on=left,
            leave_reason_id=c["leave_reason"][leave_reason] if leave_reason else None,
        )

    def members(self, number: str, size: int, *, stable: bool, first_event: dt.date) -> list:
        """A plausible family of `size` present at `first_event`; unless `stable`, later changes."""
        rng = self.rng
        head_male = rng.random() < 0.78
        head_birth = _day(rng, dt.date(1930, 1, 1), dt.date(1985, 12, 31))
        out = [self.person(number, "户主", head_birth, head_male)]
        spouse_birth = head_birth + dt.timedelta(days=rng.randrange(-1500, 1500))
        kinds = []
        if size >= 2:
            kinds.append("配偶" if rng.random() < 0.7 else rng.choice(("之子", "之女", "之母")))
        for _ in range(size - 1 - len(kinds)):
            kinds.append(rng.choice(("之子", "之女", "之孙子", "之孙女", "之母", "之父")))
        for relation in kinds:
            if relation == "配偶":
                birth, male = spouse_birth, not head_male
            elif relation in ("之父", "之母"):
                birth = head_birth - dt.timedelta(days=rng.randrange(7000, 12000))
                male = relation == "之父"
            elif relation in ("之孙子", "之孙女"):
                birth = _day(rng, dt.date(2000, 1, 1), dt.date(2013, 12, 31))
                male = relation == "之孙子"
            else:
                low = max(head_birth + dt.timedelta(days=6600), dt.date(1960, 1, 1))
                birth = _day(rng, min(low, dt.date(2013, 1, 1)), dt.date(2013, 12, 31))
                male = relation == "之子"
            if birth < dt.date(1915, 1, 1):
                # Spread the oldest: one shared birth date would exhaust its ID sequence numbers.
                birth = _day(rng, dt.date(1915, 1, 1), dt.date(1925, 12, 31))
            left = reason = None
            if not stable and rng.random() < 0.06:
                left = _day(rng, max(first_event, dt.date(2015, 1, 1)), dt.date(2019, 10, 31))
                reason = "死亡" if relation in ("之父", "之母") or birth.year < 1950 else "婚出"
                if reason == "婚出" and left.year - birth.year < 20:
                    reason = "迁出"
            out.append(self.person(number, relation, birth, male, left=left, leave_reason=reason))
        if not stable and size >= 2 and rng.random() < 0.05:
            born = _day(rng, max(first_event, dt.date(2015, 1, 1)), dt.date(2019, 10, 31))
            male = rng.random() < 0.5
            out.append(
                self.person(
                    number,
                    "之孙子" if male else "之孙女",
                    born,
                    male,
                    joined=born,
                    join_reason="出生",
                )
            )
        return out

    # -- households -----------------------------------------------------------------------
    def household(self, village: str, number: str, events, persons: int) -> HouseholdRow:
        rng, causes = self.rng, self.code["poverty_cause"]
        main = _weighted(rng, MAIN_CAUSES)
        others = rng.sample(
            [c for c in ("因病", "因残", "缺技术", "缺资金", "缺劳力") if c != main],
            rng.choice((0, 1, 1, 2)),
        )
        others += [None] * (2 - len(others))
        phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
        kind = rng.choices(("一般贫困户", "低保贫困户", "特困供养贫困户"), (60, 30, 10))[0]
        if persons == 1 and kind == "一般贫困户" and rng.random() < 0.5:
            kind = "特困供养贫困户"
        return HouseholdRow(
            village_id=village,
            number=number,
            main_cause_id=causes[main],
            other_cause_1_id=causes[others[0]] if others[0] else None,
            other_cause_2_id=causes[others[1]] if others[1] else None,
            standard_id=self.code["standard"]["国家标准"],
            household_type_id=self.code["household_type"][kind],
            guarantees=(True, True, True, True, True),
            phone=phone,
            events=tuple(events),
        )


def _sizes(rng: random.Random, count: int, total: int) -> list[int]:
    """`count` household sizes from a rural distribution, adjusted to sum exactly to `total`."""
    sizes = rng.choices((1, 2, 3, 4, 5, 6), (38, 38, 14, 6, 3, 1), k=count)
    diff = total - sum(sizes)
    while diff:
        i = rng.randrange(count)
        if diff > 0 and sizes[i] < 6:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i] -= 1
            diff += 1
    return sizes


def generate(
    *,
    seed: int = 20191130,
    scale: int = 1,
    book: CodeBook | None = None,
    today: dt.date | None = None,
) -> Scenario:
    """Build the scenario in memory; nothing is written. With `today`, add the projects
    under way on that day (their dates relative to it); the history does not depend on it."""
    book = book or CodeBook()
    gen = _Generator(seed, scale, book)
    rng = gen.rng
    regions = read_divisions()
    villages = [
        code
        for code, _n, _p in regions
        if len(code) == 12 and code[9:] != "000" and code != VIRTUAL_COMMUNITY
    ]
    names = {code: name for code, name, _p in regions}
    communities = [v for v in villages if "社区" in names[v]]
    rural_villages = [v for v in villages if v not in communities]

    poor = sorted(rng.sample(rural_villages, POOR_VILLAGES))
    exit_years = [y for y, n in VILLAGE_EXITS.items() for _ in range(n)]
    rng.shuffle(exit_years)
    poor_villages = [
        (code, dt.date(2014, 6, 30), dt.date(year, 12, rng.randrange(10, 28)))
        for code, year in zip(poor, exit_years, strict=True)
    ]

    # Population: rural people by village weight; urban residents mostly in communities.
    weights = [rng.uniform(0.6, 1.4) * (0.5 if v in communities else 1.0) for v in villages]
    urban_weights = [
        rng.uniform(4, 8) if v in communities else rng.uniform(0.05, 0.2) for v in villages
    ]
    populations = []
    for year, rural_total in RURAL_POPULATION.items():
        rural = apportion(rural_total * scale, weights)
        urban = apportion((REGISTERED_POPULATION[year] - rural_total) * scale, urban_weights)
        populations += [(v, year, r + u, r) for v, r, u in zip(villages, rural, urban, strict=True)]

    # Households: poor villages carry more of them.
    hh_weights = [
        (2.6 if v in poor else 1.0) * (0.3 if v in communities else 1.0) * w
        for v, w in zip(villages, weights, strict=True)
    ]
    scenario = Scenario(regions=regions, populations=populations, poor_villages=poor_villages)
    counters = dict.fromkeys(villages, 0)

    def number_in(village: str) -> str:
        counters[village] += 1
        return f"{village}{counters[village]:05d}"

    def pick_village() -> str:
        return rng.choices(villages, hh_weights)[0]

    cohort = POOR_2014_HOUSEHOLDS * scale
    remaining = len(REMAINING_SIZES) * scale
    sizes = _sizes(
        rng, cohort - remaining, POOR_2014_PERSONS * scale - sum(REMAINING_SIZES) * scale
    )
    plans = [("remaining", s) for s in REMAINING_SIZES * scale]
    plans += [("removed", s) for s in sizes[: REMOVED * scale]]
    plans += [("relapsed", s) for s in sizes[REMOVED * scale : (REMOVED + RELAPSED) * scale]]
    plans += [("exited", s) for s in sizes[(REMOVED + RELAPSED) * scale :]]
    plans += [("new", rng.choice((1, 2, 2, 3, 4))) for _ in range(NEWLY_IDENTIFIED * scale)]
    rng.shuffle(plans)

    exit_windows = ((2015, 22), (2016, 30), (2017, 24), (2018, 16), (2019, 8))
    for plan, size in plans:
        village = pick_village()
        number = number_in(village)
        if plan == "new":
            start = _day(rng, dt.date(2015, 3, 1), dt.date(2017, 10, 31))
            events = [
                (start, "newly_identified"),
                (_day(rng, start + dt.timedelta(days=200), dt.date(2019, 10, 31)), "exited"),
            ]
        else:
            start = _day(rng, dt.date(2014, 4, 1), dt.date(2014, 10, 31))
            events = [(start, "identified")]
            if plan == "remaining":
                events.append((_day(rng, dt.date(2020, 3, 1), dt.date(2020, 6, 30)), "exited"))
            elif plan == "removed":
                events.append((_day(rng, dt.date(2015, 3, 1), dt.date(2016, 12, 31)), "removed"))
            elif plan == "relapsed":
                first = _day(rng, dt.date(2016, 1, 1), dt.date(2016, 12, 31))
                back = _day(rng, dt.date(2017, 3, 1), dt.date(2017, 12, 31))
                events += [
                    (first, "exited"),
                    (back, "relapsed"),
                    (_day(rng, dt.date(2018, 6, 1), dt.date(2019, 10, 31)), "exited"),
                ]
            else:
                year = rng.choices(*zip(*exit_windows, strict=True))[0]
                end = dt.date(2019, 11, 20) if year == 2019 else dt.date(year, 12, 31)
                events.append((_day(rng, dt.date(year, 1, 1), end), "exited"))
        members = gen.members(number, size, stable=plan == "remaining", first_event=start)
        # A member born after identification cannot have been present at it.
        scenario.persons += members
        scenario.households.append(gen.household(village, number, events, size))
        scenario.incomes += _incomes(rng, number, events, size)
    # Drawn from a generator of their own, after everything else: the registry and its
    # reference figures stay exactly what they were.
    scenario.guarantees = _guarantees(random.Random(seed + 9704), scenario.households, book)
    from .projects import generate_current_projects, generate_projects  # they use apportion()

    by_village: dict[str, list[str]] = {}
    for row in scenario.households:
        by_village.setdefault(row.village_id, []).append(row.number)
    scenario.projects = generate_projects(seed, regions, by_village)
    if today is not None:
        scenario.current_projects = generate_current_projects(seed, regions, by_village, today)
    return scenario


# What a household's main cause of poverty leaves unassured when it is identified.
CAUSE_GUARANTEES = {"因病": "medical", "因残": "medical", "因学": "education", "缺水": "water"}
GUARANTEES = ("food", "clothing", "education", "medical", "housing", "water")


def _guarantees(rng: random.Random, households, book: CodeBook) -> list[tuple]:
    """Each household assessed when identified (its main cause, and often its house or
    water, not yet assured), reviewed each December while gaps remain, found assured a
    few weeks before it exits, and assessed again when it relapses."""
    out = {}

    def assess(number, date, missing, note):
        for guarantee in GUARANTEES:
            insecure = guarantee in missing
            # One assessment a day per guarantee: a later one of the same day wins.
            out[(number, guarantee, date)] = (
                number,
                guarantee,
                date,
                not insecure,
                note if insecure else "",
            )

    for row in households:
        cause = book.label(row.main_cause_id)
        start = row.events[0][0]
        gaps = {CAUSE_GUARANTEES[cause]} if cause in CAUSE_GUARANTEES else set()
        if rng.random() < 0.35:
            gaps.add("housing")
        if rng.random() < 0.12:
            gaps.add("water")
        if rng.random() < 0.05:
            gaps.add("food")
        closings = {
            date: date - dt.timedelta(days=rng.randrange(15, 60))
            for date, kind in row.events
            if kind == "exited"
        }
        assess(row.number, start, gaps, "识别时评估")
        ends = [closings.get(d, d) for d, k in row.events[1:] if k in ("exited", "removed")]
        first_end = ends[0] if ends else dt.date(2020, 6, 30)
        for year in range(start.year, first_end.year + 1):
            review = dt.date(year, 12, 20)
            if start < review < first_end and gaps:
                gaps = {g for g in sorted(gaps) if rng.random() < 0.6}
                assess(row.number, review, gaps, "年度复核")
        for date, kind in row.events[1:]:
            if kind == "exited":
                assess(row.number, closings[date], set(), "")
            elif kind == "relapsed":
                assess(row.number, date, {CAUSE_GUARANTEES.get(cause, "medical")}, "返贫时评估")
    return sorted(out.values())


def _incomes(rng: random.Random, number: str, events, size: int):
    """Yearly income by source, below the line while poor and rising after exit."""
    first_year = events[0][0].year
    out = []
    per_person = rng.uniform(1800, 2700)
    for year in range(first_year, 2020):
        per_person *= rng.uniform(1.12, 1.3)
        net = Decimal(per_person * size).quantize(Decimal("1"))
        wages = (net * Decimal("0.52")).quantize(Decimal("0.01"))
        production = (net * Decimal("0.30")).quantize(Decimal("0.01"))
        property_income = (net * Decimal("0.02")).quantize(Decimal("0.01"))
        costs = (net * Decimal("0.06")).quantize(Decimal("0.01"))
        transfers = net - wages - production - property_income + costs
        out.append((number, year, wages, production, property_income, transfers, costs))
    return out
