## Executor tests (included by Makefile.am).
check_PROGRAMS += tests/test-hull tests/test-exec tests/test-model tests/mkmodel
TESTS += tests/test-hull tests/test-exec tests/test-model tests/numpy-check.sh
tests_test_hull_SOURCES = tests/test-hull.c tests/tap.h
tests_test_hull_LDADD = libtvlengine.la -lm
tests_test_exec_SOURCES = tests/test-exec.c tests/tap.h
tests_test_exec_LDADD = libtvlengine.la -lm
tests_test_model_SOURCES = tests/test-model.c tests/tap.h
tests_test_model_LDADD = libtvlengine.la -lm
tests_mkmodel_SOURCES = tests/mkmodel.c
tests_mkmodel_LDADD = libtvlengine.la -lm
EXTRA_DIST += tests/numpy-check.sh tools/tvl_run.py \
	BENCHMARKS.md

## The KV cache benchmark: `make bench` builds and runs it.
EXTRA_PROGRAMS = bench/bench-hull
bench_bench_hull_SOURCES = bench/bench-hull.c
bench_bench_hull_LDADD = libtvlengine.la -lm
CLEANFILES += bench/bench-hull
bench: bench/bench-hull$(EXEEXT)
	./bench/bench-hull$(EXEEXT)
.PHONY: bench
