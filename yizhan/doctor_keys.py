"""The self-check of the station's credentials (设备密钥自检, R-I3).

``yizhan doctor`` fails when the hardware service's key (``X-Device-Key``) is the published
demo key, is weak, is missing, or can be read by other users; it warns while demo mode is on.
"""

from __future__ import annotations

from appliance.staff.rules import device_key_problem
from appliance.staff.service.device_key import device_key_path, read_device_key, too_open
from yizhan.doctor_checks import CheckResult, DoctorContext, fail, ok, warn

NAME = "设备密钥"
MAKE_KEY = "请删除设置中的 device_key，运行 yizhan db upgrade 为本站生成随机密钥，再重启服务"


def check_device_key(ctx: DoctorContext) -> CheckResult:
    settings = ctx.settings
    demo = bool(ctx.setting("demo", False))
    explicit = str(ctx.setting("device_key", "") or "")
    path = device_key_path(settings)
    if explicit:
        key, where = explicit, "设置项 device_key"
    else:
        key, where = read_device_key(path) or "", str(path)
        if not key:
            found = f"找不到本站的设备密钥文件 {path}"
            if demo:
                return warn(NAME, f"{found}（演示模式接受公开的演示密钥）", MAKE_KEY)
            return fail(NAME, found, "请运行 yizhan db upgrade 生成，再重启服务")
    problem = device_key_problem(key)
    if demo:
        fix = "正式使用前请在设置中去掉 demo（YIZHAN_DEMO）"
        return warn(
            NAME,
            f"演示模式：站点服务器接受公开的演示密钥{f'；{problem}' if problem else ''}",
            f"{fix}；{MAKE_KEY}" if problem else fix,
        )
    if problem:
        return fail(NAME, f"{problem}（{where}），局域网里的任何人都能冒充硬件服务", MAKE_KEY)
    if not explicit and too_open(path):
        mode = oct(path.stat().st_mode & 0o777)[2:]
        return fail(
            NAME,
            f"{path} 的权限是 {mode}，其他用户也能读取",
            f"请运行 sudo chmod 600 {path}（启动服务器时也会自动收紧）",
        )
    if explicit:
        return ok(NAME, f"使用设置中的设备密钥（{len(key)} 位）")
    return ok(NAME, f"本站随机密钥 {path}（仅服务用户可读）")
