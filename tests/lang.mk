## Tests of the language layer and the REPL (included by Makefile.am).
TESTS += tests/golden.sh tests/scheme.sh tests/exact.sh tests/man-sync.sh \
	tests/bad-input.sh tests/repl-pty.sh tests/api-test tests/exit-status.sh \
	tests/unicode-tables.sh
check_PROGRAMS += tests/api-test
tests_api_test_SOURCES = tests/api-test.c tests/tap.h
tests_api_test_LDADD = libtvl.la
EXTRA_DIST += tests/golden tests/scheme tests/exact tests/exact.sh \
	tests/golden.sh tests/scheme.sh \
	tests/man-sync.sh tests/bad-input.sh tests/repl-pty.sh tests/exit-status.sh \
	tests/unicode-tables.sh tools/unicode-tables.scm
# integers past 32 bits in the evaluator (--bignum), against Guile
TESTS += tests/bignum.sh
EXTRA_DIST += tests/bignum.sh tests/bignum
