#!/usr/bin/env bash
# The build host's tools for `make image` (and, with `test`, for `make image-test`): checked,
# and installed with apt-get when missing (Debian/Ubuntu host, as root). Not part of
# scripts/bootstrap.sh: `make test` never needs them.
#
#   image-build/host-tools.sh          mmdebstrap, qemu-user-static + binfmt, mkfs, mtools …
#   image-build/host-tools.sh test     the same plus qemu-system-aarch64 (make image-test)
set -euo pipefail

say() { printf '[host-tools] %s\n' "$*"; }
die() { printf '[host-tools] 错误：%s\n' "$*" >&2; exit 1; }

# command -> Debian package
declare -A need=(
    [mmdebstrap]=mmdebstrap [qemu-aarch64-static]=qemu-user-static
    [update-binfmts]=binfmt-support [mkfs.vfat]=dosfstools [mcopy]=mtools
    [mkfs.ext4]=e2fsprogs [debugfs]=e2fsprogs [sfdisk]=fdisk [xz]=xz-utils
    [unshare]=util-linux [python3]=python3 [dtc]=device-tree-compiler
    [fdtoverlay]=device-tree-compiler [flock]=util-linux
    # mmdebstrap only recommends it, and refuses a foreign architecture without it
    [arch-test]=arch-test
)
if [[ "${1:-}" == "test" ]]; then
    need[qemu-system-aarch64]=qemu-system-arm
fi
missing=()
for tool in "${!need[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("${need[$tool]}")
done
if ((${#missing[@]})); then
    [[ "$(id -u)" -eq 0 ]] || die "缺少软件包 ${missing[*]}，请以 root 运行或手动安装"
    command -v apt-get >/dev/null || die "缺少软件包 ${missing[*]}（需要 Debian/Ubuntu 构建机）"
    mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
    say "安装 ${packages[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
fi

# arm64 programs run through qemu-user: the binfmt entry must be registered and enabled
if [[ "$(uname -m)" != "aarch64" ]]; then
    binfmt=/proc/sys/fs/binfmt_misc
    if [[ ! -e "$binfmt/register" ]]; then
        mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
    fi
    if ! grep -qx enabled "$binfmt/qemu-aarch64" 2>/dev/null; then
        update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || update-binfmts --enable >/dev/null 2>&1 || true
    fi
    grep -qx enabled "$binfmt/qemu-aarch64" 2>/dev/null \
        || die "binfmt 未注册 qemu-aarch64（apt-get install qemu-user-static binfmt-support；容器需要 binfmt_misc）"
fi
say "构建工具齐全"
