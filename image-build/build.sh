#!/usr/bin/env bash
# 驿站 `make image`: a Debian trixie arm64 image for the Raspberry Pi (RASPIFIRM + ext4 root).
#
#   image-build/build.sh [OUT_DIR]      (as root; about 11 minutes for the rootfs on 2 CPUs)
#
# 0. the host's tools (host-tools.sh: mmdebstrap, qemu-user-static + binfmt, mkfs, mtools …);
# 1. the base root file system: mmdebstrap --arch=arm64 under qemu-user with the packages of
#    packages.txt, kept in OUT/work/base and reused while packages.txt is unchanged
#    (FRESH=1 rebuilds it);
# 2. the wheelhouse: aarch64 wheels of the project and its dependencies (wheelhouse.sh);
# 3. the station: a copy of the base made a 驿站 station by customize.sh (user, venv, units,
#    rootfs/ files) in a private mount namespace with /proc, /sys and /dev; kept in
#    OUT/work/rootfs (make image-test and debugging read it);
# 4. the image, with no loop device and no mount (assemble.sh): mkfs.vfat -C + mcopy,
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

# never delete a folder that still has something mounted inside (a killed chroot step)
wipe() {
    local path
    for path in "$@"; do
        [[ -e "$path" ]] || continue
        if findmnt -rn -o TARGET | grep -q -F "$(realpath "$path")/"; then
            die "$path 下仍有挂载点，请先卸载（findmnt | grep $path）"
        fi
        rm -rf "$path"
    done
}
say() { printf '[image] %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[image] 错误：%s\n' "$*" >&2; exit 1; }

[[ "$(id -u)" -eq 0 ]] || die "需要以 root 运行（mmdebstrap 的 root 模式与 mkfs.ext4 -d 保留文件属主）"
"$HERE/host-tools.sh"
mkdir -p "$OUT" "$WORK"
OUT="$(cd "$OUT" && pwd)"
WORK="$OUT/work"

packages="$(grep -v '^\s*#' "$HERE/packages.txt" | grep -v '^\s*$' | paste -sd, -)"
base="$WORK/base"
key="$SUITE $MIRROR $(sha256sum "$HERE/packages.txt" | cut -c1-16)"
if [[ -z "${FRESH:-}" && -f "$base.key" && "$(cat "$base.key")" == "$key" ]]; then
    say "1/4 基础系统：沿用 $base（packages.txt 未变；FRESH=1 重建）"
else
    say "1/4 基础系统：mmdebstrap $SUITE arm64（约 11 分钟）"
    wipe "$base" "$base.key" "$base.new"
    # The raspi-firmware kernel hook reads /etc/default/raspi-firmware when the kernel is
    # installed later in the same run, so cmdline.txt says root=LABEL=RASPIROOT; the package's
    # own copy of that conffile must not replace ours (force-confold, else dpkg would prompt;
    # --aptopt Dpkg::Options would clobber mmdebstrap's own dpkg wrapper options).
    # mmdebstrap expands "$1" (the rootfs) in each hook itself: single quotes on purpose.
    # shellcheck disable=SC2016
    mmdebstrap \
        --arch=arm64 \
        --variant=apt \
        --components=main,contrib,non-free-firmware \
        --dpkgopt=force-confdef --dpkgopt=force-confold \
        --include="$packages" \
        --essential-hook='mkdir -p "$1/etc/default" "$1/boot/firmware"' \
        --essential-hook='printf "ROOTPART=LABEL=RASPIROOT\nCONSOLES=\"ttyS1,115200 tty1\"\n" > "$1/etc/default/raspi-firmware"' \
        --customize-hook='rm -rf "$1/var/cache/apt/archives"/*.deb "$1/var/lib/apt/lists"/*' \
        "$SUITE" "$base.new" "$MIRROR"
    mv "$base.new" "$base"
    printf '%s\n' "$key" > "$base.key"
fi

say "2/4 wheelhouse（aarch64）"
"$HERE/wheelhouse.sh" "$OUT/wheelhouse"

say "3/4 驿站系统：customize.sh"
rootfs="$WORK/rootfs"
wipe "$rootfs"
cp -a "$base" "$rootfs"
# a private mount namespace: /proc, /sys and /dev for the chroot vanish with it
# shellcheck disable=SC2016  # the inner script's "$1" and "$@" are its own
unshare --mount --propagation private -- bash -euo pipefail -c '
    r="$1"; shift
    mount -t proc proc "$r/proc"
    mount -t sysfs sysfs "$r/sys"
    mount --rbind /dev "$r/dev"
    mount -t tmpfs tmpfs "$r/run"
    exec "$@"
' mounts "$rootfs" "$HERE/customize.sh" "$rootfs" "$REPO" "$OUT/wheelhouse"

say "4/4 镜像：$NAME.img"
"$HERE/assemble.sh" "$rootfs" "$OUT/$NAME.img"
ln -sf "$NAME.img" "$OUT/yizhan.img"
rm -f "$OUT/$NAME.img.xz"
nice -n 10 xz -T0 -6 --keep "$OUT/$NAME.img"
ln -sf "$NAME.img.xz" "$OUT/yizhan.img.xz"
say "完成：$OUT/$NAME.img.xz，$(du -h --apparent-size "$OUT/$NAME.img.xz" | cut -f1)（写卡：xzcat $NAME.img.xz | dd of=/dev/sdX bs=4M conv=fsync）"
