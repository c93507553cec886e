# The interface between the loaders, dbt and the checks (README: `make run`, then `make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install run load build check docs site test clean converters eval chromium screenshots bench

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## everything: load data/reports, dbt build, checks, docs (safe to run twice)
run: install
	$(BIN)/jixiao run

load: install
	$(BIN)/jixiao load data/reports

build: install
	$(BIN)/jixiao build

## data-quality suites (GX) on the marts: findings table + offline Data Docs; fails only on integrity
check: install
	$(BIN)/jixiao check

docs: install
	$(BIN)/jixiao docs

## the offline site over the whole warehouse (site/ beside it): units, findings, documents, exports
site: install
	$(BIN)/jixiao site

## converters for .doc/.xls (Debian packages; tests skip with a reason only when they cannot be installed)
converters:
	@command -v soffice >/dev/null 2>&1 || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui) >/dev/null 2>&1 || echo "note: LibreOffice could not be installed; .doc/.xls tests will be skipped"; }

## headless Chromium for the docs/report browser tests and screenshots (Debian's chromium; a CJK font so
## Chinese renders); installed only when missing; tests skip with a reason when it cannot be installed
chromium:
	@command -v chromium >/dev/null 2>&1 || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || echo "note: chromium could not be installed; browser tests will be skipped"; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei) >/dev/null 2>&1 || echo "note: no CJK font; charts fall back to English labels"; }

## PNG screenshots of the docs site and one unit's report page into screenshots/ (after `make run`; UNIT=name to choose)
screenshots: install chromium
	$(BIN)/python -m jixiao.browser screenshots screenshots $(UNIT)
	$(BIN)/jixiao site && $(BIN)/python -m jixiao.browser site-screenshots site screenshots

## the whole test suite
test: install converters chromium
	$(BIN)/python -m pytest -q

clean:
	rm -rf target logs site warehouse.duckdb warehouse.duckdb.wal

## extraction recall on the dev corpus (issue 7); CORPUS=path to override
CORPUS ?= ../shared/dev_corpus
eval: install
	$(BIN)/jixiao eval $(CORPUS)

## benchmark on synthetic corpora (issue 6): load, dbt build, check, YoY query, DQ recall/precision, floors;
## BENCH_SIZES=100,1000 to choose sizes (default 100,1000,10000); figures in benchmarks/RESULTS.md
BENCH_SIZES ?= 100,1000,10000
bench: install
	BENCH_SIZES=$(BENCH_SIZES) $(BIN)/python benchmarks/bench.py
