"""证件号码 and 手机号码 checks (R-K1): pure rules with Chinese refusals.

- 居民身份证 (GB 11643-1999): 17 digits and a check digit (ISO 7064 MOD 11-2, ``X`` for 10),
  with a real date of birth;
- 统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set without I, O, Z,
  S and V, the last a check character (MOD 31);
- 护照, 港澳台居民来往内地（大陆）通行证 and 其他证件: their shape only, as stated by the clerk
  who chose the document type (the override for documents that are not resident IDs);
- mobile numbers: 11 digits starting with 1 (as ticket issuing checks them), after NFKC
  (full-width digits typed with a Chinese IME) and without spaces or hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum

from appliance.core.errors import Invalid


class IdType(StrEnum):
    """证件类型."""

    RESIDENT = "resident_id"  # 居民身份证
    USCC = "uscc"  # 统一社会信用代码
    PASSPORT = "passport"  # 护照
    HMT_PERMIT = "hmt_permit"  # 港澳台居民来往内地（大陆）通行证
    OTHER = "other"  # 其他证件


ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.RESIDENT: "居民身份证",
    IdType.USCC: "统一社会信用代码",
    IdType.PASSPORT: "护照",
    IdType.HMT_PERMIT: "港澳台居民来往内地通行证",
    IdType.OTHER: "其他证件",
}

_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RESIDENT = re.compile(r"[1-9]\d{16}[\dX]")
_USCC = re.compile(rf"[{_USCC_CHARS}]{{18}}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_HMT_PERMIT = re.compile(r"[HM]?\d{8}(\d{2})?")
_OTHER = re.compile(r"[A-Z0-9()\-]{4,32}")
_MOBILE = re.compile(r"1\d{10}")


def normalise(text: str) -> str:
    """Full-width to ASCII (NFKC), upper case, no spaces or hyphens around digits."""
    return unicodedata.normalize("NFKC", text).strip().upper().replace(" ", "")


def resident_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11]


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def _birth_ok(digits: str) -> bool:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return born.year >= 1900


def check_id_number(text: str, kind: IdType, label: str = "证件号码") -> str:
    """The number normalised, or ``Invalid`` saying in Chinese what is wrong with it."""
    number = normalise(text)
    name = ID_TYPE_LABELS[kind]
    if not number:
        raise Invalid(f"缺少必填项：{label}", "field_required")
    if kind is IdType.RESIDENT:
        if not _RESIDENT.fullmatch(number):
            raise Invalid(
                f"{label}不是有效的{name}号码：应为 18 位，前 17 位为数字，末位为数字或 X"
                "（如不是居民身份证，请选择证件类型）",
                "bad_id_number",
            )
        if not _birth_ok(number[6:14]):
            raise Invalid(f"{label}中的出生日期 {number[6:14]} 无效，请核对", "bad_id_number")
        if resident_check_digit(number[:17]) != number[17]:
            raise Invalid(
                f"{label}的校验位不符（{name}号码有误），请核对后重新输入", "bad_id_number"
            )
    elif kind is IdType.USCC:
        if not _USCC.fullmatch(number):
            raise Invalid(
                f"{label}不是有效的{name}：应为 18 位数字或大写字母（不含 I、O、Z、S、V）",
                "bad_id_number",
            )
        if uscc_check_char(number[:17]) != number[17]:
            raise Invalid(f"{label}的校验位不符（{name}有误），请核对后重新输入", "bad_id_number")
    elif kind is IdType.PASSPORT:
        if not _PASSPORT.fullmatch(number):
            raise Invalid(f"{label}不是有效的护照号码：应为 5–17 位字母或数字", "bad_id_number")
    elif kind is IdType.HMT_PERMIT:
        if not _HMT_PERMIT.fullmatch(number):
            raise Invalid(
                f"{label}不是有效的通行证号码：港澳为 H 或 M 加 8 位（或 10 位）数字，"
                "台湾为 8 位（或 10 位）数字",
                "bad_id_number",
            )
    elif not _OTHER.fullmatch(number):
        raise Invalid(f"{label}应为 4–32 位字母、数字、括号或连字符", "bad_id_number")
    return number


def normalise_mobile(text: str) -> str:
    """A typed phone number without spaces or hyphens, full-width digits made ASCII."""
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("-", "")


def is_mobile(text: str) -> bool:
    """11 digits starting with 1 (the check ticket issuing applies)."""
    return _MOBILE.fullmatch(text) is not None


def check_mobile(text: str, label: str = "手机号码") -> str:
    """The mobile number, or ``Invalid`` in Chinese."""
    if not is_mobile(text):
        raise Invalid(f"{label}格式不正确，应为 11 位数字，以 1 开头", "bad_phone")
    return text
