## Compiler tests (included by Makefile.am).

## Differential test: random programs, transformer against the reference
## evaluator, brute against hull KV cache (tests/gen.c makes the programs).
check_PROGRAMS += tests/test-differential
TESTS += tests/test-differential
tests_test_differential_SOURCES = tests/test-differential.c tests/gen.c \
	tests/gen-lang.c tests/gen-state.c tests/gen-nest.c tests/gen-kinds.c tests/gen-lists.c tests/gen-srfi.c tests/gen-lib.c tests/gen-mutlist.c tests/gen-sort.c tests/gen-chars.c tests/gen-strings.c tests/gen-values.c tests/gen-escape.c tests/gen-wind.c tests/gen-applycc.c tests/gen-bval.c tests/gen-tail.c tests/gen-while.c tests/gen-applymap.c tests/gen-records.c tests/gen-match.c tests/gen-applylong.c tests/gen-early.c tests/gen.h tests/gen-int.h tests/tap.h
tests_test_differential_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_test_differential_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
## Every special form and builtin of :help is generated (tests/gen-lang.c).
TESTS += tests/gen-coverage.sh
EXTRA_DIST += tests/gen-coverage.sh tests/gen-pending tests/reduce-diff.py

## Programs on which a soak once failed, kept as text.
TESTS += tests/diff-regress.sh
EXTRA_DIST += tests/diff-regress.sh tests/diff-regress

## `make soak`: 100,000 programs (7 of 8 loop-free, as in make check)
## with every construct on (--all, GEN_KNOWN_BUGS included), from TVL_SEED
## (a time-based seed when it is unset; the seed is printed); figures
## every 1,000 programs and at the end (see BENCHMARKS.md).  SOAK_N and
## SOAK_FLAGS change the count and add options: SOAK_FLAGS='--start K'
## (with TVL_SEED set) runs programs K .. K+SOAK_N-1 of the same soak, so
## that a long soak runs in resumable pieces; each piece ends with a
## "# summary:" line (programs, wrong, failed, refusals, seconds).
## SOAK_FLAGS='--plain-every 10' runs the plain pass (routed against
## dense, token by token) beside every tenth program only: the answers of
## all are still compared with the evaluator's, in a fifth of the time.
SOAK_N = 100000
soak: tests/test-differential$(EXEEXT)
	./tests/test-differential$(EXEEXT) --soak $(SOAK_N) --all --milp-every 100 $(SOAK_FLAGS)
.PHONY: soak

## Long run: one run of more than five million tokens, transformer (hull)
## against the reference evaluator (about 25 s); also `make check-long`.
check_PROGRAMS += tests/test-long
TESTS += tests/test-long
tests_test_long_SOURCES = tests/test-long.c tests/tap.h
tests_test_long_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_test_long_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
check-long: tests/test-long$(EXEEXT)
	./tests/test-long$(EXEEXT)
.PHONY: check-long

## `make bench-compile`: 200 definitions in a row, the compile time of the
## first and the last ones (BENCHMARKS.md, "Incremental compilation").
noinst_PROGRAMS = bench/bench-compile
bench_bench_compile_SOURCES = bench/bench-compile.c
bench_bench_compile_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
bench_bench_compile_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
bench-compile: bench/bench-compile$(EXEEXT)
	./bench/bench-compile$(EXEEXT)
.PHONY: bench-compile
