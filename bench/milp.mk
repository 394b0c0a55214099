## `make bench-milp`: every procedure of stdlib/ and tests/scheme/ compiled
## with the list scheduler and with the MILP scheduler (1 s each); layers,
## d_model, per-file and grand totals (BENCHMARKS.md).  Not a test: built
## by `make` like bench-compile, run only by this target.
noinst_PROGRAMS += bench/bench-milp
bench_bench_milp_SOURCES = bench/bench-milp.c
bench_bench_milp_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
bench_bench_milp_LDADD = libtvlcore.la $(FFI_LIBS) -lglpk -lm -lpthread
bench-milp: bench/bench-milp$(EXEEXT)
	./bench/bench-milp$(EXEEXT) -d $(top_srcdir)
.PHONY: bench-milp
