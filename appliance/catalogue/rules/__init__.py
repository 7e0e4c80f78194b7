"""Service item catalogue (事项清单 / 办事指南, R-S1–R-S3): the elements and their validation.

Pure: an importer turns a file into plain dicts with a location label each ("第 7 行",
"“材料”表第 3 行"); ``parse_items`` turns them into ``ItemSpec`` or raises ``CatalogueInvalid``
naming the first bad location and the reason in Chinese. Nothing is half-accepted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from appliance.core.errors import Invalid

# R-S1 事项类型
ITEM_TYPES = (
    "行政许可",
    "行政确认",
    "行政裁决",
    "行政给付",
    "行政奖励",
    "行政备案",
    "其他行政权力",
    "公共服务",
)
# 办件类型
ITEM_KINDS = ("即办件", "承诺件", "上报件")
IMMEDIATE = "即办件"
PROMISED = "承诺件"
FORWARDED = "上报件"
# Special procedures that stop the clock (特别程序)
SPECIAL_PROCEDURES = ("检验", "专家评审", "听证")
DELIVERY_METHODS = ("窗口领取", "邮寄送达", "电子送达", "上门送达")
# 保管期限 of the item's archive (R-A1); empty: by 事项类型, see appliance.archives.rules
RETENTIONS = ("永久", "30年", "10年")
# Material form (原件/复印件)
MATERIAL_FORMS = {"original": "原件", "copy": "复印件", "both": "原件及复印件"}
MAX_DAYS = 365
MAX_ITEMS = 2000
CODE_RE = re.compile(r"^[0-9A-Za-z_\-.]{1,64}$")
PREFIX_RE = re.compile(r"^[A-Z]?$")


class CatalogueInvalid(Invalid):
    """A catalogue file refused whole (事项目录文件有误)."""

    def __init__(self, message: str, code: str = "bad_catalogue") -> None:
        super().__init__(message, code)


@dataclass(frozen=True)
class MaterialSpec:
    """申请材料: one material of an item."""

    name: str
    form: str = "original"  # original | copy | both
    count: int = 1
    required: bool = True
    tolerable: bool = False  # may be missing under 容缺受理
    notes: str = ""
    sample: str = ""  # 样表/示例说明


@dataclass(frozen=True)
class ItemSpec:
    """事项: every guide element of R-S1."""

    code: str
    name: str
    type: str
    legal_basis: str
    conditions: str
    legal_days: int
    promised_days: int
    kind: str
    fees: str = "不收费"
    fee_basis: str = ""
    delivery_methods: tuple[str, ...] = ("窗口领取",)
    category_prefix: str = ""
    allows_notify_commit: bool = False  # 告知承诺
    allows_tolerant: bool = False  # 容缺受理
    special_procedures: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related_codes: tuple[str, ...] = ()
    department: str = ""
    window: str = ""
    phone: str = ""
    materials: tuple[MaterialSpec, ...] = field(default_factory=tuple)
    retention: str = ""  # 保管期限: one of RETENTIONS, or "" (the default of its 事项类型)


@dataclass(frozen=True)
class RawItem:
    """One item as read from a file, with where it came from."""

    where: str  # e.g. "第 7 行" or "第 3 项"
    data: Mapping[str, Any]
    materials: Sequence[tuple[str, Mapping[str, Any]]] = ()


def _fail(where: str, reason: str) -> CatalogueInvalid:
    return CatalogueInvalid(f"{where}：{reason}")


def _text(
    where: str,
    data: Mapping[str, Any],
    key: str,
    label: str,
    *,
    required: bool = False,
    limit: int = 2000,
) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _fail(where, f"{label}须为文字")
    text = str(value).strip()
    if required and not text:
        raise _fail(where, f"{label}不能为空")
    if len(text) > limit:
        raise _fail(where, f"{label}不能超过 {limit} 个字")
    return text


def _int(
    where: str,
    data: Mapping[str, Any],
    key: str,
    label: str,
    low: int,
    high: int,
    default: int | None = None,
) -> int:
    value = data.get(key)
    if (value is None or value == "") and default is not None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(where, f"{label}必须是 {low}–{high} 的整数")
    return value


TRUE_WORDS = {"是", "允许", "y", "yes", "true", "1", "√", "必要", "必需", "必须", "可容缺"}
FALSE_WORDS = {"否", "不允许", "n", "no", "false", "0", "", "非必要", "非必需", "不可容缺"}


def _bool(where: str, data: Mapping[str, Any], key: str, label: str, default: bool) -> bool:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False if word else default
    raise _fail(where, f"{label}须填“是”或“否”")


def split_list(value: Any) -> list[str]:
    """A list, or text separated by 、，, ; ；/ or newlines."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"[、，,;；/\n]", str(value)) if p.strip()]


def _choices(
    where: str,
    data: Mapping[str, Any],
    key: str,
    label: str,
    allowed: Sequence[str],
    default: Sequence[str] = (),
) -> tuple[str, ...]:
    raw = data.get(key)
    if raw is not None and not isinstance(raw, list | tuple | str):
        raise _fail(where, f"{label}须为列表或用“、”分隔的文字")
    values = split_list(raw) or list(default)
    for v in values:
        if v not in allowed:
            raise _fail(where, f"{label}“{v}”不在允许的范围内（{'、'.join(allowed)}）")
    return tuple(dict.fromkeys(values))


FORM_WORDS = {
    **{k: k for k in MATERIAL_FORMS},
    **{v: k for k, v in MATERIAL_FORMS.items()},
    "原件和复印件": "both",
    "原件、复印件": "both",
}


def parse_material(where: str, data: Mapping[str, Any], item_tolerant: bool) -> MaterialSpec:
    name = _text(where, data, "name", "材料名称", required=True, limit=200)
    form_raw = _text(where, data, "form", "材料形式") or "original"
    form = FORM_WORDS.get(form_raw)
    if form is None:
        raise _fail(where, f"材料形式“{form_raw}”须为 原件、复印件 或 原件及复印件")
    count = _int(where, data, "count", "份数", 1, 99, default=1)
    required = _bool(where, data, "required", "是否必需", True)
    tolerable = _bool(where, data, "tolerable", "可容缺", False)
    if tolerable and not item_tolerant:
        raise _fail(where, f"材料“{name}”标为可容缺，但该事项不允许容缺受理")
    notes = _text(where, data, "notes", "备注", limit=500)
    sample = _text(where, data, "sample", "样表", limit=500)
    return MaterialSpec(name, form, count, required, tolerable, notes, sample)


def parse_item(raw: RawItem) -> ItemSpec:
    where, d = raw.where, raw.data
    code = _text(where, d, "code", "事项编码", required=True, limit=64)
    if not CODE_RE.match(code):
        raise _fail(where, f"事项编码“{code}”只能由字母、数字、-、_、. 组成")
    name = _text(where, d, "name", "事项名称", required=True, limit=100)
    item_type = _text(where, d, "type", "事项类型", required=True)
    if item_type not in ITEM_TYPES:
        raise _fail(where, f"事项类型“{item_type}”须为 {'、'.join(ITEM_TYPES)} 之一")
    kind = _text(where, d, "kind", "办件类型", required=True)
    if kind not in ITEM_KINDS:
        raise _fail(where, f"办件类型“{kind}”须为 {'、'.join(ITEM_KINDS)} 之一")
    legal_days = _int(where, d, "legal_days", "法定时限", 0, MAX_DAYS)
    promised_days = _int(where, d, "promised_days", "承诺时限", 0, MAX_DAYS)
    if kind == IMMEDIATE and promised_days != 0:
        raise _fail(where, "即办件的承诺时限须为 0（当场办结）")
    if kind != IMMEDIATE and promised_days == 0:
        raise _fail(where, f"{kind}的承诺时限须至少 1 个工作日")
    if legal_days and promised_days > legal_days:
        raise _fail(where, f"承诺时限（{promised_days}）不能超过法定时限（{legal_days}）")
    prefix = _text(where, d, "category_prefix", "业务类别").upper()
    if not PREFIX_RE.match(prefix):
        raise _fail(where, f"业务类别“{prefix}”须为一个英文字母（A–Z）")
    tolerant = _bool(where, d, "allows_tolerant", "容缺受理", False)
    retention = _text(where, d, "retention", "保管期限").replace(" ", "")
    if retention not in ("", *RETENTIONS):
        raise _fail(where, f"保管期限“{retention}”须为 {'、'.join(RETENTIONS)} 之一（或不填）")
    materials = tuple(parse_material(w, m, tolerant) for w, m in raw.materials)
    return ItemSpec(
        code=code,
        name=name,
        type=item_type,
        legal_basis=_text(where, d, "legal_basis", "设定依据", required=True),
        conditions=_text(where, d, "conditions", "受理条件", required=True),
        legal_days=legal_days,
        promised_days=promised_days,
        kind=kind,
        fees=_text(where, d, "fees", "收费标准", limit=200) or "不收费",
        fee_basis=_text(where, d, "fee_basis", "收费依据", limit=500),
        delivery_methods=_choices(
            where, d, "delivery_methods", "送达方式", DELIVERY_METHODS, ("窗口领取",)
        ),
        category_prefix=prefix,
        allows_notify_commit=_bool(where, d, "allows_notify_commit", "告知承诺", False),
        allows_tolerant=tolerant,
        special_procedures=_choices(where, d, "special_procedures", "特别程序", SPECIAL_PROCEDURES),
        keywords=tuple(dict.fromkeys(split_list(d.get("keywords")))),
        related_codes=tuple(dict.fromkeys(split_list(d.get("related_codes")))),
        department=_text(where, d, "department", "实施部门", limit=100),
        window=_text(where, d, "window", "办理窗口", limit=100),
        phone=_text(where, d, "phone", "咨询电话", limit=50),
        materials=materials,
        retention=retention,
    )


def parse_items(raws: Sequence[RawItem], drop_unknown_related: bool = False) -> list[ItemSpec]:
    """Every item, or ``CatalogueInvalid`` for the first bad one (the file is refused whole).

    ``drop_unknown_related`` (county publications) drops a related code that names no item
    instead of refusing: a withdrawn item must not freeze every station's catalogue."""
    if not raws:
        raise CatalogueInvalid("事项目录中没有任何事项", "empty_catalogue")
    if len(raws) > MAX_ITEMS:
        raise CatalogueInvalid(f"事项目录最多 {MAX_ITEMS} 项，本文件有 {len(raws)} 项", "too_many")
    items: list[ItemSpec] = []
    seen: dict[str, str] = {}
    for raw in raws:
        item = parse_item(raw)
        if item.code in seen:
            raise _fail(raw.where, f"事项编码“{item.code}”与{seen[item.code]}重复")
        seen[item.code] = raw.where
        items.append(item)
    if drop_unknown_related:
        items = [
            replace(i, related_codes=tuple(c for c in i.related_codes if c in seen and c != i.code))
            for i in items
        ]
    for raw, item in zip(raws, items, strict=True):
        for rel in item.related_codes:
            if rel not in seen:
                raise _fail(raw.where, f"关联事项“{rel}”不在本目录中")
            if rel == item.code:
                raise _fail(raw.where, "关联事项不能是事项本身")
    return items


def item_to_dict(item: ItemSpec) -> dict[str, Any]:
    """The JSON form of an item (the documented import schema)."""
    data = asdict(item)
    for key in ("delivery_methods", "special_procedures", "keywords", "related_codes"):
        data[key] = list(data[key])
    data["materials"] = [dict(m) for m in data["materials"]]
    if not data["retention"]:  # unset: the JSON (and the checksum) as before it existed
        del data["retention"]
    return data


def checksum(items: Sequence[ItemSpec]) -> str:
    """SHA-256 over the canonical JSON of the items: equal contents, equal checksum."""
    body = json.dumps(
        [item_to_dict(i) for i in items], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(body.encode()).hexdigest()


def match_score(
    query: str,
    name: str,
    name_initials: str,
    keywords: Sequence[str],
    keyword_initials: Sequence[str],
    code: str,
) -> int:
    """How well an item matches what staff typed (R-S3); 0 means no match.

    Chinese text matches the name, then keywords; Latin letters match pinyin initials
    (``ylbx`` → 养老保险) of the name, then of the keywords; digits match the code."""
    q = query.strip().lower()
    if not q:
        return 1
    score = 0
    if q == code.lower():
        score = 200
    elif code.lower().startswith(q) and len(q) >= 3:
        score = 90
    if q == name:
        score = max(score, 150)
    elif name.startswith(q):
        score = max(score, 120)
    elif q in name:
        score = max(score, 100)
    if q.isascii() and q.isalpha():
        if name_initials.startswith(q):
            score = max(score, 110)
        elif q in name_initials:
            score = max(score, 95)
        elif any(q in k for k in keyword_initials):
            score = max(score, 70)
    if any(q == k for k in keywords):
        score = max(score, 85)
    elif any(q in k for k in keywords):
        score = max(score, 75)
    return score
