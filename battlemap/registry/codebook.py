"""The national code tables as shipped data, and a fast lookup over the `Code` rows.

The lists are loaded into the database by a data migration; code elsewhere looks
entries up by (table, label) and never compares against literals.
"""

from django.utils.translation import gettext_lazy as _

from battlemap.core.errors import ValidationFailed
from battlemap.core.text import clean

ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()

TABLES: dict[str, list[tuple[str, str]]] = {
    "relation": [
        ("户主", "Head"),
        ("配偶", "Spouse"),
        ("之子", "Son"),
        ("之女", "Daughter"),
        ("之儿媳", "Daughter-in-law"),
        ("之女婿", "Son-in-law"),
        ("之孙子", "Grandson"),
        ("之孙女", "Granddaughter"),
        ("之外孙子", "Grandson (daughter's)"),
        ("之外孙女", "Granddaughter (daughter's)"),
        ("之父", "Father"),
        ("之母", "Mother"),
        ("之岳父", "Father-in-law (wife's)"),
        ("之岳母", "Mother-in-law (wife's)"),
        ("之公公", "Father-in-law (husband's)"),
        ("之婆婆", "Mother-in-law (husband's)"),
        ("之祖父", "Grandfather"),
        ("之祖母", "Grandmother"),
        ("之兄弟姐妹", "Sibling"),
        ("其他", "Other"),
    ],
    "poverty_cause": [
        ("因病", "Illness"),
        ("因残", "Disability"),
        ("因学", "Schooling costs"),
        ("因灾", "Disaster"),
        ("缺土地", "Lack of land"),
        ("缺水", "Lack of water"),
        ("缺技术", "Lack of skills"),
        ("缺劳力", "Lack of labour"),
        ("缺资金", "Lack of funds"),
        ("交通条件落后", "Poor transport"),
        ("自身发展动力不足", "Lack of drive"),
        ("其他", "Other"),
    ],
    "health": [
        ("健康", "Healthy"),
        ("长期慢性病", "Chronic illness"),
        ("患有大病", "Serious illness"),
        ("残疾", "Disabled"),
    ],
    "labour": [
        ("普通劳动力", "Ordinary labour"),
        ("技能劳动力", "Skilled labour"),
        ("弱劳动力或半劳动力", "Weak or half labour"),
        ("丧失劳动力", "Lost labour ability"),
        ("无劳动力", "No labour ability"),
    ],
    "ethnicity": [(name, "") for name in ETHNIC_GROUPS] + [("其他", "Other")],
    "education": [
        ("文盲或半文盲", "Illiterate"),
        ("小学", "Primary"),
        ("初中", "Junior secondary"),
        ("高中", "Senior secondary"),
        ("中专", "Vocational secondary"),
        ("大专及以上", "College and above"),
        ("学龄前儿童", "Pre-school child"),
    ],
    "schooling": [
        ("非在校生", "Not in school"),
        ("学前教育", "Pre-school"),
        ("小学", "Primary school"),
        ("初中", "Junior secondary"),
        ("高中", "Senior secondary"),
        ("中职", "Vocational"),
        ("高职", "Higher vocational"),
        ("大专", "College"),
        ("本科及以上", "University"),
    ],
    "work_status": [
        ("未务工", "Not working away"),
        ("乡（镇）内务工", "Working in the township"),
        ("县内乡外务工", "Working in the county"),
        ("省内县外务工", "Working in the province"),
        ("省外务工", "Working outside the province"),
    ],
    "household_type": [
        ("一般贫困户", "Ordinary poor household"),
        ("低保贫困户", "Minimum-living-allowance household"),
        ("特困供养贫困户", "Extreme-hardship support household"),
    ],
    "standard": [("国家标准", "National"), ("省定标准", "Provincial"), ("市定标准", "Municipal")],
    "join_reason": [
        ("出生", "Birth"),
        ("婚入", "Marriage in"),
        ("迁入", "Moved in"),
        ("其他", "Other"),
    ],
    "leave_reason": [
        ("死亡", "Death"),
        ("婚出", "Marriage out"),
        ("迁出", "Moved out"),
        ("参军", "Military service"),
        ("其他", "Other"),
    ],
}

HEAD = "户主"


def load_code_tables(code_model) -> None:
    """Insert or refresh every shipped entry (used by the data migration and by tests)."""
    for table, entries in TABLES.items():
        for sort, (label, label_en) in enumerate(entries):
            code_model.objects.update_or_create(
                table=table, label=label, defaults={"label_en": label_en, "sort": sort}
            )


class CodeBook:
    """All code entries in memory: label → id per table, for validation and bulk paths."""

    def __init__(self):
        from .models import Code

        self.by_label: dict[str, dict[str, int]] = {}
        # Input is folded (full-width to ASCII) before lookup, so the labels are too:
        # 乡（镇）内务工 typed with either kind of bracket is the same entry.
        self.by_folded: dict[str, dict[str, int]] = {}
        self.by_id: dict[int, tuple[str, str]] = {}
        for pk, table, label in Code.objects.values_list("id", "table", "label"):
            self.by_label.setdefault(table, {})[label] = pk
            self.by_folded.setdefault(table, {})[clean(label)] = pk
            self.by_id[pk] = (table, label)

    def id(self, table: str, raw, *, field: str | None = None, required: bool = True) -> int | None:
        """The id of `raw` in `table`; raise ValidationFailed naming the allowed values."""
        label = clean(raw)
        if not label:
            if required:
                raise ValidationFailed(_("必填，不能为空。"), field=field or table, value=raw)
            return None
        entries = self.by_folded.get(table, {})
        if label not in entries:
            raise ValidationFailed(
                _("“%(v)s”不在代码表中，可选值：%(allowed)s。")
                % {"v": label, "allowed": "、".join(self.by_label.get(table, {}))},
                field=field or table,
                value=raw,
            )
        return entries[label]

    def label(self, pk: int | None) -> str:
        return self.by_id[pk][1] if pk else ""
