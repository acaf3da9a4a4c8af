# SPDX-License-Identifier: Apache-2.0
# A thin wrapper over Meson + Ninja and the test runners. The two commands:
#   make demo   install what is missing, build, load a real district, serve :8080
#   make test   build with ASan + UBSan and run every test (unit, end-to-end on SQLite and on
#               PostgreSQL, browser)
BUILD := build
ASAN  := build-asan

.PHONY: all build web demo test test-unit test-api test-api-pg test-web test-fuzz fuzz bootstrap bench clean

all: build web

build: $(BUILD)/build.ninja
	@ninja -C $(BUILD)

$(BUILD)/build.ninja:
	@meson setup $(BUILD) --buildtype=debugoptimized >/dev/null

$(ASAN)/build.ninja:
	@meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

# The web UI, when there is one (see web/).
web:
	@if [ -f package.json ] && [ -d web ]; then scripts/build-web; fi

bootstrap:
	@scripts/bootstrap

demo: bootstrap all
	@scripts/demo

# The optimised build too: it is what `make demo` runs, and -O2 finds warnings -O0 does not.
test: bootstrap $(ASAN)/build.ninja web build
	@ninja -C $(ASAN)
	@$(MAKE) --no-print-directory test-unit test-api test-api-pg test-web test-fuzz
	@$(MAKE) --no-print-directory test-ha

test-unit:
	meson test -C $(ASAN) --print-errorlogs

test-api:
	GRIDGOV_BIN=$(ASAN)/gridgov node --test --test-concurrency=2 tests/api/

# The same API suite on PostgreSQL 15 (a private cluster, docs/postgres.md).
test-api-pg:
	@d=$$(mktemp -d /tmp/gg-pg-api.XXXXXX) && scripts/pg-temp start $$d >/dev/null && \
	GRIDGOV_PG_DIR=$$d GRIDGOV_TEST_DB=pg GRIDGOV_BIN=$(ASAN)/gridgov \
		node --test --test-concurrency=2 tests/api/; rc=$$?; scripts/pg-temp stop $$d; exit $$rc

# Failover under Patroni (three PostgreSQL nodes, one etcd, private ports; tests/ha/).
.PHONY: test-ha
test-ha:
	GRIDGOV_BIN=$(ASAN)/gridgov node --test --test-concurrency=1 --test-timeout=300000 tests/ha/

test-web:
	@if [ -d tests/web ] && ls tests/web/*.test.mjs >/dev/null 2>&1; then \
		GRIDGOV_BIN=$(ASAN)/gridgov node --test --test-concurrency=1 tests/web/; fi

# Short libFuzzer runs over the parsers (needs clang; skipped without it); `make fuzz` is longer.
test-fuzz:
	@scripts/fuzz 5

fuzz:
	@scripts/fuzz 60

bench: bootstrap build
	@scripts/bench

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz web/dist
