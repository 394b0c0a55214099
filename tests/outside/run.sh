#!/bin/sh
# run.sh [TVL [NAME...]] - the first outside-style corpus: programs written as an
# outside tester would (lists, closures, mixed kinds, strings, characters,
# error and exit), without looking at tests/scheme.
# NAME.expected is GNU Guile 3.0.8's stdout, NAME.expected-status its exit
# status.  The shared runner tests/outside-run.sh prints one line per
# program (see there).  Not part of make check.  From the top directory:
# tests/outside/run.sh ./tvl [NAME...]
exec sh "$(dirname "$0")/../outside-run.sh" "$(dirname "$0")" "$@"
