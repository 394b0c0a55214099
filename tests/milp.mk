## MILP scheduler tests (included by Makefile.am).
check_PROGRAMS += tests/test-milp
TESTS += tests/test-milp
tests_test_milp_SOURCES = tests/test-milp.c tests/tap.h
tests_test_milp_LDADD = libtvlcore.la -lglpk -lm
