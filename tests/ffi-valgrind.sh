#!/bin/sh
# ffi-valgrind.sh - make check-valgrind: the qsort example, the API test
# and a short REPL session (tests/ffi-valgrind.in, in the transformer and
# in the reference evaluator) under valgrind, which must report no memory
# error and no leak.  Skipped when valgrind is not installed.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
VALGRIND=${VALGRIND:-valgrind}
if ! command -v "$VALGRIND" >/dev/null 2>&1; then
  echo "check-valgrind: SKIP ($VALGRIND is not installed)"
  exit 0
fi
libtool=$top_builddir/libtool
# 99: what valgrind reports an error with (tvl itself exits with 1 when a
# form failed, which the REPL session does on purpose)
vg() {
  "$libtool" --mode=execute "$VALGRIND" --error-exitcode=99 \
    --leak-check=full --errors-for-leak-kinds=definite,possible -q "$@"
}
failed=0
check() {
  what=$1 status=$2 allowed=$3
  if [ "$status" -eq 99 ] || [ "$status" -gt 128 ] ||
     { [ "$status" -ne 0 ] && [ "$status" -ne "$allowed" ]; }; then
    echo "FAIL: $what (status $status)"
    failed=1
  else
    echo "ok: $what"
  fi
}
vg "$top_builddir/examples/qsort" > /dev/null
check "examples/qsort" $? 0
vg "$top_builddir/tests/ffi-api" > /dev/null
check "tests/ffi-api" $? 0
for mode in --reference --transformer; do
  (cd "$top_srcdir" && vg "$top_builddir/tvl" $mode \
     < "$top_srcdir/tests/ffi-valgrind.in" > /dev/null 2>&1)
  check "a REPL session ($mode)" $? 1
done
exit $failed
