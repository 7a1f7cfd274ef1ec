# Makefile: build xiangzhi, its tests and its tools.  "make help" lists targets.
include config.mk
sinclude Makefile.local

CFLAGS += $(OPT) $(SANITIZE) -std=c17 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wformat=2 \
	  -Wmissing-prototypes -Wstrict-prototypes -Wno-overlength-strings \
	  -MMD -MP -Isrc $(shell pkg-config --cflags $(PKGS))

# One line per module; adding a file is one visible line (kcgi).
OBJS = \
	src/base/buf.o src/base/arena.o src/base/log.o src/base/utf8.o \
	src/base/str.o src/base/timeutil.o src/base/jsonmem.o \
	src/html/html.o src/html/tmpl.o \
	src/http/form.o src/http/router.o src/http/server.o src/http/req.o \
	src/http/conntrack.o \
	src/db/db.o src/db/migrate.o src/db/sqltab.o \
	src/auth/password.o src/auth/secret.o src/auth/auth.o \
	src/auth/account.o src/auth/policy.o src/auth/role.o \
	src/auth/account_web.o src/auth/auth_web.o \
	src/audit/audit.o src/audit/audit_web.o \
	src/org/org_db.o src/org/org_web.o src/org/person_web.o \
	src/org/validate.o src/org/import.o \
	src/matter/matter.o src/matter/matter_db.o src/matter/matter_web.o \
	src/matter/calendar.o src/matter/calendar_cn.o src/matter/attach.o \
	src/matter/calendar_db.o src/matter/calendar_web.o \
	src/petition/petition.o src/petition/petition_web.o \
	src/petition/roster.o src/petition/roster_db.o src/petition/roster_web.o \
	src/petition/weekly_db.o src/petition/weekly_web.o \
	src/visit/visit.o src/visit/visit_db.o src/visit/visit_web.o \
	src/enterprise/enterprise.o src/enterprise/enterprise_db.o \
	src/enterprise/enterprise_types.o src/enterprise/enterprise_import.o \
	src/enterprise/enterprise_web.o src/enterprise/enterprise_rating.o \
	src/community/community.o src/community/community_db.o \
	src/community/community_web.o \
	src/rating/rating.o src/rating/rating_db.o src/rating/rating_web.o \
	src/rating/qr.o \
	src/window/window.o src/window/window_db.o src/window/window_web.o \
	src/report/xlsx.o src/db/fts_cjk.o \
	src/web/app.o src/web/routes.o src/web/input.o src/web/view.o \
	src/web/options.o src/web/pagecache.o src/web/download.o \
	src/web/static.o src/web/metrics.o src/web/home.o src/web/settings.o \
	src/cli/serve.o src/cli/init.o src/cli/demo.o src/cli/demo_ledger.o \
	src/cli/demo_enterprise.o \
	src/cli/demo_community.o \
	src/cli/demo_window.o \
	src/cli/user.o \
	src/cli/backup.o src/cli/seal.o src/cli/offsite.o \
	src/cli/drill.o src/cli/audit.o src/cli/import.o src/cli/config.o \
	src/gen/embedded.o

UNIT = tests/unit/test-buf tests/unit/test-arena tests/unit/test-time \
	tests/unit/test-html tests/unit/test-tmpl tests/unit/test-form \
	tests/unit/test-router tests/unit/test-password tests/unit/test-audit \
	tests/unit/test-validate tests/unit/test-templates tests/unit/test-db \
	tests/unit/test-import tests/unit/test-pagecache \
	tests/unit/test-calendar tests/unit/test-fts tests/unit/test-attach \
	tests/unit/test-xlsx tests/unit/test-roster tests/unit/test-matter \
	tests/unit/test-weekly tests/unit/test-visit tests/unit/test-plans \
	tests/unit/test-log tests/unit/test-enterprise tests/unit/test-rating \
	tests/unit/test-seal tests/unit/test-community tests/unit/test-server

EMBED = sql/sqlite/*.sql src/*/*.tmpl static/* src/auth/blocklist.txt

all: xiangzhi

LDFLAGS += $(SANITIZE)

xiangzhi: src/main.o libxz.a
	$(CC) $(LDFLAGS) -o $@ src/main.o libxz.a $(LDLIBS)

libxz.a: $(OBJS)
	rm -f $@
	ar rcs $@ $(OBJS)

tools/embed: tools/embed.c
	$(CC) -std=c17 -O2 -Wall -Wextra -o $@ tools/embed.c -lz

src/gen/embedded.c: tools/embed $(wildcard $(EMBED))
	@mkdir -p src/gen
	tools/embed $(sort $(wildcard $(EMBED))) > $@.tmp && mv $@.tmp $@

tests/unit/%: tests/unit/%.c libxz.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< libxz.a $(LDLIBS) $(CRITERION_LIBS)

# The county-sized ledger for bench/ledger; never built by "make test".
bench/gen-ledger: bench/gen-ledger.c libxz.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< libxz.a $(LDLIBS)

run: 
	scripts/install-deps build
	$(MAKE) xiangzhi
	./xiangzhi init --db xiangzhi.db
	./xiangzhi demo --db xiangzhi.db
	./xiangzhi serve --db xiangzhi.db --listen 127.0.0.1:8080

test:
	scripts/install-deps test
	$(MAKE) xiangzhi $(UNIT)
	$(MAKE) lint
	tests/run-unit $(UNIT)
	node --test --test-concurrency=2 tests/http/
	node --test --test-concurrency=1 tests/e2e/
	$(MAKE) fuzz-regress

unit: xiangzhi $(UNIT)
	tests/run-unit $(UNIT)

http: xiangzhi
	node --test --test-concurrency=2 tests/http/

e2e: xiangzhi
	node --test --test-concurrency=1 tests/e2e/

# The sanitizer build lives in build/asan, a copy of the tree, so it never
# mixes its objects with the normal build.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
asan:
	scripts/install-deps test
	rm -rf build/asan && mkdir -p build/asan
	cp -r Makefile config.mk src sql static tools tests scripts package.json \
	    build/asan/
	ln -s ../../node_modules build/asan/node_modules
	$(MAKE) -C build/asan clean
	$(MAKE) -C build/asan OPT="-O1 -g" \
	    SANITIZE="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	    xiangzhi $(UNIT)
	cd build/asan && $(ASAN_ENV) tests/run-unit $(UNIT)
	cd build/asan && $(ASAN_ENV) XIANGZHI_TEST_ASAN=1 \
	    node --test --test-concurrency=1 tests/http/

# libFuzzer targets (tests/fuzz/fuzz-*.c), built with clang under ASan and
# UBSan from a copy of the tree in build/fuzz/tree.  "make fuzz SECONDS=N"
# runs each for N seconds; "make fuzz-regress" replays every regression and
# corpus file through every target, then fuzzes each for 4 seconds (with the
# replay, under a minute: the CI budget).
FUZZ = form fts url router tmpl json csv request
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
SECONDS ?= 60
fuzz-build: fuzz-lib
	$(MAKE) $(FUZZ:%=build/fuzz/fuzz-%)

fuzz-lib:
	scripts/install-deps test
	mkdir -p build/fuzz/tree
	tar -cf - --exclude='*.[oad]' --exclude=src/gen --exclude=tools/embed \
	    Makefile config.mk src sql static tools | tar -xf - -C build/fuzz/tree
	$(MAKE) -C build/fuzz/tree CC=clang OPT="-O1 -g" \
	    SANITIZE="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    CPPFLAGS="-D_GNU_SOURCE -w" libxz.a

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c build/fuzz/tree/libxz.a
	clang -std=c17 -O1 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc \
	    $(shell pkg-config --cflags $(PKGS)) -fsanitize=fuzzer $(FUZZ_SAN) \
	    -o $@ $< build/fuzz/tree/libxz.a $(LDLIBS)

fuzz: fuzz-build
	tests/fuzz/run $(SECONDS) $(FUZZ)

fuzz-regress: fuzz-build
	tests/fuzz/run regress $(FUZZ)
	FUZZ_SCRATCH=1 tests/fuzz/run 4 $(FUZZ)

bench: xiangzhi
	scripts/install-deps bench
	bench/run
	bench/ledger

# The county ledger alone (bench/ledger --regen makes its databases again).
bench-ledger: xiangzhi bench/gen-ledger
	scripts/install-deps bench
	bench/ledger

# The long proof: every suite in its long form (XIANGZHI_PROOF=1), a fuzzing
# campaign of FUZZ_SECONDS per target, then docs/proof.md from the results.
proof:
	scripts/install-deps test
	$(MAKE) xiangzhi $(UNIT)
	UNIT="$(UNIT)" tests/proof/run

lint:
	@tools/lint

clean:
	rm -rf build
	rm -f xiangzhi libxz.a src/main.o src/main.d $(OBJS) $(OBJS:.o=.d) \
	    $(UNIT) tools/embed src/gen/embedded.c tests/unit/*.d \
	    bench/gen-ledger bench/gen-ledger.d

help:
	@echo "make            build ./xiangzhi"
	@echo "make run        install, build, create the demo township, serve :8080"
	@echo "make test       install test tools and run every suite (CI)"
	@echo "make unit|http|e2e   one suite"
	@echo "make asan       unit and HTTP suites under ASan and UBSan"
	@echo "make bench      benchmarks (writes figures to stdout)"
	@echo "make bench-ledger   the county-sized ledger benchmark only"
	@echo "make proof      the long proof (crash loops, soak, fuzzing): docs/proof.md"
	@echo "make lint       banned calls and layer violations"
	@echo "make fuzz [SECONDS=N]   every libFuzzer target for N s (default 60)"
	@echo "make fuzz-regress   replay crash and corpus files, fuzz 4 s each"

-include $(OBJS:.o=.d) src/main.d
.PHONY: all run test unit http e2e asan bench bench-ledger proof lint clean help \
	fuzz fuzz-build fuzz-lib fuzz-regress
