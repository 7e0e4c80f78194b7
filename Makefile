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

.PHONY: help bootstrap run test lint check bench docs clean distclean

help:
	@echo "make bootstrap  系统软件包、虚拟环境和依赖（可重复运行）"
	@echo "make run        演示站：迁移数据库、写入演示数据、启动服务器并打开工作台"
	@echo "make test       全部检查：ruff、格式、mypy、分层约定（lint-imports）和测试（与 CI 相同）"
	@echo "make lint       只做静态检查（不跑测试）"
	@echo "make check      同 make test"
	@echo "make bench      运行 bench/ 下的性能测试（每个输出一行 JSON）"
	@echo "make docs       重新生成 docs/settings.md"
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

clean:
	rm -rf var/demo build dist .pytest_cache .mypy_cache .ruff_cache bench/out snapshot_report.html
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
