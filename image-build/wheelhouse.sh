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

# the project itself: pure Python, built on the host
rm -f "$WH"/yizhan-*.whl
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
    if name not in {"pycups", "lgpio"}:
        print(dep)
PY
python3 -m pip download --dest "$WH" --only-binary=:all: \
    --platform manylinux_2_17_aarch64 --platform manylinux2014_aarch64 \
    --platform manylinux_2_28_aarch64 --platform linux_aarch64 --platform any \
    --python-version "$PY" --implementation cp \
    -r "$reqs" >/dev/null
say "PyPI 的 aarch64 wheel 已下载"

# pycups and lgpio: built once under qemu, then cached
if ls "$WH"/pycups-*aarch64*.whl "$WH"/lgpio-*aarch64*.whl >/dev/null 2>&1; then
    say "pycups、lgpio 使用缓存"
    exit 0
fi
say "在 arm64 chroot 中编译 pycups 和 lgpio（一次）"
# pip inside the chroot needs the host's CA bundle (PITFALLS): copied in to /tmp. PYPI=1 makes
# lgpio's setup build its C library into the wheel. mmdebstrap expands "$1" in the hooks.
# shellcheck disable=SC2016
mmdebstrap --arch=arm64 --variant=apt \
    --include=python3-venv,python3-dev,gcc,libc6-dev,libcups2-dev,swig,ca-certificates \
    --customize-hook='copy-in /etc/ssl/certs/ca-certificates.crt /tmp' \
    --customize-hook='chroot "$1" sh -c "python3 -m venv /tmp/v && PIP_CERT=/tmp/ca-certificates.crt PYPI=1 /tmp/v/bin/pip wheel --no-deps --wheel-dir /tmp/wh pycups \"lgpio>=0.2.2\""' \
    --customize-hook="copy-out /tmp/wh \"$WH/.built\"" \
    "$SUITE" /dev/null "$MIRROR"
mv "$WH"/.built/wh/*.whl "$WH"/
rm -rf "$WH/.built"
say "pycups、lgpio 已编译并缓存"
