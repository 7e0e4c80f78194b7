#!/usr/bin/env bash
# aarch64 wheels for the image's venv (Python 3.13, trixie), kept between builds.
#
#   image-build/wheelhouse.sh WHEELHOUSE
#
# Wheels from PyPI are downloaded for manylinux aarch64 on the host. pycups and lgpio have no
# aarch64 wheel for Python 3.13: they are built once in a throwaway arm64 chroot (under
# qemu-user) with gcc, swig and the -dev packages, so no build tool reaches the image, and
# cached in the wheelhouse (a second build reuses them).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
WH="${1:?wheelhouse folder}"
PY="${PYTHON_VERSION:-3.13}"
SUITE="${SUITE:-trixie}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$WH"
WH="$(cd "$WH" && pwd)"

say() { printf '[wheelhouse] %s\n' "$*"; }

# the project itself: pure Python, built on the host (setuptools' build/lib would keep files
# deleted since the last build: removed first)
rm -f "$WH"/yizhan-*.whl
rm -rf "$REPO/build/lib" "$REPO"/build/bdist.*
python3 -m pip wheel --no-deps --wheel-dir "$WH" "$REPO" >/dev/null
say "项目 wheel 已生成"

# every dependency, as binary wheels for aarch64 (pycups and lgpio come from the chroot)
reqs="$(mktemp)"
trap 'rm -f "$reqs"' EXIT
python3 - "$REPO/pyproject.toml" > "$reqs" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
for dep in project["dependencies"] + project["optional-dependencies"]["pi"]:
    name = dep.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
    if name not in {"pycups", "lgpio", "rpi-lgpio"}:  # pycups: Debian's python3-cups
        print(dep)
PY
python3 -m pip download --dest "$WH" --only-binary=:all: \
    --platform manylinux_2_17_aarch64 --platform manylinux2014_aarch64 \
    --platform manylinux_2_28_aarch64 --platform linux_aarch64 --platform any \
    --python-version "$PY" --implementation cp \
    -r "$reqs" >/dev/null
# rpi-lgpio is pure Python; its one dependency, lgpio, comes from the chroot below (PyPI has
# only an old 0.0.0.2 stub as a wheel, which would break the resolver)
python3 -m pip download --dest "$WH" --only-binary=:all: --no-deps "rpi-lgpio>=0.6" >/dev/null
say "PyPI 的 aarch64 wheel 已下载"

# lgpio: built once under qemu, then cached. pycups is not built: the image takes Debian's
# python3-cups (packages.txt), seen by the venv through --system-site-packages.
if ls "$WH"/lgpio-*aarch64*.whl >/dev/null 2>&1; then
    say "lgpio 使用缓存"
    exit 0
fi
if [[ -n "${SKIP_LGPIO:-}" ]]; then
    say "警告：SKIP_LGPIO=1，未编译 lgpio：镜像中的叫号按钮、蜂鸣器和评价器（GPIO）不能工作"
    exit 0
fi
# one lgpio build at a time (a second waits, then uses the cache)
exec 9>"$WH/.lgpio.lock"
flock 9
if ls "$WH"/lgpio-*aarch64*.whl >/dev/null 2>&1; then
    say "lgpio 使用缓存"
    exit 0
fi
say "在 arm64 chroot 中编译 lgpio（一次）"
rm -rf "$WH/.built"
mkdir -p "$WH/.built"
# pip inside the chroot must trust what the host trusts (PITFALLS: PIP_CERT; pip >= 24.2 also
# reads the system store through truststore), so the host's CA bundle replaces the throwaway
# chroot's own. PYPI=1 makes lgpio's setup build its C library into the wheel.
# mmdebstrap expands "$1" in the hooks.
# shellcheck disable=SC2016
mmdebstrap --arch=arm64 --variant=apt \
    --include=python3-venv,python3-dev,gcc,make,libc6-dev,swig,ca-certificates \
    --customize-hook='copy-in /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs' \
    --customize-hook='chroot "$1" sh -c "python3 -m venv /tmp/v && SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt PYPI=1 /tmp/v/bin/pip wheel --no-deps --wheel-dir /tmp/wh \"lgpio>=0.2.2\""' \
    --customize-hook="copy-out /tmp/wh \"$WH/.built\"" \
    "$SUITE" /dev/null "$MIRROR"
mv "$WH"/.built/wh/*.whl "$WH"/
rm -rf "$WH/.built"
say "lgpio 已编译并缓存"
