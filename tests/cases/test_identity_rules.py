"""证件号码 and phone checks (R-K1): pure rules, known-good and known-bad numbers."""

from __future__ import annotations

import pytest

from appliance.core.errors import Invalid
from appliance.core.identity import (
    IdType,
    check_id_number,
    check_mobile,
    normalise_mobile,
    resident_check_digit,
    uscc_check_char,
)
from appliance.core.text import has_control, json_depth

GOOD_RESIDENT = [
    "11010519491231002X",  # the GB 11643 example (X for 10)
    "410122194001080021",
    "410122197912290031",
]
GOOD_USCC = ["914403001922038216", "91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("number", GOOD_RESIDENT)
def test_resident_check_digit_of_known_numbers(number: str) -> None:
    assert resident_check_digit(number[:17]) == number[17]


@pytest.mark.parametrize("number", GOOD_USCC)
def test_uscc_check_character_of_known_codes(number: str) -> None:
    assert uscc_check_char(number[:17]) == number[17]
    assert check_id_number(number, IdType.USCC) == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),  # lower-case x
        (" 4101 2219 4001 0800 21 ", "410122194001080021"),  # spaces as typed
        ("４１０１２２１９４００１０８００２１", "410122194001080021"),  # full-width digits
    ],
)
def test_a_resident_id_is_normalised_and_accepted(text: str, expected: str) -> None:
    assert check_id_number(text, IdType.RESIDENT) == expected


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("410122194001080022", "校验位"),  # one digit off
        ("410122194001010021", "校验位"),  # the old demo number: a wrong check digit
        ("41012219400108002", "18 位"),  # 17 characters
        ("4101221940010800211", "18 位"),
        ("41012219400108002\U0001f600", "18 位"),  # ends in an emoji
        ("41012219400108\x0021", "18 位"),  # NUL inside
        ("410122194013010021", "出生日期"),  # month 13
        ("410122180001010021", "出生日期"),  # before 1900
        ("", "缺少必填项"),
    ],
)
def test_bad_resident_ids_are_refused_in_chinese(number: str, why: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_id_number(number, IdType.RESIDENT, "申请人证件号码")
    assert why in refused.value.message
    assert "申请人证件号码" in refused.value.message


@pytest.mark.parametrize("code", ["914403001922038217", "91440300192203821", "9144030019220382I6"])
def test_bad_credit_codes_are_refused(code: str) -> None:
    with pytest.raises(Invalid):
        check_id_number(code, IdType.USCC)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (IdType.PASSPORT, "E12345678", "E12"),
        (IdType.HMT_PERMIT, "H12345678", "X12345678"),
        (IdType.HMT_PERMIT, "12345678", "1234567"),
        (IdType.OTHER, "ABC-123(4)", "AB"),
    ],
)
def test_other_documents_by_their_shape(kind: IdType, good: str, bad: str) -> None:
    assert check_id_number(good, kind) == good
    with pytest.raises(Invalid):
        check_id_number(bad, kind)


def test_mobiles_as_ticket_issuing_checks_them() -> None:
    assert check_mobile(normalise_mobile(" 138-0000 1234 ")) == "13800001234"
    assert normalise_mobile("１３８００００１２３４") == "13800001234"
    for bad in ("1380000123", "23800001234", "138000012345", "1" * 10_000, "\U0001f4f1"):
        with pytest.raises(Invalid):
            check_mobile(bad)


def test_control_characters_and_json_depth() -> None:
    assert has_control("张\x00三") and has_control("a\nb") and has_control("\u202eabc")
    assert not has_control("a\nb\tc", multiline=True) and has_control("a\x00", multiline=True)
    assert not has_control("张三 O'Brien (代)")
    assert json_depth(b'{"a": [1, {"b": "[[[["}]}') == 3
    assert json_depth(b"[" * 1000 + b"]" * 1000) == 1000
