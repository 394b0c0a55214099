## Safety: limits, foreign code, files written safely, interrupts
## (included by Makefile.am).
TESTS += tests/api-safety tests/safe-write.sh tests/interrupt.sh tests/memory-ulimit.sh
EXTRA_DIST += tests/safe-write.sh tests/interrupt.sh tests/memory-ulimit.sh
check_PROGRAMS += tests/api-safety
tests_api_safety_SOURCES = tests/api-safety.c tests/tap.h
tests_api_safety_LDADD = libtvl.la -lm
