## make fuzz: libFuzzer on the language front end (included by
## Makefile.am).  Not part of make check: it needs clang and its libFuzzer
## runtime (Debian: clang libclang-rt-14-dev), and it runs for a while.
##
##   make fuzz                      60 seconds
##   make fuzz FUZZ_SECONDS=600     longer
##   make fuzz FUZZ_FLAGS='-jobs=2' anything else for libFuzzer
##
## The harness, tests/fuzz-forms.c, is built with clang straight from the
## sources of libtvlcore, libtvlengine and libtvlbase (libtool and the configured compiler and
## sanitizer flags are gcc's, and libFuzzer needs clang's
## instrumentation everywhere).  The corpus grows in tests/fuzz-corpus,
## seeded from the Scheme tests and the examples; a crash, leak or UBSan
## report stops the run and leaves its input in tests/fuzz-artifacts.

FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_FLAGS =
FUZZ_CFLAGS = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
## -Wl,--wrap=ffi_prepare: externs reach the harness's refusal instead of
## dlopen, so that fuzzed input never calls an arbitrary C function.
FUZZ_LIBS = -Wl,--wrap=ffi_prepare -lglpk $(FFI_LIBS) -lm -lpthread -ldl

EXTRA_DIST += tests/fuzz-forms.c tests/fuzz-safetensors.c tests/fuzz.mk

FUZZ_SRCS = $(libtvlbase_la_SOURCES) $(libtvlengine_la_SOURCES) \
	$(libtvlcore_la_SOURCES)
tests/fuzz-forms: tests/fuzz-forms.c $(FUZZ_SRCS) config.h
	@$(MKDIR_P) tests
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(top_srcdir) -I$(top_srcdir)/lib \
	  -I$(top_builddir) -D_GNU_SOURCE $(FFI_CFLAGS) -o $@ \
	  $(srcdir)/tests/fuzz-forms.c \
	  $(addprefix $(srcdir)/,$(filter %.c,$(FUZZ_SRCS))) \
	  $(FUZZ_LIBS)

## The same harness in check mode: the compiler and the machine too.
tests/fuzz-check: tests/fuzz-forms.c $(FUZZ_SRCS) config.h
	@$(MKDIR_P) tests
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_CHECK -I$(top_srcdir) -I$(top_srcdir)/lib \
	  -I$(top_builddir) -D_GNU_SOURCE $(FFI_CFLAGS) -o $@ \
	  $(srcdir)/tests/fuzz-forms.c \
	  $(addprefix $(srcdir)/,$(filter %.c,$(FUZZ_SRCS))) \
	  $(FUZZ_LIBS)

## The safetensors loader on arbitrary files.
tests/fuzz-safetensors: tests/fuzz-safetensors.c $(libtvlbase_la_SOURCES) \
	  $(libtvlengine_la_SOURCES) config.h
	@$(MKDIR_P) tests
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(top_srcdir) -I$(top_builddir) -D_GNU_SOURCE \
	  -o $@ $(srcdir)/tests/fuzz-safetensors.c \
	  $(addprefix $(srcdir)/,$(filter %.c,$(libtvlbase_la_SOURCES) $(libtvlengine_la_SOURCES))) \
	  -lm -lpthread

## Skips (successfully) when clang or its libFuzzer runtime is missing:
## the probe links an empty fuzz target.
fuzz:
	@probe=tests/fuzz-probe$$$$; $(MKDIR_P) tests; \
	if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
	  echo "fuzz: SKIP ($(FUZZ_CC) not found)"; exit 0; \
	fi; \
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
	  >$$probe.c; \
	if ! $(FUZZ_CC) -fsanitize=fuzzer,address,undefined $$probe.c -o $$probe \
	    >/dev/null 2>&1; then \
	  rm -f $$probe $$probe.c; \
	  echo "fuzz: SKIP ($(FUZZ_CC) cannot link -fsanitize=fuzzer: install libclang-rt-dev)"; \
	  exit 0; \
	fi; \
	rm -f $$probe $$probe.c; \
	$(MAKE) $(AM_MAKEFLAGS) fuzz-run

fuzz-run: tests/fuzz-forms tests/fuzz-check tests/fuzz-safetensors
	$(MKDIR_P) tests/fuzz-corpus tests/fuzz-artifacts tests/fuzz-divergences \
	  tests/fuzz-st-corpus
	cp -f $(top_srcdir)/tests/scheme/*.scm $(top_srcdir)/stdlib/examples/*.tvl \
	  tests/fuzz-corpus/
	chmod u+w tests/fuzz-corpus/*
	cp -f $(top_srcdir)/tests/fuzz-regress/* tests/fuzz-corpus/ 2>/dev/null || :
	./tests/fuzz-forms -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -timeout=10 -artifact_prefix=tests/fuzz-artifacts/ $(FUZZ_FLAGS) \
	  tests/fuzz-corpus
	./tests/fuzz-check -max_total_time=$(FUZZ_SECONDS) -max_len=1024 \
	  -timeout=600 -rss_limit_mb=3072 -artifact_prefix=tests/fuzz-artifacts/check- \
	  $(FUZZ_FLAGS) tests/fuzz-corpus
	$(MAKE) $(AM_MAKEFLAGS) tests/mkmodel
	rm -rf tests/fuzz-st-seeds && $(MKDIR_P) tests/fuzz-st-seeds
	./tests/mkmodel tests/fuzz-st-seeds >/dev/null
	cp -f tests/fuzz-st-seeds/*.safetensors tests/fuzz-st-corpus/
	./tests/fuzz-safetensors -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -timeout=10 -artifact_prefix=tests/fuzz-artifacts/st- $(FUZZ_FLAGS) \
	  tests/fuzz-st-corpus

fuzz-clean:
	rm -rf tests/fuzz-forms tests/fuzz-check tests/fuzz-safetensors \
	  tests/fuzz-corpus tests/fuzz-artifacts tests/fuzz-st-corpus \
	  tests/fuzz-st-seeds tests/fuzz-divergences
clean-local: fuzz-clean

.PHONY: fuzz fuzz-run fuzz-clean
