#!/bin/sh
# run.sh [TVL [NAME...]] - a second outside-style corpus (classic exercises,
# closures, strings, characters, vectors, quasiquote, errors and exit),
# written without looking at tests/scheme or tests/outside.
# NAME.expected is GNU Guile 3.0.8's stdout, NAME.expected-status its exit
# status.  The shared runner tests/outside-run.sh prints one line per
# program (see there).  Not part of make check.  From the top directory:
# tests/outside2/run.sh ./tvl [NAME...]
exec sh "$(dirname "$0")/../outside-run.sh" "$(dirname "$0")" "$@"
