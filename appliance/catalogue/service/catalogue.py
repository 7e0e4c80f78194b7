"""Service catalogue (事项目录, R-S1–R-S3, R-C4): versions, search and the 一次性告知单 data.

Read-only at the station: ``replace`` swaps the whole current version in ONE write
transaction (old items and materials out, new ones in, the version row, an event); it is
called only by the importers and the county reference apply, never by a station screen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from appliance.catalogue.rules import MATERIAL_FORMS, ItemSpec, MaterialSpec, checksum, match_score
from appliance.catalogue.schemas import ItemDetail, ItemSummary, MaterialView, RelatedItem
from appliance.catalogue.service.initials import alternative_initials, initials
from appliance.catalogue.tables import CatalogueItem, CatalogueMaterial, CatalogueVersion
from appliance.core.clock import Clock
from appliance.core.errors import Invalid, NotFound
from appliance.db.database import Database
from appliance.events.log import append_event

MAX_QUERY = 50
MAX_LIMIT = 100


def _keyword_initials(item: ItemSpec) -> str:
    """Initials of the keywords, and of the name read the other way (长寿 zs / cs)."""
    spellings = [initials(k) for k in item.keywords]
    spellings += [alt for alt in (alternative_initials(item.name),) if alt]
    return " ".join(spellings)


@dataclass(frozen=True)
class VersionInfo:
    """事项目录版本."""

    id: str
    version: str
    source: str
    imported_at: datetime
    item_count: int
    checksum: str


def _version(v: CatalogueVersion) -> VersionInfo:
    return VersionInfo(v.id, v.version, v.source, v.imported_at, v.item_count, v.checksum)


def _dump(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _list(text: str) -> list[str]:
    value = json.loads(text or "[]")
    return [str(v) for v in value] if isinstance(value, list) else []


def _item_row(item: ItemSpec, version_id: str, sort: int) -> CatalogueItem:
    return CatalogueItem(
        code=item.code,
        version_id=version_id,
        sort=sort,
        name=item.name,
        type=item.type,
        legal_basis=item.legal_basis,
        conditions=item.conditions,
        legal_days=item.legal_days,
        promised_days=item.promised_days,
        kind=item.kind,
        fees=item.fees,
        fee_basis=item.fee_basis,
        delivery_methods=_dump(item.delivery_methods),
        category_prefix=item.category_prefix,
        allows_notify_commit=item.allows_notify_commit,
        allows_tolerant=item.allows_tolerant,
        special_procedures=_dump(item.special_procedures),
        keywords=_dump(item.keywords),
        related_codes=_dump(item.related_codes),
        department=item.department,
        window=item.window,
        phone=item.phone,
        retention=item.retention,
        name_initials=initials(item.name),
        keyword_initials=_keyword_initials(item),
    )


def _material_row(code: str, seq: int, m: MaterialSpec) -> CatalogueMaterial:
    return CatalogueMaterial(
        item_code=code,
        seq=seq,
        name=m.name,
        form=m.form,
        count=m.count,
        required=m.required,
        tolerable=m.tolerable,
        notes=m.notes,
        sample=m.sample,
    )


def replace_catalogue(
    s: Session, items: Sequence[ItemSpec], version: str, source: str, now: datetime
) -> VersionInfo:
    """In the caller's transaction: ``items`` become the whole current catalogue."""
    s.exec(delete(CatalogueMaterial))
    s.exec(delete(CatalogueItem))
    s.execute(update(CatalogueVersion).values(current=False))
    row = CatalogueVersion(
        version=version,
        source=source,
        imported_at=now,
        item_count=len(items),
        checksum=checksum(items),
        current=True,
    )
    s.add(row)
    s.flush()
    for sort, item in enumerate(items):
        s.add(_item_row(item, row.id, sort))
    s.flush()
    for item in items:
        for seq, m in enumerate(item.materials, start=1):
            s.add(_material_row(item.code, seq, m))
    s.flush()
    append_event(
        s,
        "catalogue.replaced",
        "catalogue_version",
        row.id,
        {"version": version, "source": source, "items": len(items), "checksum": row.checksum},
        now,
    )
    return _version(row)


def current_version_row(s: Session) -> CatalogueVersion | None:
    return s.exec(select(CatalogueVersion).where(col(CatalogueVersion.current).is_(True))).first()


class CatalogueService:
    """Station-side reads of the catalogue; writes only through ``replace``."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def replace(self, items: Sequence[ItemSpec], version: str, source: str) -> VersionInfo:
        """Swap the whole catalogue in one write transaction."""
        with self.db.write() as s:
            return replace_catalogue(s, items, version, source, self.clock.now())

    def current_version(self) -> VersionInfo | None:
        with self.db.read() as s:
            row = current_version_row(s)
            return _version(row) if row else None

    def search(self, query: str = "", limit: int = 20) -> list[ItemSummary]:
        """事项检索 (R-S3): by name, keyword, pinyin initials or code; best match first."""
        query = (query or "").strip()
        if len(query) > MAX_QUERY:
            raise Invalid(f"检索词不能超过 {MAX_QUERY} 个字", "long_query")
        if not 1 <= limit <= MAX_LIMIT:
            raise Invalid(f"返回条数须在 1–{MAX_LIMIT} 之间", "bad_limit")
        with self.db.read() as s:
            rows = s.exec(select(CatalogueItem).order_by(col(CatalogueItem.sort))).all()
        scored = []
        for r in rows:
            keywords = _list(r.keywords)
            score = match_score(
                query, r.name, r.name_initials, keywords, r.keyword_initials.split(), r.code
            )
            if score > 0:
                scored.append((-score, len(r.name) if query else 0, r.sort, r, keywords))
        scored.sort(key=lambda t: t[:3])
        return [
            ItemSummary(
                code=r.code,
                name=r.name,
                type=r.type,
                kind=r.kind,
                promised_days=r.promised_days,
                category_prefix=r.category_prefix,
                keywords=kw,
            )
            for _, _, _, r, kw in scored[:limit]
        ]

    def item(self, code: str) -> ItemDetail:
        """办事指南 of one item (public: villagers browse and print guides)."""
        with self.db.read() as s:
            row = s.get(CatalogueItem, code)
            if row is None:
                raise NotFound(f"找不到事项编码为“{code}”的事项", "unknown_item")
            materials = s.exec(
                select(CatalogueMaterial)
                .where(CatalogueMaterial.item_code == code)
                .order_by(col(CatalogueMaterial.seq))
            ).all()
            related = []
            for rel in _list(row.related_codes):
                other = s.get(CatalogueItem, rel)
                if other is not None:
                    related.append(
                        RelatedItem(
                            code=other.code, name=other.name, promised_days=other.promised_days
                        )
                    )
            version = s.get(CatalogueVersion, row.version_id)
        return ItemDetail(
            code=row.code,
            name=row.name,
            type=row.type,
            legal_basis=row.legal_basis,
            conditions=row.conditions,
            legal_days=row.legal_days,
            promised_days=row.promised_days,
            kind=row.kind,
            fees=row.fees,
            fee_basis=row.fee_basis,
            delivery_methods=_list(row.delivery_methods),
            category_prefix=row.category_prefix,
            allows_notify_commit=row.allows_notify_commit,
            allows_tolerant=row.allows_tolerant,
            special_procedures=_list(row.special_procedures),
            keywords=_list(row.keywords),
            related=related,
            department=row.department,
            window=row.window,
            phone=row.phone,
            materials=[
                MaterialView(
                    name=m.name,
                    form=m.form,
                    form_label=MATERIAL_FORMS.get(m.form, m.form),
                    count=m.count,
                    required=m.required,
                    tolerable=m.tolerable,
                    notes=m.notes,
                    sample=m.sample,
                )
                for m in materials
            ],
            version=version.version if version else "",
        )

    def notice_sheet(self, code: str) -> dict[str, Any]:
        """The data of an item's 一次性告知单 (R-C4), as a plain dict for the renderer."""
        d = self.item(code)
        if d.kind == "即办件":
            time_limit = "即办件，材料齐全当场办结"
        else:
            time_limit = f"{d.promised_days} 个工作日（承诺时限）"
            if d.legal_days:
                time_limit += f"，法定时限 {d.legal_days} 个工作日"
        if d.special_procedures:
            time_limit += f"；{'、'.join(d.special_procedures)}所需时间不计入办理时限"
        return {
            "title": "一次性告知单",
            "code": d.code,
            "name": d.name,
            "type": d.type,
            "kind": d.kind,
            "legal_basis": d.legal_basis,
            "conditions": d.conditions,
            "materials": [
                {
                    "no": i,
                    "name": m.name,
                    "form": m.form_label,
                    "count": m.count,
                    "required": m.required,
                    "required_label": "必需" if m.required else "视情况提供",
                    "tolerable": m.tolerable,
                    "notes": m.notes,
                    "sample": m.sample,
                }
                for i, m in enumerate(d.materials, start=1)
            ],
            "promised_days": d.promised_days,
            "legal_days": d.legal_days,
            "time_limit": time_limit,
            "fees": d.fees,
            "fee_basis": d.fee_basis,
            "delivery_methods": d.delivery_methods,
            "allows_notify_commit": d.allows_notify_commit,
            "allows_tolerant": d.allows_tolerant,
            "department": d.department,
            "window": d.window,
            "phone": d.phone,
            "related": [
                {"code": r.code, "name": r.name, "promised_days": r.promised_days}
                for r in d.related
            ],
            "catalogue_version": d.version,
        }
