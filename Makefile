# grouprev — build, test and demo.
#
#   make demo      install missing Debian packages (as root), build, and run
#                  the quarterly report on samples/ into out/demo/
#   make check     every test: unit (cmocka), end-to-end goldens, faults, the
#                  PDF read back, then again under AddressSanitizer + UBSan
#                  and under valgrind
#   make           build ./grouprev
#   make install PREFIX=/usr/local DESTDIR=
#   make valgrind  unit and end-to-end tests under valgrind
#   make regen     review and accept changed end-to-end goldens
#   make bench     the benchmark (docs/performance.md), the notes audit's
#                  speed and the receivables invariants on a million lines;
#                  make bench-notes the notes audit's part alone
#   make fuzz      bounded libFuzzer runs (docs/fuzzing.md)

PREFIX  ?= /usr/local
DESTDIR ?=
DATADIR  = $(PREFIX)/share/grouprev

CC      ?= gcc
PKGS     = gsl cairo pangocairo glib-2.0
# pkg-config may be missing before `make deps` has run; the flags are then
# resolved again when the recipe runs (deferred `=`).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) \
             -DGR_DATADIR='"$(DATADIR)"' -DGR_VERSION='"$(VERSION)"' -MMD -MP
LIBS     = -lcsv $(PKG_LIBS) -lm -lpthread
VERSION  = 0.1.0

# BUILD is the object folder; the sanitizer build uses its own.
BUILD   ?= build
# src/<layer>/*.c; the layers and their rule are in docs/design.md.
LAYERS   = core io model billing analysis render cmd
SRC      = $(filter-out src/cmd/main.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
OBJ      = $(SRC:src/%.c=$(BUILD)/obj/%.o)
HDR      = $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.h))
LIB      = $(BUILD)/libgrouprev.a
BIN      = $(BUILD)/grouprev
TESTSRC  = $(wildcard tests/unit/test_*.c)
TESTBIN  = $(TESTSRC:tests/unit/%.c=$(BUILD)/tests/%)

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all

SAN_ENV = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all deps demo check layers unit e2e asan valgrind regen install uninstall \
        clean bench bench-notes fuzz tools samples

all: grouprev

grouprev: $(BIN)
	@cp $(BIN) grouprev

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests $(BUILD)/tools:
	mkdir -p $@

$(LIB): $(OBJ)
	@rm -f $@
	@ar rcs $@ $(OBJ)

$(BIN): $(BUILD)/obj/cmd/main.o $(LIB)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/obj/cmd/main.o $(LIB) $(LIBS)

# One cmocka program per module: tests/unit/test_<module>.c.
$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	@echo "  TEST-LD $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(LIBS) $(TEST_LIBS)

# Tools: the sample/benchmark generator.
$(BUILD)/tools/gensample: tools/gensample.c tools/gensample_era.c tools/gensample_era.h tools/notetext.h $(LIB) | $(BUILD)/tools
	@echo "  CC      $<"
	@$(CC) -std=c11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Isrc -o $@ tools/gensample.c tools/gensample_era.c $(LIB) -lm

# x12dump: the 835 reader's segments, for the cross-check with X12::Parser.
$(BUILD)/tools/x12dump: tools/x12dump.c $(LIB) | $(BUILD)/tools
	@echo "  CC      $<"
	@$(CC) -std=c11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Isrc -o $@ $< $(LIB)

tools: $(BUILD)/tools/gensample $(BUILD)/tools/x12dump

-include $(OBJ:.o=.d) $(BUILD)/obj/cmd/main.d

# --- dependencies -----------------------------------------------------------
deps:
	@sh tools/deps.sh

# --- demo -------------------------------------------------------------------
demo: deps
	$(MAKE) grouprev
	./grouprev report samples/attendance.csv --plan samples/plan.csv --remit samples/remit \
	  --notes samples/notes.csv --out out/demo; \
	  st=$$?; [ $$st -le 1 ] || exit $$st
	./grouprev report samples/exports/demo-export.csv --map samples/maps/demo.ini \
	  --plan samples/plan.csv --out out/demo-export; st=$$?; [ $$st -le 1 ] || exit $$st
	@echo
	@echo "The demo report is out/demo/report.pdf; the tables are the CSV files beside it."
	@echo "The same practice read from its EHR export (docs/exports.md): out/demo-export/."

samples: tools
	$(BUILD)/tools/gensample --seed 20261 --out samples

# --- tests ------------------------------------------------------------------
# The layer rule (docs/design.md): no layer includes one above it.
layers:
	@sh tools/layers.sh

unit: $(TESTBIN) layers
	@sh tests/run-unit.sh $(TESTBIN)

e2e: grouprev $(BUILD)/tools/gensample $(BUILD)/tools/x12dump
	@sh tests/e2e/run.sh ./grouprev
	@sh tests/remit/crosscheck.sh $(BUILD)/tools/x12dump
	@sh tests/faults.sh ./grouprev
	@sh tests/harden.sh ./grouprev
	@sh tests/samples.sh $(BUILD)/tools/gensample
	@sh tests/exports.sh ./grouprev
	@sh tests/report.sh ./grouprev
	@sh tests/parallel.sh ./grouprev $(BUILD)/tools/gensample
	@sh tests/notes/accuracy.sh ./grouprev $(BUILD)/tools/gensample
	@sh tests/notes/privacy.sh ./grouprev $(BUILD)/tools/gensample
	@sh tests/receivables.sh ./grouprev $(BUILD)/tools/gensample

check: deps
	@rm -f build/check-tally; mkdir -p build
	CHECK_TALLY=$(CURDIR)/build/check-tally $(MAKE) unit e2e
	CHECK_TALLY=$(CURDIR)/build/check-tally $(MAKE) asan
	CHECK_TALLY=$(CURDIR)/build/check-tally $(MAKE) valgrind
	@echo "every suite passed: unit, end-to-end, faults, report, ASan+UBSan, valgrind"
	@awk '{ p += $$1; f += $$2 } END { printf "check: %d passed, %d failed\n", p, f }' build/check-tally

asan: $(BUILD)/tools/gensample
	$(MAKE) BUILD=build-asan CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	  build-asan/grouprev $(TESTBIN:$(BUILD)/%=build-asan/%)
	$(SAN_ENV) sh tests/run-unit.sh $(TESTBIN:$(BUILD)/%=build-asan/%)
	$(SAN_ENV) sh tests/e2e/run.sh build-asan/grouprev
	$(SAN_ENV) sh tests/faults.sh build-asan/grouprev
	$(SAN_ENV) sh tests/harden.sh build-asan/grouprev
	$(SAN_ENV) sh tests/report.sh build-asan/grouprev
	$(SAN_ENV) sh tests/exports.sh build-asan/grouprev
	$(SAN_ENV) sh tests/parallel.sh build-asan/grouprev $(BUILD)/tools/gensample
	$(SAN_ENV) sh tests/receivables.sh build-asan/grouprev $(BUILD)/tools/gensample

valgrind: $(TESTBIN) grouprev
	VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp --error-exitcode=99" \
	  sh tests/run-unit.sh $(TESTBIN)
	VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp --error-exitcode=99" \
	  sh tests/e2e/run.sh ./grouprev

# --- fuzzing (clang's libFuzzer; docs/fuzzing.md) -----------------------------
FUZZ_TARGETS = attendance values rates plan scanner x12 notes export settings
FUZZ_TIME   ?= 60
FUZZ_SRC     = $(filter-out src/cmd/%.c,$(SRC))
FUZZ_FLAGS   = -std=c11 -g -O1 -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(HDR)
	@mkdir -p build-fuzz
	clang $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRC) $(LIBS)

fuzz: $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus-$$t build-fuzz/crashes-$$t; \
	  echo "== fuzz_$$t for $(FUZZ_TIME) s"; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/crashes-$$t/ \
	    build-fuzz/corpus-$$t tests/fuzz/corpus/$$t 2>&1 | \
	    grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" || exit 1; \
	done

regen: grouprev
	@sh tests/e2e/run.sh ./grouprev --regen

# --- benchmark (docs/performance.md) ------------------------------------------
bench:
	sh bench/run.sh $(BENCH_LINES)
	sh bench/notes.sh
	sh bench/receivables.sh

# The notes audit alone: 100,000 notes of about 2 KB (docs/performance.md).
bench-notes:
	sh bench/notes.sh $(BENCH_NOTES)

# --- install ----------------------------------------------------------------
install: grouprev
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/rate-tables \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 grouprev $(DESTDIR)$(PREFIX)/bin/grouprev
	install -m 644 rate-tables/*.csv rate-tables/README.md $(DESTDIR)$(DATADIR)/rate-tables/
	install -m 644 rate-tables/note-elements.conf rate-tables/note-elements.md \
	  $(DESTDIR)$(DATADIR)/rate-tables/
	install -m 644 docs/grouprev.1 $(DESTDIR)$(PREFIX)/share/man/man1/grouprev.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/grouprev $(DESTDIR)$(PREFIX)/share/man/man1/grouprev.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz grouprev out
