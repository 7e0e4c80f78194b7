# 驿站 (yizhan): one command for every check. Every target bootstraps first (fast when done).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
YIZHAN := $(VENV)/bin/yizhan
PACKAGES := yizhan appliance hw hwservice sync tui

# The demo station keeps its database and receipts here.
YIZHAN_DATA_DIR ?= $(CURDIR)/var/demo
export YIZHAN_DATA_DIR

.PHONY: help bootstrap run test lint check bench docs clean distclean fuzz image image-test

help:
	@echo "make bootstrap  系统软件包、虚拟环境和依赖（可重复运行）"
	@echo "make run        演示站：迁移数据库、写入演示数据、启动服务器并打开工作台"
	@echo "make test       全部检查：ruff、格式、mypy、分层约定（lint-imports）和测试（与 CI 相同）"
	@echo "make lint       只做静态检查（不跑测试）"
	@echo "make check      同 make test"
	@echo "make bench      运行 bench/ 下的性能测试（每个输出一行 JSON）"
	@echo "make fuzz       长时间模糊测试：站点与县级中心的 OpenAPI（5000 例以上，约 15 分钟）"
	@echo "make docs       重新生成 docs/settings.md"
	@echo "make image      树莓派镜像 build/image/yizhan-*.img.xz（root，约 15 分钟；见 docs/deploy.md）"
	@echo "make image-test 构建镜像并在 qemu-system-aarch64 中启动检查（约 15–25 分钟，不在 make test 中）"
	@echo "make clean      删除缓存和演示数据；distclean 另删虚拟环境"

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	$(YIZHAN) db upgrade
	$(YIZHAN) demo seed
	$(YIZHAN) demo

# Every check, in the order that fails fastest; CI (.ci/run) runs exactly this.
test: bootstrap lint
	$(VENV)/bin/pytest -q

lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict $(PACKAGES)
	$(VENV)/bin/lint-imports

check: test

# The long fuzzing run: the gate of `make test` (tests/http/test_fuzz.py,
# tests/county/test_fuzz_county.py) with FUZZ_SCALE times the examples and the coverage
# phase everywhere; prints one JSON line per run and the totals.
FUZZ_SCALE ?= 8
fuzz: bootstrap
	@mkdir -p var; rm -f var/fuzz-report.jsonl
	YIZHAN_FUZZ_SCALE=$(FUZZ_SCALE) YIZHAN_FUZZ_REPORT=$(CURDIR)/var/fuzz-report.jsonl \
		$(VENV)/bin/pytest -q -p no:cacheprovider tests/http/test_fuzz.py tests/county/test_fuzz_county.py
	@cat var/fuzz-report.jsonl
	@$(PY) -c 'import json; runs = [json.loads(l) for l in open("var/fuzz-report.jsonl")]; \
		print(json.dumps({"runs": len(runs), "cases": sum(r["cases"] for r in runs), \
		"failures": sum(r["failures"] for r in runs), "seconds": round(sum(r["seconds"] for r in runs))}))'

# Every bench/*.py that is a script (has a __main__ block); each must end with a JSON line.
bench: bootstrap
	@set -euo pipefail; shopt -s nullglob; mkdir -p bench/out; \
	for f in bench/*.py; do \
		grep -q '__main__' "$$f" || continue; \
		name="$$(basename "$$f" .py)"; \
		echo "== $$f"; \
		$(PY) "$$f" | tee "bench/out/$$name.log"; \
		tail -n 1 "bench/out/$$name.log" | $(PY) -c 'import json, sys; json.loads(sys.stdin.read())' \
			|| { echo "$$f：最后一行不是 JSON" >&2; exit 1; }; \
	done

docs: bootstrap
	$(YIZHAN) settings-doc > docs/settings.md
	$(YIZHAN) county settings-doc > docs/county-settings.md
	YIZHAN_UPDATE_DOCS=1 $(VENV)/bin/pytest -q tests/http/test_pages_browser.py -k screenshots

# The Raspberry Pi image (image-build/build.sh: mmdebstrap trixie arm64, no loop mounts) and
# its boot test under QEMU; both need root and stay outside `make test`.
IMAGE_OUT ?= $(CURDIR)/build/image
image:
	bash image-build/build.sh $(IMAGE_OUT)

image-test: image
	bash image-build/host-tools.sh test
	python3 image-build/image_test.py $(IMAGE_OUT)/yizhan.img

clean:
	rm -rf var/demo build dist .pytest_cache .mypy_cache .ruff_cache bench/out snapshot_report.html
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
