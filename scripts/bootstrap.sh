#!/usr/bin/env bash
# Prepare a development machine: Debian packages (as root), the .venv and the project.
# Idempotent and fast on reruns: pip runs only when pyproject.toml is newer than the stamp.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DEB_PACKAGES=(python3-venv python3-dev gcc chromium fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai fonts-dejavu-core poppler-utils
    cups cups-filters cups-bsd libcups2-dev espeak-ng sox alsa-utils postgresql
    sway foot fcitx5 fcitx5-chinese-addons wtype libime-bin grim systemd
    shellcheck mtools dosfstools fdisk e2fsprogs)
# sway … grim: the staff terminal's Chinese input (fcitx5 pinyin in foot under sway), which
# tests/tui/test_tui_input_pinyin.py drives headless as on the appliance. systemd: its
# `systemd-analyze verify` checks the units in systemd/ (tests/systemd). shellcheck …
# e2fsprogs: the image scripts' checks and assemble.sh (tests/appliance_image); `make image`
# needs more (image-build/README.md).
VENV=.venv
STAMP="$VENV/.installed"

say() { printf '[bootstrap] %s\n' "$*"; }

# ---- Debian packages ---------------------------------------------------------------------
missing=()
if command -v dpkg >/dev/null 2>&1; then
    for pkg in "${DEB_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
else
    say "未找到 dpkg，跳过系统软件包检查（非 Debian 系统请自行安装：${DEB_PACKAGES[*]}）"
fi

if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]]; then
        say "安装缺少的系统软件包：${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    else
        say "缺少系统软件包：${missing[*]}"
        say "请以 root 运行：sudo apt-get install -y --no-install-recommends ${missing[*]}"
        say "现在继续；用到这些软件包的测试可能失败。"
    fi
fi

# ---- Python virtual environment ----------------------------------------------------------
pick_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [[ -n "$candidate" ]] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        # a pyenv shim answers `command -v` for versions it does not have: ask the interpreter
        if "$candidate" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' \
            >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [[ ! -e "$VENV" ]]; then
    if ! python_bin="$(pick_python)"; then
        say "未找到 Python 3.11–3.13，请先安装（Debian：apt-get install python3 python3-venv）"
        exit 1
    fi
    say "用 $python_bin 创建虚拟环境 $VENV"
    "$python_bin" -m venv "$VENV"
elif ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
    # never delete a venv on our own: it may be someone else's or only temporarily broken
    say "虚拟环境 $VENV 无法使用（其 Python 已不存在或无权限）。请运行 make distclean 后重试。"
    exit 1
fi

if [[ ! -f "$STAMP" || pyproject.toml -nt "$STAMP" ]]; then
    say "安装项目及开发依赖（pip install -e '.[dev]'）"
    "$VENV/bin/python" -m pip install --quiet -e '.[dev]'
    touch "$STAMP"
else
    say "依赖已是最新（$STAMP 比 pyproject.toml 新）"
fi
