## The example programs of stdlib/examples (included by Makefile.am, after
## tests/compile.mk, which sets noinst_PROGRAMS).

## Each example in the transformer and with --reference against its
## NAME.expected; the long ones (sudoku) only in `make check-examples-long`.
TESTS += tests/examples.sh
EXTRA_DIST += tests/examples.sh

## Every example (but the long ones) under the O(1) caches routed and
## dense, the hull alone, and brute (its forms cut at 15,000 tokens),
## compared form by form (tests/test-caches.c).
check_PROGRAMS += tests/test-caches
TESTS += tests/test-caches
tests_test_caches_SOURCES = tests/test-caches.c tests/tap.h
tests_test_caches_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_test_caches_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread

## `make check-examples-long`: the long examples (the Sudoku, about 45 s in
## the transformer); fails when one of them does.
check-examples-long: tvl$(EXEEXT)
	@$(AM_TESTS_ENVIRONMENT) \
	$(SHELL) $(top_srcdir)/tests/examples.sh --long > examples-long.log; \
	status=$$?; cat examples-long.log; \
	test $$status -eq 0 && ! grep '^not ok' examples-long.log >/dev/null
.PHONY: check-examples-long
CLEANFILES += examples-long.log

## `make bench-examples`: every example in the transformer; statements,
## tokens, tokens per statement, time (BENCHMARKS.md, "Examples").
noinst_PROGRAMS += bench/bench-examples
bench_bench_examples_SOURCES = bench/bench-examples.c
bench_bench_examples_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
bench_bench_examples_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
bench-examples: bench/bench-examples$(EXEEXT)
	./bench/bench-examples$(EXEEXT) -d $(top_srcdir)/stdlib/examples
.PHONY: bench-examples

## `make bench-scaling`: per-token time for loop bodies of K = 5, 20, 80,
## 160 statements, dense and routed, and the ratios K=160 / K=5
## (BENCHMARKS.md).  `make bench-soak`: one run of 2*10^8 tokens in the
## transformer, exact against the evaluator, its peak RSS, bytes per token
## and tokens/s; SOAK_TOKENS=N for another length.  `make soak-long`: that
## run, then an endless loop that must stop at the default step limit
## (10^8 tokens).  `make bench-memory`: peak RSS per token of a loop of
## 10^6 iterations, three runs and their medians.  All run under nice;
## none is part of make check.
noinst_PROGRAMS += bench/bench-scaling bench/bench-soak
bench_bench_scaling_SOURCES = bench/bench-scaling.c
bench_bench_scaling_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
bench_bench_scaling_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
bench_bench_soak_SOURCES = bench/bench-soak.c
bench_bench_soak_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
bench_bench_soak_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
SOAK_TOKENS = 200000000
bench-scaling: bench/bench-scaling$(EXEEXT)
	nice ./bench/bench-scaling$(EXEEXT)
bench-soak: bench/bench-soak$(EXEEXT)
	nice -n 10 ./bench/bench-soak$(EXEEXT) $(SOAK_TOKENS)
soak-long: bench/bench-soak$(EXEEXT)
	nice -n 10 ./bench/bench-soak$(EXEEXT) $(SOAK_TOKENS)
	nice -n 10 ./bench/bench-soak$(EXEEXT) --step-limit
bench-memory: bench/bench-soak$(EXEEXT)
	nice -n 10 $(top_srcdir)/bench/memory-per-token.sh ./bench/bench-soak$(EXEEXT) 3
EXTRA_DIST += bench/memory-per-token.sh
## `make bench-ir`: instructions per token of the same loops, dense and
## routed, counted by callgrind (independent of the machine's load).
bench-ir: tvl$(EXEEXT)
	$(top_srcdir)/bench/ir-per-token.sh ./tvl$(EXEEXT)
EXTRA_DIST += bench/ir-per-token.sh
.PHONY: bench-scaling bench-soak soak-long bench-memory bench-ir

## `make bench-speed`: outside-style programs (bench/speed) in the
## transformer and the evaluator, three runs each; medians of CPU time,
## compile and run time, tokens/s, the ratio (BENCHMARKS.md, "Speed").
noinst_PROGRAMS += bench/bench-speed
bench_bench_speed_SOURCES = bench/bench-speed.c
bench_bench_speed_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
bench_bench_speed_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
EXTRA_DIST += bench/speed
bench-speed: bench/bench-speed$(EXEEXT)
	./bench/bench-speed$(EXEEXT) -d $(top_srcdir)/bench/speed
## `make bench-tail`: tests/outside/tail_loop.scm (a named-let loop and a
## loop through a closure in tail position, 10^6 iterations each, about
## 23M tokens) the same way: the engine's per-token cost on a long run.
EXTRA_DIST += bench/tail
bench-tail: bench/bench-speed$(EXEEXT)
	./bench/bench-speed$(EXEEXT) -d $(top_srcdir)/bench/tail
## `make bench-strings`: strings built in loops (bench/strbuild: 500
## string-appends of one character; number->string, string ports,
## string->list and list->string), the same way (BENCHMARKS.md, "Strings
## built in loops").
EXTRA_DIST += bench/strbuild
bench-strings: bench/bench-speed$(EXEEXT)
	./bench/bench-speed$(EXEEXT) -d $(top_srcdir)/bench/strbuild
.PHONY: bench-speed bench-tail bench-strings
