"""Modem error codes → domain errors (短信发送失败), at this one place.

``+CMS ERROR: <n>`` (3GPP TS 27.005 §3.2.5) carries either a network cause (0–127, the
RP-cause of TS 24.011 Annex E), a TP-FCS of the service centre (128–255, TS 23.040
§9.2.3.22), or a modem/SIM condition (300–511, TS 27.005). ``+CME ERROR: <n>`` (TS 27.007
§9.2) is a modem/SIM condition.

**Permanent** (``SmsFailed(permanent=True)``) means retrying *this message* cannot help:
the destination number is wrong or unreachable for good, or the network rejected the
message itself. Everything else is **temporary** and the SMS queue retries with backoff,
including every code we do not know, the bare ``ERROR``, and conditions of our own SIM
(barred or out of credit, 欠费) that staff can fix.

Note on 38 ("network out of order"): TS 24.011 classes it as a temporary network fault, so
it is retried rather than treated as permanent.
"""

from __future__ import annotations

from dataclasses import dataclass

from hw.protocols import ModemState, SmsFailed


@dataclass(frozen=True)
class ErrorInfo:
    meaning: str  # Chinese, shown to staff
    permanent: bool = False
    state: ModemState | None = None  # what the error says about the modem, if anything


CMS_ERRORS: dict[int, ErrorInfo] = {
    # RP-cause (TS 24.011 Annex E)
    1: ErrorInfo("号码不存在", permanent=True),
    8: ErrorInfo("运营商禁止发送（可能欠费）"),
    10: ErrorInfo("呼叫受限（可能欠费或停机）"),
    21: ErrorInfo("短信被拒收", permanent=True),
    27: ErrorInfo("对方暂时无法接收"),
    28: ErrorInfo("无法识别的用户", permanent=True),
    29: ErrorInfo("网络拒绝该业务", permanent=True),
    30: ErrorInfo("未知用户", permanent=True),
    38: ErrorInfo("网络故障"),
    41: ErrorInfo("网络暂时故障"),
    42: ErrorInfo("网络拥塞"),
    47: ErrorInfo("网络资源不足"),
    50: ErrorInfo("本机 SIM 卡未开通短信业务"),
    69: ErrorInfo("网络不支持该业务", permanent=True),
    81: ErrorInfo("短信参考号无效"),
    95: ErrorInfo("短信格式无效", permanent=True),
    96: ErrorInfo("短信缺少必要信息", permanent=True),
    97: ErrorInfo("短信类型不存在", permanent=True),
    98: ErrorInfo("短信与协议状态不符"),
    99: ErrorInfo("短信信息单元不存在", permanent=True),
    111: ErrorInfo("协议错误"),
    127: ErrorInfo("网络互通错误"),
    # TP-FCS (TS 23.040 §9.2.3.22); 128–191 are errors in the message itself, see below
    192: ErrorInfo("短信中心忙"),
    193: ErrorInfo("本机未开通短信中心业务"),
    194: ErrorInfo("短信中心故障"),
    195: ErrorInfo("收信号码无效", permanent=True),
    196: ErrorInfo("收信号码被禁止", permanent=True),
    197: ErrorInfo("重复短信被拒收", permanent=True),
    198: ErrorInfo("不支持的有效期格式", permanent=True),
    199: ErrorInfo("不支持的有效期", permanent=True),
    # Modem and SIM (TS 27.005 §3.2.5)
    300: ErrorInfo("短信猫故障"),
    301: ErrorInfo("短信服务被占用"),
    302: ErrorInfo("当前不允许此操作"),
    303: ErrorInfo("短信猫不支持此操作"),
    304: ErrorInfo("PDU 参数无效", permanent=True),
    305: ErrorInfo("文本参数无效", permanent=True),
    310: ErrorInfo("未插 SIM 卡", state="no-sim"),
    311: ErrorInfo("SIM 卡需要 PIN 码", state="no-sim"),
    312: ErrorInfo("SIM 卡需要 PH-SIM PIN 码", state="no-sim"),
    313: ErrorInfo("SIM 卡故障", state="no-sim"),
    314: ErrorInfo("SIM 卡忙"),
    315: ErrorInfo("SIM 卡错误", state="no-sim"),
    316: ErrorInfo("SIM 卡需要 PUK 码", state="no-sim"),
    320: ErrorInfo("存储器故障"),
    322: ErrorInfo("存储器已满"),
    330: ErrorInfo("未知短信中心号码，请检查 SIM 卡"),
    331: ErrorInfo("无网络服务", state="no-signal"),
    332: ErrorInfo("网络超时", state="no-signal"),
    500: ErrorInfo("未知错误"),
}

CME_ERRORS: dict[int, ErrorInfo] = {
    3: ErrorInfo("当前不允许此操作"),
    4: ErrorInfo("短信猫不支持此操作"),
    10: ErrorInfo("未插 SIM 卡", state="no-sim"),
    11: ErrorInfo("SIM 卡需要 PIN 码", state="no-sim"),
    12: ErrorInfo("SIM 卡需要 PUK 码", state="no-sim"),
    13: ErrorInfo("SIM 卡故障", state="no-sim"),
    14: ErrorInfo("SIM 卡忙"),
    15: ErrorInfo("SIM 卡错误", state="no-sim"),
    30: ErrorInfo("无网络服务", state="no-signal"),
    31: ErrorInfo("网络超时", state="no-signal"),
    32: ErrorInfo("只允许紧急呼叫", state="no-signal"),
    100: ErrorInfo("未知错误"),
}


def cms_info(code: int) -> ErrorInfo:
    """What ``+CMS ERROR: <code>`` means; unknown codes are temporary."""
    if code in CMS_ERRORS:
        return CMS_ERRORS[code]
    if 128 <= code <= 191:  # TP-PID, TP-DCS, command and TPDU errors in our message
        return ErrorInfo("短信中心拒收此短信", permanent=True)
    return ErrorInfo("发送失败")


def cme_info(code: int) -> ErrorInfo:
    """What ``+CME ERROR: <code>`` means; unknown codes are temporary."""
    return CME_ERRORS.get(code, ErrorInfo("短信猫报错"))


def error_info(kind: str | None, code: int | None) -> ErrorInfo:
    """Info for a final result line: ``kind`` is "CMS", "CME" or None (bare ``ERROR``)."""
    if kind == "CMS" and code is not None:
        return cms_info(code)
    if kind == "CME" and code is not None:
        return cme_info(code)
    return ErrorInfo("短信猫返回错误")


def sms_failed(kind: str | None, code: int | None) -> SmsFailed:
    """The :class:`SmsFailed` for a modem error reply."""
    info = error_info(kind, code)
    suffix = f"（+{kind} ERROR: {code}）" if kind and code is not None else "（ERROR）"
    return SmsFailed(f"短信发送失败：{info.meaning}{suffix}", permanent=info.permanent)
