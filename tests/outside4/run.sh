#!/bin/sh
# run.sh [TVL [NAME...]] - the probe3 outside-style corpus (see README).
# NAME.expected is GNU Guile 3.0.8's stdout, NAME.expected-status its exit
# status.  The shared runner tests/outside-run.sh prints one line per
# program (see there).  Not part of make check.  From the top directory:
# tests/outside4/run.sh ./tvl [NAME...]
exec sh "$(dirname "$0")/../outside-run.sh" "$(dirname "$0")" "$@"
