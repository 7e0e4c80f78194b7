#!/usr/bin/env bash
# Put a rootfs folder into a Raspberry Pi image, with no loop device and no mount:
#
#   assemble.sh ROOTFS IMAGE [BOOT_MB]
#
# ROOTFS/boot/firmware becomes the FAT32 partition labelled RASPIFIRM (mkfs.vfat -C, mcopy);
# the rest becomes the ext4 root labelled RASPIROOT (mkfs.ext4 -d). Both are written into a
# sparse file partitioned with sfdisk (MBR: the Pi's firmware reads the first FAT partition)
# with dd conv=notrunc,sparse. The root grows to fill the card on first boot
# (yizhan-growroot.service).
set -euo pipefail

ROOTFS="${1:?rootfs folder}"
IMAGE="${2:?image file}"
BOOT_MB="${3:-256}"
OFFSET_MB=4   # the first partition starts at 4 MiB (sector 8192), aligned for SD cards
EXTRA_MB="${EXTRA_MB:-300}"   # free room in the root before it grows

for tool in mkfs.vfat mcopy mkfs.ext4 sfdisk dd du; do
    command -v "$tool" >/dev/null || { echo "缺少 $tool" >&2; exit 1; }
done
[[ -d "$ROOTFS/boot/firmware" ]] || { echo "$ROOTFS/boot/firmware 不存在" >&2; exit 1; }
ROOTFS="$(realpath "$ROOTFS")"
IMAGE="$(realpath -m "$IMAGE")"

tmp="$(mktemp -d "${IMAGE}.parts.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# FAT boot partition: mkfs.vfat -C makes the file (size in KiB), mcopy fills it
mkfs.vfat -C -F 32 -n RASPIFIRM "$tmp/boot.vfat" $((BOOT_MB * 1024)) >/dev/null
if [[ -n "$(ls -A "$ROOTFS/boot/firmware")" ]]; then
    mcopy -s -p -m -i "$tmp/boot.vfat" "$ROOTFS/boot/firmware"/* ::/
fi

# ext4 root from the folder, without the boot files (that mount point stays, empty)
mkdir "$tmp/root"
# a hard-link copy (instant; a plain copy across file systems) keeps owners and modes
copy() { cp -a --link "$@" 2>/dev/null || cp -a "$@"; }
(cd "$ROOTFS" && for e in * .[!.]*; do [[ -e "$e" && "$e" != boot ]] && copy "$e" "$tmp/root/"; done; true)
mkdir -p "$tmp/root/boot"
(cd "$ROOTFS/boot" && for e in * .[!.]*; do [[ -e "$e" && "$e" != firmware ]] && copy "$e" "$tmp/root/boot/"; done; true)
install -d -m 0755 "$tmp/root/boot/firmware"
used_mb=$(( $(du -s -B1M "$tmp/root" | cut -f1) ))
root_mb=$(( used_mb + used_mb / 4 + EXTRA_MB ))
mkfs.ext4 -q -F -L RASPIROOT -d "$tmp/root" -E root_owner=0:0 "$tmp/root.ext4" "${root_mb}M"

# the image: a sparse file, an MBR with the two partitions, then the file systems
total_mb=$(( OFFSET_MB + BOOT_MB + root_mb ))
rm -f "$IMAGE"
truncate -s "${total_mb}M" "$IMAGE"
sfdisk --quiet --no-reread --no-tell-kernel "$IMAGE" <<SFDISK
label: dos
start=$(( OFFSET_MB * 2048 )), size=$(( BOOT_MB * 2048 )), type=c, bootable
start=$(( (OFFSET_MB + BOOT_MB) * 2048 )), size=$(( root_mb * 2048 )), type=83
SFDISK
dd if="$tmp/boot.vfat" of="$IMAGE" bs=1M seek="$OFFSET_MB" conv=notrunc,sparse status=none
dd if="$tmp/root.ext4" of="$IMAGE" bs=1M seek=$(( OFFSET_MB + BOOT_MB )) conv=notrunc,sparse status=none
echo "$IMAGE：启动分区 ${BOOT_MB} MiB（RASPIFIRM），根分区 ${root_mb} MiB（RASPIROOT）"
