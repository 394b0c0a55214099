## Tests of extern (C functions through libffi) and of the embedding API
## (included by Makefile.am).

## Transcripts of extern declarations and calls, stdlib/libc.tvl included.
TESTS += tests/ffi.sh
EXTRA_DIST += tests/ffi.sh tests/ffi-libc.tvltest tests/ffi-errors.tvltest \
	tests/ffi-compiled.tvltest

## The API: tvl_call, function pointers, comparators, externs.  Exported
## symbols, so that an extern of "" finds this program's C functions.
check_PROGRAMS += tests/ffi-api
TESTS += tests/ffi-api
tests_ffi_api_SOURCES = tests/ffi-api.c tests/tap.h
tests_ffi_api_LDADD = libtvl.la
tests_ffi_api_LDFLAGS = -export-dynamic

## The example: qsort with a comparator compiled into a transformer.  It
## includes <tvl.h> as an installed program would; tests/ffi-example.sh
## turns its exit status into TAP.
check_PROGRAMS += examples/qsort
examples_qsort_SOURCES = examples/qsort.c
examples_qsort_LDADD = libtvl.la
TESTS += tests/ffi-example.sh
EXTRA_DIST += tests/ffi-example.sh

## make check-valgrind: the example, the API test and a short REPL session
## under valgrind (skipped when valgrind is not installed, and in
## sanitizer builds, which valgrind cannot run).
check-valgrind: tvl$(EXEEXT) examples/qsort$(EXEEXT) tests/ffi-api$(EXEEXT)
if SANITIZED
	@echo "check-valgrind: SKIP (a sanitizer build)"
else
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(top_srcdir)/tests/ffi-valgrind.sh
endif
EXTRA_DIST += tests/ffi-valgrind.sh tests/ffi-valgrind.in
.PHONY: check-valgrind
