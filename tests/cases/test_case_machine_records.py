"""Case numbers (R-K1, R-K7) and the records' required fields: applicant, delivery
variants (R-K6), 通办/代收 marking (R-K8)."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.cases.rules import commands as c
from appliance.cases.rules.case_number import CaseNumber, format_case_number, parse_case_number
from appliance.cases.rules.machine import legal_actions, perform
from appliance.cases.rules.records import (
    Agent,
    Applicant,
    ApplicantKind,
    Delivery,
    ElectronicDelivery,
    MailDelivery,
    OtherPlace,
    OtherPlaceKind,
    PickupDelivery,
)
from appliance.cases.rules.states import Action, CaseState
from appliance.core.errors import Conflict, Invalid
from tests.cases.machine_support import (
    T0,
    approved,
    ctx,
    mailed,
    new_case,
    run,
)

# --- case number ---------------------------------------------------------------------------


def test_case_number_format() -> None:
    assert format_case_number("YZ0001", date(2026, 11, 23), 7) == "YZ0001-20261123-0007"
    assert format_case_number("yz0001", date(2026, 1, 2), 12345) == "YZ0001-20260102-12345"
    assert str(CaseNumber("ST9", date(2026, 11, 23), 1)) == "ST9-20261123-0001"


def test_case_number_parse_round_trip() -> None:
    n = parse_case_number("YZ0001-20261123-0007")
    assert n == CaseNumber("YZ0001", date(2026, 11, 23), 7)
    assert str(n) == "YZ0001-20261123-0007"
    assert parse_case_number(" yz0001-20261123-0007 ") == n


@pytest.mark.parametrize(
    "text",
    [
        "",
        "YZ0001-2026112-0007",
        "YZ0001-20261123-7",
        "YZ0001_20261123_0007",
        "YZ0001-20261323-0007",
        "YZ0001-20261123-0000",
        "站点-20261123-0007",
    ],
)
def test_case_number_parse_rejects(text: str) -> None:
    with pytest.raises(Invalid) as err:
        parse_case_number(text)
    assert err.value.code == "bad_case_number" and "办件编号" in err.value.message


@pytest.mark.parametrize(
    ("station", "seq"), [("D", 1), ("DEMO-1", 1), ("YZ0001", 0), ("YZ0001", 1_000_000)]
)
def test_case_number_format_rejects(station: str, seq: int) -> None:
    with pytest.raises(Invalid):
        format_case_number(station, date(2026, 11, 23), seq)


# --- intake records (R-K1, R-K8) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "申请人名称"),
        ({"id_number": " "}, "申请人证件号码"),
        ({"phone": ""}, "联系电话"),
    ],
)
def test_applicant_required_fields(kwargs: dict[str, str], field: str) -> None:
    v = {"name": "某村合作社", "id_number": "93430000MA0000000X", "phone": "0731-1"} | kwargs
    with pytest.raises(Invalid, match=field):
        Applicant(ApplicantKind.ORGANISATION, v["name"], v["id_number"], v["phone"])


def test_agent_needs_name_and_id() -> None:
    with pytest.raises(Invalid, match="代理人证件号码"):
        Agent("王五", "")
    assert Agent("王五", "110101199003071234").phone == ""


def test_other_place_case_is_marked() -> None:
    with pytest.raises(Invalid, match="办理地"):
        OtherPlace(OtherPlaceKind.COLLECT, "")
    case = new_case(other_place=OtherPlace(OtherPlaceKind.CROSS_REGION, "广东省深圳市"))
    assert case.other_place is not None and case.needs_forwarding


def test_naive_times_are_refused() -> None:
    with pytest.raises(Invalid, match="时区"):
        c.Context(
            actor="李四",
            at=T0.replace(tzinfo=None),
            today=date(2026, 11, 23),
            calendar=ctx().calendar,
        )
    with pytest.raises(Invalid, match="经办人"):
        c.Context(actor=" ", at=T0, today=date(2026, 11, 23), calendar=ctx().calendar)


# --- delivery (R-K6) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: PickupDelivery("", "110101199003071234", "SIG-1"), "领取人姓名"),
        (lambda: PickupDelivery("张三", "", "SIG-1"), "领取人证件号码"),
        (lambda: PickupDelivery("张三", "110101199003071234", ""), "签收记录"),
        (lambda: MailDelivery("", "SF1"), "邮寄地址"),
        (lambda: MailDelivery("某村1号", " "), "快递单号"),
        (lambda: ElectronicDelivery("", "E-1"), "电子送达地址"),
        (lambda: ElectronicDelivery("电子证照库", ""), "送达凭证编号"),
    ],
)
def test_delivery_required_fields(build: object, field: str) -> None:
    with pytest.raises(Invalid, match=field) as err:
        build()  # type: ignore[operator]
    assert err.value.status == 400


@pytest.mark.parametrize(
    ("delivery", "keys"),
    [
        (
            PickupDelivery("张三", "110101199003071234", "SIG-1"),
            {"method", "collector_name", "collector_id", "signature_ref"},
        ),
        (MailDelivery("湖南省某县某村1号", "SF1234"), {"method", "address", "tracking_no"}),
        (ElectronicDelivery("电子证照库", "E-0001"), {"method", "destination", "reference"}),
    ],
    ids=["pickup", "mail", "electronic"],
)
def test_delivery_variants_are_recorded(delivery: Delivery, keys: set[str]) -> None:
    step = perform(approved(), c.Deliver(delivery=delivery), ctx(1))
    assert step.case.state is CaseState.DELIVERED and step.case.delivery == delivery
    assert set(step.transition.details) == keys
    assert step.transition.details["method"] == delivery.method.value


def test_signed_pickup_cannot_be_returned_but_mail_can() -> None:
    pickup = run(approved(), c.Deliver(delivery=PickupDelivery("张三", "1101", "SIG-1")))
    assert Action.RETURN not in legal_actions(pickup)
    with pytest.raises(Conflict, match="窗口领取已签收"):
        perform(pickup, c.Return(reason="x"), ctx())
    returned = perform(mailed(), c.Return(reason="查无此人"), ctx(3))
    assert returned.transition.details == {"tracking_no": "SF1234567890"}
    assert legal_actions(returned.case) == [Action.DELIVER, Action.CLOSE]
    again = run(returned.case, c.Deliver(delivery=PickupDelivery("张三", "1101", "SIG-2")))
    assert (
        again.state is CaseState.DELIVERED and len(again.history) == len(returned.case.history) + 1
    )
