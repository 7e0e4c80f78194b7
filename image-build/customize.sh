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

# files shipped as they are (sway kiosk, foot, fcitx5, journald, watchdog, growroot, udev,
# the raspi-firmware settings); owned by root whoever checked the repository out
cp -a --no-preserve=ownership "$REPO/image-build/rootfs/." "$ROOT/"

# the service user: home is the data directory, so fcitx5 keeps its config there
in_root groupadd --system --force gpio
in_root groupadd --system --gid "$UID_YIZHAN" yizhan
in_root useradd --system --uid "$UID_YIZHAN" --gid yizhan --home-dir /var/lib/yizhan \
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
# --system-site-packages: pycups is Debian's python3-cups (no aarch64 wheel on PyPI)
in_root python3 -m venv --system-site-packages /opt/yizhan/.venv
# every wheel of the wheelhouse (wheelhouse.sh resolved them for this project), without a
# second resolution: pycups is satisfied by python3-cups, lgpio only when it was built
if ! ls "$WH"/lgpio-*aarch64*.whl >/dev/null 2>&1; then
    echo "警告：wheelhouse 中没有 lgpio：镜像中的 GPIO（叫号按钮、蜂鸣器、评价器）不能工作" >&2
fi
in_root sh -c '/opt/yizhan/.venv/bin/pip install --no-index --no-deps --no-compile /tmp/wheelhouse/*.whl'
# byte-compiled here, once: the services see /opt read-only (ProtectSystem=strict), so without
# .pyc files every start compiled some 2,000 modules again (about 2.3 times the import time;
# under emulation most of the server's 49 s start after a power cut)
in_root /opt/yizhan/.venv/bin/python -m compileall -q -j 0 /opt/yizhan/.venv/lib >/dev/null \
    || echo "警告：有 Python 文件不能预编译（见上）" >&2
uncompiled=$(in_root /opt/yizhan/.venv/bin/python - <<'PY'
import importlib.util, pathlib, sysconfig
site = pathlib.Path(sysconfig.get_paths()["purelib"])
ours = ("appliance", "hw", "hwservice", "sync", "tui", "yizhan", "litestar", "sqlalchemy", "textual")
print(sum(1 for name in ours for py in (site / name).rglob("*.py")
          if not pathlib.Path(importlib.util.cache_from_source(str(py))).exists()))
PY
)
if [[ "$uncompiled" != 0 ]]; then
    echo "镜像中有 $uncompiled 个驿站或其框架的模块未预编译（每次启动都要重新编译）" >&2
    exit 1
fi
in_root /opt/yizhan/.venv/bin/pip check || echo "警告：pip check 报告了缺少的依赖（见上）" >&2
in_root /opt/yizhan/.venv/bin/python -c 'import cups, appliance.http.app, yizhan.cli, hwservice.main, tui.app' \
    || echo "警告：镜像中的 venv 不能导入驿站的模块（见上）" >&2
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
printf '127.0.0.1\tlocalhost\n127.0.1.1\tyizhan\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
    > "$ROOT/etc/hosts"
# nothing of the build host's: NetworkManager writes resolv.conf, systemd makes the machine id
# on first boot, and dpkg forgets the build's conffile answers
rm -f "$ROOT/etc/resolv.conf" "$ROOT/var/lib/dbus/machine-id" "$ROOT"/etc/dpkg/dpkg.cfg.d/*mmdebstrap*
printf 'uninitialized\n' > "$ROOT/etc/machine-id"
cat > "$ROOT/etc/fstab" <<'FSTAB'
LABEL=RASPIROOT  /              ext4  rw,noatime,commit=60,errors=remount-ro  0 1
LABEL=RASPIFIRM  /boot/firmware vfat  rw,noatime,umask=0077                   0 2
FSTAB

# units: ours on, the modem grabber off (it takes the GSM modem's port)
cp "$REPO"/systemd/*.service "$REPO"/systemd/*.timer "$ROOT/etc/systemd/system/"
systemctl --root="$ROOT" enable yizhan-growroot.service yizhan-provision.service \
    yizhan-server.service yizhan-hw.service yizhan-sync.service yizhan-tui.service \
    yizhan-display.service yizhan-backup.timer yizhan-tui-watch.timer yizhan-zram.service
# fake-hwclock: trixie enables its own fake-hwclock-load.service, but not -save.timer (and masks
# the old fake-hwclock.service: enabling that one fails). The timer saves every minute here
# (rootfs/etc/systemd/system/fake-hwclock-save.timer.d), so a power cut leaves the clock within
# the clock guard's tolerance of the newest record and the station serves again by itself.
systemctl --root="$ROOT" enable fake-hwclock-save.timer
# an appliance does not upgrade itself: no apt timers waking the network and the SD card
systemctl --root="$ROOT" mask apt-daily.timer apt-daily-upgrade.timer
for unit in systemd-timesyncd.service NetworkManager.service; do
    if [[ -e "$ROOT/usr/lib/systemd/system/$unit" || -e "$ROOT/lib/systemd/system/$unit" ]]; then
        systemctl --root="$ROOT" enable "$unit"
    fi
done
systemctl --root="$ROOT" set-default graphical.target
# masked even though it is not installed: a later `apt install` must not start it either
systemctl --root="$ROOT" mask ModemManager.service
systemctl --root="$ROOT" mask getty@tty1.service

# the optional DS3231 clock: our overlay beside Debian's (raspi-firmware copies
# /usr/lib/raspi-firmware to the boot partition on every upgrade), checked against every Pi
# device tree of the Pi 3, Zero 2 W and Pi 4 families; enabled by a line in config.txt (docs/deploy.md)
overlays="$ROOT/usr/lib/raspi-firmware/overlays"
mkdir -p "$overlays" "$ROOT/boot/firmware/overlays"
dtc -q -@ -I dts -O dtb -o "$overlays/yizhan-ds3231.dtbo" "$REPO/image-build/overlays/yizhan-ds3231.dts"
cp "$overlays/yizhan-ds3231.dtbo" "$ROOT/boot/firmware/overlays/"

# the kernel, initrd, device trees, config.txt and cmdline.txt onto the boot partition:
# raspi-firmware's hook, re-run now that /etc/default/raspi-firmware(-custom) and every
# package are in place (it does nothing unless DEB_MAINT_PARAMS says configure)
# The last console gets the boot messages and /dev/console, where yizhan-provision prints its
# lines for the technician: the screen (tty1), with the serial port before it.
sed -i -e '/^ROOTPART=/d' -e '/^CONSOLES=/d' "$ROOT/etc/default/raspi-firmware"
printf 'ROOTPART=LABEL=RASPIROOT\nCONSOLES="ttyS1,115200 tty1"\n' >> "$ROOT/etc/default/raspi-firmware"
in_root env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware
cmdline="$ROOT/boot/firmware/cmdline.txt"
grep -q 'root=LABEL=RASPIROOT' "$cmdline" 2>/dev/null \
    || { echo "raspi-firmware 未写入 root=LABEL=RASPIROOT 的 cmdline.txt" >&2; exit 1; }
for dtb in "$ROOT"/boot/firmware/bcm2711-rpi-*.dtb "$ROOT"/boot/firmware/bcm2837-rpi-*.dtb; do
    [[ -e "$dtb" ]] || { echo "启动分区上没有树莓派的设备树" >&2; exit 1; }
    fdtoverlay -i "$dtb" -o /dev/null "$overlays/yizhan-ds3231.dtbo" \
        || { echo "DS3231 设备树叠加层不适用于 $(basename "$dtb")" >&2; exit 1; }
done

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
