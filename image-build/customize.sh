#!/usr/bin/env bash
# mmdebstrap customize hook: make the bare trixie rootfs a 驿站 station.
#
#   customize.sh ROOTFS REPO WHEELHOUSE      (called by build.sh; runs on the host)
set -euo pipefail

ROOT="${1:?rootfs}"
REPO="${2:?repository}"
WH="${3:?wheelhouse}"
UID_YIZHAN=900  # fixed: yizhan-display.service names /run/user/900
in_root() { chroot "$ROOT" "$@"; }

# files shipped as they are (sway kiosk, foot, fcitx5, journald, watchdog, growroot, udev)
cp -a "$REPO/image-build/rootfs/." "$ROOT/"

# the service user: home is the data directory, so fcitx5 keeps its config there
in_root groupadd --system --force gpio
in_root useradd --system --uid "$UID_YIZHAN" --user-group --home-dir /var/lib/yizhan \
    --shell /usr/sbin/nologin \
    --groups gpio,dialout,lpadmin,lp,audio,video,input,render yizhan
install -d -m 0750 -o "$UID_YIZHAN" -g "$UID_YIZHAN" "$ROOT/var/lib/yizhan"
install -d -m 0755 -o "$UID_YIZHAN" -g "$UID_YIZHAN" \
    "$ROOT/var/lib/yizhan/.config" "$ROOT/var/lib/yizhan/.config/fcitx5"
install -m 0644 -o "$UID_YIZHAN" -g "$UID_YIZHAN" \
    "$ROOT/etc/yizhan/fcitx5/profile" "$ROOT/etc/yizhan/fcitx5/config" \
    "$ROOT/var/lib/yizhan/.config/fcitx5/"

# the project: a venv from the wheelhouse only (no compiler, no network)
mkdir -p "$ROOT/opt/yizhan" "$ROOT/tmp/wheelhouse"
cp "$WH"/*.whl "$ROOT/tmp/wheelhouse/"
in_root python3 -m venv /opt/yizhan/.venv
in_root /opt/yizhan/.venv/bin/pip install --no-index --find-links /tmp/wheelhouse \
    --no-compile yizhan rpi-lgpio lgpio
in_root /opt/yizhan/.venv/bin/python -m compileall -q /opt/yizhan/.venv/lib
rm -rf "$ROOT/tmp/wheelhouse"
cp -r "$REPO/docs" "$ROOT/opt/yizhan/docs"

# settings are written by yizhan provision on first boot; the folder exists now
install -d -m 0755 "$ROOT/etc/yizhan"

# locale, time zone, host name, file systems
echo "zh_CN.UTF-8 UTF-8" > "$ROOT/etc/locale.gen"
in_root locale-gen
echo "LANG=zh_CN.UTF-8" > "$ROOT/etc/default/locale"
ln -sf /usr/share/zoneinfo/Asia/Shanghai "$ROOT/etc/localtime"
echo "Asia/Shanghai" > "$ROOT/etc/timezone"
echo yizhan > "$ROOT/etc/hostname"
cat > "$ROOT/etc/fstab" <<'FSTAB'
LABEL=RASPIROOT  /              ext4  rw,noatime,commit=60,errors=remount-ro  0 1
LABEL=RASPIFIRM  /boot/firmware vfat  rw,noatime,umask=0077                   0 2
FSTAB

# units: ours on, the modem grabber off (it takes the GSM modem's port)
cp "$REPO"/systemd/*.service "$REPO"/systemd/*.timer "$ROOT/etc/systemd/system/"
systemctl --root="$ROOT" enable yizhan-growroot.service yizhan-provision.service \
    yizhan-server.service yizhan-hw.service yizhan-sync.service yizhan-tui.service \
    yizhan-display.service yizhan-backup.timer fake-hwclock.service
systemctl --root="$ROOT" set-default graphical.target
if [[ -e "$ROOT/lib/systemd/system/ModemManager.service" || -e "$ROOT/usr/lib/systemd/system/ModemManager.service" ]]; then
    systemctl --root="$ROOT" mask ModemManager.service
fi
systemctl --root="$ROOT" mask getty@tty1.service

# the kernel and initrd onto the boot partition (raspi-firmware's hook, re-run now that
# /etc/default/raspi-firmware and every package are in place)
kver="$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
in_root /etc/kernel/postinst.d/z50-raspi-firmware "$kver"
[[ -e "$ROOT/boot/firmware/cmdline.txt" ]] || { echo "raspi-firmware 未写入 cmdline.txt" >&2; exit 1; }

# no build tools in the image
for tool in gcc cc make; do
    if in_root sh -c "command -v $tool" >/dev/null 2>&1; then
        echo "镜像中不应有编译工具：$tool" >&2
        exit 1
    fi
done
# shellcheck disable=SC2016  # ${Package} is dpkg-query's, not the shell's
if in_root dpkg-query -W -f '${Package}\n' | grep -E -- '-dev$' >/dev/null; then
    echo "镜像中不应有 -dev 软件包" >&2
    exit 1
fi
