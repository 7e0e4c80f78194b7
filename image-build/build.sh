#!/usr/bin/env bash
# 驿站 `make image`: a Debian trixie arm64 image for the Raspberry Pi (RASPIFIRM + ext4 root).
#
#   image-build/build.sh [OUT_DIR]      (as root; about 11 minutes for the rootfs on 2 CPUs)
#
# 1. the wheelhouse: aarch64 wheels of the project and its dependencies (wheelhouse.sh);
# 2. the root file system: mmdebstrap --arch=arm64 with qemu-user-static/binfmt, the packages
#    of packages.txt, then customize.sh (user, venv, units, rootfs/ files);
# 3. the image, with no loop device and no mount (assemble.sh): mkfs.vfat -C + mcopy,
#    mkfs.ext4 -d, sfdisk on a sparse file, dd conv=notrunc,sparse; then xz.
# See /work/shared/PITFALLS.md, "Raspberry Pi image".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="${1:-$REPO/build/image}"
SUITE="${SUITE:-trixie}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
STAMP="$(date -u +%Y%m%d)"
NAME="yizhan-$SUITE-arm64-$STAMP"
WORK="$OUT/work"

say() { printf '[image] %s\n' "$*"; }
die() { printf '[image] 错误：%s\n' "$*" >&2; exit 1; }

[[ "$(id -u)" -eq 0 ]] || die "需要以 root 运行（mmdebstrap 的 root 模式与 mkfs.ext4 -d 保留文件属主）"
for tool in mmdebstrap mkfs.vfat mcopy mkfs.ext4 sfdisk xz python3; do
    command -v "$tool" >/dev/null || die "缺少 $tool：apt-get install mmdebstrap dosfstools mtools e2fsprogs fdisk xz-utils qemu-user-static binfmt-support"
done
if [[ "$(uname -m)" != "aarch64" ]]; then
    [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] \
        || die "binfmt 未注册 qemu-aarch64：apt-get install qemu-user-static binfmt-support"
fi

mkdir -p "$OUT" "$WORK"
say "1/3 wheelhouse（aarch64）"
"$HERE/wheelhouse.sh" "$OUT/wheelhouse"

say "2/3 rootfs：mmdebstrap $SUITE arm64（约 11 分钟）"
packages="$(grep -v '^\s*#' "$HERE/packages.txt" | grep -v '^\s*$' | paste -sd, -)"
rootfs="$WORK/rootfs"
rm -rf "$rootfs"
# Essential hook: the raspi-firmware kernel hook reads ROOTPART when the kernel is installed
# later in the same run, so cmdline.txt on the boot partition says root=LABEL=RASPIROOT.
# mmdebstrap expands "$1" (the rootfs) in each hook itself: single quotes on purpose.
# shellcheck disable=SC2016
mmdebstrap \
    --arch=arm64 \
    --variant=apt \
    --components=main,contrib,non-free-firmware \
    --include="$packages" \
    --essential-hook='mkdir -p "$1/etc/default" "$1/boot/firmware"' \
    --essential-hook='printf "ROOTPART=LABEL=RASPIROOT\nCONSOLES=\"tty1 ttyS1,115200\"\n" > "$1/etc/default/raspi-firmware"' \
    --customize-hook="\"$HERE/customize.sh\" \"\$1\" \"$REPO\" \"$OUT/wheelhouse\"" \
    --customize-hook='rm -rf "$1/var/cache/apt/archives"/*.deb "$1/var/lib/apt/lists"/*' \
    "$SUITE" "$rootfs" "$MIRROR"

say "3/3 镜像：$NAME.img"
"$HERE/assemble.sh" "$rootfs" "$OUT/$NAME.img"
rm -f "$OUT/$NAME.img.xz"
xz -T0 -6 --keep "$OUT/$NAME.img"
ln -sf "$NAME.img" "$OUT/yizhan.img"
ln -sf "$NAME.img.xz" "$OUT/yizhan.img.xz"
say "完成：$OUT/$NAME.img.xz（写卡：xzcat $NAME.img.xz | dd of=/dev/sdX bs=4M conv=fsync）"
